"""The tables behind a report, embedded for download, safe to open in a spreadsheet."""

import base64
import io
import re

import openpyxl
import pandas as pd

from khanalytics.report.downloads import downloads_html, neutralise, table_html


def test_downloads_neutralise_formulas():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "Hà Nội"], "value": [1, -2, 3, 4, 5]})
    out = neutralise(frame)
    assert out["name"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "Hà Nội"]
    assert out["value"].tolist() == [1, -2, 3, 4, 5]  # numbers stay numbers


def test_links_embed_csv_and_a_workbook_with_definitions():
    frame = pd.DataFrame({"name": ["<b>x</b>", "=1+1"], "value": [1.5, 2]})
    html = downloads_html({"bang": frame}, definitions=pd.DataFrame({"code": ["a"]}), stem="s", lang="vi")
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html))
    assert set(links) == {"s-bang.csv", "s.xlsx"}
    csv = base64.b64decode(links["s-bang.csv"]).decode("utf-8-sig")
    assert "'=1+1" in csv
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(links["s.xlsx"])))
    assert book.sheetnames == ["bang", "Nguon va dinh nghia"]
    assert "<b>x</b>" not in table_html(frame) and "&lt;b&gt;x&lt;/b&gt;" in table_html(frame)


def _xlsx(html: str) -> bytes:
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html))
    return base64.b64decode(next(v for k, v in links.items() if k.endswith(".xlsx")))


def test_the_workbook_is_the_same_bytes_whenever_it_is_made(monkeypatch):
    import datetime as dt
    import time
    import zipfile

    frame = pd.DataFrame({"name": ["Hà Nội", "=1"], "value": [1.5, 2]})
    imported = pd.Timestamp("2026-03-04 05:06:07.890", tz="UTC")

    def make() -> str:
        return downloads_html({"bang": frame}, definitions=pd.DataFrame({"code": ["a"]}), stem="s", lang="vi",
                              stamp=imported)

    first = make()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)  # made three hours later
    assert make() == first
    data = _xlsx(first)
    when = dt.datetime(2026, 3, 4, 5, 6, 7)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["bang", "Nguon va dinh nghia"]
    assert book.properties.created == when and book.properties.modified == when
    # every zip entry carries XlsxWriter's fixed date, never the time of writing
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_workbook_with_no_import_time_is_dated_1980():
    import datetime as dt

    html = downloads_html({"bang": pd.DataFrame({"a": [1]})}, definitions=pd.DataFrame({"code": ["a"]}),
                          stem="s", lang="en")
    book = openpyxl.load_workbook(io.BytesIO(_xlsx(html)))
    assert book.properties.created == book.properties.modified == dt.datetime(1980, 1, 1)


def test_neutralise_leaves_columns_without_formulas_as_they_are():
    frame = pd.DataFrame({"text": pd.Series(["a", None, " =x"], dtype="str"), "mixed": [1, "b", None],
                          "n": [1.0, 2.0, 3.0]})
    out = neutralise(frame)
    assert out["text"].tolist()[2] == "' =x" and out["text"].tolist()[0] == "a"
    assert out["mixed"].tolist() == [1, "b", None]
    assert frame["text"].tolist()[2] == " =x"  # the caller's frame is not touched


def test_addresses_and_formula_like_text_stay_plain_text_in_the_workbook():
    frame = pd.DataFrame({"source": ["https://baoquangninh.vn/bai-viet", "=HYPERLINK(\"x\")", "+84"]})
    html = downloads_html({"nguon": frame}, definitions=pd.DataFrame({"code": ["a"]}), stem="s", lang="vi")
    sheet = openpyxl.load_workbook(io.BytesIO(_xlsx(html)))["nguon"]
    cells = [sheet.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == ["https://baoquangninh.vn/bai-viet", "'=HYPERLINK(\"x\")", "'+84"]
    assert all(c.hyperlink is None and c.data_type == "s" for c in cells)
