"""The report factory: parameterised notebooks executed, then exported to one offline HTML file each.

A single report runs through papermill. A whole period (the country, every
cluster and every province) runs on warm kernels, one per worker process:
papermill parameterises each notebook and nbclient executes it on a kernel
that has already imported the library, which is where most of a report's
time would otherwise go. Export is our own: the outputs of the notebook (no
code) are laid into a page with plotly.js inlined once, so the file opens from
disk with no network, on a phone or printed on A4.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
from markdown_it import MarkdownIt

from khanalytics import __version__
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.periods import Period

KINDS = ("national", "cluster", "province")
NOTEBOOKS = {"cluster": "cluster_report.ipynb", "province": "province_profile.ipynb", "national": "national_overview.ipynb"}
PLOTLY_MIME = "application/vnd.plotly.v1+json"
RESET_TAG = "khanalytics-reset"
DEFAULT_STORE = Path("data/khanalytics.duckdb")


class ReportError(RuntimeError):
    """A report failed; says which cell and why."""

    def __init__(self, message: str, *, cell: int | None = None, ename: str | None = None, evalue: str | None = None):
        super().__init__(message)
        self.cell = cell
        self.ename = ename
        self.evalue = evalue


def notebooks_dir() -> Path:
    """Where the report notebooks live: $KHANALYTICS_NOTEBOOKS, else the source tree's notebooks/."""
    env = os.environ.get("KHANALYTICS_NOTEBOOKS")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "notebooks"


