"""Pages of figures opened from disk in real headless Chromium, with the network cut.

Every request that is not the file itself is aborted and recorded: none may happen. The choropleth must
draw one filled path per province (plotly.js otherwise fetches a world topojson from its CDN and draws
nothing offline). Chromium is Debian's package; without it these tests fail, they are not skipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from khanalytics import figures
from khanalytics.report import assets, pages
from tests.browser_util import visit
from tests.figure_data import archipelagos, cluster_series, square_boundaries, tile_grid, values

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)>"
CLUSTER_2008 = ["06", "04", "19", "20", "22", "24", "30", "31"]


def _blocks() -> list[tuple[str, object]]:
    """(kind, block): every figure type, both maps."""
    ranking = pd.DataFrame(
        {
            "code": ["22", "31", "04"],
            "name": ["Quảng Ninh", "Hải Phòng", "Cao Bằng"],
            "value": [31.8, 24.1, 18.2],
            "highlight": [True, False, True],
        }
    )
    counts = pd.DataFrame({"code": ["01", "79"], "name": ["Hà Nội", "Hồ Chí Minh"], "value": [2_265_712, 1_500_000]})
    cells = pd.DataFrame(
        {
            "name": ["Quảng Ninh", "Cao Bằng"],
            "indicator_label": ["Hội viên", "Hội viên"],
            "value": [31.8, np.nan],
            "status": ["above", None],
        }
    )
    note = "Số liệu minh hoạ (tổng hợp)"
    return [
        ("cards", figures.kpi_cards([{"label": "Tỉ lệ hội viên", "value_text": "24,07 %", "tone": "positive"}])),
        (
            "map2008",
            figures.choropleth(
                values("2008"),
                edition="2008",
                indicator_label="Tỉ lệ hội viên",
                boundaries=square_boundaries("2008"),
                archipelagos=archipelagos(),
                highlight=CLUSTER_2008,
                provenance_note=note,
            ),
        ),
        (
            "map2025",
            figures.choropleth(
                values("2025"),
                edition="2025",
                indicator_label="Tỉ lệ hội viên",
                boundaries=square_boundaries("2025"),
                archipelagos=archipelagos(),
                show_labels="all",
                provenance_note=note,
            ),
        ),
        ("tiles", figures.tile_map(values("2025"), edition="2025", indicator_label="Tỉ lệ", grid=tile_grid("2025"))),
        (
            "trend",
            figures.trend(
                cluster_series(),
                indicator_label="Tỉ lệ hội viên",
                targets=pd.DataFrame({"label": ["Mục tiêu"], "value": [30.0]}),
            ),
        ),
        ("multiples", figures.small_multiples(cluster_series(), indicator_label="Tỉ lệ hội viên")),
        ("ranking", figures.ranked_bar(ranking, reference={"Cả nước": 20.72}, indicator_label="Tỉ lệ hội viên")),
        ("counts", figures.ranked_bar(counts, indicator_label="Hội viên", unit="người", decimals=0)),
        ("scorecard", figures.scorecard_heatmap(cells)),
    ]


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory):
    blocks = _blocks()
    path = pages.write_page(tmp_path_factory.mktemp("page") / "figures.html", "Biểu đồ", [b for _, b in blocks])
    kinds = [k for k, _ in blocks if k != "cards"]
    result = visit(path)
    assert len(result.figures) == len(kinds), result.figures
    return result, dict(zip(kinds, result.figures, strict=True))


def test_no_request_leaves_the_file(opened) -> None:
    result, _ = opened
    assert result.requests_out == [], f"requests left the page: {result.requests_out}"


def test_no_console_error(opened) -> None:
    result, _ = opened
    assert result.console_errors == [] and result.page_errors == [], (result.console_errors, result.page_errors)


def test_maps_draw_every_province(opened) -> None:
    result, figs = opened
    assert result.drawn_in_time, "plotly did not finish drawing"
    assert figs["map2008"]["geoFilled"] == 63
    assert figs["map2025"]["geoFilled"] == 34


def test_other_figures_are_drawn(opened) -> None:
    _, figs = opened
    assert all(f["drawn"] for f in figs.values())
    assert figs["tiles"]["heatmaps"] >= 1 and figs["scorecard"]["heatmaps"] >= 1
    assert figs["trend"]["lines"] >= 5  # 3 provinces, the cluster, the country
    assert figs["multiples"]["lines"] >= 9
    assert figs["ranking"]["bars"] == 3 and figs["counts"]["bars"] == 2


def test_numbers_on_screen_are_vietnamese(opened) -> None:
    result, figs = opened
    assert "31,80 %" in figs["ranking"]["text"] and "Cả nước: 20,72 %" in figs["ranking"]["text"]
    assert "24,07 %" in result.text  # the KPI card
    ticks = figs["counts"]["ticks"]
    assert any("." in t and t.replace(".", "").isdigit() for t in ticks), ticks  # "1.000.000"
    assert not any(t.rstrip().endswith(("M", "k", "G")) for t in ticks), ticks
    assert any(t.endswith(" %") for t in figs["trend"]["ticks"]), figs["trend"]["ticks"]
    assert "Không có số liệu" in figs["map2025"]["text"]


def test_phone_layout(tmp_path: Path) -> None:
    kinds = ("tiles", "trend", "multiples")
    path = pages.write_page(tmp_path / "phone.html", "Điện thoại", [b for k, b in _blocks() if k in kinds])
    wide, phone = visit(path), visit(path, width=390)
    assert phone.console_errors == [] and phone.page_errors == [] and phone.requests_out == []
    assert [f["mode"] for f in phone.figures] == ["narrow"] * 3
    assert [f["mode"] for f in wide.figures] == ["wide"] * 3
    w, p = dict(zip(kinds, wide.figures, strict=True)), dict(zip(kinds, phone.figures, strict=True))
    # the trend's five end labels are gone on the phone; every line is still drawn
    assert p["trend"]["visibleAnnotations"] == w["trend"]["visibleAnnotations"] - 5
    assert p["trend"]["lines"] == w["trend"]["lines"] and p["multiples"]["lines"] == w["multiples"]["lines"]


def test_data_cannot_run_script(tmp_path: Path) -> None:
    b = square_boundaries("2025")
    b.loc[b["code"] == "22", "name_vi"] = EVIL
    fig = figures.choropleth(
        values("2025"),
        edition="2025",
        indicator_label=EVIL,
        boundaries=b,
        show_archipelagos=False,
        show_labels="all",
        provenance_note=EVIL,
    )
    bar = figures.ranked_bar(pd.DataFrame({"code": ["22"], "name": [EVIL], "value": [1.0]}), indicator_label=EVIL)
    path = pages.write_page(
        tmp_path / "evil.html",
        EVIL,
        [
            fig,
            bar,
            figures.kpi_cards([{"label": EVIL, "value_text": EVIL, "note": EVIL}]),
            EVIL,
        ],
        subtitle=EVIL,
        notice=EVIL,
        footer=EVIL,
    )
    result = visit(path)
    assert result.dialogs == []
    assert result.requests_out == []  # an <img src=x> that ran would also have requested "x"
    assert EVIL in result.text  # shown as text
    assert result.figures[0]["geoFilled"] == 34


def test_without_the_geo_seed_plotly_goes_to_its_cdn(tmp_path: Path) -> None:
    # The control experiment: it shows the test above would catch the problem, and tells us the day
    # plotly.js stops needing the seed (then this test fails and the seed can go).
    fig = figures.choropleth(
        values("2025"),
        edition="2025",
        indicator_label="x",
        boundaries=square_boundaries("2025"),
        show_archipelagos=False,
    )
    text = pages.render_page("x", [fig]).replace(assets.geo_assets_js(), "")
    path = tmp_path / "noseed.html"
    path.write_text(text, encoding="utf-8")
    result = visit(path, timeout_ms=2500)
    assert any("cdn.plot.ly" in u for u in result.requests_out), result.requests_out
    assert result.figures[0]["geoFilled"] == 0


def test_gallery_renders_offline_with_the_shipped_boundaries(tmp_path: Path) -> None:
    from khanalytics import boundaries
    from khanalytics.report.gallery import write_gallery

    path = write_gallery(tmp_path / "gallery.html")
    result = visit(path, screenshot=tmp_path / "gallery.png")
    assert result.requests_out == [] and result.console_errors == [] and result.page_errors == []
    assert result.drawn_in_time and all(f["drawn"] for f in result.figures)
    maps = [f["geoFilled"] for f in result.figures if "choropleth" in f["traces"]]
    n08, n25 = len(boundaries.provinces("2008")), len(boundaries.provinces("2025"))
    assert (n08, n25) == (63, 34)
    assert maps == [n08, n08, n25]
    assert "Số liệu minh hoạ (tổng hợp)" in result.text
    assert (tmp_path / "gallery.png").stat().st_size > 50_000
