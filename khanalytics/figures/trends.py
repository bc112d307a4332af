"""Trends over periods: provinces against their cluster and the country, as one chart or as small multiples.

The x axis names a half-year by the month it ends ("6/2019", "12/2019"), as the association writes "đến hết
6/2019"; each line is named at its end so the chart reads without a legend, and on a phone, where those
names would take half the width, they give way to the legend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from khanalytics.figures import theme as th
from khanalytics.figures._common import (
    ROLES,
    WORDS,
    FigureError,
    add_annotations,
    add_shapes,
    require,
    rule,
    synthetic_note,
    t,
)
from khanalytics.figures.classes import fmt_trim
from khanalytics.figures.layout import finish, relayout, set_adapt
from khanalytics.formatting import MISSING, check_lang, fmt_value, is_missing, no_data, period_label
from khanalytics.periods import Period

ANALYSIS_ROLES = {"country": "national", "cluster": "cluster", "region": "cluster", "list": "cluster",
                  "province": "province"}
"""The role a line of ``analysis.trend`` / ``aggregate`` / ``compare`` plays, by its ``group_kind``."""


def series_from_analysis(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The trend series (period, key, name, role, value) of analysis results, several groups concatenated or one.

    ``key`` is "kind:group" ("cluster:dong-bac", "country:VN", as ``analysis.as_group`` reads it), ``name`` the
    group's label in ``lang`` and ``role`` follows the kind (the country is the national line, a cluster, region
    or list a cluster line). Other columns (indicator, synthetic…) are kept.
    """
    require(frame, ("group", "group_kind", "group_label", "group_label_en", "period", "value"), "series")
    out = frame.copy()
    out["key"] = out["group_kind"].astype(str) + ":" + out["group"].astype(str)
    out["name"] = out["group_label_en" if lang == "en" else "group_label"].astype(str)
    out["role"] = out["group_kind"].map(ANALYSIS_ROLES)
    return out


def _prepare_series(series: pd.DataFrame, lang: str = "vi") -> tuple[pd.DataFrame, list[Period]]:
    """The series with parsed periods (``_period``) and numeric values, and its periods in order.

    Results of the analysis (``analysis.trend``, ``aggregate``, ``compare``: a ``group_kind`` column and no
    ``role``) are read through :func:`series_from_analysis`.
    """
    if isinstance(series, pd.DataFrame) and "role" not in series.columns and "group_kind" in series.columns:
        series = series_from_analysis(series, lang)
    require(series, ("period", "key", "name", "role", "value"), "series")
    s = series.copy()
    bad = sorted(set(s["role"].dropna().astype(str)) - set(ROLES))
    if bad or s["role"].isna().any():
        got = bad or ["None"]
        raise FigureError(
            f"role phải là một trong {ROLES}; nhận được {got}",
            f"role must be one of {ROLES}; got {got}",
            rule="bad_role",
            column="role",
            value=got,
        )
    s["_period"] = [Period.parse(p) for p in s["period"]]
    s["value"] = pd.to_numeric(s["value"], errors="coerce").astype(float)
    s["key"] = s["key"].astype(str)
    return s, sorted(set(s["_period"]))


def _one_indicator(s: pd.DataFrame) -> None:
    """Refuse a series mixing indicators on one axis: their lines would share a key and a scale."""
    found = list(dict.fromkeys(s["indicator"].dropna().astype(str))) if "indicator" in s.columns else []
    if len(found) > 1:
        raise FigureError(
            f"series có nhiều chỉ tiêu ({', '.join(found)}): vẽ bằng small_multiples(…, by='indicator') "
            "hoặc lọc một chỉ tiêu",
            f"series holds several indicators ({', '.join(found)}): draw it with small_multiples(…, "
            "by='indicator') or keep one indicator",
            rule="several_indicators",
            parameter="series",
            value=found,
        )


def _target_rows(targets: pd.DataFrame | None) -> list[tuple[str, float]]:
    """(label, value) of each target with a value."""
    if targets is None:
        return []
    require(targets, ("label", "value"), "targets")
    return [(str(r.label), float(r.value)) for r in targets.itertuples(index=False) if not is_missing(r.value)]


