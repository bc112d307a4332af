"""The charts of the reports: maps, trends, rankings, scorecards and KPI cards.

Each function turns a plain pandas table (the shapes the analysis module
produces, documented per function) into a plotly figure in the house theme,
with numbers written the Vietnamese way (``lang="en"`` for English). Nothing
here reads files or computes aggregates: a figure draws what it is given.
Every figure can carry a provenance note ("Nguồn: …", "Số liệu minh hoạ"),
and every string that comes from data is escaped before plotly renders it.

Maps use ``go.Choropleth`` on the province GeoJSON (never MapLibre, which
draws nothing from ``file://``); :mod:`khanalytics.htmlpage` makes them work
offline.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from markupsafe import Markup
from shapely.geometry import MultiPolygon, mapping
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from khanalytics import geography
from khanalytics import theme as th
from khanalytics.formatting import (
    MISSING,
    PERCENT_SUFFIX,
    check_lang,
    fmt_number,
    fmt_value,
    is_missing,
    no_data,
    period_label,
)
from khanalytics.periods import Period

ROLES = ("province", "cluster", "national")
STATUSES = ("above", "below", "equal")

_WORDS = {
    "vi": {
        "no_data": "Không có số liệu",
        "highlight": "Cụm được chọn",
        "provinces": "Các tỉnh",
        "province": "Tỉnh",
        "others": "Tỉnh khác",
        "above": "Cao hơn cả nước",
        "below": "Thấp hơn cả nước",
        "equal": "Bằng cả nước",
        "national": "cả nước",
        "target": "Mục tiêu",
    },
    "en": {
        "no_data": "No data",
        "highlight": "Selected cluster",
        "provinces": "Provinces",
        "province": "Province",
        "others": "Other provinces",
        "above": "Above national",
        "below": "Below national",
        "equal": "Equal to national",
        "national": "national",
        "target": "Target",
    },
}
_COORD_DECIMALS = 3  # ~100 m: plenty for a statistical map, and keeps the HTML small


# --- small helpers ----------------------------------------------------------------------------------------------


def _t(text: object) -> str:
    """Plain text for plotly: escape &, <, > (plotly renders a subset of HTML and decodes entities back)."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int) -> str:
    """Escape, then break a long line into plotly lines (plotly never wraps by itself)."""
    return "<br>".join(_t(line) for line in textwrap.wrap(str(text), width=width)) if text else ""


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} thiếu cột / is missing columns {missing}; has {list(frame.columns)}")


def _codes(series: pd.Series) -> pd.Series:
    return series.astype(str).str.strip().str.zfill(2)


def _num(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype(float).to_numpy()


def _name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_vi"


def _province_names(codes: Iterable[str], edition: str, lang: str) -> list[str]:
    out = []
    for code in codes:
        try:
            out.append(geography.province_name(code, edition, lang))
        except geography.GeographyError:
            out.append(code)
    return out


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _title_block(
    title: str | None, subtitle: str | None, *, height: int, legend: str, extra_top: int, narrow: bool
) -> dict[str, Any]:
    """Relayout entries for the title, subtitle and a top legend row, laid out in pixels from the top edge.

    On a phone (``narrow``) titles wrap shorter and the legend gets two rows.
    """
    title_width, sub_width = (30, 48) if narrow else (70, 110)
    top = 12
    out: dict[str, Any] = {}
    if title:
        text = _wrap(title, title_width)
        # plotly.js anchors a multi-line title about 12 px too high: move it down by that much
        shift = 13 if _lines(text) > 1 else 0
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
        top += 26 * _lines(text) + shift
    if subtitle:
        text = _wrap(subtitle, sub_width)
        out["title.subtitle.text"] = text
        top += 20 * _lines(text)
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
        top += 60 if narrow else 34
    out["margin.t"] = top + 14 + extra_top
    return out


def _finish(
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
) -> go.Figure:
    """Theme, title block, legend row and provenance note, laid out in pixels from the figure's edges.

    Top to bottom: title, subtitle, (legend row when ``legend="top"``), the plot; under the plot, ``bottom``
    pixels for the axis labels, then the provenance note. Also stores a phone layout (see :func:`_set_adapt`)
    that only rewraps the titles; figures with more to change call :func:`_set_adapt` again.
    """
    th.apply_theme(fig, lang)
    for key, value in _title_block(
        title, subtitle, height=height, legend=legend, extra_top=extra_top, narrow=False
    ).items():
        fig.layout[key] = value
    fig.update_layout(height=height)
    if note:
        text = _wrap(note, 110)
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
            font=dict(size=11, color=th.MUTED),
            name="provenance",
        )
        fig.update_layout(margin=dict(b=bottom + 16 * _lines(text) + 8))
    else:
        fig.update_layout(margin=dict(b=bottom))
    fig.update_layout(
        meta={"kha_titles": {"title": title, "subtitle": subtitle, "legend": legend, "extra_top": extra_top}}
    )
    _set_adapt(fig, {})
    return fig


NARROW_PX = 600
"""Below this width (px) a figure switches to its narrow layout (phones), see :func:`_set_adapt`."""


def _set_adapt(
    fig: go.Figure,
    narrow: dict[str, Any],
    style: dict[str, Any] | None = None,
    traces: Sequence[int] = (0,),
    *,
    height: int | None = None,
    extra_top: int | None = None,
) -> None:
    """Store a narrow (phone) variant in ``layout.meta["kha_adapt"]``: relayout entries (``narrow``, plus the
    rewrapped title block; ``height`` is the plot's own height on a phone, ``extra_top`` its extra top room),
    restyle entries ``style`` for ``traces``, and the current (wide) values of all of them. The page script
    of :mod:`khanalytics.htmlpage` switches between the two when the figure is narrower than NARROW_PX."""
    base = fig.layout.meta["kha_titles"]
    wide_block = _title_block(
        base["title"],
        base["subtitle"],
        height=fig.layout.height,
        legend=base["legend"],
        extra_top=base["extra_top"],
        narrow=False,
    )
    extra = base["extra_top"] if extra_top is None else extra_top
    probe = _title_block(
        base["title"], base["subtitle"], height=1000, legend=base["legend"], extra_top=extra, narrow=True
    )
    new_height = (height or fig.layout.height) + probe["margin.t"] - wide_block["margin.t"]
    layout = (
        _title_block(
            base["title"], base["subtitle"], height=new_height, legend=base["legend"], extra_top=extra, narrow=True
        )
        | dict(narrow)
        | {"height": new_height}
    )
    wide = {k: fig.layout[k] for k in layout}
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


