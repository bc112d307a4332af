"""Reports on a phone: from 360 px up, nothing is wider than the screen.

A leader reads the report on a phone: the page must never scroll sideways, every chart must fit the screen
(in its phone layout, with no label cut at an edge) and a table wider than the screen scrolls inside its own
box. Measured in real Chromium with playwright's device emulation at 375 and 360 px (a headless window is
never narrower than 500 px), on the cluster report and the national one (63 provinces, the longest names);
the screenshots are kept for a person to look at.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from markupsafe import Markup

from khanalytics.report import pages
from tests.browser_util import PageVisit, report_for, visit

pytestmark = pytest.mark.browser

PHONES = (375, 360)
REPORTS = {"cluster": ("cluster", "dong-bac"), "national": ("national", None)}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("phone-shots")


@pytest.fixture(scope="module")
def phone(sample_store: Path, tmp_path_factory: pytest.TempPathFactory, shots: Path) -> dict[tuple[str, int], PageVisit]:
    """Each report opened on each phone width, with a full-page screenshot."""
    folder = tmp_path_factory.mktemp("phone-reports")
    out = {}
    for name, (kind, key) in REPORTS.items():
        path = report_for(kind, key, sample_store, folder)
        for width in PHONES:
            out[name, width] = visit(path, width=width, height=812, mobile=True, screenshot=shots / f"{name}-{width}.png")
    return out


def test_reports_open_and_draw_on_a_phone(phone) -> None:
    for (name, width), v in phone.items():
        assert v.requests_out == [] and v.console_errors == [] and v.page_errors == [], (name, width)
        assert v.drawn_in_time and v.figures and all(f["drawn"] for f in v.figures), (name, width)


def test_nothing_is_wider_than_the_screen(phone) -> None:
    for (name, width), v in phone.items():
        assert v.fit["width"] == width, (name, v.fit["width"])
        assert v.fit["scrollWidth"] <= width, (name, width, v.fit["scrollWidth"])
        assert v.fit["wider"] == [], (name, width, v.fit["wider"])


def test_every_chart_fits_in_its_phone_layout(phone) -> None:
    for (name, width), v in phone.items():
        for fig in v.fit["figures"]:
            assert fig["mode"] == "narrow", (name, width, fig["id"])
            assert fig["left"] >= 0 and fig["right"] <= width, (name, width, fig["id"], fig["right"])
            cut = [t for t in fig["cut"] if not t["geo"]]
            assert cut == [], (name, width, fig["id"], cut)  # titles, legends, ticks, notes fit the chart


def test_map_place_names_are_not_cut(phone) -> None:
    for (name, width), v in phone.items():
        for fig in v.fit["figures"]:
            assert [t["text"] for t in fig["cut"] if t["geo"]] == [], (name, width, fig["id"])


def test_tables_scroll_inside_their_own_box(phone) -> None:
    for (name, width), v in phone.items():
        tables = v.fit["tables"]
        assert tables, name
        for table in tables:
            assert table["boxRight"] is not None and table["boxRight"] <= width, (name, width, table)
            if table["right"] > width:
                assert table["boxOverflow"] in ("auto", "scroll"), (name, width, table)
    # the organisation table (nine columns of figures) is wider than a phone: it is the case that scrolls
    assert any(t["right"] > 375 for t in phone["cluster", 375].fit["tables"])


def test_screenshots_are_taken_at_the_phone_width(phone, shots: Path) -> None:
    for name, width in phone:
        png = (shots / f"{name}-{width}.png").read_bytes()
        shot_width, shot_height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR
        assert shot_width == width and shot_height > 3000, (name, width, shot_width, shot_height)


def test_the_measure_sees_what_sticks_out(tmp_path: Path) -> None:
    # The control experiment: a block wider than the phone, a chart drawn at a fixed 700 px and a label
    # running off a chart are each seen, so the tests above could fail.
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"width": 700, "height": 300})
    label = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"height": 300})
    label.add_annotation(text="một nhãn rất dài " * 8, x=0, xref="paper", xanchor="left", y=1, yref="paper",
                         showarrow=False)
    path = pages.write_page(tmp_path / "wide.html", "Rộng", [Markup('<div style="width:600px">x</div>'), fig, label])
    v = visit(path, width=375, height=812, mobile=True)
    assert v.fit["scrollWidth"] > 375 and v.fit["wider"]
    assert v.fit["figures"][0]["right"] > 375
    assert v.fit["figures"][1]["cut"] and "một nhãn" in v.fit["figures"][1]["cut"][0]["text"]
