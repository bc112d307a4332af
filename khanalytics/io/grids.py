"""A file as grids: each sheet (or the one CSV/Parquet table) as rows of cells.

Reading is kept apart from understanding: here the bytes become cells (CSV in
UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258, any usual delimiter; merged
xlsx cells copied into every cell they span; the template's information sheet
read as key–value pairs), and ``layout`` then finds the table in the cells.

A workbook is a zip: its size on disk says little about what it unpacks to
(405 KB held 10 million cells). Before any parser runs, ``inspect_zip`` counts
the bytes and the cells the archive unpacks to and refuses a file beyond
``MAX_UNCOMPRESSED`` or ``MAX_CELLS``; it also notes the formula cells that
carry no cached value (workbooks written by programs), which openpyxl would
read as blank, so that the reader computes or refuses them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

import pandas as pd

from khanalytics.errors import KhanalyticsError
from khanalytics.formatting import fmt_number
from khanalytics.text import fold

__all__ = ["DATA_SHEET", "HELP_SHEET", "INFO_SHEET", "MAX_CELLS", "MAX_UNCOMPRESSED", "MAX_XLS_BYTES", "SUFFIXES", "Grid", "GridError",
           "ZipFacts", "column_letter", "file_sha256", "inspect_zip", "read_grids"]

DATA_SHEET = "Số liệu"
INFO_SHEET = "Thông tin"
HELP_SHEET = "Hướng dẫn"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv", ".parquet")
MAX_UNCOMPRESSED = 64 * 1024 * 1024  # what a workbook may unpack to; a provincial report unpacks to a few hundred KB
MAX_CELLS = 300_000  # cells of a whole workbook; a province's commune table is ~30 000
MAX_XLS_BYTES = 8 * 1024 * 1024  # an .xls of a province's report is tens of KB; xlrd reads all before counting
MAX_TEXT_CELLS = 2_000_000  # cells of a CSV, which cost far less memory each than a workbook's
_ZIPPED = (".xlsx", ".xlsm", ".ods")
csv.field_size_limit(32 * 1024 * 1024)  # a 1 MB cell is read (and refused by name), not an unreadable file
_INFO_KEYS = {
    "period": {"ky bao cao", "ky", "period"},
    "edition": {"ban do", "edition", "ban do hanh chinh"},
    "kind": {"loai so lieu", "kind", "loai"},
    "source": {"nguon", "source"},
    "note": {"ghi chu", "note"},
    "province": {"tinh thanh", "tinh", "province", "tinh thanh pho"},
}


class GridError(KhanalyticsError, ValueError):
    """A file whose bytes cannot be turned into cells (an unknown text encoding, an unknown kind of file)."""

    rule = "unreadable_file"


@dataclass
class Grid:
    """One sheet as rows of cells; ``first_row`` is the spreadsheet row number of ``rows[0]``."""

    name: str | None  # sheet name; None for CSV / Parquet
    rows: list[list[object]]
    first_row: int = 1
    hidden_rows: frozenset[int] = frozenset()  # indices into rows
    hidden_cols: frozenset[int] = frozenset()  # 0-based column indices
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) index -> formula with no cached value


@dataclass
class ZipFacts:
    """What a zipped workbook unpacks to, learnt without parsing it."""

    uncompressed: int
    cells: int
    formulas: dict[str, dict[tuple[int, int], str]]  # sheet name -> (row, column) index -> formula without a cached value
    external_links: int


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → "A", 27 → "AB")."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks: the store's key for "already imported"."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _too_big(path: Path, what_vi: str, what_en: str, found: int, limit: int, rule: str) -> GridError:
    return GridError(f"tệp quá lớn: {what_vi} vượt {fmt_number(limit)} (một báo cáo tỉnh nhỏ hơn nhiều)",
                     f"file too large: {what_en} beyond {fmt_number(limit, lang='en')} (a provincial report is far smaller)",
                     rule=rule, file=path.name, value=f"> {fmt_number(found)}")


_CELL = re.compile(rb"<c[ >]")
_UNCACHED = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)", re.S)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1


def ods_cells(content: bytes) -> int:
    """The cells an .ods sheet file makes the reader build: each row up to its last filled cell, each row up to
    the last filled row, repeats multiplied. The trailing empty cells and rows LibreOffice writes (a style over
    the rest of the sheet, "repeated 1.048.576 times") are not built by the reader and not counted."""
    total = pending = 0
    for row in _ODS_ROW.finditer(content):
        width = filled_width = 0
        for cell in _ODS_CELL.finditer(row.group(2) or b""):
            width += _repeat(_COLUMNS_REPEATED, cell.group(1))
            if b"office:value-type" in cell.group(1) or b"<text:" in (cell.group(2) or b""):
                filled_width = width
        rows = _repeat(_ROWS_REPEATED, row.group(1))
        if filled_width:
            total += pending + rows * filled_width
            pending = 0
        else:
            pending += rows  # empty rows cost a row each, and only when a filled row follows them
    return total


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (xl/worksheets/sheet1.xml) -> sheet name, from the workbook and its relationships."""
    try:
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in workbook.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
        target = targets.get(sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"), "")
        parts["xl/" + target.lstrip("/").removeprefix("xl/")] = sheet.get("name", "")
    return parts


def inspect_zip(path: Path, *, max_uncompressed: int = MAX_UNCOMPRESSED, max_cells: int = MAX_CELLS) -> ZipFacts:
    """The unpacked size, the cell count and the uncached formulas of an .xlsx/.ods, streamed without parsing.

    Raises GridError (rule "file_too_large" or "too_many_cells") as soon as a
    limit is passed, so that a zip bomb costs seconds and a few MB.
    """
    with zipfile.ZipFile(path) as book:
        members = book.infolist()
        declared = sum(m.file_size for m in members)
        if declared > max_uncompressed:
            raise _too_big(path, "dung lượng giải nén", "unpacked size (bytes)", declared, max_uncompressed, "file_too_large")
        parts = _sheet_parts(book)
        cells, unpacked, formulas = 0, 0, {}
        for member in members:
            sheet_xml = member.filename in parts or member.filename.startswith("xl/worksheets/")
            if not (sheet_xml or member.filename == "content.xml"):
                continue
            data = bytearray()
            with book.open(member) as stream:  # the declared sizes may lie: count what really comes out
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > max_uncompressed:
                        raise _too_big(path, "dung lượng giải nén", "unpacked size (bytes)", unpacked, max_uncompressed,
                                       "file_too_large")
                    data += chunk
            if sheet_xml:
                cells += len(_CELL.findall(data))
            else:
                cells += ods_cells(bytes(data))
            if cells > max_cells:
                raise _too_big(path, "số ô", "cells", cells, max_cells, "too_many_cells")
            if sheet_xml and b"<f" in data:
                found = {(int(m.group(2)) - 1, _column_index(m.group(1).decode())): unescape((m.group(3) or b"").decode())
                         for m in _UNCACHED.finditer(data)}
                if found:
                    formulas[parts.get(member.filename, member.filename)] = found
        links = sum(m.filename.startswith("xl/externalLinks/") and m.filename.endswith(".xml") for m in members)
    return ZipFacts(declared, cells, formulas, links)


def read_grids(path: Path) -> tuple[list[Grid], dict]:
    """The grids of a file and the template's information sheet (as a dict), by the file's suffix.

    Raises GridError for a suffix it does not read, or a file that unpacks
    beyond the limits; the readers' own errors (a corrupt workbook, say) pass
    through for the caller to report. ``meta["external_links"]`` counts the
    other workbooks an .xlsx links to (its values are copies of theirs).
    """
    suffix = path.suffix.lower()
    if suffix in _ZIPPED:
        facts = inspect_zip(path)
        if suffix == ".ods":
            return _sheets_to_grids(_read_ods_sheets(path))
        grids, meta = _read_xlsx_grids(path, facts.formulas)
        if facts.external_links:
            meta["external_links"] = facts.external_links
        return grids, meta
    if suffix == ".xls":
        return _sheets_to_grids(_read_xls_sheets(path))
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv_grid(path.read_bytes())], {}
    if suffix == ".parquet":
        return [_read_parquet_grid(path)], {}
    raise GridError(f"không đọc được tệp {suffix or path.name}: cần .xlsx, .csv hoặc .parquet (hoặc .xls, .xlsm, .ods)",
                    f"cannot read a {suffix or path.name} file: expected .xlsx, .csv or .parquet (or .xls, .xlsm, .ods)",
                    file=path.name, value=suffix or path.name)


