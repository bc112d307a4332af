"""The ``khanalytics`` command.

Errors of the package (:class:`khanalytics.errors.KhanalyticsError`) are
printed in the user's language (``--lang``, default Vietnamese, or
$KHANALYTICS_LANG) as one message naming where the problem is, with no
traceback; ``--debug`` shows the traceback too.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape as rich_escape
from rich.table import Table

from khanalytics import __version__
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError

_STATE: dict[str, Any] = {"lang": os.environ.get("KHANALYTICS_LANG", "vi"), "debug": False}


class _App(typer.Typer):
    """Typer that turns the package's errors into one message in the user's language (exit code 2)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except KhanalyticsError as err:
            if _STATE["debug"]:
                raise
            lang = "en" if _STATE["lang"] == "en" else "vi"
            word = "Lỗi" if lang == "vi" else "Error"
            Console(stderr=True).print(f"[red]{word} {rich_escape(f'[{err.rule}]')}: {rich_escape(err.message(lang))}[/red]")
            hint = "(thêm --debug để xem chi tiết)" if lang == "vi" else "(add --debug for the traceback)"
            Console(stderr=True).print(f"[dim]{hint}[/dim]")
            sys.exit(2)


def _lang(value: str | None) -> str:
    """A command's --lang: when given, also the language of error messages; when not, the global --lang."""
    if value is None:
        return _STATE["lang"]
    _STATE["lang"] = value
    return value


app = _App(
    help="khanalytics — số liệu, bản đồ và báo cáo của Hội Khuyến học Việt Nam / "
    "numbers, maps and reports for the Vietnam Association for Promoting Education.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
DEFAULT_STORE = Path("data/khanalytics.duckdb")


def _version(value: bool) -> None:
    if value:
        console.print(f"khanalytics {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
    lang: Annotated[str, typer.Option("--lang", envvar="KHANALYTICS_LANG",
                                      help="Ngôn ngữ thông báo / language of messages: vi or en.")] = "vi",
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """khanalytics."""
    _STATE.update(lang=lang, debug=debug)


@app.command()
def provinces(
    edition: Annotated[str, typer.Option("--edition", "-e", help="2008 (63 provinces) or 2025 (34).")] = "2025",
) -> None:
    """List the provinces of one edition of the map."""
    table = Table(title=geo.EDITION_INFO[geo.check_edition(edition)].label_vi)
    for col in ("Mã", "Tỉnh/thành", "English", "Loại", "Vùng", "Từ (2008)"):
        table.add_column(col)
    for row in geo.provinces(edition).itertuples():
        table.add_row(row.code, row.name_vi, row.name_en, row.kind, row.region_vi, " ".join(getattr(row, "formed_from", ())))
    console.print(table)


@app.command()
def resolve(
    names: Annotated[list[str], typer.Argument(help="Province names or codes, as written.")],
    edition: Annotated[str, typer.Option("--edition", "-e")] = "2025",
) -> None:
    """Show which province each name means on one edition of the map."""
    failed = False
    for name in names:
        try:
            code = geo.resolve_province(name, edition=edition)
            console.print(f"{name!r} → {code} {geo.province_name(code, edition)}")
        except geo.ProvinceNameError as err:
            failed = True
            console.print(f"[red]{err}[/red]")
    if failed:
        raise typer.Exit(1)


@app.command()
def clusters(
    at: Annotated[str | None, typer.Option("--at", help="A date (2019-06-30) or period (2019-H1).")] = None,
    edition: Annotated[str | None, typer.Option("--edition", "-e")] = None,
    file: Annotated[str | None, typer.Option("--file", help="Your own clusters YAML.")] = None,
) -> None:
    """List the clusters (cụm thi đua) and their members."""
    groups = clu.load_clusters(file)
    table = Table(title="Cụm thi đua")
    for col in ("Số", "Mã", "Cụm", "Bản đồ", "Thành viên", "Độ tin cậy"):
        table.add_column(col)
    for g in groups:
        m = g.membership(at=at, edition=edition or (None if at else "2025"))
        names = ", ".join(geo.province_name(c, m.edition) for c in m.members)
        table.add_row(str(g.number), g.slug, g.name_vi, m.edition, names, m.confidence)
    console.print(table)


@app.command()
def demo() -> None:
    """Print the Northeast cluster (Cụm II) on both maps."""
    groups = clu.load_clusters()
    cluster = groups.get("dong-bac")
    for edition in geo.EDITIONS:
        m = cluster.membership(edition=edition)
        console.rule(f"{cluster.name_vi} — {geo.EDITION_INFO[edition].label_vi}")
        for code in m.members:
            extra = ""
            if edition == "2025":
                made_of = [geo.province_name(p, "2008") for p in geo.parts(code)]
                extra = f"  ← {', '.join(made_of)}" if len(made_of) > 1 else ""
            console.print(f"  {code} {geo.province_name(code, edition)}{extra}")
        console.print(f"  [dim]nguồn / source: {m.source} (độ tin cậy: {m.confidence})[/dim]")


@app.command("summary")
def summary_command(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="Cluster number, slug or name.")] = "dong-bac",
    period: Annotated[str, typer.Option("--period", "-p")] = "2019-H1",
    edition: Annotated[str | None, typer.Option("--edition", "-e", help="Map: 2008 or 2025 (default: the period's).")] = None,
    store: StoreOption = DEFAULT_STORE,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None,
) -> None:
    """Print the sentences a leader reads for a cluster and period, from the store."""
    from khanalytics import analysis, narrative
    from khanalytics.periods import Period
    from khanalytics.report.params import parse_cluster, resolve_store

    slug, when = parse_cluster(cluster), Period.parse(period)  # values first: no store is opened for a typo
    path = resolve_store(store)
    obs = analysis.load_observations(path)
    flags = analysis.load_flags(path)
    sentences = narrative.cluster_summary(obs, slug, when, edition=edition, lang=lang, flags=flags)
    console.print(rich_escape(narrative.text(sentences, sep="\n\n")))


