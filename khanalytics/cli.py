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
from khanalytics.errors import KhanalyticsError, ParameterError

_STATE: dict[str, Any] = {"lang": os.environ.get("KHANALYTICS_LANG", "vi"), "debug": False}


class _App(typer.Typer):
    """Typer that turns the package's errors into one message in the user's language (exit code 2)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except KhanalyticsError as err:
            if _STATE["debug"]:
                raise
            _fail(err.rule, err.message(_STATE["lang"]))
        except OSError as err:  # a folder that cannot be written, a file that cannot be read: said, not traced
            if _STATE["debug"]:
                raise
            where = err.filename or ""
            vi = f"không đọc/ghi được {where}: {err.strerror or err}"
            en = f"cannot read or write {where}: {err.strerror or err}"
            _fail("os_error", en if _STATE["lang"] == "en" else vi)


def _fail(rule: str, text: str) -> None:
    """One red line in the user's language, the --debug hint, exit code 2."""
    lang = "en" if _STATE["lang"] == "en" else "vi"
    word = "Lỗi" if lang == "vi" else "Error"
    Console(stderr=True).print(f"[red]{word} {rich_escape(f'[{rule}]')}: {rich_escape(text)}[/red]")
    hint = "(thêm --debug để xem chi tiết)" if lang == "vi" else "(add --debug for the traceback)"
    Console(stderr=True).print(f"[dim]{hint}[/dim]")
    sys.exit(2)


def _check_lang(value: str) -> str:
    """'vi' or 'en'; anything else stops (in both languages: which one the user wanted is unknown)."""
    if value not in ("vi", "en"):
        _STATE["lang"] = "vi"
        raise ParameterError(f"--lang {value!r}: chọn vi hoặc en / choose vi or en.",
                             f"--lang {value!r}: choose vi or en / chọn vi hoặc en.", parameter="--lang")
    return value


def _lang(value: str | None) -> str:
    """A command's --lang: when given, also the language of error messages; when not, the global --lang."""
    if value is None:
        return _STATE["lang"]
    _STATE["lang"] = _check_lang(value)
    return value


