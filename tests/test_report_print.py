"""Reports on paper: printed to A4 by Chromium, no chart is cut across a page.

Leaders print the reports. Each report is printed to PDF by real Chromium (playwright's ``page.pdf``, as
"Save as PDF" does) and read back with pypdf; it is also laid out for the paper in the page itself (print
media, the viewport as wide as an A4 page inside its margins), and the two must agree. Checked: the figures
are laid out at the page's width and fit one page, each chart's lines of text all print on one page (a chart
cut across a page would have its title on one and its axis or note on the next), every heading has
something after it on its page, the page count is what the layout needs, the data notice and the footer
print and the download links do not.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from khanalytics.report.assets import PRINT_HEIGHT_PX, PRINT_MARGIN_MM, PRINT_WIDTH_PX
from khanalytics.report.pages import page_css
from tests.browser_util import PdfPage, PrintVisit, print_pdf, read_pdf, report_for, squeeze

pytestmark = pytest.mark.browser

PAGE_PX = (PRINT_WIDTH_PX, int((297 - 2 * PRINT_MARGIN_MM) * 96 / 25.4))  # A4 inside its margins, in CSS px
REPORTS = {"cluster": ("cluster", "dong-bac"), "national": ("national", None)}
MAX_PAGES = {"cluster": 10, "national": 14}


@pytest.fixture(scope="module")
def printed(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[PrintVisit, list, list]]:
    """Each report printed: the visit, the PDF's pages and its outline (the headings)."""
    folder = tmp_path_factory.mktemp("print")
    out = {}
    for name, (kind, key) in REPORTS.items():
        visit = print_pdf(report_for(kind, key, sample_store, folder), folder / f"{name}.pdf", paper_px=PAGE_PX)
        out[name] = (visit, *read_pdf(visit.pdf))
    return out


def _pages_of(text: str, pages: list[PdfPage]) -> list[int]:
    """The pages whose text holds ``text`` (both squeezed: no whitespace, NFC)."""
    wanted = squeeze(text)
    return [i for i, page in enumerate(pages) if wanted in page.text]


def test_the_page_css_prints_on_a4_with_the_margin_the_script_assumes() -> None:
    assert f"@page{{size:A4;margin:{PRINT_MARGIN_MM}mm}}" in page_css()
    assert PRINT_WIDTH_PX == 687 and PAGE_PX[1] > PRINT_HEIGHT_PX


def test_reports_print_offline_without_errors(printed) -> None:
    for name, (v, pages, _) in printed.items():
        assert v.requests_out == [] and v.console_errors == [] and v.page_errors == [], name
        assert v.drawn_in_time and len(v.paper["figures"]) >= 4, name
        assert pages and all(p.text for p in pages), name


def test_figures_are_laid_out_for_the_page(printed) -> None:
    for name, (v, _, _) in printed.items():
        paper = v.paper
        assert paper["width"] == PAGE_PX[0], name
        assert paper["scrollWidth"] <= paper["width"], (name, paper["scrollWidth"])  # nothing wider than the page
        for fig in paper["figures"]:
            assert fig["mode"] == "wide", (name, fig["id"])  # a page is wider than a phone
            assert fig["right"] <= PAGE_PX[0] + 0.5 and fig["width"] >= PAGE_PX[0] - 40, (name, fig["id"], fig["width"])
            assert fig["height"] <= PRINT_HEIGHT_PX + 1, (name, fig["id"], fig["height"])
    # the national ranking (63 bars) is taller than a page: it is scaled down to fit one
    assert any(f["zoom"] for f in printed["national"][0].paper["figures"])


def test_each_chart_prints_within_one_page(printed) -> None:
    for name, (v, pages, _) in printed.items():
        for fig in v.paper["figures"]:
            missing = _missing(fig, pages)
            assert len(missing) <= len(fig["strings"]) // 10, (name, fig["id"], missing)  # the chart printed whole
            strings = [s for s in fig["strings"] if len(squeeze(s["text"])) >= 6]
            found = [(s, _pages_of(s["text"], pages)) for s in strings]
            placed = [(s, on[0]) for s, on in found if len(on) == 1]  # lines found on exactly one page
            assert {page for _, page in placed} and len({page for _, page in placed}) == 1, (
                name, fig["id"], [(s["text"], page) for s, page in placed])
            assert _top_and_bottom_on_one_page(fig, pages), (name, fig["id"])