# --- data in: template, validate, import ---------------------------------------

StoreOption = Annotated[
    Path, typer.Option("--store", "-s", envvar="KHANALYTICS_STORE", help="DuckDB file (default data/khanalytics.duckdb).")
]


def _print_issues(issues, lang: str) -> None:
    for issue in issues:
        colour = "red" if issue.severity == "error" else "yellow"
        console.print(f"[{colour}]{rich_escape(issue.message(lang))}[/{colour}]")


@app.command()
def template(
    period: Annotated[str, typer.Option("--period", "-p", help="2026-H1, 2026-H2 or 2026.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the .xlsx.")] = Path("mau_bao_cao.xlsx"),
    edition: Annotated[str | None, typer.Option("--edition", "-e", help="2008 or 2025 (default: the period's).")] = None,
    province: Annotated[str | None, typer.Option("--province", help="One sheet for one province.")] = None,
) -> None:
    """Write the Excel workbook provinces fill in (mẫu báo cáo)."""
    from khanalytics.io.template import write_template

    path = write_template(output, period=period, edition=edition, province=province)
    console.print(f"Đã ghi mẫu / template written: {path}")


@app.command("validate")
def validate_command(
    files: Annotated[list[Path], typer.Argument(help="Report files (.xlsx, .csv, .parquet).")],
    store: StoreOption = DEFAULT_STORE,
    period: Annotated[str | None, typer.Option("--period", "-p")] = None,
    edition: Annotated[str | None, typer.Option("--edition", "-e")] = None,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None,
) -> None:
    """Check files without storing anything."""
    from khanalytics.store import Store
    from khanalytics.validate import has_errors

    failed = False
    with Store(store, read_only=store.exists()) if store.exists() else _NoStore() as s:
        for f in files:
            reading, issues = s.check(f, period=period, edition=edition)
            _print_issues(issues, lang)
            bad = has_errors(issues)
            failed |= bad
            n = len(reading.values)
            status = "[red]BỊ TỪ CHỐI / REJECTED[/red]" if bad else "[green]HỢP LỆ / VALID[/green]"
            console.print(f"{f.name}: {n} giá trị / values, {sum(i.severity == 'flag' for i in issues)} cảnh báo / flags — {status}")
    if failed:
        raise typer.Exit(1)


