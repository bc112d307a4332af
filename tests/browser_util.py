"""Open a written HTML file in real headless Chromium with the network cut, and report what happened.

Used by the browser tests (figures here, reports elsewhere). Chromium is Debian's package
(``apt-get install chromium``; ``.ci/run`` installs it); when it is missing the test fails and says
so, it is never skipped. :func:`visit` opens a page on a screen (a phone with ``mobile=True``: playwright's
device emulation, as a headless window is never narrower than 500 px) and measures what sticks out of it;
:func:`print_pdf` prints it to an A4 PDF and measures the figures as laid out for the paper, and
:func:`read_pdf` reads that PDF back.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Waits until every plotly div is drawn (its _fullLayout exists and no plot promise is pending) or
# until the geo subplots gave up (then the test reports what is missing).
_ALL_DRAWN_JS = """
() => {
  const divs = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const expected = document.querySelectorAll('.plotly-graph-div').length;
  if (divs.length < expected) return false;
  return divs.every(d => d._fullLayout && !(d._promises && d._promises.length) &&
    d.querySelector('.main-svg') !== null);
}
"""

_FIGURE_FACTS_JS = """
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
  id: d.id,
  drawn: !!d._fullLayout,
  mode: d._khaMode || null,
  visibleAnnotations: Array.from(d.querySelectorAll('.annotation')).length,
  traces: (d.data || []).map(t => t.type),
  geoPaths: d.querySelectorAll('.choroplethlayer path.choroplethlocation').length,
  geoFilled: Array.from(d.querySelectorAll('.choroplethlayer path.choroplethlocation'))
      .filter(p => { const f = p.style.fill || p.getAttribute('fill'); return f && f !== 'none'; }).length,
  bars: d.querySelectorAll('.barlayer .point path').length,
  lines: d.querySelectorAll('.scatterlayer .trace .js-line').length,
  heatmaps: d.querySelectorAll('.heatmaplayer image, .hm image').length,
  ticks: Array.from(d.querySelectorAll('.xtick text, .ytick text')).map(t => t.textContent),
  text: Array.from(d.querySelectorAll('svg.main-svg')).map(e => e.textContent).join(' '),
}))
"""


# What sticks out of the screen: the page's own width, elements past the right edge that no box of their own
# scrolls or clips, each figure's edges and the texts of its SVG cut by them (``geo``: a place name on a map),
# each table against its box.
_FIT_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const clipBox = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return p;
    }
    return null;
  };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const wider = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (!r.width || r.right <= vw + 0.5) continue;  // past the left edge is out of reach, not a scroll
    const box = clipBox(e);
    if (!box || box.getBoundingClientRect().right > vw + 0.5) wider.push(name(e) + ' ' + Math.round(r.right));
  }
  const figures = Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const g = gd.getBoundingClientRect();
    const cut = Array.from(gd.querySelectorAll('svg text')).filter(t => t.textContent.trim()).map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, left: r.left, right: r.right, width: r.width, geo: !!t.closest('.geolayer')};
    }).filter(t => t.width && t.right > g.left && t.left < g.right && (t.right > g.right + 1 || t.left < g.left - 1));
    const drawn = Array.from(gd.querySelectorAll('.main-svg')).map(m => m.getBoundingClientRect().right);
    return {id: gd.id, mode: gd._khaMode || null, left: g.left, right: Math.max(g.right, ...drawn), height: g.height,
            cut};
  });
  const tables = Array.from(document.querySelectorAll('table')).map(t => {
    const box = clipBox(t);
    return {right: t.getBoundingClientRect().right, boxRight: box ? box.getBoundingClientRect().right : null,
            boxOverflow: box ? getComputedStyle(box).overflowX : null};
  });
  return {width: vw, scrollWidth: document.documentElement.scrollWidth, wider, figures, tables};
}
"""

