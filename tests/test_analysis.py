"""Analysis: ratios of sums with coverage, comparisons, ranks, targets, the 2025 merger, the scorecard.

Unit and property tests use small observation frames built here by hand; the
last tests import the sample workbooks into a real store and check the
founding figures of the Cụm II meeting of November 2019.
"""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics import narrative as nr
from khanalytics import targets as tg
from khanalytics.formatting import fmt_percent
from khanalytics.periods import Period, half_years
from khanalytics.store import Store
from tests.sample_store import sample_files, sample_obs, sample_store  # noqa: F401 - session fixtures

CUM_II = ["06", "04", "19", "20", "22", "24", "30", "31"]
CUM_II_2025 = ["04", "19", "20", "22", "24", "31"]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def obs_frame(rows, kind="reported"):
    """rows: iterable of (code, period, element, value[, edition[, kind]]); edition defaults to the period's map."""
    out = []
    for r in rows:
        code, period, element, value = r[:4]
        edition = r[4] if len(r) > 4 else geo.edition_for(period)
        out.append({"edition": edition, "code": code, "period": period, "element": element, "value": float(value),
                    "kind": r[5] if len(r) > 5 else kind})
    return pd.DataFrame(out, columns=["edition", "code", "period", "element", "value", "kind"])


def membership(codes, period, members, population, **kw):
    rows = []
    for c, m, p in zip(codes, members, population, strict=True):
        rows += [(c, period, "members", m), (c, period, "population", p)]
    return obs_frame(rows, **kw)


def complete_country(period="2019-H1", seed=0, kind="reported"):
    rng = np.random.default_rng(seed)
    codes = geo.province_codes(geo.edition_for(period))
    pops = rng.integers(300_000, 8_000_000, len(codes))
    mems = (pops * rng.uniform(0.1, 0.35, len(codes))).astype(int)
    return membership(codes, period, mems, pops, kind=kind)


# --- aggregates ---------------------------------------------------------------------------------


counts = st.lists(st.tuples(st.integers(1, 3_000_000), st.integers(1, 5_000_000)), min_size=8, max_size=8)


@PROPERTY
@given(counts)
def test_cluster_rate_is_the_ratio_of_the_sums(pairs):
    members = [min(m, p) for m, p in pairs]
    population = [p for _, p in pairs]
    obs = membership(CUM_II, "2019-H1", members, population)
    row = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    assert row["numerator"] == sum(members) and row["denominator"] == sum(population)
    assert math.isclose(row["value"], sum(members) / sum(population) * 100, rel_tol=1e-12)
    assert (row["n_reporting"], row["n_members"], row["population_share"]) == (8, 8, 1.0)
    assert row["edition"] == "2008" and row["group_label"] == "Cụm II – Đông Bắc" and row["reason_vi"] is None


def test_the_mean_of_provincial_rates_is_not_the_cluster_rate():
    obs = membership(["22", "06"], "2019-H1", [300_000, 10_000], [1_000_000, 100_000])
    row = an.aggregate(obs, "membership_rate", ["Quảng Ninh", "Bắc Kạn"], "2019-H1").iloc[0]
    assert math.isclose(row["value"], 310_000 / 1_100_000 * 100)
    assert not math.isclose(row["value"], (30 + 10) / 2)