# --- legend classes ---------------------------------------------------------------------------------------------


def _trim(x: float, decimals: int, lang: str) -> str:
    """A bin edge with no useless trailing zeros: 20.0 → "20", 22.5 → "22,5"."""
    for d in range(decimals + 1):
        if abs(round(x, d) - x) < 1e-9:
            return fmt_number(x, d, lang)
    return fmt_number(x, decimals, lang)


def _fmt_trim(x: float, unit: str | None, decimals: int, lang: str) -> str:
    """A value with its unit and no useless trailing zeros ("70 %", "65,5 %")."""
    text = _trim(x, decimals, lang)
    if unit == "%":
        return text + PERCENT_SUFFIX[lang]
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class LegendClasses:
    """Discrete map classes: ``edges`` (k+1 numbers), a label and a colour per class, plus "no data".

    Class ``i`` holds ``edges[i] <= v < edges[i+1]`` (the last one includes its upper edge); values
    outside the edges fall into the end classes, whose labels then read "< a" / "≥ b".
    """

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    no_data_label: str
    no_data_color: str = th.ROLE_COLORS["no_data"]

    @property
    def k(self) -> int:
        return len(self.labels)

    def classify(self, values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
        """Class index per value, −1 for missing."""
        v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
        idx = np.searchsorted(np.asarray(self.edges[1:-1], dtype=float), v, side="right")
        idx = np.clip(idx, 0, self.k - 1)
        return np.where(np.isfinite(v), idx, -1)


def quantile_bins(values: Iterable[float], k: int = 5, decimals: int = 1) -> list[float]:
    """Class edges at the quantiles of ``values`` (rounded to ``decimals``, outer edges widened to include all).

    Compute them once over every period you will map to keep a legend fixed across periods (like a DHIS2
    legend set), then pass them as ``bins=``.
    """
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna().to_numpy(dtype=float)
    if v.size == 0:
        return []
    if k < 1:
        raise ValueError("k must be at least 1")
    step = 10.0**-decimals
    lo = math.floor(v.min() / step + 1e-9) * step
    hi = math.ceil(v.max() / step - 1e-9) * step
    inner = [round(float(q), decimals) for q in np.quantile(v, np.linspace(0, 1, k + 1)[1:-1])]
    edges = sorted({round(lo, decimals), *inner, round(hi, decimals)})
    if len(edges) == 1:
        edges = [edges[0], round(edges[0] + step, decimals)]
    return edges


def legend_classes(
    values: Iterable[float],
    *,
    bins: Sequence[float] | None = None,
    scheme: Literal["quantile", "equal"] = "quantile",
    k: int = 5,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
) -> LegendClasses:
    """The classes a map uses: fixed ``bins`` (k+1 increasing edges; ±inf allowed for open ends) or, if
    ``bins`` is None, ``scheme`` ("quantile" or "equal" intervals) with ``k`` classes over ``values``."""
    lang = check_lang(lang)
    v = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").dropna().to_numpy(dtype=float)
    edge_decimals = max(decimals - 1, 0)
    if bins is not None:
        edges = [float(b) for b in bins]
        if len(edges) < 2 or any(b >= a for a, b in zip(edges[1:], edges[:-1], strict=True)):
            raise ValueError(f"bins must be at least two strictly increasing edges, got {list(bins)}")
    elif v.size == 0:
        edges = [0.0, 1.0]
    elif scheme == "quantile":
        edges = quantile_bins(v, k, edge_decimals)
    elif scheme == "equal":
        step = 10.0**-edge_decimals
        lo = math.floor(v.min() / step + 1e-9) * step
        hi = max(math.ceil(v.max() / step - 1e-9) * step, lo + step)
        edges = sorted({round(lo + (hi - lo) * i / k, edge_decimals) for i in range(k + 1)})
    else:
        raise ValueError(f"scheme must be 'quantile' or 'equal', got {scheme!r}")
    n = len(edges) - 1
    suffix = PERCENT_SUFFIX[lang] if unit == "%" else (f" {unit}" if unit else "")
    below = v.size > 0 and v.min() < edges[0]
    above = v.size > 0 and v.max() > edges[-1]
    labels = []
    for i in range(n):
        a, b = edges[i], edges[i + 1]
        if i == 0 and (below or math.isinf(a)):
            labels.append(f"< {_trim(b, decimals, lang)}{suffix}")
        elif i == n - 1 and (above or math.isinf(b)):
            labels.append(f"≥ {_trim(a, decimals, lang)}{suffix}")
        else:
            labels.append(f"{_trim(a, decimals, lang)} – {_trim(b, decimals, lang)}{suffix}")
    return LegendClasses(tuple(edges), tuple(labels), tuple(th.sequential_colors(n)), _WORDS[lang]["no_data"])


def _stepped_scale(colors: Sequence[str]) -> list[list[Any]]:
    """A colourscale where integer z = i takes exactly ``colors[i]`` (use zmin=-0.5, zmax=len-0.5)."""
    n = len(colors)
    scale: list[list[Any]] = []
    for i, c in enumerate(colors):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def _class_z(classes: LegendClasses, values: np.ndarray) -> tuple[np.ndarray, list[str], dict]:
    """z for a heatmap/choropleth: 0 = no data, 1..k = classes; the stepped colourscale and z range."""
    z = classes.classify(values) + 1
    colors = [classes.no_data_color, *classes.colors]
    return z, colors, dict(colorscale=_stepped_scale(colors), zmin=-0.5, zmax=len(colors) - 0.5, showscale=False)


# --- geometry helpers -------------------------------------------------------------------------------------------


def _round_geom(geom: Any) -> Any:
    """Coordinates rounded, and rings wound the way d3-geo (inside plotly.js) reads them: exterior rings
    clockwise. GeoJSON's usual counter-clockwise exteriors would be drawn as the whole globe minus the
    province."""
    rounded = shapely.transform(geom, lambda c: np.round(c, _COORD_DECIMALS))
    if hasattr(shapely, "orient_polygons"):  # shapely >= 2.1
        return shapely.orient_polygons(rounded, exterior_cw=True)
    parts = [orient(p, sign=-1.0) for p in shapely.get_parts(rounded) if p.geom_type == "Polygon"]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _geojson(boundaries: pd.DataFrame) -> dict:
    features = [
        {"type": "Feature", "id": code, "properties": {"code": code}, "geometry": mapping(_round_geom(geom))}
        for code, geom in zip(boundaries["code"], boundaries["geometry"], strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _outline(geoms: Iterable[Any]) -> tuple[list[float | None], list[float | None]]:
    """lon/lat of the outer boundary of the union of ``geoms``, lines separated by None."""
    union = shapely.union_all(list(geoms))
    lines = shapely.get_parts(shapely.boundary(union))
    lon: list[float | None] = []
    lat: list[float | None] = []
    for line in lines:
        coords = np.round(np.asarray(line.coords), _COORD_DECIMALS)
        lon += coords[:, 0].tolist() + [None]
        lat += coords[:, 1].tolist() + [None]
    return lon, lat


def _load_boundaries(edition: str) -> pd.DataFrame:
    from khanalytics import boundaries as _b  # imported late: geometry is only needed when drawing maps

    return _b.provinces(edition)


def _load_archipelagos(edition: str) -> pd.DataFrame:
    from khanalytics import boundaries as _b

    return _b.archipelagos(edition)


def _load_tile_grid(edition: str) -> pd.DataFrame:
    from khanalytics import boundaries as _b

    return _b.tile_grid(edition)


def _values_by_code(values: pd.DataFrame, known: Sequence[str], edition: str) -> pd.DataFrame:
    _require(values, ("code", "value"), "values")
    out = values.copy()
    out["code"] = _codes(out["code"])
    dup = out["code"][out["code"].duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"values có mã trùng / has duplicate codes: {dup}")
    unknown = sorted(set(out["code"]) - set(known))
    if unknown:
        raise ValueError(f"values có mã không thuộc bản đồ {edition} / has codes not on the {edition} map: {unknown}")
    return out.set_index("code")


def _highlight_codes(highlight: Iterable[str] | None, known: Sequence[str], edition: str) -> list[str]:
    codes = [str(c).strip().zfill(2) for c in (highlight or [])]
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"highlight có mã không thuộc bản đồ {edition} / codes not on the {edition} map: {unknown}")
    return codes


def _legend_entries_geo(fig: go.Figure, classes: LegendClasses) -> None:
    """Legend swatches for the classes (highest first) and "no data", as empty square-marker traces."""
    entries = list(zip(classes.labels, classes.colors, strict=True))[::-1] + [
        (classes.no_data_label, classes.no_data_color)
    ]
    for label, color in entries:
        fig.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                name=_t(label),
                showlegend=True,
                hoverinfo="skip",
                marker=dict(symbol="square", size=14, color=color, line=dict(width=0.6, color="#8A94A0")),
                legendgroup="classes",
            )
        )


