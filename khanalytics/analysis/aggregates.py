"""A group's value as a ratio of sums over the members that reported, with its coverage and, if empty, why."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics.analysis import lookups as lk
from khanalytics.analysis.groups import Group, as_group, members_on, territory_note
from khanalytics.analysis.measures import DEFAULT_THRESHOLDS, Measure, Threshold, compute, measure, missing
from khanalytics.analysis.observations import (
    PeriodSpec,
    content_key,
    map_of,
    mark,
    names_map,
    normalise,
    per_indicator,
    periods_in,
)
from khanalytics.analysis.values import values_of
from khanalytics.formatting import fmt_percent
from khanalytics.periods import Period

AGGREGATE_COLUMNS = [
    "group", "group_kind", "group_label", "group_label_en", "indicator", "period", "edition", "value", "numerator",
    "denominator", "n_reporting", "n_members", "reporting", "missing", "population_share", "synthetic",
    "min_members", "min_population", "reason_vi", "reason_en", "missing_detail_vi", "missing_detail_en",
    "outside_parts", "unit",
]
"""The columns of ``aggregate``, one row per period."""
_EPS = 1e-9


def aggregate(
    obs: pd.DataFrame,
    indicator: str | Sequence[str],
    group: object,
    periods: PeriodSpec = None,
    *,
    edition: str | None = None,
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The indicator for a group, one row per period: a ratio of sums over the members that reported.

    ``indicator``: a code, or a list of codes for one long frame (a row per indicator and period).
    ``group``: see :func:`as_group`; a name is read on the map of ``edition``, else of the latest period
    asked ("Bắc Ninh" in 2026-H1 is the new province). ``edition``: the map (None: the map in
    force at each period). ``periods``: half-years ("2019" stops with the way out, "2019-H2").
    ``threshold``: coverage needed (default by kind
    of group, see ``DEFAULT_THRESHOLDS``). Below it, or when the members
    cannot be drawn on that map, ``value`` is NaN and ``reason_vi`` /
    ``reason_en`` say why. Columns: ``AGGREGATE_COLUMNS``; ``reporting`` and
    ``missing`` are tuples of codes on the map used, ``outside_parts`` the old
    provinces included from outside the group's 2008 territory.
    """
    if not isinstance(indicator, str):
        if not indicator:
            return per_indicator(aggregate, obs, indicator)  # says the list is empty
        # per_indicator's long frame, the frame normalised and keyed once rather than once per indicator
        ms = [measure(str(code)) for code in dict.fromkeys(indicator)]
    else:
        ms = [measure(indicator)]
    data = normalise(obs)
    wanted = periods_in(data, periods)
    g = as_group(group, edition=names_map(wanted, edition), clusters_path=clusters_path)
    if isinstance(indicator, str):
        return aggregate_of(data, g, ms[0], wanted, edition, threshold)
    key = content_key(data)
    return mark(pd.concat([aggregate_of(data, g, m, wanted, edition, threshold, key=key) for m in ms],
                          ignore_index=True))


def aggregate_of(data: pd.DataFrame, g: Group, m: Measure, periods: list[Period], edition: str | None,
                 threshold: Threshold | None, *, key: tuple | None = None) -> pd.DataFrame:
    """``aggregate`` of a normalised frame for a resolved group and parsed periods (a copy the caller may edit).

    The reports of a period on one warm kernel ask for the country's (and each cluster's) figures again and
    again; the last ones are kept by the *content* of the frame (``key``: its ``content_key`` when the caller
    has it) and everything else that decides them, so an edited frame is computed afresh.
    """
    key = key or content_key(data)
    memo_key = (key, m.code, tuple(p.code for p in periods), edition, g, repr(g.grouping), threshold)
    kept = _memo.get(memo_key)
    if kept is None:
        kept = aggregate_from(values_of(data, m, periods, edition, key=key), g, m, periods, edition, threshold)
        _memo[memo_key] = kept
        if len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(memo_key)
    return mark(kept.copy(), edition)


_MEMO_SIZE = 512
_memo: OrderedDict[tuple, pd.DataFrame] = OrderedDict()


