"""The learning-title dashboard: one small panel per title, the group against the country and the targets.

Half of the association's mission is recognising learning families, clans, communities, units and
citizens; this figure shows each title's recognised rate (thick), registered rate (thin, the band between
them is what is registered but not yet recognised), the country's recognised rate (dashed), the targets
that apply (dotted, labelled with their decision) and the 2025 reform on the time axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from khanalytics.figures import theme as th
from khanalytics.figures._common import add_annotations, add_shapes, require, synthetic_note, t
from khanalytics.figures.classes import fmt_trim
from khanalytics.figures.layout import finish, relayout, set_adapt
from khanalytics.figures.trends import _ax, _hover, _panel_axes, _panel_grid, _prepare_series, _role_line
from khanalytics.formatting import check_lang, fmt_value, period_label
from khanalytics.periods import Period

REFORM = Period(2025, 2)
"""The first half-year on the 34-province map (Nghị quyết 202/2025/QH15, in force 1/7/2025)."""
_DASHBOARD_WORDS = {
    "vi": {"recognised": "đạt danh hiệu", "registered": "đăng ký", "reform": "1/7/2025: 34 tỉnh, thành",
           "title": "Danh hiệu học tập qua các kỳ"},
    "en": {"recognised": "recognised", "registered": "registered", "reform": "1 Jul 2025: 34 provinces",
           "title": "Learning titles over time"},
}


def title_dashboard(
    series: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    *,
    lang: str = "vi",
    cols: int = 3,
    decimals: int = 1,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    panel_height: int = 200,
) -> go.Figure:
    """The learning titles as small multiples, one panel per title, on one 0–100 % scale so panels compare.

    ``series``: the frame of ``analysis.title_trends`` (a group and the country; columns ``title``,
    ``title_label``, ``measure`` and the aggregate's). In each panel the group's recognised rate is the
    thick line, its registered rate a thin line whose band above the recognised one is what is registered
    but not yet recognised, the country's recognised rate the dashed reference; the latest values are
    labelled ("69,7 %"). ``targets``: ``analysis.title_targets`` (``title``, ``label``, ``year``,
    ``value``): a dotted line per target, named by its decision ("QĐ 281 (2020): 70 %"; decisions with
    the same value share a line). A window across 1/7/2025 marks the reform on the time axis. On a phone
    the panels stack in one column.
    """
    lang = check_lang(lang)
    require(series, ("title", "title_label", "title_label_en", "measure", "group_kind"), "series")
    s, periods = _prepare_series(series, lang)
    words = _DASHBOARD_WORDS[lang]
    labels = {p: period_label(p, lang, "short") for p in periods}
    xcats = [labels[p] for p in periods]
    keys = s.drop_duplicates("key")
    main = keys[keys["role"] != "national"].head(1)
    main = main if len(main) else keys.head(1)
    main_key, main_role, main_name = main["key"].iloc[0], main["role"].iloc[0], main["name"].iloc[0]
    color = th.ROLE_COLORS["highlight" if main_role == "province" else main_role]
    refs = keys[(keys["role"] == "national") & (keys["key"] != main_key)]
    label_col = "title_label_en" if lang == "en" else "title_label"
    panels = list(dict.fromkeys(s["title"].astype(str)))
    n = len(panels)
    cols = max(1, min(cols, n))
    fig = go.Figure()
    # annotations and shapes are gathered and added at once (see _common.add_annotations)
    notes: list[dict] = [dict(text=f"<b>{t(s.loc[s['title'] == code, label_col].iloc[0])}</b>", xref="paper",
                              yref="paper", showarrow=False, yanchor="bottom", xanchor="center",
                              font=dict(size=12, color=th.INK), name="panel-title") for code in panels]
    shapes: list[dict] = []
    goals = _target_rows_by_title(targets, lang)

    # each value by (title, key, measure, period), read once: selecting rows of ``s`` for every line cost more
    # than the rest of the figure
    cells: dict[tuple, dict] = {}
    for ti, k, me, pe, v in zip(s["title"], s["key"], s["measure"], s["_period"], s["value"], strict=True):
        cells.setdefault((ti, k, me), {})[pe] = v

    def line(code: str, key: str, measure: str) -> list[float]:
        one = cells.get((code, key, measure), {})
        return [float(one.get(p, np.nan)) for p in periods]

    for i, code in enumerate(panels):
        axes = dict(xaxis=_ax("x", i), yaxis=_ax("y", i))
        for measure in MEASURE_ORDER:
            y = line(code, main_key, measure)
            strong = measure == "recognised"
            fig.add_trace(go.Scatter(
                x=xcats, y=y, mode="lines+markers", name=t(f"{main_name}: {words[measure]}"),
                legendgroup=f"{main_key}-{measure}", showlegend=i == 0, connectgaps=False,
                line=dict(color=color, width=3 if strong else 1.2),
                marker=dict(size=5 if strong else 3, color=color),
                fill=None if strong else "tonexty", fillcolor=None if strong else _tint(color, 0.12),
                hovertext=_hover(f"{main_name} ({words[measure]})", periods, y, labels, "%", decimals, lang),
                hovertemplate="%{hovertext}<extra></extra>", **axes))
            _latest_label(notes, xcats, y, i, color, strong, decimals, lang)
        for ref in refs.itertuples():  # over the group's lines: where they coincide, the dashes still show
            y = line(code, ref.key, "recognised")
            fig.add_trace(go.Scatter(x=xcats, y=y, mode="lines", name=t(f"{ref.name}: {words['recognised']}"),
                                     legendgroup=ref.key, showlegend=i == 0, line=_role_line("national", 0.6),
                                     hovertext=_hover(ref.name, periods, y, labels, "%", decimals, lang),
                                     hovertemplate="%{hovertext}<extra></extra>", **axes))
        for label, value in goals.get(code, []):
            _panel_target(notes, shapes, i, label, value, decimals, lang)
        if periods[0] < REFORM <= periods[-1]:
            _reform_mark(notes, shapes, i, periods.index(next(p for p in periods if p >= REFORM)) - 0.5, words["reform"])
    add_shapes(fig, shapes)
    add_annotations(fig, notes)
    every = [*s["value"].dropna().tolist(), *(v for rows in goals.values() for _, v in rows)]
    top = min(max(every, default=100.0) * 1.12 + 4, 110.0)
    _panel_axes(fig, n, xcats, [0.0, top], [], "%", lang, 0)
    wide = _panel_grid(n, cols, len(xcats), panel_height, 0)
    height = wide.pop("height")
    relayout(fig, wide | {"showlegend": True, "hovermode": "closest"})
    note = synthetic_note(s, provenance_note, lang)
    fig = finish(fig, lang=lang, title=title if title is not None else words["title"], subtitle=subtitle,
                 note=note, height=height, extra_top=26)
    narrow = _panel_grid(n, 1, len(xcats), panel_height, 0)
    # on a phone the legend's three entries take three rows
    set_adapt(fig, {k: v for k, v in narrow.items() if k != "height"}, height=narrow["height"] + 24, extra_top=50)
    return fig


MEASURE_ORDER = ("recognised", "registered")
"""Recognised first: the registered trace fills down to it (plotly's ``tonexty``)."""


def _target_rows_by_title(targets: pd.DataFrame | None, lang: str) -> dict[str, list[tuple[str, float]]]:
    """Per title, (label, value) of each target line; decisions with the same value share one line and label."""
    if targets is None or targets.empty:
        return {}
    require(targets, ("title", "label", "year", "value"), "targets")
    label_col = "label_en" if lang == "en" and "label_en" in targets.columns else "label"
    out: dict[str, list[tuple[str, float]]] = {}
    for (code, value), rows in targets.groupby(["title", "value"], sort=False):
        names = " · ".join(f"{r[label_col]} ({r['year']})" for _, r in rows.iterrows())
        out.setdefault(str(code), []).append((names, float(value)))
    return out


def _latest_label(notes: list[dict], xcats: list[str], y: list[float], i: int, color: str, strong: bool,
                  decimals: int, lang: str) -> None:
    """The line's last value at its last point: the recognised rate under it, the registered one above."""
    finite = [(x, v) for x, v in zip(xcats, y, strict=True) if np.isfinite(v)]
    if not finite:
        return
    x, v = finite[-1]
    notes.append(dict(x=x, y=v, xref=_ax("x", i), yref=_ax("y", i), xanchor="right", xshift=-4,
                      yanchor="top" if strong else "bottom", yshift=-4 if strong else 4, showarrow=False,
                      text=(f"<b>{fmt_value(v, '%', decimals, lang)}</b>" if strong
                            else fmt_value(v, "%", decimals, lang)),
                      font=dict(size=12 if strong else 10, color=color), bgcolor="rgba(255,255,255,0.8)",
                      name="latest"))


def _panel_target(notes: list[dict], shapes: list[dict], i: int, label: str, value: float, decimals: int, lang: str) -> None:
    """A dotted target line across panel ``i``, its decision and value written at its left end."""
    style = dict(color=th.ROLE_COLORS["target"], width=1.4, dash="dot")
    shapes.append(dict(type="line", xref=f"{_ax('x', i)} domain", x0=0, x1=1, yref=_ax("y", i), y0=value,
                       y1=value, line=style, layer="below"))
    notes.append(dict(xref=f"{_ax('x', i)} domain", x=0, xanchor="left", yref=_ax("y", i), y=value,
                      yanchor="bottom", showarrow=False, text=f"{t(label)}: {fmt_trim(value, '%', decimals, lang)}",
                      font=dict(size=10, color=th.ROLE_COLORS["target"]), bgcolor="rgba(255,255,255,0.8)",
                      name="target"))


def _reform_mark(notes: list[dict], shapes: list[dict], i: int, x: float, text: str) -> None:
    """A vertical rule between the last half-year on the 63-province map and the first on the 34-province one."""
    shapes.append(dict(type="line", xref=_ax("x", i), x0=x, x1=x, yref=f"{_ax('y', i)} domain", y0=0, y1=1,
                       line=dict(color=th.MUTED, width=1, dash="dash"), layer="below"))
    notes.append(dict(xref=_ax("x", i), x=x, xanchor="right", xshift=-2, yref=f"{_ax('y', i)} domain", y=0.02,
                      yanchor="bottom", showarrow=False, text=t(text), font=dict(size=9, color=th.MUTED),
                      name="reform"))


def _tint(color: str, alpha: float) -> str:
    """A "#RRGGBB" colour as a translucent rgba(), for the registered band."""
    r, g, b = (int(color.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