def _hover(name: str, periods: Sequence[Period], y: Sequence[float], labels: dict, unit: str | None,
           decimals: int, lang: str) -> list[str]:
    """"Quảng Ninh — 6/2019: 31,80 %" for each point of a line."""
    return [
        f"{t(name)} — {labels[p]}: {fmt_value(val, unit, decimals, lang, missing=no_data(lang))}"
        for p, val in zip(periods, y, strict=True)
    ]


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions at least ``gap`` apart, each as near its line's end as possible, within [lo, hi].

    Overlapping labels are merged into blocks centred on the mean of their wished positions.
    """
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    blocks: list[list[int]] = []

    def start(block: list[int]) -> float:
        first = sum(ys[j] for j in block) / len(block) - gap * (len(block) - 1) / 2
        return min(max(first, lo), hi - gap * (len(block) - 1))

    for i in order:
        blocks.append([i])
        while len(blocks) > 1 and start(blocks[-1]) - (start(blocks[-2]) + gap * (len(blocks[-2]) - 1)) < gap:
            last = blocks.pop()
            blocks[-1] = blocks[-1] + last
    out = [0.0] * len(ys)
    for block in blocks:
        first = start(block)
        for k, j in enumerate(block):
            out[j] = first + k * gap
    return out


def _role_line(role: str, width_scale: float = 1.0, color: str | None = None) -> dict:
    """The line style of a role, the same in every figure."""
    return dict(color=color or th.ROLE_COLORS[role], width=th.ROLE_WIDTH[role] * width_scale, dash=th.ROLE_DASH[role])


def trend(
    series: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
    highlight: Sequence[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    label_lines: bool = True,
    provenance_note: str | None = None,
    height: int = 500,
) -> go.Figure:
    """Trend lines of provinces against the cluster aggregate and the national average.

    ``series``: long table, columns ``period`` ("2019-H1", "2019" or a Period), ``key`` (line id, e.g. a
    province code, a cluster slug, "VN"), ``name`` (displayed), ``role`` ("province", "cluster" or
    "national") and ``value`` (NaN = gap in the line); or the results of ``analysis.trend`` /
    ``aggregate`` / ``compare`` for one indicator, one group or several concatenated (see
    :func:`series_from_analysis`; their provinces are highlighted unless ``highlight`` says otherwise).
    A ``synthetic`` column with any True puts the synthetic-data notice in the note. Provinces are thin grey lines (those in
    ``highlight`` keys are blue), the cluster a thick vermillion line, the country a dark dashed line;
    each line is named at its end. ``targets``: columns ``label`` and ``value``, drawn as dotted
    horizontal lines with their label.

    The x axis is the period as a Vietnamese reader writes it: a half-year by the month it ends
    ("6/2019" = to end of June 2019, "12/2019"), a year by its number; in English "Jun 2019".
    """
    lang = check_lang(lang)
    s, periods = _prepare_series(series, lang)
    _one_indicator(s)
    labels = {p: period_label(p, lang, "short") for p in periods}
    xcats = [labels[p] for p in periods]
    if highlight is None and "group_kind" in series.columns:  # a province of the analysis is a line of its own
        highlight = s.loc[s["role"] == "province", "key"].unique().tolist()
    hl = {str(h) for h in (highlight or [])}

    fig = go.Figure()
    order = {"province": 0, "national": 1, "cluster": 2}
    keys = sorted(
        s.drop_duplicates("key")[["key", "role", "name"]].itertuples(index=False),
        key=lambda r: (order[r.role], r.key in hl),
    )
    ends: list[tuple[str, float, str, str, bool]] = []  # x, y, text, colour, bold
    shown_province_legend = False
    for key, role, name in keys:
        line = s[s["key"] == key].set_index("_period")["value"]
        y = [line.get(p, np.nan) for p in periods]
        is_hl = key in hl
        style = _role_line("highlight" if is_hl else role)
        legend_name = t(name)
        showlegend = True
        group = key
        if role == "province" and not is_hl:
            legend_name = WORDS[lang]["provinces"]
            showlegend = not shown_province_legend
            shown_province_legend = True
            group = "provinces"
        fig.add_trace(
            go.Scatter(
                x=xcats,
                y=y,
                mode="lines+markers" if role != "province" or is_hl else "lines",
                name=legend_name,
                legendgroup=group,
                showlegend=showlegend,
                line=style,
                connectgaps=False,
                legendrank={"cluster": 1, "national": 2}.get(role, 3 if is_hl else 4) * 100,
                marker=dict(size=7 if role != "province" else 5, color=style["color"]),
                hovertext=_hover(name, periods, y, labels, unit, decimals, lang),
                hovertemplate="%{hovertext}<extra></extra>",
                opacity=0.9 if role == "province" else 1,
            )
        )
        finite = [(i, val) for i, val in enumerate(y) if np.isfinite(val)]
        if finite and label_lines:
            i, val = finite[-1]
            ends.append((xcats[i], float(val), name, style["color"], role != "province" or is_hl))

    tgt_rows = _target_rows(targets)
    all_y = s["value"].dropna().tolist() + [v for _, v in tgt_rows]
    lo, hi = (min(all_y), max(all_y)) if all_y else (0.0, 1.0)
    span = (hi - lo) or max(abs(hi), 1.0)
    lo, hi = lo - span * 0.08, hi + span * 0.1
    if unit == "%" and lo > 0 and lo < span * 0.6:
        lo = 0.0
    notes: list[dict] = []  # added at once (see _common.add_annotations)
    for label, value in tgt_rows:
        rule(fig, value, vertical=False, layer="below",
             line=dict(color=th.ROLE_COLORS["target"], width=th.ROLE_WIDTH["target"], dash="dot"))
        notes.append(dict(
            xref="paper",
            x=0,
            xanchor="left",
            y=value,
            yanchor="bottom",
            showarrow=False,
            text=f"{t(label)}: {fmt_trim(value, unit, decimals, lang)}",
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(color=th.ROLE_COLORS["target"], size=11),
        ))
    first_label = len(fig.layout.annotations) + len(notes)
    end_labels = _end_labels(ends, gap=(hi - lo) * 14 / max(height - 180, 100), lo=lo, hi=hi)
    n_labels = len(end_labels)
    add_annotations(fig, notes + end_labels)
    longest = max((len(e[2]) for e in ends), default=0)
    fig.update_layout(
        xaxis=dict(type="category", categoryorder="array", categoryarray=xcats, title=None),
        yaxis=dict(range=[lo, hi], title=None, **th.value_axis(unit, lang, decimals)),
        margin=dict(r=min(40 + 7 * longest, 220)),
        hovermode="closest",
    )
    title = title if title is not None else indicator_label
    note = synthetic_note(s, provenance_note, lang)
    fig = finish(fig, lang=lang, title=title, subtitle=subtitle, note=note, height=height)
    # On a phone the end labels would take half the width: drop them (the legend and hover remain).
    narrow: dict[str, Any] = {f"annotations[{first_label + i}].visible": False for i in range(n_labels)}
    narrow |= {"margin.r": 16, "xaxis.dtick": max(1, math.ceil((len(xcats) - 1) / 4))}
    set_adapt(fig, narrow)
    return fig


def _end_labels(ends: list[tuple[str, float, str, str, bool]], gap: float, lo: float,
                hi: float) -> list[dict]:
    """Each line's name at its last value, spread ``gap`` apart where lines end close together (annotations)."""
    out: list[dict] = []
    by_x: dict[str, list[int]] = {}
    for i, e in enumerate(ends):
        by_x.setdefault(e[0], []).append(i)
    for idx in by_x.values():
        ys = _spread([ends[i][1] for i in idx], gap, lo, hi)
        for i, y_pos in zip(idx, ys, strict=True):
            x, _, name, color, bold = ends[i]
            out.append(dict(
                x=x,
                y=y_pos,
                xanchor="left",
                xshift=8,
                yanchor="middle",
                showarrow=False,
                text=(f"<b>{t(name)}</b>" if bold else t(name)),
                font=dict(color=color if bold else th.MUTED, size=12 if bold else 11),
                name="line-label",
            ))
    return out


