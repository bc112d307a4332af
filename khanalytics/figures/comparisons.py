"""Provinces side by side: a ranking of one indicator, and a scorecard of several against the national value.

A leader asks "where do we stand?" before "how did we move?": the ranking answers for one indicator (with
the national average drawn across it), the scorecard for many at once, each cell coloured by whether the
province is above or below the country.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from khanalytics.figures import theme as th
from khanalytics.figures._common import (
    STATUSES,
    WORDS,
    FigureError,
    add_annotations,
    codes,
    is_missing_text,
    legend_swatches,
    lines,
    require,
    rule,
    synthetic_note,
    t,
    wrap,
)
from khanalytics.figures.classes import stepped_scale
from khanalytics.figures.layout import finish, set_adapt
from khanalytics.formatting import check_lang, fmt_value, is_missing, no_data


def ranked_bar(
    values: pd.DataFrame,
    *,
    reference: Mapping[str, float] | None = None,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
    highlight_label: str | None = None,
    others_label: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Provinces ranked by value, largest on top, each bar labelled with its value.

    ``values``: columns ``code``, ``name``, ``value`` and optionally ``highlight`` (bool: drawn in the
    cluster colour, named ``highlight_label`` in the legend). Missing values go to the bottom, labelled
    "không có số liệu". ``reference``: label → value, e.g. ``{"Cả nước": 20.72}``, drawn as vertical
    dashed lines labelled "Cả nước: 20,72 %".
    """
    lang = check_lang(lang)
    require(values, ("code", "name", "value"), "values")
    d = values.copy()
    d["value"] = pd.to_numeric(d["value"], errors="coerce").astype(float)
    d["highlight"] = d["highlight"].fillna(False).astype(bool) if "highlight" in d else False
    d["name"] = d["name"].astype(str)
    dup = d["name"].duplicated(keep=False)
    d.loc[dup, "name"] = d.loc[dup, "name"] + " (" + codes(d.loc[dup, "code"]) + ")"
    d = d.sort_values("value", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    cats = [t(n) for n in d["name"]]
    text = [fmt_value(v, unit, decimals, lang) if np.isfinite(v) else "" for v in d["value"]]
    hover = [
        f"{t(n)}: {fmt_value(v, unit, decimals, lang, missing=no_data(lang))}"
        for n, v in zip(d["name"], d["value"], strict=True)
    ]
    fig = go.Figure()
    groups = [
        (True, th.ROLE_COLORS["cluster"], highlight_label or WORDS[lang]["highlight"]),
        (False, th.ROLE_COLORS["other"], others_label or WORDS[lang]["others"]),
    ]
    any_hl = bool(d["highlight"].any())
    for flag, color, label in groups:
        m = (d["highlight"] == flag).to_numpy()
        if not m.any():
            continue
        fig.add_trace(
            go.Bar(
                y=[c for c, keep in zip(cats, m, strict=True) if keep],
                x=[v if np.isfinite(v) else None for v, keep in zip(d["value"], m, strict=True) if keep],
                orientation="h",
                marker=dict(color=color),
                name=t(label),
                showlegend=any_hl and not d["highlight"].all(),
                text=[x for x, keep in zip(text, m, strict=True) if keep],
                textposition="outside",
                cliponaxis=False,
                textfont=dict(size=11, color=th.INK),
                hovertext=[h for h, keep in zip(hover, m, strict=True) if keep],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    add_annotations(fig, (dict(  # at once: see _common.add_annotations
        x=0,
        y=cat,
        xanchor="left",
        xshift=4,
        text=no_data(lang),
        showarrow=False,
        font=dict(size=11, color=th.MUTED, style="italic"),
    ) for cat, v in zip(cats, d["value"], strict=True) if not np.isfinite(v)))
    finite = d["value"][np.isfinite(d["value"])]
    top = max([*finite.tolist(), *(reference or {}).values(), 0.0])
    _reference_lines(fig, reference or {}, unit, decimals, lang)
    fig.update_layout(
        barmode="overlay",
        bargap=0.25,
        yaxis=dict(
            type="category",
            categoryorder="array",
            categoryarray=cats,
            autorange="reversed",
            title=None,
            showgrid=False,
            ticks="",
            tickfont=dict(size=12, color=th.INK),
        ),
        xaxis=dict(
            range=[0, top * 1.16 if top > 0 else 1],
            title=None,
            showgrid=True,
            showline=False,
            **th.value_axis(unit, lang, decimals),
        ),
        margin=dict(r=24),
    )
    fig = finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=synthetic_note(values, provenance_note, lang),
        height=height or 190 + 22 * len(cats),
        extra_top=26,
        legend="top" if fig.layout.showlegend is not False and any(x.showlegend for x in fig.data) else "keep",
    )
    # On a phone: smaller names and value labels, fewer value ticks, so the bars keep most of the width.
    set_adapt(
        fig,
        {"yaxis.tickfont.size": 11, "xaxis.nticks": 5},
        style={"textfont.size": 10} if fig.data else None,
        traces=range(len(fig.data)),
    )
    return fig


def _reference_lines(fig: go.Figure, reference: Mapping[str, float], unit: str | None, decimals: int,
                     lang: str) -> None:
    """A dashed vertical line per reference value, labelled above the bars ("Cả nước: 20,72 %")."""
    for label, value in reference.items():
        if is_missing(value):
            continue
        rule(fig, value, vertical=True, line=dict(color=th.ROLE_COLORS["national"], width=2, dash="dash"))
        fig.add_annotation(
            x=value,
            yref="paper",
            y=1,
            yanchor="bottom",
            xanchor="center",
            showarrow=False,
            text=f"<b>{t(label)}: {fmt_value(value, unit, decimals, lang)}</b>",
            font=dict(color=th.ROLE_COLORS["national"], size=12),
            bgcolor="rgba(255,255,255,0.85)",
        )


def scorecard_heatmap(
    cells: pd.DataFrame,
    *,
    unit: str | None = "%",
    decimals: int = 1,
    lang: str = "vi",
    reference_label: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Provinces × indicators, each cell coloured by its position against the national value.

    ``cells``: columns ``name`` (row), ``indicator_label`` (column), ``value`` and ``status`` ("above",
    "below", "equal" or None/NaN = no comparison); optional ``value_text`` (already formatted, e.g. when
    indicators have different units; otherwise ``value`` is formatted with ``unit`` and ``decimals``).
    Rows and columns keep their order of first appearance. Colours: blue above, orange-red below, light
    grey equal, grey when there is nothing to compare.
    """
    lang = check_lang(lang)
    require(cells, ("name", "indicator_label", "value", "status"), "cells")
    d = cells.copy()
    d["name"] = d["name"].astype(str)
    d["indicator_label"] = d["indicator_label"].astype(str)
    status = [None if is_missing_text(x) else str(x) for x in d["status"]]
    bad = sorted({str(x) for x in status if x is not None} - set(STATUSES))
    if bad:
        raise FigureError(
            f"status phải là một trong {STATUSES} hoặc None; nhận được {bad}",
            f"status must be one of {STATUSES} or None; got {bad}",
            rule="bad_status",
            column="status",
            value=bad,
        )
    rows = list(dict.fromkeys(d["name"]))
    cols = list(dict.fromkeys(d["indicator_label"]))
    code = {"below": 0, "equal": 1, "above": 2, None: 3}
    colors = [th.STATUS_COLORS["below"], th.STATUS_COLORS["equal"], th.STATUS_COLORS["above"], th.STATUS_COLORS["none"]]
    words = WORDS[lang]
    ref = reference_label or words["national"]
    z: list[list[Any]] = [[None] * len(cols) for _ in rows]
    text = [[""] * len(cols) for _ in rows]
    hover: list[list[str | None]] = [[None] * len(cols) for _ in rows]
    ri = {n: i for i, n in enumerate(rows)}
    ci = {n: i for i, n in enumerate(cols)}
    has_text = "value_text" in d.columns
    for row, st in zip(d.itertuples(index=False), status, strict=True):
        i, j = ri[row.name], ci[row.indicator_label]
        z[i][j] = code[st]
        shown = (
            str(row.value_text)
            if has_text and not is_missing_text(row.value_text)
            else fmt_value(row.value, unit, decimals, lang)
        )
        text[i][j] = t(shown)
        state = {"above": words["above"], "below": words["below"], "equal": words["equal"]}.get(st, "")
        if st and reference_label:
            state = state.replace(words["national"], ref)
        hover[i][j] = f"{t(row.name)} · {t(row.indicator_label)}: {t(shown)}" + (f"<br>{state}" if state else "")
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[wrap(c, 16) for c in cols],
            y=[t(r) for r in rows],
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=12),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=stepped_scale(colors),
            zmin=-0.5,
            zmax=3.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            showlegend=False,
        )
    )
    legend = [
        (words["above"], colors[2]),
        (words["equal"], colors[1]),
        (words["below"], colors[0]),
        (words["no_data"], colors[3]),
    ]
    if reference_label:
        legend = [(label.replace(words["national"], ref), c) for label, c in legend]
    legend_swatches(fig, legend)
    fig.update_layout(
        xaxis=dict(
            side="top",
            showgrid=False,
            showline=False,
            ticks="",
            tickangle=0,
            tickfont=dict(size=11, color=th.INK),
            fixedrange=True,
        ),
        yaxis=dict(
            autorange="reversed", showgrid=False, ticks="", tickfont=dict(size=12, color=th.INK), fixedrange=True
        ),
        plot_bgcolor=th.BACKGROUND,
    )
    header_lines = max((lines(wrap(c, 16)) for c in cols), default=1)
    fig = finish(
        fig,
        lang=lang,
        title=title,
        subtitle=subtitle,
        note=synthetic_note(cells, provenance_note, lang),
        height=height or 200 + 16 * header_lines + 34 * len(rows),
        extra_top=8 + 16 * header_lines,
        bottom=12,
    )
    narrow_cols = [wrap(c, 9) for c in cols]
    narrow_lines = max((lines(c) for c in narrow_cols), default=1)
    set_adapt(
        fig,
        {"xaxis.tickfont.size": 9, "yaxis.tickfont.size": 10},
        style={"textfont.size": 10, "x": narrow_cols},
        extra_top=8 + 14 * narrow_lines,
        height=fig.layout.height + 14 * narrow_lines - 16 * header_lines,
    )
    return fig
