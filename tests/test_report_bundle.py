"""Reports carry the partial plotly.js (packed) and stay small, and draw every figure from disk with the
network cut in two engines: Chromium (playwright) and Firefox ESR (WebDriver BiDi, tests/firefox_util.py).

A page with a trace type the partial bundle lacks (an analyst's pie chart) gets the full plotly.js and
draws too.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from plotly.offline import get_plotlyjs

from khanalytics.report.assets import PRINT_WIDTH_PX, UNDRAWN_TEXT
from khanalytics.report.export import PLOTLY_MIME, export_html
from tests.browser_util import CHROMIUM_ARGS, PageVisit, chromium_path, report_for, visit
from tests.firefox_util import visit_firefox

pytestmark = pytest.mark.browser

REPORTS = {"national": ("national", None), "province": ("province", "22")}  # national: the biggest, two maps
LIMIT = 1_500_000  # bytes: what a report may weigh (issue 14), one file with everything
ENGINES = {"chromium": visit, "firefox": visit_firefox}


@pytest.fixture(scope="module")
def reports(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bundle-reports")
    return {name: report_for(kind, key, sample_store, folder) for name, (kind, key) in REPORTS.items()}


def _all_drawn(v: PageVisit, name: str) -> None:
    assert v.requests_out == [] and v.console_errors == [] and v.page_errors == [], name
    assert v.drawn_in_time and v.figures and all(f["drawn"] for f in v.figures), name
    for f in v.figures:
        traces = set(f["traces"])
        if "choropleth" in traces:  # one filled path per place: the map is drawn from our GeoJSON, offline
            assert f["geoPaths"] > 0 and f["geoFilled"] == f["geoPaths"], (name, f["id"])
        if "bar" in traces:
            assert f["bars"] > 0, (name, f["id"])
        if "heatmap" in traces:
            assert f["heatmaps"] >= 1, (name, f["id"])
        if traces == {"scatter"}:
            assert f["lines"] > 0, (name, f["id"])


def test_reports_carry_the_partial_plotly_js_and_weigh_at_most_1_5_mb(reports) -> None:
    for name, path in reports.items():
        html = path.read_text(encoding="utf-8")
        assert path.stat().st_size <= LIMIT, (name, path.stat().st_size)
        assert html.count("* plotly.js v") == 1 and "(partial bundle:" in html, name
        assert get_plotlyjs()[:300] not in html, name
        assert not re.search(r"<script[^>]*\bsrc=", html), name  # still one file: nothing loaded


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_reports_draw_every_figure_offline(reports, engine: str) -> None:
    kinds: set[str] = set()
    for name, path in reports.items():
        v = ENGINES[engine](path)
        _all_drawn(v, f"{engine}: {name}")
        kinds |= {t for f in v.figures for t in f["traces"]}
        if name == "national":
            maps = [f for f in v.figures if "choropleth" in f["traces"]]
            assert len(maps) == 2 and maps[0]["geoFilled"] == 63
    assert kinds == {"choropleth", "scattergeo", "scatter", "bar", "heatmap"}  # every trace type we draw


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_pie_chart_brings_and_draws_with_the_full_plotly_js(tmp_path, engine: str) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {
            "data": [{"type": "pie", "labels": ["a", "b"], "values": [2, 3]}], "layout": {"height": 300}}}),
        nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {
            "data": [{"type": "bar", "x": ["a", "b"], "y": [2, 3]}], "layout": {"height": 300}}}),
    ]
    nb.cells = [cell]
    page = tmp_path / "pie.html"
    page.write_text(export_html(nb, title="Pie"), encoding="utf-8")
    assert page.read_text(encoding="utf-8").count(get_plotlyjs()[:300]) == 1
    v = ENGINES[engine](page)
    _all_drawn(v, engine)
    assert [f["traces"] for f in v.figures] == [["pie"], ["bar"]]


_BOXES_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(g => ({
  id: g.id, drawn: !!g._fullLayout, paper: !!g._khaPrint, width: g._fullLayout ? g._fullLayout.width : null,
  text: g._fullLayout ? '' : g.textContent}))"""


def _in_chromium(path: Path, *, init_script: str | None = None, media: str | None = None) -> tuple[list, list]:
    """The figures' boxes (see _BOXES_JS) of ``path`` opened in Chromium, and the errors logged meanwhile."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            if init_script:
                page.add_init_script(init_script)
            if media:
                page.emulate_media(media=media)
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_function("() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
                                   ".every(g => g._fullLayout || g.textContent)", timeout=20000)
            page.wait_for_timeout(300)
            boxes = page.evaluate(_BOXES_JS)
            if media == "print":  # back to the screen: the screen's layout again
                page.emulate_media(media="screen")
                page.wait_for_timeout(500)
                boxes += page.evaluate(_BOXES_JS)
        finally:
            browser.close()
    return boxes, errors


def test_figures_drawn_while_printing_are_laid_out_for_the_paper(reports) -> None:
    # the page opened in print media: plotly.js is still unpacking when printing starts
    boxes, errors = _in_chromium(reports["province"], media="print")
    assert errors == []
    half = len(boxes) // 2
    printed, screen = boxes[:half], boxes[half:]
    assert printed and all(b["drawn"] and b["paper"] and b["width"] <= PRINT_WIDTH_PX for b in printed)
    assert all(b["drawn"] and not b["paper"] and b["width"] > PRINT_WIDTH_PX for b in screen)


def test_a_browser_without_decompression_says_so_in_each_figure(reports) -> None:
    boxes, errors = _in_chromium(reports["province"], init_script="delete window.DecompressionStream;")
    assert boxes and all(not b["drawn"] and b["text"] == UNDRAWN_TEXT for b in boxes)
    assert any("plotly.js could not be unpacked" in e for e in errors)
