"""The observation frame: read from the store, then put once into the one shape every analysis step reads.

Public functions call :func:`normalise` at their entry and hand the result to
the internal steps, so a frame is read, and its periods parsed, once per call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError
from khanalytics.periods import Period, half_year

if TYPE_CHECKING:
    from khanalytics.store import Store

KEY = ["edition", "code", "period", "element"]
"""What identifies one observation: a province of one map, a period, a data element."""
REQUIRED_COLUMNS = (*KEY, "value")
_CARRIED = ("reason_vi", "reason_en", "from_edition", "parts")  # kept when present (a harmonised frame)

PeriodSpec = str | Period | Iterable[str | Period] | None
"""Periods as callers give them: one, several, or None for every period of the frame."""


class AnalysisError(KhanalyticsError, ValueError):
    """An observation frame, indicator or group the analysis cannot use (a ValueError for old callers)."""

    rule = "analysis"


def load_observations(path: str | Path | None = None, **filters: object) -> pd.DataFrame:
    """The current observations of a store file, opened read-only so a report never locks the store."""
    with _read_only(path) as store:
        return store.observations(**filters)  # type: ignore[arg-type]


def load_flags(path: str | Path | None = None) -> pd.DataFrame:
    """The quality flags still attached to current values, for the caveats of a report."""
    with _read_only(path) as store:
        return store.flags()


def _read_only(path: str | Path | None) -> Store:
    """The store opened read-only; a file that is not a store stops with an error of the family, not duckdb's."""
    import duckdb

    from khanalytics.store import DEFAULT_PATH, Store

    where = Path(path or DEFAULT_PATH)
    try:
        return Store(where, read_only=True)
    except duckdb.Error as err:
        raise AnalysisError(
            f"Không mở được kho dữ liệu {where} (tệp DuckDB của khanalytics): {err}",
            f"cannot open the store {where} (a khanalytics DuckDB file): {err}",
            rule="bad_store", file=str(where),
        ) from err


def normalise(obs: pd.DataFrame) -> pd.DataFrame:
    """A new frame with string codes ("01"), canonical period codes and float values; ``obs`` is not touched.

    A map the frame declares (``geography.with_edition``) travels with the result.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in obs.columns]
    if missing:
        raise AnalysisError(
            f"Bảng số liệu thiếu cột {missing} (cần bảng của Store.observations())",
            f"the observation frame lacks columns {missing} (expected the frame of Store.observations())",
            rule="missing_columns", value=missing,
        )
    # Series (not numpy arrays) keep pandas' string columns as they are: rebuilding them from Python objects
    # cost most of the time of a call, and every public analysis call makes one.
    text = {col: obs[col].astype(str).reset_index(drop=True) for col in ("edition", "code", "period", "element")}
    canonical = {p: Period.parse(p).code for p in text["period"].unique()}
    if any(p != code for p, code in canonical.items()):
        text["period"] = text["period"].map(canonical)
    codes = text["code"]
    if not (codes.str.len() == 2).all():
        text["code"] = codes.str.zfill(2)
    kind = obs["kind"].reset_index(drop=True) if "kind" in obs.columns else pd.Series(np.full(len(obs), None))
    out = pd.DataFrame({
        **text,
        "value": pd.to_numeric(obs["value"], errors="coerce").astype("float64").to_numpy(),
        "kind": kind if isinstance(kind.dtype, pd.StringDtype) else kind.astype(object),
    })
    for col in _CARRIED:
        if col in obs.columns:
            out[col] = obs[col].astype(object).to_numpy()
    declared = obs.attrs.get(geo.EDITION_ATTR)
    return geo.with_edition(out, declared) if declared is not None else out


def content_key(data: pd.DataFrame) -> tuple:
    """What a normalised frame holds (columns, declared map, a digest of every value), never where it lives:
    a frame edited in place gets a new key, an equal copy the same one."""
    digest = hashlib.sha256()  # with the CPU's SHA instructions twice as fast as blake2b, on every analysis call
    for column in data.columns:
        _digest_column(digest, data[column])
    return tuple(data.columns), data.attrs.get(geo.EDITION_ATTR), len(data), digest.hexdigest()


def _digest_column(digest: hashlib._Hash, column: pd.Series) -> None:
    """Feed one column's content to ``digest``: the memory of numbers and of pyarrow strings as it is (hashing
    them value by value cost more than the analysis it saved), other columns value by value."""
    digest.update(f"|{column.dtype}|{len(column)}|".encode())
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        for chunk in column.array.__arrow_array__().chunks:
            digest.update(f"{chunk.offset}:{len(chunk)}".encode())
            for buffer in chunk.buffers():
                if buffer is not None:
                    digest.update(memoryview(buffer))
    elif isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        digest.update(np.ascontiguousarray(column.to_numpy()).view(np.uint8))
    else:
        digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())


def require_map(data: pd.DataFrame, edition: str, what: str) -> None:
    """Refuse a frame that declares the other map; an undeclared observation frame is harmonised instead."""
    if data.attrs.get(geo.EDITION_ATTR) is not None:
        geo.require_edition(data, edition, what=what)


def mark(frame: pd.DataFrame, edition: str | None = None) -> pd.DataFrame:
    """``frame`` declared on ``edition``'s map, else on the one map its ``edition`` column holds (if only one)."""
    if edition is None and "edition" in frame.columns:
        found = frame["edition"].dropna().astype(str).unique()
        edition = found[0] if len(found) == 1 else None
    return geo.with_edition(frame, edition) if edition is not None else frame


def period_objects(codes: Iterable[str]) -> dict[str, Period]:
    """Each distinct period code parsed once, for loops that need dates or years."""
    return {c: Period.parse(c) for c in dict.fromkeys(codes)}


def periods_in(data: pd.DataFrame, periods: PeriodSpec) -> list[Period]:
    """The periods asked for (default: every period of ``data``), parsed, distinct and in time order.

    Periods asked for are half-years (``periods.half_year``): "2019" stops with the way out ("2019-H2")
    instead of finding nothing.
    """
    if periods is None:
        return sorted(period_objects(data["period"].unique()).values())
    if isinstance(periods, str | Period):
        return [half_year(periods)]
    return sorted({half_year(p) for p in periods})


def map_of(period: Period, edition: str | None) -> str:
    """The map asked for, else the one in force at the period."""
    return geo.check_edition(edition) if edition else geo.edition_for(period)


def names_map(periods: list[Period], edition: str | None) -> str | None:
    """The map a group given by name is read on: the one asked for, else the map of the latest period asked.

    "Bắc Ninh" in 2026-H1 is the new province (24), not old Bắc Ninh (27); over periods on both maps it is
    the latest period's territory, traced back through its parts.
    """
    if edition:
        return geo.check_edition(edition)
    return geo.edition_for(max(periods)) if periods else None


def per_indicator(compute: Callable[..., pd.DataFrame], obs: pd.DataFrame, indicators: Sequence[str],
                  *args: object, **kwargs: object) -> pd.DataFrame:
    """``compute`` for each indicator, as one long frame (its ``indicator`` column says which), marked with its map."""
    if not indicators:
        raise AnalysisError("Danh sách chỉ tiêu rỗng", "empty list of indicators", rule="no_indicators")
    frames = [compute(obs, str(code), *args, **kwargs) for code in dict.fromkeys(indicators)]
    return mark(pd.concat(frames, ignore_index=True))
