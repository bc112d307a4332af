"""Targets: the decisions' file, which targets apply, the line from the baseline, met / on track / behind."""

import datetime as dt
import math

import pandas as pd
import pytest

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics import targets as tg
from khanalytics.periods import Period
from tests.analysis_frames import obs_frame


def test_targets_file_has_the_decisions_with_sources():
    t = tg.load_targets()
    assert set(t["decision"]) >= {"281/QĐ-TTg", "387/QĐ-TTg"} and len(set(t["decision_id"])) == 3
    assert set(t["indicator"]) == {"learning_families_rate", "learning_clans_rate", "learning_communities_rate",
                                   "learning_units_rate", "learning_citizens_rate"}
    assert (t["source"].str.len() > 10).all() and set(t["confidence"]) <= set(tg.CONFIDENCE)
    key = t.set_index(["decision_id", "indicator", "year", "scope"])["value"]
    assert key[("qd-281-2014", "learning_families_rate", 2020, "general")] == 70
    assert key[("qd-281-2014", "learning_families_rate", 2020, "mountainous")] == 60
    assert key[("qd-387-2022", "learning_units_rate", 2025, "general")] == 80
    assert key[("qd-387-2022", "learning_citizens_rate", 2025, "general")] == 40
    assert key[("hkh-2021-2026", "learning_citizens_rate", 2026, "general")] == 50
    unconfirmed = t[t["confidence"] == "unconfirmed"]
    assert set(unconfirmed["year"]) == {2030}
    assert t.loc[t["decision_id"] == "qd-281-2014", "issued"].iloc[0] == dt.date(2014, 2, 20)


def test_a_bad_targets_file_is_refused(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("decisions:\n  - {id: x, decision: X, issued: 2020-01-01, targets: "
                   "[{indicator: nope, year: 2025, value: 50}]}\n", encoding="utf-8")
    with pytest.raises(tg.TargetError, match="nope"):
        tg.load_targets(bad)


def test_status_met_on_track_behind():
    line = tg.expected_value(50, dt.date(2014, 6, 30), 70, dt.date(2020, 12, 31), dt.date(2017, 9, 30))
    assert 59 < line < 61  # half-way in time, half-way in value
    assert tg.status(70, 70, expected=line) == "met"
    assert tg.status(line, 70, expected=line) == "on track"
    assert tg.status(line - 0.01, 70, expected=line) == "behind"
    assert tg.status(None, 70, expected=line) is None
    assert tg.expected_value(50, dt.date(2014, 6, 30), 70, dt.date(2020, 12, 31), dt.date(2022, 1, 1)) == 70
    # a baseline already past the target leaves no line: a value below the target is behind
    assert tg.status(75, 70, expected=80) == "met" and tg.status(65, 70, expected=64) == "on track"
    assert tg.status(65, 70, expected=tg.expected_value(80, dt.date(2014, 6, 30), 70, dt.date(2020, 12, 31),
                                                        dt.date(2016, 1, 1))) == "behind"


def _families(values):
    rows = []
    for period, recognised in values.items():
        rows += [("22", period, "learning_families_recognised", recognised), ("22", period, "households", 1000)]
    return obs_frame(rows)


def test_evaluate_targets_draws_the_line_from_the_baseline_year():
    # 281/QĐ-TTg issued 2014: baseline = the earliest value in 2014 or later (2015-H1 here: 50 %)
    obs = _families({"2013-H2": 100, "2015-H1": 500, "2017-H1": 620})
    e = an.evaluate_targets(obs, "Quảng Ninh", "2017-H1", indicators=["learning_families_rate"]).iloc[0]
    assert e["decision"] == "281/QĐ-TTg" and e["target"] == 70 and e["target_year"] == 2020
    assert e["baseline_period"] == "2015-H1" and e["baseline_value"] == 50
    assert math.isclose(e["gap"], 62 - 70)
    want = tg.expected_value(50, dt.date(2015, 6, 30), 70, dt.date(2020, 12, 31), dt.date(2017, 6, 30))
    assert math.isclose(e["expected"], want) and e["expected"] < 62 and e["status"] == "on track"
    slow = _families({"2015-H1": 500, "2017-H1": 540})
    assert an.evaluate_targets(slow, "Quảng Ninh", "2017-H1",
                               indicators=["learning_families_rate"]).iloc[0]["status"] == "behind"
    done = _families({"2015-H1": 500, "2017-H1": 700})
    assert an.evaluate_targets(done, "Quảng Ninh", "2017-H1",
                               indicators=["learning_families_rate"]).iloc[0]["status"] == "met"
    nothing = an.evaluate_targets(_families({"2015-H1": 500}), "Quảng Ninh", "2017-H1",
                                  indicators=["learning_families_rate"]).iloc[0]
    assert nothing["status"] is None and math.isnan(nothing["value"])


def test_which_targets_apply():
    cur = an.applicable_targets("2023-H1", indicators=["learning_families_rate"])
    assert list(cur["decision_id"]) == ["qd-387-2022"] and list(cur["year"]) == [2025]
    early = an.applicable_targets("2021-H1", indicators=["learning_families_rate"])
    assert list(early["decision_id"]) == ["qd-281-2014"]  # expired, but nothing newer issued yet
    late = an.applicable_targets("2026-H1", indicators=["learning_families_rate"])
    assert list(late["year"]) == [2026] and list(late["decision_id"]) == ["hkh-2021-2026"]
    mountain = an.applicable_targets("2019-H1", scope="mountainous", indicators=["learning_families_rate"])
    assert list(mountain["value"]) == [60]
    assert len(an.applicable_targets("2026-H1", which="all")) > len(an.applicable_targets("2026-H1"))


def test_an_evaluation_carries_its_map_and_accepts_periods():
    obs = _families({"2015-H1": 500, "2017-H1": 620})
    by_text = an.evaluate_targets(obs, "Quảng Ninh", "2017-H1", indicators=["learning_families_rate"])
    by_period = an.evaluate_targets(obs, "Quảng Ninh", Period(2017, 1), indicators=["learning_families_rate"])
    pd.testing.assert_frame_equal(by_text, by_period)
    assert by_text.attrs["edition"] == "2008" and list(by_text.columns) == an.TARGET_COLUMNS
    assert list(an.applicable_targets(Period(2023, 1), indicators=["learning_families_rate"])["year"]) == [2025]
    with pytest.raises(geo.EditionMismatchError):
        an.evaluate_targets(geo.with_edition(obs, "2008"), "Quảng Ninh", "2017-H1", edition="2025")


def test_applicable_targets_are_kept_but_handed_out_as_copies():
    first = an.applicable_targets("2019-H1", indicators=["learning_families_rate"])
    first.loc[:, "value"] = -1.0
    again = an.applicable_targets("2019-H1", indicators=("learning_families_rate",))
    assert (again["value"] > 0).all()
    mine = tg.load_targets()
    assert an.applicable_targets("2019-H1", targets=mine).equals(an.applicable_targets("2019-H1"))
