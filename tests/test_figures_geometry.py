"""Map geometry (figures/geometry.py): GeoJSON that d3 draws right, outlines, the view, where labels fit."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPoint, box, shape

from khanalytics.figures import geometry as gm


def test_rings_are_rounded_and_wound_clockwise() -> None:
    square = box(102.00012, 21.00049, 103.0, 22.0)  # counter-clockwise, as GeoJSON writes it
    assert square.exterior.is_ccw
    out = gm.round_geom(square)
    assert not out.exterior.is_ccw
    assert out.bounds == (102.0, 21.0, 103.0, 22.0)
    multi = gm.round_geom(shapely.MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]))
    assert all(not p.exterior.is_ccw for p in shapely.get_parts(multi))


def test_geojson_joins_on_the_code() -> None:
    frame = pd.DataFrame({"code": ["01", "22"], "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1)]})
    gj = gm.geojson(frame)
    assert [f["id"] for f in gj["features"]] == ["01", "22"]
    assert [f["properties"]["code"] for f in gj["features"]] == ["01", "22"]
    assert not shape(gj["features"][0]["geometry"]).exterior.is_ccw


def test_outline_is_the_boundary_of_the_union() -> None:
    lon, lat = gm.outline([box(0, 0, 1, 1), box(1, 0, 2, 1)])  # two neighbours: one ring, no inner border
    assert lon.count(None) == 1 and lat[-1] is None
    assert min(x for x in lon if x is not None) == 0.0 and max(x for x in lon if x is not None) == 2.0
    assert all(x != 1.0 or y in (0.0, 1.0) for x, y in zip(lon, lat, strict=True) if x is not None)
    lon, _ = gm.outline([box(0, 0, 1, 1), box(5, 5, 6, 6)])
    assert lon.count(None) == 2


def test_dots_and_views() -> None:
    lon, lat = gm.dots(MultiPoint([(111.6, 16.5), (112.3, 16.8)]))
    assert lon == [111.6, 112.3] and lat == [16.5, 16.8]
    assert gm.dots(box(0, 0, 2, 2)) == ([1.0], [1.0])
    geoms = [box(105, 20, 106, 21), box(106, 21, 107, 22)]
    lon_range, lat_range = gm.zoom_view(geoms)
    assert lon_range[0] < 105 and lon_range[1] > 107 and lat_range[0] < 20 and lat_range[1] > 22
    lon_range, lat_range = gm.whole_view(geoms, east=1.0)
    assert lon_range == pytest.approx([104.8, 108.0]) and lat_range == pytest.approx([19.7, 22.2])


def test_mercator_scale() -> None:
    assert gm.mercator_y(0) == pytest.approx(0)
    assert gm.mercator_y(60) > 60  # stretched away from the equator
    assert gm.px_per_degree([0, 10], [-1, 1], width=500, height=1000) == pytest.approx(50)
    assert gm.px_per_degree([0, 1], [0, 10], width=500, height=100) == pytest.approx(100 / gm.mercator_y(10))


def test_label_room() -> None:
    lon, lat, width, height = gm.label_room(box(0, 0, 2, 2))
    assert (lon, lat) == pytest.approx((1, 1), abs=0.01)
    assert height == pytest.approx(2, abs=0.02) and width == pytest.approx(2, abs=0.01)
    _, lat, width, height = gm.label_room(box(0, 0, 4, 2))  # long and thin: as wide as the box, as tall as it
    assert lat == pytest.approx(1, abs=0.01) and width == pytest.approx(4, abs=0.01)
    assert height == pytest.approx(2, abs=0.02)
    # a multipolygon: the largest part holds the label
    lon, _, _, _ = gm.label_room(shapely.MultiPolygon([box(0, 0, 0.1, 0.1), box(10, 0, 12, 2)]))
    assert lon == pytest.approx(11, abs=0.01)
    assert gm.label_room(shapely.Point(3, 4)) == (3.0, 4.0, 0.0, 0.0)


def test_labels_that_do_not_fit_or_overlap_are_left_out_unless_forced() -> None:
    big, tiny = box(0, 0, 3, 3), box(10, 0, 10.05, 0.05)
    items = [(big, [["Quảng Ninh", "31,8 %"], ["Quảng Ninh"]]), (tiny, [["Bắc Ninh"]])]
    placed = gm.place_labels(items, 40, font_size=11, force=False)
    assert len(placed) == 1 and placed[0][2] == ["Quảng Ninh", "31,8 %"]
    assert placed[0][:2] == pytest.approx((1.5, 1.5), abs=0.01)
    # in a flat province the value no longer fits under the name: the name alone
    flat = [(box(0, 0, 6, 1), items[0][1])]
    assert gm.place_labels(flat, 20, font_size=11, force=False)[0][2] == ["Quảng Ninh"]
    assert gm.place_labels(items[:1], 12, font_size=11, force=False) == []  # nothing fits at all
    forced = gm.place_labels(items, 12, font_size=11, force=True)
    assert [lines for _, _, lines in forced] == [["Quảng Ninh", "31,8 %"], ["Bắc Ninh"]]  # the fullest option
    squeezed = gm.place_labels(items[1:], 12, font_size=11, force=True)
    assert squeezed[0][2] == ["Bắc Ninh"]  # forced although it does not fit
    twins = [(box(0, 0, 4, 2), [["Hà Nội"]]), (box(0.1, 0, 4.1, 2), [["Hà Nội"]])]
    assert len(gm.place_labels(twins, 40, font_size=11, force=False)) == 1  # the second would overlap
    assert len(gm.place_labels(twins, 40, font_size=11, force=True)) == 2