@PROPERTY
@given(st.sampled_from(CUM_II), st.sampled_from(["members", "population"]))
def test_dropping_a_member_empties_the_cluster_and_says_why(code, element):
    obs = complete_country()
    full = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    assert not math.isnan(full["value"])
    dropped = obs[~((obs["code"] == code) & (obs["element"] == element))]
    row = an.aggregate(dropped, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    name = geo.province_name(code, "2008")
    assert math.isnan(row["value"]) and row["n_reporting"] == 7 and row["missing"] == (code,)
    assert "7/8" in row["reason_vi"] and name in row["reason_vi"] and "8/8" in row["reason_vi"]
    assert "7 of 8" in row["reason_en"]
    assert name in row["missing_detail_vi"] and "không báo cáo" in row["missing_detail_vi"]
    assert row["numerator"] > 0  # the sums of the reporting members are still shown
    # a lower threshold is a choice the user makes, and the value then stands on 7 members
    lenient = an.aggregate(dropped, "membership_rate", "Cụm II", "2019-H1", threshold=an.Threshold(members=0.8)).iloc[0]
    assert not math.isnan(lenient["value"]) and lenient["reason_vi"] is None


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_country_needs_ninety_percent_of_the_population(seed):
    obs = complete_country(seed=seed % 1000)
    rng = np.random.default_rng(seed)
    pops = obs[obs["element"] == "population"].set_index("code")["value"]
    order = list(rng.permutation(pops.index))
    share, dropped = 1.0, []
    for code in order:  # drop provinces while at least 90 % of the population remains ...
        if share - pops[code] / pops.sum() < 0.9:
            break
        dropped.append(code)
        share -= pops[code] / pops.sum()
    def without(codes):  # the provinces still report their population, not their members
        return obs[~(obs["code"].isin(codes) & (obs["element"] == "members"))]

    row = an.aggregate(without(dropped), "membership_rate", "country", "2019-H1").iloc[0]
    assert not math.isnan(row["value"]) and math.isclose(row["population_share"], share)
    assert row["n_reporting"] == 63 - len(dropped)
    over = without([*dropped, code])  # ... and one more takes it below
    row = an.aggregate(over, "membership_rate", "country", "2019-H1").iloc[0]
    assert math.isnan(row["value"]) and "90 %" in row["reason_vi"] and "dân số" in row["reason_vi"]


def test_population_share_falls_back_on_the_official_population():
    obs = complete_country()
    missing = obs[~(obs["code"] == "22")]  # Quảng Ninh reported nothing, not even its population
    row = an.aggregate(missing, "membership_rate", "Cụm II", "2019-H1", threshold=an.Threshold()).iloc[0]
    pops = obs[obs["element"] == "population"].set_index("code")["value"]
    official = geo_population = an._official("2008", "22", 2019)[0]
    assert geo_population > 1_000_000
    reporting = sum(pops[c] for c in CUM_II if c != "22")
    assert math.isclose(row["population_share"], reporting / (reporting + official))
    pv = an.province_values(missing, "membership_rate", "2019-H1")
    qn = pv[pv["code"] == "22"].iloc[0]
    assert qn["coverage_population_source"] == "official" and not qn["reported"]


def test_a_province_is_its_own_group_and_any_synthetic_input_shows():
    obs = pd.concat([membership(["22"], "2019-H1", [1], [10]),
                     membership(["06"], "2019-H1", [1], [10], kind="synthetic")])
    qn = an.aggregate(obs, "membership_rate", "Quảng Ninh", "2019-H1").iloc[0]
    assert qn["group_kind"] == "province" and qn["value"] == 10 and not qn["synthetic"]
    both = an.aggregate(obs, "membership_rate", ["22", "06"], "2019-H1").iloc[0]
    assert both["synthetic"] and both["value"] == 10
    empty = an.aggregate(obs, "membership_rate", "Cao Bằng", "2019-H1").iloc[0]
    assert math.isnan(empty["value"]) and empty["reason_vi"] == "không báo cáo Hội viên, Dân số"
    assert empty["missing_detail_vi"].startswith("Cao Bằng: ") and "did not report" in empty["reason_en"]


def test_regions_and_counts():
    obs = complete_country()
    assert an.as_group("Đồng bằng sông Hồng").kind == "cluster"  # Cụm III carries the region's name ...
    region = an.aggregate(obs, "members", an.region("Đồng bằng sông Hồng"), "2019-H1").iloc[0]  # ... so say which
    codes = geo.regions("2008")["DBSH"]
    assert region["group_kind"] == "region" and region["n_members"] == len(codes)
    want = obs[(obs["element"] == "members") & obs["code"].isin(codes)]["value"].sum()
    assert region["value"] == want and math.isnan(region["denominator"])


def test_unknown_indicator_and_bad_frame_say_so():
    with pytest.raises(an.AnalysisError, match="membership_rate"):
        an.aggregate(complete_country(), "no_such_thing", "Cụm II")
    with pytest.raises(an.AnalysisError, match="value"):
        an.aggregate(pd.DataFrame({"edition": [], "code": []}), "membership_rate", "Cụm II")


# --- across the merger --------------------------------------------------------------------------


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


# --- comparisons, ranks, trend ---------------------------------------------------------------


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


# --- targets ------------------------------------------------------------------------------------


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


# --- scorecard ------------------------------------------------------------------------------------


def test_scorecard_is_tidy_and_compares_with_the_country_and_the_targets():
    obs = complete_country()
    obs = pd.concat([obs, complete_country("2018-H1", seed=3)])
    fam = []
    for i, c in enumerate(geo.province_codes("2008")):
        fam += [(c, "2019-H1", "learning_families_recognised", 600 + i * 3), (c, "2019-H1", "households", 1000),
                (c, "2015-H1", "learning_families_recognised", 600), (c, "2015-H1", "households", 1000)]
    obs = pd.concat([obs, obs_frame(fam)])
    sc = an.scorecard(obs, "2019-H1", group="Cụm II", indicators=["membership_rate", "learning_families_rate"])
    assert list(sc.columns) == an.SCORECARD_COLUMNS and len(sc) == 16
    assert set(sc["code"]) == set(CUM_II)
    assert set(sc["status"].dropna()) <= {"above", "below", "equal"} and (sc["status"] == sc["vs_national"]).all()
    rates = sc[sc["indicator"] == "membership_rate"]
    assert rates["vs_target"].isna().all() and rates["change"].notna().all()
    fam_rows = sc[sc["indicator"] == "learning_families_rate"].set_index("code")
    assert set(fam_rows["vs_target"]) <= {"met", "on track", "behind"} and fam_rows["target"].eq(70).all()
    i = geo.province_codes("2008").index("06")
    assert fam_rows.loc["06", "value"] == pytest.approx(60 + i * 0.3)
    assert fam_rows.loc["06", "vs_target"] == "behind"  # 60 % in 2015, the line to 70 % in 2020 is above 61 % by 2019
    nat = fam_rows["national"].iloc[0]
    for code, row in fam_rows.iterrows():
        want = "equal" if round(row["value"], 2) == round(nat, 2) else ("above" if row["value"] > nat else "below")
        assert row["vs_national"] == want, code


def test_quality_flags_for_a_group():
    flags = pd.DataFrame({"edition": ["2008", "2008", "2008"], "code": ["22", "01", "27"],
                          "period": ["2019-H1"] * 3, "message_vi": ["a", "b", "c"], "message_en": ["a", "b", "c"]})
    assert list(an.quality_flags(flags, "Cụm II", "2019-H1")["code"]) == ["22"]
    assert list(an.quality_flags(flags, "Cụm II", "2019-H1", edition="2025")["code"]) == ["22", "27"]


def test_load_observations_from_a_store(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("Tỉnh,Kỳ,Dân số,Hội viên\nCao Bằng,2019-H1,530341,120000\n", encoding="utf-8")
    with Store(tmp_path / "k.duckdb") as store:
        store.import_files([csv])
    obs = an.load_observations(tmp_path / "k.duckdb")
    row = an.aggregate(obs, "membership_rate", "Cao Bằng", "2019-H1").iloc[0]
    assert math.isclose(row["value"], 120000 / 530341 * 100) and not row["synthetic"]
    assert an.load_flags(tmp_path / "k.duckdb").empty


# --- the sample dataset: the founding figures -------------------------------------------------


def test_sample_cluster_ii_2019_h1(sample_obs):  # noqa: F811
    row = an.compare(sample_obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    assert row["edition"] == "2008" and (row["n_reporting"], row["n_members"]) == (8, 8)
    assert row["numerator"] == 2_265_712 and row["denominator"] == 9_414_026
    assert round(row["value"], 2) == 24.07 and round(row["national"], 2) == 20.72
    assert round(row["change_last_year"], 2) == 1.08 and row["synthetic"]
    ranked = an.ranks(sample_obs, "membership_rate", "2019-H1").set_index("code")
    assert round(ranked.loc["22", "value"], 1) == 31.8 and ranked.loc["22", "rank_cluster"] == 1
    mean_of_rates = ranked.loc[CUM_II, "value"].mean()
    assert abs(mean_of_rates - row["value"]) > 0.05  # a different number ...
    paragraph = nr.text(nr.cluster_summary(sample_obs, "Cụm II", "2019-H1"))
    assert fmt_percent(mean_of_rates, 2) not in paragraph  # ... used nowhere
    assert fmt_percent(mean_of_rates, 1) not in paragraph


def test_sample_cluster_ii_reconciles_across_the_two_maps(sample_obs):  # noqa: F811
    periods = [p.code for p in half_years("2015-H1", "2026-H1")]
    new = an.aggregate(sample_obs, "members", "Cụm II", periods, edition="2025").set_index("period")
    assert set(new["edition"]) == {"2025"} and new["value"].notna().all()
    assert all(parts == ("27",) for parts in new["outside_parts"])
    old = an.aggregate(sample_obs, "members", "Cụm II", periods, edition="2008").set_index("period")
    before = [p for p in periods if Period.parse(p) <= Period.parse("2025-H1")]
    after = [p for p in periods if p not in before]
    assert old.loc[before, "value"].notna().all() and old.loc[after, "value"].isna().all()
    assert all("không tách được" in d for d in old.loc[after, "missing_detail_vi"])
    # same territory on both maps: Cao Bằng, Lạng Sơn, Quảng Ninh give the same values throughout
    for indicator in ("members", "membership_rate"):
        on_2025 = an.province_values(sample_obs, indicator, periods, edition="2025")
        on_2008 = an.province_values(sample_obs, indicator, periods, edition="2008")
        for code in ("04", "20", "22"):
            a = on_2025[on_2025["code"] == code].set_index("period")["value"]
            b = on_2008[on_2008["code"] == code].set_index("period")["value"]
            assert a.notna().all() and (a == b).all(), (indicator, code)
    # before the reform the 2025-map cluster is the 2008-map cluster plus old Bắc Ninh (27), exactly
    bac_ninh = sample_obs[(sample_obs["code"] == "27") & (sample_obs["element"] == "members")
                          & (sample_obs["edition"] == "2008")].set_index("period")["value"]
    for p in before:
        assert new.loc[p, "value"] == old.loc[p, "value"] + bac_ninh[p], p
    rates = an.aggregate(sample_obs, "membership_rate", "Cụm II", periods, edition="2025")
    assert rates["value"].notna().all() and set(rates["edition"]) == {"2025"}
