"""The report factory: parameterised notebooks executed by papermill, then exported to one HTML file each.

A single report runs through papermill on a fresh kernel. A whole period (the
country, every cluster and every province) runs on warm kernels, one per
worker process: papermill executes each notebook on a kernel manager that
has already imported the library (``execute_notebook(..., km=...)``), which
is where most of a report's time would otherwise go. Export is our own
(:mod:`khanalytics.report.export`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError, ParameterError
from khanalytics.periods import Period
from khanalytics.report.params import DEFAULT_STORE, KINDS, ReportParams, make_params
from khanalytics.text import slug

if TYPE_CHECKING:
    import nbformat

NOTEBOOKS = {"cluster": "cluster_report.ipynb", "province": "province_profile.ipynb", "national": "national_overview.ipynb"}
KERNEL = "python3"


class ReportError(KhanalyticsError, RuntimeError):
    """A report failed; says which cell (numbered as papermill numbers them) and why."""

    rule = "report_failed"

    def __init__(self, vi: str, en: str | None = None, *, cell: int | None = None, ename: str | None = None,
                 evalue: str | None = None, **context: Any) -> None:
        super().__init__(vi, en, cell=cell, **context)
        self.cell = cell
        self.ename = ename
        self.evalue = evalue


def shipped_dir(inside: str, source: str) -> Path:
    """A folder the package ships: ``khanalytics/<inside>`` when installed from a wheel, else the source tree's
    ``<source>`` (an editable install or a checkout, where setup.py has not copied it into the package)."""
    package = Path(__file__).resolve().parents[1]
    installed = package / inside
    return installed if installed.is_dir() else package.parent / source


def notebooks_dir() -> Path:
    """Where the report notebooks live: $KHANALYTICS_NOTEBOOKS (your own copies), else those of the package."""
    env = os.environ.get("KHANALYTICS_NOTEBOOKS")
    return Path(env) if env else shipped_dir("notebooks", "notebooks")


class NotebooksExistError(KhanalyticsError, FileExistsError):
    """Copying the notebooks would overwrite a file someone may have edited."""

    rule = "file_exists"


def copy_notebooks(folder: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Copy the package's notebooks into ``folder`` for an analyst to edit; never overwrites unless asked.

    ``khanalytics render`` then uses the copies when $KHANALYTICS_NOTEBOOKS names the folder.
    """
    sources = sorted(shipped_dir("notebooks", "notebooks").glob("*.ipynb"))
    target = Path(folder)
    existing = [target / s.name for s in sources if (target / s.name).exists()]
    if existing and not overwrite:
        names = ", ".join(p.name for p in existing)
        raise NotebooksExistError(f"Đã có {names} trong {target}: không ghi đè (thêm --force để ghi đè).",
                                  f"{names} already in {target}: not overwritten (add --force to overwrite).",
                                  file=str(target))
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(s, target / s.name)) for s in sources]


@dataclass
class ReportJob:
    """One report to make: its typed parameters, title and output file.

    ``extra`` holds raw notebook parameters passed through unparsed (for notebooks of your own that
    declare more parameters); the notebook validates them itself.
    """

    params: ReportParams
    output: Path
    title: str
    extra: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # digests by part (report.fingerprint), when known

    @property
    def kind(self) -> str:
        """national, cluster or province."""
        return self.params.kind

    @property
    def parameters(self) -> dict[str, Any]:
        """What papermill injects into the notebook."""
        return {**self.params.notebook_parameters(), **self.extra}

    @property
    def notebook(self) -> Path:
        """The notebook this report is made from."""
        return notebooks_dir() / NOTEBOOKS[self.kind]


@dataclass
class ReportResult:
    """How one report went: ok with its size and hash, or failed with the cell and the error."""

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
    inputs: dict[str, str] = field(default_factory=dict)
    action: str = "rendered"  # or "unchanged": kept from an earlier run whose inputs were the same
    reasons: list[str] = field(default_factory=list)  # why it was rendered: changed parts, "new", "missing"…


def plan(kind: str, *, period: str | Period, key: str | None = None, edition: str | None = "auto", lang: str = "vi",
         store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports",
         extra: dict[str, Any] | None = None) -> ReportJob:
    """The job for one report: its parameters (parsed here, once), title and output path (an ASCII slug).

    A bad value raises ReportError (also a ParameterError's words: the value and the valid choices).
    """
    try:
        params = make_params(kind, period=period, edition=edition, lang=lang, store=store,
                             cluster=key if kind == "cluster" else None, province=key if kind == "province" else None)
    except ParameterError as err:
        raise ReportError(err.vi, err.en, rule=err.rule, **err.context) from None
    return job_for(params, out_dir=out_dir, extra=extra)