# The page as laid out for the paper (print media, the viewport as wide as the page inside its margins):
# each figure's box and zoom, and each line of text inside it (place names on maps aside) with its box and
# the baseline of its first glyph, from the figure's top; the data
# notices, the footer and the download links.
_PAPER_JS = """
() => {
  const figures = Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const g = gd.getBoundingClientRect();
    const strings = [];
    for (const t of gd.querySelectorAll('svg text')) {
      if (t.closest('.geolayer')) continue;  // a map's place names: those outside its frame are clipped away
      const parts = t.querySelectorAll('tspan.line').length ? t.querySelectorAll('tspan.line') : [t];
      for (const part of parts) {
        const r = part.getBoundingClientRect();
        const inside = r.left >= g.left - 1 && r.right <= g.right + 1 && r.top >= g.top - 1 && r.bottom <= g.bottom + 1;
        if (part.textContent.trim() && r.width && inside) {
          const start = part.getStartPositionOfChar(0);  // where the first glyph sits on its baseline, as in a PDF
          const at = new DOMPoint(start.x, start.y).matrixTransform(part.getScreenCTM());
          strings.push({text: part.textContent, top: r.top - g.top, bottom: r.bottom - g.top, baseline: at.y - g.top});
        }
      }
    }
    return {id: gd.id, mode: gd._khaMode || null, zoom: gd.style.zoom || '', width: g.width, height: g.height,
            right: g.right, strings};
  });
  const text = sel => Array.from(document.querySelectorAll(sel)).map(e => e.innerText.trim()).filter(Boolean);
  return {width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight, figures, notices: text('.kha-notice'),
          footers: text('.kha-footer'), downloads: text('.kha-downloads a'), headings: text('main h2')};
}
"""


