"""Measure the shipped province polygons against geoBoundaries VNM ADM1.

The yardstick (``../shared/reference/geoBoundaries-VNM-ADM1_simplified.geojson``
or a path given on the command line) is only read here, never copied: the
shipped geometry is made without it (scripts/build_boundaries.py). For each
edition (the 63- and the 34-province map) this prints every province's
intersection-over-union (IoU), their median and minimum (aim: median
>= 0.88, minimum >= 0.6; the tests hold the median >= 0.85), the worst five,
and diagnostics that tell a wrong polygon from a wrong yardstick:

* the share of the province's communes (vietnamadminunits) that lie inside
  each polygon, and how far the yardstick's polygon must be shifted to fit
  ours best;
* where the lost IoU lies: over the national outline (land one map has and
  the other calls sea or a neighbouring country: coastline, islands,
  lagoons, the land border) or between provinces (the same land given to a
  different province);
* by region, how far the yardstick's borders between provinces lie from
  ours (median offset of the midpoints of each shared border, and median
  distance between the two lines), which shows a displacement of the
  yardstick's interior borders where there is one;
* on the 34-province map, each polygon's area against the official area
  of the province (sum of its communes' areas in vietnamadminunits).

    .venv/bin/python scripts/check_boundaries.py [yardstick.geojson]
"""

from __future__ import annotations

import sqlite3
import sys
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from khanalytics import boundaries as bnd
from khanalytics import geography as geo

ROOT = Path(__file__).resolve().parents[1]
YARDSTICK = ROOT.parent / "shared" / "reference" / "geoBoundaries-VNM-ADM1_simplified.geojson"
TARGET_MEDIAN, TARGET_MIN = 0.85, 0.6  # floors the tests hold the shipped polygons to
AIM_MEDIAN = 0.88  # issue 13's aim for the median, with every province >= TARGET_MIN
AGREES = 0.9  # a yardstick polygon holding fewer of its province's communes is itself misplaced
SHARED_M = 15_000  # borders shorter than this on either map are left out of the border offsets
# (name, (lon0, lat0, lon1, lat1)) of each region, by the midpoint of a shared border; first match wins
REGIONS = [
    ("Red River delta", (105.5, 20.2, 107.0, 21.4)),
    ("rest of the north", (102.0, 20.0, 108.5, 23.5)),
    ("centre", (104.0, 14.0, 110.0, 20.0)),
    ("south", (102.0, 8.0, 110.0, 14.0)),
]


def yardstick(path: Path, edition: str) -> gpd.GeoDataFrame:
    """The yardstick on one edition's map: 2008 with Hà Tây and Côn Đảo folded in, 2025 dissolved."""
    return bnd.read_boundaries(path, edition, file_edition="2008")


def scores(path: Path, edition: str) -> pd.Series:
    return bnd.iou_by_province(bnd.provinces(edition), yardstick(path, edition))


def communes(edition: str) -> gpd.GeoDataFrame:
    """Commune points of the 63-province map, labelled with their province on ``edition``'s map."""
    db = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    with resources.as_file(db) as file, sqlite3.connect(file) as con:
        table = pd.read_sql(
            "select provinceCode as code, wardLat as lat, wardLon as lon from admin_units_legacy "
            "where wardLat is not null",
            con,
        )
    if edition == "2025":
        table["code"] = table["code"].map(geo.crosswalk().set_index("code_2008")["code_2025"])
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326")


