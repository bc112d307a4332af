"""Issue 11, item 4: no silent wrong map. Each case gets the right value or a clear error, on the sample store."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from khanalytics import analysis as an
from khanalytics import clusters, figures, narrative
from khanalytics import geography as geo
from khanalytics.errors import ParameterError
from khanalytics.periods import Period, PeriodError, half_year
from khanalytics.report.params import make_params, parse_cluster
from khanalytics.report.sections import trend_frame

ROOT = Path(__file__).resolve().parents[1]


def _rate(obs: pd.DataFrame, edition: str, codes: list[str], period: str) -> float:
    """The membership rate of some provinces straight from the stored rows: members / population × 100."""
    rows = obs[(obs["edition"] == edition) & obs["code"].isin(codes) & (obs["period"] == period)]
    sums = rows.groupby("element")["value"].sum()
    return sums["members"] / sums["population"] * 100


# --- a name is read on the map of the period asked for ---------------------------------------------------------


def test_bac_ninh_in_2026_is_the_new_province(sample_obs):
    row = an.compare(sample_obs, "membership_rate", "Bắc Ninh", "2026-H1").iloc[0]
    assert (row["group"], row["edition"]) == ("24", "2025")
    assert math.isclose(row["value"], _rate(sample_obs, "2025", ["24"], "2026-H1"))
    agg = an.aggregate(sample_obs, "membership_rate", "Bắc Ninh", "2026-H1").iloc[0]
    assert agg["group"] == "24" and math.isclose(agg["value"], row["value"])


def test_bac_ninh_in_2019_is_the_old_province_unless_a_map_is_given(sample_obs):
    old = an.compare(sample_obs, "membership_rate", "Bắc Ninh", "2019-H1").iloc[0]
    assert old["group"] == "27" and math.isclose(old["value"], _rate(sample_obs, "2008", ["27"], "2019-H1"))
    new = an.compare(sample_obs, "membership_rate", "Bắc Ninh", "2019-H1", edition="2025").iloc[0]
    # new Bắc Ninh before the reform: its two old parts, Bắc Ninh (27) and Bắc Giang (24)
    assert new["group"] == "24" and math.isclose(new["value"], _rate(sample_obs, "2008", ["24", "27"], "2019-H1"))


def test_over_both_maps_a_name_is_the_latest_periods_territory(sample_obs):
    rows = an.aggregate(sample_obs, "membership_rate", "Bắc Ninh", ["2019-H1", "2026-H1"])
    assert set(rows["group"]) == {"24"} and rows["value"].notna().all()
    assert math.isclose(rows.iloc[0]["value"], _rate(sample_obs, "2008", ["24", "27"], "2019-H1"))


def test_a_name_gone_from_the_periods_map_is_a_clear_error(sample_obs):
    with pytest.raises(geo.ProvinceNameError, match="Tuyên Quang") as err:
        an.compare(sample_obs, "membership_rate", "Hà Giang", "2026-H1")
    assert "2025" in err.value.en
    assert an.compare(sample_obs, "membership_rate", "Hà Giang", "2026-H1", edition="2008").iloc[0]["group"] == "02"


def test_the_narrative_names_the_periods_province(sample_obs):
    headline = narrative.summary(sample_obs, "Bắc Ninh", "2026-H1", lang="en").set_index("topic").loc["headline", "text"]
    value = _rate(sample_obs, "2025", ["24"], "2026-H1")
    assert "Bac Ninh" in headline and f"{value:.2f}" in headline  # the new province's rate, not old Bắc Ninh's NaN


# --- one rule for bare numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["2", 2, "1", 8])
def test_a_number_that_is_a_cluster_and_a_province_is_refused_with_both(spec):
    with pytest.raises(an.AnalysisError) as err:
        an.as_group(spec)
    e = err.value
    n = int(spec)
    assert e.rule == "ambiguous_group"
    assert clusters.load_clusters().get(n).name_vi in e.vi and f"cụm {n}" in e.vi and f"tỉnh {n:02d}" in e.vi
    assert f"cluster:{n}" in e.en and f"province:{n:02d}" in e.en


def test_the_ambiguous_number_stops_every_function_that_takes_a_group(sample_obs):
    for call in (lambda: an.compare(sample_obs, "membership_rate", "2", "2019-H1"),
                 lambda: an.trend(sample_obs, "membership_rate", "2", "2019-H1"),
                 lambda: narrative.summary(sample_obs, "2", "2019-H1")):
        with pytest.raises(an.AnalysisError, match="Hà Giang"):
            call()


@pytest.mark.parametrize("spec, kind, key", [
    ("cụm 2", "cluster", "dong-bac"), ("cluster:2", "cluster", "dong-bac"), ("Cụm II", "cluster", "dong-bac"),
    ("tỉnh 02", "province", "02"), ("province:02", "province", "02"), ("02", "province", "02"),
    ("3", "cluster", "dong-bang-song-hong"),  # no province 03 on either map
    ("22", "province", "22"), (22, "province", "22"),  # no cluster 22
    ("province:22", "province", "22"), ("cluster:dong-bac", "cluster", "dong-bac"), ("country:VN", "country", "VN"),
])
def test_the_explicit_forms_and_the_unambiguous_numbers(spec, kind, key):
    g = an.as_group(spec, edition="2008")
    assert (g.kind, g.key) == (kind, key)


def test_where_only_a_cluster_is_possible_a_number_is_the_cluster():
    assert an.cluster("2").key == "dong-bac" and clusters.load_clusters().get("2").slug == "dong-bac"
    assert parse_cluster("2") == "dong-bac"  # --cluster 2, the notebooks' cluster parameter
    assert make_params("cluster", period="2019-H1", cluster="2").cluster == "dong-bac"


def test_trend_series_keys_read_back_as_their_groups(sample_obs):
    series = trend_frame(sample_obs, "membership_rate", "dong-bac", "cluster", "2019-H1", last=2)
    for key in series["key"].unique():
        g = an.as_group(key, edition="2008")
        assert f"{g.kind}:{g.key}" == key


# --- a frame of one map is not drawn on the other ----------------------------------------------------------------


@pytest.fixture(scope="module")
def values_2026(sample_obs):
    return an.province_values(sample_obs, "membership_rate", "2026-H1")


def _unmarked(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.attrs = {}
    return out


@pytest.mark.parametrize("columns, evidence", [
    (["code", "value", "edition"], "2025"),  # the mark or the edition column (the house rule)
    (["code", "period", "value"], "2026-H1"),  # unmarked, but its period is on the 2025 map
    (["code", "value"], "34"),  # unmarked, exactly the 34 codes of the new map
    (["code", "name", "value"], "Bắc Ninh (24)"),  # unmarked, a name that gives its code only on the 2025 map
])
@pytest.mark.parametrize("draw", [figures.choropleth, figures.tile_map])
def test_a_2026_frame_is_refused_on_the_2008_map(values_2026, columns, evidence, draw):
    frame = _unmarked(values_2026[columns]) if "edition" not in columns else values_2026[columns]
    with pytest.raises(geo.EditionMismatchError) as err:
        draw(frame, edition="2008", indicator_label="x")
    assert evidence in err.value.vi or evidence in err.value.en


def test_a_few_provinces_named_on_the_other_map_are_refused(values_2026):
    frame = _unmarked(values_2026.loc[values_2026["code"].isin(["24", "22"]), ["code", "name", "value"]])
    with pytest.raises(geo.EditionMismatchError, match="Bắc Ninh"):
        figures.tile_map(frame, edition="2008", indicator_label="x")


def test_a_2019_frame_is_refused_on_the_2025_map(sample_obs):
    old = _unmarked(an.province_values(sample_obs, "membership_rate", "2019-H1")[["code", "value"]])
    with pytest.raises(geo.EditionMismatchError, match="02"):
        figures.tile_map(old, edition="2025", indicator_label="x")


def test_on_its_own_map_new_bac_ninh_gets_its_own_value(values_2026):
    fig = figures.tile_map(_unmarked(values_2026[["code", "period", "name", "value"]]), edition="2025",
                           indicator_label="x")
    hover = [h for row in fig.data[0].customdata for h in row if h]
    value = values_2026.set_index("code").loc["24", "value"]
    assert f"Bắc Ninh: {value:.2f}".replace(".", ",") + " %" in hover
    # a marked 2008 frame (harmonised, say) is taken at its word even with exactly the 34 codes
    marked = geo.with_edition(_unmarked(values_2026[["code", "value"]]), "2008")
    assert figures.tile_map(marked, edition="2008", indicator_label="x") is not None


def _last_cell_figure(period: str, obs: pd.DataFrame):
    """Run the explore notebook's last cell as it is written, with the names the cells before it define."""
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    tree = ast.parse("".join(nb["cells"][-1]["source"]))
    tree.body[-1] = ast.Assign([ast.Name("figure", ast.Store())], tree.body[-1].value, lineno=0)
    namespace = {"analysis": an, "clusters": clusters, "geography": geo, "obs": obs, "period": period}
    exec(compile(ast.fix_missing_locations(tree), "explore.ipynb", "exec"), namespace)
    return namespace["figure"]


