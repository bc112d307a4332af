"""What a page needs to draw offline: the geo seed before plotly.js, plotly.js once, stable figure blocks."""

import json
import re

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from khanalytics.report import assets


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"height": 300})


def test_geo_seed_covers_the_names_plotly_asks_for() -> None:
    js = assets.geo_assets_js()
    for name in ("world_110m", "world_50m", "asia_50m", "north-america_110m"):
        assert f'"{name}"' in js
    empty = json.loads(re.search(r"var empty=(\{.*?\});", js).group(1))
    assert empty["type"] == "Topology" and set(empty["objects"]) >= {"land", "countries", "coastlines"}


def test_figure_div_is_stable_and_configured() -> None:
    a, b = assets.figure_div(_figure()), assets.figure_div(_figure())
    assert a == b  # same figure, same id: reproducible reports
    assert '"displaylogo": false' in a and '"responsive": true' in a and "cdn" not in a.lower()


def test_head_scripts_seed_geo_assets_before_plotly_and_cannot_close_their_tag():
    for types in (None, {"bar", "pie"}, {"bar", "choropleth"}):
        scripts = str(assets.head_scripts(types))
        assert scripts.index("PlotlyGeoAssets") < scripts.index("plotly.js v") < scripts.index("khaAdapt")
        assert scripts.count("<script>") == scripts.count("</script>") == 3  # plotly.js cannot end its element
        assert scripts.count("plotly.js v") == 1


def test_head_scripts_carry_the_partial_bundle_when_it_draws_every_trace():
    assert get_plotlyjs()[:300] in assets.head_scripts()  # by default, the full plotly.js
    assert get_plotlyjs()[:300] in assets.head_scripts({"bar", "pie"})
    small = str(assets.head_scripts({"bar", "choropleth"}))
    assert get_plotlyjs()[:300] not in small and "(partial bundle:" in small
    # the readiness hook: khaPlotly set by the unpacking script, kept by the page script, awaited by khaDraw
    assert small.index("w.khaPlotly = ") < small.index("window.khaPlotly = window.khaPlotly ||")


def test_figure_div_draws_once_plotly_js_is_ready():
    div = str(assets.figure_div(_figure()))
    assert div.count("<script>") == 1 and div.count("</script>") == 1
    script = div[div.index("<script>"):]
    assert script.startswith("<script>(window.khaPlotly || Promise.resolve()).then(function(){")
    assert script.index("khaPlotly") < script.index("Plotly.newPlot") < script.index("khaAdapt")