def aggregate_from(pv: pd.DataFrame, g: Group, m: Measure, periods: list[Period], edition: str | None,
                   threshold: Threshold | None) -> pd.DataFrame:
    """``aggregate`` from province values already computed (compare and scorecard reuse theirs)."""
    th = threshold or DEFAULT_THRESHOLDS[g.kind]
    rows = []
    outside: dict[str, tuple[str, ...]] = {}
    maps = {p: map_of(p, edition) for p in periods}
    # only the members' rows: a province's figures were otherwise picked out of every province's, each period
    members = {c for p in periods for c in members_on(g, maps[p], p)[0]}
    used = ["code", "period", "edition", "reported", "synthetic", "coverage_population", "reason_vi", "reason_en",
            *m.inputs]
    pv = pv.loc[pv["code"].isin(members), [c for c in dict.fromkeys(used) if c in pv.columns]]  # what _one reads
    at, on = pv["period"].to_numpy(dtype=object), pv["edition"].to_numpy(dtype=object)  # numpy: no pandas ops
    cells = _Cells(pv, m.inputs)
    for p in periods:
        ed = maps[p]
        if ed not in outside:
            outside[ed] = tuple(territory_note(g, ed).query("change == 'added'")["code_2008"]) \
                if g.kind in ("cluster", "region") else ()
        rows.append(_one(cells, np.flatnonzero((at == p.code) & (on == ed)), g, m, p, ed, th, outside[ed]))
    return mark(pd.DataFrame(rows, columns=AGGREGATE_COLUMNS), edition)


class _Cells:
    """The columns of province values that :func:`_one` reads, as numpy arrays, and a period's members' cells.

    The same cells as pandas' ``frame.iloc[rows].set_index("code").reindex(codes)`` (an absent member: not
    reported, NaN), read by position: that frame and its columns, made for every period of every aggregate,
    cost most of the time of an aggregate. Columns of other dtypes than values_of's go the pandas way.
    """

    def __init__(self, pv: pd.DataFrame, inputs: Sequence[str]) -> None:
        self.frame, self.inputs = pv, tuple(inputs)
        self.code = pv["code"].to_numpy(dtype=object)
        floats = ("coverage_population", *self.inputs)
        self.fast = (all(c in pv.columns for c in ("reported", "synthetic", "reason_vi", "reason_en", *floats))
                     and pv["reported"].dtype == bool and pv["synthetic"].dtype == bool
                     and all(pv[c].dtype == np.float64 for c in floats))
        if self.fast:
            self.arrays = {c: pv[c].to_numpy(dtype=object if c.startswith("reason_") else None)
                           for c in ("reported", "synthetic", "reason_vi", "reason_en", *floats)}

    def members(self, rows: np.ndarray, codes: Sequence[str]) -> dict[str, np.ndarray]:
        """Each column's cells of ``codes`` (in that order) among the rows at positions ``rows``."""
        where = dict(zip(self.code[rows], rows, strict=True))
        if not self.fast or len(where) != len(rows):  # a code twice: pandas' reindex says so
            mem = self.frame.iloc[rows].set_index("code").reindex(list(codes))
            return {"reported": mem["reported"].fillna(False).astype(bool).to_numpy(),
                    "synthetic": mem["synthetic"].to_numpy(),
                    **{c: mem[c].to_numpy(dtype=object) for c in ("reason_vi", "reason_en")},
                    **{c: mem[c].to_numpy(dtype="float64") for c in ("coverage_population", *self.inputs)}}
        take = np.array([where.get(c, -1) for c in codes], dtype=np.intp)
        found = take >= 0

        def pick(column: str, fill: object, dtype: object) -> np.ndarray:
            out = np.full(len(codes), fill, dtype=dtype)
            out[found] = self.arrays[column][take[found]]
            return out

        return {"reported": pick("reported", False, bool), "synthetic": pick("synthetic", False, bool),
                **{c: pick(c, np.nan, object) for c in ("reason_vi", "reason_en")},
                **{c: pick(c, np.nan, np.float64) for c in ("coverage_population", *self.inputs)}}


