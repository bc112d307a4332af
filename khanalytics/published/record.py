"""Reading a published record (CSV, or the same columns in xlsx) into typed, resolved rows.

One row = one figure an article or the association published: the unit as
written, its type, the period as written, the indicator, the value with its
qualifier (hơn, gần, khoảng…), the quote it comes from and its source. Every
row is read completely before anything is stored; a malformed row (no value,
an unknown unit type, a date no form fits…) refuses the file, naming the row
and the column, so that a person can fix it. Indicators outside the catalogue
are kept under their own names, never refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics.errors import KhanalyticsError
from khanalytics.io.numbers import NotANumber, parse_number
from khanalytics.published.asof import AsOf, AsOfError, parse_asof
from khanalytics.published.units import Unit, UnitError, resolve_unit, unit_type
from khanalytics.text import fold

REQUIRED = ("unit", "unit_type", "period", "indicator", "value", "source_url")
OPTIONAL = ("qualifier", "quote", "page_title")
COLUMNS = REQUIRED + OPTIONAL
SUFFIXES = (".csv", ".xlsx", ".xlsm")
MAX_BYTES = 25_000_000

QUALIFIERS: dict[str, str] = {
    "=": "=", "": "=", "bang": "=",
    ">": ">", "hon": ">", "tren": ">", ">=": ">",
    "gan": "gần", "~": "~", "khoang": "~", "xap xi": "~", "≈": "~",
    "<": "<", "duoi": "<",
}
"""What a file may write as qualifier (folded), and the symbol kept: =, >, gần, ~, <."""

# the record's own names for catalogue entries (the rest are kept under their own names)
_ALIASES: dict[str, str] = {
    "membership_rate_pct": "membership_rate",
    "learning_families_registered_rate_pct": "learning_families_registration_rate",
    "learning_clans_registered_rate_pct": "learning_clans_registration_rate",
    "learning_communities_registered_rate_pct": "learning_communities_registration_rate",
    "learning_units_registered_rate_pct": "learning_units_registration_rate",
    "community_learning_centres": "learning_centres",
    "branches_per_hamlet": "branches_per_village",
}


class PublishedFileError(KhanalyticsError, ValueError):
    """A published-record file that cannot be read, lacks a column, or holds a malformed row (nothing stored)."""

    rule = "bad_published_file"


@dataclass(frozen=True)
class PublishedRow:
    """One figure as written and as resolved, with where it sits in its file."""

    row: int
    unit: Unit
    period: str
    asof: AsOf
    indicator: str
    catalogue_code: str | None
    catalogue_kind: str | None  # "element" or "indicator"
    value: float
    qualifier: str
    quote: str
    source_url: str
    page_title: str

    @property
    def identity(self) -> str:
        """What makes two rows the same figure (a different value or quote is then a correction)."""
        parts = (self.unit.unit_type, fold(self.unit.written), self.period.strip().lower(), self.indicator,
                 self.source_url.strip())
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PublishedReading:
    """A whole file read: its rows, name, path and sha256."""

    file: Path
    sha256: str
    rows: tuple[PublishedRow, ...]


def catalogue_code(indicator: str) -> tuple[str | None, str | None]:
    """(code, "element" | "indicator") of the catalogue entry a record's indicator name means; (None, None)."""
    name = _ALIASES.get(indicator, indicator)
    candidates = [name, name.removesuffix("_pct")] if name.endswith("_pct") else [name]
    for code in candidates:
        if code in catalogue.indicators():
            return code, "indicator"
        if code in catalogue.elements() and not name.endswith("_pct"):
            return code, "element"
    return None, None


def _text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


def _header(cells: list[object]) -> dict[str, int]:
    """Column name → position, headers folded ("Source URL" = "source_url")."""
    return {"_".join(fold(c).split()): i for i, c in enumerate(cells) if _text(c)}


def _grid(path: Path) -> list[list[object]]:
    """The file's cells, header first: CSV (UTF-8 with or without BOM, else Windows-1258) or the first sheet."""
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        return [list(r) for r in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def header_of(path: str | Path) -> list[str] | None:
    """The folded column names of a file's first row, or None when it cannot be read as CSV or xlsx."""
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES or not p.is_file():
        return None
    try:
        if p.suffix.lower() == ".csv":
            with p.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
                first = next(csv.reader(fh), [])
        else:
            from openpyxl import load_workbook

            book = load_workbook(p, read_only=True)
            try:
                first = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ())
            finally:
                book.close()
    except Exception:  # not ours to judge here: the reader of the file will say what is wrong
        return None
    return list(_header(list(first)))


def is_published_file(path: str | Path) -> bool:
    """Whether a file has the published record's columns (unit, unit_type, period, indicator, value, source_url)."""
    names = header_of(path)
    return names is not None and all(c in names for c in REQUIRED)


def _refuse(path: Path, row: int | None, column: str | None, vi: str, en: str, value: object = None,
            rule: str = "bad_published_row") -> PublishedFileError:
    return PublishedFileError(f"{vi} Không lưu gì từ tệp này.", f"{en} Nothing of the file is stored.", rule=rule,
                              file=path.name, row=row, column=column, value=value)