def _read_csv_grid(data: bytes) -> Grid:
    text = None
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise GridError("không giải mã được văn bản (cần UTF-8 hoặc Windows-1258)",
                        "cannot decode the text (expected UTF-8 or Windows-1258)")
    delimiter = _delimiter(text[:20000])
    if text.count(delimiter) + text.count("\n") > MAX_TEXT_CELLS:
        raise GridError(f"tệp quá lớn: hơn {fmt_number(MAX_TEXT_CELLS)} ô", f"file too large: more than "
                        f"{fmt_number(MAX_TEXT_CELLS, lang='en')} cells", rule="too_many_cells")
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(None, [[c if c.strip() else None for c in r] for r in rows])


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most lines into the same number of fields (title lines have fewer)."""
    lines = [line for line in sample.splitlines()[:200] if line.strip()]
    best, best_score = ",", 0
    for candidate in (";", ",", "\t", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=candidate)]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = widths.count(common) * (common - 1)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _spread_merged(rows: list[list[object]], ranges: list[tuple[int, int, int, int]]) -> None:
    """A merged cell speaks for every cell it spans: (first row, last row, first column, last column), 0-based inclusive."""
    for r0, r1, c0, c1 in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        top = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = top


def _sheets_to_grids(sheets: list[Grid]) -> tuple[list[Grid], dict]:
    """The data sheets, and the information sheet read as key–value pairs (the help sheet is skipped)."""
    meta: dict = {}
    grids = []
    for grid in sheets:
        if grid.name == INFO_SHEET:
            meta = _read_info(grid.rows)
        elif grid.name != HELP_SHEET:
            grids.append(grid)
    return grids, meta


def _read_xlsx_grids(path: Path, formulas: dict[str, dict[tuple[int, int], str]]) -> tuple[list[Grid], dict]:
    import openpyxl
    from openpyxl.utils import column_index_from_string

    book = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" and sheet.title != INFO_SHEET:
            continue
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        _spread_merged(rows, [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges])
        hidden_rows = frozenset(r - 1 for r, d in sheet.row_dimensions.items() if d.hidden)
        hidden_cols = frozenset(column_index_from_string(k) - 1 + i for k, d in sheet.column_dimensions.items() if d.hidden
                                for i in range((d.max or 0) - (d.min or 0) + 1))
        sheets.append(Grid(sheet.title, rows, hidden_rows=hidden_rows, hidden_cols=hidden_cols,
                           formulas=formulas.get(sheet.title, {})))
    return _sheets_to_grids(sheets)


def _read_xls_sheets(path: Path) -> list[Grid]:
    """Excel 97–2003 sheets through xlrd, merged cells spread and hidden rows and columns known.

    xlrd builds every cell before it can be counted, so the file's own size is the bound: an .xls holds about
    ten bytes a cell, and MAX_XLS_BYTES keeps what it can build near MAX_CELLS' order of magnitude.
    """
    import xlrd

    size = path.stat().st_size
    if size > MAX_XLS_BYTES:
        raise _too_big(path, "dung lượng tệp .xls", ".xls file size (bytes)", size, MAX_XLS_BYTES, "file_too_large")

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        if sum(book.sheet_by_index(i).nrows * book.sheet_by_index(i).ncols for i in range(book.nsheets)) > MAX_CELLS:
            raise _too_big(path, "số ô", "cells", MAX_CELLS + 1, MAX_CELLS, "too_many_cells")
        sheets = []
        for sheet in book.sheets():
            if sheet.visibility and sheet.name != INFO_SHEET:
                continue
            rows = [[_xls_value(c, book.datemode) for c in sheet.row(r)] for r in range(sheet.nrows)]
            _spread_merged(rows, [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells])
            hidden_rows = frozenset(r for r, info in sheet.rowinfo_map.items() if info.hidden)
            hidden_cols = frozenset(c for c, info in sheet.colinfo_map.items() if info.hidden)
            sheets.append(Grid(sheet.name, rows, hidden_rows=hidden_rows, hidden_cols=hidden_cols))
        return sheets
    finally:
        book.release_resources()


def _xls_value(cell: object, datemode: int) -> object:
    import xlrd

    kind, value = cell.ctype, cell.value  # type: ignore[attr-defined]
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(value, datemode)
    if kind == xlrd.XL_CELL_NUMBER and float(value).is_integer():
        return int(value)
    return value


def _read_ods_sheets(path: Path) -> list[Grid]:
    """OpenDocument sheets through pandas' odf engine (odfpy); a merged cell's value sits in its first cell."""
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    sheets = []
    for name, frame in frames.items():
        rows = [[None if (isinstance(v, float) and v != v) else (int(v) if isinstance(v, float) and v.is_integer() else v)
                 for v in row] for row in frame.astype(object).values.tolist()]
        sheets.append(Grid(str(name), rows))
    return sheets


def _read_info(rows: list[list[object]]) -> dict:
    meta = {}
    for row in rows:
        if len(row) < 2 or row[0] is None or row[1] is None:
            continue
        key = fold(str(row[0]))
        for name, words in _INFO_KEYS.items():
            if key in words or key.split(" / ")[0] in words or any(key.startswith(w + " ") for w in words):
                meta.setdefault(name, str(row[1]).strip())
    return meta


def _read_parquet_grid(path: Path) -> Grid:
    frame = pd.read_parquet(path)
    header = [str(c) for c in frame.columns]
    body = frame.astype(object).where(frame.notna(), None).values.tolist()
    return Grid(None, [header, *body], first_row=1)
