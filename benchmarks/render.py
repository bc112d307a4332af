"""Rendering a period's full report set two ways in one run, printed as wall times and their ratio.

1. The baseline: for each report, the `papermill` command, then
   `jupyter nbconvert --to html --no-input`, one after another (a new kernel
   and a new Python per report, as a shell loop would do).
2. `khanalytics render-all`: warm kernels in parallel, our own HTML export
   (``--force``: every report, as on a first run).
3. `render-all` again with nothing changed: every report kept (its inputs'
   digests are those of the manifest), nothing written.

Targets (issue 14) on a 2-core machine: at least 25× faster than the
baseline; at most 0,5 s per report amortised; each HTML file at most 1,5 MB;
the run with nothing changed in about a second.

    python benchmarks/render.py [--period 2019-H1] [--baseline-sample N]

The baseline over all 72 reports takes a quarter of an hour; --baseline-sample N
times N of them (spread over the three kinds) and scales to the full set, and
says so in the output.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _sample_store(folder: Path) -> Path:
    from khanalytics.store import Store

    store = folder / "sample.duckdb"
    with Store(store) as s:
        s.import_files(sorted((ROOT / "data" / "sample").glob("bao_cao_*.xlsx")))
    return store


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def baseline(jobs, folder: Path) -> float:
    """papermill then nbconvert --no-input, per report, sequentially; returns seconds."""
    start = time.perf_counter()
    for i, job in enumerate(jobs):
        executed = folder / f"run_{i}.ipynb"
        args = [str(BIN / "papermill"), str(job.notebook), str(executed), "--cwd", str(ROOT), "-k", "python3",
                "--no-progress-bar"]
        for key, value in job.parameters.items():
            args += ["-y", json.dumps({key: value})]
        subprocess.run(args, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                        "--output-dir", str(folder)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", default="2019-H1")
    parser.add_argument("--baseline-sample", type=int, default=0, help="time only N baseline reports and scale")
    args = parser.parse_args()

    from khanalytics import report as reports
    from khanalytics.report.params import KINDS

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _sample_store(folder)
        out = folder / "reports"
        start = time.perf_counter()
        results, index = reports.render_all(args.period, store=store, out_dir=out, progress=False, force=True)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        again, _ = reports.render_all(args.period, store=store, out_dir=out, progress=False)
        idle = time.perf_counter() - start
        kept = sum(r.action == "unchanged" for r in again)
        ok = [r for r in results if r.status == "ok"]
        sizes = [r.bytes or 0 for r in ok]
        n = len(results)

        jobs = reports.plan_all(args.period, store=store, out_dir=folder / "baseline")
        if args.baseline_sample and args.baseline_sample < len(jobs):
            by_kind = {k: [j for j in jobs if j.kind == k] for k in KINDS}
            picked = []
            while len(picked) < args.baseline_sample:
                for kind in KINDS:
                    if by_kind[kind] and len(picked) < args.baseline_sample:
                        picked.append(by_kind[kind].pop(0))
            sample_s = baseline(picked, folder)
            base = sample_s / len(picked) * len(jobs)
            how = f"timed on {len(picked)} reports and scaled to {len(jobs)}"
        else:
            base = baseline(jobs, folder)
            how = f"all {len(jobs)} reports"

    print(f"period {args.period}: {n} reports ({len(ok)} ok)")
    print(f"baseline papermill + nbconvert --no-input, sequential: {base:.1f} s ({how})")
    print(f"khanalytics render-all: {ours:.1f} s")
    print(f"ratio baseline / render-all: {base / ours:.1f}× (target ≥ 25)")
    print(f"seconds per report, amortised: {ours / n:.2f} s (target ≤ 0,5)")
    print(f"largest HTML: {max(sizes) / 1e6:.2f} MB (target ≤ 1,5 MB); median {sorted(sizes)[len(sizes) // 2] / 1e6:.2f} MB")
    print(f"render-all again, nothing changed: {idle:.2f} s, {kept}/{len(again)} reports kept (in this process; "
          "the command adds its start-up)")
    print(f"peak memory of a child process (kernels, workers, tools): {_children_peak_mb():.0f} MB; "
          f"this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0 if len(ok) == n else 1


if __name__ == "__main__":
    sys.exit(main())
