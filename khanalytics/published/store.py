"""The published record in the store's DuckDB file: its own tables, one transaction per import, revisions kept.

The published figures sit beside the reported observations, never among
them: a figure an article printed is not a province's report, and it must
not feed an aggregate by accident. So they live in tables of their own
(``published_imports``, ``published_figures`` and the view
``current_published``) in the same file, written through ``Store.con``.
Importing the same rows again changes nothing; a row with the same identity
(unit, period, indicator, source) and another value, qualifier, quote or page
title becomes a new revision, and the earlier one is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from khanalytics import __version__
from khanalytics.errors import KhanalyticsError
from khanalytics.published.record import PublishedReading, read_published, record_frame

KIND = "published"
_COMPARED = ["value", "qualifier", "quote", "page_title"]  # what a correction changes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS published_imports (
    import_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, file_path VARCHAR, sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, imported_at TIMESTAMP WITH TIME ZONE NOT NULL, n_rows INTEGER NOT NULL,
    n_new INTEGER NOT NULL, package_version VARCHAR
);
CREATE TABLE IF NOT EXISTS published_figures (
    row_key VARCHAR NOT NULL, revision INTEGER NOT NULL, import_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
    "row" INTEGER NOT NULL, unit VARCHAR NOT NULL, unit_type VARCHAR NOT NULL, edition VARCHAR, code VARCHAR,
    unit_name VARCHAR, cluster_number INTEGER, unit_note VARCHAR, period VARCHAR NOT NULL, asof_kind VARCHAR NOT NULL,
    asof_precision VARCHAR, approximate BOOLEAN NOT NULL, asof_start DATE, asof_end DATE, meets VARCHAR,
    indicator VARCHAR NOT NULL, catalogue_code VARCHAR, catalogue_kind VARCHAR, value DOUBLE NOT NULL,
    qualifier VARCHAR NOT NULL, quote VARCHAR, source_url VARCHAR NOT NULL, page_title VARCHAR,
    PRIMARY KEY (row_key, revision)
);
CREATE OR REPLACE VIEW current_published AS
    SELECT * FROM published_figures
    QUALIFY row_number() OVER (PARTITION BY row_key ORDER BY revision DESC) = 1;
"""
_TABLE_COLUMNS = ["row_key", "revision", "import_id", "kind", "row", "unit", "unit_type", "edition", "code",
                  "unit_name", "cluster_number", "unit_note", "period", "asof_kind", "asof_precision", "approximate",
                  "asof_start", "asof_end", "meets", "indicator", "catalogue_code", "catalogue_kind", "value",
                  "qualifier", "quote", "source_url", "page_title"]


class PublishedStoreError(KhanalyticsError, LookupError):
    """A store that holds no published record where one is asked for."""

    rule = "no_published_record"


@dataclass
class PublishedImportResult:
    """What one import of a published record did: the file, its rows, how many were new or corrected."""

    file: str
    sha256: str
    import_id: int | None  # None when the same bytes were imported before (nothing changed)
    n_rows: int
    n_new: int
    revised: pd.DataFrame  # rows already stored that this file corrects: row_key, unit, period, indicator, before, after

    @property
    def already_imported(self) -> bool:
        """Whether the same file was imported before (then nothing changed)."""
        return self.import_id is None


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the published record's tables and view in a store's file when they are missing."""
    con.execute(_SCHEMA)


def has_record(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's file has the published tables (a read-only store cannot create them)."""
    rows = con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'published_figures'").fetchall()
    return bool(rows)


def import_published(store: object, path: str | Path) -> PublishedImportResult:
    """Read a published-record file completely, then store its new and corrected rows in one transaction.

    ``store`` is a :class:`khanalytics.store.Store` (its ``con`` is used). A malformed row refuses the
    whole file (``PublishedFileError``) before anything is written.
    """
    return write_reading(store.con, read_published(path))  # type: ignore[attr-defined]


