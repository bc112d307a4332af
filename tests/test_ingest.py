"""The whole way in: the template filled in, imported into the store, queried back."""

import shutil

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.io.read import read_file
from khanalytics.io.template import write_report_workbook, write_template
from khanalytics.store import Store
from khanalytics.validate import COUNT_CEILING

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
        st.integers(min_value=0, max_value=COUNT_CEILING), min_size=1, max_size=40))  # beyond it: implausible_value
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


def test_sample_like_workbook_round_trip(tmp_path):
    values = pd.DataFrame({"code": ["22", "24"], "element": ["members", "members"], "value": [1.0, 2.0]})
    path = write_report_workbook(tmp_path / "s.xlsx", period="2019-H1", values=values, kind="synthetic",
                                 source="test", note="n")
    r = read_file(path)
    assert r.kind == "synthetic" and r.meta["source"] == "test" and len(r.values) == 2
    shutil.copy(path, tmp_path / "copy.xlsx")
    assert read_file(tmp_path / "copy.xlsx").sha256 == r.sha256
