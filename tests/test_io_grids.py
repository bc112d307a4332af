"""A file as grids of cells: encodings, delimiters, merged cells, the information sheet."""

import unicodedata

import openpyxl
import pandas as pd
import pytest

from khanalytics.errors import KhanalyticsError
from khanalytics.io.grids import GridError, column_letter, file_sha256, read_grids
from tests.textutil import encode_cp1258

TEXT = "Tỉnh;Số hội viên\nHà Nội;1.500.000\n;\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_in_every_usual_encoding(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes(encode_cp1258(TEXT) if encoding == "cp1258" else TEXT.encode(encoding))
    (grid,), meta = read_grids(path)
    assert grid.name is None and meta == {}
    cells = [[None if c is None else unicodedata.normalize("NFC", c) for c in row] for row in grid.rows]
    assert cells == [["Tỉnh", "Số hội viên"], ["Hà Nội", "1.500.000"], [None, None]]  # cp1258 spells tones apart


def test_undecodable_text_and_unknown_suffixes_are_family_errors(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")  # a UTF-16 BOM, then half a surrogate pair
    with pytest.raises(GridError) as err:
        read_grids(path)
    assert isinstance(err.value, KhanalyticsError) and err.value.rule == "unreadable_file"
    with pytest.raises(GridError, match=r"expected \.xlsx, \.csv or \.parquet"):
        read_grids(tmp_path / "a.doc")


def test_merged_cells_speak_for_every_cell_and_the_information_sheet_is_read(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Số liệu"
    ws["A1"] = "Gia đình học tập"
    ws.merge_cells("A1:B1")
    info = book.create_sheet("Thông tin")
    info.append(["Kỳ báo cáo / period", "2019-H1"])
    info.append(["Loại số liệu / kind", "synthetic"])
    hidden = book.create_sheet("ẩn")
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "m.xlsx")
    grids, meta = read_grids(tmp_path / "m.xlsx")
    assert [g.name for g in grids] == ["Số liệu"] and grids[0].rows[0] == ["Gia đình học tập", "Gia đình học tập"]
    assert meta == {"period": "2019-H1", "kind": "synthetic"}


def test_parquet_header_is_the_first_row(tmp_path):
    pd.DataFrame({"Tỉnh": ["Huế"], "members": [None]}).to_parquet(tmp_path / "p.parquet")
    (grid,), _ = read_grids(tmp_path / "p.parquet")
    assert grid.rows == [["Tỉnh", "members"], ["Huế", None]]


def test_column_letters_and_sha256(tmp_path):
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    (tmp_path / "x").write_bytes(b"abc")
    assert file_sha256(tmp_path / "x") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_ods_cells_count_what_the_reader_builds_not_libreoffice_padding():
    from khanalytics.io.grids import ods_cells

    filled = b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    pad = b'<table:table-cell table:number-columns-repeated="1014"/>'
    row = b"<table:table-row>" + filled * 3 + pad + b"</table:table-row>"
    tail = b'<table:table-row table:number-rows-repeated="1048570">' + pad + b"</table:table-row>"
    assert ods_cells(row * 300 + tail) == 900  # LibreOffice's padding: not built, not counted
    bomb = (b'<table:table-row table:number-rows-repeated="1000000">' + filled
            + b'<table:table-cell table:number-columns-repeated="50" office:value-type="string"><text:p>x</text:p>'
            b"</table:table-cell></table:table-row>")
    assert ods_cells(bomb) == 51_000_000  # repeated filled rows and cells: what pandas would expand


def test_an_xls_too_big_to_build_is_refused_before_xlrd(tmp_path):
    import pytest

    from khanalytics.io.grids import MAX_XLS_BYTES, GridError, read_grids

    path = tmp_path / "big.xls"
    with path.open("wb") as fh:  # size is checked first: the content never reaches xlrd
        fh.truncate(MAX_XLS_BYTES + 1)
    with pytest.raises(GridError) as err:
        read_grids(path)
    assert err.value.rule == "file_too_large" and ".xls" in err.value.en
