"""Reading provincial reports: numbers, headers, layouts, the template."""

import shutil

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.ingest import NotANumber, parse_number, read_file, write_report_workbook, write_template
from khanalytics.store import Store
from khanalytics.validate import validate
from tests.textutil import encode_cp1258


@pytest.mark.parametrize("text, value", [
    ("2.265.712", 2265712), ("2 265 712", 2265712), ("2\u00a0265\u00a0712", 2265712), ("24,07", 24.07),
    ("2,265,712", 2265712), ("24.07", 24.07), ("1.631", 1631), ("0", 0), ("-5", -5), ("(1.234)", -1234),
    ("1.234.567,5", 1234567.5), ("1,234,567.5", 1234567.5), (17521, 17521), (3.5, 3.5), ("", None), ("-", None),
    (None, None), ("  42 ", 42), ("+7", 7),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3,4,5", "24 %", "x", "1.23.456", "--3", True])
def test_parse_number_rejects(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_round_trip(n):
    assert parse_number(f"{n:,}".replace(",", ".")) == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n


def test_untouched_template_reads_without_error(tmp_path):
    for edition, period in (("2025", "2026-H1"), ("2008", "2019-H1")):
        path = write_template(tmp_path / f"mau_{edition}.xlsx", period=period, edition=edition)
        reading = read_file(path)
        assert validate(reading) == [] and reading.values.empty
        book = openpyxl.load_workbook(path)
        ws = book["Số liệu"]
        assert ws.freeze_panes == "C6"
        assert ws.data_validations.dataValidation[0].type == "whole"
        assert {"Hướng dẫn", "Thông tin"} <= set(book.sheetnames)
        assert ws.max_row == 6 + len(geo.provinces(edition))  # provinces plus the totals row


def test_one_province_template(tmp_path):
    path = write_template(tmp_path / "qn.xlsx", period="2026-H1", province="Quảng Ninh")
    assert read_file(path).issues == []
    book = openpyxl.load_workbook(path)
    ws = book["Số liệu"]
    for r in range(6, 6 + len(catalogue.elements())):
        if ws.cell(r, 1).value == "members":
            ws.cell(r, 4, 470288)
        if ws.cell(r, 1).value == "population":
            ws.cell(r, 4, 1395000)
    book.save(path)
    values = read_file(path).values.set_index("element")["value"]
    assert values["members"] == 470288 and values["population"] == 1395000
    assert set(read_file(path).values["code"]) == {"22"}


ELEMENTS = list(catalogue.elements())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_round_trip_template_fill_import_query(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("rt")
    edition = data.draw(st.sampled_from(["2008", "2025"]))
    period = "2019-H1" if edition == "2008" else "2026-H1"
    path = write_template(tmp / "mau.xlsx", period=period, edition=edition)
    codes = geo.province_codes(edition)
    cells = data.draw(st.dictionaries(
        st.tuples(st.sampled_from(codes), st.sampled_from(ELEMENTS)),
        st.integers(min_value=0, max_value=10**11), min_size=1, max_size=40))
    book = openpyxl.load_workbook(path)
    ws = book["Số liệu"]
    row_of = {ws.cell(r, 1).value: r for r in range(6, 6 + len(codes))}
    col_of = {ws.cell(5, c).value: c for c in range(3, 3 + len(ELEMENTS))}
    as_text = data.draw(st.booleans())
    for (code, element), value in cells.items():
        ws.cell(row_of[code], col_of[element], f"{value:,}".replace(",", ".") if as_text else value)
    book.save(path)
    with Store(tmp / "s.duckdb") as store:
        store.import_files([path], kind="synthetic")
        got = store.observations()
    assert {(r.code, r.element): r.value for r in got.itertuples()} == cells
    assert set(got["period"]) == {period} and set(got["edition"]) == {edition}
    assert set(got["kind"]) == {"synthetic"} and set(got["file_name"]) == {"mau.xlsx"}


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


def test_quality_rules_flag_but_keep(tmp_path):
    text = ("Tỉnh,Kỳ,Dân số,Hội viên,Số hộ gia đình,Gia đình học tập đăng ký,Gia đình học tập đạt\n"
            "Cao Bằng,2019-H1,530341,600000,120000,100000,110000\n"
            "Lạng Sơn,2019-H1,200000,50000,90000,95000,80000\n")
    issues = validate(read_file(_write_csv(tmp_path / "q.csv", text)))
    rules = {(i.rule, i.province) for i in issues}
    assert rules == {("members_above_population", "04"), ("recognised_above_registered", "04"),
                     ("registered_above_total", "20"), ("population_far_from_official", "20")}
    assert all(i.severity == "flag" for i in issues)
    msg = next(i for i in issues if i.rule == "population_far_from_official").message("vi")
    assert "q.csv" in msg and "hàng 3" in msg and "cột C" in msg and "200000" in msg


def test_change_on_last_year_uses_the_file_and_the_store(tmp_path):
    text = "Tỉnh,Kỳ,Hội viên\nCao Bằng,2018-H1,100000\nCao Bằng,2019-H1,140000\nLạng Sơn,2019-H1,90000\n"
    path = _write_csv(tmp_path / "c.csv", text)
    prev = pd.DataFrame({"edition": ["2008"], "code": ["20"], "period": ["2018-H1"], "element": ["members"],
                         "value": [60000.0]})
    issues = validate(read_file(path), previous=prev)
    assert sorted((i.rule, i.province) for i in issues) == [("large_change_on_last_year", "04"),
                                                            ("large_change_on_last_year", "20")]


def test_sample_like_workbook_round_trip(tmp_path):
    values = pd.DataFrame({"code": ["22", "24"], "element": ["members", "members"], "value": [1.0, 2.0]})
    path = write_report_workbook(tmp_path / "s.xlsx", period="2019-H1", values=values, kind="synthetic",
                                 source="test", note="n")
    r = read_file(path)
    assert r.kind == "synthetic" and r.meta["source"] == "test" and len(r.values) == 2
    shutil.copy(path, tmp_path / "copy.xlsx")
    assert read_file(tmp_path / "copy.xlsx").sha256 == r.sha256


def test_workbooks_are_reproducible_with_source_date_epoch(tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")
    values = pd.DataFrame({"code": ["22"], "element": ["members"], "value": [470288.0]})
    a = write_report_workbook(tmp_path / "a.xlsx", period="2026-H1", values=values, kind="synthetic")
    time.sleep(1.1)
    b = write_report_workbook(tmp_path / "b.xlsx", period="2026-H1", values=values, kind="synthetic")
    assert a.read_bytes() == b.read_bytes()
    assert read_file(a).values["value"].tolist() == [470288.0]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    c = write_report_workbook(tmp_path / "c.xlsx", period="2026-H1", values=values, kind="synthetic")
    assert c.read_bytes() != a.read_bytes()  # without it, the time of writing is recorded
