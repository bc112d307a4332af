"""A group's values against the targets of the decisions (the targets themselves: ``khanalytics.targets``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics import targets as tg
from khanalytics.analysis.aggregates import aggregate_of
from khanalytics.analysis.groups import Group, as_group
from khanalytics.analysis.measures import Measure, Threshold, measure, missing
from khanalytics.analysis.observations import content_key, map_of, mark, normalise, periods_in
from khanalytics.periods import Period, half_year

TARGET_COLUMNS = [
    "group", "group_label", "period", "edition", "indicator", "indicator_label", "value", "decision_id", "decision",
    "decision_label", "decision_label_en", "decision_name", "target_year", "target", "gap", "baseline_period",
    "baseline_value", "expected", "status", "scope", "source", "confidence", "synthetic",
]
"""The columns of ``evaluate_targets``, one row per applicable target."""


def applicable_targets(
    period: str | Period,
    *,
    indicators: Sequence[str] | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    which: str = "current",
) -> pd.DataFrame:
    """Targets that apply at a period: issued by the period's end, of the scope.

    ``which="all"``: every such target. ``"current"``: for each indicator,
    the nearest target year at or after the period's year (one per decision
    with that year), or, when every target has expired, the latest one.
    """
    p = half_year(period)
    if targets is None:  # the packaged table: the answer kept (a copy handed out, the caller may edit it)
        chosen = None if indicators is None else tuple(indicators)
        return _packaged_applicable(p, chosen, scope, which).copy()
    return _applicable(p, indicators, targets, scope, which)


@lru_cache(maxsize=256)
def _packaged_applicable(p: Period, indicators: tuple[str, ...] | None, scope: str, which: str) -> pd.DataFrame:
    """``applicable_targets`` of the packaged targets, kept: a report asks the same question many times."""
    return _applicable(p, indicators, tg.load_targets(), scope, which)


def _applicable(p: Period, indicators: Sequence[str] | None, t: pd.DataFrame, scope: str, which: str) -> pd.DataFrame:
    t = t[(t["scope"] == scope) & (t["issued"] <= p.end)]
    if indicators is not None:
        t = t[t["indicator"].isin(list(indicators))]
    if which == "all" or t.empty:
        return t.reset_index(drop=True)
    keep = []
    for _, rows in t.groupby("indicator", sort=False):
        ahead = rows[rows["year"] >= p.year]
        pick = ahead[ahead["year"] == ahead["year"].min()] if len(ahead) else rows[rows["year"] == rows["year"].max()]
        keep.append(pick)
    return pd.concat(keep).sort_values(["indicator", "year", "decision_id"]).reset_index(drop=True)


def baseline(series: pd.Series, periods: dict[str, Period], year: int) -> tuple[Period | None, float]:
    """The first value at or after the year a decision was issued: where its "on track" line starts.

    ``series``: values by period code (NaN where none), in time order.
    """
    kept = series[[periods[q].year >= year for q in series.index]].dropna()
    if not len(kept):
        return None, np.nan
    return periods[kept.index[0]], float(kept.iloc[0])


def status_against(value: float, target: float, year: int, start: tuple[Period | None, float], when: Period,
                   higher_is_better: bool) -> tuple[float, str | None]:
    """(expected value at ``when`` on the line from ``start`` to the target, status "met" / "on track" /
    "behind" / None): one judgement shared by a group's evaluation and a province's scorecard cell."""
    first, level = start
    expected = (tg.expected_value(level, first.end, target, tg.target_date(year), when.end)
                if first is not None else np.nan)
    found = tg.status(None if missing(value) else float(value), target,
                      expected=None if missing(expected) else expected, higher_is_better=higher_is_better)
    return expected, found


def evaluate_targets(
    obs: pd.DataFrame,
    group: object,
    period: str | Period,
    *,
    indicators: Sequence[str] | None = None,
    edition: str | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    which: str = "current",
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The group's value against each applicable target: gap and status ("met", "on track", "behind").

    The "on track" line runs from the baseline — the group's own value at the
    earliest period with a value at or after the decision's year of issue —
    to the target at the end of the target year. Everything on one map
    (``edition``, else the period's). Columns: ``TARGET_COLUMNS``.
    """
    p = half_year(period)
    ed = map_of(p, edition)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    data = normalise(obs)
    key = content_key(data)
    observed = periods_in(data, None)
    todo = applicable_targets(p, indicators=indicators, targets=targets, scope=scope, which=which)
    rows = []
    for code, rows_t in todo.groupby("indicator", sort=False):
        m = measure(str(code))
        first = int(rows_t["baseline_year"].min())
        wanted = sorted({*(q for q in observed if q.year >= first and q <= p), p})
        series = aggregate_of(data, g, m, wanted, ed, threshold, key=key).set_index("period")
        when = {q.code: q for q in wanted}
        now = series.loc[p.code]
        for t in rows_t.itertuples():
            start = baseline(series["value"], when, t.baseline_year)
            rows.append(_judge(g, m, p, ed, now["value"], bool(now["synthetic"]), start, t))
    return mark(pd.DataFrame(rows, columns=TARGET_COLUMNS), ed)


def _judge(g: Group, m: Measure, p: Period, ed: str, value: float, synthetic: bool,
           start: tuple[Period | None, float], t) -> dict:
    expected, status = status_against(value, t.value, t.year, start, p, m.higher_is_better)
    return {
        "group": g.key, "group_label": g.label_vi, "period": p.code, "edition": ed, "indicator": m.code,
        "indicator_label": m.short_vi, "value": value, "decision_id": t.decision_id, "decision": t.decision,
        "decision_label": t.label_vi, "decision_label_en": t.label_en, "decision_name": t.name_vi,
        "target_year": t.year, "target": t.value,
        "gap": np.nan if missing(value) else float(value) - t.value,
        "baseline_period": start[0].code if start[0] else None, "baseline_value": start[1], "expected": expected,
        "status": status, "scope": t.scope, "source": t.source, "confidence": t.confidence, "synthetic": synthetic,
    }
