"""The tables behind a report, embedded in it for download (CSV each, one XLSX with sources and definitions).

A leader who opens the file offline can take the numbers into a spreadsheet.
Text cells that a spreadsheet would run as a formula are neutralised first.
"""

from __future__ import annotations

import base64
import io

import pandas as pd
from markupsafe import Markup

from khanalytics.report.pages import fragment

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula (=, +, -, @) get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_neutral_cell)
    out.columns = [_neutral_cell(c) for c in out.columns]
    return out


def _neutral_cell(value: object) -> object:
    if isinstance(value, str) and value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def table_html(frame: pd.DataFrame) -> Markup:
    """A table as escaped HTML (pandas escapes every cell), wrapped to scroll sideways on a phone."""
    rendered = frame.to_html(index=False, classes="kha-table", border=0, escape=True, na_rep="—")
    return fragment("table", Markup(rendered))


def downloads_html(tables: dict[str, pd.DataFrame], *, definitions: pd.DataFrame, stem: str, lang: str) -> Markup:
    """Download links with the tables embedded (CSV each, one XLSX with a sheet of sources and definitions)."""
    links = []
    for name, frame in tables.items():
        data = neutralise(frame).to_csv(index=False).encode("utf-8-sig")
        links.append({"name": f"{stem}-{name}.csv", "mime": "text/csv", "data": data})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in tables.items():
            neutralise(frame).to_excel(writer, sheet_name=name[:31], index=False)
        sheet = "Nguon va dinh nghia" if lang != "en" else "Sources and definitions"
        neutralise(definitions).to_excel(writer, sheet_name=sheet[:31], index=False)
    links.append({"name": f"{stem}.xlsx", "mime": XLSX_MIME, "data": buf.getvalue()})
    for link in links:
        link["data"] = base64.b64encode(link["data"]).decode()
    label = "Tải bảng số liệu:" if lang != "en" else "Download the tables:"
    return fragment("downloads", label, links)
