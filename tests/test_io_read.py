"""Reading provincial reports: layouts, encodings, totals rows, headers as people type them."""

import unicodedata

import openpyxl
import pandas as pd
import pytest

from khanalytics.io.read import kind_from_text, period_from_text, read_file
from khanalytics.periods import Period
from khanalytics.validate import validate
from tests.textutil import encode_cp1258


def _write_csv(path, text, encoding="utf-8"):
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


WIDE_CSV = """Báo cáo công tác khuyến học 6 tháng đầu năm 2019
Đơn vị tính: người

STT;Tỉnh, thành phố;Dân số;Số hội viên;Ghi chú
1;Quảng Ninh;1.320.324;419.863;
2;TP. Hải Phòng;2 028 514;"502,825";số liệu sơ bộ
3;Bac Kan;313.905;71.000;
;Tổng cộng;3.662.743;993.688;
Người lập biểu: Nguyễn Văn A
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_wide_csv_with_title_lines_totals_and_text_numbers(tmp_path, encoding):
    path = _write_csv(tmp_path / "hk.csv", WIDE_CSV, encoding)
    reading = read_file(path)
    assert reading.issues == []
    v = reading.values.set_index(["code", "element"])["value"]
    assert v[("22", "members")] == 419863 and v[("31", "members")] == 502825 and v[("06", "population")] == 313905
    assert set(reading.values["period"]) == {"2019-H1"}  # from the title line
    assert len(reading.totals) == 2 and "Tổng cộng" not in set(reading.values["input_name"])
    assert validate(reading) == []


def test_totals_row_mismatch_is_flagged(tmp_path):
    path = _write_csv(tmp_path / "hk.csv", WIDE_CSV.replace("993.688", "993.000"))
    issues = validate(read_file(path))
    assert [i.rule for i in issues] == ["totals_mismatch"]
    assert issues[0].row == 8 and issues[0].column == "D" and issues[0].severity == "flag"


def test_headers_in_english_and_codes_long_form_and_parquet(tmp_path):
    wide = pd.DataFrame({"Province": ["Hanoi", "Da Nang"], "period": ["2026-H1", "2026-H1"],
                         "members": [1_500_000, 300_000], "Population": [8_700_000, 3_000_000]})
    wide.to_parquet(tmp_path / "w.parquet")
    r = read_file(tmp_path / "w.parquet")
    assert r.issues == [] and len(r.values) == 4 and set(r.values["edition"]) == {"2025"}
    long = pd.DataFrame({"Tỉnh": ["Hà Nội", "Hà Nội"], "Chỉ tiêu": ["Hội viên", "Dân số"], "Giá trị": ["1.500.000", "8.700.000"]})
    long.to_csv(tmp_path / "l.csv", index=False)
    r = read_file(tmp_path / "l.csv", period="2026-H1")
    assert r.issues == [] and r.values.set_index("element")["value"].to_dict() == {"members": 1.5e6, "population": 8.7e6}


def test_merged_two_row_headers_and_header_not_first(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2019-H1"
    ws["A1"] = "BÁO CÁO KẾT QUẢ XÂY DỰNG GIA ĐÌNH HỌC TẬP"
    ws["A3"], ws["B3"], ws["C3"] = "Tỉnh", "Số hộ gia đình", "Gia đình học tập"
    ws.merge_cells("C3:D3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws["C4"], ws["D4"] = "Đăng ký", "Đạt"
    ws.append(["Thái Nguyên", "350.000", 300000, 270000])
    book.save(tmp_path / "m.xlsx")
    r = read_file(tmp_path / "m.xlsx")
    assert r.issues == []
    assert r.values.set_index("element")["value"].to_dict() == {
        "households": 350000, "learning_families_registered": 300000, "learning_families_recognised": 270000}
    assert set(r.values["period"]) == {"2019-H1"}  # from the sheet name


SOFT_HYPHEN, ZERO_WIDTH_SPACE, BOM = "\u00ad", "\u200b", "\ufeff"


def test_headers_with_invisible_characters_or_nfd_match_their_element(tmp_path):
    headers = {
        f"Số hội vi{SOFT_HYPHEN}ên": "members",
        f"Dân{ZERO_WIDTH_SPACE} số": "population",
        f"{BOM}Số hộ gia đình": "households",
        unicodedata.normalize("NFD", "Số chi hội"): "branches",
    }
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2019-H1"
    ws.append(["Tỉnh", *headers])
    ws.append(["Quảng Ninh", 1, 2, 3, 4])
    book.save(tmp_path / "invisible.xlsx")
    reading = read_file(tmp_path / "invisible.xlsx")
    assert reading.issues == []  # no column is unknown
    assert reading.values.set_index("element")["value"].to_dict() == {
        "members": 1, "population": 2, "households": 3, "branches": 4}


def test_unknown_columns_and_unreadable_files_are_errors_naming_the_place(tmp_path):
    _write_csv(tmp_path / "u.csv", "Tỉnh,Kỳ,Số hội viên,Số con mèo\nCao Bằng,2019-H1,1,2\n")
    issue = next(i for i in read_file(tmp_path / "u.csv").issues if i.rule == "unknown_element")
    assert (issue.row, issue.column, issue.value) == (1, "D", "Số con mèo")
    (tmp_path / "r.doc").write_bytes(b"x")
    assert [i.rule for i in read_file(tmp_path / "r.doc").issues] == ["unreadable_file"]
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert [i.rule for i in read_file(tmp_path / "bad.xlsx").issues] == ["unreadable_file"]
    assert [i.rule for i in read_file(tmp_path / "missing.csv").issues] == ["unreadable_file"]


def test_period_and_kind_from_words():
    assert period_from_text("Báo cáo 6 tháng đầu năm 2019") == Period(2019, 1)
    assert period_from_text("6 tháng cuối năm 2025") == Period(2025, 2)
    assert period_from_text("2026-H1") == Period(2026, 1) and period_from_text("Trang 1") is None
    assert kind_from_text("Số liệu minh hoạ") == "synthetic" and kind_from_text("đã công bố") == "published"
    assert kind_from_text(None) is None
