"""The page furniture of every figure, laid out in pixels: title block, legend row, provenance note, phone layout.

plotly lays titles out in fractions of the figure's height, so a long title overlaps the plot as soon as the
figure is short or narrow. Here every piece is placed from the figure's edges in pixels, and each figure
stores a second, narrow layout (``layout.meta["kha_adapt"]``) that the page script of
:mod:`khanalytics.report.assets` switches to below :data:`NARROW_PX`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

import plotly.graph_objects as go

from khanalytics.figures import theme as th
from khanalytics.figures._common import lines, wrap
from khanalytics.figures.offline import Figure, as_offline

NARROW_PX = 600
"""Below this width (px) a figure switches to its narrow layout (phones), see :func:`set_adapt`."""
PHONE_PX = 340
"""The narrowest plot a phone layout is made for (a 360 px screen less the page's margins)."""
NOTE_CHARS = (110, 46)
"""Characters per line of the provenance note: wide, and on a phone (where it is also a point smaller)."""
_NOTE_FONT = (11, 10)
_NOTE_LINE_PX = (16, 14)
_LEGEND_ROW_PX = 26


def legend_rows(fig: go.Figure, width: int) -> int:
    """How many rows a horizontal legend of ``fig``'s named traces takes in ``width`` pixels (an estimate:
    a 40 px symbol and about 7 px a character, as plotly.js wraps entries that do not fit the row)."""
    names = [str(tr.name) for tr in fig.data if tr.name and tr.showlegend is not False]
    names = list(dict.fromkeys(names))
    rows, used = 1, 0
    for name in names:
        entry = 50 + 7 * len(name)
        if used and used + entry > width:
            rows, used = rows + 1, 0
        used += entry
    return rows


def title_block(
    title: str | None,
    subtitle: str | None,
    *,
    height: int,
    legend: str,
    extra_top: int,
    narrow: bool,
    legend_rows: int | None = None,
) -> dict[str, Any]:
    """Relayout entries for the title, subtitle and a top legend row, laid out in pixels from the top edge.

    On a phone (``narrow``) titles wrap shorter and the legend gets two rows (or ``legend_rows``, when more).
    """
    title_width, sub_width = (30, 48) if narrow else (70, 110)
    top = 12
    out: dict[str, Any] = {}
    if title:
        text = wrap(title, title_width)
        # plotly.js anchors a multi-line title about 12 px too high: move it down by that much
        shift = 13 if lines(text) > 1 else 0
        out |= {
            "title.text": text,
            "title.y": 1 - (top + shift) / height,
            "title.yanchor": "top",
            "title.yref": "container",
            "title.x": 0,
            "title.xref": "container",
            "title.xanchor": "left",
            "title.pad.l": 10,
        }
        top += 26 * lines(text) + shift
    if subtitle:
        text = wrap(subtitle, sub_width)
        out["title.subtitle.text"] = text
        top += 20 * lines(text)
    if legend == "top":
        out |= {
            "legend.orientation": "h",
            "legend.yref": "container",
            "legend.y": 1 - (top + 8) / height,
            "legend.yanchor": "top",
            "legend.x": 0,
            "legend.xref": "container",
            "legend.xanchor": "left",
        }
        rows = max(legend_rows or 1, 2 if narrow else 1)
        top += 8 + _LEGEND_ROW_PX * rows
    out["margin.t"] = top + 14 + extra_top
    return out


def finish(
    fig: go.Figure,
    *,
    lang: str,
    title: str | None,
    subtitle: str | None,
    note: str | None,
    height: int,
    legend: Literal["top", "keep"] = "top",
    bottom: int = 44,
    extra_top: int = 0,
) -> Figure:
    """Theme, title block, legend row and provenance note, laid out in pixels from the figure's edges.

    Top to bottom: title, subtitle, (legend row when ``legend="top"``), the plot; under the plot, ``bottom``
    pixels for the axis labels, then the provenance note. Also stores a phone layout (see :func:`set_adapt`)
    that only rewraps the titles; figures with more to change call :func:`set_adapt` again. Returns the
    figure as a :class:`khanalytics.figures.offline.Figure`, which draws offline in JupyterLab and nbconvert.
    """
    th.apply_theme(fig, lang)
    relayout(fig, title_block(
        title, subtitle, height=height, legend=legend, extra_top=extra_top, narrow=False,
        legend_rows=legend_rows(fig, NARROW_PX - 20),
    ))
    fig.update_layout(height=height)
    if note:
        text = wrap(note, NOTE_CHARS[0])
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-bottom,
            align="left",
            showarrow=False,
            font=dict(size=_NOTE_FONT[0], color=th.MUTED),
            name="provenance",
        )
        fig.update_layout(margin=dict(b=bottom + _NOTE_LINE_PX[0] * lines(text) + 8))
    else:
        fig.update_layout(margin=dict(b=bottom))
    titles = {"title": title, "subtitle": subtitle, "legend": legend, "extra_top": extra_top}
    if note:  # the note's text and place, for the phone layout to rewrap it
        titles |= {"note": note, "note_index": len(fig.layout.annotations) - 1}
    fig.update_layout(meta={"kha_titles": titles})
    set_adapt(fig, {})
    return as_offline(fig)


