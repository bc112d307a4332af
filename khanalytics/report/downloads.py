"""The tables behind a report, embedded in it for download (CSV each, one XLSX with sources and definitions).

A leader who opens the file offline can take the numbers into a spreadsheet.
Text cells that a spreadsheet would run as a formula are neutralised first.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import shutil
import zipfile
from functools import partial
from typing import Any

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


class _StampedZip(zipfile.ZipFile):
    """A zip whose every entry carries one time, not the time of writing (nor a temporary file's)."""

    def __init__(self, *args: Any, when: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._when = when.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any, *args: Any, **kwargs: Any) -> None:
        """``ZipFile.writestr``, an entry given by name dated at the zip's time (with ZipFile's own defaults)."""
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._when)
            zinfo.compress_type = self.compression
            zinfo.external_attr = (0o40775 << 16 | 0x10) if zinfo.filename.endswith("/") else 0o600 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: str | None = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        """``ZipFile.write`` of a file (openpyxl writes each sheet to a temporary file first), dated at the
        zip's time instead of the file's."""
        zinfo = zipfile.ZipInfo.from_file(filename, arcname)
        zinfo.date_time = self._when
        zinfo.compress_type = self.compression if compress_type is None else compress_type
        if compresslevel is not None:
            zinfo._compresslevel = compresslevel  # what ZipFile.write sets
        with open(filename, "rb") as src, self.open(zinfo, "w") as dest:
            shutil.copyfileobj(src, dest, 1024 * 8)


def _save_at(book: Any, handle: Any, *, when: dt.datetime) -> None:
    """Save an openpyxl workbook as ``openpyxl.writer.excel.save_workbook`` does, but dated ``when``: its
    created and modified properties (which openpyxl sets to now) and every zip entry."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = when
    book.properties.modified = when
    archive = _StampedZip(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True, when=when)
    ExcelWriter(book, archive).save()  # closes the archive


def table_html(frame: pd.DataFrame) -> Markup:
    """A table as escaped HTML (pandas escapes every cell), wrapped to scroll sideways on a phone."""
    rendered = frame.to_html(index=False, classes="kha-table", border=0, escape=True, na_rep="—")
    return fragment("table", Markup(rendered))


def downloads_html(tables: dict[str, pd.DataFrame], *, definitions: pd.DataFrame, stem: str, lang: str,
                   stamp: dt.datetime | pd.Timestamp | None = None) -> Markup:
    """Download links with the tables embedded (CSV each, one XLSX with a sheet of sources and definitions).

    ``stamp`` dates the XLSX (its zip entries and its created/modified properties), so the same tables give
    the same bytes and a re-rendered report is identical: the report passes when its data was last imported;
    None gives :data:`EPOCH`.
    """
    safe = {name: neutralise(frame) for name, frame in tables.items()}
    links = []
    for name, frame in safe.items():
        data = frame.to_csv(index=False).encode("utf-8-sig")
        links.append({"name": f"{stem}-{name}.csv", "mime": "text/csv", "data": data})
    buf = io.BytesIO()
    when = xlsx_time(stamp)
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        # pandas saves through the workbook's ``save``: ours dates it, and its zip, at ``when``
        writer.book.save = partial(_save_at, writer.book, when=when)
        for name, frame in safe.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        sheet = "Nguon va dinh nghia" if lang != "en" else "Sources and definitions"
        neutralise(definitions).to_excel(writer, sheet_name=sheet[:31], index=False)
    links.append({"name": f"{stem}.xlsx", "mime": XLSX_MIME, "data": buf.getvalue()})
    for link in links:
        link["data"] = base64.b64encode(link["data"]).decode()
    label = "Tải bảng số liệu:" if lang != "en" else "Download the tables:"
    return fragment("downloads", label, links)
