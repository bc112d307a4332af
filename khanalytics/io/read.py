"""Read the reports provinces send (CSV, XLSX, Parquet) into tidy values.

The reader never guesses: what it cannot read becomes an Issue naming the
file, sheet, row and column, and the file is rejected by validation. A totals
row ("Tổng cộng", "Toàn tỉnh") is kept apart, to be checked against the sum
of the rows instead of stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.diagnostics import Issue
from khanalytics.io.grids import SUFFIXES, Grid, column_letter, file_sha256, read_grids
from khanalytics.io.layout import Layout, find_layout
from khanalytics.io.numbers import NotANumber, parse_number
from khanalytics.periods import Period, PeriodError
from khanalytics.text import fold

__all__ = ["KINDS", "MAX_BYTES", "TOTAL_COLUMNS", "VALUE_COLUMNS", "Reading", "kind_from_text", "period_from_text",
           "read_file"]

MAX_BYTES = 25 * 1024 * 1024
KINDS = ("published", "reported", "synthetic")
_TOTAL_WORDS = {"tong cong", "cong", "toan tinh", "tong", "tong so", "ca nuoc", "toan quoc", "total", "grand total", "sum"}
_KIND_WORDS = {"synthetic": "synthetic", "tong hop": "synthetic", "minh hoa": "synthetic", "gia lap": "synthetic",
               "reported": "reported", "bao cao": "reported", "published": "published", "cong bo": "published",
               "da cong bo": "published"}


@dataclass
class Reading:
    """What one file says, before validation."""

    file: Path
    sha256: str
    kind: str
    edition: str | None
    values: pd.DataFrame  # edition, code, period, element, value, sheet, row, column, input_name, raw
    totals: pd.DataFrame  # edition, period, element, value, sheet, row, column
    issues: list[Issue] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """The issues that reject the file."""
        return [i for i in self.issues if i.severity == "error"]


VALUE_COLUMNS = ["edition", "code", "period", "element", "value", "sheet", "row", "column", "input_name", "raw"]
TOTAL_COLUMNS = ["edition", "period", "element", "value", "sheet", "row", "column"]


def period_from_text(text: str | None) -> Period | None:
    """The period a sheet name, title line or information cell speaks of ("6 tháng đầu năm 2019"), or None."""
    if not text:
        return None
    try:
        return Period.parse(text)
    except PeriodError:
        pass
    key = fold(text)
    year = re.search(r"(20\d\d)", key)
    if not year:
        return None
    if re.search(r"6 thang dau nam|dau nam|first half|h1|6t|6/20\d\d|thang 6", key):
        return Period(int(year.group(1)), 1)
    if re.search(r"6 thang cuoi nam|cuoi nam|second half|h2", key):
        return Period(int(year.group(1)), 2)
    if re.search(r"^nam|ca nam|year|^\d{4}$", key):
        return Period(int(year.group(1)))
    return None


def kind_from_text(text: str | None) -> str | None:
    """published, reported or synthetic from the words of the information sheet ("số liệu minh hoạ"), or None."""
    if not text:
        return None
    key = fold(text)
    for word, kind in _KIND_WORDS.items():
        if word in key:
            return kind
    return None


def read_file(
    path: str | Path,
    *,
    period: str | None = None,
    edition: str | None = None,
    kind: str | None = None,
    province: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Reading:
    """Read one file into tidy values plus the issues met on the way.

    ``period``, ``edition``, ``kind`` and ``province`` are used when the file
    does not say (a period column wins over a sheet name, which wins over the
    template's information sheet, which wins over the title line).
    """
    path = Path(path)
    name = path.name
    issues: list[Issue] = []

    def fail(rule: str, vi: str, en: str, **kw: object) -> Reading:
        issues.append(Issue("error", rule, name, vi, en, **kw))  # type: ignore[arg-type]
        empty = pd.DataFrame(columns=VALUE_COLUMNS)
        return Reading(path, sha, kind or "reported", edition, empty, pd.DataFrame(columns=TOTAL_COLUMNS), issues)

    sha = ""
    try:
        size = path.stat().st_size
    except OSError as err:
        return fail("unreadable_file", "một tệp tồn tại và đọc được", "an existing, readable file", detail_vi=str(err),
                    detail_en=str(err))
    if size > max_bytes:
        return fail("file_too_large", f"tối đa {max_bytes // (1024 * 1024)} MB", f"at most {max_bytes // (1024 * 1024)} MB",
                    value=f"{size / 1024 / 1024:.1f} MB")
    if size == 0:
        return fail("empty_file", "một bảng số liệu", "a table of values")
    sha = file_sha256(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return fail("unreadable_file", "tệp .xlsx, .csv hoặc .parquet", "an .xlsx, .csv or .parquet file",
                    value=suffix or name)
    try:
        grids, meta = read_grids(path)
    except Exception as err:  # openpyxl and pyarrow raise many kinds on corrupt input
        return fail("unreadable_file", "một tệp Excel/CSV/Parquet hợp lệ", "a valid Excel/CSV/Parquet file",
                    detail_vi=f"{type(err).__name__}: {err}"[:200], detail_en=f"{type(err).__name__}: {err}"[:200])

    kind = kind or kind_from_text(meta.get("kind")) or "reported"
    if kind not in KINDS:
        return fail("unreadable_file", f"loại số liệu là một trong {KINDS}", f"kind one of {KINDS}", value=kind)
    file_period = Period.parse(period) if period else period_from_text(meta.get("period"))
    file_edition = geo.check_edition(edition) if edition else (
        geo.check_edition(meta["edition"][:4]) if meta.get("edition", "")[:4] in geo.EDITIONS else None)
    file_province = province or meta.get("province")

    frames, totals, tables = [], [], 0
    for grid in grids:
        layout = find_layout(grid)
        if layout is None:
            continue
        tables += 1
        values, sheet_totals = _read_grid(grid, layout, name, file_period, file_edition, file_province, issues)
        frames.extend(values)
        totals.extend(sheet_totals)
    values = pd.DataFrame(frames, columns=VALUE_COLUMNS)
    if not tables and not any(i.severity == "error" for i in issues):
        issues.append(Issue("error", "empty_file", name, "ít nhất một giá trị của một chỉ tiêu trong danh mục",
                            "at least one value of a catalogue element"))
    editions = sorted(set(values["edition"].dropna())) if not values.empty else []
    meta.update({"size": size, "sheets": [g.name for g in grids if g.name]})
    return Reading(path, sha, kind, file_edition or (editions[0] if len(editions) == 1 else None), values,
                   pd.DataFrame(totals, columns=TOTAL_COLUMNS), issues, meta)




def _is_total_label(cell: object) -> bool:
    if cell is None:
        return False
    key = fold(str(cell))
    return key in _TOTAL_WORDS or key.startswith("tong cong") or key.startswith("cong ")


def _read_grid(
    grid: Grid,
    layout: Layout,
    file: str,
    file_period: Period | None,
    file_edition: str | None,
    file_province: str | None,
    issues: list[Issue],
) -> tuple[list[tuple], list[tuple]]:
    sheet = grid.name
    header = grid.rows[layout.header_row]
    sheet_period = period_from_text(sheet) if sheet else None
    title_period = next((p for row in grid.rows[: layout.header_row] for cell in row if isinstance(cell, str)
                         if (p := period_from_text(cell))), None)
    for c, text in layout.unknown.items():
        issues.append(Issue("error", "unknown_element", file, "một chỉ tiêu trong danh mục (xem khanalytics catalogue)",
                            "an element of the catalogue (see khanalytics catalogue)", sheet,
                            grid.first_row + layout.header_row, column_letter(c), text))
    values: list[tuple] = []
    totals: list[tuple] = []
    for offset, row in enumerate(grid.rows[layout.header_row + 1:], start=layout.header_row + 1):
        excel_row = grid.first_row + offset
        cells = list(row) + [None] * (len(header) - len(row))
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if offset == layout.header_row + 1 and _looks_like_code_row(cells, layout):
            continue  # the template's row of element codes under the labels
        where = {"sheet": sheet, "row": excel_row}
        # which period?
        row_period = None
        if layout.period_col is not None and cells[layout.period_col] not in (None, ""):
            try:
                row_period = Period.parse(str(cells[layout.period_col]))
            except PeriodError:
                issues.append(Issue("error", "bad_period", file, "dạng 2019-H1, 2019-H2 hoặc 2019", "2019-H1, 2019-H2 or 2019",
                                    column=column_letter(layout.period_col), value=cells[layout.period_col], **where))
                continue
        p = row_period or file_period or sheet_period or title_period
        if p is None:
            issues.append(Issue("error", "missing_period", file, "cột 'Kỳ báo cáo', tên trang '2019-H1' hoặc tham số --period",
                                "a 'period' column, a sheet named like '2019-H1', or --period", **where))
            continue
        ed = file_edition or geo.edition_for(p)
        # which province?
        label_cell = cells[layout.province_col] if layout.province_col is not None else None
        code_cell = cells[layout.code_col] if layout.code_col is not None else None
        if _is_total_label(label_cell) or (label_cell is None and _is_total_label(code_cell)):
            for c, element in _row_elements(layout, cells):
                try:
                    v = parse_number(cells[c], whole=catalogue.element(element.code).whole_number)
                except NotANumber:
                    v = None
                if v is not None:
                    totals.append((ed, p.code, element.code, v * element.scale, sheet, excel_row, column_letter(c)))
            continue
        if label_cell is None and code_cell is None and file_province:
            label_cell = file_province
        numbers_present = any(cells[c] not in (None, "") for c, _ in _row_elements(layout, cells))
        if label_cell is None and code_cell is None:
            if numbers_present:
                issues.append(Issue("error", "unknown_province", file, "tên hoặc mã tỉnh/thành", "a province name or code",
                                    column=column_letter(layout.province_col or 0), **where))
            continue
        code = _resolve_row_province(label_cell, code_cell, ed, file, layout, where, issues, numbers_present)
        if code is None:
            continue
        for c, match in _row_elements(layout, cells):
            raw = cells[c]
            column = column_letter(c)
            element = match.code
            whole = catalogue.element(element).whole_number
            try:
                value = parse_number(raw, whole=whole)
            except NotANumber:
                issues.append(Issue("error", "not_a_number", file, "một số, ví dụ 2.265.712", "a number, e.g. 2.265.712",
                                    column=column, value=raw, province=code, period=p.code, element=element, **where))
                continue
            if value is None:
                continue
            value *= match.scale
            if whole and not float(value).is_integer():
                issues.append(Issue("error", "not_whole_number", file, "một số nguyên", "a whole number", column=column,
                                    value=raw, province=code, period=p.code, element=element, **where))
                continue
            values.append((ed, code, p.code, element, value, sheet, excel_row, column,
                           str(label_cell if label_cell is not None else code_cell), None if raw is None else str(raw)))
    return values, totals


def _looks_like_code_row(cells: list[object], layout: Layout) -> bool:
    hits = [c for c, m in layout.elements.items() if isinstance(cells[c], str) and cells[c].strip() == m.code]
    return len(hits) >= max(1, len(layout.elements) // 2)


def _row_elements(layout: Layout, cells: list[object]) -> Iterable[tuple[int, catalogue.HeaderMatch]]:
    if layout.elements:
        return layout.elements.items()
    if layout.element_col is None or layout.value_col is None:
        return []
    text = cells[layout.element_col]
    match = None if text is None else catalogue.parse_header(str(text))
    return [] if match is None else [(layout.value_col, match)]


def _resolve_row_province(label, code_cell, edition, file, layout, where, issues, numbers_present) -> str | None:
    resolved = []
    for cell, col in ((code_cell, layout.code_col), (label, layout.province_col)):
        if cell is None or str(cell).strip() == "":
            continue
        try:
            resolved.append((geo.resolve_province(cell, edition=edition), cell, col))
        except geo.ProvinceNameError as err:
            if not numbers_present and col == layout.province_col:
                return None  # a note under the table, not a province
            issues.append(Issue("error", "unknown_province", file,
                                f"một tỉnh/thành trên bản đồ {edition}" + (f" (gần nhất: {', '.join(err.suggestions)})" if err.suggestions else ""),
                                f"a province on the {edition} map" + (f" (closest: {', '.join(err.suggestions)})" if err.suggestions else ""),
                                column=column_letter(col or 0), value=cell, detail_vi=err.reason, detail_en=err.reason, **where))
            return None
    codes = {r[0] for r in resolved}
    if len(codes) > 1:
        issues.append(Issue("error", "code_name_mismatch", file, "mã và tên cùng chỉ một tỉnh", "code and name of the same province",
                            column=column_letter(layout.code_col or 0), value=f"{resolved[0][1]} / {resolved[1][1]}", **where))
        return None
    return resolved[0][0] if resolved else None

