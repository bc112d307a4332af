"""Read the reports provinces send (CSV, XLSX, Parquet) into tidy observations.

Provinces write their tables by hand, so the reader looks for the header row
instead of assuming it is the first, understands merged two-row headers,
Vietnamese headers with or without diacritics, numbers typed as text with
Vietnamese separators, and a totals row. It never guesses: what it cannot read
becomes an Issue naming the file, sheet, row and column. Also writes the Excel
template provinces fill in.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.diagnostics import Issue
from khanalytics.periods import Period, PeriodError

MAX_BYTES = 25 * 1024 * 1024
TEMPLATE_VERSION = "1"
DATA_SHEET = "Số liệu"
INFO_SHEET = "Thông tin"
HELP_SHEET = "Hướng dẫn"
KINDS = ("published", "reported", "synthetic")

_TOTAL_WORDS = {"tong cong", "cong", "toan tinh", "tong", "tong so", "ca nuoc", "toan quoc", "total", "grand total", "sum"}
_PROVINCE_HEADERS = {"tinh", "tinh thanh", "tinh thanh pho", "tinh tp", "don vi", "ten don vi", "ten tinh", "province",
                     "province name", "dia phuong", "ten tinh thanh", "ten tinh thanh pho", "tinh thanh pho truc thuoc tw",
                     "hoi khuyen hoc tinh", "hoi khuyen hoc tinh thanh pho", "unit"}
_CODE_HEADERS = {"ma tinh", "ma", "ma so", "code", "province code", "ma don vi"}
_PERIOD_HEADERS = {"ky", "ky bao cao", "period", "thoi ky", "ky bc"}
_ELEMENT_HEADERS = {"chi tieu", "ma chi tieu", "element", "indicator", "noi dung", "data element"}
_VALUE_HEADERS = {"gia tri", "so lieu", "value", "so luong", "ket qua"}
_IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "no", "ghi chu", "note", "notes", "nguon", "source",
                    "don vi tinh", "dvt", "unit of measure"}
_INFO_KEYS = {
    "period": {"ky bao cao", "ky", "period"},
    "edition": {"ban do", "edition", "ban do hanh chinh"},
    "kind": {"loai so lieu", "kind", "loai"},
    "source": {"nguon", "source"},
    "note": {"ghi chu", "note"},
    "province": {"tinh thanh", "tinh", "province", "tinh thanh pho"},
}
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
        return [i for i in self.issues if i.severity == "error"]


VALUE_COLUMNS = ["edition", "code", "period", "element", "value", "sheet", "row", "column", "input_name", "raw"]
TOTAL_COLUMNS = ["edition", "period", "element", "value", "sheet", "row", "column"]


# --- numbers ----------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")


class NotANumber(ValueError):
    pass


def parse_number(cell: object, *, whole: bool = False) -> float | None:
    """A cell as a number; None when empty or a dash; NotANumber otherwise.

    Text follows Vietnamese conventions ("2.265.712", "24,07"); "2,265,712" and
    "24.07" are read the English way because they cannot mean anything else.
    For a whole-number element "502,825" is read as 502825: a decimal count
    cannot be meant.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise NotANumber(cell)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and math.isnan(cell):
            return None
        return float(cell)
    text = _SPACES.sub("", str(cell))
    if text in {"", "-", "–", "—", "…", "..."}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in "-−–":
        negative, text = True, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise NotANumber(cell)
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if text.count(decimal) > 1:
            raise NotANumber(cell)
        text = text.replace(thousands, "").replace(decimal, ".")
    elif dots:
        if dots > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", text):
            if not re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                raise NotANumber(cell)
            text = text.replace(".", "")
    elif commas:
        if commas > 1:
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", text):
                raise NotANumber(cell)
            text = text.replace(",", "")
        elif whole and re.fullmatch(r"\d{1,3},\d{3}", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    value = float(text)
    return -value if negative else value


# --- grids: a sheet as rows of cells ------------------------------------------


@dataclass
class Grid:
    name: str | None  # sheet name; None for CSV / Parquet
    rows: list[list[object]]
    first_row: int = 1  # the spreadsheet row number of rows[0]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_csv_grid(data: bytes) -> Grid:
    text = None
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ValueError("encoding")
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
        key = catalogue.fold(str(row[0]))
        for name, words in _INFO_KEYS.items():
            if key in words or key.split(" / ")[0] in words or any(key.startswith(w + " ") for w in words):
                meta.setdefault(name, str(row[1]).strip())
    return meta


def _read_parquet_grid(path: Path) -> Grid:
    frame = pd.read_parquet(path)
    header = [str(c) for c in frame.columns]
    body = frame.astype(object).where(frame.notna(), None).values.tolist()
    return Grid(None, [header, *body], first_row=1)


# --- header detection -----------------------------------------------------------


@dataclass
class Layout:
    header_row: int  # index into grid.rows
    province_col: int | None
    code_col: int | None
    period_col: int | None
    element_col: int | None
    value_col: int | None
    elements: dict[int, catalogue.HeaderMatch]  # column index -> element and scale (wide form)
    unknown: dict[int, str]  # column index -> header text not in the catalogue


def _header_text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _classify(text: str) -> tuple[str, catalogue.HeaderMatch | None]:
    key = catalogue.fold(text)
    if not key:
        return "empty", None
    key_no_unit = catalogue.fold(re.sub(r"\s*\(.*\)\s*$", "", text))
    for kind, words in (("province", _PROVINCE_HEADERS), ("code", _CODE_HEADERS), ("period", _PERIOD_HEADERS),
                        ("element_name", _ELEMENT_HEADERS), ("value", _VALUE_HEADERS), ("ignored", _IGNORED_HEADERS)):
        if key in words or key_no_unit in words:
            return kind, None
    match = catalogue.parse_header(text)  # also knows money written in millions of đồng, with its scale
    if match:
        return "element", match
    return "unknown", None


def _find_layout(grid: Grid) -> Layout | None:
    best: tuple[int, Layout] | None = None
    for r in range(min(len(grid.rows), 40)):
        row = grid.rows[r]
        above = grid.rows[r - 1] if r > 0 else []
        kinds: dict[int, tuple[str, catalogue.HeaderMatch | None]] = {}
        for c, cell in enumerate(row):
            text = _header_text(cell)
            kind, element = _classify(text)
            if kind in ("unknown", "empty") and c < len(above) and _header_text(above[c]):
                combined = f"{_header_text(above[c])} {text}".strip()
                kind2, element2 = _classify(combined)
                if kind2 not in ("unknown", "empty"):
                    kind, element = kind2, element2
            kinds[c] = (kind, element)
        elements = {c: e for c, (k, e) in kinds.items() if k == "element" and e}
        first = {k: next((c for c, (kk, _) in kinds.items() if kk == k), None)
                 for k in ("province", "code", "period", "element_name", "value")}
        long_form = first["element_name"] is not None and first["value"] is not None
        if not elements and not long_form:
            continue
        score = len(elements) + (3 if long_form else 0) + (1 if first["province"] is not None else 0)
        layout = Layout(
            header_row=r,
            province_col=first["province"],
            code_col=first["code"],
            period_col=first["period"],
            element_col=first["element_name"],
            value_col=first["value"],
            elements={} if long_form else elements,
            unknown={} if long_form else {c: _header_text(row[c]) for c, (k, _) in kinds.items() if k == "unknown"},
        )
        if best is None or score > best[0]:
            best = (score, layout)
    return best[1] if best else None


# --- reading ----------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _period_from_text(text: str | None) -> Period | None:
    if not text:
        return None
    try:
        return Period.parse(text)
    except PeriodError:
        pass
    key = catalogue.fold(text)
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


def _kind_from_text(text: str | None) -> str | None:
    if not text:
        return None
    key = catalogue.fold(text)
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
    meta: dict = {}
    try:
        if suffix in (".xlsx", ".xlsm"):
            grids, meta = _read_xlsx_grids(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            grids = [_read_csv_grid(path.read_bytes())]
        elif suffix == ".parquet":
            grids = [_read_parquet_grid(path)]
        else:
            return fail("unreadable_file", "tệp .xlsx, .csv hoặc .parquet", "an .xlsx, .csv or .parquet file",
                        value=suffix or name)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as err:
        return fail("unreadable_file", "một tệp Excel/CSV/Parquet hợp lệ", "a valid Excel/CSV/Parquet file",
                    detail_vi=f"{type(err).__name__}: {err}"[:200], detail_en=f"{type(err).__name__}: {err}"[:200])
    except Exception as err:  # openpyxl and pyarrow raise many kinds on corrupt input
        return fail("unreadable_file", "một tệp Excel/CSV/Parquet hợp lệ", "a valid Excel/CSV/Parquet file",
                    detail_vi=f"{type(err).__name__}: {err}"[:200], detail_en=f"{type(err).__name__}: {err}"[:200])

    kind = kind or _kind_from_text(meta.get("kind")) or "reported"
    if kind not in KINDS:
        return fail("unreadable_file", f"loại số liệu là một trong {KINDS}", f"kind one of {KINDS}", value=kind)
    file_period = Period.parse(period) if period else _period_from_text(meta.get("period"))
    file_edition = geo.check_edition(edition) if edition else (
        geo.check_edition(meta["edition"][:4]) if meta.get("edition", "")[:4] in geo.EDITIONS else None)
    file_province = province or meta.get("province")

    frames, totals, tables = [], [], 0
    for grid in grids:
        layout = _find_layout(grid)
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
    key = catalogue.fold(str(cell))
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
    sheet_period = _period_from_text(sheet) if sheet else None
    title_period = next((p for row in grid.rows[: layout.header_row] for cell in row if isinstance(cell, str)
                         if (p := _period_from_text(cell))), None)
    for c, text in layout.unknown.items():
        issues.append(Issue("error", "unknown_element", file, "một chỉ tiêu trong danh mục (xem khanalytics catalogue)",
                            "an element of the catalogue (see khanalytics catalogue)", sheet,
                            grid.first_row + layout.header_row, _column_letter(c), text))
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
                                    column=_column_letter(layout.period_col), value=cells[layout.period_col], **where))
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
                    totals.append((ed, p.code, element.code, v * element.scale, sheet, excel_row, _column_letter(c)))
            continue
        if label_cell is None and code_cell is None and file_province:
            label_cell = file_province
        numbers_present = any(cells[c] not in (None, "") for c, _ in _row_elements(layout, cells))
        if label_cell is None and code_cell is None:
            if numbers_present:
                issues.append(Issue("error", "unknown_province", file, "tên hoặc mã tỉnh/thành", "a province name or code",
                                    column=_column_letter(layout.province_col or 0), **where))
            continue
        code = _resolve_row_province(label_cell, code_cell, ed, file, layout, where, issues, numbers_present)
        if code is None:
            continue
        for c, match in _row_elements(layout, cells):
            raw = cells[c]
            column = _column_letter(c)
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
                                column=_column_letter(col or 0), value=cell, detail_vi=err.reason, detail_en=err.reason, **where))
            return None
    codes = {r[0] for r in resolved}
    if len(codes) > 1:
        issues.append(Issue("error", "code_name_mismatch", file, "mã và tên cùng chỉ một tỉnh", "code and name of the same province",
                            column=_column_letter(layout.code_col or 0), value=f"{resolved[0][1]} / {resolved[1][1]}", **where))
        return None
    return resolved[0][0] if resolved else None


