"""Observation frames: read from a store, normalised once, never changed in place."""

import math

import pandas as pd
import pytest

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.analysis.observations import content_key, normalise, periods_in
from khanalytics.errors import KhanalyticsError
from khanalytics.periods import Period
from khanalytics.store import Store
from tests.analysis_frames import complete_country, obs_frame


def test_load_observations_from_a_store(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("Tỉnh,Kỳ,Dân số,Hội viên\nCao Bằng,2019-H1,530341,120000\n", encoding="utf-8")
    with Store(tmp_path / "k.duckdb") as store:
        store.import_files([csv])
    obs = an.load_observations(tmp_path / "k.duckdb")
    row = an.aggregate(obs, "membership_rate", "Cao Bằng", "2019-H1").iloc[0]
    assert math.isclose(row["value"], 120000 / 530341 * 100) and not row["synthetic"]
    assert an.load_flags(tmp_path / "k.duckdb").empty


def test_a_frame_without_the_columns_is_refused_in_both_languages():
    with pytest.raises(an.AnalysisError) as err:
        an.province_values(pd.DataFrame({"edition": ["2008"], "code": ["22"]}), "members")
    e = err.value
    assert isinstance(e, KhanalyticsError) and isinstance(e, ValueError) and e.rule == "missing_columns"
    assert "thiếu cột" in e.vi and "lacks columns" in e.en and "/" not in e.en and "lacks" not in e.vi


def test_the_content_key_follows_the_values_not_the_object():
    data = normalise(complete_country())
    assert content_key(data) == content_key(data.copy())
    edited = data.copy()
    edited.loc[0, "value"] += 1
    assert content_key(edited) != content_key(data)
    assert content_key(geo.with_edition(data.copy(), "2008")) != content_key(data)


def test_periods_are_parsed_once_and_kept_in_order():
    data = normalise(obs_frame([("22", "2019 H2", "members", 1), ("22", "2019-H1", "members", 1)]))
    assert list(data["period"]) == ["2019-H2", "2019-H1"]
    assert periods_in(data, None) == [Period(2019, 1), Period(2019, 2)]
    assert periods_in(data, ["2019-H2", Period(2019, 1), "2019-h2"]) == [Period(2019, 1), Period(2019, 2)]
