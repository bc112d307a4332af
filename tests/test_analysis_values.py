"""Province values: one row per province and period on one map, computed afresh from what the frame holds now."""

import math

import pandas as pd
import pytest

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.periods import Period
from tests.analysis_frames import complete_country, membership


def test_a_frame_edited_in_place_gives_the_new_values():
    obs = complete_country()
    before = an.province_values(obs, "membership_rate", "2019-H1").set_index("code")["value"]
    members = (obs["code"] == "22") & (obs["element"] == "members")
    obs.loc[members, "value"] = obs.loc[members, "value"] + 1000  # same shape, same frame object
    after = an.province_values(obs, "membership_rate", "2019-H1").set_index("code")
    pop = obs.loc[(obs["code"] == "22") & (obs["element"] == "population"), "value"].iloc[0]
    assert after.loc["22", "value"] > before["22"]
    assert math.isclose(after.loc["22", "value"], obs.loc[members, "value"].iloc[0] / pop * 100)
    assert (after.drop(index="22")["value"] == before.drop(index="22")).all()
    # an edit that keeps the sum of the values (what the old fingerprint looked at) is seen too
    swap = obs["element"] == "members"
    obs.loc[swap, "value"] = obs.loc[swap, "value"].to_numpy()[::-1]
    swapped = an.aggregate(obs, "membership_rate", "Quảng Ninh", "2019-H1").iloc[0]
    assert math.isclose(swapped["numerator"], obs.loc[members, "value"].iloc[0])


def test_editing_a_result_changes_nothing_for_the_next_call():
    obs = complete_country()
    first = an.province_values(obs, "membership_rate", "2019-H1")
    want = first.copy()
    first["value"] = -1.0
    del first["name"]
    again = an.province_values(obs, "membership_rate", "2019-H1")
    pd.testing.assert_frame_equal(again, want)
    row = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    assert row["value"] > 0


def test_the_input_frame_is_never_touched():
    obs = membership(["22"], "2019-H1", [100], [1000])
    obs["code"] = obs["code"].astype(int)  # 22, not "22": read as "22"
    kept = obs.copy()
    pv = an.province_values(obs, "membership_rate", "2019-H1").set_index("code")
    assert pv.loc["22", "value"] == 10
    pd.testing.assert_frame_equal(obs, kept)


def test_values_carry_their_map_and_accept_periods():
    obs = pd.concat([complete_country("2025-H1", seed=1), complete_country("2026-H1", seed=2)])
    by_text = an.province_values(obs, "membership_rate", "2026-H1")
    by_period = an.province_values(obs, "membership_rate", Period(2026, 1))
    pd.testing.assert_frame_equal(by_text, by_period)
    assert by_text.attrs["edition"] == "2025" and geo.edition_of(by_text) == "2025"
    old = an.province_values(obs, "members", [Period(2025, 1)], edition="2008")
    assert old.attrs["edition"] == "2008" and set(old["edition"]) == {"2008"}
    both = an.province_values(obs, "members", ["2025-H1", Period(2026, 1)])  # each period on its own map
    assert "edition" not in both.attrs and geo.edition_of(both) is None and set(both["edition"]) == {"2008", "2025"}


def test_a_frame_declared_on_one_map_is_refused_on_the_other():
    obs = geo.with_edition(complete_country("2019-H1"), "2008")
    with pytest.raises(geo.EditionMismatchError, match="2025") as err:
        an.province_values(obs, "membership_rate", "2019-H1", edition="2025")
    assert "harmonise" in err.value.en and "bản đồ 2025" in err.value.vi
    assert an.province_values(obs, "membership_rate", "2019-H1").attrs["edition"] == "2008"
    with pytest.raises(geo.EditionMismatchError):
        an.aggregate(obs, "members", "Cụm II", "2019-H1", edition="2025")
    with pytest.raises(geo.EditionMismatchError):
        an.compare(obs, "members", "Cụm II", "2019-H1", edition="2025")
    with pytest.raises(geo.EditionMismatchError):
        an.ranks(obs, "members", "2019-H1", edition="2025")
    with pytest.raises(geo.EditionMismatchError):
        an.trend(obs, "members", "Cụm II", "2019-H1", edition="2025")
    # undeclared, the same rows are harmonised as they always were
    unmarked = complete_country("2019-H1")
    assert an.aggregate(unmarked, "members", "Cụm II", "2019-H1", edition="2025").iloc[0]["edition"] == "2025"
