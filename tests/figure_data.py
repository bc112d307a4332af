"""Small synthetic inputs for the figure tests: square provinces, a tile grid, archipelagos, series.

Geometry here is made up (one square per province, laid out in rows) so the figure tests do not depend
on the shipped boundaries; the codes and names are the real ones of each edition.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import MultiPoint, box

from khanalytics import figures, geography

COLS = {"2008": 7, "2025": 5}
CLUSTER_2008 = ["06", "04", "19", "20", "22", "24", "30", "31"]
"""Cụm II – Đông Bắc on the 2008 map."""
EVIL = "<img src=x onerror=alert(1)>"
"""A name that would run script if any figure forgot to escape it."""


def square_boundaries(edition: str) -> gpd.GeoDataFrame:
    """One 0.9° square per province of ``edition`` (counter-clockwise rings, as GeoJSON writes them)."""
    prov = geography.provinces(edition)
    cols = COLS[edition]
    geoms = [box(102 + (i % cols), 23 - (i // cols), 102.9 + (i % cols), 23.9 - (i // cols)) for i in range(len(prov))]
    return gpd.GeoDataFrame(
        prov[["code", "name_vi", "name_en"]].reset_index(drop=True), geometry=geoms, crs="EPSG:4326"
    )


def tile_grid(edition: str) -> pd.DataFrame:
    codes = geography.province_codes(edition)
    cols = COLS[edition]
    return pd.DataFrame(
        {"code": codes, "row": [i // cols for i in range(len(codes))], "col": [i % cols for i in range(len(codes))]}
    )


def archipelagos() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name_vi": ["Quần đảo Hoàng Sa", "Quần đảo Trường Sa"],
            "name_en": ["Hoang Sa (Paracel) Islands", "Truong Sa (Spratly) Islands"],
            "code": ["48", "56"],
        },
        geometry=[MultiPoint([(111.6, 16.5), (112.3, 16.8)]), box(111.9, 7.6, 116.0, 11.5)],
        crs="EPSG:4326",
    )


def values(edition: str, seed: int = 1) -> pd.DataFrame:
    """code, value: a rate per province; Quảng Ninh (22) is 31.8; one province (Cao Bằng, 04) has none."""
    codes = geography.province_codes(edition)
    rng = np.random.default_rng(seed)
    v = pd.DataFrame({"code": codes, "value": rng.uniform(10, 35, len(codes)).round(2)})
    v.loc[v["code"] == "22", "value"] = 31.8
    v.loc[v["code"] == "04", "value"] = np.nan
    return v


def cluster_series() -> pd.DataFrame:
    """period, key, name, role, value for 3 provinces, the cluster and the country over 5 half-years."""
    periods = ["2017-H1", "2017-H2", "2018-H1", "2018-H2", "2019-H1"]
    rows = []
    for i, p in enumerate(periods):
        rows += [
            (p, "22", "Quảng Ninh", "province", 28.0 + i * 0.95),
            (p, "31", "Hải Phòng", "province", 22.0 + i * 0.5),
            (p, "04", "Cao Bằng", "province", np.nan if p == "2018-H1" else 18.0 + i),
            (p, "dong-bac", "Cụm II – Đông Bắc", "cluster", 22.0 + i * 0.52),
            (p, "VN", "Cả nước", "national", 19.0 + i * 0.43),
        ]
    return pd.DataFrame(rows, columns=["period", "key", "name", "role", "value"])


def draw_map(edition: str = "2008", **kw) -> go.Figure:
    """A choropleth of :func:`values` on the square provinces and the test archipelagos."""
    args = dict(
        edition=edition,
        indicator_label="Tỉ lệ hội viên",
        boundaries=square_boundaries(edition),
        archipelagos=archipelagos(),
    )
    args.update(kw)
    return figures.choropleth(values(edition), **args)


def legend_names(fig: go.Figure) -> list[str]:
    """Names of the traces shown in the legend, in order."""
    return [t.name for t in fig.data if t.showlegend]
