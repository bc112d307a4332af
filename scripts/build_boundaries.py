"""Generate the approximate province boundaries and tile grids that khanalytics ships.

No registry package offers Vietnamese province polygons under a licence that
fits, so the package makes its own from data it may redistribute:

* commune coordinates from ``vietnamadminunits`` (PyPI, MIT): the 10.040
  communes of the 63-province map (table ``admin_units_legacy``: point and the
  geocoder's bounding box), and the 3.321 communes of 2025 (table
  ``admin_units``), each placed in its 2008 province through the package's own
  old-to-new commune table;
* Vietnam's land outline and the islands of the two archipelagos from Natural
  Earth 1:10m (public domain), as packaged in the npm package ``world-atlas``
  (ISC), fetched with ``npm pack`` at build time.

Method: a Voronoi mosaic of the commune points (points far from every other
commune of their province are dropped), dissolved by province and clipped to
the land (estuaries and narrow channels filled, since provinces include their
waters); land pieces cut off from their province, unless they hold one of its
commune points (Cát Bà is Hải Phòng's), are given to the neighbour they share
most border with; the whole mosaic is then simplified as one
coverage, so shared borders stay shared. The 34-province map is the
63-province map dissolved by the crosswalk. The result is approximate, for
statistical graphics only.

Run from the repository root (needs npm and the dev extra)::

    .venv/bin/python scripts/build_boundaries.py
"""

from __future__ import annotations

import argparse
import base64
import collections
import hashlib
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from khanalytics import geography as geo

WORLD_ATLAS = "world-atlas@2.0.2"
WORLD_ATLAS_FILE = "countries-10m.json"
METRIC_CRS = "EPSG:32648"  # WGS 84 / UTM 48N: metres, for every length and area computed here
OUT_DIR = Path(__file__).resolve().parents[1] / "khanalytics" / "reference" / "boundaries"
DECIMALS = 4  # about 11 m
SIMPLIFY_M = 500.0  # coverage simplification tolerance
CLOSE_M = 3000.0  # estuaries and channels narrower than twice this become land
BOX_SHARE = 0.3  # extra seeds this far from a commune's point towards its bounding-box edges
NEIGHBOURS = 8  # a commune none of whose 8 nearest communes shares its province is misplaced
STRAY_SHARE = 0.25  # a piece under this share of its province that touches other provinces is stray
ISLAND_SYMBOL_M = 6000.0  # radius of the disc that stands for each archipelago island

# The two archipelagos: facts (names, province, approximate extent), not copied geometry.
ARCHIPELAGOS = [
    # name_vi, name_en, province code (same in both editions), Natural Earth source, bbox
    ("Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands", "48", "land", (111.0, 15.6, 113.0, 17.3)),
    ("Quần đảo Trường Sa", "Truong Sa (Spratly) Islands", "56", "Spratly Is.", (111.5, 7.0, 116.5, 12.0)),
]


# --- inputs ---------------------------------------------------------------