def job_for(params: ReportParams, *, out_dir: str | Path = "reports", extra: dict[str, Any] | None = None) -> ReportJob:
    """The job of already parsed parameters."""
    lang, ed = params.lang, params.edition
    if params.kind == "cluster":
        group = clu.load_clusters().get(params.cluster)
        title, name = group.name(lang), f"cum-{group.number}-{slug(group.slug)}"
    elif params.kind == "province":
        code = params.province
        title, name = geo.province_name(code, ed, lang), f"tinh-{ed}-{code}-{slug(geo.province_name(code, ed))}"
    else:
        title, name = ("Cả nước" if lang == "vi" else "Vietnam"), "ca-nuoc"
    folder = report_folder(out_dir, params.period, lang=lang, edition=params.edition_choice)
    return ReportJob(params, folder / f"{name}.html", f"{title} — {params.period.label(lang)}", dict(extra or {}))


def report_folder(out_dir: str | Path, period: str | Period, *, lang: str = "vi", edition: str | None = "auto") -> Path:
    """reports/<period>/ for the default (Vietnamese, the period's own map); a sub-folder per language or map
    otherwise, so that variants never overwrite each other (nor each other's index)."""
    p = Period.parse(period)
    folder = Path(out_dir) / p.code
    if lang != "vi":
        folder /= lang
    if edition not in (None, "", "auto") and geo.check_edition(edition) != geo.edition_for(p):
        folder /= f"ban-do-{edition}"
    return folder


def plan_all(period: str | Period, *, store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports",
             lang: str = "vi", edition: str | None = "auto") -> list[ReportJob]:
    """The country, every cluster and every province of the period's map."""
    national = make_params("national", period=period, edition=edition, lang=lang, store=store)
    jobs = [job_for(national, out_dir=out_dir)]
    for group in clu.load_clusters():
        jobs.append(job_for(make_params("cluster", period=national.period, edition=edition, lang=lang, store=store,
                                        cluster=group.slug), out_dir=out_dir))
    for code in geo.province_codes(national.edition):
        jobs.append(job_for(make_params("province", period=national.period, edition=edition, lang=lang, store=store,
                                        province=code), out_dir=out_dir))
    return jobs


# --- execution -----------------------------------------------------------------------------------


def check_parameters(job: ReportJob) -> None:
    """Unknown parameter names stop the run before a kernel starts (papermill only warns)."""
    import papermill as pm

    declared = set(pm.inspect_notebook(str(job.notebook)))
    unknown = sorted(set(job.parameters) - declared)
    if unknown:
        raise ReportError(
            f"Tham số không có trong {job.notebook.name}: {', '.join(unknown)}; các tham số: {', '.join(sorted(declared))}",
            f"Unknown parameters {', '.join(unknown)} for {job.notebook.name}; valid: {', '.join(sorted(declared))}",
            rule="unknown_parameter", file=job.notebook.name)


RESET_SOURCE = "from khanalytics.report.factory import fresh_namespace\nfresh_namespace()"
"""The first cell of a notebook run on a warm kernel (removed from the result)."""
_RUNS_ON_THIS_KERNEL = 0


def fresh_namespace() -> None:
    """Empty a warm kernel's namespace before the next report, as a restart would, but keep what was imported.

    IPython's ``%reset`` ends with a full garbage collection (0,2 s in a kernel holding pandas and plotly); a
    report leaves little cyclic garbage, which the collector's own schedule takes. After the first report,
    everything imported is frozen out of the collector's scans (``gc.freeze``), so later full collections
    only walk what reports create.
    """
    import gc

    from IPython import get_ipython

    global _RUNS_ON_THIS_KERNEL
    get_ipython().reset(new_session=False)
    _RUNS_ON_THIS_KERNEL += 1
    if _RUNS_ON_THIS_KERNEL == 2:  # the first report has imported the library, pandas, plotly…
        gc.collect()
        gc.freeze()


