"""Measure the shipped province polygons against geoBoundaries VNM ADM1.

The yardstick (``../shared/reference/geoBoundaries-VNM-ADM1_simplified.geojson``
or a path given on the command line) is only read here, never copied: the
shipped geometry is made without it (scripts/build_boundaries.py). For each
edition (the 63- and the 34-province map) this prints every province's
intersection-over-union (IoU), their median and minimum (aim: median
>= 0.88, minimum >= 0.6; the tests hold the median >= 0.85), the worst five, and two diagnostics that tell a wrong polygon from a wrong
yardstick: the share of the province's communes (vietnamadminunits) that lie
inside each polygon, and how far the yardstick's polygon must be shifted to
fit ours best.

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


def evaluate(path: Path, edition: str) -> pd.DataFrame:
    """Per province: IoU, and the share of its communes inside our polygon and inside the yardstick's."""
    ours, theirs = bnd.provinces(edition), yardstick(path, edition)
    table = bnd.iou_by_province(ours, theirs).to_frame()
    points = communes(edition)
    table["communes_in_ours"] = share_inside(points, ours)
    table["communes_in_yardstick"] = share_inside(points, theirs)
    table["yardstick_agrees"] = table["communes_in_yardstick"] >= AGREES
    return table


def per_province(iou: pd.Series, edition: str, columns: int = 3) -> str:
    """Every province's IoU, by code, in ``columns`` columns."""
    cells = [f"{code} {geo.province_name(code, edition):<18.18} {value:5.2f}" for code, value in iou.sort_index().items()]
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
        f"  {f'worst {worst} provinces':<22} {'IoU':>5}  communes inside: ours  yardstick   yardstick best shift (km E, N) -> IoU"
    )
    for code, row in table.sort_values("iou").head(worst).iterrows():
        dx, dy, shifted = best_shift(a[code], b[code])
        print(
            f"  {geo.province_name(code, edition):<22} {row['iou']:5.2f}  {row['communes_in_ours']:>20.0%} "
            f"{row['communes_in_yardstick']:>10.0%}   {dx / 1000:+6.0f} {dy / 1000:+4.0f} -> {shifted:.2f}"
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
