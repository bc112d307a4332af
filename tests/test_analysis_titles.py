"""The titles over time, per group and for the country, and the targets that apply (analysis.titles)."""

from __future__ import annotations

import pytest

from khanalytics import analysis, catalogue

TITLES = list(catalogue.titles())

def test_title_trends_gives_each_title_recognised_and_registered_for_group_and_country(sample_obs) -> None:
    frame = analysis.title_trends(sample_obs, "dong-bac", "2019-H1", last=4)
    assert frame.attrs["edition"] == "2008"
    assert list(dict.fromkeys(frame["title"])) == TITLES == ["families", "clans", "communities", "units", "citizens"]
    assert set(frame["measure"]) == {"recognised", "registered"}
    assert list(dict.fromkeys(frame["group"])) == ["dong-bac", "VN"]
    assert list(dict.fromkeys(frame["period"])) == ["2017-H2", "2018-H1", "2018-H2", "2019-H1"]
    # the same ratio of sums as analysis.aggregate: the dashboard draws the figures the rest of the report uses
    families = analysis.aggregate(sample_obs, "learning_families_rate", "dong-bac", "2019-H1").iloc[0]["value"]
    mine = frame.query("title == 'families' and measure == 'recognised' and group == 'dong-bac' "
                       "and period == '2019-H1'")["value"].iloc[0]
    assert mine == pytest.approx(families)
    ahead = frame.query("measure == 'registered'").set_index(["group", "title", "period"])["value"]
    behind = frame.query("measure == 'recognised'").set_index(["group", "title", "period"])["value"]
    assert (ahead >= behind).all()  # registered first, recognised after
    country = analysis.title_trends(sample_obs, "country", "2019-H1", last=2, titles=["units"])
    assert set(country["group"]) == {"VN"} and len(country) == 2 * 2  # the country once


def test_title_trends_across_the_reform_is_one_map_and_starts_with_data(sample_obs) -> None:
    frame = analysis.title_trends(sample_obs, "dong-bac", "2026-H1")
    assert set(frame["edition"]) == {"2025"} and frame.attrs["edition"] == "2025"
    assert list(dict.fromkeys(frame["period"]))[0] == "2021-H2" and len(set(frame["period"])) == 10
    early = analysis.title_trends(sample_obs, "dong-bac", "2015-H2", last=10)
    assert sorted(set(early["period"])) == ["2015-H1", "2015-H2"]  # the sample starts in 2015: no empty periods


def test_title_targets_are_the_ones_ahead_named_by_decision() -> None:
    then = analysis.title_targets("2019-H1")
    assert list(then["title"]) == ["families", "clans", "communities", "units"]  # citizens: no target yet
    assert set(then["label"]) == {"QĐ 281"} and set(then["year"]) == {2020}
    assert dict(zip(then["title"], then["value"], strict=True)) == {"families": 70, "clans": 50, "communities": 60,
                                                                     "units": 50}
    now = analysis.title_targets("2025-H1")
    families = now[now["title"] == "families"]
    assert list(zip(families["label"], families["year"], strict=True)) == [
        ("QĐ 387", 2025), ("Hội 2021–2026", 2026), ("QĐ 387", 2030)]
    assert set(now.loc[now["title"] == "citizens", "value"]) == {40.0, 50.0}
    assert analysis.decision_short("281/QĐ-TTg", lang="en") == "Decision 281"
    later = analysis.title_targets("2031-H1")  # every target expired: each title's latest one still shows
    assert dict(zip(later["title"], later["year"], strict=True)) == {"families": 2030, "clans": 2030,
                                                                     "communities": 2030, "units": 2030,
                                                                     "citizens": 2026}
