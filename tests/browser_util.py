"""Open a written HTML file in real headless Chromium with the network cut, and report what happened.

Used by the browser tests (figures here, reports elsewhere). Chromium is Debian's package
(``apt-get install chromium``; ``.ci/run`` installs it); when it is missing the test fails and says
so, it is never skipped.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

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


def visit(
    path: str | os.PathLike[str],
    *,
    screenshot: str | os.PathLike[str] | None = None,
    width: int = 1200,
    height: int = 900,
    timeout_ms: int = 20000,
) -> PageVisit:
    """Open ``path`` from ``file://`` in headless Chromium with every other request aborted and recorded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    url = Path(path).resolve().as_uri()
    result = PageVisit(url=url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")

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
            page.goto(url, wait_until="load")
            try:
                page.wait_for_function(_ALL_DRAWN_JS, timeout=timeout_ms)
                result.drawn_in_time = True
            except PlaywrightTimeout:
                result.drawn_in_time = False
            page.wait_for_timeout(300)  # let geo subplots finish their async promise
            result.figures = page.evaluate(_FIGURE_FACTS_JS)
            result.text = page.inner_text("body")
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return result
