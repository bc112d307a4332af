"""What a batch leaves beside its reports: index.html for people, manifest.json for machines.

The index links every report relatively (it works from disk, or copied to a
USB stick) and says which failed, in which cell; the manifest records the
inputs (store content hash, notebook hashes, versions) that made them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from khanalytics import __version__
from khanalytics.periods import Period
from khanalytics.report.factory import NOTEBOOKS, ReportResult, notebooks_dir
from khanalytics.report.pages import atomic_write_text, render
from khanalytics.report.params import KINDS

_GROUP_LABELS = {"national": ("Cả nước", "Country"), "cluster": ("Cụm", "Clusters"),
                 "province": ("Tỉnh, thành phố", "Provinces")}


def versions() -> dict[str, str]:
    """The versions of the packages a report's numbers and pages depend on."""
    out = {"khanalytics": __version__, "python": sys.version.split()[0]}
    for name in ("pandas", "plotly", "duckdb", "papermill", "nbclient", "nbformat", "geopandas"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def store_hash(store: str | Path) -> str | None:
    """The store's content hash (None when there is no store)."""
    from khanalytics.store import Store

    path = Path(store)
    if not path.exists():
        return None
    with Store(path, read_only=True) as s:
        return s.content_hash()


def write_index(results: Iterable[ReportResult], out_dir: Path, *, period: str | Period, lang: str = "vi",
                store_digest: str | None = None) -> Path:
    """An index.html listing every report with its status and a link (relative, works from disk)."""
    vi = lang != "en"
    results = list(results)
    groups = []
    for kind in KINDS:
        items = [r for r in results if r.kind == kind]
        if items:
            groups.append({"label": _GROUP_LABELS[kind][0 if vi else 1], "results": [
                {"ok": r.status == "ok", "title": r.title, "link": os.path.relpath(r.output, out_dir),
                 "cell": r.failing_cell, "error": (r.error or "")[:300]} for r in items]})
    ok = sum(r.status == "ok" for r in results)
    label = Period.parse(period).label(lang)
    text = render(
        "index.html.j2", lang=lang, scripts="",
        title=f"Báo cáo khuyến học — {label}" if vi else f"Reports — {label}",
        summary=f"{ok}/{len(results)} báo cáo thành công" if vi else f"{ok}/{len(results)} reports rendered",
        groups=groups, failed_word="LỖI" if vi else "FAILED", cell_word="ô" if vi else "cell",
        hash_word="mã dữ liệu" if vi else "data hash", digest=(store_digest or "—")[:16], version=__version__,
        made=dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M"),
    )
    return atomic_write_text(out_dir / "index.html", text)


def write_manifest(results: Iterable[ReportResult], out_dir: Path, *, period: str | Period, store: str | Path,
                   store_digest: str | None, seconds: float) -> Path:
    """manifest.json: what was rendered, from which inputs, with which versions, and how each report went."""
    folder = notebooks_dir()
    manifest = {
        "period": Period.parse(period).code,
        "made_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "inputs": {"store": str(store), "store_content_sha256": store_digest, "versions": versions(),
                   "notebooks": {k: hashlib.sha256((folder / v).read_bytes()).hexdigest()
                                 for k, v in NOTEBOOKS.items() if (folder / v).exists()}},
        "reports": [asdict(r) for r in results],
    }
    return atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
