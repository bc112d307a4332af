"""Province geometry for both editions of the map, and a tile grid.

Maps must work offline straight after ``pip install``, yet no polygons of
Vietnam's provinces come with a licence that fits. So the package ships its
own approximate polygons (made by ``scripts/build_boundaries.py`` from
commune coordinates and Natural Earth; see ``reference/boundaries/README.md``),
reads better files users bring (geoBoundaries, GADM, the government's),
can fetch geoBoundaries into a user cache, and always says which geometry a
map was drawn with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import urllib.error
import urllib.request
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from khanalytics import __version__
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError

METRIC_CRS = "EPSG:32648"  # WGS 84 / UTM 48N, for areas and overlaps in m²
GEOBOUNDARIES_URL = (
    "https://github.com/wmgeolab/geoBoundaries/raw/main/releaseData/gbOpen/VNM/ADM1/"
    "geoBoundaries-VNM-ADM1_simplified.geojson"
)
GEOBOUNDARIES_FILE = "geoBoundaries-VNM-ADM1_simplified.geojson"

# Name columns used by geoBoundaries, GADM, HDX/OCHA and Vietnamese sources, tried first.
NAME_COLUMNS = (
    "shapeName",
    "NAME_1",
    "name_vi",
    "ten_tinh",
    "Ten_Tinh",
    "TEN_TINH",
    "ADM1_VI",
    "ADM1_EN",
    "name",
    "Name",
    "NAME",
    "province",
    "Province",
    "tinh",
    "VARNAME_1",
    "NL_NAME_1",
)
# Features some files keep apart from the province they belong to (name key -> code).
_FOLDED = {
    "2008": {"hatay": "01", "condao": "77"},  # Hà Tây (merged into Hà Nội in 2008); Côn Đảo (Bà Rịa–Vũng Tàu)
    "2025": {"hatay": "01", "condao": "79"},  # Côn Đảo is part of Hồ Chí Minh City since 1/7/2025
}


class BoundaryError(KhanalyticsError, ValueError):
    """A boundary file that cannot be read, matched to provinces, or fetched."""

    rule = "bad_boundaries"


# --- shipped geometry -------------------------------------------------------


def _shipped(name: str) -> Traversable:
    return resources.files("khanalytics.reference").joinpath("boundaries", name)


@cache
def _shipped_frame(edition: str) -> gpd.GeoDataFrame:
    with resources.as_file(_shipped(f"provinces_{edition}.geojson")) as path:
        frame = gpd.read_file(path)
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    return frame[["code", "name_vi", "name_en", "geometry"]].sort_values("code").reset_index(drop=True)


def provinces(edition: str | int) -> gpd.GeoDataFrame:
    """The shipped, approximate polygons of one edition: code, name_vi, name_en, geometry (EPSG:4326).

    63 rows for "2008", 34 for "2025". Approximate, for statistical graphics:
    see ``metadata(edition)`` for how they were made and from what.
    """
    ed = geo.check_edition(edition)
    frame = _shipped_frame(ed).copy()
    frame.attrs["provenance"] = shipped_provenance(ed)
    return frame


@cache
def _metadata(name: str) -> dict:
    return json.loads(_shipped(name).read_text(encoding="utf-8"))["metadata"]


def metadata(edition: str | int = "2025") -> dict:
    """What the shipped polygons of an edition are, how they were made, sources and licence."""
    return dict(_metadata(f"provinces_{geo.check_edition(edition)}.geojson"))


def shipped_provenance(edition: str | int) -> str:
    """What the shipped polygons are and where they come from, "tiếng Việt / English" (maps pick their language)."""
    ed = geo.check_edition(edition)
    return (
        f"{geo.EDITION_INFO[ed].label_vi}: ranh giới gần đúng do khanalytics tạo từ tọa độ xã "
        "(vietnamadminunits, MIT) và Natural Earth (phạm vi công cộng), chỉ dùng cho biểu đồ thống kê / "
        f"{geo.EDITION_INFO[ed].label_en}: approximate boundaries made by khanalytics from commune "
        "coordinates (vietnamadminunits, MIT) and Natural Earth (public domain), for statistical graphics only."
    )


def archipelagos(edition: str | int = "2025") -> gpd.GeoDataFrame:
    """The Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) archipelagos, as symbols.

    Columns: name_vi, name_en, code (of their province on ``edition``'s map),
    province_vi, province_en, label_lon, label_lat, geometry (a small disc
    round each island, in true position, so they show at national scale).
    """
    ed = geo.check_edition(edition)
    frame = _archipelagos().copy()
    frame["province_vi"] = [geo.province_name(c, ed) for c in frame["code"]]
    frame["province_en"] = [geo.province_name(c, ed, "en") for c in frame["code"]]
    return frame


@cache
def _archipelagos() -> gpd.GeoDataFrame:
    with resources.as_file(_shipped("archipelagos.geojson")) as path:
        frame = gpd.read_file(path)
    cols = ["name_vi", "name_en", "code", "province_vi", "province_en", "label_lon", "label_lat", "geometry"]
    return frame.set_crs("EPSG:4326", allow_override=True)[cols]


@cache
def _tile_grids() -> pd.DataFrame:
    text = _shipped("tile_grid.csv").read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype={"edition": str, "code": str, "row": int, "col": int})


def tile_grid(edition: str | int) -> pd.DataFrame:
    """One equal tile per province: code, row (0 = north), col (0 = west).

    Made by ``scripts/build_boundaries.py``: province centres on a square grid,
    each province in a different cell, total squared displacement smallest.
    """
    ed = geo.check_edition(edition)
    grids = _tile_grids()
    return grids.loc[grids["edition"] == ed, ["code", "row", "col"]].reset_index(drop=True)


# --- boundaries users bring -------------------------------------------------


def _code(name: object, edition: str) -> str | None:
    key = geo.name_key(name)
    if key in _FOLDED[edition]:
        return _FOLDED[edition][key]
    try:
        return geo.resolve_province(name, edition=edition)
    except geo.ProvinceNameError:
        return None


def _match(frame: pd.DataFrame, edition: str, name_column: str | None) -> tuple[str, list[str | None]]:
    """The column whose values name the most provinces, and the code of each feature."""
    if name_column is not None:
        if name_column not in frame.columns:
            raise BoundaryError(f"không có cột {name_column!r}", f"no column {name_column!r}", column=name_column)
        columns = [name_column]
    else:
        text = [
            c
            for c in frame.columns
            if c != frame.geometry.name and (pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object)
        ]
        columns = [c for c in NAME_COLUMNS if c in text] + [c for c in text if c not in NAME_COLUMNS]
    best: tuple[int, str, list[str | None]] | None = None
    for column in columns:
        codes = [_code(v, edition) for v in frame[column]]
        score = sum(c is not None for c in codes)
        if best is None or score > best[0]:
            best = (score, column, codes)
        if score == len(frame):
            break
    if best is None:
        raise BoundaryError("không có cột tên tỉnh", "no column of province names")
    return best[1], best[2]


def _describe(path: Path, column: str, frame: pd.DataFrame, codes: list[str | None], edition: str) -> tuple[str, str]:
    """What did not match, in Vietnamese and in English."""
    unmatched = [str(v) for v, c in zip(frame[column], codes, strict=True) if c is None]
    missing = sorted(set(geo.province_codes(edition)) - {c for c in codes if c})
    vi, en = [f"{path}: cột {column!r}, bản đồ {edition}"], [f"{path}: column {column!r}, map {edition}"]
    if unmatched:
        hints = []
        for name in unmatched[:10]:
            close = geo.closest_names(name, edition, n=1)
            hints.append((f"{name!r}", f" ({{}}: {close[0]})" if close else ""))
        vi.append("tên không nhận ra: " + ", ".join(n + h.format("gần nhất") for n, h in hints))
        en.append("unmatched names: " + ", ".join(n + h.format("closest") for n, h in hints))
    if missing:
        names = ", ".join(f"{geo.province_name(c, edition)} ({c})" for c in missing)
        vi.append(f"thiếu tỉnh: {names}")
        en.append(f"missing provinces: {names}")
    return "; ".join(vi), "; ".join(en)


def read_boundaries(
    path: str | os.PathLike, edition: str | int, name_column: str | None = None, *, file_edition: str | None = None
) -> gpd.GeoDataFrame:
    """Province polygons from a shapefile, GeoJSON or GeoPackage, as ``provinces(edition)`` returns them.

    Features are matched to codes by name (any spelling ``resolve_provinces``
    knows; the name column is found by itself unless given). Separate
    features of one province are merged; Hà Tây and Côn Đảo, which
    geoBoundaries keeps apart, are folded into Hà Nội and Bà Rịa–Vũng Tàu.
    A file of the 63-province map read for edition "2025" is dissolved by the
    crosswalk. Raises BoundaryError naming the file and the unmatched names or
    missing provinces.
    """
    ed = geo.check_edition(edition)
    path = Path(path)
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types; all mean "cannot read this file"
        raise BoundaryError(f"Không đọc được {path}: {err}", f"cannot read {path}: {err}", file=str(path)) from err
    if frame.empty:
        raise BoundaryError(f"{path}: tệp không có đối tượng nào", f"{path}: the file has no features", file=str(path))
    frame = _to_lonlat(frame, path)
    sources = [geo.check_edition(file_edition)] if file_edition else ([ed] if ed == "2008" else ["2025", "2008"])
    attempts = []
    for source in sources:
        column, codes = _match(frame, source, name_column)
        complete = all(codes) and set(codes) == set(geo.province_codes(source))
        if complete:
            break
        attempts.append(_describe(path, column, frame, codes, source))
    else:
        hint_vi = hint_en = ""
        if ed == "2008" and not file_edition:
            column, codes = _match(frame, "2025", name_column)
            if all(codes) and set(codes) == set(geo.province_codes("2025")):
                hint_vi = " Tệp này là bản đồ 34 tỉnh, không tách được thành 63."
                hint_en = " This is a 34-province file, which cannot be split into the 63-province map."
        raise BoundaryError(
            "Không khớp được ranh giới với các tỉnh: " + " | ".join(vi for vi, _ in attempts) + hint_vi,
            "cannot match the boundaries to provinces: " + " | ".join(en for _, en in attempts) + hint_en,
            file=str(path),
        )
    if source == "2025" and ed == "2008":
        raise BoundaryError(f"{path}: bản đồ 34 tỉnh không tách được thành 63", f"{path}: a 34-province file cannot "
                            "give 63", file=str(path))
    merged = _dissolve(frame.geometry.to_numpy(), codes)
    if source == "2008" and ed == "2025":
        successor = geo.crosswalk().set_index("code_2008")["code_2025"]
        merged = _dissolve(merged.to_numpy(), [successor[c] for c in merged.index])
    table = geo.provinces(ed)[["code", "name_vi", "name_en"]]
    out = gpd.GeoDataFrame(table, geometry=[merged[c] for c in table["code"]], crs="EPSG:4326")
    out.attrs["source_file"] = str(path)
    out.attrs["name_column"] = column
    out.attrs["file_edition"] = source
    return out


def _to_lonlat(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    if frame.crs is None:
        x0, y0, x1, y1 = frame.total_bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise BoundaryError(f"{path}: không rõ hệ tọa độ (thêm tệp .prj)",
                                f"{path}: no coordinate reference system (add a .prj)", file=str(path))
        return frame.set_crs("EPSG:4326")
    return frame.to_crs("EPSG:4326")


def _dissolve(geoms: np.ndarray, codes: list[str]) -> gpd.GeoSeries:
    keys = np.asarray(codes, dtype=object)
    merged = {}
    for code in sorted(set(codes)):
        parts = shapely.make_valid(geoms[keys == code])
        merged[code] = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return gpd.GeoSeries(merged, crs="EPSG:4326")


# --- geoBoundaries in a user cache -----------------------------------------


def default_cache_dir() -> Path:
    """$KHANALYTICS_CACHE, or ~/.cache/khanalytics."""
    env = os.environ.get("KHANALYTICS_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "khanalytics"


def _cache_file(cache_dir: str | os.PathLike | None) -> Path:
    return Path(cache_dir or default_cache_dir()) / "boundaries" / GEOBOUNDARIES_FILE


def _atomic_write(target: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fetch_geoboundaries(
    cache_dir: str | os.PathLike | None = None, url: str = GEOBOUNDARIES_URL, *, timeout: float = 120.0
) -> Path:
    """Download geoBoundaries VNM ADM1 (simplified) into the user cache and return its path.

    The file is checked (GeoJSON whose features match the 63 provinces)
    before it replaces any earlier copy, and written atomically; a note of
    the URL, time and SHA-256 is kept beside it.
    """
    target = _cache_file(cache_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": f"khanalytics/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        raise BoundaryError(f"Không tải được ranh giới từ {url} (mất mạng?): {err}",
                            f"could not download the boundaries from {url}: {err}", file=url) from err
    try:
        doc = json.loads(data)
    except ValueError as err:
        doc = {"type": str(err)}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not doc.get("features"):
        why = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise BoundaryError(f"{url}: không phải GeoJSON ({len(data)} byte; một con trỏ Git LFS?): {why}",
                            f"{url}: not GeoJSON ({len(data)} bytes; a Git LFS pointer?): {why}", file=url)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        trial = Path(tmp) / GEOBOUNDARIES_FILE
        trial.write_bytes(data)
        read_boundaries(trial, "2008")  # raises BoundaryError if it does not match the 63 provinces
    _atomic_write(target, data)
    note = {
        "url": url,
        "downloaded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "licence": "geoBoundaries gbOpen VNM ADM1: public domain; cite geoBoundaries (Runfola et al. 2020)",
    }
    _atomic_write(target.with_suffix(".source.json"), json.dumps(note, indent=2).encode("utf-8"))
    return target


def cached_geoboundaries(cache_dir: str | os.PathLike | None = None) -> Path | None:
    """The fetched geoBoundaries file, if there is one."""
    target = _cache_file(cache_dir)
    return target if target.is_file() else None


def best_boundaries(edition: str | int, cache_dir: str | os.PathLike | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """The best polygons available for an edition, and a sentence (vi / en) saying which.

    geoBoundaries from the user cache when it was fetched (dissolved to 34
    provinces for "2025"), otherwise the shipped approximate polygons.
    """
    ed = geo.check_edition(edition)
    cached = cached_geoboundaries(cache_dir)
    if cached is not None:
        try:
            frame = read_boundaries(cached, ed, file_edition="2008")
        except BoundaryError:
            frame = None
        if frame is not None:
            when = ""
            note = cached.with_suffix(".source.json")
            if note.is_file():
                when = json.loads(note.read_text(encoding="utf-8")).get("downloaded", "")[:10]
            merged_vi = ", gộp theo 34 tỉnh từ 1/7/2025" if ed == "2025" else ""
            merged_en = ", merged into the 34 provinces of 1 July 2025" if ed == "2025" else ""
            text = (
                f"Ranh giới: geoBoundaries VNM ADM1 (phạm vi công cộng{merged_vi}), tải ngày {when} / "
                f"Boundaries: geoBoundaries VNM ADM1 (public domain{merged_en}), downloaded {when}."
            )
            frame.attrs["provenance"] = text
            return frame, text
    frame = provinces(ed)
    return frame, frame.attrs["provenance"]


# --- comparison -------------------------------------------------------------


def iou_by_province(ours: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame) -> pd.Series:
    """Intersection over union of each province's polygon in two frames (by ``code``), in a metric CRS."""
    a = ours.to_crs(METRIC_CRS).set_index("code").geometry
    b = theirs.to_crs(METRIC_CRS).set_index("code").geometry
    codes = sorted(set(a.index) & set(b.index))
    inter = shapely.intersection(a[codes].to_numpy(), b[codes].to_numpy())
    union = shapely.union(a[codes].to_numpy(), b[codes].to_numpy())
    return pd.Series(shapely.area(inter) / shapely.area(union), index=pd.Index(codes, name="code"), name="iou")
