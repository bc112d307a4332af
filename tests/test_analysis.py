"""Analysis as a whole: the public API, and the founding figures of the Cụm II meeting of November 2019 from the
sample workbooks imported into a real store.
"""

import importlib
import inspect

from khanalytics import analysis as an
from khanalytics import narrative as nr
from khanalytics.errors import KhanalyticsError
from khanalytics.formatting import fmt_percent
from khanalytics.periods import Period, half_years
from tests.analysis_frames import CUM_II
from tests.sample_store import sample_files, sample_obs, sample_store  # noqa: F401 - session fixtures


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


USED_ELSEWHERE = [  # names the reports, the command line, the notebooks and the tests call through the package
    "AGGREGATE_COLUMNS", "DEFAULT_INDICATORS", "DEFAULT_THRESHOLDS", "HARMONISED_COLUMNS", "KEY", "SCORECARD_COLUMNS",
    "TARGET_COLUMNS", "AnalysisError", "Group", "Measure", "Threshold", "aggregate", "applicable_targets", "as_group",
    "change", "cluster", "compare", "country", "evaluate_targets", "harmonise", "load_flags", "load_observations",
    "measure", "members_on", "province", "province_list", "province_values", "quality_flags", "ranks", "region",
    "scorecard", "territory_note", "trend",
]


def test_the_public_api_is_curated_and_documented():
    assert set(USED_ELSEWHERE) <= set(an.__all__)
    for name in an.__all__:
        obj = getattr(an, name)
        assert obj is not None, name
        if callable(obj):
            assert (obj.__doc__ or "").strip(), name
    assert issubclass(an.AnalysisError, KhanalyticsError) and issubclass(an.AnalysisError, ValueError)
    for room in ("observations", "measures", "groups", "harmonise", "values", "aggregates", "comparisons",
                 "targets", "scorecard", "quality"):
        module = importlib.import_module(f"khanalytics.analysis.{room}")
        assert f"``{room}``" in an.__doc__ and (module.__doc__ or "").strip(), room
        assert len(inspect.getsource(module).splitlines()) < 400, room