def small_multiples(
    series: pd.DataFrame,
    *,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
    cols: int = 4,
    targets: pd.DataFrame | None = None,
    by: Literal["province", "indicator"] = "province",
    panel_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    panel_height: int = 190,
) -> go.Figure:
    """Small panels on a shared y axis so they compare: one per province, or one per indicator.

    ``by="province"``: a panel per province (``role == "province"``, in order of first appearance), each
    with the cluster and national lines for reference. ``by="indicator"``: a panel per value of the
    ``indicator`` column (the four learning titles side by side, say), each with that indicator's lines:
    the group's in blue, the national one for reference; titles from ``panel_labels`` (code → label), else
    the catalogue's short label. ``series`` and ``targets`` as for :func:`trend` (analysis results too,
    several indicators concatenated); panel titles give the name and its latest value.
    """
    lang = check_lang(lang)
    s, periods = _prepare_series(series, lang)
    labels = {p: period_label(p, lang, "short") for p in periods}
    xcats = [labels[p] for p in periods]
    panels = _indicator_panels(s, lang, panel_labels) if by == "indicator" else _province_panels(s)
    n = len(panels)
    cols = max(1, min(cols, n))

    def line_of(frame: pd.DataFrame, key: str) -> list[float]:
        ser = frame[frame["key"] == key].set_index("_period")["value"]
        return [ser.get(p, np.nan) for p in periods]

    titles = []
    fig = go.Figure()
    for i, (name, frame, mains, refs) in enumerate(panels):
        axes = dict(xaxis=_ax("x", i), yaxis=_ax("y", i))
        for ref_key, ref_name, role in refs:
            fig.add_trace(
                go.Scatter(
                    x=xcats,
                    y=line_of(frame, ref_key),
                    mode="lines",
                    name=t(ref_name),
                    legendgroup=ref_key,
                    showlegend=i == 0,
                    line=_role_line(role, 0.45),
                    hoverinfo="skip",
                    **axes,
                )
            )
        for key, main_name in mains:
            y = line_of(frame, key)
            legend = WORDS[lang]["province"] if by == "province" else main_name
            fig.add_trace(
                go.Scatter(
                    x=xcats,
                    y=y,
                    mode="lines+markers",
                    name=t(legend),
                    legendgroup=legend,
                    showlegend=i == 0,
                    line=dict(color=th.ROLE_COLORS["highlight"], width=2.4),
                    marker=dict(size=4),
                    hovertext=_hover(main_name, periods, y, labels, unit, decimals, lang),
                    hovertemplate="%{hovertext}<extra></extra>",
                    connectgaps=False,
                    **axes,
                )
            )
        seen = [v for v in line_of(frame, mains[0][0]) if np.isfinite(v)]
        last = fmt_value(seen[-1], unit, max(decimals - 1, 0), lang) if seen else MISSING
        titles.append(f"<b>{t(name)}</b> · {last}")
    tv = [v for _, v in _target_rows(targets)]
    vals = s["value"].dropna().tolist()
    lo, hi = (min([*vals, *tv]), max([*vals, *tv])) if vals or tv else (0.0, 1.0)
    span = (hi - lo) or 1.0
    lo = 0.0 if unit == "%" and lo > 0 and lo < span * 0.6 else lo - span * 0.08
    _panel_axes(fig, n, xcats, [lo, hi + span * 0.1], tv, unit, lang, decimals)
    add_annotations(fig, (dict(
        text=text,
        xref="paper",
        yref="paper",
        showarrow=False,
        yanchor="bottom",
        xanchor="center",
        font=dict(size=12, color=th.INK),
        name="panel-title",
    ) for text in titles))
    first_title = len(fig.layout.annotations) - n
    wide = _panel_grid(n, cols, len(xcats), panel_height, first_title)
    height = wide.pop("height")
    relayout(fig, wide | {"showlegend": True})
    title = title if title is not None else indicator_label
    note = synthetic_note(s, provenance_note, lang)
    fig = finish(fig, lang=lang, title=title, subtitle=subtitle, note=note, height=height, extra_top=26)
    narrow = _panel_grid(n, min(cols, 2), len(xcats), int(panel_height * 0.9), first_title)
    set_adapt(fig, {k: v for k, v in narrow.items() if k != "height"}, height=narrow["height"])
    return fig


