"""The DuckDB store: every value with its provenance and every revision kept.

A file is read and validated completely before anything is written, and then
written in one transaction, so a rejected or killed import leaves the store
exactly as it was. Importing the same file again changes nothing; a corrected
file adds a new revision of the values that changed and keeps the old ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from khanalytics import __version__
from khanalytics import geography as geo
from khanalytics.diagnostics import InputError, Issue
from khanalytics.errors import KhanalyticsError
from khanalytics.formatting import fmt_number
from khanalytics.io.read import Reading, read_file
from khanalytics.periods import Period
from khanalytics.validate import has_errors, validate

DEFAULT_PATH = Path("data/khanalytics.duckdb")


class StoreNotFoundError(KhanalyticsError, FileNotFoundError):
    """A store opened read-only that does not exist."""

    rule = "no_store"


class StoreLockedError(KhanalyticsError, OSError):
    """Another process holds the store (an import running elsewhere) for longer than we wait."""

    rule = "store_locked"


LOCK_TIMEOUT = float(os.environ.get("KHANALYTICS_LOCK_TIMEOUT", "30"))


class PanelError(KhanalyticsError, ValueError):
    """A bulk (commune) panel that lacks columns or holds negative counts; nothing of it is stored."""

    rule = "bad_panel"
KEY = ["edition", "code", "period", "element"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    import_id   INTEGER PRIMARY KEY,
    file_name   VARCHAR NOT NULL,
    file_path   VARCHAR,
    sha256      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    imported_at TIMESTAMP WITH TIME ZONE NOT NULL,
    n_values    INTEGER NOT NULL,
    n_new       INTEGER NOT NULL,
    n_flags     INTEGER NOT NULL,
    source      VARCHAR,
    note        VARCHAR,
    package_version VARCHAR
);
CREATE TABLE IF NOT EXISTS observations (
    edition   VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    period    VARCHAR NOT NULL,
    element   VARCHAR NOT NULL,
    value     DOUBLE NOT NULL,
    revision  INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    kind      VARCHAR NOT NULL,
    sheet     VARCHAR,
    "row"     INTEGER,
    "column"  VARCHAR,
    raw       VARCHAR,
    PRIMARY KEY (edition, code, period, element, revision)
);
CREATE TABLE IF NOT EXISTS flags (
    import_id INTEGER NOT NULL,
    rule      VARCHAR NOT NULL,
    edition   VARCHAR,
    code      VARCHAR,
    period    VARCHAR,
    element   VARCHAR,
    sheet     VARCHAR,
    "row"     INTEGER,
    "column"  VARCHAR,
    value     VARCHAR,
    message_vi VARCHAR,
    message_en VARCHAR
);
CREATE TABLE IF NOT EXISTS commune_observations (
    edition   VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    commune   VARCHAR NOT NULL,
    period    VARCHAR NOT NULL,
    element   VARCHAR NOT NULL,
    value     DOUBLE NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE OR REPLACE VIEW current_observations AS
    SELECT * FROM observations
    QUALIFY row_number() OVER (PARTITION BY edition, code, period, element ORDER BY revision DESC) = 1;
"""


@dataclass
class ImportResult:
    """What one import did: the file, how many values, how many new or revised, and the issues met."""

    file: str
    sha256: str
    import_id: int | None  # None when the file was already imported
    n_values: int
    n_new: int
    issues: list[Issue] = field(default_factory=list)
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)  # values already stored that this file changes
    period_sources: dict = field(default_factory=dict)  # sheet -> the clues its period came from ("--period"…)

    @property
    def flags(self) -> list[Issue]:
        """The quality flags of the file (the values are stored, and marked)."""
        return [i for i in self.issues if i.severity == "flag"]

    @property
    def already_imported(self) -> bool:
        """Whether the same bytes were imported before (then nothing changed)."""
        return self.import_id is None


