"""Comparisons: cùng kỳ and previous period, the gap to the country, ranks, trend."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.periods import Period
from tests.analysis_frames import PROPERTY, complete_country, membership


def _two_years(members_now, members_before, population=(1000, 1000)):
    return pd.concat([
        membership(["22", "20"], "2019-H1", members_now, population),
        membership(["22", "20"], "2018-H2", [200, 200], population),
        membership(["22", "20"], "2018-H1", members_before, population),
    ])


def test_change_is_in_points_for_rates_and_per_cent_for_counts():
    obs = _two_years([300, 250], [200, 200])
    g = ["Quảng Ninh", "Lạng Sơn"]
    rate = an.compare(obs, "membership_rate", g, "2019-H1").iloc[0]
    assert rate["change_unit"] == "points" and math.isclose(rate["value"], 27.5)
    assert math.isclose(rate["change_last_year"], 27.5 - 20.0) and rate["period_last_year"] == "2018-H1"
    assert math.isclose(rate["change_previous"], 7.5) and rate["period_previous"] == "2018-H2"
    count = an.compare(obs, "members", g, "2019-H1").iloc[0]
    assert count["change_unit"] == "percent" and math.isclose(count["change_last_year"], (550 / 400 - 1) * 100)
    # the gap to the country (here the country is 2 provinces out of 63: too few, so no national value)
    assert math.isnan(rate["national"]) and math.isnan(rate["gap_national"])


def test_gap_to_the_national_value():
    obs = complete_country()
    row = an.compare(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    nat = an.aggregate(obs, "membership_rate", "country", "2019-H1").iloc[0]["value"]
    assert math.isclose(row["national"], nat) and math.isclose(row["gap_national"], row["value"] - nat)
    count = an.compare(obs, "members", "Cụm II", "2019-H1").iloc[0]
    assert math.isnan(count["gap_national"]) and 0 < count["share_of_national"] < 100


def test_change_across_the_reform_stays_on_one_map():
    obs = pd.concat([complete_country("2025-H1", seed=1), complete_country("2026-H1", seed=2)])
    row = an.compare(obs, "members", "Cụm II", "2026-H1").iloc[0]
    before = an.aggregate(obs, "members", "Cụm II", "2025-H1", edition="2025").iloc[0]["value"]
    assert row["edition"] == "2025" and row["value_last_year"] == before
    assert math.isclose(row["change_last_year"], (row["value"] / before - 1) * 100)


def test_ties_share_a_rank():
    codes = ["22", "20", "04", "06"]
    obs = membership(codes, "2019-H1", [30, 30, 20, 10], [100] * 4)
    r = an.ranks(obs, "membership_rate", "2019-H1").set_index("code")
    assert list(r.loc[codes, "rank_country"]) == [1, 1, 3, 4]
    assert list(r.loc[codes, "rank_cluster"]) == [1, 1, 3, 4]
    assert r.loc["22", "n_country"] == 4 and r.loc["22", "cluster"] == "dong-bac"
    assert pd.isna(r.loc["01", "rank_country"])


@PROPERTY
@given(st.lists(st.integers(0, 5), min_size=3, max_size=10))
def test_ranks_match_pandas_min_ranks(levels):
    codes = geo.province_codes("2008")[: len(levels)]
    obs = membership(codes, "2019-H1", [lv * 10 for lv in levels], [100] * len(levels))
    r = an.ranks(obs, "membership_rate", "2019-H1").set_index("code")
    want = pd.Series(levels, index=codes).rank(method="min", ascending=False)
    assert [int(r.loc[c, "rank_country"]) for c in codes] == [int(x) for x in want]


def test_trend_over_the_last_periods_on_one_map():
    rows = []
    for i, p in enumerate(["2024-H1", "2024-H2", "2025-H1"]):
        rows.append(membership(["22"], p, [100 + 10 * i], [1000]))
    rows.append(membership(["22"], "2025-H2", [130], [1000]))
    rows.append(membership(["22"], "2026-H1", [140], [1000]))
    t = an.trend(pd.concat(rows), "membership_rate", an.province("Quảng Ninh", "2025"), "2026-H1", last=4)
    assert list(t["period"]) == ["2024-H2", "2025-H1", "2025-H2", "2026-H1"]
    assert set(t["edition"]) == {"2025"} and list(t["value"]) == [11.0, 12.0, 13.0, 14.0]
    assert math.isclose(t["slope_per_year"].iloc[0], 2.0, rel_tol=0.02) and t["direction"].iloc[0] == "up"
    assert list(t["change_previous"].iloc[1:]) == pytest.approx([1.0, 1.0, 1.0])


def test_comparisons_carry_their_map_and_accept_periods():
    obs = _two_years([300, 250], [200, 200])
    g = ["Quảng Ninh", "Lạng Sơn"]
    by_text = an.compare(obs, "membership_rate", g, "2019-H1")
    by_period = an.compare(obs, "membership_rate", g, Period(2019, 1))
    pd.testing.assert_frame_equal(by_text, by_period)
    assert by_text.attrs["edition"] == "2008" and list(by_text.columns) == an.COMPARE_COLUMNS
    assert an.ranks(obs, "membership_rate", Period(2019, 1), edition="2025").attrs["edition"] == "2025"
    assert an.trend(obs, "members", g, Period(2019, 1), last=3).attrs["edition"] == "2008"
    assert an.aggregate(obs, "members", g, [Period(2018, 1), "2019-H1"]).attrs["edition"] == "2008"
