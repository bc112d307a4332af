"""One look for every chart: colours, typography and number formats.

A leader compares the cluster with the country on the map, the trend and the
ranking; the comparison only reads at a glance if the cluster, the national
average and a target keep the same colour and line style everywhere. Those
*role* colours live here, with a colour-blind-safe categorical palette
(Okabe & Ito), a sequential scale for map classes and a diverging one for
gaps (both sampled from ColorBrewer scales that plotly ships), a system font
stack with Vietnamese glyphs (reports are opened offline, so no web fonts),
and the plotly template ``"khanalytics"``.

Number formats: plotly writes numbers with ``layout.separators`` (",." for
Vietnamese, ".," for English); axes never abbreviate with "k"/"M"
(``exponentformat="none"`` plus an explicit ``tickformat``).
"""

from __future__ import annotations

import plotly.colors as pcolors
import plotly.graph_objects as go
import plotly.io as pio

from khanalytics.errors import ParameterError
from khanalytics.formatting import PERCENT_SUFFIX, PLOTLY_SEPARATORS, check_lang

TEMPLATE_NAME = "khanalytics"
"""The name the template is registered under in ``plotly.io.templates``."""

FONT_FAMILY = '"Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
"""System fonts only, each with full Vietnamese coverage; the first one present wins."""

