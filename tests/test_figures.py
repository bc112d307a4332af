"""Figures: what each one draws, in which classes and colours, with which (Vietnamese) text.

The drawing itself is checked in real Chromium by test_browser.py; here we check the figure objects and
the written HTML.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import shapely
from markupsafe import Markup
from shapely.geometry import shape

from khanalytics import figures, htmlpage, theme
from khanalytics.formatting import MINUS
from tests.figure_data import archipelagos, cluster_series, square_boundaries, tile_grid, values

CLUSTER_2008 = ["06", "04", "19", "20", "22", "24", "30", "31"]
EVIL = "<img src=x onerror=alert(1)>"


def _map(edition: str = "2008", **kw) -> go.Figure:
    args = dict(
        edition=edition,
        indicator_label="Tỉ lệ hội viên",
        boundaries=square_boundaries(edition),
        archipelagos=archipelagos(),
    )
    args.update(kw)
    return figures.choropleth(values(edition), **args)


def _legend_names(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data if t.showlegend]


# --- theme ----------------------------------------------------------------------------------------------------


def test_template_is_registered_and_never_abbreviates_numbers() -> None:
    t = pio.templates[theme.TEMPLATE_NAME]
    assert t.layout.separators == ",."
    for axis in (t.layout.xaxis, t.layout.yaxis):
        assert axis.exponentformat == "none"  # no "2M" / "500k"
        assert axis.separatethousands is True
    assert "Segoe UI" in t.layout.font.family and "sans-serif" in t.layout.font.family


def test_palette_and_roles() -> None:
    assert len(set(theme.PALETTE)) == len(theme.PALETTE) == 8
    roles = theme.ROLE_COLORS
    assert len({roles["cluster"], roles["national"], roles["target"], roles["province"], roles["no_data"]}) == 5
    seq = theme.sequential_colors(6)
    assert len(seq) == 6 and len(set(seq)) == 6 and roles["no_data"] not in seq
    assert theme.value_axis("%", "vi")["ticksuffix"] == " %"
    assert theme.value_axis("%", "en")["ticksuffix"] == "%"
    assert theme.value_axis(None, "vi", 0)["tickformat"] == ",.0f"


# --- legend classes -------------------------------------------------------------------------------------------


def test_fixed_bins_classify_at_the_edges() -> None:
    c = figures.legend_classes([5, 10, 19.99, 20, 40, 55, None], bins=[0, 10, 20, 30, 50])
    assert list(c.classify([5, 10, 19.99, 20, 40, 50, 55, None, np.nan])) == [0, 1, 1, 2, 3, 3, 3, -1, -1]
    # 55 is above the last edge: the last class becomes open-ended
    assert c.labels == ("0 – 10 %", "10 – 20 %", "20 – 30 %", "≥ 30 %")
    assert c.no_data_label == "Không có số liệu"
    c_en = figures.legend_classes([5, 15], bins=[0, 10, 20], lang="en")
    assert c_en.labels == ("0 – 10%", "10 – 20%") and c_en.no_data_label == "No data"


def test_quantile_classes() -> None:
    v = np.arange(1, 101, dtype=float)
    c = figures.legend_classes(v, k=4, decimals=2)
    assert c.k == 4
    counts = np.bincount(c.classify(v))
    assert counts.min() >= 20 and counts.sum() == 100
    assert c.edges[0] <= 1 and c.edges[-1] >= 100
    # fixed bins for every period, computed once
    bins = figures.quantile_bins(np.r_[v, v + 5], k=5)
    assert len(bins) == 6 and bins == sorted(bins)
    with pytest.raises(ValueError):
        figures.legend_classes(v, bins=[0, 10, 5])


def test_decimal_comma_in_class_labels() -> None:
    c = figures.legend_classes([1.5, 2.5], bins=[0, 2.5, 5.25])
    assert c.labels == ("0 – 2,5 %", "2,5 – 5,25 %")


# --- choropleth -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("edition", "n"), [("2008", 63), ("2025", 34)])
def test_choropleth_one_feature_per_province(edition: str, n: int) -> None:
    fig = _map(edition)
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
    fig = _map()
    for f in fig.data[0].geojson["features"]:
        geom = shape(f["geometry"])
        for poly in shapely.get_parts(geom):
            assert not poly.exterior.is_ccw


def test_choropleth_classes_hover_and_no_data() -> None:
    fig = _map(bins=[0, 10, 20, 30, 40])
    c = fig.data[0]
    z = dict(zip(c.locations, c.z, strict=True))
    assert z["04"] == 0  # Cao Bằng has no value: the "no data" class
    assert z["22"] == 4  # 31.8 in [30, 40): fourth class (0 is no data)
    hover = dict(zip(c.locations, c.hovertext, strict=True))
    assert hover["22"] == "Quảng Ninh: 31,80 %"
    assert hover["04"] == "Cao Bằng: không có số liệu"
    assert _legend_names(fig) == ["30 – 40 %", "20 – 30 %", "10 – 20 %", "0 – 10 %", "Không có số liệu"]
    # the stepped colour scale gives class i exactly its colour
    scale = c.colorscale
    assert scale[0][1] == scale[1][1] == theme.ROLE_COLORS["no_data"]


def test_choropleth_highlight_labels_and_archipelagos() -> None:
    fig = _map(highlight=CLUSTER_2008, highlight_label="Cụm II – Đông Bắc", focus="highlight")
    outline = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines"]
    assert len(outline) == 1 and outline[0].name == "Cụm II – Đông Bắc"
    assert outline[0].line.color == theme.ROLE_COLORS["cluster"]
    labels = next(t for t in fig.data if t.name == "labels")
    assert any(text.startswith("Quảng Ninh<br>31,8 %") for text in labels.text)
    assert "Hà Nội" in labels.text  # other provinces: the name only
    forced = _map(highlight=CLUSTER_2008, show_labels="highlight")
    assert len(next(t for t in forced.data if t.name == "labels").text) == len(CLUSTER_2008)
    assert not any(t.name == "labels" for t in _map(show_labels=False).data)
    arch = next(t for t in fig.data if t.name == "archipelagos")
    assert "Quần đảo Hoàng Sa (Đà Nẵng)" in arch.hovertext
    assert "Quần đảo Trường Sa (Khánh Hòa)" in arch.hovertext
    # zoomed on the cluster: the view is the cluster's box, not the country's
    b = square_boundaries("2008")
    minx, miny, maxx, maxy = b[b["code"].isin(CLUSTER_2008)].total_bounds
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] < minx and lon[1] > maxx and lat[0] < miny and lat[1] > maxy
    whole = _map(highlight=CLUSTER_2008).layout.geo
    assert lat[1] - lat[0] < whole.lataxis.range[1] - whole.lataxis.range[0]


def test_choropleth_in_english() -> None:
    fig = _map(lang="en", bins=[0, 10, 20, 30, 40])
    c = fig.data[0]
    hover = dict(zip(c.locations, c.hovertext, strict=True))
    assert hover["22"] == "Quang Ninh: 31.80%"
    assert hover["04"] == "Cao Bang: no data"
    assert fig.layout.separators == ".,"
    assert "No data" in _legend_names(fig)
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
        _map(highlight=["00"])


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


# --- tile map -------------------------------------------------------------------------------------------------


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


# --- trends ---------------------------------------------------------------------------------------------------


def test_trend() -> None:
    targets = pd.DataFrame({"label": ["Mục tiêu 2025"], "value": [30.0]})
    fig = figures.trend(cluster_series(), targets=targets, indicator_label="Tỉ lệ hội viên", provenance_note="Nguồn")
    assert list(fig.layout.xaxis.categoryarray) == ["6/2017", "12/2017", "6/2018", "12/2018", "6/2019"]
    by_name = {t.name: t for t in fig.data}
    cluster, nation = by_name["Cụm II – Đông Bắc"], by_name["Cả nước"]
    assert cluster.line.color == theme.ROLE_COLORS["cluster"] and cluster.line.width > 3
    assert nation.line.dash == "dash"
    provinces = [t for t in fig.data if t.legendgroup == "provinces"]
    assert len(provinces) == 3 and sum(bool(t.showlegend) for t in provinces) == 1
    assert all(t.line.width < 2 for t in provinces)
    # a missing value is a gap, not a line drawn through it
    cao_bang = next(t for t in provinces if "Cao Bằng" in t.hovertext[0])
    assert np.isnan(cao_bang.y[2]) and cao_bang.connectgaps is False
    assert "Quảng Ninh — 6/2019: 31,80 %" in next(t for t in provinces if "Quảng Ninh" in t.hovertext[0]).hovertext
    texts = [a.text for a in fig.layout.annotations]
    assert "Mục tiêu 2025: 30 %" in texts
    assert "<b>Cụm II – Đông Bắc</b>" in texts and "Quảng Ninh" in texts
    assert any(s.y0 == 30.0 and s.line.dash == "dot" for s in fig.layout.shapes)
    assert fig.layout.yaxis.ticksuffix == " %" and fig.layout.yaxis.tickformat == ",.2~f"


def test_trend_end_labels_do_not_overlap() -> None:
    s = cluster_series()
    s.loc[s["key"] == "31", "value"] = s.loc[s["key"] == "dong-bac", "value"].to_numpy() + 0.01
    fig = figures.trend(s, indicator_label="x", height=500)
    ys = sorted(a.y for a in fig.layout.annotations if a.xshift == 8)
    lo, hi = fig.layout.yaxis.range
    gap = (hi - lo) * 14 / (500 - 180)
    assert all(b - a >= gap - 1e-9 for a, b in zip(ys, ys[1:], strict=False))


def test_trend_in_english_and_bad_roles() -> None:
    fig = figures.trend(cluster_series(), indicator_label="Membership", lang="en")
    assert list(fig.layout.xaxis.categoryarray)[-1] == "Jun 2019"
    assert fig.layout.yaxis.ticksuffix == "%"
    bad = cluster_series().assign(role="region")
    with pytest.raises(ValueError, match="role"):
        figures.trend(bad, indicator_label="x")


def test_small_multiples() -> None:
    fig = figures.small_multiples(cluster_series(), indicator_label="Tỉ lệ", cols=2)
    axes = sorted(k for k in fig.layout if k.startswith("xaxis"))
    assert axes == ["xaxis", "xaxis2", "xaxis3"]  # 3 provinces, 2 columns
    lay = fig.layout
    assert lay.xaxis.domain[0] == 0 and lay.xaxis3.domain[0] == 0 and lay.xaxis2.domain[0] > 0.5
    assert lay.yaxis3.domain[1] < lay.yaxis.domain[0]  # panel 3 is on the second row
    assert lay.yaxis.range == lay.yaxis2.range == lay.yaxis3.range  # one scale, panels compare
    assert lay.yaxis2.showticklabels is False and lay.xaxis.showticklabels is False  # inner ticks hidden
    titles = [a.text for a in fig.layout.annotations]
    assert "<b>Quảng Ninh</b> · 31,8 %" in titles
    assert "<b>Cao Bằng</b> · 22,0 %" in titles
    # every panel has the province and both references
    assert len(fig.data) == 3 * 3
    assert sum(bool(t.showlegend) for t in fig.data) == 3


def test_every_figure_has_a_phone_layout() -> None:
    s = cluster_series()
    figs = [
        _map("2025"),
        figures.trend(s, indicator_label="x"),
        figures.small_multiples(s, indicator_label="x"),
        figures.tile_map(values("2025"), edition="2025", indicator_label="x", grid=tile_grid("2025")),
    ]
    for fig in figs:
        adapt = fig.layout.meta["kha_adapt"]
        assert adapt["below"] == figures.NARROW_PX
        assert set(adapt["narrow"]["layout"]) == set(adapt["wide"]["layout"])
        assert adapt["narrow"]["layout"]["height"] >= adapt["wide"]["layout"]["height"]
    trend, multiples = figs[1], figs[2]
    narrow = trend.layout.meta["kha_adapt"]["narrow"]["layout"]
    hidden = [k for k, v in narrow.items() if k.endswith(".visible") and v is False]
    assert len(hidden) == 5  # the five end labels
    narrow = multiples.layout.meta["kha_adapt"]["narrow"]["layout"]
    assert narrow["xaxis2.domain"][0] > 0.5 and narrow["xaxis3.domain"][0] == 0  # 2 columns instead of 4
    tiles = figs[3].layout.meta["kha_adapt"]["narrow"]
    assert tiles["style"]["textfont.size"] == [8] and tiles["layout"]["xaxis.domain"] == [0, 1]


# --- ranking, scorecard, cards --------------------------------------------------------------------------------


def test_ranked_bar() -> None:
    v = pd.DataFrame(
        {
            "code": ["22", "31", "04", "20"],
            "name": ["Quảng Ninh", "Hải Phòng", "Cao Bằng", "Lạng Sơn"],
            "value": [31.8, 24.1, np.nan, 1234567.0 / 100000],
            "highlight": [True, False, True, False],
        }
    )
    fig = figures.ranked_bar(
        v, reference={"Cả nước": 20.72}, indicator_label="Tỉ lệ hội viên", highlight_label="Cụm II"
    )
    assert list(fig.layout.yaxis.categoryarray) == ["Quảng Ninh", "Hải Phòng", "Lạng Sơn", "Cao Bằng"]
    texts = [x for t in fig.data for x in t.text]
    assert "31,80 %" in texts and "12,35 %" in texts
    hl = next(t for t in fig.data if t.name == "Cụm II")
    assert hl.marker.color == theme.ROLE_COLORS["cluster"]
    assert [s.x0 for s in fig.layout.shapes] == [20.72]
    ann = [a.text for a in fig.layout.annotations]
    assert "<b>Cả nước: 20,72 %</b>" in ann and "không có số liệu" in ann


def test_scorecard_heatmap() -> None:
    cells = pd.DataFrame(
        {
            "name": ["Quảng Ninh", "Quảng Ninh", "Cao Bằng", "Cao Bằng"],
            "indicator_label": ["Hội viên", "Gia đình học tập", "Hội viên", "Gia đình học tập"],
            "value": [31.8, 70.0, 18.2, np.nan],
            "status": ["above", "equal", "below", None],
        }
    )
    fig = figures.scorecard_heatmap(cells)
    hm = fig.data[0]
    assert list(hm.y) == ["Quảng Ninh", "Cao Bằng"]
    assert [list(r) for r in hm.z] == [[2, 1], [0, 3]]
    assert [list(r) for r in hm.text] == [["31,8 %", "70,0 %"], ["18,2 %", "—"]]
    assert "Cao hơn cả nước" in hm.customdata[0][0]
    assert {"Cao hơn cả nước", "Thấp hơn cả nước", "Bằng cả nước", "Không có số liệu"} <= set(_legend_names(fig))
    with pytest.raises(ValueError, match="status"):
        figures.scorecard_heatmap(cells.assign(status="better"))


def test_kpi_cards_escape_everything() -> None:
    html = figures.kpi_cards(
        [
            {
                "label": "Tỉ lệ hội viên",
                "value_text": "24,07 %",
                "change_text": "+1,08 điểm % so với cùng kỳ",
                "gap_text": "cao hơn cả nước",
                "tone": "positive",
            },
            {"label": EVIL, "value_text": "<b>1</b>", "note": "a & b", "tone": "negative"},
        ]
    )
    assert isinstance(html, Markup)
    assert "24,07 %" in html and "kha-tone-positive" in html and "kha-tone-negative" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "a &amp; b" in html
    with pytest.raises(ValueError, match="tone"):
        figures.kpi_cards([{"label": "x", "value_text": "1", "tone": "great"}])
    with pytest.raises(ValueError, match="value_text"):
        figures.kpi_cards([{"label": "x"}])


def test_no_si_suffixes_anywhere() -> None:
    # a ranking of big counts: ticks must be written out ("2.000.000"), never "2M"
    v = pd.DataFrame({"code": ["01", "79"], "name": ["Hà Nội", "Hồ Chí Minh"], "value": [2_265_712, 1_500_000]})
    fig = figures.ranked_bar(v, indicator_label="Hội viên", unit="người", decimals=0)
    assert fig.layout.xaxis.tickformat == ",.0f" and fig.layout.xaxis.exponentformat == "none"
    assert "2.265.712 người" in fig.data[0].text


# --- the HTML page --------------------------------------------------------------------------------------------


def test_page_is_self_contained(tmp_path: Path) -> None:
    fig = _map("2025")
    path = htmlpage.write_page(
        tmp_path / "p.html",
        f"Báo cáo {EVIL}",
        [
            htmlpage.heading("Bản đồ"),
            fig,
            figures.kpi_cards([{"label": "a", "value_text": "1"}]),
            f"ghi chú {EVIL}",
        ],
        subtitle="đến hết 6/2019",
        notice="Số liệu minh hoạ",
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="vi">' in text
    assert text.count("plotly.js v") == 1  # the bundle's banner: embedded exactly once
    assert not re.search(r"<script[^>]+src=", text)  # nothing loaded from elsewhere
    assert "require.js" not in text and "MathJax.Hub" not in text and "mathjax" not in text.split("<body>")[1]
    assert text.index("PlotlyGeoAssets=w.PlotlyGeoAssets") < text.index("plotly.js v")
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Số liệu minh hoạ" in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_geo_seed_covers_the_names_plotly_asks_for() -> None:
    js = htmlpage.geo_assets_js()
    for name in ("world_110m", "world_50m", "asia_50m", "north-america_110m"):
        assert f'"{name}"' in js
    empty = json.loads(re.search(r"var empty=(\{.*?\});", js).group(1))
    assert empty["type"] == "Topology" and set(empty["objects"]) >= {"land", "countries", "coastlines"}


def test_figure_div_is_stable_and_configured() -> None:
    fig = figures.trend(cluster_series(), indicator_label="x")
    a, b = htmlpage.figure_div(fig), htmlpage.figure_div(fig)
    assert a == b  # same figure, same id: reproducible reports
    assert '"displaylogo": false' in a and '"responsive": true' in a
    assert "cdn" not in a.lower()


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        htmlpage.atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_blocks_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="block"):
        htmlpage.write_page(tmp_path / "x.html", "x", [42])  # type: ignore[list-item]
    assert not (tmp_path / "x.html").exists()


def test_minus_sign_in_figures() -> None:
    s = cluster_series()
    s["value"] = s["value"] - 25
    fig = figures.trend(s, indicator_label="x")
    assert any(MINUS in h for t in fig.data for h in t.hovertext)


@pytest.mark.parametrize(("edition", "n"), [("2008", 63), ("2025", 34)])
def test_maps_use_the_shipped_boundaries_by_default(edition: str, n: int) -> None:
    fig = figures.choropleth(values(edition), edition=edition, indicator_label="x", lang="en")
    assert len(fig.data[0].geojson["features"]) == n
    note = next(a.text for a in fig.layout.annotations if a.name == "provenance")
    assert note.startswith("Boundaries: ") and "approximate" in note and "ranh giới" not in note
    arch = next(t for t in fig.data if t.name == "archipelagos")
    assert len(arch.hovertext) == 2 and all("(" in h for h in arch.hovertext)
    tiles = figures.tile_map(values(edition), edition=edition, indicator_label="x")
    assert sum(v is not None for row in tiles.data[0].z for v in row) == n


def test_gallery_on_the_sample_store(sample_store, tmp_path):
    from khanalytics.gallery import sample_data, write_gallery

    data, synthetic = sample_data(sample_store)
    assert synthetic
    rate = data["members"].query("period == '2019-H1'")
    assert rate["members"].sum() == 19_797_618  # the sample's national members at 2019-H1, not made-up ones
    page = write_gallery(tmp_path / "g.html", store=sample_store).read_text(encoding="utf-8")
    assert "bộ số liệu mẫu" in page and "minh hoạ" in page
