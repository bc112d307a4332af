"""index.html and manifest.json beside a batch of reports."""

import json

from khanalytics.report.factory import ReportResult
from khanalytics.report.index import write_index, write_manifest

EVIL = "<img src=x onerror=alert(1)>"


def _results(tmp_path):
    return [ReportResult("cluster", "Cụm II", str(tmp_path / "cum-2.html"), "ok", 1.0, {}),
            ReportResult("province", f"Tỉnh {EVIL}", str(tmp_path / "t.html"), "failed", 1.0, {}, error=EVIL,
                         failing_cell=3)]


def test_index_links_relatively_and_escapes_errors(tmp_path):
    text = write_index(_results(tmp_path), tmp_path, period="2019-H1").read_text(encoding="utf-8")
    assert 'href="cum-2.html"' in text and "LỖI" in text and "(ô 3)" in text
    assert EVIL not in text and "&lt;img" in text
    en = write_index(_results(tmp_path), tmp_path, period="2019-H1", lang="en").read_text(encoding="utf-8")
    assert "FAILED" in en and "(cell 3)" in en


def test_manifest_records_inputs_and_every_report(tmp_path):
    path = write_manifest(_results(tmp_path), tmp_path, period="2019-H1", store="s.duckdb", store_digest="abc",
                          seconds=2.5)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["period"] == "2019-H1" and manifest["inputs"]["store_content_sha256"] == "abc"
    assert set(manifest["inputs"]["notebooks"]) == {"cluster", "province", "national"}
    assert [r["status"] for r in manifest["reports"]] == ["ok", "failed"]


def test_index_is_a_dashboard_of_the_period(tmp_path, sample_store):
    """Issue 13, item 6: a map whose provinces link to their reports (and the same as a list), the clusters
    against the country, what failed and why; one offline file with plotly.js inlined once."""
    from tests.browser_util import visit

    ok = [ReportResult("province", "Quảng Ninh", str(tmp_path / "tinh-22.html"), "ok", 1.0,
                       {"province": "22", "store": str(sample_store), "edition": "auto"}),
          ReportResult("cluster", "Cụm II", str(tmp_path / "cum-2.html"), "ok", 1.0,
                       {"cluster": "dong-bac", "store": str(sample_store), "edition": "auto"}),
          ReportResult("province", "Hải Phòng", str(tmp_path / "tinh-31.html"), "failed", 1.0,
                       {"province": "31", "store": str(sample_store)}, error=EVIL, failing_cell=5)]
    (tmp_path / "tinh-22.html").write_text("<!DOCTYPE html><title>Quảng Ninh</title><p>QN</p>", encoding="utf-8")
    path = write_index(ok, tmp_path, period="2019-H1")
    text = path.read_text(encoding="utf-8")
    assert text.count("* plotly.js v") == 1 and text.count("kha-index-map") >= 2
    assert '{"22": "tinh-22.html"}' in text  # the map's links: only the reports that were made
    assert '<a href="tinh-22.html">Quảng Ninh</a> <span class="kha-value">31,80 %</span>' in text
    assert '<a href="cum-2.html">Cụm II – Đông Bắc</a></td><td>24,07 %</td><td class="kha-above">+3,35' in text
    assert "Báo cáo chưa làm được" in text and EVIL not in text and "(ô 5)" in text
    seen = visit(path, width=1100)
    assert seen.drawn_in_time and not seen.page_errors and not seen.requests_out
    assert seen.figures[0]["geoPaths"] == 63
    _click_province(path, "22")


def _click_province(path, code):
    """Click the province's shape on the map in Chromium: the page opens that province's report."""
    from playwright.sync_api import sync_playwright

    from tests.browser_util import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(path.resolve().as_uri())
            page.wait_for_function("() => { const d = document.getElementById('kha-index-map');"
                                   " return d && d._fullLayout && d.querySelector('.choroplethlocation'); }")
            index = page.evaluate(f"() => document.getElementById('kha-index-map').data[0].locations"
                                  f".indexOf('{code}')")
            shape = page.locator("#kha-index-map .choroplethlocation").nth(index)
            shape.scroll_into_view_if_needed()
            box = shape.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_url("**/tinh-22.html", timeout=5000)
            assert page.inner_text("body") == "QN"
        finally:
            browser.close()


def test_index_without_a_store_is_the_list(tmp_path):
    text = write_index(_results(tmp_path), tmp_path, period="2019-H1").read_text(encoding="utf-8")
    assert "kha-index-map" not in text and "<script" not in text  # no plotly.js for a list