app = _App(
    help="khanalytics — số liệu, bản đồ và báo cáo của Hội Khuyến học Việt Nam / "
    "numbers, maps and reports for the Vietnam Association for Promoting Education.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
from khanalytics.store import DEFAULT_PATH as DEFAULT_STORE  # noqa: E402 - one default, where the store lives


def _version(value: bool) -> None:
    if value:
        console.print(f"khanalytics {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="In phiên bản / print the version.")] = False,
    lang: Annotated[str, typer.Option("--lang", envvar="KHANALYTICS_LANG",
                                      help="Ngôn ngữ thông báo: vi hoặc en / language of messages: vi or en.")] = "vi",
    debug: Annotated[bool, typer.Option("--debug", help="Hiện traceback khi có lỗi / show the traceback of an error.")] = False,
) -> None:
    """khanalytics: số liệu, bản đồ và báo cáo / numbers, maps and reports."""
    _STATE.update(lang=_check_lang(lang), debug=debug)


@app.command()
def provinces(
    edition: Annotated[str, typer.Option("--edition", "-e", help="Bản đồ: 2008 (63 tỉnh) hoặc 2025 (34) / map: 2008 "
                                                              "(63 provinces) or 2025 (34).")] = "2025",
) -> None:
    """Các tỉnh của một bản đồ / list the provinces of one edition of the map."""
    table = Table(title=geo.EDITION_INFO[geo.check_edition(edition)].label_vi)
    for col in ("Mã", "Tỉnh/thành", "English", "Loại", "Vùng", "Từ (2008)"):
        table.add_column(col)
    for row in geo.provinces(edition).itertuples():
        table.add_row(row.code, row.name_vi, row.name_en, row.kind, row.region_vi, " ".join(getattr(row, "formed_from", ())))
    console.print(table)


@app.command()
def resolve(
    names: Annotated[list[str], typer.Argument(help="Tên hoặc mã tỉnh, như được viết / province names or codes, "
                                                    "as written.")],
    edition: Annotated[str, typer.Option("--edition", "-e", help="Bản đồ / map: 2008 or 2025.")] = "2025",
) -> None:
    """Mỗi tên là tỉnh nào trên một bản đồ / show which province each name means on one edition of the map."""
    failed = False
    for name in names:
        try:
            code = geo.resolve_province(name, edition=edition)
            console.print(f"{name!r} → {code} {geo.province_name(code, edition)}")
        except geo.ProvinceNameError as err:
            failed = True
            console.print(f"[red]{rich_escape(err.message(_STATE['lang']))}[/red]")
    if failed:
        raise typer.Exit(1)


@app.command()
def clusters(
    at: Annotated[str | None, typer.Option("--at", help="Ngày (2019-06-30) hoặc kỳ (2019-H1) / a date or "
                                                        "period.")] = None,
    edition: Annotated[str | None, typer.Option("--edition", "-e", help="Bản đồ / map: 2008 or 2025.")] = None,
    file: Annotated[str | None, typer.Option("--file", help="Tệp YAML cụm của bạn / your own clusters YAML.")] = None,
) -> None:
    """Các cụm thi đua và thành viên / list the clusters and their members."""
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
def demo(
    render: Annotated[bool, typer.Option("--render", help="Nhập dữ liệu mẫu (giả lập) vào thư mục hiện tại và dựng "
                                         "báo cáo Cụm II 6/2019 / import the (synthetic) sample into the current "
                                         "folder and render the Cụm II 2019-H1 report there.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="vi or en.", callback=_lang)] = None,
) -> None:
    """Print the Northeast cluster (Cụm II) on both maps; with --render, make its 2019-H1 report from the sample."""
    if render:
        _render_demo(lang or "vi")
        return
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


def _render_demo(lang: str) -> None:
    from khanalytics.report.demo import DEMO_PERIOD, SYNTHETIC_NOTICE, render_demo

    vi, en = SYNTHETIC_NOTICE
    console.print(f"[yellow]{rich_escape(vi if lang != 'en' else en)}[/yellow]")
    result = render_demo(Path.cwd(), lang=lang)  # a failing report raises, and is said in the user's language
    report = result.report
    console.print(f"Kho / store: {result.store} ({result.values_stored} giá trị mới / new values)")
    console.print(f"Cụm II {DEMO_PERIOD}: {report.output} ({(report.bytes or 0) / 1e6:.1f} MB, {report.seconds:.1f} s)")


@app.command("notebooks")
def notebooks_command(
    folder: Annotated[Path, typer.Argument(help="Thư mục nhận bản sao / folder for the copies.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có / overwrite existing files.")] = False,
) -> None:
    """Copy the report notebooks into FOLDER to edit them; render uses them with KHANALYTICS_NOTEBOOKS=FOLDER."""
    from khanalytics.report.factory import copy_notebooks

    for path in copy_notebooks(folder, overwrite=force):
        console.print(f"Đã chép / copied: {path}")
    console.print(f"Dùng / use: KHANALYTICS_NOTEBOOKS={folder} khanalytics render …")


@app.command("summary")
def summary_command(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="Cụm: số, mã hoặc tên / cluster: number, slug or "
                                                                  "name.")] = "dong-bac",
    period: Annotated[str, typer.Option("--period", "-p", help="Kỳ 6 tháng (số liệu cả năm là H2) / half-year "
                                                               "(the year's figures are H2): 2019-H1, 2019-H2.")] = "2019-H1",
    edition: Annotated[str | None, typer.Option("--edition", "-e", help="Bản đồ: 2008 hoặc 2025 (mặc định: của kỳ) / "
                                                                        "map: 2008 or 2025 (default: the period's).")] = None,
    store: StoreOption = DEFAULT_STORE,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang, help="vi hoặc en / vi or en.")] = None,
) -> None:
    """Các câu tóm tắt cho lãnh đạo / print the sentences a leader reads for a cluster and period."""
    from khanalytics import analysis, narrative
    from khanalytics.report.params import parse_cluster, parse_period, resolve_store

    slug, when = parse_cluster(cluster), parse_period(period)  # values first: no store is opened for a typo
    path = resolve_store(store)
    obs = analysis.load_observations(path)
    flags = analysis.load_flags(path)
    sentences = narrative.cluster_summary(obs, slug, when, edition=edition, lang=lang, flags=flags)
    console.print(rich_escape(narrative.text(sentences, sep="\n\n")))


# --- data in: template, validate, import ---------------------------------------

StoreOption = Annotated[
    Path, typer.Option("--store", "-s", envvar="KHANALYTICS_STORE", help="DuckDB file (default data/khanalytics.duckdb).")
]


SHOWN_ISSUES = 50  # the first 50 issues of a file are printed, then a count; --report writes them all


def _print_issues(issues, lang: str, *, shown: int = SHOWN_ISSUES) -> None:
    for issue in issues[:shown]:
        colour = "red" if issue.severity == "error" else "yellow"
        console.print(f"[{colour}]{rich_escape(issue.message(lang))}[/{colour}]", soft_wrap=True)
    if len(issues) > shown:
        from khanalytics.formatting import fmt_number

        rest = fmt_number(len(issues) - shown, lang=lang)
        console.print(f"… còn {rest} vấn đề nữa (xem tất cả với --report loi.xlsx)" if lang != "en"
                      else f"… {rest} more issues (see them all with --report errors.xlsx)")