def _legend_entries_xy(fig: go.Figure, entries: Sequence[tuple[str, str]], group: str | None = None) -> None:
    for label, color in entries:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=_t(label),
                showlegend=True,
                hoverinfo="skip",
                marker=dict(symbol="square", size=14, color=color, line=dict(width=0.6, color="#8A94A0")),
                legendgroup=group,
            )
        )


# --- maps -------------------------------------------------------------------------------------------------------


def choropleth(
    values: pd.DataFrame,
    *,
    edition: str,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    highlight: Sequence[str] | None = None,
    highlight_label: str | None = None,
    bins: Sequence[float] | None = None,
    scheme: Literal["quantile", "equal"] = "quantile",
    k: int = 5,
    lang: str = "vi",
    boundaries: pd.DataFrame | None = None,
    archipelagos: pd.DataFrame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_labels: bool | Literal["all", "highlight"] = True,
    show_archipelagos: bool = True,
    focus: Literal["country", "highlight"] = "country",
    provenance_note: str | None = None,
    height: int = 760,
) -> go.Figure:
    """A map of an indicator by province, in discrete classes, on either edition of the map.

    ``values``: one row per province, columns ``code`` (two-digit code of ``edition``) and ``value``
    (in ``unit``; NaN or an absent province = "no data"); an optional ``name`` column overrides the
    displayed name. ``boundaries``: columns ``code``, ``name_vi``, ``name_en``, ``geometry`` (EPSG:4326),
    by default ``khanalytics.boundaries.provinces(edition)``; what they are (``attrs["source"]``, or a
    bilingual ``attrs["provenance"]`` "tiếng Việt / English") is added to the provenance note.
    ``archipelagos``: columns ``name_vi``, ``name_en``, ``geometry`` and ``code`` (their province) or
    ``province_vi``/``province_en``, optionally ``label_lon``/``label_lat``; by default
    ``khanalytics.boundaries.archipelagos(edition)``. Each island is a dot, each archipelago labelled
    "Quần đảo Hoàng Sa (Đà Nẵng)".

    Classes: fixed ``bins`` (k+1 edges, the same for every period, like a DHIS2 legend set; see
    :func:`quantile_bins`) or ``scheme`` with ``k`` classes computed from these values; a grey
    "Không có số liệu" class always shows. ``highlight``: codes outlined together (a cluster), named
    ``highlight_label`` in the legend. ``show_labels``: True names every province whose label fits at the
    map's scale (highlighted ones also with their value); "all" names every province and "highlight" the
    highlighted ones whether they fit or not; False none. ``focus="highlight"`` zooms on the highlighted provinces. Hover: "Quảng Ninh: 31,80 %".

    The trace is a ``go.Choropleth`` (one path per province, featureidkey ``properties.code``). Opened
    offline it needs the page to seed plotly's geo assets: see :mod:`khanalytics.htmlpage`.
    """
    lang = check_lang(lang)
    edition = geography.check_edition(edition)
    geo_frame = _load_boundaries(edition) if boundaries is None else boundaries
    _require(geo_frame, ("code", "geometry"), "boundaries")
    geo_frame = geo_frame.copy()
    geo_frame["code"] = _codes(geo_frame["code"])
    known = geo_frame["code"].tolist()
    vals = _values_by_code(values, known, edition)
    hl = _highlight_codes(highlight, known, edition)

    if "name" in vals.columns:
        names = [
            str(vals["name"].get(c)) if c in vals.index and not is_missing_text(vals["name"].get(c)) else None
            for c in known
        ]
    else:
        names = [None] * len(known)
    fallback = (
        geo_frame[_name_col(lang)].tolist() if _name_col(lang) in geo_frame else _province_names(known, edition, lang)
    )
    names = [n or f for n, f in zip(names, fallback, strict=True)]

    v = np.array([vals["value"].get(c) if c in vals.index else np.nan for c in known], dtype=object)
    v = pd.to_numeric(pd.Series(v), errors="coerce").to_numpy(dtype=float)
    classes = legend_classes(v, bins=bins, scheme=scheme, k=k, unit=unit, decimals=decimals, lang=lang)
    z, _, zargs = _class_z(classes, v)
    hover = [
        f"{_t(n)}: {fmt_value(x, unit, decimals, lang, missing=no_data(lang))}" for n, x in zip(names, v, strict=True)
    ]

    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=_geojson(geo_frame),
            featureidkey="properties.code",
            locations=known,
            z=z,
            **zargs,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name=_t(indicator_label),
            marker=dict(line=dict(color=th.ROLE_COLORS["border"], width=0.7)),
            showlegend=False,
        )
    )

    geoms = dict(zip(known, geo_frame["geometry"], strict=True))
    if hl:
        lon, lat = _outline(geoms[c] for c in hl)
        fig.add_trace(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                line=dict(color=th.ROLE_COLORS["cluster"], width=2.6),
                name=_t(highlight_label or _WORDS[lang]["highlight"]),
                hoverinfo="skip",
                showlegend=True,
            )
        )

    arch = None
    if show_archipelagos:
        arch = _load_archipelagos(edition) if archipelagos is None else archipelagos
        _require(arch, ("name_vi", "name_en", "geometry"), "archipelagos")

    # The view, set explicitly (not fitbounds) so that archipelago labels fit and label sizes can be judged.
    if focus == "highlight" and hl:
        minx, miny, maxx, maxy = shapely.union_all([geoms[c] for c in hl]).bounds
        padx, pady = (maxx - minx) * 0.3 + 0.15, (maxy - miny) * 0.06 + 0.1
        lon_range, lat_range = [minx - padx, maxx + padx], [miny - pady, maxy + pady]
    else:
        parts = list(geo_frame["geometry"]) + (list(arch["geometry"]) if arch is not None else [])
        minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(parts, dtype=object))
        right = 1.0 if arch is not None else 0.2  # half of "Quần đảo Trường Sa (Khánh Hòa)" east of its dots
        lon_range, lat_range = [minx - 0.2, maxx + right], [miny - 0.3, maxy + 0.2]
    plot_h = height - 150
    px_per_deg = _px_per_degree(lon_range, lat_range, width=900, height=plot_h)

    # Labels: True = every province whose label fits at this scale (highlighted ones with their value);
    # "all" = every province, "highlight" = the highlighted ones, whether they fit or not; False = none.
    label_codes = {True: known, "all": known, "highlight": hl}.get(show_labels, [])  # type: ignore[call-overload]
    by_code = dict(zip(known, zip(names, v, strict=True), strict=True))
    hl_set = set(hl)
    lab_lon, lab_lat, texts = [], [], []
    font_size = 11
    candidates = []
    for c in label_codes:
        n, x = by_code[c]
        options = [[n, fmt_value(x, unit, max(decimals - 1, 0), lang)], [n]] if c in hl_set else [[n]]
        lon, lat, room_w, room_h = _label_room(geoms[c])
        chosen = next(
            (
                lines
                for lines in options
                if room_w * px_per_deg >= 0.5 * font_size * max(len(t) for t in lines)
                and room_h * px_per_deg >= 1.1 * font_size * len(lines)
            ),
            None,
        )
        if chosen is None and show_labels is not True:
            chosen = options[0]
        if chosen is not None:
            candidates.append((room_w * room_h, lon, lat, chosen))
    placed: list[tuple[float, float, float, float]] = []
    for _, lon, lat, lines in sorted(candidates, key=lambda t: -t[0]):  # roomiest provinces first
        cx, cy = lon * px_per_deg, -_mercator_y(lat) * px_per_deg
        half_w, half_h = 0.28 * font_size * max(len(t) for t in lines) + 2, 0.6 * font_size * len(lines) + 1
        box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        if show_labels is True and any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
        ):
            continue  # would overlap a label already placed
        placed.append(box)
        lab_lon.append(lon)
        lab_lat.append(lat)
        texts.append("<br>".join(_t(t) for t in lines))
    if texts:
        fig.add_trace(
            go.Scattergeo(
                lon=lab_lon,
                lat=lab_lat,
                mode="text",
                text=texts,
                hoverinfo="skip",
                showlegend=False,
                name="labels",
                textfont=dict(size=font_size, color=th.INK, shadow=_HALO, weight=600),
            )
        )

    if arch is not None:
        _add_archipelagos(fig, arch, geo_frame, edition, lang)

    _legend_entries_geo(fig, classes)
    fig.update_layout(
        geo=dict(
            visible=False,
            projection=dict(type="mercator"),
            bgcolor=th.BACKGROUND,
            fitbounds=False,
            lonaxis=dict(range=lon_range),
            lataxis=dict(range=lat_range),
        ),
        margin=dict(l=8, r=8),
        dragmode=False,
        legend=dict(
            orientation="v",
            x=0.01,
            xanchor="left",
            y=0.02,
            yanchor="bottom",
            bgcolor="rgba(255,255,255,0.9)",
            traceorder="normal",
        ),
    )
    source = _boundary_source(geo_frame, lang)
    note = provenance_note
    if source:
        border_word = "Ranh giới" if lang == "vi" else "Boundaries"
        note = f"{note} · {border_word}: {source}" if note else f"{border_word}: {source}"
    return _finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=note,
        height=height,
        legend="keep",
        bottom=10,
    )


