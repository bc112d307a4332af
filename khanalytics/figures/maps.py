"""Maps of an indicator by province: a choropleth on province polygons and a tile grid, in the same classes.

Both take the province values plus the ``edition`` (map) their codes belong to, and refuse a frame marked
for the other map (:func:`khanalytics.geography.require_edition`). Geometry is an input too: pass
``boundaries=`` / ``archipelagos=`` / ``grid=`` frames, or leave them out and the figure fetches the
reference layer from :mod:`khanalytics.boundaries` (the geoBoundaries polygons in the user cache when
``khanalytics boundaries fetch`` has been run, else the packaged approximate ones; the packaged
archipelagos and tile grid). Nothing else is read.

Maps use ``go.Choropleth`` on the province GeoJSON (never MapLibre, which draws nothing from ``file://``);
:mod:`khanalytics.report.assets` makes them work offline.
"""

from __future__ import annotations

import textwrap
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import shapely

from khanalytics import geography
from khanalytics.figures import geometry as gm
from khanalytics.figures import theme as th
from khanalytics.figures._common import (
    WORDS,
    codes,
    highlight_codes,
    is_missing_text,
    legend_swatches,
    map_values,
    name_col,
    province_names,
    require,
    require_rows_on,
    synthetic_note,
    t,
    values_by_code,
    wrap,
)
from khanalytics.figures.classes import class_entries, class_z, legend_classes
from khanalytics.figures.layout import finish, set_adapt
from khanalytics.formatting import check_lang, fmt_value, is_missing, no_data

HALO = "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff, 0 0 3px #fff"
"""Text shadow that keeps dark labels readable on dark map classes."""

Frame = pd.DataFrame

MAP_WIDTH = 0.74
"""Share of the figure's width the map takes; the legend (and the inset of a focused map) go to its right."""
INSET_HEIGHT = 0.36
"""Share of the plot's height the whole-country inset of a focused map takes, bottom right."""


# --- the reference layer, fetched only when the caller gives no geometry -----------------------------------------
# (imported late: geopandas is only needed when a map draws its default layer)


def _default_boundaries(edition: str) -> Frame:
    from khanalytics import boundaries

    return boundaries.best_boundaries(edition)[0]


def _default_archipelagos(edition: str) -> Frame:
    from khanalytics import boundaries

    return boundaries.archipelagos(edition)


def _default_grid(edition: str) -> Frame:
    from khanalytics import boundaries

    return boundaries.tile_grid(edition)


def _layer(frame: Frame, columns: Sequence[str], what: str, edition: str) -> Frame:
    """A geometry frame checked (columns, and its edition mark if it has one) with two-digit codes."""
    require(frame, columns, what)
    geography.require_edition(frame, edition, what=what)
    out = frame.copy()
    out["code"] = codes(out["code"])
    return out


def _boundary_source(frame: Frame, lang: str) -> str | None:
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


def _footnote(values: Frame, provenance_note: str | None, geo_frame: Frame, lang: str) -> str | None:
    """The map's note: the caller's ``provenance_note`` (led by the synthetic notice) and what the boundaries
    are, once and in ``lang`` only. A note that is the boundaries' own provenance (as a report may pass it)
    is not repeated."""
    attrs = getattr(geo_frame, "attrs", {}) or {}
    own = {str(attrs[k]).strip() for k in ("source", "provenance") if attrs.get(k)}
    if provenance_note and provenance_note.strip() in own:
        provenance_note = None
    note = synthetic_note(values, provenance_note, lang)
    source = _boundary_source(geo_frame, lang)
    if not source:
        return note
    boundaries = f"{'Ranh giới' if lang == 'vi' else 'Boundaries'}: {source}"
    return f"{note} · {boundaries}" if note else boundaries


def _label_items(
    geoms: dict[str, Any], codes: Sequence[str], options: dict[str, list[list[str]]], with_value: bool
) -> list[tuple[Any, list[list[str]]]]:
    """(geometry, label options) for :func:`~khanalytics.figures.geometry.place_labels`: the name and value
    then the name alone when ``with_value``, else the name alone."""
    return [(geoms[c], options[c] if with_value else options[c][1:]) for c in codes]


_OUTLINES: OrderedDict[tuple[int, ...], tuple[list[Any], tuple[list, list]]] = OrderedDict()