def _print_revisions(result, lang: str) -> None:
    """A new revision of values already stored is said loudly: which values, from what to what."""
    from khanalytics.formatting import fmt_number

    revised = result.revised
    if revised is None or revised.empty:
        return
    head = (f"CHÚ Ý: {result.file} sửa {fmt_number(len(revised))} giá trị đã lưu (bản sửa mới):" if lang != "en"
            else f"NOTE: {result.file} revises {fmt_number(len(revised), lang='en')} stored values (a new revision):")
    console.print(f"[bold magenta]{rich_escape(head)}[/bold magenta]")
    for row in revised.head(SHOWN_ISSUES).itertuples():
        name = geo.province_name(row.code, row.edition)
        console.print(f"  {rich_escape(name)} ({row.code}) {row.period} {row.element}: "
                      f"{fmt_number(row.before, 2, lang).rstrip('0').rstrip(',.')} → "
                      f"{fmt_number(row.after, 2, lang).rstrip('0').rstrip(',.')} (rev. {row.revision})", soft_wrap=True)
    if len(revised) > SHOWN_ISSUES:
        console.print(f"  … (+{fmt_number(len(revised) - SHOWN_ISSUES, lang=lang)})")


def _print_period_sources(result, lang: str) -> None:
    if any(source == "--period" for source in result.period_sources.values()):
        console.print("Kỳ báo cáo theo --period (tệp ghi khác: xem cảnh báo period_overridden)" if lang != "en"
                      else "Period set by --period (the file says otherwise: see the period_overridden flag)")


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
    province: Annotated[str | None, typer.Option("--province", help="The province of a district table.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write every issue to this .xlsx (loi.xlsx).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None,
) -> None:
    """Check files without storing anything."""
    from khanalytics.store import Store
    from khanalytics.validate import has_errors

    failed = False
    everything = []
    with Store(store, read_only=store.exists()) if store.exists() else _NoStore() as s:
        for f in files:
            reading, issues = s.check(f, period=period, edition=edition, province=province)
            everything.append((f, issues))
            _print_issues(issues, lang)
            bad = has_errors(issues)
            failed |= bad
            n = len(reading.values)
            status = "[red]BỊ TỪ CHỐI / REJECTED[/red]" if bad else "[green]HỢP LỆ / VALID[/green]"
            console.print(f"{f.name}: {n} giá trị / values, {sum(i.severity == 'flag' for i in issues)} cảnh báo / flags — {status}")
    if report is not None:
        from khanalytics.io.feedback import write_feedback

        written = write_feedback([i for _, issues in everything for i in issues], report,
                                 original=files[0] if len(files) == 1 else None)
        console.print("Đã ghi / written: " + ", ".join(str(p) for p in written))
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
    province: Annotated[str | None, typer.Option("--province", help="The province of a district table.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be stored and revised; store nothing.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", callback=_lang)] = None,
) -> None:
    """Validate files, then store them all in one transaction (or nothing).

    A file of published figures (the columns unit, unit_type, period, indicator, value, qualifier, quote,
    source_url, page_title) goes to the published record instead, with its sources.
    """
    from khanalytics.diagnostics import InputError
    from khanalytics.published import is_published_file
    from khanalytics.store import Store

    published = [f for f in files if is_published_file(f)]
    files = [f for f in files if f not in published]
    with Store(store) as s:
        _import_published(s, published, dry_run)
        try:
            results = s.import_files(files, period=period, edition=edition, kind=kind, province=province,
                                     dry_run=dry_run) if files else []
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
                _print_period_sources(r, lang)
                _print_revisions(r, lang)
        if dry_run:
            console.print("[bold]Chạy thử: không lưu gì / dry run: nothing stored[/bold]")
        console.print(f"Kho / store: {store} — mã nội dung / content hash {s.content_hash()[:12]}")


def _import_published(store: object, files: list[Path], dry_run: bool) -> None:
    """Published figures into their own record (one transaction a file); a dry run only reads them."""
    from khanalytics.published import import_published, read_published

    for f in files:
        if dry_run:
            n = len(read_published(f).rows)
            console.print(f"{f.name}: {n} số liệu đã công bố / published figures (chạy thử / dry run)")
            continue
        r = import_published(store, f)
        if r.already_imported:
            console.print(f"{r.file}: đã nhập trước đó, không thay đổi / already imported, nothing changed")
        else:
            console.print(f"{r.file}: {r.n_rows} số liệu đã công bố / published figures, "
                          f"{r.n_new} mới hoặc sửa / new or revised")


