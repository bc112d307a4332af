"""A group against itself (cùng kỳ, previous period, trend), against the country, and provinces against each other."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics import targets as tg
from khanalytics.analysis.aggregates import AGGREGATE_COLUMNS, aggregate_of
from khanalytics.analysis.groups import as_group, clusters_on, country
from khanalytics.analysis.measures import Threshold, change, measure, missing
from khanalytics.analysis.observations import (
    AnalysisError,
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
from khanalytics.periods import Period, half_year

COMPARE_COLUMNS = [*AGGREGATE_COLUMNS, "period_last_year", "value_last_year", "change_last_year", "period_previous",
                   "value_previous", "change_previous", "change_unit", "national", "gap_national",
                   "share_of_national"]
"""The columns of ``compare``: the aggregate, then its changes and its gap to the country."""
RANK_COLUMNS = ["code", "name", "name_en", "period", "edition", "value", "synthetic", "rank_country", "n_country",
                "cluster", "cluster_label", "rank_cluster", "n_cluster"]
"""The columns of ``ranks``, best first."""


def compare(obs: pd.DataFrame, indicator: str | Sequence[str], group: object, periods: PeriodSpec = None, *,
            edition: str | None = None, threshold: Threshold | None = None,
            national_threshold: Threshold | None = None, clusters_path: str | Path | None = None) -> pd.DataFrame:
    """``aggregate`` plus the change on cùng kỳ and on the previous period, and the gap to the country.

    The reference periods and the national value are taken on the same map
    as the value itself, so a change never mixes two territories. Extra
    columns: period_last_year, value_last_year, change_last_year,
    period_previous, value_previous, change_previous, change_unit ("points"
    for rates in %, "percent" otherwise), national, gap_national (value −
    national, in points for rates; NaN for counts) and share_of_national (for
    counts, % of the national total). A list of indicators gives one long
    frame, a row per indicator and period. A group given by name is read on
    the map of ``edition``, else of the latest period asked ("Bắc Ninh" in
    2026-H1 is the new province, 24); periods are half-years.
    """
    if not isinstance(indicator, str):
        return per_indicator(compare, obs, indicator, group, periods, edition=edition, threshold=threshold,
                             national_threshold=national_threshold, clusters_path=clusters_path)
    m = measure(indicator)
    data = normalise(obs)
    key = content_key(data)
    wanted = periods_in(data, periods)
    g = as_group(group, edition=names_map(wanted, edition), clusters_path=clusters_path)
    by_map: dict[str, set[Period]] = {}
    for p in wanted:
        by_map.setdefault(map_of(p, edition), set()).update({p, p.same_period_last_year(), p.previous()})
    groups, nats = [], []
    for ed, ps in by_map.items():
        ordered = sorted(ps)
        groups.append(aggregate_of(data, g, m, ordered, ed, threshold, key=key))
        nats.append(aggregate_of(data, country(), m, [p for p in ordered if p in wanted], ed, national_threshold,
                                 key=key))
    allg = pd.concat(groups, ignore_index=True).set_index(["edition", "period"])
    alln = pd.concat(nats, ignore_index=True).set_index(["edition", "period"])
    rows = []
    for p in wanted:
        ed = map_of(p, edition)
        row = allg.loc[(ed, p.code)].to_dict()
        row.update(edition=ed, period=p.code)
        ly, pr = p.same_period_last_year().code, p.previous().code
        row["period_last_year"] = ly
        row["value_last_year"] = allg.loc[(ed, ly), "value"]
        row["change_last_year"] = change(row["value"], row["value_last_year"], m.change_unit)
        row["period_previous"] = pr
        row["value_previous"] = allg.loc[(ed, pr), "value"]
        row["change_previous"] = change(row["value"], row["value_previous"], m.change_unit)
        row["change_unit"] = m.change_unit
        nat = alln.loc[(ed, p.code), "value"]
        row["national"] = nat
        row["gap_national"] = np.nan if m.is_count or missing(nat) or missing(row["value"]) else row["value"] - nat
        row["share_of_national"] = (row["value"] / nat * 100 if m.is_count and not missing(nat) and nat
                                    and not missing(row["value"]) else np.nan)
        rows.append(row)
    return mark(pd.DataFrame(rows)[COMPARE_COLUMNS], edition)


def ranks(
    obs: pd.DataFrame,
    indicator: str,
    period: str | Period,
    *,
    edition: str | None = None,
    decimals: int | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Every province's value with its rank in the country and in its cluster (1 = best).

    Ranks are taken on the values rounded as they are shown (``decimals``, default the indicator's), so
    two provinces that read the same share a rank (method "min"); provinces without a value get no rank.
    Columns: ``RANK_COLUMNS``; marked with the map used.
    """
    m = measure(indicator)
    p = half_year(period)
    ed = map_of(p, edition)
    pv = values_of(normalise(obs), m, [p], ed)
    out = pv[["code", "name", "name_en", "period", "edition", "value", "synthetic"]].copy()
    asc = not m.higher_is_better
    shown = out["value"].round(m.decimals if decimals is None else decimals)  # values that read the same share a rank
    out["rank_country"] = shown.rank(method="min", ascending=asc).astype("Int64")
    out["n_country"] = int(out["value"].notna().sum())
    of = clusters_on(ed, p, clusters_path)
    out["cluster"] = out["code"].map(lambda c: of[c].slug if c in of else None)
    out["cluster_label"] = out["code"].map(lambda c: of[c].name_vi if c in of else None)
    out["rank_cluster"] = shown.groupby(out["cluster"], dropna=False).rank(method="min", ascending=asc).astype(
        "Int64")
    out["n_cluster"] = out.groupby("cluster", dropna=False)["value"].transform("count").astype(int)
    out.loc[out["cluster"].isna(), ["rank_cluster"]] = pd.NA
    out = out.sort_values(["rank_country", "code"], na_position="last").reset_index(drop=True)
    return mark(out, ed)


def trend(
    obs: pd.DataFrame,
    indicator: str,
    group: object,
    period: str | Period | None = None,
    *,
    last: int = 6,
    edition: str | None = None,
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The group's value over the ``last`` periods ending at ``period`` (default: the latest observed).

    All on one map: ``edition``, else the map of the last period. Extra
    columns: change_previous, change_unit, slope_per_year (least squares over
    the periods with a value, in the indicator's unit per year; NaN with
    fewer than two) and direction ("up", "down", "flat" or None).
    """
    data = normalise(obs)
    if period is None:
        if data.empty:
            raise AnalysisError("Không có số liệu", "no observations", rule="no_observations")
        end = periods_in(data, None)[-1]
    else:
        end = half_year(period)
    seq = [end]
    while len(seq) < last:
        seq.append(seq[-1].previous())
    seq.reverse()
    ed = map_of(end, edition)
    m = measure(indicator)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    out = aggregate_of(data, g, m, seq, ed, threshold)
    prev = out["value"].shift()
    out["change_previous"] = [change(v, r, m.change_unit) for v, r in zip(out["value"], prev, strict=True)]
    out["change_unit"] = m.change_unit
    x = np.array([tg.year_fraction(p.end) for p in seq])
    y = out["value"].to_numpy(dtype="float64")
    ok = ~np.isnan(y)
    slope = float(np.polyfit(x[ok], y[ok], 1)[0]) if ok.sum() >= 2 else float("nan")
    out["slope_per_year"] = slope
    if math.isnan(slope):
        direction = None
    elif round(slope, m.decimals) == 0:
        direction = "flat"
    else:
        direction = "up" if slope > 0 else "down"
    out["direction"] = direction
    return mark(out, ed)