class _NoStore:
    """Validation without a store: no previous values to compare with."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def check(self, path, **options):
        from khanalytics.io.read import read_file
        from khanalytics.validate import validate

        reading = read_file(path, **options)
        return reading, validate(reading)


@app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="Report files (.xlsx, .csv, .parquet).")],
    store: StoreOption = DEFAULT_STORE,
    period: Annotated[str | None, typer.Option("--period", "-p")] = None,
    edition: Annotated[str | None, typer.Option("--edition", "-e")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="published, reported or synthetic.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None,
) -> None:
    """Validate files, then store them all in one transaction (or nothing)."""
    from khanalytics.diagnostics import InputError
    from khanalytics.store import Store

    with Store(store) as s:
        try:
            results = s.import_files(files, period=period, edition=edition, kind=kind)
        except InputError as err:
            _print_issues([i for i in err.issues if i.severity == "error"], lang)
            console.print(f"[red]{rich_escape(err.file)}: tệp bị từ chối, không lưu gì / file rejected, nothing stored[/red]")
            raise typer.Exit(1) from None
        for r in results:
            if r.already_imported:
                console.print(f"{r.file}: đã nhập trước đó, không thay đổi / already imported, nothing changed")
            else:
                console.print(f"{r.file}: {r.n_values} giá trị, {r.n_new} mới hoặc sửa / new or revised, "
                              f"{len(r.flags)} cảnh báo / flags")
        console.print(f"Kho / store: {store} — mã nội dung / content hash {s.content_hash()[:12]}")


@app.command("catalogue")
def catalogue_command(lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None) -> None:
    """List data elements and indicators."""
    from khanalytics import catalogue as cat

    table = Table(title="Danh mục chỉ tiêu / catalogue")
    for col in ("Mã / code", "Tên / label", "Đơn vị / unit", "Loại / kind"):
        table.add_column(col)
    for e in cat.elements().values():
        table.add_row(e.code, e.label(lang), e.unit_vi if lang == "vi" else e.unit_en, e.kind)
    for i in cat.indicators().values():
        table.add_row(i.code, i.label(lang), i.unit_vi if lang == "vi" else i.unit_en, "indicator")
    console.print(table)


# --- gallery (figures helper) -------------------------------------------------------------------------------------
@app.command("gallery")
def gallery_command(
    output: Annotated[str, typer.Option("--output", "-o", help="HTML file to write.")] = "reports/gallery.html",
    lang: Annotated[str | None, typer.Option("--lang", help="vi or en.", callback=_lang)] = None,
    store: Annotated[Path | None, typer.Option("--store", help="Draw on this store (default: the imported sample "
                                                "if present, else made-up values).")] = None,
) -> None:
    """Render every figure type on the sample data into one offline HTML page, for review."""
    from khanalytics.report.gallery import write_gallery

    store = store or (DEFAULT_STORE if DEFAULT_STORE.exists() else None)
    path = write_gallery(output, lang, store=store)
    console.print(f"Đã ghi / written: {path} ({path.stat().st_size / 1e6:.1f} MB)")
# --- end gallery ----------------------------------------------------------------------------------------------------


# --- boundaries (khanalytics.boundaries) -------------------------------------

boundaries_app = typer.Typer(help="Ranh giới tỉnh / province boundaries: what is shipped, fetching better ones.")
app.add_typer(boundaries_app, name="boundaries")
_CacheDirOption = Annotated[
    str | None, typer.Option("--cache-dir", help="Default: $KHANALYTICS_CACHE or ~/.cache/khanalytics.")
]


@boundaries_app.command("fetch")
def boundaries_fetch(
    url: Annotated[str | None, typer.Option("--url", help="Where to download geoBoundaries VNM ADM1 from.")] = None,
    cache_dir: _CacheDirOption = None,
) -> None:
    """Download geoBoundaries VNM ADM1 (public domain) into the user cache; reports then use it."""
    from khanalytics import boundaries as bnd

    try:
        path = bnd.fetch_geoboundaries(cache_dir, url or bnd.GEOBOUNDARIES_URL)
    except bnd.BoundaryError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(1) from err
    console.print(f"Đã lưu / saved: {path}")


@boundaries_app.command("info")
def boundaries_info(
    cache_dir: _CacheDirOption = None,
) -> None:
    """Show the shipped boundaries, the cached geoBoundaries file, and which one maps use."""
    from khanalytics import boundaries as bnd

    meta = bnd.metadata("2008")
    console.print(f"[bold]{meta['title_vi']}[/bold] / {meta['title_en']}")
    console.print(f"  {meta['note_vi']} / {meta['note_en']}")
    for source in meta["sources"]:
        console.print(f"  nguồn / source: {source['package']} — {source['licence']}")
    cached = bnd.cached_geoboundaries(cache_dir)
    console.print(f"geoBoundaries: {cached if cached else 'chưa tải / not fetched (khanalytics boundaries fetch)'}")
    for edition in geo.EDITIONS:
        frame, provenance = bnd.best_boundaries(edition, cache_dir)
        console.print(f"[bold]{edition}[/bold] ({len(frame)}): {provenance}")


# --- end boundaries -----------------------------------------------------------


# --- reports -------------------------------------------------------------------------------------------

PeriodOption = Annotated[str, typer.Option("--period", "-p", help="2019-H1 or 2019-H2 (the year's figures).")]
OutOption = Annotated[Path, typer.Option("--output", "-o", help="Folder for the reports.")]
EditionOption = Annotated[str, typer.Option("--edition", "-e", help="auto, 2008 or 2025.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="vi or en (default: the global --lang).", callback=_lang)]


class ReportKind(StrEnum):
    """The kinds of report ``render`` makes."""

    cluster = "cluster"
    province = "province"
    national = "national"


@app.command("render")
def render_command(
    kind: Annotated[ReportKind, typer.Argument(help="cluster (against the country), province (against its cluster "
                                                    "and the country) or national (all provinces and clusters).")],
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="Cluster: number, slug or name.")] = "dong-bac",
    province: Annotated[str | None, typer.Option("--province", help="Province: name or code on the map.")] = None,
    period: PeriodOption = "2019-H1",
    output: OutOption = Path("reports"),
    edition: EditionOption = "auto",
    lang: LangOption = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Render one report (papermill, then our offline HTML export)."""
    from khanalytics import report
    from khanalytics.report.params import resolve_store

    key = {"cluster": cluster, "province": province}.get(kind.value)
    job = report.plan(kind.value, key=key, period=period, edition=edition, lang=lang, store=store, out_dir=output)
    resolve_store(store)  # no store: said before any kernel starts
    result = report.render(job)
    if result.status != "ok":
        console.print(f"[red]{rich_escape(result.error or '')}[/red]")
        raise typer.Exit(1)
    console.print(f"{result.output} ({result.bytes / 1e6:.1f} MB, {result.seconds:.1f} s)")


@app.command("render-all")
def render_all_command(
    period: PeriodOption = "2019-H1",
    output: OutOption = Path("reports"),
    edition: EditionOption = "auto",
    lang: LangOption = None,
    store: StoreOption = DEFAULT_STORE,
    workers: Annotated[int | None, typer.Option("--workers", "-j", help="Parallel workers (default: cores).")] = None,
) -> None:
    """The country, every cluster and every province of a period, with index.html and manifest.json."""
    from khanalytics import report
    from khanalytics.report.params import resolve_store

    resolve_store(store)
    results, index = report.render_all(period, store=store, out_dir=output, lang=lang, edition=edition,
                                        workers=workers)
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        console.print(f"[red]{rich_escape(r.title)}: {rich_escape((r.error or '')[:300])}[/red]")
    console.print(f"{len(results) - len(failed)}/{len(results)} báo cáo / reports → {index}")
    if failed:
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
