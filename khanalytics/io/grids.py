"""A file as grids: each sheet (or the one CSV/Parquet table) as rows of cells.

Reading is kept apart from understanding: here the bytes become cells (CSV in
UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258, any usual delimiter; merged
xlsx cells copied into every cell they span; the template's information sheet
read as key–value pairs), and ``layout`` then finds the table in the cells.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from khanalytics.errors import KhanalyticsError
from khanalytics.text import fold

__all__ = ["DATA_SHEET", "HELP_SHEET", "INFO_SHEET", "SUFFIXES", "Grid", "GridError", "column_letter", "file_sha256", "read_grids"]

DATA_SHEET = "Số liệu"
INFO_SHEET = "Thông tin"
HELP_SHEET = "Hướng dẫn"
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".parquet")
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


def read_grids(path: Path) -> tuple[list[Grid], dict]:
    """The grids of a file and the template's information sheet (as a dict), by the file's suffix.

    Raises GridError for a suffix it does not read; the readers' own errors
    (a corrupt workbook, say) pass through for the caller to report.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_grids(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv_grid(path.read_bytes())], {}
    if suffix == ".parquet":
        return [_read_parquet_grid(path)], {}
    raise GridError(f"không đọc được tệp {suffix or path.name}: cần .xlsx, .csv hoặc .parquet",
                    f"cannot read a {suffix or path.name} file: expected .xlsx, .csv or .parquet",
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
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Grid(None, [[c if c.strip() else None for c in r] for r in rows])


def _read_xlsx_grids(path: Path) -> tuple[list[Grid], dict]:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    grids, meta = [], {}
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" and sheet.title != INFO_SHEET:
            continue
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # a merged header cell speaks for every column it spans
            top = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
        if sheet.title == INFO_SHEET:
            meta = _read_info(rows)
        elif sheet.title != HELP_SHEET:
            grids.append(Grid(sheet.title, rows))
    return grids, meta


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
