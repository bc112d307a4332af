"""The sample dataset: the published figures hold exactly, the rest is plausible, and all of it says it is synthetic."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from khanalytics import catalogue, clusters, validate
from khanalytics import geography as geo
from khanalytics.io.read import read_file
from khanalytics.periods import Period, half_years
from khanalytics.population import official_population

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CUM_II = {"06", "04", "19", "20", "22", "24", "30", "31"}


def _generator():
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "scripts" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _generator()


@pytest.fixture(scope="module")
def panel(gen) -> pd.DataFrame:
    return gen.build_panel()


@pytest.fixture(scope="module")
def wide(panel) -> pd.DataFrame:
    return panel.pivot(index=["edition", "period", "code"], columns="element", values="value")


def _rate(wide, period, codes=None, edition="2008", num="members", den="population") -> float:
    rows = wide.loc[(edition, period)]
    if codes is not None:
        rows = rows.loc[sorted(codes)]
    return 100 * rows[num].sum() / rows[den].sum()


# --- the published figures, exactly -----------------------------------------------------------------------------


def test_cum_ii_is_the_packaged_cluster():
    assert set(clusters.members(2, at="2019-H1")) == CUM_II


def test_cum_ii_2019_totals_are_the_published_ones(wide):
    rows = wide.loc[("2008", "2019-H1")].loc[sorted(CUM_II)]
    assert rows["members"].sum() == 2_265_712
    assert rows["population"].sum() == 9_414_026
    assert rows["grassroots_associations"].sum() == 1_631
    assert rows["branches"].sum() == 22_328
    assert rows["promotion_boards"].sum() == 17_521
    assert round(_rate(wide, "2019-H1", CUM_II), 2) == 24.07


def test_rates_round_as_published(wide):
    rate_19, rate_18 = _rate(wide, "2019-H1", CUM_II), _rate(wide, "2018-H1", CUM_II)
    assert round(rate_18, 2) == 22.99
    assert 22.986 <= rate_18 <= 22.992
    assert round(rate_19 - rate_18, 2) == 1.08
    qn = _rate(wide, "2019-H1", {"22"})
    assert round(qn, 2) == 31.80 and round(qn, 1) == 31.8
    assert round(_rate(wide, "2019-H1"), 2) == 20.72
    assert round(_rate(wide, "2020-H2"), 2) == 21.89
    provincial = [_rate(wide, "2019-H1", {c}) for c in CUM_II]
    assert abs(np.mean(provincial) - rate_19) > 0.1  # the mean of rates is another number


def test_published_csv_agrees_with_the_panel(wide):
    pub = pd.read_csv(SAMPLE / "published.csv", dtype=str)
    assert set(pub["kind"]) == {"published"}
    assert pub["source"].str.len().min() > 10
    ii = pub[(pub["scope"] == "cluster") & (pub["area"] == "2") & (pub["period"] == "2019-H1")]
    rows = wide.loc[("2008", "2019-H1")].loc[sorted(CUM_II)]
    for element in ("members", "population", "grassroots_associations", "branches", "promotion_boards"):
        assert int(ii.loc[ii["code"] == element, "value"].iloc[0]) == rows[element].sum()
    known = set(catalogue.elements()) | set(catalogue.indicators()) | {"membership_rate_change"}
    assert set(pub["code"]) <= known
    assert len(pub[pub["figure"] == "target"]) == 20


# --- completeness and marking -------------------------------------------------------------------------------------


def test_every_province_period_and_element(panel):
    assert set(panel["kind"]) == {"synthetic"}
    assert panel["value"].dtype == np.int64 and (panel["value"] >= 0).all()
    assert not panel.duplicated(["edition", "code", "period", "element"]).any()
    elements = set(catalogue.elements())
    for p in half_years("2015-H1", "2026-H1"):
        edition = geo.edition_for(p)
        rows = panel[panel["period"] == p.code]
        assert set(rows["edition"]) == {edition}
        assert len(rows) == len(geo.province_codes(edition)) * len(elements)
        assert set(rows["code"]) == set(geo.province_codes(edition)) and set(rows["element"]) == elements


def test_deterministic_and_seeded(gen, panel):
    pd.testing.assert_frame_equal(gen.build_panel(), panel)
    other = gen.build_panel(seed=7)
    assert not other["value"].equals(panel["value"])
    gen._check(other)  # another seed still meets every published figure


def test_committed_panel_is_what_the_generator_makes(panel):
    committed = pd.read_parquet(SAMPLE / "panel.parquet")
    pd.testing.assert_frame_equal(
        committed,
        panel,
        check_dtype=False,
        obj="data/sample/panel.parquet (stale? run python scripts/generate_sample.py)",
    )


def _read_back(book: Path) -> pd.DataFrame:
    reading = read_file(book)
    assert reading.kind == "synthetic", book
    issues = validate.validate(reading)
    assert not [i for i in issues if i.severity == "error"], issues[:3]
    assert not [i for i in issues if i.rule == "population_far_from_official"], book
    return reading.values[["edition", "code", "period", "element", "value"]]


def _same_values(panel: pd.DataFrame, back: pd.DataFrame) -> None:
    part = panel[panel["period"].isin(set(back["period"]))]
    merged = part.merge(back, on=["edition", "code", "period", "element"], how="outer", suffixes=("", "_read"))
    assert len(merged) == len(part) == len(back)
    assert (merged["value"] == merged["value_read"]).all()


def test_workbooks_go_through_the_import_path_as_synthetic(gen, panel, tmp_path):
    written = gen.write_sample(tmp_path)
    books = sorted(p for p in written if p.suffix == ".xlsx")
    names = [f"bao_cao_{p.code}.xlsx" for p in half_years("2015-H1", "2026-H1")]
    assert [b.name for b in books] == names
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "panel.parquet"), panel, check_dtype=False)
    # reading every book takes ~10 s: the calibration periods and the first of the 2025 map are enough here
    for name in ("bao_cao_2018-H1.xlsx", "bao_cao_2025-H2.xlsx"):
        _same_values(panel, _read_back(tmp_path / name))
    assert sorted(p.name for p in SAMPLE.glob("bao_cao_*.xlsx")) == names


def test_committed_workbook_holds_the_founding_figures(panel):
    back = _read_back(SAMPLE / "bao_cao_2019-H1.xlsx")
    _same_values(panel, back)
    cum_ii = back[back["code"].isin(CUM_II)].groupby("element")["value"].sum()
    assert (cum_ii["members"], cum_ii["population"]) == (2_265_712, 9_414_026)


# --- plausibility -------------------------------------------------------------------------------------------------


def test_titles_and_counts_hold_together(wide):
    for title in catalogue.titles().values():
        assert (wide[title.recognised] <= wide[title.registered]).all(), title.code
        assert (wide[title.registered] <= wide[title.total]).all(), title.code
    assert (wide["learning_communes_kha"] + wide["learning_communes_tot"] <= wide["communes"]).all()
    assert (wide["grassroots_associations"] <= wide["communes"]).all()
    assert (wide["learning_centres"] <= wide["communes"]).all()
    assert (wide["promotion_boards"] <= wide["units"]).all()
    assert (wide["working_age_population"] < wide["population"]).all()
    assert (wide["scholarships_vnd"] < wide["fund_raised_vnd"]).all()


def test_reported_population_within_ten_percent_of_official(panel):
    pop = panel[panel["element"] == "population"]
    for edition, code, period, value in pop[["edition", "code", "period", "value"]].itertuples(index=False):
        official, _ = official_population(edition, code, Period.parse(period).end.year)
        assert abs(value / official - 1) <= 0.10, (edition, code, period, value, official)
    cum_ii = pop[(pop["period"] == "2019-H1") & pop["code"].isin(CUM_II)]["value"].sum()
    official = sum(official_population("2008", c, 2019)[0] for c in CUM_II)
    assert round(100 * (cum_ii / official - 1), 1) == -5.7


def test_rates_spread_like_the_published_ones(wide):
    rates = 100 * wide["members"] / wide["population"]
    assert rates.min() >= 7 and rates.max() <= 43
    assert 27.3 <= _rate(wide, "2018-H2", {"30"}) <= 28.3  # Hải Dương 2018: 27,8 %
    assert 33.2 <= _rate(wide, "2025-H2", {"22"}, edition="2025") <= 34.2  # Quảng Ninh 2025: 33,7 %
    families = _rate(wide, "2020-H2", num="learning_families_recognised", den="households")
    assert 68 <= families <= 76  # published 72,11 % for 2012–2020
    registered = _rate(wide, "2020-H2", num="learning_families_registered", den="households")
    assert registered > families


def test_smooth_half_years(wide):
    rates = (100 * wide["members"] / wide["population"]).loc["2008"].unstack("period")
    steps = rates.diff(axis=1).iloc[:, 1:]
    assert steps.abs().max().max() < 1.5  # points per half-year


def test_2025_map_continues_the_old_provinces(wide):
    cw = geo.crosswalk().set_index("code_2008")["code_2025"]
    before = wide.loc[("2008", "2025-H1")].groupby(cw).sum()
    after = wide.loc[("2025", "2025-H2")]
    for element in ("members", "population", "branches", "households", "units", "learning_families_recognised"):
        change = after[element] / before.loc[after.index, element] - 1
        assert change.between(-0.02, 0.05).all(), (element, change.describe())
    # communes follow the 2025 commune map (3.321), not the old sum
    assert after["communes"].sum() == 3_321 and before["communes"].sum() > 10_000
    same = ["04", "20", "22"]  # Cao Bằng, Lạng Sơn, Quảng Ninh: same territory on both maps
    assert (wide.loc[("2008", "2025-H1")].loc[same, "members"] < after.loc[same, "members"]).all()
