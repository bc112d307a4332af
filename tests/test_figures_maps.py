"""Maps (figures/maps.py): the choropleth and the tile grid, their classes, labels, archipelagos and edition."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from khanalytics import boundaries as reference
from khanalytics import figures, geography
from khanalytics.errors import KhanalyticsError
from khanalytics.figures import theme
from khanalytics.geography import EditionMismatchError
from tests.figure_data import (
    CLUSTER_2008,
    EVIL,
    archipelagos,
    draw_map,
    legend_names,
    square_boundaries,
    tile_grid,
    values,
)


@pytest.mark.parametrize(("edition", "n"), [("2008", 63), ("2025", 34)])
def test_choropleth_one_feature_per_province(edition: str, n: int) -> None:
    fig = draw_map(edition)
    chor = [t for t in fig.data if t.type == "choropleth"]
    assert len(chor) == 1
    c = chor[0]
    assert len(c.locations) == n and len(c.geojson["features"]) == n
    assert c.featureidkey == "properties.code"
    assert {f["properties"]["code"] for f in c.geojson["features"]} == set(c.locations)
    # no MapLibre / mapbox traces: they draw nothing from file://
    assert not {t.type for t in fig.data} & {"choroplethmap", "choroplethmapbox", "scattermap", "scattermapbox"}
    assert fig.layout.separators == ",."


def test_choropleth_rings_are_wound_for_d3() -> None:
    # d3-geo reads a counter-clockwise exterior as "the whole globe minus this square".
    fig = draw_map()
    for f in fig.data[0].geojson["features"]:
        geom = shape(f["geometry"])
        for poly in shapely.get_parts(geom):
            assert not poly.exterior.is_ccw


def test_choropleth_classes_hover_and_no_data() -> None:
    fig = draw_map(bins=[0, 10, 20, 30, 40])
    c = fig.data[0]
    z = dict(zip(c.locations, c.z, strict=True))
    assert z["04"] == 0  # Cao Bằng has no value: the "no data" class
    assert z["22"] == 4  # 31.8 in [30, 40): fourth class (0 is no data)
    hover = dict(zip(c.locations, c.hovertext, strict=True))
    assert hover["22"] == "Quảng Ninh: 31,80 %"
    assert hover["04"] == "Cao Bằng: không có số liệu"
    assert legend_names(fig) == ["30 – 40 %", "20 – 30 %", "10 – 20 %", "0 – 10 %", "Không có số liệu"]
    # the stepped colour scale gives class i exactly its colour
    scale = c.colorscale
    assert scale[0][1] == scale[1][1] == theme.ROLE_COLORS["no_data"]


def test_choropleth_highlight_labels_and_archipelagos() -> None:
    fig = draw_map(highlight=CLUSTER_2008, highlight_label="Cụm II – Đông Bắc", focus="highlight")
    # on the main map (the inset, geo2, has its own shapes)
    outline = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines" and t.geo in (None, "geo")]
    assert len(outline) == 1 and outline[0].name == "Cụm II – Đông Bắc"
    assert outline[0].line.color == theme.ROLE_COLORS["cluster"]
    labels = [text for t in fig.data if t.name == "labels" for text in t.text]  # highlighted, then the others
    assert any(text.startswith("Quảng Ninh<br>31,8 %") for text in labels)
    assert "Hà Nội" in labels  # other provinces: the name only
    forced = draw_map(highlight=CLUSTER_2008, show_labels="highlight")
    assert len(next(t for t in forced.data if t.name == "labels").text) == len(CLUSTER_2008)
    assert not any(t.name == "labels" for t in draw_map(show_labels=False).data)
    arch = next(t for t in fig.data if t.name == "archipelagos")
    assert "Quần đảo Hoàng Sa (Đà Nẵng)" in arch.hovertext
    assert "Quần đảo Trường Sa (Khánh Hòa)" in arch.hovertext
    # zoomed on the cluster: the view is the cluster's box, not the country's
    b = square_boundaries("2008")
    minx, miny, maxx, maxy = b[b["code"].isin(CLUSTER_2008)].total_bounds
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] < minx and lon[1] > maxx and lat[0] < miny and lat[1] > maxy
    whole = draw_map(highlight=CLUSTER_2008).layout.geo
    assert lat[1] - lat[0] < whole.lataxis.range[1] - whole.lataxis.range[0]


def test_choropleth_in_english() -> None:
    fig = draw_map(lang="en", bins=[0, 10, 20, 30, 40])
    c = fig.data[0]
    hover = dict(zip(c.locations, c.hovertext, strict=True))
    assert hover["22"] == "Quang Ninh: 31.80%"
    assert hover["04"] == "Cao Bang: no data"
    assert fig.layout.separators == ".,"
    assert "No data" in legend_names(fig)
    arch = next(t for t in fig.data if t.name == "archipelagos")
    assert any("(Da Nang)" in h for h in arch.hovertext)


def test_choropleth_refuses_codes_of_the_other_map() -> None:
    v = values("2025")
    with pytest.raises(ValueError, match="2008"):
        figures.choropleth(
            pd.concat([values("2008"), pd.DataFrame({"code": ["99"], "value": [1.0]})]),
            edition="2008",
            indicator_label="x",
            boundaries=square_boundaries("2008"),
            show_archipelagos=False,
        )
    with pytest.raises(ValueError, match="trùng|duplicate"):
        figures.choropleth(
            pd.concat([v, v]),
            edition="2025",
            indicator_label="x",
            boundaries=square_boundaries("2025"),
            show_archipelagos=False,
        )
    with pytest.raises(ValueError, match="highlight"):
        draw_map(highlight=["00"])


def test_choropleth_escapes_names() -> None:
    b = square_boundaries("2025")
    b.loc[b["code"] == "22", "name_vi"] = EVIL
    fig = figures.choropleth(
        values("2025"), edition="2025", indicator_label="x", boundaries=b, show_archipelagos=False, show_labels="all"
    )
    c = fig.data[0]
    hover = dict(zip(c.locations, c.hovertext, strict=True))
    assert hover["22"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    assert all("<img" not in t for t in next(t for t in fig.data if t.name == "labels").text)


def test_boundary_source_goes_into_the_note() -> None:
    b = square_boundaries("2025")
    b.attrs["source"] = "ranh giới xấp xỉ của khanalytics"
    fig = figures.choropleth(
        values("2025"),
        edition="2025",
        indicator_label="x",
        boundaries=b,
        show_archipelagos=False,
        provenance_note="Số liệu minh hoạ (tổng hợp)",
    )
    notes = [a.text for a in fig.layout.annotations if a.name == "provenance"]
    assert notes and "Số liệu minh hoạ" in notes[0] and "Ranh giới: ranh giới xấp xỉ" in notes[0]


def test_tile_map() -> None:
    fig = figures.tile_map(
        values("2025"),
        edition="2025",
        indicator_label="Tỉ lệ",
        grid=tile_grid("2025"),
        highlight=["22", "04"],
        bins=[0, 10, 20, 30, 40],
    )
    hm = fig.data[0]
    assert hm.type == "heatmap"
    grid = tile_grid("2025").set_index("code")
    r, c = grid.loc["22", ["row", "col"]]
    assert "Quảng<br>Ninh" in hm.text[r][c] and "31,8 %" in hm.text[r][c]
    assert hm.z[r][c] == 4
    assert hm.customdata[r][c] == "Quảng Ninh: 31,80 %"
    r, c = grid.loc["04", ["row", "col"]]
    assert hm.z[r][c] == 0 and "—" in hm.text[r][c]
    filled = sum(v is not None for row in hm.z for v in row)
    assert filled == 34
    assert len(fig.layout.shapes) == 2  # the two highlighted tiles
    assert fig.layout.yaxis.scaleanchor == "x"  # square tiles


@pytest.mark.parametrize(("edition", "n"), [("2008", 63), ("2025", 34)])
def test_maps_use_the_shipped_boundaries_by_default(edition: str, n: int, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KHANALYTICS_CACHE", str(tmp_path))  # no geoBoundaries fetched: the packaged ones
    fig = figures.choropleth(values(edition), edition=edition, indicator_label="x", lang="en")
    assert len(fig.data[0].geojson["features"]) == n
    note = next(a.text for a in fig.layout.annotations if a.name == "provenance")
    assert note.startswith("Boundaries: ") and "approximate" in note and "ranh giới" not in note
    arch = next(t for t in fig.data if t.name == "archipelagos")
    assert len(arch.hovertext) == 2 and all("(" in h for h in arch.hovertext)
    tiles = figures.tile_map(values(edition), edition=edition, indicator_label="x")
    assert sum(v is not None for row in tiles.data[0].z for v in row) == n



# --- the edition travels with the data --------------------------------------------------------------------------


def _plain_map(frame: pd.DataFrame, edition: str = "2025", **kw):
    return figures.choropleth(
        frame, edition=edition, indicator_label="x", boundaries=square_boundaries(edition), show_archipelagos=False,
        **kw,
    )


def test_a_frame_marked_for_the_other_map_is_refused() -> None:
    marked = geography.with_edition(values("2025"), "2008")  # codes that exist on both maps: only the mark tells
    with pytest.raises(EditionMismatchError, match="2008") as err:
        _plain_map(marked, "2025")
    assert isinstance(err.value, ValueError) and isinstance(err.value, KhanalyticsError)
    assert "choropleth" in err.value.vi and "harmonise" in err.value.en
    with pytest.raises(EditionMismatchError):
        figures.tile_map(marked, edition="2025", indicator_label="x", grid=tile_grid("2025"))


def test_a_mixed_edition_column_is_refused() -> None:
    mixed = values("2025").assign(edition=["2008", "2025"] * 17)
    with pytest.raises(EditionMismatchError, match="cả hai bản đồ|both maps"):
        _plain_map(mixed, "2025")
    with pytest.raises(EditionMismatchError):
        figures.tile_map(mixed, edition="2025", indicator_label="x", grid=tile_grid("2025"))


def test_a_matching_mark_draws() -> None:
    marked = geography.with_edition(values("2025"), "2025")
    fig = _plain_map(marked, "2025")
    assert len(fig.data[0].locations) == 34
    column = values("2008").assign(edition="2008")
    assert len(_plain_map(column, "2008").data[0].locations) == 63
    tiles = figures.tile_map(marked, edition="2025", indicator_label="x", grid=tile_grid("2025"))
    assert sum(v is not None for row in tiles.data[0].z for v in row) == 34
    assert marked.attrs["edition"] == "2025"  # the caller's frame is left as it was


def test_boundaries_marked_for_the_other_map_are_refused() -> None:
    b = geography.with_edition(square_boundaries("2025"), "2008")
    with pytest.raises(EditionMismatchError, match="boundaries"):
        figures.choropleth(values("2025"), edition="2025", indicator_label="x", boundaries=b, show_archipelagos=False)


# --- where the geometry comes from ------------------------------------------------------------------------------


def test_given_boundaries_are_used_and_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fetch(*args, **kwargs):
        raise AssertionError("the reference layer was fetched although boundaries were given")

    for name in ("best_boundaries", "provinces", "archipelagos", "tile_grid"):
        monkeypatch.setattr(reference, name, no_fetch)
    plain = pd.DataFrame(square_boundaries("2025")[["code", "geometry"]])  # a DataFrame, not a GeoDataFrame
    fig = figures.choropleth(values("2025"), edition="2025", indicator_label="x", boundaries=plain,
                             archipelagos=archipelagos())
    assert len(fig.data[0].geojson["features"]) == 34
    hover = dict(zip(fig.data[0].locations, fig.data[0].hovertext, strict=True))
    assert hover["22"] == "Quảng Ninh: 31,80 %"  # names from the gazetteer when the frame has none
    figures.tile_map(values("2025"), edition="2025", indicator_label="x", grid=tile_grid("2025"))


def test_without_boundaries_the_best_reference_layer_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = []

    def best(edition):
        asked.append(edition)
        frame = square_boundaries(edition)
        frame.attrs["provenance"] = "ranh giới đã tải / fetched boundaries"
        return frame, frame.attrs["provenance"]

    monkeypatch.setattr(reference, "best_boundaries", best)
    fig = figures.choropleth(values("2025"), edition="2025", indicator_label="x", show_archipelagos=False, lang="en")
    assert asked == ["2025"]
    note = next(a.text for a in fig.layout.annotations if a.name == "provenance")
    assert note == "Boundaries: fetched boundaries"


def test_archipelago_owner_columns_and_label_position() -> None:
    arch = gpd.GeoDataFrame(
        {"name_vi": ["Quần đảo Hoàng Sa"], "name_en": ["Paracels"], "province_vi": ["Đà Nẵng"],
         "province_en": ["Da Nang"], "label_lon": [112.0]},
        geometry=[shapely.MultiPoint([(111.6, 16.5), (112.3, 16.8)])],
        crs="EPSG:4326",
    )
    fig = draw_map("2025", archipelagos=arch)
    dots = next(t for t in fig.data if t.name == "archipelago-dots")
    assert list(dots.lon) == [111.6, 112.3] and list(dots.lat) == [16.5, 16.8]
    label = next(t for t in fig.data if t.name == "archipelagos")
    assert list(label.hovertext) == ["Quần đảo Hoàng Sa (Đà Nẵng)"] and label.lon[0] == 112.0
    assert label.lat[0] == pytest.approx(16.35)


def test_map_inputs_are_checked() -> None:
    with pytest.raises(figures.FigureTypeError, match="DataFrame"):
        figures.choropleth([("22", 1.0)], edition="2025", indicator_label="x")  # type: ignore[arg-type]
    with pytest.raises(figures.FigureError, match="value") as err:
        _plain_map(values("2025").rename(columns={"value": "rate"}))
    assert err.value.rule == "missing_columns" and "thiếu cột" in err.value.vi
    with pytest.raises(figures.FigureError, match="code"):
        figures.tile_map(values("2025"), edition="2025", indicator_label="x", grid=tile_grid("2025").drop(columns="code"))
    names = values("2025").assign(name=None)
    names.loc[names["code"] == "22", "name"] = "Tỉnh Quảng Ninh"
    fig = _plain_map(names, show_labels="all")
    assert "Tỉnh Quảng Ninh" in next(t for t in fig.data if t.name == "labels").text
    assert np.isnan(pd.to_numeric(pd.Series([None])).iloc[0])


def _provenance(fig) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "provenance")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_boundaries_are_stated_once_in_the_report_language(lang: str) -> None:
    b = square_boundaries("2008")
    b.attrs["provenance"] = "ranh giới gần đúng / approximate boundaries"
    # a report passing the boundaries' own provenance as its note must not repeat it
    fig = draw_map(boundaries=b, lang=lang, provenance_note=b.attrs["provenance"])
    note = _provenance(fig).replace("<br>", " ")
    own, other = ("ranh giới gần đúng", "approximate") if lang == "vi" else ("approximate", "ranh giới")
    assert note.count(own) == 1 and other not in note
    assert note.count("Ranh giới:" if lang == "vi" else "Boundaries:") == 1


def test_the_cluster_is_labelled_with_its_values_at_every_focus() -> None:
    vals = values("2008").set_index("code")["value"]
    for focus in ("country", "highlight"):
        fig = draw_map(highlight=CLUSTER_2008, focus=focus)
        texts = next(t for t in fig.data if t.name == "labels").text
        for code in CLUSTER_2008:
            name = geography.province_name(code, "2008")
            value = vals.get(code)
            expected = name if pd.isna(value) else f"{name}<br>"
            assert any(text.startswith(expected) for text in texts), (focus, name)
        with_value = [text for text in texts if "%" in text]
        assert len(with_value) == sum(pd.notna(vals.get(c)) for c in CLUSTER_2008)


@pytest.mark.parametrize("focus", ["country", "highlight"])
def test_the_legend_is_beside_the_map_not_over_it(focus: str) -> None:
    fig = draw_map(highlight=CLUSTER_2008, focus=focus)
    assert fig.layout.legend.x >= fig.layout.geo.domain.x[1]
    assert fig.layout.legend.xanchor == "left"
    if focus == "highlight":
        assert fig.layout.geo2.domain.x[0] >= fig.layout.geo.domain.x[1]
    # on a phone the map takes the width and the legend goes under it
    narrow = fig.layout.meta["kha_adapt"]["narrow"]["layout"]
    assert narrow["geo.domain.x"] == [0.0, 1.0] and narrow["legend.y"] <= 0 and narrow["legend.yanchor"] == "top"


def test_a_province_is_shown_with_its_neighbours_and_the_country_as_inset() -> None:
    b = reference.provinces("2008")  # the shipped polygons: provinces that share borders
    geoms = dict(zip(b["code"], b["geometry"], strict=True))
    province = "27"  # Bắc Ninh: a few pixels at country scale
    around = figures.geometry.neighbours(geoms, [province])
    assert set(around) == {"01", "24", "30", "33"}  # Hà Nội, Bắc Giang, Hải Dương, Hưng Yên
    fig = draw_map(boundaries=b, highlight=[province], focus="highlight")
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    minx, miny, maxx, maxy = shapely.union_all([geoms[c] for c in [province, *around]]).bounds
    assert lon[0] < minx and lon[1] > maxx and lat[0] < miny and lat[1] > maxy
    whole = draw_map(boundaries=b, highlight=[province]).layout.geo
    assert lon[1] - lon[0] < whole.lonaxis.range[1] - whole.lonaxis.range[0]
    inset = [t for t in fig.data if t.geo == "geo2"]
    assert {t.name for t in inset} >= {"inset", "inset-focus"}
    box = fig.layout.geo2
    assert box.lonaxis.range[1] - box.lonaxis.range[0] >= whole.lonaxis.range[1] - whole.lonaxis.range[0] - 1
    assert not any(t.geo == "geo2" for t in draw_map(boundaries=b, highlight=[province]).data)  # no inset at country scale


def test_other_provinces_names_stay_inside_the_view_and_leave_phones() -> None:
    fig = draw_map(highlight=CLUSTER_2008, highlight_label="Cụm II – Đông Bắc", focus="highlight")
    traces = [i for i, t in enumerate(fig.data) if t.name == "labels"]
    assert len(traces) == 2  # the cluster's names and values, then the other provinces' names
    (lo, hi), (south, north) = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    others = fig.data[traces[1]]
    assert all(lo < lon < hi for lon in others.lon) and all(south < lat < north for lat in others.lat)
    adapt = fig.layout.meta["kha_adapt"]
    assert adapt["narrow"]["traces"] == [traces[1]] and adapt["narrow"]["style"]["visible"] == [False]
