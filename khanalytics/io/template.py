"""The Excel workbook provinces fill in, and the same format filled with values.

One format for both, so that the demo's synthetic reports go through exactly
the import path of real ones. Writing is atomic, and with SOURCE_DATE_EPOCH
set the bytes are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.errors import ParameterError
from khanalytics.io.grids import DATA_SHEET, HELP_SHEET, INFO_SHEET, column_letter
from khanalytics.io.read import KINDS
from khanalytics.periods import Period

__all__ = ["TEMPLATE_VERSION", "write_report_workbook", "write_template"]

TEMPLATE_VERSION = "1"


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
        raise geo.EditionMismatchError(f"{p.code} thuộc bản đồ {geo.edition_for(p)}, không phải {ed}",
                                       f"{p.code} is on the {geo.edition_for(p)} map, not {ed}",
                                       parameter="edition", value=edition)
    if kind not in KINDS:
        raise ParameterError(f"loại số liệu phải là một trong {KINDS}", f"kind must be one of {KINDS}",
                             parameter="kind", value=kind)
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
            letter = column_letter(c - 1)
            ws.cell(total_row, c, f"=SUM({letter}{first}:{letter}{last})").font = bold
            ws.cell(total_row, c).number_format = "#,##0"
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                    showErrorMessage=True, errorTitle="Số liệu không hợp lệ",
                                    error="Nhập số nguyên không âm / enter a non-negative whole number")
        validation.add(f"C{first}:{column_letter(2 + len(element_list) - 1)}{last}")
        ws.add_data_validation(validation)
        ws.freeze_panes = ws.cell(first, 3)
        ws.column_dimensions["A"].width = 8
        ws.column_dimensions["B"].width = 24
        for c in range(3, 3 + len(element_list)):
            ws.column_dimensions[column_letter(c - 1)].width = 16
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
