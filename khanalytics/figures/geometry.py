"""Map geometry for plotly: GeoJSON it draws right, outlines, the Mercator view, and where province labels fit.

Coordinates are rounded to about 100 m (plenty for a statistical map, and it keeps reports small), rings are
wound the way d3-geo reads them, and labels are placed in pixels at the scale the map will be drawn, so a
label that would not fit its province, or would overlap another, is left out rather than drawn over the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, mapping
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

COORD_DECIMALS = 3
"""Decimals kept in coordinates: ~100 m, plenty for a statistical map, and keeps the HTML small."""

LonLat = tuple[list[float], list[float]]


def round_geom(geom: Any) -> Any:
    """Coordinates rounded, and rings wound the way d3-geo (inside plotly.js) reads them: exterior rings
    clockwise. GeoJSON's usual counter-clockwise exteriors would be drawn as the whole globe minus the
    province."""
    rounded = shapely.transform(geom, lambda c: np.round(c, COORD_DECIMALS))
    if hasattr(shapely, "orient_polygons"):  # shapely >= 2.1
        return shapely.orient_polygons(rounded, exterior_cw=True)
    parts = [orient(p, sign=-1.0) for p in shapely.get_parts(rounded) if p.geom_type == "Polygon"]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def geojson(boundaries: pd.DataFrame) -> dict:
    """A FeatureCollection with one feature per ``code`` (``id`` and ``properties.code``), as plotly joins it."""
    features = [
        {"type": "Feature", "id": code, "properties": {"code": code}, "geometry": mapping(round_geom(geom))}
        for code, geom in zip(boundaries["code"], boundaries["geometry"], strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def outline(geoms: Iterable[Any]) -> tuple[list[float | None], list[float | None]]:
    """lon/lat of the outer boundary of the union of ``geoms``, lines separated by None."""
    union = shapely.union_all(list(geoms))
    parts = shapely.get_parts(shapely.boundary(union))
    lon: list[float | None] = []
    lat: list[float | None] = []
    for line in parts:
        coords = np.round(np.asarray(line.coords), COORD_DECIMALS)
        lon += coords[:, 0].tolist() + [None]
        lat += coords[:, 1].tolist() + [None]
    return lon, lat


def dots(geom: Any) -> LonLat:
    """One dot per part of ``geom`` (its centre; a point stays where it is), rounded like every coordinate."""
    pts = shapely.get_coordinates(shapely.centroid(shapely.get_parts(geom)))
    return pts[:, 0].round(COORD_DECIMALS).tolist(), pts[:, 1].round(COORD_DECIMALS).tolist()


def zoom_view(geoms: Sequence[Any]) -> LonLat:
    """lon and lat ranges showing ``geoms`` with room around them (for a map focused on a cluster)."""
    minx, miny, maxx, maxy = shapely.union_all(list(geoms)).bounds
    padx, pady = (maxx - minx) * 0.3 + 0.15, (maxy - miny) * 0.06 + 0.1
    return [minx - padx, maxx + padx], [miny - pady, maxy + pady]


def neighbours(geoms: Mapping[str, Any], codes: Sequence[str], gap: float = 0.005) -> list[str]:
    """Codes of the areas in ``geoms`` that touch (closer than ``gap`` degrees) any of ``codes``, those excluded."""
    around = shapely.buffer(shapely.union_all([geoms[c] for c in codes]), gap)
    return [c for c, g in geoms.items() if c not in codes and shapely.intersects(around, g)]


def focus_view(geoms: Mapping[str, Any], codes: Sequence[str]) -> LonLat:
    """The view of a focused map: one province with its neighbours round it, or a group (a cluster) alone."""
    shown = list(codes) + (neighbours(geoms, codes) if len(codes) == 1 else [])
    return zoom_view([geoms[c] for c in shown])


def whole_view(geoms: Sequence[Any], east: float = 0.2) -> LonLat:
    """lon and lat ranges showing every one of ``geoms``, with ``east`` degrees spare on the right for labels."""
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(list(geoms), dtype=object))
    return [minx - 0.2, maxx + east], [miny - 0.3, maxy + 0.2]


def mercator_y(lat: float) -> float:
    """Latitude on the Mercator projection, in the same units as degrees of longitude."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def px_per_degree(lon_range: Sequence[float], lat_range: Sequence[float], *, width: int, height: int) -> float:
    """Pixels per degree of longitude when the view fills a ``width`` x ``height`` plot (Mercator)."""
    dx = lon_range[1] - lon_range[0]
    dy = mercator_y(lat_range[1]) - mercator_y(lat_range[0])
    return min(width / dx, height / dy)


def label_room(geom: Any) -> tuple[float, float, float, float]:
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


def place_labels(
    items: Iterable[tuple[Any, Sequence[Sequence[str]]]],
    px_per_deg: float,
    *,
    font_size: int,
    force: bool,
    occupied: list[tuple[float, float, float, float]] | None = None,
) -> list[tuple[float, float, list[str]]]:
    """Where each area's label goes: ``items`` are (geometry, label options, the fullest first, each a list of
    lines); returns (lon, lat, lines) for the labels drawn, roomiest areas first.

    Each area gets the first option that fits its room at this scale (about half a font size per character,
    1.1 per line). Without ``force`` an area where none fits, or whose label would overlap one already placed,
    goes unlabelled; with ``force`` every area gets a label, its fullest option when none fits.
    ``occupied``: pixel boxes already taken by labels of an earlier call; the boxes of this call's labels
    are added to it, so a second call (the other provinces) keeps clear of the first (the highlighted ones).
    """
    candidates = []
    for geom, options in items:
        lon, lat, room_w, room_h = label_room(geom)
        chosen = next(
            (
                list(lines)
                for lines in options
                if room_w * px_per_deg >= 0.5 * font_size * max(len(t) for t in lines)
                and room_h * px_per_deg >= 1.1 * font_size * len(lines)
            ),
            None,
        )
        if chosen is None and force:
            chosen = list(options[0])
        if chosen is not None:
            candidates.append((room_w * room_h, lon, lat, chosen))
    placed = occupied if occupied is not None else []
    out = []
    for _, lon, lat, lines in sorted(candidates, key=lambda c: -c[0]):  # roomiest provinces first
        cx, cy = lon * px_per_deg, -mercator_y(lat) * px_per_deg
        half_w, half_h = 0.28 * font_size * max(len(t) for t in lines) + 2, 0.6 * font_size * len(lines) + 1
        box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        if not force and any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue  # would overlap a label already placed
        placed.append(box)
        out.append((lon, lat, lines))
    return out
