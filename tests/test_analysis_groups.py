"""Groups: members on either map, what a cluster gains or loses on the 34-province map, what users write."""

import math

import pytest

from khanalytics import analysis as an
from khanalytics.periods import Period
from tests.analysis_frames import CUM_II, CUM_II_2025, complete_country


def test_cluster_ii_on_the_2025_map_says_it_took_in_old_bac_ninh():
    note = an.territory_note("Cụm II", "2025")
    added = note[note["change"] == "added"]
    assert list(added["code_2008"]) == ["27"] and list(added["code_2025"]) == ["24"]
    assert "Bắc Ninh" in added["note_vi"].iloc[0]
    assert an.territory_note("Cụm II", "2008").empty
    obs = complete_country("2019-H1")
    row = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1", edition="2025").iloc[0]
    assert row["edition"] == "2025" and row["reporting"] == tuple(CUM_II_2025) and row["outside_parts"] == ("27",)
    sums = obs[obs["code"].isin([*CUM_II, "27"])].groupby("element")["value"].sum()
    assert math.isclose(row["value"], sums["members"] / sums["population"] * 100)
    assert an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]["outside_parts"] == ()


@pytest.mark.parametrize("spec", ["country", "Cả nước", "CẢ NƯỚC", "toàn quốc", "Việt Nam", "VN", "ca\u200b nuoc", None])
def test_the_country_in_the_words_people_write(spec):
    assert an.as_group(spec) == an.country()


def test_groups_from_what_users_write():
    # issue 11: the bare number 2 is also Hà Giang's code (02), so it is refused (test_wrong_map.py); was "dong-bac"
    assert an.as_group("cụm 2").key == "dong-bac" and an.as_group("Cụm II").kind == "cluster"
    assert an.as_group("Quảng Ninh").edition == "2008" and an.as_group("22", edition="2025").codes == ("22",)
    assert an.as_group(["Quảng Ninh", "Lạng Sơn"]).kind == "list"
    with pytest.raises(an.AnalysisError, match="empty"):
        an.province_list([], "2008")


def test_members_move_to_the_other_map_only_as_whole_provinces():
    qn = an.province("Quảng Ninh", "2008")
    assert an.members_on(qn, "2025", "2026-H1") == (("22",), None, None)
    old_bac_ninh = an.province_list(["27"], "2008")
    codes, vi, en = an.members_on(old_bac_ninh, "2025", Period(2026, 1))
    assert codes == () and "Bắc Giang (24)" in vi and "cannot be split" in en
    new_bac_ninh = an.province("Bắc Ninh", "2025")
    assert an.members_on(new_bac_ninh, "2008", "2019-H1")[0] == ("27", "24")


def test_a_territory_note_names_the_map_it_was_drawn_for():
    assert an.territory_note("Cụm II", "2025").attrs["edition"] == "2025"
    assert an.territory_note("Cụm II", "2008").attrs["edition"] == "2008"
    assert list(an.territory_note("country").columns) == an.TERRITORY_COLUMNS
