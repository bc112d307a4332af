"""Read the reports provinces send (CSV, XLSX, Parquet) into tidy values.

The reader never guesses: what it cannot read becomes an Issue naming the
file, sheet, row and column, and the file is rejected by validation. A totals
row ("Tổng cộng", "Toàn tỉnh") is kept apart, to be checked against the sum
of the rows instead of stored. The period comes from every clue at once
(``clues``); a table of one province's districts gives the province's figures
from its "Toàn tỉnh" row, only when every district reported and they add up;
the table ends where the signature block begins; a rate column is checked,
not stored; a sheet with nothing under its header (a cover sheet) is no table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.diagnostics import Issue
from khanalytics.formatting import fmt_number
from khanalytics.io.clues import Clue, date_from_text, disagreements, reported_period
from khanalytics.io.grids import SUFFIXES, Grid, GridError, column_letter, file_sha256, read_grids
from khanalytics.io.layout import Layout, find_layout
from khanalytics.io.numbers import NotANumber, parse_number
from khanalytics.periods import Period, PeriodError
from khanalytics.text import fold

__all__ = ["KINDS", "MAX_BYTES", "RATE_COLUMNS", "TOTAL_COLUMNS", "VALUE_COLUMNS", "Reading", "kind_from_text",
           "period_from_text", "read_file"]

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
    rates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RATE_COLUMNS))  # stated, to be checked

    @property
    def errors(self) -> list[Issue]:
        """The issues that reject the file."""
        return [i for i in self.issues if i.severity == "error"]


VALUE_COLUMNS = ["edition", "code", "period", "element", "value", "sheet", "row", "column", "input_name", "raw"]
TOTAL_COLUMNS = ["edition", "period", "element", "value", "sheet", "row", "column"]
RATE_COLUMNS = ["edition", "code", "period", "indicator", "value", "sheet", "row", "column"]
_SIGNATURE_WORDS = re.compile(r"\b(?:nguoi lap( bieu)?|chu tich|tm\b|t/m|ky ten|ghi ro ho ten|da ky|thu truong|xac nhan|"
                              r"ke toan|truong ban|giam doc|nguoi ky|noi nhan)")


def period_from_text(text: str | None) -> Period | None:
    """The period a sheet name, title line or information cell reports on ("6 tháng đầu năm 2019"), or None."""
    return reported_period(text) if text else None


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
    except GridError as err:
        return fail(err.rule, err.vi, err.en, value=err.context.get("value"))
    except MemoryError:
        return fail("file_too_large", "một tệp đọc được trong bộ nhớ", "a file that fits in memory")
    except Exception as err:  # openpyxl and pyarrow raise many kinds on corrupt input
        return fail("unreadable_file", "một tệp Excel/CSV/Parquet hợp lệ", "a valid Excel/CSV/Parquet file",
                    detail_vi=f"{type(err).__name__}: {err}"[:200], detail_en=f"{type(err).__name__}: {err}"[:200])

    kind = kind or kind_from_text(meta.get("kind")) or "reported"
    if kind not in KINDS:
        return fail("unreadable_file", f"loại số liệu là một trong {KINDS}", f"kind one of {KINDS}", value=kind)
    option = Period.parse(period) if period else None
    file_clues = [Clue("info", str(meta["period"]), period_from_text(str(meta["period"])))] if meta.get("period") else []
    file_edition = geo.check_edition(edition) if edition else (
        geo.check_edition(meta["edition"][:4]) if meta.get("edition", "")[:4] in geo.EDITIONS else None)
    file_province = province or meta.get("province")
    if meta.get("external_links"):
        issues.append(Issue("flag", "external_links", name, "số liệu gõ trực tiếp, không liên kết tới tệp khác",
                            "values typed in, not linked to other workbooks", value=meta["external_links"],
                            detail_vi="giá trị là bản sao từ tệp khác, có thể đã cũ",
                            detail_en="the values are copies from other files and may be stale"))
    evaluate = _formula_evaluator(path)

    frames, totals, rates, tables = [], [], [], 0
    sheets = [_SheetReader(grid, layout, name, option, file_clues, file_edition, file_province, evaluate)
              for grid in grids if (layout := find_layout(grid)) is not None]
    if any(s.holds_table() for s in sheets):
        sheets = [s for s in sheets if s.holds_table()]  # a cover sheet with a header word on it is no table
    for sheet in sheets:
        grid = sheet.grid
        tables += 1
        sheet.read()
        issues.extend(sheet.issues)
        frames.extend(sheet.values)
        totals.extend(sheet.totals)
        rates.extend(sheet.rates)
        meta.setdefault("period_sources", {})[grid.name or ""] = sheet.period_source
    values = pd.DataFrame(frames, columns=VALUE_COLUMNS)
    if not tables and not any(i.severity == "error" for i in issues):
        issues.append(Issue("error", "empty_file", name, "ít nhất một giá trị của một chỉ tiêu trong danh mục",
                            "at least one value of a catalogue element"))
    editions = sorted(set(values["edition"].dropna())) if not values.empty else []
    meta.update({"size": size, "sheets": [g.name for g in grids if g.name]})
    return Reading(path, sha, kind, file_edition or (editions[0] if len(editions) == 1 else None), values,
                   pd.DataFrame(totals, columns=TOTAL_COLUMNS), issues, meta, pd.DataFrame(rates, columns=RATE_COLUMNS))




def _is_total_label(cell: object) -> bool:
    if cell is None:
        return False
    key = fold(str(cell))
    return key in _TOTAL_WORDS or key.startswith("tong cong") or key.startswith("cong ")


Evaluator = Callable[[str, str], object]


def _formula_evaluator(path: Path) -> Evaluator:
    """Computes a formula cell that has no cached value (pycel, loaded once per file and only when needed)."""
    compiled: list[object] = []

    def evaluate(sheet: str, cell: str) -> object:
        if not compiled:
            from pycel import ExcelCompiler

            compiled.append(ExcelCompiler(filename=str(path)))
        return compiled[0].evaluate(f"{sheet}!{cell}")  # type: ignore[attr-defined]

    return evaluate


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


class _SheetReader:
    """One table of one sheet: its rows, its period, its province or districts, and the issues met."""

    def __init__(self, grid: Grid, layout: Layout, file: str, option: Period | None, file_clues: list[Clue],
                 file_edition: str | None, file_province: str | None, evaluate: Evaluator) -> None:
        self.grid, self.layout, self.file = grid, layout, file
        self.option, self.file_clues = option, file_clues
        self.file_edition, self.file_province, self.evaluate = file_edition, file_province, evaluate
        self.sheet = grid.name
        self.header = grid.rows[layout.header_row]
        self.issues: list[Issue] = []
        self.values: list[tuple] = []
        self.totals: list[tuple] = []
        self.rates: list[tuple] = []
        self.period_source = ""
        self.rows, self.after = self._table_rows()

    # --- the table's extent -----------------------------------------------------------

    def _cells(self, r: int) -> list[object]:
        row = self.grid.rows[r]
        width = max(len(self.header), len(row))
        return list(row) + [None] * (width - len(row))

    def _data_columns(self) -> list[int]:
        cols = list(self.layout.elements) + list(self.layout.rates)
        return cols + ([self.layout.value_col] if self.layout.value_col is not None else [])

    def _table_rows(self) -> tuple[list[int], list[int]]:
        """Row indices of the table, and those after it (the signature block), which is no data."""
        rows: list[int] = []
        start = self.layout.header_row + 1
        for r in range(start, len(self.grid.rows)):
            cells = self._cells(r)
            if all(_is_blank(c) for c in cells):
                continue
            texts = [fold(c) for c in cells if isinstance(c, str)]
            numbers = any(isinstance(cells[c], int | float) for c in self._data_columns() if c < len(cells))
            if not numbers and any(_SIGNATURE_WORDS.search(t) or date_from_text(t) for t in texts):
                return rows, list(range(r, len(self.grid.rows)))
            rows.append(r)
        return rows, []

    def holds_table(self) -> bool:
        """Whether any row under the header has something in a column of values (a cover sheet has not)."""
        return any(not _is_blank(self._cells(r)[c]) for r in self.rows for c in self._data_columns()
                   if c < len(self._cells(r)))

    def _cell(self, r: int, c: int) -> tuple[object, Issue | None]:
        """A cell's value; a formula with no cached value is computed, or an issue naming it."""
        value = self._cells(r)[c]
        formula = self.grid.formulas.get((r, c))
        if value is not None or formula is None:
            return value, None
        where = f"{column_letter(c)}{self.grid.first_row + r}"
        try:
            value = self.evaluate(self.sheet or "", where)
        except Exception as err:  # pycel raises many kinds on what it cannot compute
            return None, Issue("error", "formula_without_value", self.file,
                               "một giá trị đã tính (mở và lưu tệp bằng Excel hoặc LibreOffice)",
                               "a computed value (open and save the file in Excel or LibreOffice)",
                               self.sheet, self.grid.first_row + r, column_letter(c), f"={formula}",
                               detail_vi=f"công thức không có giá trị lưu sẵn, không tính được: {type(err).__name__}",
                               detail_en=f"formula with no cached value that cannot be computed: {type(err).__name__}")
        if isinstance(value, str) and value.startswith("#"):
            return None, Issue("error", "formula_without_value", self.file, "một giá trị đã tính", "a computed value",
                               self.sheet, self.grid.first_row + r, column_letter(c), f"={formula} → {value}")
        return value, None

    # --- the period -------------------------------------------------------------------

    def _clues(self) -> list[Clue]:
        clues = list(self.file_clues)
        if self.sheet and (p := period_from_text(self.sheet)):
            clues.append(Clue("sheet", self.sheet, p))
        for r in [*range(self.layout.header_row), *self.after]:
            for c, cell in enumerate(self.grid.rows[r]):
                if not isinstance(cell, str):
                    continue
                where = {"sheet": self.sheet, "row": self.grid.first_row + r, "column": column_letter(c)}
                if r < self.layout.header_row and (p := period_from_text(cell)):
                    clues.append(Clue("title", cell.strip(), p, **where))
                if d := date_from_text(cell):
                    clues.append(Clue("date", cell.strip(), date=d, **where))
        return clues

    def _row_periods(self) -> dict[int, Period]:
        out = {}
        col = self.layout.period_col
        if col is None:
            return out
        for r in self.rows:
            cell = self._cells(r)[col]
            if _is_blank(cell):
                continue
            try:
                out[r] = Period.parse(str(cell))
            except PeriodError:
                self.issues.append(Issue("error", "bad_period", self.file, "dạng 2019-H1, 2019-H2 hoặc 2019",
                                         "2019-H1, 2019-H2 or 2019", self.sheet, self.grid.first_row + r,
                                         column_letter(col), cell))
        return out

    def _conflict(self, clues: list[Clue]) -> None:
        first = next((c for c in clues if c.row is not None), clues[0])
        self.issues.append(Issue(
            "error", "conflicting_period", self.file,
            "mọi dấu hiệu về kỳ báo cáo chỉ cùng một kỳ; nếu chắc chắn, chỉ rõ bằng --period",
            "every clue to the period naming the same one; if you are sure, say it with --period",
            self.sheet, first.row, first.column,
            detail_vi="; ".join(c.describe("vi") for c in clues), detail_en="; ".join(c.describe("en") for c in clues)))

    def _decide_period(self, row_periods: dict[int, Period]) -> tuple[Period | None, bool]:
        """The period of rows without their own, and whether the clues allow reading the sheet at all."""
        clues = self._clues()
        column = sorted(set(row_periods.values()))
        column_clues = [Clue("column", p.code, p, self.sheet, None, column_letter(self.layout.period_col or 0))
                        for p in column]
        if self.option is not None:
            against = disagreements(clues + column_clues, self.option)
            if against:
                self.issues.append(Issue(
                    "flag", "period_overridden", self.file, f"kỳ {self.option.code} theo --period",
                    f"period {self.option.code} from --period", self.sheet, value=self.option.code,
                    detail_vi="--period thay cho: " + "; ".join(c.describe("vi") for c in against),
                    detail_en="--period overrides: " + "; ".join(c.describe("en") for c in against)))
            self.period_source = "--period"
            return self.option, True
        named = [c for c in clues if c.period is not None]
        if column:
            wrong = [c for c in named if c.period not in column]
            chosen = column
        else:
            chosen = sorted({c.period for c in named})  # type: ignore[type-var]
            wrong = named if len(chosen) > 1 else []
        if wrong:
            self._conflict(wrong + column_clues if column else wrong)
            return None, False
        dates = [c for c in clues if c.date is not None]
        if chosen and dates:
            late = [d for d in dates if all(disagreements([d], p) for p in chosen)]
            if late:
                self._conflict(named + column_clues + late)
                return None, False
        self.period_source = ", ".join(sorted({c.source for c in named} | ({"column"} if column else set())))
        return (chosen[0] if len(chosen) == 1 and not column else (named[0].period if named else None)), True

    # --- reading ----------------------------------------------------------------------

    def read(self) -> None:
        """Read the table into values, totals and rates (or issues)."""
        for c, text in self.layout.unknown.items():
            self.issues.append(Issue("error", "unknown_element", self.file,
                                     "một chỉ tiêu trong danh mục (xem khanalytics catalogue)",
                                     "an element of the catalogue (see khanalytics catalogue)", self.sheet,
                                     self.grid.first_row + self.layout.header_row, column_letter(c), text))
        row_periods = self._row_periods()
        default, readable = self._decide_period(row_periods)
        if not readable:
            return
        rows = [r for r in self.rows if not (r == self.layout.header_row + 1 and _looks_like_code_row(self._cells(r), self.layout))]
        labels = {r: self._label(r) for r in rows}
        below = {r: geo.subdivision(labels[r][0], edition=self._edition(default)) for r in rows if labels[r][0] is not None
                 and not _is_total_label(labels[r][0]) and default is not None}
        if below and sum(v is not None for v in below.values()) * 2 >= len(below):
            self._read_districts(rows, labels, default)  # type: ignore[arg-type]
            return
        for r in rows:
            self._read_row(r, labels[r], row_periods.get(r) or default)

    def _edition(self, p: Period) -> str:
        return self.file_edition or geo.edition_for(p)

    def _label(self, r: int) -> tuple[object, object]:
        cells = self._cells(r)
        label = cells[self.layout.province_col] if self.layout.province_col is not None else None
        code = cells[self.layout.code_col] if self.layout.code_col is not None else None
        return (None if _is_blank(label) else label), (None if _is_blank(code) else code)

    def _number(self, r: int, c: int, element: str | None, scale: float = 1, **context: object) -> float | None:
        """A cell as a number of ``element`` (or of a rate when None), with its issues; None when empty or refused."""
        raw, issue = self._cell(r, c)
        where = {"sheet": self.sheet, "row": self.grid.first_row + r, "column": column_letter(c)}
        if issue:
            self.issues.append(issue)
            return None
        whole = element is not None and catalogue.element(element).whole_number
        try:
            value = parse_number(raw, whole=whole)
        except NotANumber:
            self.issues.append(Issue("error", "not_a_number", self.file, "một số, ví dụ 2.265.712", "a number, e.g. 2.265.712",
                                     value=raw, element=element, **where, **context))  # type: ignore[arg-type]
            return None
        if value is None:
            return None
        if not math.isfinite(value):
            self.issues.append(Issue("error", "implausible_value", self.file, "một số hữu hạn", "a finite number",
                                     value=raw, element=element, **where, **context))  # type: ignore[arg-type]
            return None
        value *= scale
        if whole and not float(value).is_integer():
            self.issues.append(Issue("error", "not_whole_number", self.file, "một số nguyên", "a whole number", value=raw,
                                     element=element, **where, **context))  # type: ignore[arg-type]
            return None
        if isinstance(raw, str) and raw.strip().startswith("+"):
            self.issues.append(Issue("flag", "plus_sign", self.file, "một số không có dấu '+' đứng trước",
                                     "a number without a leading '+'", value=raw, element=element,
                                     detail_vi="đọc là số dương; dấu '+' thường là số thay đổi, không phải số liệu",
                                     detail_en="read as positive; a '+' usually marks a change, not a figure",
                                     **where, **context))  # type: ignore[arg-type]
        if r in self.grid.hidden_rows or c in self.grid.hidden_cols:
            self.issues.append(Issue("flag", "hidden_value", self.file, "số liệu trong hàng, cột đang hiện",
                                     "values in visible rows and columns", value=raw, element=element,
                                     detail_vi="ô nằm trong hàng hoặc cột bị ẩn", detail_en="the cell is in a hidden row or column",
                                     **where, **context))  # type: ignore[arg-type]
        return value

    def _read_totals(self, r: int, p: Period) -> None:
        ed = self._edition(p)
        for c, element in _row_elements(self.layout, self._cells(r)):
            if (r, c) in self.grid.formulas and self._cells(r)[c] is None:
                continue  # the totals' own SUM with no cached value: the rows are summed anyway
            try:
                v = parse_number(self._cells(r)[c], whole=catalogue.element(element.code).whole_number)
            except NotANumber:
                v = None
            if v is not None and math.isfinite(v):
                self.totals.append((ed, p.code, element.code, v * element.scale, self.sheet, self.grid.first_row + r,
                                    column_letter(c)))

    def _read_row(self, r: int, label: tuple[object, object], p: Period | None) -> None:
        cells = self._cells(r)
        where = {"sheet": self.sheet, "row": self.grid.first_row + r}
        label_cell, code_cell = label
        if p is None:
            self.issues.append(Issue("error", "missing_period", self.file,
                                     "cột 'Kỳ báo cáo', tên trang '2019-H1', tiêu đề '6 tháng đầu năm 2019' hoặc --period",
                                     "a 'period' column, a sheet named like '2019-H1', a title, or --period", **where))
            return
        ed = self._edition(p)
        if _is_total_label(label_cell) or (label_cell is None and _is_total_label(code_cell)):
            self._read_totals(r, p)
            return
        if label_cell is None and code_cell is None and self.file_province:
            label_cell = self.file_province
        numbers_present = any(not _is_blank(cells[c]) or (r, c) in self.grid.formulas
                              for c, _ in _row_elements(self.layout, cells))
        if label_cell is None and code_cell is None:
            if numbers_present:
                self.issues.append(Issue("error", "unknown_province", self.file, "tên hoặc mã tỉnh/thành",
                                         "a province name or code", column=column_letter(self.layout.province_col or 0),
                                         **where))
            return
        code = _resolve_row_province(label_cell, code_cell, ed, self.file, self.layout, where, self.issues, numbers_present)
        if code is None:
            return
        context = {"province": code, "period": p.code}
        for c, match in _row_elements(self.layout, cells):
            value = self._number(r, c, match.code, match.scale, **context)
            if value is not None:
                raw = cells[c]
                self.values.append((ed, code, p.code, match.code, value, self.sheet, self.grid.first_row + r,
                                    column_letter(c), str(label_cell if label_cell is not None else code_cell),
                                    None if raw is None else str(raw)))
        for c, indicator in self.layout.rates.items():
            value = self._number(r, c, None, **context)
            if value is not None:
                self.rates.append((ed, code, p.code, indicator, value, self.sheet, self.grid.first_row + r, column_letter(c)))

    # --- a table of one province's districts -----------------------------------------------

    def _district_province(self, ed: str) -> str | None:
        if self.file_province:
            try:
                return geo.resolve_province(self.file_province, edition=ed)
            except geo.ProvinceNameError:
                return None
        for r in range(self.layout.header_row):
            for cell in self.grid.rows[r]:
                match = re.search(r"(?:hoi khuyen hoc|ubnd|uy ban nhan dan)\s+(?:tinh|thanh pho|tp)?\s*(.+)$",
                                  fold(cell)) if isinstance(cell, str) else None
                if match:
                    try:
                        return geo.resolve_province(match.group(1), edition=ed)
                    except geo.ProvinceNameError:
                        continue
        return None

    def _district_issue(self, rule: str, vi: str, en: str, r: int | None = None, c: int | None = None, **kw: object) -> None:
        self.issues.append(Issue("error", rule, self.file, vi, en, self.sheet,  # type: ignore[arg-type]
                                 None if r is None else self.grid.first_row + r,
                                 None if c is None else column_letter(c), **kw))  # type: ignore[arg-type]

    def _read_districts(self, rows: list[int], labels: dict[int, tuple[object, object]], p: Period) -> None:
        """A district table: its "Toàn tỉnh" row is the province's figure, when every district reported and they add up."""
        ed = self._edition(p)
        code = self._district_province(ed)
        totals = [r for r in rows if _is_total_label(labels[r][0])]
        districts = [r for r in rows if labels[r][0] is not None and r not in totals]
        explain_vi = "bảng theo huyện/thành phố của một tỉnh, không phải bảng theo tỉnh"
        explain_en = "a table of one province's districts and cities, not of provinces"
        if code is None:
            self._district_issue("district_table", "tên tỉnh (--province hoặc tiêu đề 'HỘI KHUYẾN HỌC TỈNH …')",
                                 "the province's name (--province or a title 'HỘI KHUYẾN HỌC TỈNH …')", districts[0],
                                 self.layout.province_col, value=labels[districts[0]][0], detail_vi=explain_vi,
                                 detail_en=explain_en)
            return
        if not totals:
            self._district_issue("district_table", "một hàng 'Toàn tỉnh' hoặc 'Cộng' cho số liệu của tỉnh",
                                 "a 'Toàn tỉnh' or 'Cộng' row for the province's figures", districts[0],
                                 self.layout.province_col, value=labels[districts[0]][0], detail_vi=explain_vi,
                                 detail_en=explain_en)
            return
        total = totals[-1]
        context = {"province": code, "period": p.code}
        for c, match in _row_elements(self.layout, self._cells(total)):
            value = self._number(total, c, match.code, match.scale, **context)
            empty = [r for r in districts if _is_blank(self._cells(r)[c]) and (r, c) not in self.grid.formulas]
            if value is None and len(empty) == len(districts):
                continue  # an element nobody reported
            if value is None or empty:
                missing = empty or [total]
                self._district_issue(
                    "incomplete_district_table", "mọi huyện/thành phố và hàng 'Toàn tỉnh' đều có số liệu",
                    "every district and the 'Toàn tỉnh' row filled in", missing[0], c, element=match.code,
                    value=f"{len(missing)} ô trống / empty cells", **context,
                    detail_vi="ô trống: " + ", ".join(f"{column_letter(c)}{self.grid.first_row + r}" for r in missing[:10]),
                    detail_en="empty cells: " + ", ".join(f"{column_letter(c)}{self.grid.first_row + r}" for r in missing[:10]))
                continue
            parts = [self._number(r, c, match.code, match.scale, **context) for r in districts]
            if any(v is None for v in parts):
                continue
            added = sum(parts)  # type: ignore[arg-type]
            if abs(added - value) > 0.5:
                self._district_issue("district_sum_mismatch", f"bằng tổng các huyện ({fmt_number(added)})",
                                     f"equal to the districts' sum ({fmt_number(added, lang='en')})", total, c,
                                     element=match.code, value=self._cells(total)[c], **context)
                continue
            raw = self._cells(total)[c]
            self.values.append((ed, code, p.code, match.code, value, self.sheet, self.grid.first_row + total,
                                column_letter(c), str(labels[total][0]), None if raw is None else str(raw)))


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
                                column=column_letter(col or 0), value=cell, detail_vi=err.reason, detail_en=err.reason_en, **where))
            return None
    codes = {r[0] for r in resolved}
    if len(codes) > 1:
        issues.append(Issue("error", "code_name_mismatch", file, "mã và tên cùng chỉ một tỉnh", "code and name of the same province",
                            column=column_letter(layout.code_col or 0), value=f"{resolved[0][1]} / {resolved[1][1]}", **where))
        return None
    return resolved[0][0] if resolved else None

