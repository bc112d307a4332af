"""validate --report: the workbook sent back to the province, opened again with openpyxl."""

import openpyxl
from typer.testing import CliRunner

from khanalytics.cli import app
from tests import corpus as C


def test_validate_report_lists_every_issue_and_marks_the_cells(tmp_path):
    rows = [("TP Thái Bình", 206000, 60000, 1, 1), ("Bắc Giang", 1803950, "nhiều", 1, 1)]
    path = C.cluster_report(tmp_path / "bc.xlsx", rows=rows)
    result = CliRunner().invoke(app, ["validate", str(path), "--report", str(tmp_path / "loi.xlsx"),
                                      "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1, result.output
    sheet = openpyxl.load_workbook(tmp_path / "loi.xlsx")["Lỗi"]
    rows = [dict(zip([c.value for c in sheet[1]], [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    by_rule = {r["Quy tắc"]: r for r in rows}
    assert by_rule["unknown_province"]["Ô"] == "B6" and by_rule["unknown_province"]["Giá trị"] == "TP Thái Bình"
    assert by_rule["not_a_number"]["Ô"] == "D7" and by_rule["not_a_number"]["Mức độ"] == "Lỗi"
    assert "thành phố thuộc tỉnh" in by_rule["unknown_province"]["Chi tiết"]
    marked = openpyxl.load_workbook(tmp_path / "loi_bc_danh_dau.xlsx")["Biểu 1"]
    assert marked["D7"].fill.fgColor.rgb.endswith("FFC7CE") and "not_a_number" in marked["D7"].comment.text


def test_the_error_list_is_capped_on_screen(tmp_path):
    lines = ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2019", "Tỉnh;Số hội viên"] + [f"Quảng Ninh;abc{i}" for i in range(120)]
    (tmp_path / "bad.csv").write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "bad.csv"), "--store", str(tmp_path / "n.duckdb")])
    assert result.output.count("not_a_number") == 50 and "còn 70 vấn đề nữa" in result.output
