"""Ingest speed and memory, printed as wall time, peak memory and ratios to a baseline run in this process.

1. 63 province workbooks for one period (one sheet, one province each):
   khanalytics' read + validate + store, against a baseline that only opens
   the same workbooks with openpyxl (the floor any xlsx importer pays).
2. A commune-level panel (10.599 communes × 23 half-years × 20 elements ≈ 4,9
   million values): load into the store and aggregate to provinces, against a
   baseline pandas groupby of the same frame in memory.

Targets on a 2-core machine: 63 workbooks under 5 s; the commune load and
aggregation under 10 s; peak memory under 2 GB.

    python benchmarks/ingest.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.io.template import write_report_workbook
from khanalytics.periods import half_years
from khanalytics.store import Store


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn):
    """Wall time, then the Python heap's peak in a second run under tracemalloc (which slows it down)."""
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    return out, seconds


def _traced_peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def _workbooks(folder: Path) -> list[Path]:
    rng = np.random.default_rng(63)
    elements = list(catalogue.elements())
    paths = []
    for code in geo.province_codes("2008"):
        values = pd.DataFrame({"code": code, "element": elements,
                               "value": rng.integers(1_000, 2_000_000, len(elements)).astype(float)})
        paths.append(write_report_workbook(folder / f"tinh_{code}.xlsx", period="2019-H1", values=values,
                                           province=code, kind="synthetic"))
    return paths


def _commune_panel(n_communes: int = 10_599, n_elements: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(10599)
    codes = np.array(geo.province_codes("2008"))
    province_of = codes[rng.integers(0, len(codes), n_communes)]
    periods = [p.code for p in half_years("2014-H1", "2025-H1")]
    elements = list(catalogue.elements())[:n_elements]
    n = n_communes * len(periods) * len(elements)
    commune_idx = np.repeat(np.arange(n_communes), len(periods) * len(elements))
    return pd.DataFrame({
        "edition": "2008",
        "code": pd.Categorical(province_of[commune_idx]),
        "commune": pd.Categorical(np.char.add("X", commune_idx.astype(str))),
        "period": pd.Categorical(np.tile(np.repeat(periods, len(elements)), n_communes)),
        "element": pd.Categorical(np.tile(elements, n_communes * len(periods))),
        "value": rng.integers(0, 5_000, n).astype(float),
    })


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _workbooks(folder)

        _, base_s = _timed(lambda: [openpyxl.load_workbook(p, data_only=True) for p in paths])

        def ours(name="bench.duckdb"):
            with Store(folder / name) as store:
                return store.import_files(paths)

        results, ours_s = _timed(ours)
        ours_mb = _traced_peak_mb(lambda: ours("traced.duckdb"))
        n_values = sum(r.n_values for r in results)
        print(f"63 workbooks: {n_values} values, {ours_s:.2f} s (target < 5 s), traced peak {ours_mb:.0f} MB")
        print(f"  baseline openpyxl open only: {base_s:.2f} s;"
              f" ratio ours/baseline {ours_s / base_s:.2f}")

        panel = _commune_panel()
        print(f"commune panel: {len(panel):,} values".replace(",", "."))
        _, pandas_s = _timed(lambda: panel.groupby(["edition", "code", "period", "element"], observed=True)["value"].sum())

        def load_and_aggregate():
            with Store(folder / "communes.duckdb") as store:
                store.load_commune_panel(panel, name="communes.parquet", kind="synthetic")
                return store.commune_totals()

        totals, load_s = _timed(load_and_aggregate)
        expected = panel.groupby(["code", "period", "element"], observed=True)["value"].sum()
        got = totals.set_index(["code", "period", "element"])["value"]
        assert np.allclose(got.sort_index().values, expected.sort_index().values), "aggregation disagrees with pandas"
        print(f"  load + aggregate to {len(totals)} province values: {load_s:.2f} s (target < 10 s)")
        print(f"  baseline pandas groupby in memory: {pandas_s:.2f} s; ratio ours/baseline {load_s / pandas_s:.1f}")
    print(f"peak resident memory of this process: {_peak_rss_mb():.0f} MB (target < 2048 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