def chromium_path() -> str:
    """Debian's chromium, or fail the test with the command that installs it."""
    for candidate in (os.environ.get("KHANALYTICS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Chromium is not installed: the browser tests need Debian's chromium at /usr/bin/chromium "
        "(run `apt-get install -y chromium`; .ci/run does it). Not skipping: offline rendering is a requirement.",
        pytrace=False,
    )


@dataclass
class PageVisit:
    """What happened when a page was opened."""

    url: str
    requests_out: list[str] = field(default_factory=list)  # every non-file request (all were aborted)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    drawn_in_time: bool = False
    text: str = ""
    fit: dict[str, Any] = field(default_factory=dict)  # what sticks out of the screen (see _FIT_JS)


@dataclass
class PrintVisit(PageVisit):
    """A page printed to an A4 PDF: the file and the page as laid out for the paper (see _PAPER_JS)."""

    pdf: Path | None = None
    paper: dict[str, Any] = field(default_factory=dict)


@contextmanager
def _opened(result: PageVisit, *, width: int, height: int, mobile: bool, timeout_ms: int) -> Iterator[Any]:
    """The playwright page of ``result.url`` once every figure is drawn (or ``timeout_ms`` passed), in a
    context that aborts and records every request that is not the file, and records errors and dialogs."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block",
                                          is_mobile=mobile, has_touch=mobile)

            def route(r):  # noqa: ANN001 - playwright's Route
                if r.request.url.startswith("file:"):
                    r.continue_()
                else:
                    result.requests_out.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on(
                "request",
                lambda req: (
                    None
                    if req.url.startswith(("file:", "data:", "blob:")) or req.url in result.requests_out
                    else result.requests_out.append(req.url)
                ),
            )
            page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: result.page_errors.append(str(e)))

            def on_dialog(d):  # noqa: ANN001
                result.dialogs.append(d.message)
                d.dismiss()

            page.on("dialog", on_dialog)
            page.goto(result.url, wait_until="load")
            try:
                page.wait_for_function(_ALL_DRAWN_JS, timeout=timeout_ms)
                result.drawn_in_time = True
            except PlaywrightTimeout:
                result.drawn_in_time = False
            page.wait_for_timeout(300)  # let geo subplots finish their async promise
            yield page
        finally:
            browser.close()


def visit(
    path: str | os.PathLike[str],
    *,
    screenshot: str | os.PathLike[str] | None = None,
    width: int = 1200,
    height: int = 900,
    timeout_ms: int = 20000,
    mobile: bool = False,
) -> PageVisit:
    """Open ``path`` from ``file://`` in headless Chromium with every other request aborted and recorded.

    ``mobile``: as a phone (a mobile viewport that honours the page's ``<meta name="viewport">``, touch).
    """
    result = PageVisit(url=Path(path).resolve().as_uri())
    with _opened(result, width=width, height=height, mobile=mobile, timeout_ms=timeout_ms) as page:
        result.figures = page.evaluate(_FIGURE_FACTS_JS)
        result.fit = page.evaluate(_FIT_JS)
        result.text = page.inner_text("body")
        if screenshot:
            page.screenshot(path=str(screenshot), full_page=True)
    return result


def print_pdf(
    path: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    *,
    paper_px: tuple[int, int],
    screen_px: tuple[int, int] = (1200, 900),
    timeout_ms: int = 20000,
) -> PrintVisit:
    """Open ``path`` as :func:`visit` does on a screen of ``screen_px`` and print it to ``pdf`` (A4) as
    Chromium prints ("Save as PDF"); then measure it laid out for the paper: print media in a viewport of
    ``paper_px`` (an A4 page inside its margins)."""
    result = PrintVisit(url=Path(path).resolve().as_uri(), pdf=Path(pdf))
    width, height = screen_px
    with _opened(result, width=width, height=height, mobile=False, timeout_ms=timeout_ms) as page:
        result.figures = page.evaluate(_FIGURE_FACTS_JS)
        page.pdf(path=str(pdf), format="A4", outline=True, tagged=True)
        page.set_viewport_size({"width": paper_px[0], "height": paper_px[1]})
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        result.paper = page.evaluate(_PAPER_JS)
        result.text = page.inner_text("body")
    return result


def squeeze(text: str) -> str:
    """``text`` without any whitespace, in NFC: how a line of the page compares with what a PDF holds (its
    text comes back with spaces inside words where glyphs were placed one by one)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@dataclass
class PdfPage:
    """One page of a PDF: its text squeezed, and its rows of text (the squeezed text of each baseline, top to
    bottom, with the baseline's height in points from the page's bottom edge)."""

    text: str
    rows: list[tuple[float, str]]

    def heights(self, text: str) -> list[float]:
        """The baselines of the rows holding ``text``."""
        wanted = squeeze(text)
        return [y for y, row in self.rows if wanted in row]


def read_pdf(path: str | os.PathLike[str]) -> tuple[list[PdfPage], list[tuple[str, int, float]]]:
    """The pages of a PDF, and its outline (each heading Chromium printed: title, page index, top in points)."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    pages = []
    for page in reader.pages:
        rows: dict[float, str] = {}

        def keep(text: str, cm: list[float], tm: list[float], *_: object, rows: dict = rows) -> None:
            if text.strip():  # glyph runs on one baseline make one row, in the order they were drawn
                y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
                rows[y] = rows.get(y, "") + squeeze(text)

        raw = page.extract_text(visitor_text=keep)
        pages.append(PdfPage(text=squeeze(raw), rows=sorted(rows.items(), reverse=True)))
    outline: list[tuple[str, int, float]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append((str(item.title), reader.get_destination_page_number(item), float(item.top)))

    walk(reader.outline)
    return pages, outline


_REPORTS: dict[tuple[str, str | None, str, str], Path] = {}  # one render per report and store, whichever module asks


def report_for(kind: str, key: str | None, store: Path, folder: Path, period: str = "2019-H1") -> Path:
    """The HTML report of ``kind`` (``key``: the cluster or province) rendered from ``store`` into ``folder``,
    once per test session."""
    from khanalytics.report import factory

    cached = (kind, key, str(store), period)
    if cached not in _REPORTS:
        result = factory.render(factory.plan(kind, key=key, period=period, store=store, out_dir=folder))
        assert result.status == "ok", result.error
        _REPORTS[cached] = Path(result.output)
    return _REPORTS[cached]