def _with_reset(path: Path) -> nbformat.NotebookNode:
    """The notebook with a first cell that empties a warm kernel's namespace (removed again after the run)."""
    import nbformat

    from khanalytics.report.export import RESET_TAG

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": [RESET_TAG]}))
    return nb


def _without_reset(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from khanalytics.report.export import RESET_TAG

    nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
    return nb


def execute(job: ReportJob, *, km: Any = None, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Execute one notebook with papermill: on a fresh kernel, or on the kernel manager ``km`` (warm).

    A failing cell becomes a ReportError with the cell's index as papermill numbers it (the injected
    parameters cell counted) and the error's name and value.
    """
    import papermill as pm

    check_parameters(job)
    source = _with_reset(job.notebook) if km is not None else str(job.notebook)
    offset = 1 if km is not None else 0
    try:
        nb = pm.execute_notebook(source, None, parameters=job.parameters, progress_bar=False, kernel_name=KERNEL,
                                 language="python", cwd=str(cwd or Path.cwd()), log_output=False, km=km)
    except pm.PapermillExecutionError as err:
        cell = err.cell_index - offset
        raise ReportError(f"Ô {cell} lỗi: {err.ename}: {err.evalue}", f"Cell {cell} failed: {err.ename}: {err.evalue}",
                          cell=cell, ename=err.ename, evalue=err.evalue) from None
    return _without_reset(nb) if km is not None else nb


def execute_papermill(job: ReportJob, *, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Execute one notebook with papermill on a fresh kernel."""
    return execute(job, cwd=cwd)


def _kernel_manager() -> Any:
    """A kernel manager that hands every notebook the same connected client.

    papermill (through nbclient) asks the manager for a new client per notebook; a new client's subscription
    to the kernel's messages takes a moment to reach the kernel, and the wait for its first message cost
    0,2 s a report. The one client here stays connected for the kernel's life (nbclient leaves a client it
    did not create running; starting its channels again does nothing) and shakes hands with the kernel once.
    """
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    class _OneClient(AsyncKernelClient):
        _ready = False

        def start_channels(self, *args: Any, **kwargs: Any) -> None:
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            # the handshake (which always waits out a 0,2 s poll of the kernel's messages) once, then only
            # whether the kernel process still runs
            if self._ready and await self._async_is_alive():
                return
            await super().wait_for_ready(timeout=timeout)
            self._ready = True

    class _OneClientKernelManager(AsyncKernelManager):
        _client: Any = None

        def client(self, **kwargs: Any) -> Any:
            if self._client is None:
                self.client_factory = _OneClient
                self._client = super().client(**kwargs)
            return self._client

        def close_client(self) -> None:
            if self._client is not None:
                self._client.stop_channels()
                self._client = None

    return _OneClientKernelManager(kernel_name=KERNEL)


class WarmKernel:
    """A kernel kept alive across notebooks (papermill runs each on it); each run starts from an emptied namespace."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = cwd or Path.cwd()
        self.km = _kernel_manager()

    def start(self, *, warm: bool = False) -> None:
        """Start the kernel quietly if it is not running; ``warm``: also import the report sections in it, so
        that a batch can start its kernels while it is still working out what to render."""
        from jupyter_client.utils import run_sync

        if not self.km.has_kernel:
            from khanalytics.figures.offline import FIGURE_HTML_ENV

            # started here rather than by papermill so that the kernel's start-up chatter stays off the terminal;
            # its figures carry only their JSON, which is all the export reads
            env = {**os.environ, FIGURE_HTML_ENV: "0"}
            run_sync(self.km.start_kernel)(cwd=str(self.cwd), stderr=subprocess.DEVNULL, env=env)
        if warm:
            client = self.km.client()
            run_sync(client.wait_for_ready)(timeout=120)
            run_sync(client.execute_interactive)("import khanalytics.report.sections", store_history=False,
                                                 silent=True, timeout=120, output_hook=lambda msg: None)

    def execute(self, job: ReportJob) -> nbformat.NotebookNode:
        """Run one report's notebook on this kernel (started quietly on first use)."""
        self.start()
        return execute(job, km=self.km, cwd=self.cwd)

    @property
    def pid(self) -> int | None:
        """The kernel's process id while it runs (recorded in each result, so that a test can see it end)."""
        provisioner = getattr(self.km, "provisioner", None)
        return getattr(provisioner, "pid", None) if self.km.has_kernel else None

    def shutdown(self) -> None:
        """Stop the kernel (idempotent)."""
        from jupyter_client.utils import run_sync

        self.km.close_client()
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)


