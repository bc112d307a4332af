"""Vietnamese (and English) numbers, dates and periods, as reports print them."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khanalytics.formatting import (
    MINUS,
    MISSING,
    PLOTLY_SEPARATORS,
    check_lang,
    fmt_change_percent,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_value,
    fmt_vnd,
    no_data,
    period_label,
)


def test_founding_figures_in_vietnamese() -> None:
    # The Cụm II meeting of November 2019, as the report must print it.
    assert fmt_number(2265712) == "2.265.712"
    assert fmt_number(9414026) == "9.414.026"
    assert fmt_percent(2265712 / 9414026 * 100) == "24,07 %"
    assert fmt_percent(20.72) == "20,72 %"
    assert fmt_points(24.07 - 22.99) == "+1,08 điểm phần trăm"
    assert fmt_percent(31.8, 1) == "31,8 %"
    assert fmt_number(1631) == "1.631"


def test_english() -> None:
    assert fmt_number(2265712, lang="en") == "2,265,712"
    assert fmt_percent(24.0674, lang="en") == "24.07%"
    assert fmt_points(1.08, lang="en") == "+1.08 percentage points"
    assert fmt_points(1, 0, "en") == "+1 percentage point"
    assert fmt_points(1.08, lang="en", short=True) == "+1.08 pp"


def test_percent_keeps_its_decimals() -> None:
    # Babel's default vi percent pattern would print "24%".
    assert fmt_percent(24.0674) != "24 %"
    assert fmt_percent(24.0, 2) == "24,00 %"
    assert fmt_percent(7.5, 0) == "8 %"  # half-up, not banker's rounding
    assert fmt_percent(31.75, 1) == "31,8 %"
    assert fmt_number(0.125, 2) == "0,13"
    assert fmt_number(2.675, 2) == "2,68"  # the float 2.675 is 2.67499…; we round what is written


def test_negative_numbers_use_the_minus_sign_and_never_minus_zero() -> None:
    assert fmt_number(-1234.5, 1) == f"{MINUS}1.234,5"
    assert fmt_points(-0.5) == f"{MINUS}0,50 điểm phần trăm"
    assert fmt_number(-0.001, 2) == "0,00"
    assert fmt_points(-0.001) == "0,00 điểm phần trăm"
    assert fmt_change_percent(-3.21) == f"{MINUS}3,2 %"
    assert fmt_change_percent(5.26) == "+5,3 %"
    assert fmt_change_percent(5.26, lang="en") == "+5.3%"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, math.inf, "abc"])
def test_missing_values(missing: object) -> None:
    assert fmt_number(missing) == MISSING
    assert fmt_percent(missing) == MISSING
    assert fmt_points(missing) == MISSING
    assert fmt_vnd(missing) == MISSING
    assert fmt_percent(missing, missing=no_data("vi")) == "không có số liệu"
    assert fmt_value(missing, missing=no_data("en")) == "no data"


def test_numpy_and_pandas_numbers() -> None:
    assert fmt_number(np.int64(2265712)) == "2.265.712"
    assert fmt_percent(np.float64(24.0674)) == "24,07 %"
    assert fmt_number(pd.Series([12345.678]).iloc[0], 1) == "12.345,7"


def test_vnd() -> None:
    assert fmt_vnd(1234567890) == "1.234.567.890 đồng"
    assert fmt_vnd(1234567890, "en") == "VND 1,234,567,890"
    assert fmt_vnd(1234567890, style="short") == "1,23 tỷ đồng"
    assert fmt_vnd(2_000_000_000, style="short") == "2 tỷ đồng"
    assert fmt_vnd(450_000_000, style="short") == "450 triệu đồng"
    assert fmt_vnd(15_500_000, style="short") == "15,5 triệu đồng"
    assert fmt_vnd(950_000, style="short") == "950.000 đồng"
    assert fmt_vnd(1234567890, "en", style="short") == "VND 1.23 billion"
    assert fmt_vnd(-3_000_000, style="short") == f"{MINUS}3 triệu đồng"
    for text in (fmt_vnd(1234567890, style="short"), fmt_vnd(1234567890, "en", style="short")):
        assert not any(s in text for s in ("M", "k", "B ", "bn"))


def test_dates() -> None:
    assert fmt_date(dt.date(2019, 6, 30)) == "30/6/2019"
    assert fmt_date(dt.date(2025, 7, 1)) == "1/7/2025"
    assert fmt_date("2019-06-30", "en") == "30 June 2019"
    assert fmt_date(pd.Timestamp("2019-12-31")) == "31/12/2019"
    assert fmt_date(dt.datetime(2019, 6, 30, 12, 0), style="long") == "ngày 30 tháng 6 năm 2019"
    assert fmt_date(None) == MISSING
    assert fmt_date(pd.NaT) == MISSING


@pytest.mark.parametrize(
    ("period", "lang", "style", "expected"),
    [
        ("2019-H1", "vi", "long", "6 tháng đầu năm 2019"),
        ("2019-H2", "vi", "long", "6 tháng cuối năm 2019"),
        ("2019", "vi", "long", "năm 2019"),
        ("2019-H1", "vi", "end", "đến hết 6/2019"),
        ("2019-H2", "vi", "end", "đến hết 12/2019"),
        ("2019", "vi", "end", "đến hết năm 2019"),
        ("2019-H1", "vi", "short", "6/2019"),
        ("2019-H2", "vi", "short", "12/2019"),
        ("2019", "vi", "short", "2019"),
        ("2019-H1", "en", "long", "first half of 2019"),
        ("2019-H2", "en", "long", "second half of 2019"),
        ("2019-H1", "en", "end", "to end of June 2019"),
        ("2019-H1", "en", "short", "Jun 2019"),
        ("2019-H1", "vi", "code", "2019-H1"),
    ],
)
def test_period_labels(period: str, lang: str, style: str, expected: str) -> None:
    assert period_label(period, lang, style) == expected  # type: ignore[arg-type]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="vi"):
        check_lang("fr")
    with pytest.raises(ValueError):
        fmt_number(1, lang="de")
    with pytest.raises(ValueError):
        period_label("2019-H1", "vi", "weird")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fmt_number(1, -1)
    with pytest.raises(ValueError):
        fmt_vnd(1, style="tiny")  # type: ignore[arg-type]


def test_plotly_separators_match_our_formatting() -> None:
    # plotly's separators are "decimal then thousands"; our strings must use the same marks.
    for lang in ("vi", "en"):
        decimal, thousands = PLOTLY_SEPARATORS[lang]
        assert fmt_number(1234.5, 1, lang) == f"1{thousands}234{decimal}5"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_vietnamese_and_english_are_the_same_number(x: float, decimals: int) -> None:
    vi, en = fmt_number(x, decimals, "vi"), fmt_number(x, decimals, "en")
    swapped = en.translate(str.maketrans({",": ".", ".": ","}))
    assert vi == swapped
    # and it reads back as the rounded value
    back = float(en.replace(",", "").replace(MINUS, "-"))
    assert abs(back - x) <= 0.5 * 10**-decimals + abs(x) * 1e-15


def test_bad_inputs_are_bilingual_family_errors() -> None:
    from khanalytics.errors import KhanalyticsError, ParameterError
    from khanalytics.formatting import NotADateError

    with pytest.raises(ParameterError) as err:
        check_lang("fr")
    assert err.value.rule == "bad_language" and "Ngôn ngữ" in err.value.vi and "'vi' or 'en'" in err.value.en
    with pytest.raises(ParameterError, match="style") as err:
        period_label("2019-H1", "vi", "weird")  # type: ignore[arg-type]
    assert err.value.rule == "bad_style" and "long, end, short, code" in err.value.en
    with pytest.raises(ParameterError, match="decimals"):
        fmt_number(1, -1)
    with pytest.raises(NotADateError) as err:
        fmt_date(3.5)
    assert isinstance(err.value, TypeError) and isinstance(err.value, KhanalyticsError)
    assert "không phải là ngày" in err.value.vi and "not a date" in err.value.en
