"""The workbook provinces fill in, and the same format filled with values."""

import openpyxl
import pandas as pd
import pytest

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError, ParameterError
from khanalytics.io.read import read_file
from khanalytics.io.template import write_report_workbook, write_template
from khanalytics.validate import validate


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


def test_bad_parameters_are_family_errors_naming_the_parameter(tmp_path):
    with pytest.raises(geo.EditionMismatchError) as err:
        write_template(tmp_path / "x.xlsx", period="2019-H1", edition="2025")
    assert "2019-H1 is on the 2008 map" in err.value.en and "thuộc bản đồ 2008" in err.value.vi
    assert err.value.context["parameter"] == "edition"
    with pytest.raises(ParameterError, match="kind must be one of") as err:
        write_report_workbook(tmp_path / "x.xlsx", period="2019-H1", kind="guessed")
    assert isinstance(err.value, KhanalyticsError) and err.value.context == {"parameter": "kind", "value": "guessed"}
    assert not (tmp_path / "x.xlsx").exists()


def test_filled_workbook_holds_its_values_and_information(tmp_path):
    values = pd.DataFrame({"code": ["22"], "element": ["members"], "value": [470288.0]})
    path = write_report_workbook(tmp_path / "s.xlsx", period="2019-H1", values=values, kind="synthetic", source="src")
    book = openpyxl.load_workbook(path)
    info = {row[0]: row[1] for row in book["Thông tin"].iter_rows(values_only=True)}
    assert info["Loại số liệu / kind"] == "synthetic" and info["Nguồn / source"] == "src"
    assert "MINH HOẠ" in book["Số liệu"]["A2"].value
    assert book.sheetnames[0] == "Hướng dẫn"
