"""Figures shown in a notebook carry what JupyterLab and nbconvert need to draw them offline."""

from __future__ import annotations

import base64
import copy
import json
import pickle

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from nbclient import NotebookClient

from khanalytics import figures
from khanalytics.figures import offline


def _bar() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"height": 300})


def test_topojson_url_answers_every_name_with_the_empty_topology() -> None:
    url = offline.topojson_url()
    # plotly.js asks for url + "/" + name + ".json": after the "#" that is a fragment, ignored by a data URL
    asked = url + "/world_110m.json"
    header, payload = asked.split("#", 1)[0].split(",", 1)
    assert header == "data:application/json;base64"
    topology = json.loads(base64.b64decode(payload))
    assert topology["type"] == "Topology" and topology["objects"]["countries"]["geometries"] == []


def test_bundle_carries_config_html_and_text() -> None:
    bundle = offline.mimebundle(_bar(), with_plotlyjs=False)
    spec = bundle[offline.PLOTLY_MIME]
    assert spec["config"]["topojsonURL"] == offline.topojson_url() and spec["config"]["displaylogo"] is False
    assert spec["data"][0]["type"] == "bar" and spec["layout"]["height"] == 300
    html = bundle["text/html"]
    assert "Plotly.newPlot" in html and "plotly.js v" not in html and "height:300px" in html
    assert "cdn" not in html.lower() and bundle["text/plain"].startswith("<khanalytics Figure")


def test_first_figure_inlines_the_geo_seed_then_plotly_js() -> None:
    html = offline.mimebundle(_bar(), with_plotlyjs=True)["text/html"]
    assert html.count("plotly.js v") == 1
    assert html.index("PlotlyGeoAssets") < html.index("plotly.js v") < html.index("Plotly.newPlot")


def test_repr_mimebundle_honours_include_and_exclude() -> None:
    fig = offline.as_offline(_bar())
    assert set(fig._repr_mimebundle_(include=[offline.PLOTLY_MIME])) == {offline.PLOTLY_MIME}
    assert offline.PLOTLY_MIME not in fig._repr_mimebundle_(exclude=[offline.PLOTLY_MIME])


def test_library_figures_are_offline_figures_and_stay_so() -> None:
    values = pd.DataFrame({"code": ["22", "20"], "name": ["Quảng Ninh", "Lạng Sơn"], "value": [31.8, 20.3]})
    fig = figures.ranked_bar(values, indicator_label="Tỉ lệ", unit="%")
    assert isinstance(fig, offline.Figure)
    assert isinstance(fig.update_layout(height=400), offline.Figure)
    assert isinstance(copy.deepcopy(fig), offline.Figure) and isinstance(pickle.loads(pickle.dumps(fig)), offline.Figure)
    assert type(go.Figure(fig)) is go.Figure  # the way back to plotly's own display


@pytest.mark.slow
def test_plotly_js_once_per_notebook_namespace_in_a_real_kernel() -> None:
    show = "from khanalytics.figures.offline import show\nimport plotly.graph_objects as go\nshow(go.Figure(go.Bar(y=[1])))"
    method = "from khanalytics.figures.offline import as_offline\nas_offline(go.Figure(go.Bar(y=[1]))).show()"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(show), nbformat.v4.new_code_cell(show),
                                         nbformat.v4.new_code_cell("%reset -f\n" + show),
                                         nbformat.v4.new_code_cell(method)])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    carried = [c.outputs[0]["data"]["text/html"].count("plotly.js v") for c in nb.cells]
    assert carried == [1, 0, 1, 0]  # the first figure, and again after a reset (a warm kernel's next report)
    assert nb.cells[3].outputs[0]["data"][offline.PLOTLY_MIME]["config"]["topojsonURL"] == offline.topojson_url()
