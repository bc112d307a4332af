"""Aggregates: ratios of sums over the members that reported, coverage thresholds, reasons."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.analysis import lookups
from tests.analysis_frames import CUM_II, PROPERTY, complete_country, membership

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
    official = geo_population = lookups.official("2008", "22", 2019)[0]
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


def test_a_list_of_indicators_is_one_long_frame(sample_obs):
    codes = ["membership_rate", "learning_families_rate", "members"]
    long = an.aggregate(sample_obs, codes, "dong-bac", ["2018-H1", "2019-H1"])
    assert list(long.columns) == an.AGGREGATE_COLUMNS and len(long) == 6 and long.attrs["edition"] == "2008"
    for code in codes:
        one = an.aggregate(sample_obs, code, "dong-bac", ["2018-H1", "2019-H1"])
        pd.testing.assert_frame_equal(long[long["indicator"] == code].reset_index(drop=True), one)
    compared = an.compare(sample_obs, codes, "dong-bac", "2019-H1")
    assert list(compared["indicator"]) == codes and list(compared.columns) == an.COMPARE_COLUMNS
    with pytest.raises(an.AnalysisError, match="empty list"):
        an.compare(sample_obs, [], "dong-bac", "2019-H1")


def test_kept_aggregates_follow_the_frame_and_are_handed_out_as_copies():
    obs = complete_country()
    first = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1")
    want = first.copy()
    first["value"] = -1.0  # editing a result changes nothing for the next call
    pd.testing.assert_frame_equal(an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1"), want)
    members = (obs["code"] == "22") & (obs["element"] == "members")
    obs.loc[members, "value"] = obs.loc[members, "value"] + 1000  # the same frame object, edited in place
    after = an.aggregate(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]
    assert math.isclose(after["numerator"], want.iloc[0]["numerator"] + 1000)
    # the country's figure, asked through compare (which shares the kept aggregates), moved too
    national = an.compare(obs, "membership_rate", "Cụm II", "2019-H1").iloc[0]["national"]
    assert national == an.aggregate(obs, "membership_rate", "VN", "2019-H1").iloc[0]["value"]


def test_kept_aggregates_know_the_clusters_file(tmp_path):
    from importlib import resources

    import yaml

    obs = complete_country()
    whole = an.aggregate(obs, "members", "Cụm II", "2019-H1").iloc[0]
    data = yaml.safe_load(resources.files("khanalytics.reference").joinpath("clusters.yaml").read_text("utf-8"))
    dong_bac = next(c for c in data["clusters"] if c["number"] == 2)
    old = next(m for m in dong_bac["memberships"] if m["edition"] == "2008")
    old["members"] = [c for c in old["members"] if c != "22"]  # Quảng Ninh left out
    path = tmp_path / "clusters.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fewer = an.aggregate(obs, "members", "Cụm II", "2019-H1", clusters_path=path).iloc[0]
    assert "22" in whole["reporting"] and "22" not in fewer["reporting"]
    assert fewer["value"] < whole["value"]
    assert an.aggregate(obs, "members", "Cụm II", "2019-H1").iloc[0]["value"] == whole["value"]
