"""The tables behind a report, embedded in it for download (CSV each, one XLSX with sources and definitions).

A leader who opens the file offline can take the numbers into a spreadsheet.
Text cells that a spreadsheet would run as a formula are neutralised first.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

import pandas as pd
from markupsafe import Markup

from khanalytics.report.pages import fragment

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula (=, +, -, @) get a leading apostrophe.

    Only columns holding such a cell are rewritten (text columns are tested with pandas' string methods):
    mapping every cell in Python cost most of the time of the downloads.
    """
    out = frame.copy(deep=False)  # columns are replaced, never written into
    for col in out.columns:
        series = out[col]
        if isinstance(series, pd.DataFrame):  # a repeated column name: the cell by cell way
            out[col] = series.map(_neutral_cell)
        elif pd.api.types.is_string_dtype(series) and series.dtype != object:
            formula = series.str.lstrip().str.startswith(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
            if formula.any():
                out[col] = series.map(_neutral_cell)
        elif series.dtype == object and any(_neutral_cell(v) is not v for v in series):
            out[col] = series.map(_neutral_cell)
    out.columns = [_neutral_cell(c) for c in out.columns]
    return out


def _neutral_cell(value: object) -> object:
    if isinstance(value, str) and value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


EPOCH = dt.datetime(1980, 1, 1)
"""The date of an XLSX made with no better one (the earliest a zip entry can carry)."""


def xlsx_time(stamp: dt.datetime | pd.Timestamp | None) -> dt.datetime:
    """``stamp`` as the naive UTC time, to the second, that an XLSX records (:data:`EPOCH` when None, NaT or
    earlier)."""
    if stamp is None or pd.isna(stamp):
        return EPOCH
    when = pd.Timestamp(stamp)
    if when.tzinfo is not None:
        when = when.tz_convert("UTC").tz_localize(None)
    return max(when.to_pydatetime().replace(microsecond=0), EPOCH)


def table_html(frame: pd.DataFrame) -> Markup:
    """A table as escaped HTML (pandas escapes every cell), wrapped to scroll sideways on a phone."""
    rendered = frame.to_html(index=False, classes="kha-table", border=0, escape=True, na_rep="—")
    return fragment("table", Markup(rendered))


def downloads_html(tables: dict[str, pd.DataFrame], *, definitions: pd.DataFrame, stem: str, lang: str,
                   stamp: dt.datetime | pd.Timestamp | None = None) -> Markup:
    """Download links with the tables embedded (CSV each, one XLSX with a sheet of sources and definitions).

    ``stamp`` dates the XLSX (its created and modified properties), so the same tables give
    the same bytes and a re-rendered report is identical: the report passes when its data was last imported;
    None gives :data:`EPOCH`.
    """
    safe = {name: neutralise(frame) for name, frame in tables.items()}
    links = []
    for name, frame in safe.items():
        data = frame.to_csv(index=False).encode("utf-8-sig")
        links.append({"name": f"{stem}-{name}.csv", "mime": "text/csv", "data": data})
    buf = io.BytesIO()
    # XlsxWriter dates every zip entry 1/1/1980 and takes the workbook's created date from us (openpyxl stamps
    # both with the time of writing), and writes a report's tables in some 20 % less time
    # text stays text: no "=…" read as a formula (neutralise marks those anyway), no address made a link
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        writer.book.set_properties({"created": xlsx_time(stamp)})
        for name, frame in safe.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        sheet = "Nguon va dinh nghia" if lang != "en" else "Sources and definitions"
        neutralise(definitions).to_excel(writer, sheet_name=sheet[:31], index=False)
    links.append({"name": f"{stem}.xlsx", "mime": XLSX_MIME, "data": buf.getvalue()})
    for link in links:
        link["data"] = base64.b64encode(link["data"]).decode()
    label = "Tải bảng số liệu:" if lang != "en" else "Download the tables:"
    return fragment("downloads", label, links)
