"""The ordinary route, in the installed package's environment: the papermill CLI, then ``jupyter nbconvert``.

``--to html --no-input`` must keep every figure (plotly ≥ 6 emits only its own mimetype, which nbconvert
drops: our figures also carry HTML), ask no CDN for anything, leave out the cells tagged ``remove`` and keep
the download links apart; the page is then opened from disk in Chromium with the network cut.
``--to khanalytics`` (our exporter, registered through an entry point) must write the page
``khanalytics render`` writes for the same executed notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from khanalytics.report import plan
from khanalytics.report.export import export_html
from tests.browser_util import visit
from tests.installed_wheel import Installed

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def executed(installed: Installed, demo_folder: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out.ipynb: the installed cluster notebook, copied out and run by the papermill CLI."""
    folder = tmp_path_factory.mktemp("route")
    store = demo_folder[0] / "data" / "khanalytics.duckdb"
    installed.run("khanalytics", "notebooks", "so", cwd=folder)
    installed.run("papermill", "so/cluster_report.ipynb", "out.ipynb", "-p", "cluster", "dong-bac",
                  "-p", "period", "2019-H1", "-p", "store", store, "--no-progress-bar", cwd=folder)
    return folder / "out.ipynb"


def test_nbconvert_html_keeps_every_figure_offline(installed: Installed, executed: Path) -> None:
    installed.run("jupyter", "nbconvert", "--to", "html", "--no-input", executed.name, cwd=executed.parent)
    page = executed.with_suffix(".html")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=[\"']?(https?:)?//", text)  # no require.js, no MathJax from a CDN
    assert text.count("plotly.js v") == 1 and text.index("PlotlyGeoAssets") < text.index("plotly.js v")
    assert "Parameters are in the next cell" not in text  # the lesson tagged "remove"
    assert "from khanalytics.report import" not in text  # no code
    assert re.search(r"</a> · <a download=", text)  # download links kept apart without our CSS
    seen = visit(page, timeout_ms=30000)
    assert seen.requests_out == [] and seen.page_errors == [] and seen.drawn_in_time
    kinds = [f["traces"][0] for f in seen.figures]
    assert kinds == ["choropleth", "scatter", "bar", "heatmap", "scatter"]  # the last: the title dashboard
    the_map, trend, ranking, scorecard, titles = seen.figures
    assert the_map["geoFilled"] == 63 and trend["lines"] >= 3 and ranking["bars"] == 8 and scorecard["heatmaps"] == 1
    assert titles["lines"] >= 15  # five panels: recognised, registered and the country in each
    assert "2.265.712" in seen.text and "24,07" in seen.text


def test_nbconvert_to_khanalytics_writes_the_page_render_writes(installed: Installed, executed: Path) -> None:
    installed.run("jupyter", "nbconvert", "--to", "khanalytics", executed.name, "--output", "same",
                  cwd=executed.parent)
    written = (executed.parent / "same.html").read_text(encoding="utf-8")
    job = plan("cluster", key="dong-bac", period="2019-H1")
    assert written == export_html(nbformat.read(executed, as_version=4), title=job.title, lang="vi")
    assert f"<title>{job.title}</title>" in written and written.count("plotly.js v") == 1
