from types import SimpleNamespace

import pytest

from khanalytics.published.values import bounds, domain, rounding_unit, row_value_text, safe_link, value_text


def test_rounding_unit():
    assert rounding_unit(755000.0) == 1000
    assert rounding_unit(7115513.0) == 1
    assert rounding_unit(19.6) == pytest.approx(0.1)
    assert rounding_unit(2400000.0) == 100000


def test_bounds_by_qualifier():
    assert bounds(755000.0, ">") == (755000.0, 830500.0)
    assert bounds(119000.0, "gần") == (113050.0, 119000.0)
    assert bounds(7115513.0, "=") == (7115512.5, 7115513.5)
    lo, hi = bounds(13.2, "~")
    assert lo == pytest.approx(11.88) and hi == pytest.approx(14.52)
    assert bounds(10000.0, "<") == (0.0, 10000.0)


def test_value_written_as_the_article_did():
    assert value_text(755000.0, ">", percent=False) == "hơn 755.000"
    assert value_text(755000.0, ">", percent=False, lang="en") == "more than 755,000"
    assert value_text(19.6, "=", percent=True) == "19,6 %"
    assert value_text(24.0654, "=", percent=True, decimals=2) == "24,07 %"
    assert value_text(154_800_000_000.0, ">", percent=False, money=True) == "hơn 154,8 tỷ đồng"


def test_row_value_knows_rates_and_money():
    row = SimpleNamespace(value=18.53, qualifier="=", catalogue_code="membership_rate", catalogue_kind="indicator",
                          indicator="membership_rate_pct")
    assert row_value_text(row) == "18,53 %"
    fund = SimpleNamespace(value=2e10, qualifier="gần", catalogue_code=None, catalogue_kind=None,
                           indicator="central_fund_revenue_vnd")
    assert row_value_text(fund) == "gần 20 tỷ đồng"


def test_only_http_addresses_become_links():
    assert safe_link("https://baohaiduong.vn/en/x.html") == "https://baohaiduong.vn/en/x.html"
    assert safe_link("giaoduc.edu.vn/ca-nuoc") == "https://giaoduc.edu.vn/ca-nuoc"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("khuyenhoc.vn: Hội nghị giao ban") is None
    assert domain("https://www.vietnam.vn/en/x") == "vietnam.vn"