def _one(cells: _Cells, rows: np.ndarray, g: Group, m: Measure, period: Period, ed: str, th: Threshold,
         outside: tuple[str, ...]) -> dict:
    codes, why_vi, why_en = members_on(g, ed, period)
    row = {
        "group": g.key, "group_kind": g.kind, "group_label": g.label_vi, "group_label_en": g.label_en,
        "indicator": m.code, "period": period.code, "edition": ed, "value": np.nan, "numerator": np.nan,
        "denominator": np.nan, "n_reporting": 0, "n_members": len(codes), "reporting": (), "missing": codes,
        "population_share": np.nan, "synthetic": False, "min_members": th.members, "min_population": th.population,
        "reason_vi": why_vi, "reason_en": why_en, "missing_detail_vi": None, "missing_detail_en": None,
        "outside_parts": outside, "unit": m.unit_vi,
    }
    if not codes:
        return row
    mem = cells.members(rows, codes)
    ok = mem["reported"]
    reporting = tuple(c for c, yes in zip(codes, ok, strict=True) if yes)
    absent = tuple(c for c in codes if c not in set(reporting))
    row.update(n_reporting=len(reporting), reporting=reporting, missing=absent,
               synthetic=bool(mem["synthetic"][ok].any()) if reporting else False)
    pops = mem["coverage_population"]
    if not np.isnan(pops).any() and pops.sum() > 0:
        row["population_share"] = float(pops[ok].sum() / pops.sum())
    only: tuple[str, str] | None = None
    why_vi_each: list[str] = []
    if absent:
        place = {c: i for i, c in enumerate(codes)}
        detail = [place[c] for c in absent]
        why_vi_each = [r if isinstance(r, str) and r else "không có số liệu" for r in mem["reason_vi"][detail]]
        why_en_each = [r if isinstance(r, str) and r else "no data" for r in mem["reason_en"][detail]]
        row["missing_detail_vi"] = "; ".join(f"{lk.name(c, ed)}: {r}" for c, r in zip(absent, why_vi_each,
                                                                                      strict=True))
        row["missing_detail_en"] = "; ".join(f"{lk.name(c, ed, 'en')}: {r}" for c, r in zip(absent, why_en_each,
                                                                                             strict=True))
        if len(codes) == 1:
            only = (why_vi_each[0], why_en_each[0])
    sums = {e: float(np.nansum(mem[e][ok])) for e in m.inputs}  # pandas' sum (NaN skipped, numpy's adding)
    if reporting:
        row["numerator"] = math.fsum(sums[e] for e in m.numerator)
        if m.denominator:
            row["denominator"] = sums[m.denominator]
    where_vi, where_en = only or _coverage_problem(row, th, ed)
    # absent because merged in 2025, not because they did not report: say so
    if where_vi and absent and not only and all("1/7/2025" in r for r in why_vi_each):
        where_vi += ("; các tỉnh này đã hợp nhất từ 1/7/2025 nên không tách được số liệu trên bản đồ 63 tỉnh"
                     if ed == "2008" else "; số liệu trước 1/7/2025 của các phần hợp thành chưa đủ")
        where_en += ("; these provinces merged on 1 July 2025 and their figures cannot be split out"
                     if ed == "2008" else "; the parts they were made from did not all report before July 2025")
    if where_vi:
        row["reason_vi"], row["reason_en"] = where_vi, where_en
        return row
    value = compute(m, sums)
    if math.isnan(value):
        row["reason_vi"] = "mẫu số bằng 0"
        row["reason_en"] = "the denominator is zero"
        return row
    row["value"] = value
    return row


def _coverage_problem(row: dict, th: Threshold, ed: str) -> tuple[str | None, str | None]:
    n, k = row["n_members"], row["n_reporting"]
    unit_vi = "tỉnh, thành phố"
    more = len(row["missing"]) - 8
    miss_vi = ", ".join(lk.name(c, ed) for c in row["missing"][:8]) + (f" và {more} tỉnh khác" if more > 0 else "")
    miss_en = ", ".join(lk.name(c, ed, "en") for c in row["missing"][:8]) + (f" and {more} more" if more > 0 else "")
    if k == 0:
        return (f"không {unit_vi} nào báo cáo đủ số liệu để tính", "no province reported every figure needed")
    if k / n + _EPS < th.members:
        need = math.ceil(th.members * n - _EPS)
        return (f"chỉ {k}/{n} {unit_vi} báo cáo đủ số liệu (thiếu: {miss_vi}); cần ít nhất {need}/{n}",
                f"only {k} of {n} provinces reported every figure (missing: {miss_en}); at least {need} needed")
    if th.population > 0:
        share = row["population_share"]
        if missing(share):
            return ("không biết dân số của mọi thành viên nên không tính được độ phủ dân số",
                    "the population of some members is unknown, so coverage cannot be checked")
        if share + _EPS < th.population:
            return (f"các {unit_vi} báo cáo đủ số liệu chỉ chiếm {fmt_percent(share * 100, 1)} dân số "
                    f"(thiếu: {miss_vi}); cần ít nhất {fmt_percent(th.population * 100, 0)}",
                    f"the provinces that reported hold only {fmt_percent(share * 100, 1, 'en')} of the population "
                    f"(missing: {miss_en}); at least {fmt_percent(th.population * 100, 0, 'en')} needed")
    return None, None