@pytest.mark.parametrize("period, n", [("2019-H1", 63), ("2026-H1", 34)])
def test_the_explore_notebook_draws_each_period_on_its_own_map(sample_obs, period, n):
    fig = _last_cell_figure(period, sample_obs)
    trace = next(t for t in fig.data if t.type == "choropleth")
    assert len(trace.locations) == n
    bac_ninh = dict(zip(trace.locations, trace.hovertext, strict=True))["24" if n == 34 else "27"]
    assert bac_ninh.startswith("Bắc Ninh: ")


# --- one rule for years ----------------------------------------------------------------------------------------


def test_period_error_lists_the_half_years():
    with pytest.raises(PeriodError) as err:
        Period.parse("2019-H3")
    assert "2019-H1" in err.value.en and "2019-H2" in err.value.en and "'2019'" not in err.value.en
    assert half_year("2019-H2") == Period(2019, 2)


CALLS_WITH_A_YEAR = {
    "compare": lambda obs: an.compare(obs, "membership_rate", "dong-bac", "2019"),
    "compare list": lambda obs: an.compare(obs, "membership_rate", "dong-bac", ["2019-H1", "2019"]),
    "aggregate": lambda obs: an.aggregate(obs, "membership_rate", "dong-bac", "2019"),
    "province_values": lambda obs: an.province_values(obs, "membership_rate", "2019"),
    "ranks": lambda obs: an.ranks(obs, "membership_rate", "2019"),
    "trend": lambda obs: an.trend(obs, "membership_rate", "dong-bac", "2019"),
    "scorecard": lambda obs: an.scorecard(obs, "2019"),
    "evaluate_targets": lambda obs: an.evaluate_targets(obs, "dong-bac", "2019"),
    "quality_flags": lambda obs: an.quality_flags(pd.DataFrame({"edition": ["2008"]}), "dong-bac", "2019"),
    "summary": lambda obs: narrative.cluster_summary(obs, "dong-bac", "2019"),
    "trend_frame": lambda obs: trend_frame(obs, "membership_rate", "dong-bac", "cluster", "2019"),
}


@pytest.mark.parametrize("name", list(CALLS_WITH_A_YEAR))
def test_a_year_is_refused_everywhere_with_the_half_year_to_ask_for(sample_obs, name):
    with pytest.raises(PeriodError) as err:
        CALLS_WITH_A_YEAR[name](sample_obs)
    assert err.value.rule == "year_not_half_year"
    assert "'2019-H2'" in err.value.vi and "'2019-H2'" in err.value.en and "31/12/2019" in err.value.vi


def test_the_reports_say_the_same_for_a_year():
    with pytest.raises(ParameterError) as err:
        make_params("national", period="2019")
    assert err.value.rule == "bad_parameter" and "'2019-H2'" in err.value.en


def test_the_year_rule_names_the_h2_figures_that_exist(sample_obs):
    row = an.compare(sample_obs, "membership_rate", "dong-bac", "2019-H2").iloc[0]
    assert not math.isnan(row["value"])  # what the error points to holds figures