def read_published(path: str | Path) -> PublishedReading:
    """Every row of a published-record file, typed and resolved; PublishedFileError at the first malformed row."""
    p = Path(path)
    if not p.is_file():
        raise _refuse(p, None, None, f"Không có tệp {p}.", f"no file {p}.", rule="no_file")
    if p.suffix.lower() not in SUFFIXES:
        raise _refuse(p, None, None, "Tệp số liệu công bố phải là .csv hoặc .xlsx.",
                      "a published record must be a .csv or .xlsx file.", p.suffix, rule="bad_file_type")
    if p.stat().st_size > MAX_BYTES:
        raise _refuse(p, None, None, "Tệp lớn hơn 25 MB.", "the file is larger than 25 MB.", rule="file_too_large")
    data = p.read_bytes()
    grid = _grid(p)
    if not grid:
        raise _refuse(p, None, None, "Tệp rỗng.", "the file is empty.", rule="empty_file")
    header = _header(grid[0])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _refuse(p, 1, ", ".join(missing), f"Thiếu cột {', '.join(missing)}; cần {', '.join(REQUIRED)}.",
                      f"missing columns {', '.join(missing)}; required: {', '.join(REQUIRED)}.",
                      rule="missing_columns")
    rows = []
    for number, cells in enumerate(grid[1:], start=2):
        cell = {c: (cells[header[c]] if c in header and header[c] < len(cells) else None) for c in COLUMNS}
        if not any(_text(v) for v in cell.values()):
            continue  # a blank line
        rows.append(_row(p, number, cell))
    _no_conflicts(p, rows)
    return PublishedReading(p, hashlib.sha256(data).hexdigest(), tuple(rows))


def _no_conflicts(path: Path, rows: list[PublishedRow]) -> None:
    """The same figure twice in one file (same unit, period, indicator and source) with two values is refused."""
    seen: dict[str, PublishedRow] = {}
    for row in rows:
        first = seen.setdefault(row.identity, row)
        if first is not row and (first.value, first.qualifier) != (row.value, row.qualifier):
            raise _refuse(path, row.row, "value",
                          f"Hàng {row.row} và hàng {first.row} cùng đơn vị, thời điểm, chỉ tiêu và nguồn nhưng khác "
                          "giá trị.", f"rows {first.row} and {row.row} have the same unit, date, indicator and "
                          "source but different values.", row.value, rule="conflicting_rows")


def _qualifier(raw: str) -> str | None:
    """The symbol kept for what a file writes ("hơn" → ">"); "=" when empty; None when unknown."""
    if raw in QUALIFIERS:  # symbols first: the fold would drop them
        return QUALIFIERS[raw]
    return QUALIFIERS.get(fold(raw)) if fold(raw) else None


def _row(path: Path, number: int, cell: dict[str, object]) -> PublishedRow:
    """One row checked column by column, so that the error names the column to fix."""
    def need(column: str) -> str:
        text = _text(cell[column])
        if not text:
            raise _refuse(path, number, column, f"Cột {column} trống.", f"{column} is empty.")
        return text

    written, indicator, source = need("unit"), need("indicator"), need("source_url")
    try:
        kind = unit_type(need("unit_type"))
    except UnitError as err:
        raise _refuse(path, number, "unit_type", err.vi, err.en, cell["unit_type"]) from None
    try:
        asof = parse_asof(cell["period"])
    except AsOfError as err:
        raise _refuse(path, number, "period", err.vi, err.en, cell["period"]) from None
    try:
        value = parse_number(cell["value"])
    except NotANumber as err:
        raise _refuse(path, number, "value", err.vi, err.en, cell["value"]) from None
    if value is None or not math.isfinite(value):
        raise _refuse(path, number, "value", "Không có giá trị.", "no value.", cell["value"])
    qualifier = _qualifier(_text(cell["qualifier"]))
    if qualifier is None:
        raise _refuse(path, number, "qualifier", "Từ định lượng không hợp lệ: dùng =, > (hơn), gần, ~ (khoảng), <.",
                      "unknown qualifier: use =, > (more than), gần (nearly), ~ (about), <.", cell["qualifier"])
    code, code_kind = catalogue_code(indicator)
    if value < 0 and code_kind == "element" and catalogue.element(code).non_negative:  # type: ignore[arg-type]
        raise _refuse(path, number, "value", "Số đếm âm.", "a negative count.", cell["value"])
    try:
        unit = resolve_unit(kind, written, asof)
    except UnitError as err:
        raise _refuse(path, number, "unit", err.vi, err.en, written) from None
    return PublishedRow(number, unit, _text(cell["period"]), asof, indicator, code, code_kind, value, qualifier,
                        _text(cell["quote"]), source, _text(cell["page_title"]))


FRAME_COLUMNS = [
    "row_key", "row", "unit", "unit_type", "edition", "code", "unit_name", "cluster_number", "unit_note",
    "period", "asof_kind", "asof_precision", "approximate", "asof_start", "asof_end", "meets",
    "indicator", "catalogue_code", "catalogue_kind", "value", "qualifier", "quote", "source_url", "page_title",
]
"""The columns of a record frame (the store adds revision, import and file columns)."""


def record_frame(rows: tuple[PublishedRow, ...] | list[PublishedRow]) -> pd.DataFrame:
    """Rows as a tidy frame (``FRAME_COLUMNS``), the shape the store keeps and the checks read."""
    records = [
        [r.identity, r.row, r.unit.written, r.unit.unit_type, r.unit.edition, r.unit.code, r.unit.name,
         r.unit.number, r.unit.note, r.period, r.asof.kind, r.asof.precision, r.asof.approximate, r.asof.start,
         r.asof.end, r.asof.meets.code if r.asof.meets else None, r.indicator, r.catalogue_code,
         r.catalogue_kind, r.value, r.qualifier, r.quote, r.source_url, r.page_title]
        for r in rows
    ]
    frame = pd.DataFrame(records, columns=FRAME_COLUMNS)
    for column in ("asof_start", "asof_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["cluster_number"] = frame["cluster_number"].astype("Int64")
    return frame
