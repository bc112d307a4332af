import datetime as dt

import pytest

from khanalytics.periods import Period
from khanalytics.published.asof import AsOfError, parse_asof


@pytest.mark.parametrize(("text", "kind", "end", "meets"), [
    ("2019-H1", "half_year", dt.date(2019, 6, 30), "2019-H1"),
    ("2022", "year", dt.date(2022, 12, 31), "2022-H2"),  # a year's figure meets the year's H2 report
    ("2017-10", "month", dt.date(2017, 10, 31), None),
    ("2020-06", "month", dt.date(2020, 6, 30), "2020-H1"),
    ("12/2020", "month", dt.date(2020, 12, 31), "2020-H2"),
    ("2019-Q3", "quarter", dt.date(2019, 9, 30), None),
    ("2023-Q2", "quarter", dt.date(2023, 6, 30), "2023-H1"),
    ("2013-2018", "span", dt.date(2018, 12, 31), None),
    ("c.2024-07", "approximate", dt.date(2024, 7, 31), None),
    ("c.2025-H1", "approximate", dt.date(2025, 6, 30), "2025-H1"),
    ("c.undated", "undated", None, None),
])
def test_kinds_dates_and_the_report_they_meet(text, kind, end, meets):
    a = parse_asof(text)
    assert (a.kind, a.end) == (kind, end)
    assert (a.meets.code if a.meets else None) == meets


def test_approximate_keeps_its_precision_and_widens_its_window():
    a = parse_asof("c.2024-07")
    assert a.approximate and a.precision == "month"
    lo, hi = a.window()
    assert lo < dt.date(2024, 7, 1) and hi > dt.date(2024, 7, 31)
    assert a.label() == "khoảng 7/2024" and a.label("en") == "c. Jul 2024"


def test_a_year_may_be_any_day_of_it_a_half_year_is_its_last_day():
    assert parse_asof("2010").window() == (dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    assert parse_asof("2010-H1").window() == (dt.date(2010, 6, 30), dt.date(2010, 6, 30))
    assert parse_asof("2013-2018").window() is None and parse_asof("c.undated").window() is None


def test_editions_before_and_after_the_reforms():
    assert parse_asof("2004-11").edition == "pre-2008"  # kept, on the earlier map
    assert parse_asof("1996").edition == "pre-2008"
    assert parse_asof("2008-08").edition == "2008"
    assert parse_asof("2025-H1").edition == "2008" and parse_asof("2025").edition == "2025"
    assert parse_asof("c.undated").edition is None


def test_years_to_an_approximate_year():
    a = parse_asof("6-year period to c.2021")
    assert (a.kind, a.precision, a.start, a.end) == ("approximate", "span", dt.date(2016, 1, 1), dt.date(2021, 12, 31))
    assert a.meets is None


def test_labels():
    assert parse_asof("2019-Q3").label() == "quý III/2019"
    assert parse_asof("2022").label("en") == "2022"
    assert parse_asof("2019-H1").label() == "6/2019"
    assert parse_asof("2013-2018").label() == "2013–2018"


@pytest.mark.parametrize("text", ["2019-H3", "2019-13", "soon", "2020-2010", "2019-02-30"])
def test_unreadable_dates_name_the_forms(text):
    with pytest.raises(AsOfError) as err:
        parse_asof(text)
    assert "2019-H1" in err.value.en and "c.undated" in err.value.vi


def test_meets_is_a_period():
    assert parse_asof("2024").meets == Period(2024, 2)