Panel = tuple[str, pd.DataFrame, list[tuple[str, str]], list[tuple[str, str, str]]]
"""A panel of small multiples: its title name, its rows, its main lines (key, name), its reference lines
(key, name, role)."""


def _province_panels(s: pd.DataFrame) -> list[Panel]:
    """A panel per province line, each with every cluster and national line for reference."""
    _one_indicator(s)
    provinces = s[s["role"] == "province"].drop_duplicates("key")[["key", "name"]]
    if provinces.empty:
        raise FigureError(
            "series không có hàng nào có role 'province'",
            "series has no rows with role 'province'",
            rule="no_provinces",
            parameter="series",
        )
    refs = [(r.key, r.name, r.role) for r in s[s["role"] != "province"].drop_duplicates("key").itertuples()]
    return [(name, s, [(key, name)], refs) for key, name in provinces.itertuples(index=False)]


def _indicator_panels(s: pd.DataFrame, lang: str, panel_labels: Mapping[str, str] | None) -> list[Panel]:
    """A panel per indicator: its non-national lines as the main ones, the national line for reference."""
    if "indicator" not in s.columns or s["indicator"].isna().all():
        raise FigureError(
            "by='indicator' cần cột indicator (kết quả của analysis cho nhiều chỉ tiêu)",
            "by='indicator' needs an indicator column (analysis results for several indicators)",
            rule="missing_columns",
            parameter="series",
        )
    out: list[Panel] = []
    for code in dict.fromkeys(s["indicator"].dropna().astype(str)):
        rows = s[s["indicator"].astype(str) == code]
        lines_ = rows.drop_duplicates("key")
        main = lines_[lines_["role"] != "national"]
        main = main if len(main) else lines_
        refs = [(r.key, r.name, r.role) for r in lines_.itertuples() if r.key not in set(main["key"])]
        label = (panel_labels or {}).get(code) or _indicator_name(code, lang)
        out.append((label, rows, list(zip(main["key"], main["name"], strict=True)), refs))
    return out


