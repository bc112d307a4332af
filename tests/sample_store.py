"""The sample workbooks imported once per test session into a fresh store in a temporary directory.

Import the fixture into a test module (``from tests.sample_store import sample_store, sample_obs``);
kept out of conftest.py so that modules that do not need it do not pay for it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from khanalytics.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def sample_files() -> list[Path]:
    return sorted(SAMPLE.glob("*.xlsx"))


_BUILT: dict[str, object] = {}  # one store per session, even when several modules import the fixture


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """Path of a store holding every sample workbook (data/sample/*.xlsx)."""
    files = sample_files()
    if not files:
        pytest.fail("data/sample/*.xlsx missing: run python scripts/generate_sample.py")
    if "path" not in _BUILT:
        path = tmp_path_factory.mktemp("sample") / "s.duckdb"
        with Store(path) as store:
            store.import_files(files)
        _BUILT["path"] = path
    return _BUILT["path"]


@pytest.fixture(scope="session")
def sample_obs(sample_store: Path) -> pd.DataFrame:
    """The current observations of the sample store, with provenance."""
    if "obs" not in _BUILT:
        with Store(sample_store, read_only=True) as store:
            _BUILT["obs"] = store.observations()
    return _BUILT["obs"].copy()