def _country_outline(geoms: dict[str, Any]) -> tuple[list, list]:
    """The simplified outline of the union of ``geoms`` (lon, lat; copies), kept for the same geometry objects
    (shapely's are immutable; the list kept holds them, so their ids stay theirs): the union took a fifth of
    a map's time, the same for every report on one map."""
    key = tuple(id(g) for g in geoms.values())
    kept = _OUTLINES.get(key)
    if kept is None:
        outline = gm.outline([shapely.union_all(list(geoms.values())).simplify(0.03)])
        kept = (list(geoms.values()), outline)
        _OUTLINES[key] = kept
        if len(_OUTLINES) > 8:
            _OUTLINES.popitem(last=False)
    lon, lat = kept[1]
    return list(lon), list(lat)


def _add_inset(fig: go.Figure, geoms: dict[str, Any], focus: Sequence[str], arch: Frame | None) -> None:
    """The whole country, small, bottom right beside the map (``geo2``), the focused provinces filled in the
    cluster colour: where a zoomed map lies."""
    shown = shapely.union_all([geoms[c] for c in focus]).simplify(0.01)
    for geom, colour, name in ((None, th.ROLE_COLORS["no_data"], "inset"), (shown, th.ROLE_COLORS["cluster"],
                                                                          "inset-focus")):
        lon, lat = _country_outline(geoms) if geom is None else gm.outline([geom])
        fig.add_trace(
            go.Scattergeo(lon=lon, lat=lat, mode="lines", fill="toself", fillcolor=colour, geo="geo2", name=name,
                          line=dict(color=colour, width=0.6), hoverinfo="skip", showlegend=False)
        )
    parts = list(geoms.values())
    if arch is not None:
        lon, lat = [], []
        for g in arch["geometry"]:
            x, y = gm.dots(g)
            lon, lat = lon + x, lat + y
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="markers", geo="geo2", name="inset-archipelagos",
                                    marker=dict(size=2, color=th.MUTED), hoverinfo="skip", showlegend=False))
        parts += list(arch["geometry"])
    lon_range, lat_range = gm.whole_view(parts, east=0.2)
    fig.update_layout(
        geo2=dict(
            domain=dict(x=[MAP_WIDTH + 0.02, 1.0], y=[0.0, INSET_HEIGHT]),
            visible=False,
            projection=dict(type="mercator"),
            fitbounds=False,
            lonaxis=dict(range=lon_range),
            lataxis=dict(range=lat_range),
            bgcolor="rgba(0,0,0,0)",
        )
    )


# --- choropleth --------------------------------------------------------------------------------------------------