def set_adapt(
    fig: go.Figure,
    narrow: dict[str, Any],
    style: dict[str, Any] | None = None,
    traces: Sequence[int] = (0,),
    *,
    height: int | None = None,
    extra_top: int | None = None,
) -> None:
    """Store a narrow (phone) variant in ``layout.meta["kha_adapt"]``: relayout entries (``narrow``, plus the
    rewrapped title block and provenance note; ``height`` is the plot's own height on a phone, ``extra_top``
    its extra top room), restyle entries ``style`` for ``traces``, and the current (wide) values of all of
    them. The page script of :mod:`khanalytics.report.assets` switches between the two when the figure is
    narrower than NARROW_PX."""
    base = fig.layout.meta["kha_titles"]
    rows = {False: legend_rows(fig, NARROW_PX - 20), True: legend_rows(fig, PHONE_PX)}

    def block(height: int, extra_top: int, narrow: bool) -> dict[str, Any]:
        return title_block(
            base["title"], base["subtitle"], height=height, legend=base["legend"], extra_top=extra_top, narrow=narrow,
            legend_rows=rows[narrow],
        )

    wide_block = block(fig.layout.height, base["extra_top"], False)
    extra = base["extra_top"] if extra_top is None else extra_top
    note, note_px = _narrow_note(fig, base, narrow)
    new_height = (height or fig.layout.height) + block(1000, extra, True)["margin.t"] - wide_block["margin.t"]
    new_height += note_px
    layout = block(new_height, extra, True) | dict(narrow) | note | {"height": new_height}
    props = fig.layout._props  # plain values: plotly objects from fig.layout[k] were validated again in meta
    wide = {k: _stored(fig, props, k) for k in layout}
    style = style or {}
    wide_style = {k: [fig.data[i][k] for i in traces] for k in style}
    narrow_style = {k: [v] * len(traces) for k, v in style.items()}
    fig.update_layout(
        meta={
            "kha_titles": base,
            "kha_adapt": {
                "below": NARROW_PX,
                "narrow": {"layout": layout, "style": narrow_style, "traces": list(traces)},
                "wide": {"layout": wide, "style": wide_style, "traces": list(traces)},
            },
        }
    )


def relayout(fig: go.Figure, entries: dict[str, Any]) -> None:
    """Set relayout entries ("title.text", "xaxis2.domain", "annotations[3].x") as nested updates.

    The same values as ``fig.layout[key] = value`` each (and an axis need not be there yet), but plotly parses
    and checks a dotted key path at a cost of about a millisecond: nested dicts are the same update without it.
    Only the order of a new object's keys may differ, which the copy of :func:`finish` (``as_offline``) puts
    in plotly's own order anyway.
    """
    nested: dict[str, Any] = {}
    items: dict[tuple[str, int], dict[str, Any]] = {}  # "annotations[3].x": the item's own update

    def flush() -> None:
        if nested:
            fig.update_layout(nested)
        for (name, index), update in items.items():
            fig.layout[name][index].update(update)
        nested.clear()
        items.clear()

    for key, value in entries.items():
        head, *rest = key.split(".")
        found = _PART.match(head)
        if found is None or "_" in key or "[" in key.partition(".")[2]:  # not a path this reads: plotly's way
            flush()  # in order
            fig.layout[key] = value
            continue
        name, index = found.groups()
        if index is None:
            target, path = nested, [name, *rest]
        else:
            target, path = items.setdefault((name, int(index)), {}), rest
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    flush()


_PART = re.compile(r"([A-Za-z0-9]+)(?:\[(\d+)\])?$")


def _stored(fig: go.Figure, props: dict[str, Any], key: str) -> Any:
    """``fig.layout[key]`` read from the layout's stored values ("title.text", "annotations[2].font.size"):
    the same value as plain data, without building and validating plotly objects (most of the time of
    :func:`set_adapt` went there). A key this does not read ("magic underscores") asks plotly."""
    value: Any = props
    for part in key.split("."):
        found = _PART.match(part)
        if found is None or "_" in part:
            return fig.layout[key]
        name, index = found.groups()
        if not isinstance(value, dict):
            return fig.layout[key]
        value = value.get(name)
        if index is not None:
            if not isinstance(value, list | tuple) or int(index) >= len(value):
                return fig.layout[key]  # plotly's answer (an error for an item that is not there)
            value = value[int(index)]
        if value is None:
            break
    if value is None or isinstance(value, dict):  # unset, or an object: plotly's answer (an object, maybe empty)
        return fig.layout[key]
    return _plain(value)


def _plain(value: Any) -> Any:
    """A stored layout value as plotly hands it out: arrays as tuples."""
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    return value


def _narrow_note(fig: go.Figure, base: dict[str, Any], narrow: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Relayout entries rewrapping the provenance note for a phone, and the pixels it adds under the plot.

    The bottom margin grows by those pixels from the phone layout's own (``narrow["margin.b"]``, when the
    figure sets one) or else the wide one.
    """
    if not base.get("note"):
        return {}, 0
    index = base["note_index"]
    wide_lines = lines(wrap(base["note"], NOTE_CHARS[0]))
    text = wrap(base["note"], NOTE_CHARS[1])
    grow = _NOTE_LINE_PX[1] * lines(text) - _NOTE_LINE_PX[0] * wide_lines
    margin = narrow.get("margin.b", fig.layout.margin.b or 0)
    entries = {
        f"annotations[{index}].text": text,
        f"annotations[{index}].font.size": _NOTE_FONT[1],
        "margin.b": margin + grow,
    }
    return entries, grow