# --- writing the template ------------------------------------------------------------


def _created() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that a generator writes the same bytes twice."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now().astimezone()


def _fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Rewrite an .xlsx with every member dated ``when`` (openpyxl stamps the time of writing)."""
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":  # openpyxl writes the time of saving as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


def write_template(path: str | Path, *, period: str, edition: str | None = None, province: str | None = None,
                   elements: list[str] | None = None) -> Path:
    """The workbook provinces fill in: a row per province, or one sheet for one province."""
    return write_report_workbook(path, period=period, edition=edition, values=None, province=province,
                                 elements=elements, kind="reported")


def write_report_workbook(
    path: str | Path,
    *,
    period: str,
    edition: str | None = None,
    values: pd.DataFrame | None = None,
    kind: str = "reported",
    source: str = "",
    note: str = "",
    province: str | None = None,
    elements: list[str] | None = None,
) -> Path:
    """A workbook in the template's format, filled with ``values`` (columns code, element, value) if given.

    The sample generator writes its synthetic reports through this, so the demo
    goes through the same import path as real reports.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    p = Period.parse(period)
    ed = geo.check_edition(edition) if edition else geo.edition_for(p)
    if geo.edition_for(p) != ed:
        raise ValueError(f"{p.code} thuộc bản đồ {geo.edition_for(p)}, không phải {ed} / {p.code} is on the {geo.edition_for(p)} map")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    element_list = [catalogue.element(e) for e in (elements or list(catalogue.elements()))]
    table = geo.provinces(ed)
    if province is not None:
        table = table[table["code"] == geo.resolve_province(province, edition=ed)]
    lookup: dict[tuple[str, str], float] = {}
    if values is not None and not values.empty:
        lookup = {(str(c), str(e)): v for c, e, v in zip(values["code"], values["element"], values["value"], strict=True)}

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = f"BÁO CÁO SỐ LIỆU CÔNG TÁC KHUYẾN HỌC – {p.label('vi').upper()} ({p.code})"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = f"Kỳ báo cáo: {p.code} — {geo.EDITION_INFO[ed].label_vi}" + (" — SỐ LIỆU TỔNG HỢP (MINH HOẠ)" if kind == "synthetic" else "")
    ws["A2"].font = Font(italic=True, color="C00000" if kind == "synthetic" else "404040")
    header_row = 4
    if province is None:
        headers = ["Mã tỉnh", "Tỉnh, thành phố"] + [f"{e.label_vi} ({e.unit_vi})" for e in element_list]
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(header_row, c, text)
            cell.font, cell.fill, cell.border = bold, head_fill, border
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for c, e in enumerate(element_list, start=3):
            ws.cell(header_row + 1, c, e.code).font = Font(size=8, color="808080")
        ws.cell(header_row + 1, 1, "").font = Font(size=8)
        first = header_row + 2
        for r, row in enumerate(table.itertuples(), start=first):
            ws.cell(r, 1, row.code)
            ws.cell(r, 2, row.name_vi)
            for c, e in enumerate(element_list, start=3):
                v = lookup.get((row.code, e.code))
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    ws.cell(r, c, int(v) if float(v).is_integer() else float(v))
                ws.cell(r, c).number_format = "#,##0"
        last = first + len(table) - 1
        total_row = last + 1
        ws.cell(total_row, 2, "Tổng cộng").font = bold
        for c in range(3, 3 + len(element_list)):
            letter = _column_letter(c - 1)
            ws.cell(total_row, c, f"=SUM({letter}{first}:{letter}{last})").font = bold
            ws.cell(total_row, c).number_format = "#,##0"
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                    showErrorMessage=True, errorTitle="Số liệu không hợp lệ",
                                    error="Nhập số nguyên không âm / enter a non-negative whole number")
        validation.add(f"C{first}:{_column_letter(2 + len(element_list) - 1)}{last}")
        ws.add_data_validation(validation)
        ws.freeze_panes = ws.cell(first, 3)
        ws.column_dimensions["A"].width = 8
        ws.column_dimensions["B"].width = 24
        for c in range(3, 3 + len(element_list)):
            ws.column_dimensions[_column_letter(c - 1)].width = 16
        ws.row_dimensions[header_row].height = 60
    else:
        code = table["code"].iloc[0]
        ws.title = f"{DATA_SHEET}"
        ws.cell(3, 1, "Tỉnh, thành phố").font = bold
        ws.cell(3, 2, f"{code} {table['name_vi'].iloc[0]}")
        headers = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Ghi chú"]
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(header_row + 1, c, text)
            cell.font, cell.fill, cell.border = bold, head_fill, border
        first = header_row + 2
        for r, e in enumerate(element_list, start=first):
            ws.cell(r, 1, e.code)
            ws.cell(r, 2, e.label_vi)
            ws.cell(r, 3, e.unit_vi)
            v = lookup.get((code, e.code))
            if v is not None:
                ws.cell(r, 4, int(v) if float(v).is_integer() else float(v))
            ws.cell(r, 4).number_format = "#,##0"
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                    showErrorMessage=True, error="Nhập số nguyên không âm / enter a non-negative whole number")
        validation.add(f"D{first}:D{first + len(element_list) - 1}")
        ws.add_data_validation(validation)
        ws.freeze_panes = ws.cell(first, 4)
        for letter, width in zip("ABCDE", (34, 44, 12, 18, 30), strict=True):
            ws.column_dimensions[letter].width = width

    info = book.create_sheet(INFO_SHEET)
    rows = [
        ("Kỳ báo cáo / period", p.code),
        ("Bản đồ / edition", f"{ed} — {geo.EDITION_INFO[ed].label_vi}"),
        ("Loại số liệu / kind", kind),
        ("Nguồn / source", source),
        ("Ghi chú / note", note),
        ("Phiên bản mẫu / template version", TEMPLATE_VERSION),
        ("Lập lúc / created", _created().isoformat(timespec="seconds")),
    ]
    if province is not None:
        rows.append(("Tỉnh, thành / province", str(table["code"].iloc[0])))
    for r, (k, v) in enumerate(rows, start=1):
        info.cell(r, 1, k).font = bold
        info.cell(r, 2, v)
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 60

    help_ws = book.create_sheet(HELP_SHEET)
    lines = [
        "HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO",
        f"1. Kỳ báo cáo: {p.label('vi')} ({p.code}); số liệu tồn (hội viên, chi hội, …) tính đến ngày {p.end:%d/%m/%Y}; "
        "số liệu phát sinh (quỹ vận động, học bổng) cộng trong kỳ.",
        f"2. Bản đồ hành chính: {geo.EDITION_INFO[ed].label_vi}. Không thêm, bớt hay đổi tên tỉnh.",
        "3. Chỉ nhập số nguyên không âm; để trống nếu không có số liệu (không ghi 0 thay cho 'không có').",
        "4. Không sửa hàng tiêu đề và hàng mã chỉ tiêu (chữ nhỏ màu xám).",
        "5. Hàng 'Tổng cộng' tự tính; phần mềm sẽ đối chiếu với tổng các tỉnh.",
        "6. Mỗi danh hiệu (gia đình, dòng họ, cộng đồng, đơn vị, công dân học tập) ghi cả số đăng ký và số được công nhận (đạt).",
        "",
        "Nhập vào hệ thống: khanalytics import <tệp.xlsx>   ·   Kiểm tra trước: khanalytics validate <tệp.xlsx>",
        "",
        "INSTRUCTIONS (English): fill one row per province with non-negative whole numbers; leave blank when unknown; "
        "do not edit headers or the grey code row.",
    ]
    for r, text in enumerate(lines, start=1):
        help_ws.cell(r, 1, text).font = Font(bold=(r == 1))
    help_ws.column_dimensions["A"].width = 120
    book.move_sheet(HELP_SHEET, offset=-(len(book.sheetnames) - 1))
    book.active = 1
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    created = _created()
    book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    book.save(tmp)
    if os.environ.get("SOURCE_DATE_EPOCH"):
        _fix_zip_times(tmp, created)
    tmp.replace(out)
    return out