_HALO = "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff, 0 0 3px #fff"
"""Text shadow that keeps dark labels readable on dark map classes."""


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _px_per_degree(lon_range: Sequence[float], lat_range: Sequence[float], *, width: int, height: int) -> float:
    """Pixels per degree of longitude when the view fills a ``width`` x ``height`` plot (Mercator)."""
    dx = lon_range[1] - lon_range[0]
    dy = _mercator_y(lat_range[1]) - _mercator_y(lat_range[0])
    return min(width / dx, height / dy)


def _label_room(geom: Any) -> tuple[float, float, float, float]:
    """Label position (pole of inaccessibility of the largest part) and the room there, in degrees:
    the width of the part's box and the diameter of the largest inscribed circle."""
    part = max(geom.geoms, key=lambda g: g.area) if geom.geom_type == "MultiPolygon" else geom
    if part.geom_type != "Polygon":
        p = part.representative_point()
        return float(p.x), float(p.y), 0.0, 0.0
    p = polylabel(part, tolerance=0.005)
    radius = p.distance(part.boundary)
    minx, _, maxx, _ = part.bounds
    return float(p.x), float(p.y), min(maxx - minx, 6 * radius), 2 * radius


def _boundary_source(frame: pd.DataFrame, lang: str) -> str | None:
    """What the boundaries are, from ``frame.attrs`` ("source", or a bilingual "provenance" written
    "tiếng Việt / English"), in ``lang``."""
    attrs = getattr(frame, "attrs", {}) or {}
    text = attrs.get("source") or attrs.get("provenance")
    if not text:
        return None
    parts = str(text).split(" / ")
    if len(parts) == 2:
        return parts[1] if lang == "en" else parts[0]
    return str(text)