def share_inside(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> pd.Series:
    """For each province, the share of its communes inside its polygon."""
    poly = polygons.set_index("code").geometry
    inside = [poly[c].contains(p) for c, p in zip(points["code"], points.geometry, strict=True)]
    return pd.Series(inside, index=points["code"].to_numpy()).groupby(level=0).mean()


def best_shift(ours: shapely.Geometry, theirs: shapely.Geometry, reach: float = 16_000, step: float = 2_000) -> tuple:
    """The translation (metres east, north) of ``theirs`` that maximises IoU with ``ours``, and that IoU."""
    best = (0.0, 0.0, 0.0)
    for dx in np.arange(-reach, reach + 1, step):
        for dy in np.arange(-reach, reach + 1, step):
            moved = shapely.affinity.translate(theirs, dx, dy)
            iou = ours.intersection(moved).area / ours.union(moved).area
            if iou > best[2]:
                best = (float(dx), float(dy), iou)
    return best


def losses(ours: gpd.GeoSeries, theirs: gpd.GeoSeries) -> pd.DataFrame:
    """Per province (metric geometries indexed by code), the lost IoU, 1 - IoU, split in two: the part
    of the symmetric difference that lies outside the other map's national outline (``outline``) and
    the part inside it, where the other map gives the land to another province (``borders``)."""
    all_ours, all_theirs = shapely.union_all(ours.to_numpy()), shapely.union_all(theirs.to_numpy())
    rows = {}
    for code in ours.index:
        a, b = ours[code], theirs[code]
        union = a.union(b).area
        extra, missing = a.difference(b), b.difference(a)
        outline = extra.difference(all_theirs).area + missing.difference(all_ours).area
        rows[code] = {"outline": outline / union, "borders": (extra.area + missing.area - outline) / union}
    return pd.DataFrame.from_dict(rows, orient="index")


def evaluate(path: Path, edition: str) -> pd.DataFrame:
    """Per province: IoU, the share of its communes inside our polygon and inside the yardstick's,
    and the lost IoU split between the national outline and the borders between provinces."""
    ours, theirs = bnd.provinces(edition), yardstick(path, edition)
    table = bnd.iou_by_province(ours, theirs).to_frame()
    points = communes(edition)
    table["communes_in_ours"] = share_inside(points, ours)
    table["communes_in_yardstick"] = share_inside(points, theirs)
    table["yardstick_agrees"] = table["communes_in_yardstick"] >= AGREES
    metric = [f.to_crs(bnd.METRIC_CRS).set_index("code").geometry for f in (ours, theirs)]
    lost = losses(*metric)
    table["lost_outline"], table["lost_borders"] = lost["outline"], lost["borders"]
    return table


def border_offsets(ours: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each pair of provinces sharing at least ``SHARED_M`` of border on both maps: the midpoint
    (lon, lat) of our shared border, how far (km east, north) the yardstick's shared border's midpoint
    lies from ours, and the median distance (km) from points along our shared border to theirs."""
    lonlat = ours.set_index("code").geometry
    a = ours.to_crs(bnd.METRIC_CRS).set_index("code").geometry
    b = theirs.to_crs(bnd.METRIC_CRS).set_index("code").geometry
    codes = list(a.index)
    tree = shapely.STRtree(a.to_numpy())
    rows = []
    for p in codes:
        for j in tree.query(a[p], predicate="intersects"):
            q = codes[j]
            if q <= p:
                continue
            mine = shapely.intersection(a[p].boundary, a[q].boundary)
            yours = shapely.intersection(b[p].boundary, b[q].boundary)
            if mine.length < SHARED_M or yours.length < SHARED_M:
                continue
            along = shapely.points(shapely.get_coordinates(shapely.segmentize(mine, 1000.0)))
            mid = shapely.intersection(lonlat[p].boundary, lonlat[q].boundary).centroid
            rows.append(
                {
                    "pair": f"{p}-{q}",
                    "lon": mid.x,
                    "lat": mid.y,
                    "east_km": (yours.centroid.x - mine.centroid.x) / 1000,
                    "north_km": (yours.centroid.y - mine.centroid.y) / 1000,
                    "gap_km": float(np.median(shapely.distance(yours, along))) / 1000,
                }
            )
    table = pd.DataFrame(rows)
    table["region"] = [
        next((name for name, (x0, y0, x1, y1) in REGIONS if x0 <= x <= x1 and y0 <= y <= y1), "other")
        for x, y in zip(table["lon"], table["lat"], strict=True)
    ]
    return table


def official_areas() -> pd.Series:
    """Official area (km²) of each province of 2025: the sum of its communes' areas in vietnamadminunits."""
    db = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    with resources.as_file(db) as file, sqlite3.connect(file) as con:
        table = pd.read_sql(
            "select provinceCode as code, sum(wardAreaKm2) as area from admin_units group by provinceCode", con
        )
    return table.set_index("code")["area"]


def per_province(iou: pd.Series, edition: str, columns: int = 3) -> str:
    """Every province's IoU, by code, in ``columns`` columns."""
    cells = [
        f"{code} {geo.province_name(code, edition):<18.18} {value:5.2f}" for code, value in iou.sort_index().items()
    ]
    rows = -(-len(cells) // columns)
    return "\n".join("  " + "   ".join(cells[r::rows]) for r in range(rows))


def report(path: Path, edition: str, worst: int = 5) -> pd.DataFrame:
    """Print one map's IoU: every province, the median and minimum against the targets, the worst ``worst``
    with the diagnostics; return the table."""
    table = evaluate(path, edition)
    iou = table["iou"]
    print(f"{edition}: IoU by province (code, name, IoU)")
    print(per_province(iou, edition))
    ok = iou.median() >= AIM_MEDIAN and iou.min() >= TARGET_MIN
    print(
        f"{edition} ({len(iou)} provinces): IoU median {iou.median():.3f}, min {iou.min():.3f} "
        f"[aim: median {AIM_MEDIAN}, every province {TARGET_MIN}: {'met' if ok else 'NOT met'}]"
    )
    agree = table[table["yardstick_agrees"]]
    others = [geo.province_name(c, edition) for c in table.index[~table["yardstick_agrees"]]]
    print(
        f"  where the yardstick holds >= {AGREES:.0%} of the province's communes ({len(agree)} provinces): "
        f"median {agree['iou'].median():.3f}, min {agree['iou'].min():.3f}"
    )
    print(f"  the yardstick disagrees with the commune register in: {', '.join(others) or '-'}")
    a = bnd.provinces(edition).to_crs(bnd.METRIC_CRS).set_index("code").geometry
    b = yardstick(path, edition).to_crs(bnd.METRIC_CRS).set_index("code").geometry
    print(
        f"  {f'worst {worst} provinces':<22} {'IoU':>5}  communes inside: ours  yardstick   "
        "yardstick best shift (km E, N) -> IoU   IoU lost over: outline  borders"
    )
    for code, row in table.sort_values("iou").head(worst).iterrows():
        dx, dy, shifted = best_shift(a[code], b[code])
        print(
            f"  {geo.province_name(code, edition):<22} {row['iou']:5.2f}  {row['communes_in_ours']:>20.0%} "
            f"{row['communes_in_yardstick']:>10.0%}   {dx / 1000:+6.0f} {dy / 1000:+4.0f} -> {shifted:.2f}"
            f"   {row['lost_outline']:>22.2f} {row['lost_borders']:>8.2f}"
        )
    print(
        f"  IoU lost, all provinces (mean): {table['lost_outline'].mean():.3f} over the national outline, "
        f"{table['lost_borders'].mean():.3f} between provinces"
    )
    offsets = border_offsets(bnd.provinces(edition), yardstick(path, edition))
    print("  yardstick's borders between provinces against ours (median over shared borders):")
    for name, _ in REGIONS:
        part = offsets[offsets["region"] == name]
        if len(part):
            print(
                f"    {name:<18} {len(part):3d} borders: midpoint {part['east_km'].median():+5.1f} km E "
                f"{part['north_km'].median():+5.1f} km N; lines {part['gap_km'].median():.1f} km apart"
            )
    if edition == "2025":
        official = official_areas()
        ratio = pd.DataFrame({"ours": a.area / 1e6, "yardstick": b.area / 1e6}).div(official, axis=0).dropna()
        off = (ratio - 1).abs().median()
        print(
            f"  area against the official area (sum of the communes' areas): median deviation "
            f"ours {off['ours']:.1%}, yardstick {off['yardstick']:.1%}"
        )
    return table


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else YARDSTICK
    for edition in geo.EDITIONS:
        shipped = resources.files("khanalytics.reference").joinpath("boundaries", f"provinces_{edition}.geojson")
        print(f"provinces_{edition}.geojson: {len(shipped.read_bytes()) / 1e6:.3f} MB")
    if not path.is_file():
        print(f"yardstick not found: {path}")
        return
    for edition in geo.EDITIONS:
        report(path, edition)


if __name__ == "__main__":
    main()
