"""A library map in a real JupyterLab and a real Notebook 7, every host but 127.0.0.1 cut off: the provinces drawn.

JupyterLab draws ``application/vnd.plotly.v1+json`` with its own plotly.js, which asks cdn.plot.ly for a
base map (world_110m.json) even for a GeoJSON map; offline the map stays blank. The library's figures
carry a ``config.topojsonURL`` that answers from a ``data:`` URL (khanalytics.figures.offline). The same
map as a plain ``go.Figure`` is opened first, as the control: it asks the CDN and draws nothing, which is
what the test would see if the fix broke.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from nbclient import NotebookClient

from tests.browser_util import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MAP = """
import pandas as pd
from khanalytics import figures, geography

codes = geography.province_codes("2008")
values = geography.with_edition(pd.DataFrame({"code": codes, "value": [10 + i / 2 for i in range(len(codes))]}), "2008")
fig = figures.choropleth(values, edition="2008", indicator_label="Tỉ lệ hội viên")
"""
NOTEBOOKS = {
    "control.ipynb": MAP + "import plotly.graph_objects as go\n\ngo.Figure(fig)  # plotly's own display",
    "library.ipynb": MAP + "fig",
}
_MAP_FACTS = """
() => {
  const paths = Array.from(document.querySelectorAll('.jp-Notebook .choroplethlayer path.choroplethlocation'));
  return {plots: document.querySelectorAll('.jp-Notebook .js-plotly-plot, .jp-Notebook .modebar').length,
          paths: paths.length,
          filled: paths.filter(p => { const f = p.style.fill || p.getAttribute('fill'); return f && f !== 'none'; }).length};
}
"""


def _write_executed(folder: Path, name: str, source: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    nbformat.write(nb, folder / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the two front ends analysts use: the server command, its app's config class, and a notebook's page
FRONT_ENDS = {
    "jupyterlab": ("jupyter-lab", "LabApp", "lab/workspaces/{stem}/tree/{name}"),
    "notebook7": ("jupyter-notebook", "JupyterNotebookApp", "notebooks/{name}"),
}


@pytest.fixture(scope="module", params=list(FRONT_ENDS))
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab or Notebook 7 server on 127.0.0.1 serving the two executed notebooks; yields its base URL,
    token and the page path pattern."""
    command, app, page_path = FRONT_ENDS[request.param]
    root = tmp_path_factory.mktemp("lab")
    for name, source in NOTEBOOKS.items():
        _write_executed(root, name, source)
    port, token = _free_port(), secrets.token_hex(16)
    home = root / ".home"  # settings, workspaces and runtime files stay in the test's folder
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / command), "--no-browser", "--ip", "127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", "--ServerApp.allow_root=True", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", f"--{app}.extension_manager=readonly"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{command} did not start on {base} (exit code {server.poll()})", pytrace=False)
                time.sleep(0.3)
        yield f"{base}|{token}|{page_path}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _open(lab: str, names: list[str], shots: Path) -> tuple[dict[str, dict], list[str]]:
    """Open each notebook in its own page (one browser), every request off 127.0.0.1 aborted and recorded."""
    from playwright.sync_api import sync_playwright

    base, token, page_path = lab.split("|")
    outside: list[str] = []
    facts: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")

            def route(r):  # noqa: ANN001 - playwright's Route
                if urlsplit(r.request.url).hostname == "127.0.0.1":
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            for name in names:
                page = context.new_page()
                asked_before = len(outside)
                # a workspace of its own, so that JupyterLab does not reopen the other notebook in this page
                page.goto(f"{base}/{page_path.format(stem=Path(name).stem, name=name)}?token={token}",
                          wait_until="domcontentloaded")
                deadline, asked_at = time.monotonic() + 60, None
                while time.monotonic() < deadline:  # the provinces drawn, or 3 s after the base map was refused
                    found = page.evaluate(_MAP_FACTS)
                    if found["filled"] > 0:
                        break
                    if asked_at is None and len(outside) > asked_before:
                        asked_at = time.monotonic()
                    if asked_at is not None and time.monotonic() - asked_at > 3:
                        break
                    page.wait_for_timeout(250)
                page.wait_for_timeout(300)
                facts[name] = page.evaluate(_MAP_FACTS)
                page.screenshot(path=str(shots / f"{name}.png"))
                page.close()
        finally:
            browser.close()
    return facts, outside


def test_library_map_draws_in_jupyterlab_offline_and_plain_plotly_does_not(lab: str, tmp_path: Path) -> None:
    facts, outside = _open(lab, ["control.ipynb", "library.ipynb"], tmp_path)
    control, library = facts["control.ipynb"], facts["library.ipynb"]
    assert any("cdn.plot.ly" in url and "world_110m" in url for url in outside), outside  # the control asked
    assert control["plots"] > 0 and control["filled"] == 0  # ... and stayed blank: the network really is cut
    assert library["paths"] == library["filled"] == 63, (library, tmp_path)
    assert [url for url in outside if "cdn.plot.ly" not in url] == []
