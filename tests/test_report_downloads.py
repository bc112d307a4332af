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