def _missing(fig: dict, pages: list[PdfPage]) -> list[str]:
    """The chart's lines of text that no page holds (what a page edge cut off)."""
    return [s["text"] for s in fig["strings"] if not _pages_of(s["text"], pages)]


def _top_and_bottom_on_one_page(fig: dict, pages: list[PdfPage]) -> bool:
    """Whether the chart's top line (its title) and a line of its bottom quarter are printed on one page, as
    far apart as on the screen (CSS px are 0.75 pt): a chart cut across a page has them on two."""
    lines = [s for s in fig["strings"] if len(squeeze(s["text"])) >= 2]
    top = min(lines, key=lambda s: s["top"])
    bottom = [s for s in lines if s["bottom"] >= fig["height"] * 3 / 4]
    assert top["top"] <= fig["height"] / 4 and bottom, (fig["id"], top, fig["height"])  # else nothing to compare
    for page in pages:
        for y_top in page.heights(top["text"]):
            for line in bottom:
                apart = 0.75 * (line["baseline"] - top["baseline"])
                if any(abs((y_top - y) - apart) <= 4 for y in page.heights(line["text"])):
                    return True
    return False


def test_headings_never_end_a_page(printed) -> None:
    for name, (v, pages, outline) in printed.items():
        printed_headings = [squeeze(title) for title, _, _ in outline]
        for heading in v.paper["headings"]:
            assert squeeze(heading) in printed_headings, (name, heading)
        for title, index, top in outline:
            below = [row for y, row in pages[index].rows if y < top - 36]
            assert below, (name, title, index + 1)  # something follows the heading on its page


def test_page_count_is_what_the_layout_needs(printed) -> None:
    for name, (v, pages, outline) in printed.items():
        paper = v.paper
        least = math.ceil(paper["scrollHeight"] / PAGE_PX[1])  # the page laid out for the paper, end to end
        blocks = len(paper["figures"]) + len(outline)  # each kept-together block wastes less than a page
        assert least <= len(pages) <= min(least + blocks, MAX_PAGES[name]), (name, least, len(pages))


def test_notice_and_footer_print_and_download_links_do_not(printed) -> None:
    for name, (v, pages, _) in printed.items():
        notices, footers, downloads = v.paper["notices"], v.paper["footers"], v.paper["downloads"]
        assert notices and footers and downloads, name  # all three are on the page
        assert 0 in _pages_of(notices[0], pages), name  # the data notice, on the first page
        assert all(_pages_of(text, pages) for text in notices), name
        assert _pages_of(footers[-1], pages) == [len(pages) - 1], name
        assert not any(_pages_of(link, pages) for link in downloads), name


def test_the_checks_see_a_chart_cut_by_the_page(printed, tmp_path: Path) -> None:
    # The control experiment: the same report printed without its print layout (the script's relayout for the
    # paper and the CSS that keeps a chart on one page) fails the checks above: charts are cut at the page's
    # right edge or across two pages.
    v = printed["cluster"][0]
    html = Path(v.url.removeprefix("file://")).read_text(encoding="utf-8")
    assert "function toPaper(){" in html and "break-inside:avoid" in html
    html = html.replace("function toPaper(){", "function toPaper(){ return;").replace("break-inside:avoid", "")
    bare = tmp_path / "bare.html"
    bare.write_text(html, encoding="utf-8")
    control = print_pdf(bare, tmp_path / "bare.pdf", paper_px=PAGE_PX)
    pages, _ = read_pdf(control.pdf)
    across = [f["id"] for f in control.paper["figures"] if not _top_and_bottom_on_one_page(f, pages)]
    assert across, "the check would not see a chart cut across two pages"
    lost = [f["id"] for f in control.paper["figures"] if len(_missing(f, pages)) > len(f["strings"]) // 10]
    assert lost, "the check would not see a chart cut at the page's right edge"