def is_missing_text(x: object) -> bool:
    """True for None/NaN/empty strings (names are optional in several inputs)."""
    return (
        x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip()) or (x is pd.NA)
    )


def _add_archipelagos(fig: go.Figure, arch: pd.DataFrame, geo_frame: pd.DataFrame, edition: str, lang: str) -> None:
    _require(arch, ("name_vi", "name_en", "geometry"), "archipelagos")
    province_of = (
        dict(zip(geo_frame["code"], geo_frame[_name_col(lang)], strict=True)) if _name_col(lang) in geo_frame else {}
    )
    dot_lon: list[float | None] = []
    dot_lat: list[float | None] = []
    label_lon, label_lat, labels, hovers = [], [], [], []
    for row in arch.itertuples(index=False):
        geom = row.geometry
        name = str(getattr(row, _name_col(lang)))
        code = getattr(row, "code", None)
        owner = getattr(row, "province_en" if lang == "en" else "province_vi", None)
        if is_missing_text(owner) and code is not None and not is_missing_text(code):
            code = str(code).zfill(2)
            owner = province_of.get(code) or _province_names([code], edition, lang)[0]
        text = f"{name} ({owner})" if owner and owner not in name else name
        # Islands given as points are drawn as they are; areas (islands or an extent) by the centre of each part.
        pts = shapely.get_coordinates(shapely.centroid(shapely.get_parts(geom)))
        dot_lon += pts[:, 0].round(_COORD_DECIMALS).tolist()
        dot_lat += pts[:, 1].round(_COORD_DECIMALS).tolist()
        # the label goes under the islands, centred on them (label_lon if given), clear of the dots
        lon = getattr(row, "label_lon", None)
        label_lon.append(float(geom.centroid.x) if is_missing(lon) else float(lon))
        label_lat.append(float(geom.bounds[1]) - 0.15)
        labels.append(_wrap(text, 18))
        hovers.append(_t(text))
    fig.add_trace(
        go.Scattergeo(
            lon=dot_lon,
            lat=dot_lat,
            mode="markers",
            marker=dict(size=4, color=th.MUTED),
            hoverinfo="skip",
            showlegend=False,
            name="archipelago-dots",
        )
    )
    fig.add_trace(
        go.Scattergeo(
            lon=label_lon,
            lat=label_lat,
            mode="text",
            text=labels,
            textposition="bottom center",
            textfont=dict(size=10, color=th.MUTED, style="italic"),
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="archipelagos",
        )
    )


def _tile_text(name: str, width: int = 9) -> str:
    lines = textwrap.wrap(name, width=width) or [name]
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return "<br>".join(_t(x) for x in lines)


def tile_map(
    values: pd.DataFrame,
    *,
    edition: str,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    highlight: Sequence[str] | None = None,
    highlight_label: str | None = None,
    bins: Sequence[float] | None = None,
    scheme: Literal["quantile", "equal"] = "quantile",
    k: int = 5,
    lang: str = "vi",
    grid: pd.DataFrame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """The same classes as :func:`choropleth` on a tile grid: every province one equal square.

    ``values`` as for :func:`choropleth`. ``grid``: columns ``code``, ``row``, ``col`` (row 0 at the top),
    by default ``khanalytics.boundaries.tile_grid(edition)``. Each tile shows the province name and its
    value; highlighted tiles get the cluster outline. Drawn as one ``go.Heatmap`` so it scales with the page.
    """
    lang = check_lang(lang)
    edition = geography.check_edition(edition)
    g = _load_tile_grid(edition) if grid is None else grid
    _require(g, ("code", "row", "col"), "grid")
    g = g.copy()
    g["code"] = _codes(g["code"])
    known = g["code"].tolist()
    vals = _values_by_code(values, known, edition)
    hl = _highlight_codes(highlight, known, edition)

    names = _province_names(known, edition, lang)
    if "name" in vals.columns:
        names = [
            str(vals["name"][c]) if c in vals.index and not is_missing_text(vals["name"][c]) else n
            for c, n in zip(known, names, strict=True)
        ]
    v = pd.to_numeric(
        pd.Series([vals["value"].get(c) if c in vals.index else np.nan for c in known], dtype=object), errors="coerce"
    ).to_numpy(dtype=float)
    classes = legend_classes(v, bins=bins, scheme=scheme, k=k, unit=unit, decimals=decimals, lang=lang)
    z, _, zargs = _class_z(classes, v)

    rows, cols = int(g["row"].max()) + 1, int(g["col"].max()) + 1
    zz: list[list[Any]] = [[None] * cols for _ in range(rows)]
    text: list[list[str]] = [[""] * cols for _ in range(rows)]
    narrow_text: list[list[str]] = [[""] * cols for _ in range(rows)]  # phones: narrower tiles
    hover: list[list[str | None]] = [[None] * cols for _ in range(rows)]
    for r, c, zi, n, x in zip(g["row"].astype(int), g["col"].astype(int), z, names, v, strict=True):
        zz[r][c] = int(zi)
        value_text = fmt_value(x, unit, min(decimals, 1), lang)
        text[r][c] = f"{_tile_text(n)}<br><b>{value_text}</b>"
        narrow_text[r][c] = f"{_tile_text(n, 6)}<br><b>{value_text}</b>"
        hover[r][c] = f"{_t(n)}: {fmt_value(x, unit, decimals, lang, missing=no_data(lang))}"

    fig = go.Figure(
        go.Heatmap(
            z=zz,
            x=list(range(cols)),
            y=list(range(rows)),
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=10),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            xgap=3,
            ygap=3,
            **zargs,
            name=_t(indicator_label),
            showlegend=False,
            hoverongaps=False,
        )
    )
    pos = dict(zip(known, zip(g["row"].astype(int), g["col"].astype(int), strict=True), strict=True))
    for code in hl:
        r, c = pos[code]
        fig.add_shape(
            type="rect",
            x0=c - 0.5,
            x1=c + 0.5,
            y0=r - 0.5,
            y1=r + 0.5,
            line=dict(color=th.ROLE_COLORS["cluster"], width=3),
            layer="above",
        )
    if hl:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=_t(highlight_label or _WORDS[lang]["highlight"]),
                marker=dict(symbol="square-open", size=14, color=th.ROLE_COLORS["cluster"], line=dict(width=3)),
                hoverinfo="skip",
            )
        )
    entries = list(zip(classes.labels, classes.colors, strict=True))[::-1] + [
        (classes.no_data_label, classes.no_data_color)
    ]
    _legend_entries_xy(fig, entries, group="classes")
    fig.update_layout(
        xaxis=dict(visible=False, range=[-0.5, cols - 0.5], constrain="domain", fixedrange=True, domain=[0, 0.76]),
        yaxis=dict(
            visible=False, range=[rows - 0.5, -0.5], scaleanchor="x", scaleratio=1, constrain="domain", fixedrange=True
        ),
        legend=dict(orientation="v", x=0.78, xanchor="left", y=1.0, yanchor="top"),
        margin=dict(l=8, r=8),
        dragmode=False,
    )
    fig = _finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=provenance_note,
        height=height or max(420, 66 * rows + 150),
        legend="keep",
        bottom=10,
    )
    # On a phone: the grid takes the whole width, the legend goes under it, smaller tile text.
    legend_px = 20 * len(entries) + 16  # the class entries are one legend group: they stack
    narrow: dict[str, Any] = {
        "xaxis.domain": [0, 1],
        "legend.orientation": "h",
        "legend.x": 0,
        "legend.y": 0,
        "legend.yanchor": "top",
        "margin.b": (fig.layout.margin.b or 10) + legend_px,
    }
    if provenance_note:
        narrow[f"annotations[{len(fig.layout.annotations) - 1}].yshift"] = -10 - legend_px
    plot_w = 360
    tall = int(rows * plot_w / cols) + fig.layout.margin.t + narrow["margin.b"]
    _set_adapt(fig, narrow, style={"textfont.size": 8, "text": narrow_text}, height=tall)
    return fig


