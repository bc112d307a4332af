"""Across the merger: 2008 → 2025 sums of whole parts, 2025 → 2008 only for unchanged provinces."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.periods import Period
from tests.analysis_frames import CUM_II_2025, PROPERTY, complete_country, membership, obs_frame

new_province_sets = st.sets(st.sampled_from(geo.province_codes("2025")), min_size=1, max_size=6)


@PROPERTY
@given(new_province_sets, st.integers(0, 1000), st.sets(st.sampled_from(geo.province_codes("2008")), max_size=3))
def test_harmonise_then_aggregate_equals_aggregate_then_harmonise(new_codes, seed, silent):
    obs = complete_country(seed=seed)
    obs = obs[~(obs["code"].isin(silent) & (obs["element"] == "members"))]
    old_codes = [p for c in sorted(new_codes) for p in geo.parts(c)]
    on_2025 = an.aggregate(an.harmonise(obs, "2025"), "members", an.province_list(sorted(new_codes), "2025"),
                           "2019-H1", edition="2025").iloc[0]
    on_2008 = an.aggregate(obs, "members", an.province_list(old_codes, "2008"), "2019-H1").iloc[0]
    direct = an.aggregate(obs, "members", an.province_list(sorted(new_codes), "2025"), "2019-H1",
                          edition="2025").iloc[0]
    if set(old_codes) & set(silent):
        assert math.isnan(on_2025["value"]) and math.isnan(on_2008["value"]) and math.isnan(direct["value"])
    else:
        assert on_2025["value"] == on_2008["value"] == direct["value"]
        assert on_2025["edition"] == "2025" and on_2008["edition"] == "2008"
    # the same sum per new province, element by element
    h = an.harmonise(obs, "2025")
    for c in new_codes:
        got = h[(h["code"] == c) & (h["element"] == "members")]["value"]
        parts = obs[obs["code"].isin(geo.parts(c)) & (obs["element"] == "members")]["value"]
        if set(geo.parts(c)) & set(silent):
            assert got.isna().all()
        else:
            assert got.iloc[0] == parts.sum()


def test_a_new_province_is_complete_only_when_all_its_parts_reported():
    obs = obs_frame([("24", "2019-H1", "members", 100), ("27", "2019-H1", "members", 50),
                     ("24", "2019-H1", "population", 1000)], kind="published")
    obs.loc[1, "kind"] = "synthetic"
    h = an.harmonise(obs, "2025").set_index(["code", "element"])
    assert h.loc[("24", "members"), "value"] == 150 and h.loc[("24", "members"), "parts"] == "27+24"
    assert h.loc[("24", "members"), "kind"] == "synthetic" and h.loc[("24", "members"), "from_edition"] == "2008"
    assert np.isnan(h.loc[("24", "population"), "value"])
    assert "Bắc Ninh (27)" in h.loc[("24", "population"), "reason_vi"]
    row = an.aggregate(obs, "membership_rate", an.province("Bắc Ninh", "2025"), "2019-H1", edition="2025").iloc[0]
    assert math.isnan(row["value"]) and "Bắc Ninh (27)" in row["missing_detail_vi"]


def test_the_2008_map_after_the_reform_keeps_only_whole_provinces():
    obs = membership(CUM_II_2025, "2026-H1", [10, 20, 30, 40, 50, 60], [100] * 6)
    h = an.harmonise(obs, "2008")
    assert set(h.dropna(subset=["value"])["code"]) == {"04", "20", "22"}
    gone = h[h["code"] == "06"].iloc[0]
    assert np.isnan(gone["value"]) and "không tách được" in gone["reason_vi"] and "Thái Nguyên" in gone["reason_vi"]
    row = an.aggregate(obs, "membership_rate", "Cụm II", "2026-H1", edition="2008").iloc[0]
    assert row["edition"] == "2008" and math.isnan(row["value"]) and row["n_reporting"] == 3
    assert "không tách được" in row["missing_detail_vi"]
    qn = an.aggregate(obs, "membership_rate", an.province("Quảng Ninh", "2008"), "2026-H1", edition="2008").iloc[0]
    assert qn["value"] == 40
    bk = an.aggregate(obs, "membership_rate", an.province("Bắc Kạn", "2008"), "2026-H1").iloc[0]
    assert bk["edition"] == "2025" and math.isnan(bk["value"]) and "Thái Nguyên" in bk["reason_vi"]


def test_harmonised_frames_carry_their_map_and_are_refused_on_the_other():
    obs = complete_country("2019-H1")
    new = an.harmonise(obs, "2025")
    assert new.attrs["edition"] == "2025" and geo.edition_of(new) == "2025" and set(new["edition"]) == {"2025"}
    assert an.harmonise(obs, "2008").attrs["edition"] == "2008"
    assert obs.attrs == {}  # the input is not marked
    row = an.aggregate(new, "members", "Cụm II", Period(2019, 1), edition="2025").iloc[0]
    assert row["edition"] == "2025" and row["n_reporting"] == 6
    with pytest.raises(geo.EditionMismatchError, match="2008"):
        an.aggregate(new, "members", "Cụm II", "2019-H1", edition="2008")
    with pytest.raises(geo.EditionMismatchError):  # on its own the period would be read on the 2008 map
        an.compare(new, "members", "Cụm II", "2019-H1")
    assert an.harmonise(new, "2025").attrs["edition"] == "2025"  # already there: kept as it is, as before
    again = an.harmonise(new, "2025")
    cols = [*an.KEY, "value", "kind"]
    pd.testing.assert_frame_equal(again[cols], new[cols], check_dtype=False)


def test_harmonise_sorts_by_period_then_code():
    obs = pd.concat([membership(["22"], "2019-H2", [1], [10]), membership(["22"], "2019", [1], [10]),
                     membership(["01"], "2019-H1", [1], [10])])
    h = an.harmonise(obs, "2008")
    assert list(dict.fromkeys(h["period"])) == ["2019-H1", "2019-H2", "2019"]