def slug(text: str) -> str:
    """A safe ASCII file name part, whatever the text holds ("Cụm II – Đông Bắc" → "cum-ii-dong-bac")."""
    s = unicodedata.normalize("NFKD", str(text).replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s[:80] or "report"


@dataclass
class ReportJob:
    kind: str
    parameters: dict[str, Any]
    output: Path
    title: str

    @property
    def notebook(self) -> Path:
        return notebooks_dir() / NOTEBOOKS[self.kind]


@dataclass
class ReportResult:
    kind: str
    title: str
    output: str
    status: str  # "ok" or "failed"
    seconds: float
    parameters: dict[str, Any]
    error: str | None = None
    failing_cell: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _resolve_edition(period: str, edition: str | None) -> str:
    if edition in (None, "", "auto"):
        return geo.edition_for(Period.parse(period))
    return geo.check_edition(edition)


def plan(kind: str, *, period: str, key: str | None = None, edition: str | None = "auto", lang: str = "vi",
         store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports",
         extra: dict[str, Any] | None = None) -> ReportJob:
    """The job for one report: its notebook parameters, title and output path (an ASCII slug)."""
    if kind not in KINDS:
        raise ReportError(f"Loại báo cáo không hợp lệ {kind!r}; chọn một trong {KINDS} / unknown report kind")
    p = Period.parse(period)
    if not p.is_half_year:
        raise ReportError(f"Báo cáo theo kỳ 6 tháng: dùng {p.year}-H2 cho số liệu cả năm / reports are half-yearly: "
                          f"use {p.year}-H2 for the year")
    ed = _resolve_edition(p.code, edition)
    params: dict[str, Any] = {"period": p.code, "edition": edition or "auto", "lang": lang, "store": str(store)}
    if kind == "cluster":
        group = clu.load_clusters().get(key or "dong-bac")
        params["cluster"] = group.slug
        title, name = group.name(lang), f"cum-{group.number}-{slug(group.slug)}"
    elif kind == "province":
        code = geo.resolve_province(key, edition=ed)
        params["province"] = code
        title, name = geo.province_name(code, ed, lang), f"tinh-{ed}-{code}-{slug(geo.province_name(code, ed))}"
    else:
        title, name = ("Cả nước" if lang == "vi" else "Vietnam"), "ca-nuoc"
    params.update(extra or {})
    output = report_folder(out_dir, p.code, lang=lang, edition=edition) / f"{name}.html"
    return ReportJob(kind, params, output, f"{title} — {p.label(lang)}")


def report_folder(out_dir: str | Path, period: str, *, lang: str = "vi", edition: str | None = "auto") -> Path:
    """reports/<period>/ for the default (Vietnamese, the period's own map); a sub-folder per language or map
    otherwise, so that variants never overwrite each other (nor each other's index)."""
    folder = Path(out_dir) / Period.parse(period).code
    if lang != "vi":
        folder /= lang
    if edition not in (None, "", "auto") and geo.check_edition(edition) != geo.edition_for(Period.parse(period)):
        folder /= f"ban-do-{edition}"
    return folder


def plan_all(period: str, *, store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports", lang: str = "vi",
             edition: str | None = "auto") -> list[ReportJob]:
    """The country, every cluster and every province of the period's map."""
    ed = _resolve_edition(period, edition)
    jobs = [plan("national", period=period, edition=edition, lang=lang, store=store, out_dir=out_dir)]
    for group in clu.load_clusters():
        jobs.append(plan("cluster", key=group.slug, period=period, edition=edition, lang=lang, store=store,
                         out_dir=out_dir))
    for code in geo.province_codes(ed):
        jobs.append(plan("province", key=code, period=period, edition=edition, lang=lang, store=store,
                         out_dir=out_dir))
    return jobs


# --- execution -----------------------------------------------------------------------------------


def _declared_parameters(path: Path) -> set[str]:
    import papermill as pm

    return set(pm.inspect_notebook(str(path)))


def check_parameters(job: ReportJob) -> None:
    """Unknown parameter names stop the run before a kernel starts (papermill only warns)."""
    declared = _declared_parameters(job.notebook)
    unknown = sorted(set(job.parameters) - declared)
    if unknown:
        raise ReportError(
            f"Tham số không có trong {job.notebook.name}: {', '.join(unknown)}; các tham số: {', '.join(sorted(declared))} / "
            f"unknown parameters {unknown}; valid: {sorted(declared)}"
        )


def _failing_cell(nb: nbformat.NotebookNode) -> tuple[int | None, str | None, str | None]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, out.get("ename"), out.get("evalue")
    return None, None, None


def execute_papermill(job: ReportJob, *, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Execute one notebook with papermill (a fresh kernel)."""
    import papermill as pm

    check_parameters(job)
    try:
        return pm.execute_notebook(str(job.notebook), None, parameters=job.parameters, progress_bar=False,
                                   kernel_name="python3", cwd=str(cwd or Path.cwd()), log_output=False)
    except pm.PapermillExecutionError as err:
        raise ReportError(f"Ô {err.exec_count} lỗi / cell {err.exec_count} failed: {err.ename}: {err.evalue}",
                          cell=err.cell_index, ename=err.ename, evalue=err.evalue) from None


class WarmKernel:
    """A kernel kept alive across notebooks; each run starts from an emptied namespace."""

    def __init__(self, cwd: Path | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager

        self.cwd = cwd or Path.cwd()
        self.km = AsyncKernelManager(kernel_name="python3")
        self.kc = None

    def execute(self, job: ReportJob) -> nbformat.NotebookNode:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        check_parameters(job)
        nb = load_notebook_node(str(job.notebook))  # papermill's reader: every cell gets its tags list
        nb = parameterize_notebook(nb, job.parameters, kernel_name="python3", language="python")
        reset = nbformat.v4.new_code_cell("%reset -f", metadata={"tags": [RESET_TAG]})
        nb.cells.insert(0, reset)
        client = NotebookClient(nb, km=self.km, kc=self.kc, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(self.cwd)}})
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up chatter; errors come as messages
        except CellExecutionError as err:
            nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
            cell, ename, evalue = _failing_cell(nb)  # numbered as papermill does: injected parameters included
            raise ReportError(f"Ô {cell} lỗi / cell {cell} failed: {ename}: {evalue}", cell=cell, ename=ename,
                              evalue=evalue) from err
        finally:
            self.kc = client.kc
        nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
        return nb

    def shutdown(self) -> None:
        import asyncio

        if self.kc is not None:
            self.kc.stop_channels()
        if self.km.has_kernel:
            asyncio.run(self.km.shutdown_kernel(now=True))


# --- export ------------------------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def _plotly_block(spec: dict, index: int) -> str:
    from plotly.io.json import to_json_plotly

    from khanalytics.htmlpage import FIGURE_CONFIG

    div_id = f"kha-fig-{index}"
    height = (spec.get("layout") or {}).get("height")
    style = f' style="height:{int(height)}px"' if isinstance(height, int | float) else ""
    payload = to_json_plotly({"data": spec.get("data", []), "layout": spec.get("layout", {}),
                              "config": FIGURE_CONFIG}).replace("</", "<\\/")
    return (f'<div class="kha-figure"><div id="{div_id}" class="plotly-graph-div kha-plot"{style}></div>'
            f"<script>(function(){{var s={payload};var gd=document.getElementById('{div_id}');"
            "Plotly.newPlot(gd,s.data,s.layout,s.config).then(function(){if(window.khaAdapt){khaAdapt(gd);}});"
            "})();</script></div>")


def notebook_blocks(nb: nbformat.NotebookNode) -> tuple[list[str], bool]:
    """The visible parts of an executed notebook, in order, as HTML; and whether any is a figure.

    Markdown cells are prose (raw HTML in them is escaped). Of code cells: HTML built by report_parts
    (marked in the output's metadata; it escapes every data string) goes in as is; plotly figures are
    drawn; images and markdown are kept; any other HTML or a value's repr is shown as escaped text.
    Code, streams and warnings never reach the page.
    """
    blocks, figures = [], 0
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"remove", "hide", "parameters", "injected-parameters", RESET_TAG}:
            continue
        if cell.cell_type == "markdown":
            blocks.append(f'<section class="kha-prose">{_MD.render(cell.source)}</section>')
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                figures += 1
                blocks.append(_plotly_block(data[PLOTLY_MIME], figures))
            elif "text/html" in data and out.get("metadata", {}).get("khanalytics", {}).get("escaped"):
                blocks.append(str(data["text/html"]))
            elif "text/html" in data or "text/plain" in data:  # HTML we did not build: shown as text, never run
                text = data.get("text/plain") or re.sub(r"<[^>]+>", " ", str(data["text/html"]))
                blocks.append(f'<pre class="kha-output">{html.escape(str(text))}</pre>')
            elif "image/png" in data:
                blocks.append(f'<img class="kha-image" alt="" src="data:image/png;base64,{data["image/png"]}">')
            elif "text/markdown" in data:
                blocks.append(_MD.render(str(data["text/markdown"])))
    return blocks, figures > 0


REPORT_CSS = """
.kha-prose h1{margin-top:0}
.kha-prose p{max-width:72ch}
.kha-figure{margin:10px 0 18px;break-inside:avoid}
.kha-image{max-width:100%}
pre.kha-output{white-space:pre-wrap;font-size:.85rem;background:#F5F7FA;padding:8px;overflow-x:auto}
table.kha-table{border-collapse:collapse;font-size:.9rem;margin:8px 0 16px;width:100%}
table.kha-table th,table.kha-table td{border-bottom:1px solid #E4E7EB;padding:4px 6px;text-align:right}
table.kha-table th:first-child,table.kha-table td:first-child{text-align:left}
.kha-table-wrap{overflow-x:auto}
.kha-downloads a{display:inline-block;margin:0 10px 6px 0}
@media print{.kha-downloads{display:none}}
"""


def export_html(nb: nbformat.NotebookNode, *, title: str, lang: str = "vi") -> str:
    """One self-contained page from an executed notebook (our template: no code, no CDN)."""
    from khanalytics.htmlpage import PAGE_CSS, head_scripts

    blocks, has_figures = notebook_blocks(nb)
    scripts = str(head_scripts()) if has_figures else ""
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{PAGE_CSS}\n{REPORT_CSS}</style>",
        scripts,
        "</head>",
        "<body><main>",
        *blocks,
        "</main></body>",
        "</html>",
        "",
    ])


def _write(job: ReportJob, nb: nbformat.NotebookNode) -> tuple[int, str]:
    from khanalytics.htmlpage import atomic_write_text

    text = export_html(nb, title=job.title, lang=job.parameters.get("lang", "vi"))
    path = atomic_write_text(job.output, text)
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def render(job: ReportJob, *, kernel: WarmKernel | None = None) -> ReportResult:
    """Execute and export one report; a failure is returned (with its cell), never half-written."""
    start = time.perf_counter()
    try:
        nb = kernel.execute(job) if kernel is not None else execute_papermill(job)
        size, digest = _write(job, nb)
        return ReportResult(job.kind, job.title, str(job.output), "ok", time.perf_counter() - start, job.parameters,
                            bytes=size, sha256=digest)
    except ReportError as err:
        return ReportResult(job.kind, job.title, str(job.output), "failed", time.perf_counter() - start,
                            job.parameters, error=str(err), failing_cell=err.cell)
    except Exception as err:  # a report must not stop the batch
        return ReportResult(job.kind, job.title, str(job.output), "failed", time.perf_counter() - start,
                            job.parameters, error=f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}")


# --- batches ------------------------------------------------------------------------------------------------

_WORKER_KERNEL: WarmKernel | None = None


def _worker_init(cwd: str) -> None:
    from multiprocessing.util import Finalize

    global _WORKER_KERNEL
    _WORKER_KERNEL = WarmKernel(Path(cwd))
    # pool workers leave through os._exit, so atexit never runs; multiprocessing's finalizers do
    Finalize(_WORKER_KERNEL, _WORKER_KERNEL.shutdown, exitpriority=10)


def _worker_render(job: ReportJob) -> ReportResult:
    return render(job, kernel=_WORKER_KERNEL)


def render_many(jobs: Sequence[ReportJob], *, workers: int | None = None,
                on_done: Callable[[ReportResult], None] | None = None) -> list[ReportResult]:
    """Render jobs in parallel on warm kernels, one per worker process; failures do not stop the others."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: list[ReportResult] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(str(Path.cwd()),)) as pool:
        futures = {pool.submit(_worker_render, job): job for job in jobs}
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_done:
                on_done(result)
    order = {str(j.output): i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.output])


def _versions() -> dict[str, str]:
    out = {"khanalytics": __version__, "python": sys.version.split()[0]}
    for name in ("pandas", "plotly", "duckdb", "papermill", "nbclient", "nbformat", "geopandas"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def store_hash(store: str | Path) -> str | None:
    from khanalytics.store import Store

    path = Path(store)
    if not path.exists():
        return None
    with Store(path, read_only=True) as s:
        return s.content_hash()


def write_index(results: Iterable[ReportResult], out_dir: Path, *, period: str, lang: str = "vi",
                store_digest: str | None = None) -> Path:
    """An index.html listing every report with its status and a link (relative, works from disk)."""
    from khanalytics.htmlpage import PAGE_CSS, atomic_write_text

    vi = lang != "en"
    labels = {"national": "Cả nước" if vi else "Country", "cluster": "Cụm" if vi else "Clusters",
              "province": "Tỉnh, thành phố" if vi else "Provinces"}
    rows = []
    results = list(results)
    for kind in KINDS:
        items = [r for r in results if r.kind == kind]
        if not items:
            continue
        rows.append(f"<h2>{html.escape(labels[kind])}</h2><ul class='kha-index'>")
        for r in items:
            link = os.path.relpath(r.output, out_dir)
            if r.status == "ok":
                rows.append(f'<li><a href="{html.escape(link)}">{html.escape(r.title)}</a></li>')
            else:
                cell = f" (ô {r.failing_cell})" if r.failing_cell is not None else ""
                rows.append(f'<li class="kha-failed">{html.escape(r.title)} — <strong>{"LỖI" if vi else "FAILED"}'
                            f"</strong>{html.escape(cell)}: <code>{html.escape((r.error or '')[:300])}</code></li>")
        rows.append("</ul>")
    ok = sum(r.status == "ok" for r in results)
    title = f"Báo cáo khuyến học — {Period.parse(period).label('vi')}" if vi else f"Reports — {Period.parse(period).label('en')}"
    summary = (f"{ok}/{len(results)} báo cáo thành công" if vi else f"{ok}/{len(results)} reports rendered")
    made = dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    text = "\n".join([
        "<!DOCTYPE html>", f'<html lang="{html.escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{html.escape(title)}</title>",
        f"<style>{PAGE_CSS}\n.kha-failed{{color:#B00020}}.kha-index li{{margin:4px 0}}</style></head>",
        f"<body><main><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>", *rows,
        f'<footer class="kha-footer">khanalytics {html.escape(__version__)} · {html.escape(made)} · '
        f"{'mã dữ liệu' if vi else 'data hash'} {html.escape((store_digest or '—')[:16])}</footer>",
        "</main></body></html>", ""])
    return atomic_write_text(out_dir / "index.html", text)


def write_manifest(results: Iterable[ReportResult], out_dir: Path, *, period: str, store: str | Path,
                   store_digest: str | None, seconds: float) -> Path:
    from khanalytics.htmlpage import atomic_write_text

    manifest = {
        "period": period,
        "made_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "inputs": {"store": str(store), "store_content_sha256": store_digest, "versions": _versions(),
                   "notebooks": {k: hashlib.sha256((notebooks_dir() / v).read_bytes()).hexdigest()
                                 for k, v in NOTEBOOKS.items() if (notebooks_dir() / v).exists()}},
        "reports": [asdict(r) for r in results],
    }
    return atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))


def render_all(period: str, *, store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports", lang: str = "vi",
               edition: str | None = "auto", workers: int | None = None, progress: bool = True,
               kinds: Sequence[str] = KINDS) -> tuple[list[ReportResult], Path]:
    """Every report of a period, in parallel, then index.html and manifest.json. Returns results and the index."""
    out = Path(out_dir)
    jobs = [j for j in plan_all(period, store=store, out_dir=out, lang=lang, edition=edition) if j.kind in kinds]
    start = time.perf_counter()
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
            task = bar.add_task(f"Báo cáo {period}", total=len(jobs))
            results = render_many(jobs, workers=workers, on_done=lambda r: bar.advance(task))
    else:
        results = render_many(jobs, workers=workers)
    digest = store_hash(store)
    folder = report_folder(out, period, lang=lang, edition=edition)
    index = write_index(results, folder, period=period, lang=lang, store_digest=digest)
    write_manifest(results, folder, period=period, store=store, store_digest=digest,
                   seconds=time.perf_counter() - start)
    return results, index