def choropleth(
    values: Frame,
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
    boundaries: Frame | None = None,
    archipelagos: Frame | None = None,
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
    displayed name. A frame marked for the other map (``attrs["edition"]`` or an ``edition`` column, see
    :func:`khanalytics.geography.with_edition`) raises ``EditionMismatchError``; so does an unmarked one
    whose rows say they are of the other map (a ``period`` of that map, codes only it has, names that give
    the row's code only there): see :func:`khanalytics.figures._common.require_rows_on`.

    ``boundaries``: a GeoDataFrame (or DataFrame) with columns ``code`` and ``geometry`` (EPSG:4326), and
    ``name_vi``/``name_en`` if the names should come from it. Only when it is None does the figure fetch
    the reference layer, ``khanalytics.boundaries.best_boundaries(edition)`` (geoBoundaries from the user
    cache if fetched, else the packaged approximate polygons). What they are (``attrs["source"]``, or a
    bilingual ``attrs["provenance"]`` "tiếng Việt / English") is added to the provenance note.
    ``archipelagos``: columns ``name_vi``, ``name_en``, ``geometry`` and ``code`` (their province) or
    ``province_vi``/``province_en``, optionally ``label_lon``; only when None (and ``show_archipelagos``)
    the packaged ``khanalytics.boundaries.archipelagos(edition)``. Each island is a dot, each archipelago
    labelled "Quần đảo Hoàng Sa (Đà Nẵng)".

    Classes: fixed ``bins`` (k+1 edges, the same for every period, like a DHIS2 legend set; see
    :func:`quantile_bins`) or ``scheme`` with ``k`` classes computed from these values; a grey
    "Không có số liệu" class always shows. ``highlight``: codes outlined together (a cluster), named
    ``highlight_label`` in the legend. ``show_labels``: True labels every highlighted province with its name
    and value (always) and names every other province whose label fits at the map's scale; "all" names
    every province and "highlight" the highlighted ones whether they fit or not; False none.
    ``focus="highlight"`` zooms on the highlighted provinces (one province: it and its neighbours; a
    cluster: the cluster) and adds the whole country as an inset. The legend and the inset stand to the
    right of the map, never over it (on a phone: under it). Hover: "Quảng Ninh: 31,80 %".

    The note under the map says what the boundaries are once, in ``lang``; a ``provenance_note`` that is
    the boundaries' own provenance (``attrs``) is not repeated.

    The trace is a ``go.Choropleth`` (one path per province, featureidkey ``properties.code``). Opened
    offline it needs the page to seed plotly's geo assets: see :mod:`khanalytics.report.assets`.
    """
    lang = check_lang(lang)
    require(values, ("code", "value"), "values")
    edition = geography.require_edition(values, edition, what="choropleth")
    require_rows_on(values, edition, "choropleth")
    geo_frame = _layer(
        _default_boundaries(edition) if boundaries is None else boundaries, ("code", "geometry"), "boundaries", edition
    )
    known = geo_frame["code"].tolist()
    vals = values_by_code(values, known, edition)
    hl = highlight_codes(highlight, known, edition)
    fallback = (
        geo_frame[name_col(lang)].tolist() if name_col(lang) in geo_frame else province_names(known, edition, lang)
    )
    names, v = map_values(vals, known, fallback)
    classes = legend_classes(v, bins=bins, scheme=scheme, k=k, unit=unit, decimals=decimals, lang=lang)
    z, zargs = class_z(classes, v)
    hover = [
        f"{t(n)}: {fmt_value(x, unit, decimals, lang, missing=no_data(lang))}" for n, x in zip(names, v, strict=True)
    ]

    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=gm.geojson(geo_frame),
            featureidkey="properties.code",
            locations=known,
            z=z,
            **zargs,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name=t(indicator_label),
            marker=dict(line=dict(color=th.ROLE_COLORS["border"], width=0.7)),
            showlegend=False,
        )
    )
    geoms = dict(zip(known, geo_frame["geometry"], strict=True))
    if hl:
        lon, lat = gm.outline(geoms[c] for c in hl)
        fig.add_trace(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                line=dict(color=th.ROLE_COLORS["cluster"], width=2.6),
                name=t(highlight_label or WORDS[lang]["highlight"]),
                hoverinfo="skip",
                showlegend=True,
            )
        )
    arch = None
    if show_archipelagos:
        arch = _default_archipelagos(edition) if archipelagos is None else archipelagos
        require(arch, ("name_vi", "name_en", "geometry"), "archipelagos")

    # The view, set explicitly (not fitbounds) so that archipelago labels fit and label sizes can be judged.
    focused = focus == "highlight" and bool(hl)
    if focused:
        lon_range, lat_range = gm.focus_view(geoms, hl)
    else:
        parts = list(geo_frame["geometry"]) + (list(arch["geometry"]) if arch is not None else [])
        # east: half of "Quần đảo Trường Sa (Khánh Hòa)" lies east of its dots
        lon_range, lat_range = gm.whole_view(parts, east=1.0 if arch is not None else 0.2)
    px_per_deg = gm.px_per_degree(lon_range, lat_range, width=int(900 * MAP_WIDTH), height=height - 150)
    # Labels: True = every highlighted province with its value, then every other one whose name fits at this
    # scale and clears them; "all" = every province, "highlight" = the highlighted ones, whether they fit or
    # not; False = none.
    by_code = dict(zip(known, zip(names, v, strict=True), strict=True))
    options = {c: [[n, fmt_value(x, unit, max(decimals - 1, 0), lang)], [n]] for c, (n, x) in by_code.items()}
    taken: list[tuple[float, float, float, float]] = []
    placed, extra = [], []
    if show_labels is True:
        placed += gm.place_labels(_label_items(geoms, hl, options, True), px_per_deg, font_size=11, force=True,
                                  occupied=taken)
        others = [c for c in known if c not in hl]
        extra = _inside(gm.place_labels(_label_items(geoms, others, options, False), px_per_deg, font_size=11,
                                        force=False, occupied=taken), lon_range, lat_range, px_per_deg,
                        font_size=11)
    elif show_labels in ("all", "highlight"):
        codes_ = known if show_labels == "all" else hl
        items = [(geoms[c], options[c] if c in hl else options[c][1:]) for c in codes_]
        placed += gm.place_labels(items, px_per_deg, font_size=11, force=True)
    _add_labels(fig, placed, font_size=11)
    others_trace = len(fig.data) if extra else None
    _add_labels(fig, extra, font_size=11)
    if arch is not None:
        _add_archipelagos(fig, arch, geo_frame, edition, lang)
    if focused:
        _add_inset(fig, geoms, hl, arch)
    entries = class_entries(classes)
    legend_swatches(fig, entries, "classes", geo=True)
    fig.update_layout(
        geo=dict(
            domain=dict(x=[0.0, MAP_WIDTH], y=[0.0, 1.0]),
            visible=False,
            projection=dict(type="mercator"),
            bgcolor=th.BACKGROUND,
            fitbounds=False,
            lonaxis=dict(range=lon_range),
            lataxis=dict(range=lat_range),
        ),
        margin=dict(l=8, r=8),
        dragmode=False,
        legend=dict(orientation="v", x=MAP_WIDTH + 0.02, xanchor="left", y=1.0, yanchor="top",
                    traceorder="normal"),
    )
    note = _footnote(values, provenance_note, geo_frame, lang)
    title = title if title is not None else indicator_label
    fig = finish(fig, lang=lang, title=title, subtitle=subtitle, note=note, height=height, legend="keep", bottom=10)
    _phone_layout(fig, len(entries) + bool(hl), note, inset=focused, others_trace=others_trace)
    return fig


def _phone_layout(fig: go.Figure, n_entries: int, note: str | None, *, inset: bool,
                  others_trace: int | None = None) -> None:
    """On a phone the map takes the whole width; the inset (if any) and then the legend go under it; only the
    highlighted provinces keep their names (``others_trace``: the trace naming the others)."""
    legend_px = 20 * n_entries + 16
    narrow: dict[str, Any] = {
        "geo.domain.x": [0.0, 1.0],
        "legend.x": 0,
        "legend.y": 0,
        "legend.yanchor": "top",
        "margin.b": (fig.layout.margin.b or 10) + legend_px,
    }
    if inset:
        narrow |= {"geo.domain.y": [INSET_HEIGHT, 1.0], "geo2.domain.x": [0.3, 1.0], "geo2.domain.y": [0.0, 0.3]}
    if note:
        narrow[f"annotations[{len(fig.layout.annotations) - 1}].yshift"] = -10 - legend_px
    # on a phone the map is half as wide: the names of the other provinces would crowd it and run off its edge
    set_adapt(fig, narrow, style={"visible": False} if others_trace is not None else None,
              traces=(others_trace,) if others_trace is not None else (0,))


def _inside(placed: list, lon_range: Sequence[float], lat_range: Sequence[float], px_per_deg: float,
            font_size: int) -> list:
    """The labels whose text stays inside the map's view (a name half outside the frame is cut, not read)."""
    def fits(lon: float, lat: float, lines: list[str]) -> bool:
        half_w = max(len(line) for line in lines) * font_size * 0.58 / 2 / px_per_deg
        half_h = len(lines) * font_size * 1.25 / 2 / px_per_deg
        return (lon_range[0] <= lon - half_w and lon + half_w <= lon_range[1]
                and lat_range[0] <= lat - half_h and lat + half_h <= lat_range[1])

    return [(lon, lat, lines) for lon, lat, lines in placed if fits(lon, lat, lines)]


def _add_labels(fig: go.Figure, placed: Sequence[tuple[float, float, list[str]]], font_size: int) -> None:
    """The province labels :func:`~khanalytics.figures.geometry.place_labels` placed, as one text trace."""
    if not placed:
        return
    fig.add_trace(
        go.Scattergeo(
            lon=[lon for lon, _, _ in placed],
            lat=[lat for _, lat, _ in placed],
            mode="text",
            text=["<br>".join(t(x) for x in lines) for _, _, lines in placed],
            hoverinfo="skip",
            showlegend=False,
            name="labels",
            textfont=dict(size=font_size, color=th.INK, shadow=HALO, weight=600),
        )
    )


def _add_archipelagos(fig: go.Figure, arch: Frame, geo_frame: Frame, edition: str, lang: str) -> None:
    """Each archipelago as dots with its name and province under them ("Quần đảo Hoàng Sa (Đà Nẵng)")."""
    province_of = (
        dict(zip(geo_frame["code"], geo_frame[name_col(lang)], strict=True)) if name_col(lang) in geo_frame else {}
    )
    dot_lon: list[float | None] = []
    dot_lat: list[float | None] = []
    label_lon, label_lat, labels, hovers = [], [], [], []
    for row in arch.itertuples(index=False):
        geom = row.geometry
        name = str(getattr(row, name_col(lang)))
        code = getattr(row, "code", None)
        owner = getattr(row, "province_en" if lang == "en" else "province_vi", None)
        if is_missing_text(owner) and code is not None and not is_missing_text(code):
            code = str(code).zfill(2)
            owner = province_of.get(code) or province_names([code], edition, lang)[0]
        text = f"{name} ({owner})" if owner and owner not in name else name
        # Islands given as points are drawn as they are; areas (islands or an extent) by the centre of each part.
        lon, lat = gm.dots(geom)
        dot_lon += lon
        dot_lat += lat
        # the label goes under the islands, centred on them (label_lon if given), clear of the dots
        given = getattr(row, "label_lon", None)
        label_lon.append(float(geom.centroid.x) if is_missing(given) else float(given))
        label_lat.append(float(geom.bounds[1]) - 0.15)
        labels.append(wrap(text, 18))
        hovers.append(t(text))
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


# --- tile grid ---------------------------------------------------------------------------------------------------


def _tile_text(name: str, width: int = 9) -> str:
    """A province name on at most two lines of a tile."""
    parts = textwrap.wrap(name, width=width) or [name]
    if len(parts) > 2:
        parts = [parts[0], " ".join(parts[1:])]
    return "<br>".join(t(x) for x in parts)


def tile_map(
    values: Frame,
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
    grid: Frame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    provenance_note: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """The same classes as :func:`choropleth` on a tile grid: every province one equal square.

    Small provinces (the Red River delta) get as much room as large ones, so every value can be read.
    ``values`` as for :func:`choropleth` (refused when marked for the other map). ``grid``: columns
    ``code``, ``row``, ``col`` (row 0 at the top); only when None the packaged
    ``khanalytics.boundaries.tile_grid(edition)``. Each tile shows the province name and its value;
    highlighted tiles get the cluster outline. Drawn as one ``go.Heatmap`` so it scales with the page.
    """
    lang = check_lang(lang)
    require(values, ("code", "value"), "values")
    edition = geography.require_edition(values, edition, what="tile_map")
    require_rows_on(values, edition, "tile_map")
    g = _layer(_default_grid(edition) if grid is None else grid, ("code", "row", "col"), "grid", edition)
    known = g["code"].tolist()
    vals = values_by_code(values, known, edition)
    hl = highlight_codes(highlight, known, edition)
    names, v = map_values(vals, known, province_names(known, edition, lang))
    classes = legend_classes(v, bins=bins, scheme=scheme, k=k, unit=unit, decimals=decimals, lang=lang)
    z, zargs = class_z(classes, v)

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
        hover[r][c] = f"{t(n)}: {fmt_value(x, unit, decimals, lang, missing=no_data(lang))}"

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
            name=t(indicator_label),
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
                name=t(highlight_label or WORDS[lang]["highlight"]),
                marker=dict(symbol="square-open", size=14, color=th.ROLE_COLORS["cluster"], line=dict(width=3)),
                hoverinfo="skip",
            )
        )
    entries = class_entries(classes)
    legend_swatches(fig, entries, group="classes")
    fig.update_layout(
        xaxis=dict(visible=False, range=[-0.5, cols - 0.5], constrain="domain", fixedrange=True, domain=[0, 0.76]),
        yaxis=dict(
            visible=False, range=[rows - 0.5, -0.5], scaleanchor="x", scaleratio=1, constrain="domain", fixedrange=True
        ),
        legend=dict(orientation="v", x=0.78, xanchor="left", y=1.0, yanchor="top"),
        margin=dict(l=8, r=8),
        dragmode=False,
    )
    title = title if title is not None else indicator_label
    height = height or max(420, 66 * rows + 150)
    note = synthetic_note(values, provenance_note, lang)
    fig = finish(
        fig, lang=lang, title=title, subtitle=subtitle, note=note, height=height, legend="keep", bottom=10
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
    if note:
        narrow[f"annotations[{len(fig.layout.annotations) - 1}].yshift"] = -10 - legend_px
    plot_w = 360
    tall = int(rows * plot_w / cols) + fig.layout.margin.t + narrow["margin.b"]
    set_adapt(fig, narrow, style={"textfont.size": 8, "text": narrow_text}, height=tall)
    return fig
