"""Files written the way provincial associations write them, for the data-in tests.

Not the project's template: title blocks ("HỘI KHUYẾN HỌC TỈNH …", the
national motto, a report title), merged two-row headers, abbreviations ("Số
HV", "GĐHT đạt"), numbers typed as text, a totals row, notes and a signature
block, cover sheets, district tables, reused sheets, formulas without cached
values, .xls (xlwt) and .ods (odfpy through pandas), CSV in Windows-1258 with
semicolons, and hostile files (zip bombs, huge strings, non-finite numbers).
Each writer returns the path it wrote.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from tests.textutil import encode_cp1258

MOTTO = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HEADER = ["STT", "Tên đơn vị", "Dân số", "Số HV", "GĐHT đăng ký", "GĐHT đạt"]
# Cụm II provinces with 6/2019-like figures: population, members, learning families registered / recognised
ROWS = [
    ("Quảng Ninh", "1.320.324", "419.863", 300000, 280000),
    ("Bắc Giang", 1803950, 480000, 420000, 400000),
    ("Lạng Sơn", "781.655", "170.000", 150000, 140000),
]
SIGNATURE = [
    [None, None, None, None, "Quảng Ninh, ngày 10 tháng 7 năm 2024", None],
    [None, "Người lập biểu", None, None, "TM. BAN THƯỜNG VỤ", None],
    [None, None, None, None, "CHỦ TỊCH", None],
    [None, None, None, None, "(Đã ký)", None],
    [None, "Nguyễn Văn An", None, None, "Trần Thị Bình", None],
]


def title_block(title: str, unit: str = "HỘI KHUYẾN HỌC TỈNH QUẢNG NINH") -> list[list[object]]:
    """The lines above every provincial table: the association, the motto, the title, an empty line."""
    return [[unit, None, None, MOTTO[0]], [None, None, None, MOTTO[1]], [title], [None]]


def province_rows(rows: Sequence[tuple] = ROWS) -> list[list[object]]:
    """Numbered rows of the table, numbers partly typed as text."""
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def totals_row(rows: Sequence[tuple] = ROWS, label: str = "Tổng cộng") -> list[object]:
    """The totals row provinces add under their table (summed here, as Excel would)."""
    def num(x: object) -> float:
        text = str(x).replace(".", "")
        return float(text) if text.isdigit() else 0.0
    return [None, label, *[sum(num(r[c]) for r in rows) for c in range(1, len(rows[0]))]]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], *, merges: dict[str, list[str]] | None = None,
               hidden_rows: dict[str, list[int]] | None = None) -> Path:
    """A workbook with one sheet per entry, cells written as given (strings starting with '=' are formulas)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
    book.save(path)
    return path


def report(path: Path, *, title: str, sheet: str = "Biểu 1", rows: Sequence[tuple] = ROWS, signature: bool = True,
           unit: str = "HỘI KHUYẾN HỌC TỈNH QUẢNG NINH", header: Sequence[str] = HEADER,
           extra: Sequence[list[object]] = ()) -> Path:
    """A provincial report: title block, header, rows, totals, a note, and the signature block."""
    body = [*title_block(title, unit), list(header), *province_rows(rows), totals_row(rows), *extra]
    body += [[None], [None, "Ghi chú: số liệu đến 30/6"]]
    if signature:
        body += [[None], *SIGNATURE]
    return write_xlsx(path, {sheet: body})


def cluster_report(path: Path, **kw: object) -> Path:
    """The cluster table of three provinces, 2024-H1 by its title unless told otherwise."""
    kw.setdefault("title", "BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024")
    return report(path, **kw)  # type: ignore[arg-type]


DISTRICTS = [("TP Thái Bình", 206000, 60000), ("Huyện Đông Hưng", 190000, 50000), ("Huyện Quỳnh Phụ", 240000, 70000),
             ("Huyện Hưng Hà", 250000, 75000), ("Huyện Thái Thụy", 260000, 80000), ("Huyện Tiền Hải", 220000, 66000),
             ("Huyện Kiến Xương", 215000, 64000), ("Huyện Vũ Thư", 225000, 68000)]


def district_table(path: Path, *, districts: Sequence[tuple] = DISTRICTS, total: bool = True,
                   title: str = "BÁO CÁO SỐ LIỆU 6 THÁNG ĐẦU NĂM 2019") -> Path:
    """One province's table by district: the provincial city, districts, and a "Toàn tỉnh" row."""
    rows: list[list[object]] = [*title_block(title, "HỘI KHUYẾN HỌC TỈNH THÁI BÌNH"), ["STT", "Đơn vị", "Dân số", "Số HV"]]
    rows += [[i, name, pop, mem] for i, (name, pop, mem) in enumerate(districts, start=1)]
    if total:
        rows.append([None, "Toàn tỉnh", sum(d[1] or 0 for d in DISTRICTS), sum(d[2] or 0 for d in DISTRICTS)])
    return write_xlsx(path, {"Huyện": rows})


def csv_1258(path: Path, *, delimiter: str = ";") -> Path:
    """A CSV saved by Excel on a Vietnamese Windows: Windows-1258, semicolons, title lines of one field."""
    lines = ["HỘI KHUYẾN HỌC TỈNH LẠNG SƠN", "BÁO CÁO 6 THÁNG ĐẦU NĂM 2019", "",
             delimiter.join(["STT", "Tỉnh", "Số hội viên", "Dân số"]),
             delimiter.join(["1", "Lạng Sơn", "170.000", "781.655"]),
             delimiter.join(["2", "Cao Bằng", "120.500", "530.341"])]
    path.write_bytes(encode_cp1258("\r\n".join(lines)))
    return path


def write_xls(path: Path, rows: list[list[object]], sheet: str = "Biểu 1") -> Path:
    """An Excel 97–2003 workbook, written with xlwt as old office software does."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None:
                ws.write(r, c, cell)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[object]], sheet: str = "Biểu 1") -> Path:
    """An OpenDocument spreadsheet (LibreOffice's format), written with pandas' odf writer (odfpy)."""
    import pandas as pd

    width = max(len(r) for r in rows)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows])
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name=sheet, header=False, index=False)
    return path


def formula_report(path: Path) -> Path:
    """A workbook written by a program: the totals and a column are formulas with no cached value."""
    rows: list[list[object]] = [*title_block("BÁO CÁO 6 THÁNG ĐẦU NĂM 2019"), ["STT", "Tỉnh", "Dân số", "Số HV", "Số chi hội"]]
    rows += [[1, "Quảng Ninh", 1320324, 419863, 3000], [2, "Lạng Sơn", 781655, "=C7-611655", "=1000+2*500"],
             [None, "Tổng cộng", "=SUM(C6:C7)", "=SUM(D6:D7)", "=SUM(E6:E7)"]]
    return write_xlsx(path, {"Biểu 1": rows})


def zip_bomb(path: Path, *, cells: int = 10_000_000, columns: int = 50) -> Path:
    """A small .xlsx whose one sheet, uncompressed, holds ``cells`` cells (each the same number)."""
    template = path.with_suffix(".seed.xlsx")
    write_xlsx(template, {"Sheet1": [["Tỉnh", "Số hội viên"], ["Quảng Ninh", 1]]})
    rows = cells // columns
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                          b'spreadsheetml/2006/main"><sheetData>')
                row = b"".join(b'<c t="n"><v>1</v></c>' for _ in range(columns))
                chunk = b"".join(b"<row>" + row + b"</row>" for _ in range(1000))
                for _ in range(rows // 1000):
                    out.write(chunk)
                out.write(b"</sheetData></worksheet>")
    template.unlink()
    return path