@app.command("catalogue")
def catalogue_command(lang: Annotated[str | None, typer.Option("--lang", callback=_lang,
                                                              help="vi hoặc en / vi or en.")] = None) -> None:
    """Danh mục số liệu và chỉ tiêu / list data elements and indicators."""
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
    output: Annotated[str, typer.Option("--output", "-o", help="Tệp HTML / HTML file to write.")] = "reports/gallery.html",
    lang: Annotated[str | None, typer.Option("--lang", help="vi hoặc en / vi or en.", callback=_lang)] = None,
    store: Annotated[Path | None, typer.Option("--store", help="Vẽ từ kho này (mặc định: mẫu đã nhập, nếu có) / draw "
                                                "on this store (default: the imported sample if present, else "
                                                "made-up values).")] = None,
) -> None:
    """Mọi loại hình trên một trang HTML ngoại tuyến / every figure type in one offline HTML page, for review."""
    from khanalytics.report.gallery import write_gallery

    store = store or (DEFAULT_STORE if DEFAULT_STORE.exists() else None)
    path = write_gallery(output, lang, store=store)
    console.print(f"Đã ghi / written: {path} ({path.stat().st_size / 1e6:.1f} MB)")
# --- end gallery ----------------------------------------------------------------------------------------------------


# --- boundaries (khanalytics.boundaries) -------------------------------------

boundaries_app = typer.Typer(help="Ranh giới tỉnh: bản đi kèm, tải bản tốt hơn / province boundaries: what is "
                                   "shipped, fetching better ones.")
app.add_typer(boundaries_app, name="boundaries")
_CacheDirOption = Annotated[
    str | None, typer.Option("--cache-dir", help="Thư mục đệm / cache folder (default: $KHANALYTICS_CACHE or "
                                                 "~/.cache/khanalytics).")
]


@boundaries_app.command("fetch")
def boundaries_fetch(
    url: Annotated[str | None, typer.Option("--url", help="Tải từ địa chỉ này / where to download geoBoundaries VNM "
                                                          "ADM1 from.")] = None,
    cache_dir: _CacheDirOption = None,
) -> None:
    """Tải ranh giới geoBoundaries vào thư mục đệm / download geoBoundaries VNM ADM1 (public domain) for reports."""
    from khanalytics import boundaries as bnd

    try:
        path = bnd.fetch_geoboundaries(cache_dir, url or bnd.GEOBOUNDARIES_URL)
    except bnd.BoundaryError as err:
        console.print(f"[red]{rich_escape(err.message(_STATE['lang']))}[/red]")
        raise typer.Exit(1) from err
    console.print(f"Đã lưu / saved: {path}")


@boundaries_app.command("info")
def boundaries_info(
    cache_dir: _CacheDirOption = None,
) -> None:
    """Ranh giới đi kèm, bản đã tải và bản bản đồ dùng / the shipped boundaries, the cached file, which maps use."""
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

PeriodOption = Annotated[str, typer.Option("--period", "-p", help="Kỳ 6 tháng: 2019-H1 hoặc 2019-H2 (số liệu cả năm) "
                                                                   "/ half-year: 2019-H1 or 2019-H2 (the year's "
                                                                   "figures).")]
OutOption = Annotated[Path, typer.Option("--output", "-o", help="Thư mục báo cáo / folder for the reports.")]
EditionOption = Annotated[str, typer.Option("--edition", "-e", help="Bản đồ / map: auto (của kỳ / the period's), "
                                                                    "2008 or 2025.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="vi hoặc en (mặc định: --lang chung) / vi or en "
                                                                "(default: the global --lang).", callback=_lang)]


class ReportKind(StrEnum):
    """The kinds of report ``render`` makes."""

    cluster = "cluster"
    province = "province"
    national = "national"