def _write(job: ReportJob, nb: nbformat.NotebookNode) -> tuple[int, str]:
    from khanalytics.report.export import export_html
    from khanalytics.report.pages import atomic_write_text

    text = export_html(nb, title=job.title, lang=job.params.lang)
    path = atomic_write_text(job.output, text)
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def render(job: ReportJob, *, kernel: WarmKernel | None = None) -> ReportResult:
    """Execute and export one report; a failure is returned (with its cell), never half-written."""
    start = time.perf_counter()

    def result(status: str, **extra: Any) -> ReportResult:
        return ReportResult(job.kind, job.title, str(job.output), status, time.perf_counter() - start,
                            job.parameters, inputs=dict(job.inputs), **extra)

    where: dict[str, Any] = {}
    try:
        if kernel is None:  # a fresh kernel of our own, started quietly, gone afterwards
            fresh = WarmKernel()
            try:
                nb = fresh.execute(job)
            finally:
                fresh.shutdown()
        else:
            try:
                nb = kernel.execute(job)
            finally:
                where["kernel_pid"] = kernel.pid
        size, digest = _write(job, nb)
        return result("ok", bytes=size, sha256=digest, extra=where)
    except ReportError as err:
        return result("failed", error=str(err), failing_cell=err.cell, extra=where)
    except Exception as err:  # a report must not stop the batch
        return result("failed", error=f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}", extra=where)


# --- batches ------------------------------------------------------------------------------------------------

_WORKER_KERNEL: WarmKernel | None = None


def _worker_init(cwd: str) -> None:
    from multiprocessing.util import Finalize

    global _WORKER_KERNEL
    _WORKER_KERNEL = WarmKernel(Path(cwd))
    # pool workers leave through os._exit, so atexit never runs; multiprocessing's finalizers do
    Finalize(_WORKER_KERNEL, _WORKER_KERNEL.shutdown, exitpriority=10)
    try:
        _WORKER_KERNEL.start(warm=True)
    except Exception:  # noqa: BLE001 - the first report starts it again and records why it cannot
        _WORKER_KERNEL.shutdown()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, each starting a warm kernel at once (one task submitted per worker makes the pool
    start them all now rather than when the first report is ready)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(str(Path.cwd()),))
    for _ in range(workers):
        pool.submit(int)
    return pool


def _worker_render(job: ReportJob) -> ReportResult:
    return render(job, kernel=_WORKER_KERNEL)


def _workers(workers: int | None, n: int) -> int:
    return max(1, min(workers or os.cpu_count() or 1, n))


def render_many(jobs: Sequence[ReportJob], *, workers: int | None = None,
                on_done: Callable[[ReportResult], None] | None = None,
                pool: ProcessPoolExecutor | None = None) -> list[ReportResult]:
    """Render jobs in parallel on warm kernels, one per worker process; failures do not stop the others.

    ``pool``: workers already started (:func:`worker_pool`), shut down here when done.
    """
    results: list[ReportResult] = []
    with pool or worker_pool(_workers(workers, len(jobs))) as running:
        futures = {running.submit(_worker_render, job): job for job in jobs}
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_done:
                on_done(result)
    order = {str(j.output): i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.output])


REASONS: dict[str, tuple[str, str]] = {
    "new": ("chưa có trong lần làm trước", "not in the previous run"),
    "missing": ("tệp không còn", "the file is gone"),
    "edited": ("tệp đã bị sửa sau lần làm trước", "the file was changed after the previous run"),
    "failed": ("lần trước bị lỗi", "it failed last time"),
    "forced": ("yêu cầu làm lại tất cả (--force)", "everything asked for again (--force)"),
}
"""Why a report is rendered again, besides a changed input part (:data:`fingerprint.PART_LABELS`)."""