# --- trends -----------------------------------------------------------------------------------------------------


def _prepare_series(series: pd.DataFrame) -> tuple[pd.DataFrame, list[Period]]:
    _require(series, ("period", "key", "name", "role", "value"), "series")
    s = series.copy()
    bad = sorted(set(s["role"].dropna().astype(str)) - set(ROLES))
    if bad or s["role"].isna().any():
        raise ValueError(f"role phải là / must be one of {ROLES}; got {bad or ['None']}")
    s["_period"] = [Period.parse(p) for p in s["period"]]
    s["value"] = pd.to_numeric(s["value"], errors="coerce").astype(float)
    s["key"] = s["key"].astype(str)
    periods = sorted(set(s["_period"]))
    return s, periods


def _x_labels(periods: Sequence[Period], lang: str) -> dict[Period, str]:
    return {p: period_label(p, lang, "short") for p in periods}


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
    "national") and ``value`` (NaN = gap in the line). Provinces are thin grey lines (those in
    ``highlight`` keys are blue), the cluster a thick vermillion line, the country a dark dashed line;
    each line is named at its end. ``targets``: columns ``label`` and ``value``, drawn as dotted
    horizontal lines with their label.

    The x axis is the period as a Vietnamese reader writes it: a half-year by the month it ends
    ("6/2019" = to end of June 2019, "12/2019"), a year by its number; in English "Jun 2019".
    """
    lang = check_lang(lang)
    s, periods = _prepare_series(series)
    labels = _x_labels(periods, lang)
    xcats = [labels[p] for p in periods]
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
        text = [
            f"{_t(name)} — {labels[p]}: {fmt_value(val, unit, decimals, lang, missing=no_data(lang))}"
            for p, val in zip(periods, y, strict=True)
        ]
        legend_name = _t(name)
        showlegend = True
        group = key
        if role == "province" and not is_hl:
            legend_name = _WORDS[lang]["provinces"]
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
                hovertext=text,
                hovertemplate="%{hovertext}<extra></extra>",
                opacity=0.9 if role == "province" else 1,
            )
        )
        finite = [(i, val) for i, val in enumerate(y) if np.isfinite(val)]
        if finite and label_lines:
            i, val = finite[-1]
            ends.append((xcats[i], float(val), name, style["color"], role != "province" or is_hl))

    all_y = s["value"].dropna().tolist()
    tgt_rows: list[tuple[str, float]] = []
    if targets is not None:
        _require(targets, ("label", "value"), "targets")
        tgt_rows = [(str(r.label), float(r.value)) for r in targets.itertuples(index=False) if not is_missing(r.value)]
    all_y += [v for _, v in tgt_rows]
    lo, hi = (min(all_y), max(all_y)) if all_y else (0.0, 1.0)
    span = (hi - lo) or max(abs(hi), 1.0)
    lo, hi = lo - span * 0.08, hi + span * 0.1
    if unit == "%" and lo > 0 and lo < span * 0.6:
        lo = 0.0
    plot_px = max(height - 180, 100)
    gap = (hi - lo) * 14 / plot_px
    for label, value in tgt_rows:
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            y0=value,
            y1=value,
            layer="below",
            line=dict(color=th.ROLE_COLORS["target"], width=th.ROLE_WIDTH["target"], dash="dot"),
        )
        fig.add_annotation(
            xref="paper",
            x=0,
            xanchor="left",
            y=value,
            yanchor="bottom",
            showarrow=False,
            text=f"{_t(label)}: {_fmt_trim(value, unit, decimals, lang)}",
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(color=th.ROLE_COLORS["target"], size=11),
        )
    by_x: dict[str, list[int]] = {}
    for i, e in enumerate(ends):
        by_x.setdefault(e[0], []).append(i)
    first_label = len(fig.layout.annotations)
    for idx in by_x.values():
        ys = _spread([ends[i][1] for i in idx], gap, lo, hi)
        for i, y_pos in zip(idx, ys, strict=True):
            x, _, name, color, bold = ends[i]
            fig.add_annotation(
                x=x,
                y=y_pos,
                xanchor="left",
                xshift=8,
                yanchor="middle",
                showarrow=False,
                text=(f"<b>{_t(name)}</b>" if bold else _t(name)),
                font=dict(color=color if bold else th.MUTED, size=12 if bold else 11),
                name="line-label",
            )
    n_labels = len(fig.layout.annotations) - first_label
    longest = max((len(e[2]) for e in ends), default=0)
    fig.update_layout(
        xaxis=dict(type="category", categoryorder="array", categoryarray=xcats, title=None),
        yaxis=dict(range=[lo, hi], title=None, **th.value_axis(unit, lang, decimals)),
        margin=dict(r=min(40 + 7 * longest, 220)),
        hovermode="closest",
    )
    fig = _finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=provenance_note,
        height=height,
    )
    # On a phone the end labels would take half the width: drop them (the legend and hover remain).
    narrow: dict[str, Any] = {f"annotations[{first_label + i}].visible": False for i in range(n_labels)}
    narrow |= {"margin.r": 16, "xaxis.dtick": max(1, math.ceil((len(xcats) - 1) / 4))}
    _set_adapt(fig, narrow)
    return fig


def small_multiples(
    series: pd.DataFrame,
    *,
    indicator_label: str,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
    cols: int = 4,
    targets: pd.DataFrame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    panel_height: int = 190,
) -> go.Figure:
    """One small panel per province (``role == "province"``, in order of first appearance), each with the
    cluster and national lines for reference, on a shared y axis so panels compare. ``series`` and
    ``targets`` as for :func:`trend`; panel titles give the province and its latest value."""
    lang = check_lang(lang)
    s, periods = _prepare_series(series)
    labels = _x_labels(periods, lang)
    xcats = [labels[p] for p in periods]
    provinces = s[s["role"] == "province"].drop_duplicates("key")[["key", "name"]]
    if provinces.empty:
        raise ValueError("series has no rows with role 'province'")
    refs = s[s["role"] != "province"].drop_duplicates("key")[["key", "name", "role"]]
    n = len(provinces)
    cols = max(1, min(cols, n))

    def line_of(key: str) -> list[float]:
        ser = s[s["key"] == key].set_index("_period")["value"]
        return [ser.get(p, np.nan) for p in periods]

    titles = []
    for key, name in provinces.itertuples(index=False):
        y = [v for v in line_of(key) if np.isfinite(v)]
        last = fmt_value(y[-1], unit, max(decimals - 1, 0), lang) if y else MISSING
        titles.append(f"<b>{_t(name)}</b> · {last}")
    fig = go.Figure()
    ref_lines = {r.key: (r.name, r.role, line_of(r.key)) for r in refs.itertuples(index=False)}
    for i, (key, name) in enumerate(provinces.itertuples(index=False)):
        axes = dict(xaxis=_ax("x", i), yaxis=_ax("y", i))
        for ref_key, (ref_name, role, y) in ref_lines.items():
            fig.add_trace(
                go.Scatter(
                    x=xcats,
                    y=y,
                    mode="lines",
                    name=_t(ref_name),
                    legendgroup=ref_key,
                    showlegend=i == 0,
                    line=_role_line(role, 0.45),
                    hoverinfo="skip",
                    **axes,
                )
            )
        y = line_of(key)
        text = [
            f"{_t(name)} — {labels[p]}: {fmt_value(v, unit, decimals, lang, missing=no_data(lang))}"
            for p, v in zip(periods, y, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=xcats,
                y=y,
                mode="lines+markers",
                name=_WORDS[lang]["province"],
                legendgroup="province",
                showlegend=i == 0,
                line=dict(color=th.ROLE_COLORS["highlight"], width=2.4),
                marker=dict(size=4),
                hovertext=text,
                hovertemplate="%{hovertext}<extra></extra>",
                connectgaps=False,
                **axes,
            )
        )
    tv: list[float] = []
    if targets is not None:
        _require(targets, ("label", "value"), "targets")
        tv = [float(t.value) for t in targets.itertuples(index=False) if not is_missing(t.value)]
    vals = s["value"].dropna().tolist()
    lo, hi = (min([*vals, *tv]), max([*vals, *tv])) if vals or tv else (0.0, 1.0)
    span = (hi - lo) or 1.0
    lo = 0.0 if unit == "%" and lo > 0 and lo < span * 0.6 else lo - span * 0.08
    y_range = [lo, hi + span * 0.1]
    for i in range(n):
        fig.update_layout(
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
        for v in tv:
            fig.add_shape(
                type="line",
                xref=f"{_ax('x', i)} domain",
                x0=0,
                x1=1,
                yref=_ax("y", i),
                y0=v,
                y1=v,
                line=dict(color=th.ROLE_COLORS["target"], width=1, dash="dot"),
            )
    for text in titles:
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            showarrow=False,
            yanchor="bottom",
            xanchor="center",
            font=dict(size=12, color=th.INK),
            name="panel-title",
        )
    first_title = len(fig.layout.annotations) - n
    wide = _panel_grid(n, cols, len(xcats), panel_height, first_title)
    height = wide.pop("height")
    fig.update_layout(wide | {"showlegend": True})
    fig = _finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=provenance_note,
        height=height,
        extra_top=26,
    )
    narrow = _panel_grid(n, min(cols, 2), len(xcats), int(panel_height * 0.9), first_title)
    _set_adapt(fig, {k: v for k, v in narrow.items() if k != "height"}, height=narrow["height"])
    return fig


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


# --- ranking, scorecard, cards ----------------------------------------------------------------------------------


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
    _require(values, ("code", "name", "value"), "values")
    d = values.copy()
    d["value"] = pd.to_numeric(d["value"], errors="coerce").astype(float)
    d["highlight"] = d["highlight"].fillna(False).astype(bool) if "highlight" in d else False
    d["name"] = d["name"].astype(str)
    dup = d["name"].duplicated(keep=False)
    d.loc[dup, "name"] = d.loc[dup, "name"] + " (" + _codes(d.loc[dup, "code"]) + ")"
    d = d.sort_values("value", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    cats = [_t(n) for n in d["name"]]
    text = [fmt_value(v, unit, decimals, lang) if np.isfinite(v) else "" for v in d["value"]]
    hover = [
        f"{_t(n)}: {fmt_value(v, unit, decimals, lang, missing=no_data(lang))}"
        for n, v in zip(d["name"], d["value"], strict=True)
    ]
    fig = go.Figure()
    groups = [
        (True, th.ROLE_COLORS["cluster"], highlight_label or _WORDS[lang]["highlight"]),
        (False, th.ROLE_COLORS["other"], others_label or _WORDS[lang]["others"]),
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
                name=_t(label),
                showlegend=any_hl and not d["highlight"].all(),
                text=[t for t, keep in zip(text, m, strict=True) if keep],
                textposition="outside",
                cliponaxis=False,
                textfont=dict(size=11, color=th.INK),
                hovertext=[h for h, keep in zip(hover, m, strict=True) if keep],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    for cat, v in zip(cats, d["value"], strict=True):
        if not np.isfinite(v):
            fig.add_annotation(
                x=0,
                y=cat,
                xanchor="left",
                xshift=4,
                text=no_data(lang),
                showarrow=False,
                font=dict(size=11, color=th.MUTED, style="italic"),
            )
    finite = d["value"][np.isfinite(d["value"])]
    top = max([*finite.tolist(), *(reference or {}).values(), 0.0])
    for label, value in (reference or {}).items():
        if is_missing(value):
            continue
        fig.add_shape(
            type="line",
            yref="paper",
            y0=0,
            y1=1,
            x0=value,
            x1=value,
            layer="above",
            line=dict(color=th.ROLE_COLORS["national"], width=2, dash="dash"),
        )
        fig.add_annotation(
            x=value,
            yref="paper",
            y=1,
            yanchor="bottom",
            xanchor="center",
            showarrow=False,
            text=f"<b>{_t(label)}: {fmt_value(value, unit, decimals, lang)}</b>",
            font=dict(color=th.ROLE_COLORS["national"], size=12),
            bgcolor="rgba(255,255,255,0.85)",
        )
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
    return _finish(
        fig,
        lang=lang,
        title=title if title is not None else indicator_label,
        subtitle=subtitle,
        note=provenance_note,
        height=height or 190 + 22 * len(cats),
        extra_top=26,
        legend="top" if fig.layout.showlegend is not False and any(t.showlegend for t in fig.data) else "keep",
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
    _require(cells, ("name", "indicator_label", "value", "status"), "cells")
    d = cells.copy()
    d["name"] = d["name"].astype(str)
    d["indicator_label"] = d["indicator_label"].astype(str)
    status = [None if is_missing_text(x) else str(x) for x in d["status"]]
    bad = sorted({str(x) for x in status if x is not None} - set(STATUSES))
    if bad:
        raise ValueError(f"status phải là / must be one of {STATUSES} or None; got {bad}")
    rows = list(dict.fromkeys(d["name"]))
    cols = list(dict.fromkeys(d["indicator_label"]))
    code = {"below": 0, "equal": 1, "above": 2, None: 3}
    colors = [th.STATUS_COLORS["below"], th.STATUS_COLORS["equal"], th.STATUS_COLORS["above"], th.STATUS_COLORS["none"]]
    words = _WORDS[lang]
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
        text[i][j] = _t(shown)
        state = {"above": words["above"], "below": words["below"], "equal": words["equal"]}.get(st, "")
        if st and reference_label:
            state = state.replace(words["national"], ref)
        hover[i][j] = f"{_t(row.name)} · {_t(row.indicator_label)}: {_t(shown)}" + (f"<br>{state}" if state else "")
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c, 16) for c in cols],
            y=[_t(r) for r in rows],
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=12),
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=_stepped_scale(colors),
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
    _legend_entries_xy(fig, legend)
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
    header_lines = max((_lines(_wrap(c, 16)) for c in cols), default=1)
    fig = _finish(
        fig,
        lang=lang,
        title=title,
        subtitle=subtitle,
        note=provenance_note,
        height=height or 200 + 16 * header_lines + 34 * len(rows),
        extra_top=8 + 16 * header_lines,
        bottom=12,
    )
    narrow_cols = [_wrap(c, 9) for c in cols]
    narrow_lines = max((_lines(c) for c in narrow_cols), default=1)
    _set_adapt(
        fig,
        {"xaxis.tickfont.size": 9, "yaxis.tickfont.size": 10},
        style={"textfont.size": 10, "x": narrow_cols},
        extra_top=8 + 14 * narrow_lines,
        height=fig.layout.height + 14 * narrow_lines - 16 * header_lines,
    )
    return fig


KPI_CSS = """
.kha-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin:12px 0}
.kha-kpi{border:1px solid #E4E7EB;border-left:5px solid #9AA5B1;border-radius:6px;padding:12px 14px;background:#fff}
.kha-kpi-label{font-size:.9rem;color:#5F6B7A;line-height:1.3}
.kha-kpi-value{font-size:1.9rem;font-weight:700;color:#1F2933;line-height:1.2;margin:4px 0;
  font-variant-numeric:tabular-nums}
.kha-kpi-change,.kha-kpi-gap,.kha-kpi-note{font-size:.9rem;color:#1F2933;line-height:1.35}
.kha-kpi-note{color:#5F6B7A;font-size:.8rem;margin-top:4px}
.kha-tone-positive{border-left-color:#0072B2}.kha-tone-positive .kha-kpi-change{color:#005A8C}
.kha-tone-negative{border-left-color:#D55E00}.kha-tone-negative .kha-kpi-change{color:#A94A00}
.kha-tone-neutral{border-left-color:#9AA5B1}
""".strip()
"""Styles of :func:`kpi_cards` (also included in every snippet, so it works in any page or notebook)."""

_TONES = {
    "positive": "positive",
    "good": "positive",
    "up": "positive",
    "negative": "negative",
    "bad": "negative",
    "down": "negative",
    "neutral": "neutral",
    None: "neutral",
    "": "neutral",
}


def kpi_cards(cards: Sequence[Mapping[str, Any]], lang: str = "vi") -> Markup:
    """KPI cards as an HTML snippet: a big number, its change and its gap, one card per dict.

    Each card: ``label``, ``value_text`` (already formatted, e.g. "24,07 %"), optional ``change_text``
    ("+1,08 điểm % so với cùng kỳ"), ``gap_text`` ("cao hơn cả nước 3,35 điểm %"), ``note`` (coverage,
    source) and ``tone`` ("positive" blue, "negative" vermillion, "neutral"). Every text is escaped; the
    result is ``markupsafe.Markup`` (a str) ready for :func:`khanalytics.htmlpage.write_page` or
    ``IPython.display.HTML``.
    """
    lang = check_lang(lang)
    parts = [f"<style>{KPI_CSS}</style>", f'<div class="kha-kpis" lang="{lang}">']
    for card in cards:
        tone = _TONES.get(card.get("tone"))
        if tone is None:
            raise ValueError(f"tone must be positive, negative or neutral; got {card.get('tone')!r}")
        if "label" not in card or "value_text" not in card:
            raise ValueError(f"a card needs 'label' and 'value_text'; got keys {sorted(card)}")
        inner = [
            f'<div class="kha-kpi-label">{html.escape(str(card["label"]))}</div>',
            f'<div class="kha-kpi-value">{html.escape(str(card["value_text"]))}</div>',
        ]
        for key, css in (("change_text", "change"), ("gap_text", "gap"), ("note", "note")):
            if not is_missing_text(card.get(key)):
                inner.append(f'<div class="kha-kpi-{css}">{html.escape(str(card[key]))}</div>')
        parts.append(f'<div class="kha-kpi kha-tone-{tone}">{"".join(inner)}</div>')
    parts.append("</div>")
    return Markup("".join(parts))
