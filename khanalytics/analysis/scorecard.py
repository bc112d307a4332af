"""Provinces × indicators at a glance: value, cùng kỳ, position against the country and the current target."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics.analysis import lookups as lk
from khanalytics.analysis.aggregates import aggregate_of
from khanalytics.analysis.groups import as_group, country, members_on
from khanalytics.analysis.measures import change, measure, missing
from khanalytics.analysis.observations import content_key, map_of, mark, normalise, periods_in
from khanalytics.analysis.targets import applicable_targets, baseline, status_against
from khanalytics.analysis.values import values_of
from khanalytics.periods import Period, half_year

DEFAULT_INDICATORS = (
    "membership_rate",
    "learning_families_rate",
    "learning_clans_rate",
    "learning_communities_rate",
    "learning_units_rate",
    "learning_citizens_rate",
)
"""The indicators of a scorecard when none are asked for: membership and the learning titles."""

SCORECARD_COLUMNS = [
    "code", "name", "name_en", "period", "edition", "indicator", "indicator_label", "indicator_label_en", "unit",
    "value", "change", "change_unit", "national", "vs_national", "target", "target_year", "decision", "vs_target",
    "status", "synthetic",
]
"""The columns of ``scorecard``, one tidy row per province and indicator."""


def versus(value: float, reference: float, decimals: int) -> str | None:
    """"above" / "below" / "equal" at the precision the reader sees (None when either is missing)."""
    if missing(value) or missing(reference):
        return None
    a, b = round(float(value), decimals), round(float(reference), decimals)
    if a == b:
        return "equal"
    return "above" if a > b else "below"


def scorecard(
    obs: pd.DataFrame,
    period: str | Period,
    *,
    group: object = None,
    indicators: Sequence[str] = DEFAULT_INDICATORS,
    edition: str | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Provinces × indicators: value, change on cùng kỳ, position against the country and the target.

    ``group``: whose provinces (default: every province of the map). One
    tidy row per province and indicator (``SCORECARD_COLUMNS``): vs_national
    is "above" / "below" / "equal" at the indicator's decimals, vs_target
    "met" / "on track" / "behind" against the current target (or None), and
    ``status`` repeats vs_national for figures.scorecard_heatmap.
    """
    p = half_year(period)
    ly = p.same_period_last_year()
    ed = map_of(p, edition)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    codes, _, _ = members_on(g, ed, p)
    data = normalise(obs)
    key = content_key(data)
    history = sorted({*(q for q in periods_in(data, None) if q <= p), p, ly})
    when = {q.code: q for q in history}
    rows = []
    for code in indicators:
        m = measure(code)
        pv = values_of(data, m, history, ed, key=key)
        pv = pv[pv["code"].isin(list(codes))]  # the group's rows only: the rest was pivoted for nothing
        now = pv[pv["period"] == p.code].set_index("code")
        before = pv[pv["period"] == ly.code].set_index("code")["value"]
        national = aggregate_of(data, country(), m, [p], ed, None, key=key)["value"].iloc[0]
        chosen = applicable_targets(p, indicators=[code], targets=targets, scope=scope)
        target = chosen.iloc[0] if len(chosen) else None
        wide = pv.pivot(index="period", columns="code", values="value").reindex([q.code for q in history])
        for c in codes:
            value = now.at[c, "value"] if c in now.index else np.nan
            vs_target, tv, ty, dec = None, np.nan, None, None
            if target is not None:
                tv, ty, dec = float(target["value"]), int(target["year"]), target["decision"]
                col = wide[c] if c in wide.columns else pd.Series(dtype="float64")
                start = baseline(col, when, int(target["baseline_year"]))
                _, vs_target = status_against(value, tv, ty, start, p, m.higher_is_better)
            vs_nat = versus(value, national, m.decimals)
            rows.append({
                "code": c, "name": lk.name(c, ed), "name_en": lk.name(c, ed, "en"),
                "period": p.code, "edition": ed, "indicator": code, "indicator_label": m.short_vi,
                "indicator_label_en": m.short_en, "unit": m.unit_vi, "value": value,
                "change": change(value, before.get(c, np.nan), m.change_unit), "change_unit": m.change_unit,
                "national": national, "vs_national": vs_nat, "target": tv, "target_year": ty, "decision": dec,
                "vs_target": vs_target, "status": vs_nat,
                "synthetic": bool(now.at[c, "synthetic"]) if c in now.index else False,
            })
    return mark(pd.DataFrame(rows, columns=SCORECARD_COLUMNS), ed)
