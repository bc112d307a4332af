"""What a batch leaves beside its reports: index.html for people, manifest.json for machines.

The index is the page leaders open first, a dashboard of the period: a map of
the headline rate where a click on a province opens its report (and the same
as a list, for keyboards and screen readers), every cluster's rate against the
country, and the reports that failed with the cell and the reason. It links
every report relatively (it works from disk, or copied to a USB stick) and is
one offline file (plotly.js inlined once). The manifest records the inputs
(store content hash, notebook hashes, versions) that made them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from markupsafe import Markup

from khanalytics import __version__
from khanalytics import geography as geo
from khanalytics.formatting import fmt_percent, fmt_points, no_data
from khanalytics.periods import Period
from khanalytics.report.factory import NOTEBOOKS, ReportResult, notebooks_dir
from khanalytics.report.pages import atomic_write_text, render
from khanalytics.report.params import KINDS

HEADLINE = "membership_rate"
"""The indicator the index maps and compares: members per population."""
MAP_ID = "kha-index-map"

_GROUP_LABELS = {"national": ("Cả nước", "Country"), "cluster": ("Cụm", "Clusters"),
                 "province": ("Tỉnh, thành phố", "Provinces")}


def versions() -> dict[str, str]:
    """The versions of the packages a report's numbers and pages depend on."""
    out = {"khanalytics": __version__, "python": sys.version.split()[0]}
    for name in ("pandas", "plotly", "duckdb", "papermill", "nbclient", "nbformat", "geopandas"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def _store_of(results: list[ReportResult], store: str | Path | None) -> Path | None:
    """The store the reports were made from (their parameters say it), when it is there to read."""
    named = {str(store)} if store else {str(r.parameters["store"]) for r in results if r.parameters.get("store")}
    path = Path(named.pop()) if len(named) == 1 else None
    return path if path is not None and path.exists() else None


def _edition_of(results: list[ReportResult], period: Period) -> str:
    """The map of the batch: the one its reports were asked for, else the period's own."""
    asked = {str(r.parameters.get("edition")) for r in results} - {"None", "", "auto"}
    return geo.check_edition(asked.pop()) if len(asked) == 1 else geo.edition_for(period)


def _links(results: list[ReportResult], out_dir: Path, key: str) -> dict[str, str]:
    """Relative links of the reports rendered, by province code or cluster slug."""
    return {str(r.parameters[key]): os.path.relpath(r.output, out_dir)
            for r in results if r.status == "ok" and r.parameters.get(key)}


def dashboard(results: list[ReportResult], out_dir: Path, *, period: Period, lang: str = "vi",
              store: str | Path | None = None) -> dict[str, Any] | None:
    """What the index shows above the list: the map (with a link per province), the province list and
    every cluster against the country; None without a store to read (the index is then only the list)."""
    from khanalytics import analysis, catalogue
    from khanalytics import clusters as clu
    from khanalytics import figures as fig
    from khanalytics.figures.offline import trace_types
    from khanalytics.report.assets import figure_div
    from khanalytics.report.inputs import load_store
    from khanalytics.report.sections import fixed_bins

    path = _store_of(results, store)
    if path is None:
        return None
    vi = lang != "en"
    obs = load_store(path).obs
    ed = _edition_of(results, period)
    label = catalogue.indicator(HEADLINE).label(lang)
    values = analysis.province_values(obs, HEADLINE, period, edition=ed)
    figure = fig.choropleth(values[["code", "value"]], edition=ed, indicator_label=label, lang=lang,
                            bins=fixed_bins(HEADLINE), title=f"{label} — {period.label(lang)}",
                            subtitle=("Bấm vào một tỉnh để mở báo cáo của tỉnh" if vi
                                      else "Click a province to open its report"),
                            height=620)
    province_links = _links(results, out_dir, "province")
    name_col = "name_en" if lang == "en" else "name"
    provinces = [{"name": str(r[name_col]), "value": fmt_percent(r["value"], 2, lang),
                  "link": province_links.get(str(r["code"]))}
                 for _, r in values.sort_values(name_col).iterrows()]
    cluster_links = _links(results, out_dir, "cluster")
    clusters = []
    for g in clu.load_clusters():
        row = analysis.compare(obs, HEADLINE, analysis.cluster(g.slug), period, edition=ed).iloc[0]
        gap = row["gap_national"]
        clusters.append({"name": g.name(lang), "link": cluster_links.get(g.slug),
                         "value": fmt_percent(row["value"], 2, lang),
                         "gap": fmt_points(gap, 2, lang, short=True),
                         "tone": "none" if math.isnan(float(gap)) else ("above" if gap >= 0 else "below"),
                         "reporting": f"{row['n_reporting']}/{row['n_members']}"})
    national = analysis.compare(obs, HEADLINE, analysis.country(), period, edition=ed).iloc[0]["value"]
    return {"map": figure_div(figure, div_id=MAP_ID), "map_id": MAP_ID, "map_links": province_links,
            "trace_types": trace_types(figure),
            "provinces": provinces, "clusters": clusters, "indicator": label,
            "national": fmt_percent(national, 2, lang), "no_data": no_data(lang)}


def write_index(results: Iterable[ReportResult], out_dir: Path, *, period: str | Period, lang: str = "vi",
                store_digest: str | None = None, store: str | Path | None = None) -> Path:
    """index.html: the period's dashboard (map, clusters, failures) over the list of every report with its
    status and a link (relative, works from disk). ``store``: where the figures come from (default: the
    store the reports name); without one the page is the list alone."""
    from khanalytics.report.assets import head_scripts

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
    p = Period.parse(period)
    label = p.label(lang)
    board = dashboard(results, out_dir, period=p, lang=lang, store=store)
    failed = [{"title": r.title, "cell": r.failing_cell, "error": (r.error or "")[:300]}
              for r in results if r.status != "ok"]
    text = render(
        "index.html.j2", lang=lang, scripts=head_scripts(board["trace_types"]) if board else Markup(""), board=board,
        failed=failed,
        words=_words(lang),
        title=f"Báo cáo khuyến học — {label}" if vi else f"Reports — {label}",
        summary=f"{ok}/{len(results)} báo cáo thành công" if vi else f"{ok}/{len(results)} reports rendered",
        groups=groups, failed_word="LỖI" if vi else "FAILED", cell_word="ô" if vi else "cell",
        hash_word="mã dữ liệu" if vi else "data hash", digest=(store_digest or "—")[:16], version=__version__,
        made=dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M"),
    )
    return atomic_write_text(out_dir / "index.html", text)


def _words(lang: str) -> dict[str, str]:
    """The index page's headings and column names in the page's language."""
    vi = {"map": "Bản đồ", "list": "Các tỉnh, thành (mở báo cáo)", "clusters": "Các cụm so với cả nước",
          "cluster": "Cụm", "rate": "Tỉ lệ", "gap": "So với cả nước", "reporting": "Tỉnh báo cáo",
          "national": "Cả nước", "failed": "Báo cáo chưa làm được", "reports": "Tất cả báo cáo",
          "why": "lý do"}
    en = {"map": "Map", "list": "Provinces (open a report)", "clusters": "Clusters against the country",
          "cluster": "Cluster", "rate": "Rate", "gap": "Against the country", "reporting": "Reporting",
          "national": "Vietnam", "failed": "Reports that failed", "reports": "All reports", "why": "reason"}
    return en if lang == "en" else vi


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
        "reports": [_record(r) for r in results],
    }
    return atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))


def _record(result: ReportResult) -> dict[str, Any]:
    """One report in the manifest: its result, and the digest of its data its footer shows."""
    from khanalytics.report.fingerprint import DATA_PARTS, data_digest

    out = asdict(result)
    if all(p in result.inputs for p in DATA_PARTS):
        out["data_digest"] = data_digest(result.inputs)
    return out
