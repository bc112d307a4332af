"""What a page needs to draw offline: the geo seed before plotly.js, plotly.js once, stable figure blocks."""

import json
import re

import plotly.graph_objects as go

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
    scripts = str(assets.head_scripts())
    assert scripts.index("PlotlyGeoAssets") < scripts.index("plotly.js v") < scripts.index("khaAdapt")
    assert scripts.count("<script>") == scripts.count("</script>") == 3  # plotly.js cannot end its element early