def fetch_world_atlas(workdir: Path, tarball: Path | None = None) -> tuple[dict, dict]:
    """The TopoJSON of countries-10m and a record of where it came from."""
    integrity = ""
    if tarball is None:
        out = subprocess.run(
            ["npm", "pack", WORLD_ATLAS, "--json", "--pack-destination", str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(out.stdout)[0]
        tarball = workdir / info["filename"]
        integrity = info.get("integrity", "")
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    # npm's own integrity string, computed here too so that a local tarball gives the same metadata
    integrity = integrity or "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    with tarfile.open(tarball) as tar:
        topo = json.load(tar.extractfile(f"package/{WORLD_ATLAS_FILE}"))  # type: ignore[arg-type]
    source = {
        "name": "Natural Earth 1:10m Admin 0 countries and land (public domain), via the npm package world-atlas",
        "package": f"npm {WORLD_ATLAS} (ISC), file {WORLD_ATLAS_FILE}",
        "url": "https://www.npmjs.com/package/world-atlas/v/2.0.2 ; https://www.naturalearthdata.com/",
        "tarball_sha256": digest,
        "npm_integrity": integrity,
        "licence": "public domain (Natural Earth); ISC (world-atlas packaging)",
        "used_for": "Vietnam's land outline; the islands of the Hoàng Sa and Trường Sa archipelagos",
    }
    return topo, source


def topo_arcs(topo: dict) -> list[np.ndarray]:
    """Decode quantised, delta-encoded TopoJSON arcs into lon/lat arrays."""
    scale = np.asarray(topo["transform"]["scale"], dtype=float)
    shift = np.asarray(topo["transform"]["translate"], dtype=float)
    return [np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + shift for arc in topo["arcs"]]


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    pieces = []
    for k, i in enumerate(indices):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pieces.append(arc if k == 0 else arc[1:])
    return np.concatenate(pieces)


def topo_polygons(obj: dict, arcs: list[np.ndarray]) -> shapely.Geometry:
    polys = obj["arcs"] if obj["type"] == "MultiPolygon" else [obj["arcs"]]
    out = []
    for rings in polys:
        shell = _ring(arcs, rings[0])
        if len(shell) >= 4:
            out.append(Polygon(shell, [h for h in (_ring(arcs, r) for r in rings[1:]) if len(h) >= 4]))
    return shapely.make_valid(MultiPolygon(out))


def country(topo: dict, arcs: list[np.ndarray], name: str) -> shapely.Geometry:
    (obj,) = [g for g in topo["objects"]["countries"]["geometries"] if g["properties"].get("name") == name]
    return topo_polygons(obj, arcs)


def all_land(topo: dict, arcs: list[np.ndarray]) -> shapely.Geometry:
    return shapely.union_all([topo_polygons(g, arcs) for g in topo["objects"]["land"]["geometries"]])


def _bounds(text: str) -> tuple[float, float, float, float]:
    """'lat0,lon0 – lat1,lon1' as (lon0, lat0, lon1, lat1)."""
    low, high = text.split(" – ")
    lat0, lon0 = map(float, low.split(","))
    lat1, lon1 = map(float, high.split(","))
    return lon0, lat0, lon1, lat1


def commune_points() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Seeds by 2008 province: legacy communes (with bounding boxes) and 2025 communes."""
    package = resources.files("vietnamadminunits")
    with resources.as_file(package.joinpath("data/dataset.db")) as path, sqlite3.connect(path) as con:
        legacy = pd.read_sql(
            # island districts without communes stand for themselves
            "select provinceCode as code, coalesce(wardLat, districtLat) as lat, "
            "coalesce(wardLon, districtLon) as lon, wardBounds as bounds from admin_units_legacy",
            con,
        )
        keys = pd.read_sql("select distinct provinceKey, provinceCode from admin_units_legacy", con)
        new = pd.read_sql("select provinceKey, wardKey, wardLat as lat, wardLon as lon from admin_units", con)
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    converter = json.loads(package.joinpath("data/converter_2025.json").read_text(encoding="utf-8"))
    old_code = dict(zip(keys["provinceKey"], keys["provinceCode"], strict=True))
    made_of = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]
    codes = []
    for row in new.itertuples():
        olds = {old_code[key.split("_")[0]] for key in made_of.get(row.provinceKey, {}).get(row.wardKey, [])}
        codes.append(olds.pop() if len(olds) == 1 else None)  # a new commune spanning two old provinces says nothing
    new = new.assign(code=codes).dropna(subset=["code"])[["code", "lat", "lon"]].reset_index(drop=True)
    version = metadata.version("vietnamadminunits")
    source = {
        "name": "commune coordinates of the vietnamadminunits package",
        "package": f"PyPI vietnamadminunits {version} (MIT)",
        "url": "https://pypi.org/project/vietnamadminunits/ ; https://github.com/tranngocminhhieu/vietnamadminunits",
        "file": "vietnamadminunits/data/dataset.db (tables admin_units_legacy, admin_units) "
        "and data/converter_2025.json",
        "dataset_sha256": digest,
        "licence": "MIT",
        "used_for": f"{len(legacy)} communes of the 63-province map (point and bounding box), "
        f"{len(new)} communes of 2025 lying in one 2008 province (point)",
    }
    return legacy, new, source


# --- the mosaic -------------------------------------------------------------


def _project(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(METRIC_CRS)
    return shapely.get_coordinates(pts.values)


def well_placed(codes: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Mask of points with at least one of their own province among their nearest neighbours."""
    keep = np.ones(len(codes), dtype=bool)
    for start in range(0, len(codes), 1000):
        block = xy[start : start + 1000]
        dist = ((block[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
        nearest = np.argpartition(dist, NEIGHBOURS + 1, axis=1)[:, : NEIGHBOURS + 1]
        for row, idx in enumerate(nearest):
            i = start + row
            keep[i] = bool((codes[idx[idx != i]] == codes[i]).any())
    return keep


def seeds(legacy: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Voronoi seeds in metres (code, x, y, commune): every well-placed commune point
    (``commune`` True), plus four points per legacy commune a share of the way to its
    bounding box's edges (communes are areas)."""
    frames = []
    for table in (legacy, new):
        xy = _project(table["lon"].to_numpy(), table["lat"].to_numpy())
        keep = well_placed(table["code"].to_numpy(), xy)
        print(f"  {len(table)} communes, {(~keep).sum()} misplaced and dropped")
        frames.append(
            pd.DataFrame({"code": table["code"].to_numpy(), "x": xy[:, 0], "y": xy[:, 1], "commune": True})[keep]
        )
        if table is legacy:
            kept = table[keep].dropna(subset=["bounds"])
            box = np.array([_bounds(b) for b in kept["bounds"]])
            lon, lat = kept["lon"].to_numpy(), kept["lat"].to_numpy()
            for tx, ty in ((box[:, 0], lat), (box[:, 2], lat), (lon, box[:, 1]), (lon, box[:, 3])):
                exy = _project(lon + BOX_SHARE * (tx - lon), lat + BOX_SHARE * (ty - lat))
                frames.append(
                    pd.DataFrame({"code": kept["code"].to_numpy(), "x": exy[:, 0], "y": exy[:, 1], "commune": False})
                )
    return pd.concat(frames, ignore_index=True).drop_duplicates(subset=["x", "y"])


def mosaic(points: pd.DataFrame, land_m: shapely.Geometry) -> gpd.GeoSeries:
    """Voronoi cells of the seeds, dissolved by province and clipped to the land (metres)."""
    envelope = shapely.box(*land_m.buffer(200_000).bounds)
    cells = shapely.voronoi_polygons(
        shapely.multipoints(points[["x", "y"]].to_numpy()), extend_to=envelope, ordered=True
    )
    cells = np.asarray(shapely.get_parts(cells))
    codes = points["code"].to_numpy()
    regions = {code: shapely.coverage_union_all(cells[codes == code]) for code in sorted(set(codes))}
    return gpd.GeoSeries({code: shapely.intersection(r, land_m) for code, r in regions.items()}, crs=METRIC_CRS)


def reassign_strays(regions: gpd.GeoSeries, anchors: pd.DataFrame | None = None) -> gpd.GeoSeries:
    """Give each small piece cut off from its province, and touching others, to the
    neighbour it shares most border with (Voronoi leaves a few such exclaves).

    A piece holding one of its own province's commune points (``anchors``: code, x, y
    in metres) is land the register places there, an island district say, and stays."""
    held: dict[str, shapely.Geometry] = {}
    if anchors is not None:
        held = {
            code: shapely.multipoints(g[["x", "y"]].to_numpy()) for code, g in anchors.groupby("code")
        }
    rows = []
    for code, geom in regions.items():
        parts = shapely.get_parts(geom)
        biggest = max(p.area for p in parts)
        rows += [(code, p, p.area == biggest) for p in parts]
    owner = [code for code, _, _ in rows]
    geoms = np.array([p for _, p, _ in rows], dtype=object)
    tree = shapely.STRtree(geoms)
    moved = 0
    for i, (code, piece, main) in enumerate(rows):
        if main or piece.area >= STRAY_SHARE * regions[code].area:
            continue
        if code in held and piece.intersects(held[code]):
            continue
        border: dict[str, float] = collections.defaultdict(float)
        for j in tree.query(piece, predicate="intersects"):
            if owner[j] != code:
                border[owner[j]] += shapely.intersection(piece.boundary, geoms[j].boundary).length
        if border and max(border.values()) > 0:
            owner[i] = max(border, key=border.__getitem__)
            moved += 1
    print(f"  {moved} stray pieces given to their neighbours")
    frame = pd.DataFrame({"code": owner, "geometry": geoms})
    return gpd.GeoSeries(
        {code: shapely.coverage_union_all(g["geometry"].to_numpy()) for code, g in frame.groupby("code")},
        crs=regions.crs,
    )


def simplify(regions: gpd.GeoSeries, tolerance: float) -> gpd.GeoSeries:
    geoms = shapely.coverage_clean(regions.to_numpy(), gap_width=1.0)
    geoms = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    return gpd.GeoSeries(shapely.make_valid(geoms), index=regions.index, crs=regions.crs)


def to_lonlat(regions: gpd.GeoSeries) -> gpd.GeoSeries:
    """Longitude/latitude on a 1e-4 degree grid; shared edges round the same way on both sides."""
    out = regions.to_crs("EPSG:4326")
    grid = 10.0**-DECIMALS
    geoms = shapely.coverage_clean(shapely.set_precision(out.to_numpy(), grid), snapping_distance=0.0)
    geoms = shapely.set_precision(geoms, grid)
    return gpd.GeoSeries(geoms, index=out.index, crs=out.crs)


def dissolve_2025(geoms_2008: gpd.GeoSeries) -> gpd.GeoSeries:
    successor = geo.crosswalk().set_index("code_2008")["code_2025"]
    frame = pd.DataFrame({"new": geoms_2008.index.map(successor), "geometry": geoms_2008.to_numpy()})
    merged = {
        code: shapely.set_precision(shapely.coverage_union_all(g["geometry"].to_numpy()), 10.0**-DECIMALS)
        for code, g in frame.groupby("new")
    }
    return gpd.GeoSeries(merged, crs=geoms_2008.crs)


def archipelagos(topo: dict, arcs: list[np.ndarray]) -> gpd.GeoDataFrame:
    """The archipelagos as symbols: a disc round each Natural Earth island, in true position."""
    land = all_land(topo, arcs)
    rows = []
    for name_vi, name_en, code, source, bbox in ARCHIPELAGOS:
        pool = land if source == "land" else country(topo, arcs, source)
        islands = [p for p in shapely.get_parts(pool) if p.intersects(shapely.box(*bbox)) and p.area < 0.01]
        metric = gpd.GeoSeries(islands, crs="EPSG:4326").to_crs(METRIC_CRS)
        symbol = metric.buffer(ISLAND_SYMBOL_M, quad_segs=4).union_all().simplify(200)
        lonlat = gpd.GeoSeries([symbol], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]
        centre = gpd.GeoSeries([metric.union_all().centroid], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]
        rows.append(
            {
                "name_vi": name_vi,
                "name_en": name_en,
                "code": code,
                "province_vi": geo.province_name(code, "2025"),
                "province_en": geo.province_name(code, "2025", "en"),
                "n_islands": len(islands),
                "label_lon": round(centre.x, 2),
                "label_lat": round(centre.y, 2),
                "geometry": shapely.set_precision(lonlat, 10.0**-DECIMALS),
            }
        )
        print(f"  {name_vi}: {len(islands)} islands around {centre.y:.1f}N {centre.x:.1f}E")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# --- tile grid --------------------------------------------------------------


def assignment(cost: np.ndarray) -> np.ndarray:
    """Cheapest assignment of every row to a different column (rows <= columns).

    Shortest augmenting paths with row and column potentials (the Hungarian
    method), O(rows^2 x columns): enough for 63 provinces and a few hundred cells.
    """
    n, m = cost.shape
    u, v = np.zeros(n + 1), np.zeros(m + 1)
    row_of = np.zeros(m + 1, dtype=int)  # column j (1-based) -> row (1-based), 0 = free; column 0 is a sentinel
    came_from = np.zeros(m + 1, dtype=int)
    for i in range(1, n + 1):
        row_of[0] = i
        col = 0
        slack = np.full(m + 1, np.inf)
        done = np.zeros(m + 1, dtype=bool)
        while True:
            done[col] = True
            r = row_of[col]
            reduced = cost[r - 1] - u[r] - v[1:]
            open_ = ~done[1:]
            better = open_ & (reduced < slack[1:])
            slack[1:][better] = reduced[better]
            came_from[1:][better] = col
            candidates = np.where(open_, slack[1:], np.inf)
            nxt = int(np.argmin(candidates)) + 1
            delta = candidates[nxt - 1]
            visited = np.flatnonzero(done)
            u[row_of[visited]] += delta
            v[visited] -= delta
            slack[~done] -= delta
            col = nxt
            if row_of[col] == 0:
                break
        while col:
            prev = came_from[col]
            row_of[col] = row_of[prev]
            col = prev
    out = np.empty(n, dtype=int)
    for j in range(1, m + 1):
        if row_of[j]:
            out[row_of[j] - 1] = j - 1
    return out


def _anchor(geom: shapely.Geometry) -> shapely.Point:
    """Centroid of the largest piece: islands should not pull a province's tile out to sea."""
    return max(shapely.get_parts(geom), key=lambda p: p.area).centroid


def tile_grid(geoms: gpd.GeoSeries, scale: float) -> pd.DataFrame:
    """One tile per province: projected anchors on a grid of cells `scale` x the mean
    province size wide, each province in the cell that minimises total squared distance."""
    metric = geoms.to_crs(METRIC_CRS)
    anchors = np.array([[p.x, p.y] for p in (_anchor(g) for g in metric)])
    size = scale * np.sqrt(metric.area.sum() / len(metric))
    x0, y1 = anchors[:, 0].min() - size, anchors[:, 1].max() + size
    cols = int(np.ceil((anchors[:, 0].max() + size - x0) / size)) + 1
    rows = int(np.ceil((y1 - anchors[:, 1].min() + size) / size)) + 1
    cr, cc = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    centres = np.column_stack([x0 + (cc.ravel() + 0.5) * size, y1 - (cr.ravel() + 0.5) * size])
    cost = ((anchors[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2) / size**2
    cell = assignment(cost)
    grid = pd.DataFrame({"code": metric.index, "row": cr.ravel()[cell], "col": cc.ravel()[cell]})
    grid["row"] -= grid["row"].min()
    grid["col"] -= grid["col"].min()
    return grid.sort_values("code").reset_index(drop=True)


def neighbours(geoms: gpd.GeoSeries) -> list[tuple[str, str]]:
    metric = geoms.to_crs(METRIC_CRS)
    pairs = []
    codes = list(metric.index)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if shapely.intersection(metric[a], metric[b]).length > 1000:  # share more than 1 km of border
                pairs.append((a, b))
    return pairs


def grid_quality(grid: pd.DataFrame, pairs: list[tuple[str, str]]) -> float:
    """Share of neighbouring provinces whose tiles touch (including diagonally)."""
    pos = grid.set_index("code")[["row", "col"]]
    near = [max(abs(pos.loc[a] - pos.loc[b])) <= 1 for a, b in pairs]
    return float(np.mean(near))


def best_tile_grid(geoms: gpd.GeoSeries) -> tuple[pd.DataFrame, float, float]:
    pairs = neighbours(geoms)
    results = [(grid_quality(g, pairs), s, g) for s in np.arange(0.8, 1.61, 0.05) for g in [tile_grid(geoms, s)]]
    quality, scale, grid = max(results, key=lambda t: t[0])
    return grid, float(scale), quality


def draw_grid(grid: pd.DataFrame) -> str:
    cells = {(r.row, r.col): r.code for r in grid.itertuples()}
    return "\n".join(
        " ".join(cells.get((row, col), "..") for col in range(grid["col"].max() + 1))
        for row in range(grid["row"].max() + 1)
    )


# --- outputs ----------------------------------------------------------------


def _rounded(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, list | tuple):
        return [_rounded(x) for x in obj]
    return obj


def write_geojson(frame: gpd.GeoDataFrame, path: Path, meta: dict) -> None:
    """GeoJSON (RFC 7946) with a top-level "metadata" member saying what this is."""
    features = []
    for row in frame.itertuples(index=False):
        props = {k: getattr(row, k) for k in frame.columns if k != "geometry"}
        geom = mapping(shapely.orient_polygons(row.geometry, exterior_cw=False))
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": geom["type"], "coordinates": _rounded(geom["coordinates"])},
            }
        )
    doc = {"type": "FeatureCollection", "metadata": meta, "features": features}
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--tolerance", type=float, default=SIMPLIFY_M, help="coverage simplification, metres")
    parser.add_argument("--close", type=float, default=CLOSE_M, help="fill water narrower than twice this, metres")
    parser.add_argument("--world-atlas", type=Path, default=None, help="a world-atlas-2.0.2.tgz instead of npm pack")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        topo, atlas_source = fetch_world_atlas(Path(tmp), args.world_atlas)
    arcs = topo_arcs(topo)
    land = gpd.GeoSeries([country(topo, arcs, "Vietnam")], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    if args.close > 0:
        land = land.buffer(args.close, quad_segs=4).buffer(-args.close, quad_segs=4)
    # enclosed water (lagoons, bays the closing shut) belongs to the provinces round it
    land = shapely.MultiPolygon([Polygon(p.exterior) for p in shapely.get_parts(land)])
    legacy, new, commune_source = commune_points()
    print("mosaic")
    points = seeds(legacy, new)
    regions = reassign_strays(mosaic(points, land), points[points["commune"]])
    geoms = {"2008": to_lonlat(simplify(regions, args.tolerance))}
    geoms["2025"] = dissolve_2025(geoms["2008"])

    method = (
        "Voronoi mosaic of commune points (misplaced points dropped; four extra seeds per 2008 commune "
        f"{BOX_SHARE:.0%} of the way to its bounding box's edges), dissolved by province, clipped to Natural "
        f"Earth's land with water narrower than {2 * args.close / 1000:g} km filled, cut-off pieces with none of "
        f"their province's commune points given to the neighbour sharing most border, coverage-simplified at {args.tolerance:g} m "
        f"(shapely {shapely.__version__}, GEOS {shapely.geos_version_string}), coordinates rounded to "
        f"{DECIMALS} decimals"
    )
    common = {
        "title_vi": "Ranh giới tỉnh gần đúng, chỉ dùng cho biểu đồ thống kê",
        "title_en": "Approximate province boundaries, for statistical graphics only",
        "approximate": True,
        "note_vi": "Không phải ranh giới hành chính chính thức; sai lệch vài km ở biên giới tỉnh và bờ biển.",
        "note_en": "Not the official administrative boundaries; borders and coasts may be off by a few km.",
        "made_by": "scripts/build_boundaries.py (khanalytics)",
        "licence": "MIT (khanalytics); made from MIT and public-domain data",
        "sources": [commune_source, atlas_source],
        "crs": "EPSG:4326",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for edition in geo.EDITIONS:
        table = geo.provinces(edition)[["code", "name_vi", "name_en"]]
        frame = gpd.GeoDataFrame(table, geometry=[geoms[edition][c] for c in table["code"]], crs="EPSG:4326")
        how = (
            method
            if edition == "2008"
            else "the 2008 map dissolved by the 63 → 34 crosswalk (Nghị quyết 202/2025/QH15)"
        )
        meta = {**common, "edition": edition, "provinces": len(frame), "method": how}
        path = args.out / f"provinces_{edition}.geojson"
        write_geojson(frame, path, meta)
        sizes[edition] = path.stat().st_size
        print(f"  {path.name}: {len(frame)} provinces, {sizes[edition] / 1e6:.2f} MB")

    print("archipelagos")
    arch = archipelagos(topo, arcs)
    write_geojson(
        arch,
        args.out / "archipelagos.geojson",
        {
            **common,
            "title_vi": "Quần đảo Hoàng Sa (TP Đà Nẵng) và Trường Sa (tỉnh Khánh Hòa), vẽ dạng ký hiệu",
            "title_en": "The Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) archipelagos, drawn as symbols",
            "method": f"a {ISLAND_SYMBOL_M / 1000:g} km disc round each Natural Earth 1:10m island of the archipelago, "
            "in true position, so that they show at national scale",
            "sources": [atlas_source],
        },
    )

    print("tile grids")
    grids = []
    for edition in geo.EDITIONS:
        grid, scale, quality = best_tile_grid(geoms[edition])
        print(f"  {edition}: cell {scale:.2f} x mean province size; neighbours on touching tiles {quality:.0%}")
        print("    " + draw_grid(grid).replace("\n", "\n    "))
        grids.append(grid.assign(edition=edition)[["edition", "code", "row", "col"]])
    pd.concat(grids).to_csv(args.out / "tile_grid.csv", index=False)


if __name__ == "__main__":
    main()