def describe_reasons(reasons: Sequence[str], lang: str = "vi") -> str:
    """Reasons as words for people, in one language."""
    from khanalytics.report.fingerprint import PART_LABELS

    i = 1 if lang == "en" else 0
    return ", ".join({**PART_LABELS, **REASONS}[r][i] for r in reasons)


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The previous run's record of each report in ``folder`` (by output path); empty when there is none or
    it cannot be read (then everything is rendered)."""
    import json

    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return {str(r["output"]): r for r in manifest["reports"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def why_render(job: ReportJob, before: dict[str, Any] | None, *, force: bool = False) -> list[str]:
    """Why ``job`` must be rendered (empty: its file is the one the previous run made from the same inputs)."""
    from khanalytics.report.fingerprint import Inputs

    if force:
        return ["forced"]
    if not before:
        return ["new"]
    if before.get("status") != "ok":
        return ["failed"]
    changed = Inputs(job.inputs).changed(before.get("inputs"))
    if changed:
        return changed
    if not job.output.exists():
        return ["missing"]
    if _file_sha256(job.output) != before.get("sha256"):
        return ["edited"]
    return []


def with_inputs(jobs: Sequence[ReportJob], store: str | Path) -> list[ReportJob]:
    """The jobs with the digests of their inputs (read from the store once for all of them)."""
    from khanalytics.published.store import load_published
    from khanalytics.report import fingerprint
    from khanalytics.report.inputs import load_store
    from khanalytics.report.params import resolve_store

    data = load_store(resolve_store(store))
    view = fingerprint.StoreView.of(data.obs, data.flags, data.imports, load_published(str(resolve_store(store))))
    out = []
    for job in jobs:
        found = fingerprint.report_inputs(job.params, job.parameters, job.notebook, view)
        out.append(ReportJob(job.params, job.output, job.title, job.extra, dict(found.parts)))
    return out


def _kept(before: dict[str, Any]) -> ReportResult:
    known = {f.name for f in fields(ReportResult)}
    kept = ReportResult(**{k: v for k, v in before.items() if k in known})
    kept.action, kept.reasons, kept.seconds = "unchanged", [], 0.0
    return kept


def render_all(period: str | Period, *, store: str | Path = DEFAULT_STORE, out_dir: str | Path = "reports",
               lang: str = "vi", edition: str | None = "auto", workers: int | None = None, progress: bool = True,
               kinds: Sequence[str] = KINDS, force: bool = False) -> tuple[list[ReportResult], Path]:
    """Every report of a period whose inputs changed since the previous run in the same folder (all of them
    with ``force``), in parallel; then index.html and manifest.json when anything was rendered.

    Each result says whether it was ``rendered`` (and ``reasons``) or kept ``unchanged``. Returns the results
    of every report of the period and the index.
    """
    from khanalytics.report.index import write_index, write_manifest
    from khanalytics.report.inputs import load_store
    from khanalytics.report.params import resolve_store

    out = Path(out_dir)
    planned = [j for j in plan_all(period, store=store, out_dir=out, lang=lang, edition=edition) if j.kind in kinds]
    p = planned[0].params.period if planned else Period.parse(period)
    folder = report_folder(out, p, lang=lang, edition=edition)
    start = time.perf_counter()
    previous = read_manifest(folder)
    # a first run (or --force) renders everything: its kernels start while the inputs are read
    early = worker_pool(_workers(workers, len(planned))) if planned and (force or not previous) else None
    try:
        jobs = with_inputs(planned, store)
    except BaseException:
        if early is not None:
            early.shutdown(cancel_futures=True)
        raise
    reasons = {str(j.output): why_render(j, previous.get(str(j.output)), force=force) for j in jobs}
    todo = [j for j in jobs if reasons[str(j.output)]]
    index = folder / "index.html"
    if not todo and early is not None:
        early.shutdown()
    if not todo and index.exists() and (folder / "manifest.json").exists():
        return [_kept(previous[str(j.output)]) for j in jobs], index
    if not todo:
        rendered: list[ReportResult] = []
    elif progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
            task = bar.add_task(f"Báo cáo {p.code}", total=len(todo))
            rendered = render_many(todo, workers=workers, on_done=lambda r: bar.advance(task), pool=early)
    else:
        rendered = render_many(todo, workers=workers, pool=early)
    by_output = {r.output: r for r in rendered}
    results = []
    for job in jobs:
        result = by_output.get(str(job.output)) or _kept(previous[str(job.output)])
        if result.action == "rendered":
            result.reasons = reasons[str(job.output)]
        results.append(result)
    digest = load_store(resolve_store(store)).digest  # read with the inputs above (kept while the file is unchanged)
    index = write_index(results, folder, period=p, lang=lang, store_digest=digest)
    write_manifest(results, folder, period=p, store=store, store_digest=digest, seconds=time.perf_counter() - start)
    return results, index