@app.command("render")
def render_command(
    kind: Annotated[ReportKind, typer.Argument(help="cluster (cụm so với cả nước / a cluster against the country), "
                                                    "province (tỉnh / a province against its cluster and the "
                                                    "country) or national (cả nước / all provinces and clusters).")],
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="Cụm: số, mã hoặc tên / cluster: number, slug or "
                                                                  "name.")] = "dong-bac",
    province: Annotated[str | None, typer.Option("--province", help="Tỉnh: tên hoặc mã trên bản đồ / province: name "
                                                                    "or code on the map.")] = None,
    period: PeriodOption = "2019-H1",
    output: OutOption = Path("reports"),
    edition: EditionOption = "auto",
    lang: LangOption = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Làm một báo cáo HTML / render one report (papermill, then the offline HTML export)."""
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
    workers: Annotated[int | None, typer.Option("--workers", "-j", help="Số tiến trình song song (mặc định: số lõi) "
                                                                        "/ parallel workers (default: cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Làm lại mọi báo cáo, kể cả báo cáo không đổi / render every "
                                                        "report again, even those whose inputs did not change.")] = False,
) -> None:
    """Cả nước, mọi cụm và mọi tỉnh của một kỳ / the country, every cluster and province of a period, with an index.

    Chỉ làm lại báo cáo có đầu vào đã đổi so với lần trước trong cùng thư mục / only the reports whose inputs
    changed since the previous run in the same folder are rendered again.
    """
    from khanalytics.report import factory
    from khanalytics.report.params import resolve_store

    en = lang == "en"
    resolve_store(store)
    results, index = factory.render_all(period, store=store, out_dir=output, lang=lang, edition=edition,
                                         workers=workers, force=force)
    rendered = [r for r in results if r.action == "rendered"]
    by_reason: dict[str, list[str]] = {}
    for r in rendered:
        by_reason.setdefault(factory.describe_reasons(r.reasons, lang), []).append(r.title)
    for why, titles in by_reason.items():  # a few reports by name, a whole period as a count
        names = ", ".join(titles) if len(titles) <= 8 else (f"{len(titles)} reports" if en else f"{len(titles)} báo cáo")
        console.print(f"{'rendered' if en else 'làm lại'}: {rich_escape(names)} — {rich_escape(why)}")
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        console.print(f"[red]{rich_escape(r.title)}: {rich_escape((r.error or '')[:300])}[/red]")
    ok, kept = len(results) - len(failed), len(results) - len(rendered)
    console.print(f"{len(rendered)} rendered, {kept} unchanged; {ok}/{len(results)} reports → {index}" if en else
                  f"{len(rendered)} làm lại, {kept} không đổi; {ok}/{len(results)} báo cáo → {index}")
    if failed:
        raise typer.Exit(1)


# --- published record (khanalytics.published) ---------------------------------------------------------------------


@app.command("published")
def published_command(
    unit: Annotated[str, typer.Argument(help="Tỉnh, cụm hoặc 'Toàn quốc' / a province, a cluster or 'Toàn quốc'.")],
    store: StoreOption = DEFAULT_STORE,
    file: Annotated[Path | None, typer.Option("--file", help="Đọc tệp số liệu công bố này thay vì kho / read this "
                                                             "published-record file instead of the store.")] = None,
    edition: Annotated[str | None, typer.Option("--edition", "-e", help="Chỉ bản đồ này / only this map: 2008 or "
                                                                        "2025.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Ghi ra tệp .xlsx / also write it to this .xlsx.")] = None,
    lang: LangOption = None,
) -> None:
    """Số liệu đã công bố của một đơn vị, nguồn và mâu thuẫn / a unit's published record, sources, contradictions."""
    from khanalytics import published as pub
    from khanalytics.store import Store

    lang = lang or _STATE["lang"]
    obs = None
    if file is not None:
        reading = pub.read_published(file)
        record = pub.record_frame(reading.rows).assign(file_name=reading.file.name)
    else:
        with Store(store, read_only=True) as s:
            record = pub.published_frame(s.con)
            obs = s.observations()
        if record.empty:
            raise pub.PublishedStoreError(
                f"Kho {store} chưa có số liệu công bố: khanalytics import data/published/published_figures.csv",
                f"the store {store} holds no published record: khanalytics import data/published/published_figures.csv",
                file=str(store))
    found = pub.unit_record(record, unit, obs=obs, edition=edition)
    shown = found.table(lang)
    table = Table(title=found.label, show_lines=True)
    for col in shown.columns[2:8]:
        table.add_column(str(col), overflow="fold")
    for row in shown.itertuples(index=False):
        table.add_row(*(rich_escape(str(v)) for v in row[2:8]))
    console.print(table)
    if shown.empty:
        console.print("Không có số liệu công bố cho đơn vị này / no published figures for this unit")
    head = "Mâu thuẫn" if lang != "en" else "Contradictions"
    console.print(f"[bold]{head}: {len(found.flags)}[/bold]")
    for message in found.flags["message_en" if lang == "en" else "message_vi"]:
        console.print(f"[yellow]• {rich_escape(message)}[/yellow]", soft_wrap=True)
    if xlsx is not None:
        console.print(f"Đã ghi / written: {pub.write_unit_xlsx(found, xlsx, lang)}")
# --- end published record -----------------------------------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    app()
