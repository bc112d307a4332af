"""Measures: indicators and counts seen alike, changes in points or per cent, errors in both languages."""

import math

import pytest

from khanalytics import analysis as an
from khanalytics.analysis.measures import compute, missing
from khanalytics.errors import KhanalyticsError


def test_an_indicator_and_an_element_are_both_measures():
    rate = an.measure("membership_rate")
    assert rate.inputs == ("members", "population") and not rate.is_count and rate.change_unit == "points"
    assert rate.label("en") != rate.label() and rate.short("en") and rate.unit()
    count = an.measure("members")
    assert count.is_count and count.inputs == ("members",) and count.change_unit == "percent"
    assert compute(count, {"members": 5.0}) == 5.0
    assert math.isclose(compute(rate, {"members": 1.0, "population": 4.0}), 25.0)
    assert math.isnan(compute(rate, {"members": 1.0, "population": 0.0}))


def test_change_in_points_and_per_cent():
    assert an.change(27.5, 20.0, "points") == 7.5
    assert math.isclose(an.change(550, 400, "percent"), 37.5)
    assert math.isnan(an.change(1, 0, "percent")) and math.isnan(an.change(None, 1, "points"))
    assert missing(float("inf")) and missing("x") and not missing(0)


def test_an_unknown_code_says_so_in_both_languages():
    with pytest.raises(an.AnalysisError) as err:
        an.measure("no_such_thing")
    e = err.value
    assert isinstance(e, KhanalyticsError) and isinstance(e, ValueError) and e.rule == "unknown_indicator"
    assert "Không có chỉ tiêu" in e.vi and "no indicator" in e.en and "membership_rate" in e.en
    assert "no_such_thing" in str(e)
