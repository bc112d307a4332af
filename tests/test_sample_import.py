"""The demo goes through the real import path: the sample workbooks, the `khanalytics import` command, a fresh store."""

import subprocess
import sys
from pathlib import Path

from khanalytics.clusters import members
from khanalytics.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_import_sample_then_query_cluster_ii(tmp_path):
    files = sorted(str(p) for p in (ROOT / "data" / "sample").glob("bao_cao_*.xlsx"))
    assert len(files) == 23
    store = tmp_path / "fresh.duckdb"
    run = subprocess.run([sys.executable, "-m", "khanalytics", "import", *files, "--store", str(store)],
                         capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert run.returncode == 0, run.stdout + run.stderr
    with Store(store, read_only=True) as s:
        obs = s.observations(periods=["2019-H1"], codes=members("dong-bac", at="2019-H1"),
                             elements=["members", "population", "grassroots_associations", "branches",
                                       "promotion_boards"])
        sums = obs.groupby("element")["value"].sum().to_dict()
        assert sums == {"members": 2_265_712, "population": 9_414_026, "grassroots_associations": 1_631,
                        "branches": 22_328, "promotion_boards": 17_521}
        assert set(s.observations()["kind"]) == {"synthetic"}
        assert s.periods("2008")[0] == "2015-H1" and s.periods("2025") == ["2025-H2", "2026-H1"]
        before = s.content_hash()
    again = subprocess.run([sys.executable, "-m", "khanalytics", "import", files[0], "--store", str(store)],
                           capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert "already imported" in again.stdout
    with Store(store, read_only=True) as s:
        assert s.content_hash() == before
