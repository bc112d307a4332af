import datetime as dt

import pytest

from khanalytics.periods import Period, PeriodError, half_years


@pytest.mark.parametrize("text, year, half", [
    ("2019-H1", 2019, 1), ("2019-h2", 2019, 2), ("2019 H1", 2019, 1), ("2019", 2019, None), ("2019-6T1", 2019, 1)])
def test_parse(text, year, half):
    assert Period.parse(text) == Period(year, half)


@pytest.mark.parametrize("text", ["2019-H3", "H1-2019", "", "abc", "19-H1"])
def test_bad(text):
    with pytest.raises(PeriodError, match="2019-H1"):
        Period.parse(text)


def test_arithmetic_and_order():
    p = Period.parse("2019-H1")
    assert p.end == dt.date(2019, 6, 30) and p.start == dt.date(2019, 1, 1)
    assert p.same_period_last_year().code == "2018-H1"
    assert p.previous().code == "2018-H2" and p.next().code == "2019-H2"
    assert Period.parse("2019-H2").end == dt.date(2019, 12, 31)
    assert sorted([Period(2019, 2), Period(2019), Period(2019, 1)]) == [Period(2019, 1), Period(2019, 2), Period(2019)]
    assert len(half_years("2015-H1", "2026-H1")) == 23


def test_period_errors_are_family_errors():
    from khanalytics.errors import KhanalyticsError

    with pytest.raises(KhanalyticsError) as err:
        Period.parse("2019-H3")
    assert isinstance(err.value, PeriodError) and isinstance(err.value, ValueError) and err.value.rule == "bad_period"
    assert err.value.context == {"value": "2019-H3"} and "'2019-H1'" in err.value.vi and "expected" in err.value.en
    with pytest.raises(PeriodError, match="half-year periods") as err:
        half_years("2015", "2016-H1")
    assert "kỳ 6 tháng" in err.value.vi
