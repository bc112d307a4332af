"""The ``khanalytics`` command."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from khanalytics import __version__
from khanalytics import clusters as clu
from khanalytics import geography as geo

app = typer.Typer(
    help="khanalytics — số liệu, bản đồ và báo cáo của Hội Khuyến học Việt Nam / "
    "numbers, maps and reports for the Vietnam Association for Promoting Education.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


def _version(value: bool) -> None:
    if value:
        console.print(f"khanalytics {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """khanalytics."""


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


if __name__ == "__main__":  # pragma: no cover
    app()