def _indicator_name(code: str, lang: str) -> str:
    """The catalogue's short label of an indicator or data element; the code when the catalogue has none."""
    from khanalytics import catalogue

    entry = catalogue.indicators().get(code) or catalogue.elements().get(code)
    return entry.short(lang) if entry is not None else code


def _panel_axes(fig: go.Figure, n: int, xcats: list[str], y_range: list[float], targets: Sequence[float],
                unit: str | None, lang: str, decimals: int) -> None:
    """The axes of ``n`` panels (one category x axis, one shared y range) and the target lines in each
    (all set at once: plotly validates on every call)."""
    axes: dict[str, Any] = {}
    shapes: list[dict] = []
    for i in range(n):
        axes.update(
            {
                _ax("xaxis", i): dict(
                    type="category",
                    categoryorder="array",
                    categoryarray=xcats,
                    showgrid=False,
                    ticks="outside",
                    tickangle=0,
                    tickfont=dict(size=10),
                    anchor=_ax("y", i),
                    fixedrange=True,
                ),
                _ax("yaxis", i): dict(
                    range=y_range,
                    tickfont=dict(size=10),
                    anchor=_ax("x", i),
                    fixedrange=True,
                    **th.value_axis(unit, lang, decimals),
                ),
            }
        )
        shapes += [
            dict(
                type="line",
                xref=f"{_ax('x', i)} domain",
                x0=0,
                x1=1,
                yref=_ax("y", i),
                y0=v,
                y1=v,
                line=dict(color=th.ROLE_COLORS["target"], width=1, dash="dot"),
            )
            for v in targets
        ]
    fig.update_layout(axes)
    add_shapes(fig, shapes)


def _ax(prefix: str, i: int) -> str:
    """Name of panel ``i``'s axis as plotly.js knows it: "xaxis", "xaxis2"… or "x", "x2"… (never "xaxis1")."""
    return prefix if i == 0 else f"{prefix}{i + 1}"


def _panel_grid(n: int, cols: int, n_periods: int, panel_px: int, first_title: int) -> dict[str, Any]:
    """Relayout entries placing ``n`` panels in ``cols`` columns: axis domains, which axes show tick labels,
    panel-title positions (annotations from index ``first_title``) and the figure height."""
    rows = math.ceil(n / cols)
    plot_px = rows * panel_px + 46 * (rows - 1)  # panels and, between rows, room for titles and x ticks
    height = plot_px + 200  # title block, legend row, first panel titles, x ticks, note
    gap_y = 46 / plot_px
    gap_x = 0.035
    out: dict[str, Any] = {"height": height}
    dtick = max(1, math.ceil((n_periods - 1) / 2))  # three period labels per panel
    for i in range(n):
        r, c = divmod(i, cols)
        x0 = c * (1 + gap_x) / cols
        x1 = x0 + (1 - gap_x * (cols - 1)) / cols
        row_h = panel_px / plot_px  # gaps only between rows: the last row sits on the axis labels
        y1 = 1 - r * (row_h + gap_y)
        y0 = max(y1 - row_h, 0.0)
        xa, ya = _ax("xaxis", i), _ax("yaxis", i)
        out[f"{xa}.domain"] = [round(x0, 4), round(min(x1, 1), 4)]
        out[f"{ya}.domain"] = [round(y0, 4), round(y1, 4)]
        out[f"{xa}.showticklabels"] = i + cols >= n  # nothing below it
        out[f"{xa}.dtick"] = dtick
        out[f"{ya}.showticklabels"] = c == 0
        out[f"annotations[{first_title + i}].x"] = round((x0 + min(x1, 1)) / 2, 4)
        out[f"annotations[{first_title + i}].y"] = round(y1, 4)
    return out