def write_reading(con: duckdb.DuckDBPyConnection, reading: PublishedReading) -> PublishedImportResult:
    """Store a file already read: nothing when its bytes were imported before, else new and corrected rows."""
    ensure_tables(con)
    name = reading.file.name
    if con.execute("SELECT 1 FROM published_imports WHERE sha256 = ?", [reading.sha256]).fetchall():
        return PublishedImportResult(name, reading.sha256, None, len(reading.rows), 0, pd.DataFrame())
    incoming = record_frame(reading.rows).drop_duplicates("row_key", keep="last")
    current = con.execute(
        f"SELECT row_key, revision, {', '.join(_COMPARED)} FROM current_published").df()
    merged = incoming.merge(current, on="row_key", how="left", suffixes=("", "_stored"))
    same = pd.Series(True, index=merged.index)
    for column in _COMPARED:
        stored = merged[f"{column}_stored"]
        if column == "value":
            same &= stored.notna() & (stored == merged[column])
        else:
            same &= stored.notna() & (stored.fillna("").astype(str) == merged[column].fillna("").astype(str))
    changed = merged[~same].copy()
    changed["revision"] = changed["revision"].fillna(0).astype(int) + 1
    revised = changed[changed["revision"] > 1].rename(columns={"value_stored": "before", "value": "after"})
    revised = revised[["row_key", "row", "unit", "period", "indicator", "before", "after", "revision"]]
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM published_imports").fetchall()[0][0]
    changed = changed.assign(import_id=import_id, kind=KIND)[_TABLE_COLUMNS]
    con.execute("BEGIN TRANSACTION")
    try:
        if not changed.empty:
            con.register("new_published", changed)
            con.execute(f"INSERT INTO published_figures ({', '.join(_quoted(_TABLE_COLUMNS))}) "
                        f"SELECT {', '.join(_quoted(_TABLE_COLUMNS))} FROM new_published")
            con.unregister("new_published")
        con.execute("INSERT INTO published_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, name, str(reading.file), reading.sha256, KIND, dt.datetime.now(dt.UTC),
                     len(reading.rows), len(changed), __version__])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return PublishedImportResult(name, reading.sha256, import_id, len(reading.rows), len(changed),
                                 revised.reset_index(drop=True))


def _quoted(columns: list[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def published_frame(con: duckdb.DuckDBPyConnection, *, current: bool = True) -> pd.DataFrame:
    """The record with its provenance (file, sha256, row, import time, kind); every revision when not current.

    Empty (with the columns) when the store holds no published record.
    """
    if not has_record(con):
        return record_frame([]).assign(revision=pd.Series(dtype="int64"), import_id=pd.Series(dtype="int64"),
                                       kind=pd.Series(dtype=object), file_name=pd.Series(dtype=object),
                                       sha256=pd.Series(dtype=object), imported_at=pd.Series(dtype=object))
    table = "current_published" if current else "published_figures"
    frame = con.execute(
        f"""SELECT p.*, i.file_name, i.sha256, i.imported_at FROM {table} p JOIN published_imports i USING (import_id)
            ORDER BY p.unit_type, p.unit, p.asof_end NULLS LAST, p.indicator, p.revision""").df()
    frame["cluster_number"] = frame["cluster_number"].astype("Int64")
    for column in ("asof_start", "asof_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_published(path: str | Path) -> pd.DataFrame:
    """The current record of a store file, opened read-only (empty when the file holds none)."""
    from khanalytics.store import Store

    with Store(path, read_only=True) as s:
        return published_frame(s.con)


def published_hash(con: duckdb.DuckDBPyConnection) -> str:
    """A hash of the published record a store holds (import times left out), to tell whether an import changed it."""
    digest = hashlib.sha256()
    if has_record(con):
        for query in ("SELECT * EXCLUDE (imported_at) FROM published_imports ORDER BY import_id",
                      "SELECT * FROM published_figures ORDER BY row_key, revision"):
            digest.update(con.execute(query).df().to_csv(index=False).encode())
    return digest.hexdigest()


def demo_record_path() -> Path:
    """The record shipped for the demo: ``khanalytics/demo/published_figures.csv`` once built, else
    ``data/published/published_figures.csv`` of a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "demo" / "published_figures.csv",
                      package.parent / "data" / "published" / "published_figures.csv"):
        if candidate.is_file():
            return candidate
    raise PublishedStoreError(
        "Không có tệp số liệu công bố của bản trình diễn (data/published/published_figures.csv).",
        "the demo's published record is missing (data/published/published_figures.csv).",
        file="data/published/published_figures.csv", rule="demo_data_missing")


def import_demo_record(store: object) -> PublishedImportResult:
    """Import the shipped published record into a store (the demo calls this; a second call changes nothing)."""
    return import_published(store, demo_record_path())