INK = "#1F2933"
"""Main text."""
MUTED = "#5F6B7A"
"""Secondary text: subtitles, sources, province labels."""
GRID = "#E4E7EB"
"""Grid lines: present, never louder than the data."""
AXIS_LINE = "#9AA5B1"
"""Axis lines and ticks."""
BACKGROUND = "#FFFFFF"
"""Paper and plot background (reports print on white)."""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies."""

PALETTE: list[str] = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "vermillion", "black", "yellow")
]
"""Categorical colours in the order plotly uses them (``layout.colorway``)."""

ROLE_COLORS: dict[str, str] = {
    "cluster": OKABE_ITO["vermillion"],  # the cluster aggregate, its outline on maps, its bars
    "national": INK,  # the national average (dashed)
    "target": OKABE_ITO["bluish_green"],  # targets (dotted)
    "province": "#A3AEBA",  # context provinces (thin)
    "highlight": OKABE_ITO["blue"],  # the province a profile is about
    "other": "#B7C4D1",  # bars of provinces outside the highlight
    "no_data": "#D4D4D4",  # "Không có số liệu"
    "border": "#FFFFFF",  # province borders on maps
}
"""The colour of each role, the same in every figure so the cluster reads as the cluster at a glance."""
ROLE_DASH: dict[str, str] = {
    "cluster": "solid",
    "national": "dash",
    "target": "dot",
    "province": "solid",
    "highlight": "solid",
}
"""Line style per role, so the national average and targets stay apart in greyscale print too."""
ROLE_WIDTH: dict[str, float] = {"cluster": 4.0, "national": 3.0, "target": 2.0, "province": 1.4, "highlight": 3.0}
"""Line width per role: the cluster heaviest, context provinces thinnest."""

STATUS_COLORS: dict[str, str] = {
    "above": pcolors.sample_colorscale("RdBu", [0.74])[0],
    "below": pcolors.sample_colorscale("RdBu", [0.27])[0],
    "equal": "#F1F1F1",
    "none": ROLE_COLORS["no_data"],
}
"""Scorecard cells against the national value: blue above, orange-red below (a diverging pair safe for
colour-blind readers), light grey equal, grey no data."""

SEQUENTIAL_SCALE = "YlGnBu"
"""plotly colourscale the map classes are sampled from (light = low)."""
DIVERGING_SCALE = "RdBu"
"""plotly colourscale gaps are sampled from (orange-red below, blue above)."""


def sequential_colors(n: int) -> list[str]:
    """``n`` class colours from light to dark, for map legends (never as light as the "no data" grey)."""
    if n < 1:
        raise ParameterError(
            f"Số màu n phải ít nhất là 1, nhận được {n}.", f"n must be at least 1, got {n}.", parameter="n", value=n
        )
    if n == 1:
        return pcolors.sample_colorscale(SEQUENTIAL_SCALE, [0.6])
    lo, hi = 0.12, 0.95
    return pcolors.sample_colorscale(SEQUENTIAL_SCALE, [lo + (hi - lo) * i / (n - 1) for i in range(n)])


def diverging_colors(n: int) -> list[str]:
    """``n`` colours from orange-red (below) through white to blue (above), for gaps."""
    if n < 2:
        raise ParameterError(
            f"Số màu n phải ít nhất là 2, nhận được {n}.", f"n must be at least 2, got {n}.", parameter="n", value=n
        )
    return pcolors.sample_colorscale(DIVERGING_SCALE, [0.1 + 0.8 * i / (n - 1) for i in range(n)])


def _axis(**extra: object) -> dict:
    base = dict(
        automargin=True,
        exponentformat="none",  # never "2M" or "500k"
        separatethousands=True,
        zeroline=False,
        linecolor=AXIS_LINE,
        tickcolor=AXIS_LINE,
        tickfont=dict(color=MUTED, size=12),
        title=dict(font=dict(color=MUTED, size=12), standoff=8),
        gridcolor=GRID,
    )
    base.update(extra)
    return base


def build_template() -> go.layout.Template:
    """The plotly template registered as ``"khanalytics"`` (Vietnamese separators by default)."""
    layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=13, color=INK),
        title=dict(
            x=0,
            xanchor="left",
            xref="paper",
            y=0.98,
            yanchor="top",
            font=dict(size=18, color=INK),
            subtitle=dict(font=dict(size=13, color=MUTED)),
        ),
        separators=PLOTLY_SEPARATORS["vi"],
        colorway=PALETTE,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        margin=dict(l=64, r=32, t=88, b=72),
        hovermode="closest",
        hoverlabel=dict(
            font=dict(family=FONT_FAMILY, size=13, color=INK), bgcolor="#FFFFFF", bordercolor=AXIS_LINE, align="left"
        ),
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=1.0,
            yanchor="bottom",
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(size=12, color=INK),
            title=dict(font=dict(size=12, color=MUTED)),
            itemsizing="constant",
        ),
        xaxis=_axis(showgrid=False, showline=True, ticks="outside"),
        yaxis=_axis(showgrid=True, showline=False, ticks=""),
        geo=dict(visible=False, bgcolor=BACKGROUND, projection=dict(type="mercator"), showframe=False),
        annotationdefaults=dict(font=dict(color=MUTED, size=11), showarrow=False),
        shapedefaults=dict(line=dict(color=INK, width=1)),
    )
    data = go.layout.template.Data(
        scatter=[go.Scatter(line=dict(width=2))],
        bar=[go.Bar(marker=dict(line=dict(width=0)))],
        heatmap=[go.Heatmap(showscale=False)],
        choropleth=[go.Choropleth(showscale=False)],
    )
    return go.layout.Template(layout=layout, data=data)


def register() -> None:
    """Register the template as ``plotly.io.templates["khanalytics"]`` (idempotent; never changes the default)."""
    pio.templates[TEMPLATE_NAME] = build_template()


def apply_theme(fig: go.Figure, lang: str = "vi") -> go.Figure:
    """Give ``fig`` the template and the separators of ``lang``; returns the same figure."""
    lang = check_lang(lang)
    if TEMPLATE_NAME not in pio.templates:
        register()
    fig.update_layout(template=TEMPLATE_NAME, separators=PLOTLY_SEPARATORS[lang])
    return fig


def value_axis(unit: str | None, lang: str = "vi", decimals: int = 2) -> dict:
    """Axis settings for a value axis: explicit d3 format (trailing zeros trimmed), unit as a suffix.

    Percent values are already in percent units, so the "%" is a ``ticksuffix`` (" %" in Vietnamese), never
    d3's "%" type, which would multiply by 100.
    """
    lang = check_lang(lang)
    fmt = f",.{decimals}~f" if decimals else ",.0f"
    out: dict = dict(tickformat=fmt, hoverformat=f",.{decimals}f", exponentformat="none", separatethousands=True)
    if unit == "%":
        out["ticksuffix"] = PERCENT_SUFFIX[lang]
    return out


register()