class Store:
    """A DuckDB file of observations. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False,
                 lock_timeout: float | None = None) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreNotFoundError(f"Không có kho dữ liệu {self.path}", f"no store at {self.path}", file=str(self.path))
        self.con = self._connect(read_only, LOCK_TIMEOUT if lock_timeout is None else lock_timeout)
        if not read_only:
            self.con.execute(_SCHEMA)

    def _connect(self, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another import holds it (DuckDB lets one writer in at a time)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as err:
                if "lock" not in str(err).lower():
                    raise
                if time.monotonic() >= deadline:
                    holder = re.search(r"PID (\d+)", str(err))
                    who = f" (PID {holder.group(1)})" if holder else ""
                    raise StoreLockedError(
                        f"Kho {self.path} đang được một tiến trình khác dùng{who}; đã chờ {fmt_number(timeout)} giây. "
                        "Chờ lần nhập kia xong rồi chạy lại.",
                        f"the store {self.path} is in use by another process{who}; waited {fmt_number(timeout, lang='en')} s. "
                        "Run again once the other import has finished.", file=str(self.path)) from None
                time.sleep(0.2)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the DuckDB connection (the context manager does it)."""
        self.con.close()

    # --- writing ---------------------------------------------------------------

    def check(self, path: str | Path, **read_options: object) -> tuple[Reading, list[Issue]]:
        """Read and validate a file against what is stored, without writing."""
        reading = read_file(path, **read_options)  # type: ignore[arg-type]
        return reading, validate(reading, previous=self._same_period_last_year(reading.values))

    def import_files(self, paths: Sequence[str | Path], *, dry_run: bool = False,
                     **read_options: object) -> list[ImportResult]:
        """Validate every file, then store them all in one transaction, or nothing.

        Raises InputError for the first file with errors; nothing is written then.
        Each result lists the stored values the file revises (``revised``:
        before and after); with ``dry_run`` nothing is written, the results say
        what would be.
        """
        readings = [read_file(path, **read_options) for path in paths]  # type: ignore[arg-type]
        stored = self._same_period_last_year(pd.concat([r.values for r in readings]) if readings else pd.DataFrame())
        checked = []
        for reading in readings:
            issues = validate(reading, previous=stored)
            if has_errors(issues):
                raise InputError(reading.file.name, issues)
            checked.append((reading, issues))
        return self._write(checked, dry_run=dry_run)

    def _write(self, checked: list[tuple[Reading, list[Issue]]], *, dry_run: bool = False) -> list[ImportResult]:
        """Write a batch of validated readings: one transaction, a new revision only where a value changed."""
        known = {row[0] for row in self.con.execute("SELECT sha256 FROM imports").fetchall()}
        next_id = self.con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
        results, frames, flag_rows, import_rows = [], [], [], []
        now = dt.datetime.now(dt.UTC)
        for reading, issues in checked:
            values = reading.values.drop_duplicates(KEY)
            if reading.sha256 in known:
                results.append(ImportResult(reading.file.name, reading.sha256, None, len(values), 0, issues))
                continue
            known.add(reading.sha256)
            import_id, next_id = next_id, next_id + 1
            frames.append(values.assign(import_id=import_id, kind=reading.kind))
            flags = [i for i in issues if i.severity == "flag"]
            flag_rows += [[import_id, f.rule, reading.edition, f.province, f.period, f.element, f.sheet, f.row,
                           f.column, None if f.value is None else str(f.value), f.message("vi"), f.message("en")]
                          for f in flags]
            import_rows.append([import_id, reading.file.name, str(reading.file), reading.sha256, reading.kind, now,
                                len(values), 0, len(flags), reading.meta.get("source"), reading.meta.get("note"),
                                __version__])
            results.append(ImportResult(reading.file.name, reading.sha256, import_id, len(values), 0, issues,
                                        period_sources=reading.meta.get("period_sources", {})))
        new = self._new_revisions(pd.concat(frames)) if frames else None
        if new is not None:
            counts = new.groupby("import_id").size()
            for row in import_rows:
                row[7] = int(counts.get(row[0], 0))
            for result in results:
                if result.import_id is not None:
                    result.n_new = int(counts.get(result.import_id, 0))
                    mine = new[(new["import_id"] == result.import_id) & new["before"].notna()]
                    result.revised = mine[[*KEY, "before", "value", "revision", "sheet", "row", "column"]].rename(
                        columns={"value": "after"}).reset_index(drop=True)
        if dry_run:
            return results
        self.con.execute("BEGIN TRANSACTION")
        try:
            if new is not None and not new.empty:
                self.con.register("new_values", new)
                self.con.execute(
                    """INSERT INTO observations (edition, code, period, element, value, revision, import_id, kind,
                                                 sheet, "row", "column", raw)
                       SELECT edition, code, period, element, value, revision, import_id, kind, sheet, "row",
                              "column", raw FROM new_values"""
                )
                self.con.unregister("new_values")
            if flag_rows:
                self.con.executemany("INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", flag_rows)
            if import_rows:
                self.con.executemany("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", import_rows)
            pause = os.environ.get("KHANALYTICS_TEST_PAUSE_BEFORE_COMMIT")
            if pause:  # lets a test kill the process inside the transaction
                print("paused-in-transaction", flush=True)
                time.sleep(float(pause))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return results

    def _new_revisions(self, incoming: pd.DataFrame) -> pd.DataFrame:
        """The incoming rows that change a value, each with its revision number.

        Files of one batch are applied in order: a value equal to the one just
        before it (stored, or from an earlier file of the batch) is not a revision.
        """
        incoming = incoming[[*KEY, "value", "import_id", "kind", "sheet", "row", "column", "raw"]].astype(
            {"row": "Int64"})
        self.con.register("incoming_keys", incoming[KEY].drop_duplicates())
        try:
            current = self.con.execute(
                """SELECT c.edition, c.code, c.period, c.element, c.value AS stored, c.revision AS stored_revision
                   FROM current_observations c JOIN incoming_keys k USING (edition, code, period, element)"""
            ).df()
        finally:
            self.con.unregister("incoming_keys")
        rows = incoming.sort_values("import_id", kind="stable").merge(current, on=KEY, how="left")
        before = rows.groupby(KEY, sort=False)["value"].shift()
        before = before.fillna(rows["stored"])
        changed = rows[before.isna() | (before != rows["value"])].copy()
        changed["revision"] = (changed["stored_revision"].fillna(0).astype(int)
                               + changed.groupby(KEY, sort=False).cumcount() + 1)
        changed["before"] = before.loc[changed.index]
        return changed.drop(columns=["stored", "stored_revision"])

    def _same_period_last_year(self, values: pd.DataFrame) -> pd.DataFrame:
        if values.empty:
            return pd.DataFrame(columns=[*KEY, "value"])
        periods = sorted({Period.parse(p).same_period_last_year().code for p in values["period"].unique()})
        return self.observations(periods=periods, provenance=False)

    def load_commune_panel(self, frame: pd.DataFrame, *, name: str, kind: str = "reported") -> int:
        """Bulk-load commune-level values (edition, code, commune, period, element, value) in one transaction.

        Commune panels are millions of values, so they skip the per-cell reader
        and go through Arrow straight into DuckDB; they are checked in bulk.
        """
        required = ["edition", "code", "commune", "period", "element", "value"]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise PanelError(f"{name}: thiếu cột {missing}", f"{name}: missing columns {missing}", file=name,
                             rule="missing_columns", column=", ".join(missing))
        if (frame["value"] < 0).any():
            raise PanelError(f"{name}: có giá trị âm", f"{name}: negative values", file=name, rule="negative_count")
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame[required], index=False).values.tobytes()).hexdigest()
        if self.con.execute("SELECT 1 FROM imports WHERE sha256 = ?", [digest]).fetchall():
            return 0
        self.con.execute("BEGIN TRANSACTION")
        try:
            import_id = self.con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
            self.con.register("panel", frame[required])
            self.con.execute(f"INSERT INTO commune_observations SELECT *, {int(import_id)} FROM panel")
            self.con.unregister("panel")
            self.con.execute(
                "INSERT INTO imports VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 0, NULL, 'commune panel', ?)",
                [import_id, name, digest, kind, dt.datetime.now(dt.UTC), len(frame), len(frame), __version__],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return len(frame)

    def commune_totals(self) -> pd.DataFrame:
        """Commune values summed to provinces: edition, code, period, element, value, n_communes."""
        return self.con.execute(
            """SELECT edition, code, period, element, sum(value) AS value, count(DISTINCT commune) AS n_communes
               FROM commune_observations GROUP BY ALL ORDER BY edition, code, period, element"""
        ).df()

    # --- reading ---------------------------------------------------------------

    def observations(
        self,
        *,
        edition: str | None = None,
        codes: Iterable[str] | None = None,
        periods: Iterable[str] | None = None,
        elements: Iterable[str] | None = None,
        current: bool = True,
        provenance: bool = True,
    ) -> pd.DataFrame:
        """Tidy values: edition, code, province, period, element, value (+ provenance columns)."""
        table = "current_observations" if current else "observations"
        where, params = [], []
        for column, wanted in (("edition", [geo.check_edition(edition)] if edition else None), ("code", codes),
                               ("period", periods), ("element", elements)):
            if wanted is not None:
                wanted = [str(w) for w in wanted]
                where.append(f"o.{column} IN (SELECT unnest(?::VARCHAR[]))")
                params.append(wanted)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        extra = (', o.revision, o.kind, i.file_name, i.sha256, o.sheet, o."row", o."column", i.imported_at, o.import_id'
                 if provenance else "")
        join = "JOIN imports i USING (import_id)" if provenance else ""
        frame = self.con.execute(
            f"SELECT o.edition, o.code, o.period, o.element, o.value{extra} FROM {table} o {join} {clause} "
            "ORDER BY o.edition, o.period, o.code, o.element" + (", o.revision" if not current else ""),
            params,
        ).df()
        if provenance:
            names = {(e, c): n for e in geo.EDITIONS for c, n in zip(geo.provinces(e)["code"], geo.provinces(e)["name_vi"], strict=True)}
            frame.insert(2, "province", [names.get((e, c)) for e, c in zip(frame["edition"], frame["code"], strict=True)])
        return frame

    def history(self, *, edition: str, code: str, period: str, element: str | None = None) -> pd.DataFrame:
        """Every revision of a province's values for a period, oldest first."""
        frame = self.observations(edition=edition, codes=[code], periods=[period],
                                  elements=[element] if element else None, current=False)
        return frame.sort_values(["element", "revision"]).reset_index(drop=True)

    def diff(self, *, edition: str, code: str, period: str) -> pd.DataFrame:
        """Values that changed between revisions: element, revision, before, after, file."""
        h = self.history(edition=edition, code=code, period=period)
        h["before"] = h.groupby("element")["value"].shift()
        changed = h[h["revision"] > 1]
        return changed[["element", "revision", "before", "value", "file_name", "imported_at"]].rename(
            columns={"value": "after"}).reset_index(drop=True)

    def imports(self) -> pd.DataFrame:
        """One row per imported file: name, sha256, time, kind."""
        return self.con.execute("SELECT * FROM imports ORDER BY import_id").df()

    def flags(self, *, current: bool = True) -> pd.DataFrame:
        """Quality flags; with current=True only those of imports still providing a current value."""
        if not current:
            return self.con.execute("SELECT * FROM flags ORDER BY import_id").df()
        return self.con.execute(
            """SELECT f.* FROM flags f
               WHERE (f.element IS NULL OR f.code IS NULL OR EXISTS (
                   SELECT 1 FROM current_observations c WHERE c.import_id = f.import_id AND c.code = f.code
                   AND c.period = f.period AND c.element = f.element AND c.edition = f.edition))
               AND f.import_id IN (SELECT DISTINCT import_id FROM current_observations)
               ORDER BY f.import_id, f.period, f.code"""
        ).df()

    def periods(self, edition: str | None = None) -> list[str]:
        """The periods that hold values (of one edition when given), in order."""
        rows = self.con.execute(
            "SELECT DISTINCT period FROM observations" + (" WHERE edition = ?" if edition else ""),
            [edition] if edition else [],
        ).fetchall()
        return [p.code for p in sorted(Period.parse(r[0]) for r in rows)]

    def content_hash(self) -> str:
        """A hash of what the store holds (not of the file's bytes, which change on checkpoints)."""
        digest = hashlib.sha256()
        for query in (
            "SELECT * EXCLUDE (imported_at) FROM imports ORDER BY import_id",
            "SELECT * FROM observations ORDER BY edition, code, period, element, revision",
            "SELECT * FROM flags ORDER BY ALL",
        ):
            frame = self.con.execute(query).df()
            digest.update(frame.to_csv(index=False).encode())
        from khanalytics.published.store import has_record, published_hash  # the record lives beside the values

        if has_record(self.con):
            digest.update(published_hash(self.con).encode())
        return digest.hexdigest()
