"""What a page needs to draw figures from disk with no network: scripts and figure blocks.

Leaders open reports offline, often on a phone. A page carries plotly.js once,
inline (no CDN, no require.js, no MathJax); the page templates
(:mod:`khanalytics.report.pages`) put :func:`head_scripts` in their head.

The one trap: ``go.Choropleth`` asks plotly.js for a base-map topojson named
``<scope>_<resolution>m`` (``world_110m``) from ``config.topojsonURL``
(https://cdn.plot.ly/un/) even when the map is drawn from our own GeoJSON
(plotly.js #6767): any trace with a ``locationmode`` — and a GeoJSON
choropleth has ``"geojson-id"`` — triggers the fetch, and offline the whole
map stays blank. plotly.js only fetches when ``window.PlotlyGeoAssets.topojson``
has no entry of that name, and it keeps a ``PlotlyGeoAssets`` object defined
before it loads. So the page defines one first, with a tiny empty topology
(every layer an empty GeometryCollection) for every scope and resolution.
Our maps hide plotly's base layers (``geo.visible=False``) and draw only the
provinces, so nothing is lost; plotly's built-in country outlines are not
available in these pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

GEO_SCOPES = ("world", "usa", "europe", "asia", "africa", "north-america", "south-america")
GEO_RESOLUTIONS = (50, 110)
_GEO_LAYERS = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")

FIGURE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""plotly config for figures in pages: no plotly logo, resizes with the page, no scroll-zoom trap on phones."""


def _empty_topology() -> dict:
    return {
        "type": "Topology",
        "arcs": [],
        "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in _GEO_LAYERS},
    }


def geo_assets_js() -> str:
    """JavaScript that seeds ``window.PlotlyGeoAssets`` with empty base maps (run before plotly.js)."""
    names = [f"{s}_{r}m" for s in GEO_SCOPES for r in GEO_RESOLUTIONS]
    return (
        "(function(){var w=window;w.PlotlyGeoAssets=w.PlotlyGeoAssets||{};"
        "var t=w.PlotlyGeoAssets.topojson=w.PlotlyGeoAssets.topojson||{};"
        f"var empty={json.dumps(_empty_topology(), separators=(',', ':'))};"
        f"{json.dumps(names)}.forEach(function(n){{if(t[n]===undefined){{t[n]=empty;}}}});}})();"
    )


ADAPT_JS = """
(function(){
  // Figures of khanalytics.figures may carry a phone layout in layout.meta.kha_adapt; switch to it (and
  // back) by the width the figure actually has.
  function adapt(gd){
    var meta = gd && gd.layout && gd.layout.meta, a = meta && meta.kha_adapt;
    if (!a || !window.Plotly) return;
    var mode = gd.clientWidth && gd.clientWidth < a.below ? "narrow" : "wide";
    if ((gd._khaMode || "wide") === mode) { gd._khaMode = mode; return; }
    gd._khaMode = mode;
    var v = a[mode], keys = Object.keys(v.style || {});
    var p = keys.length ? Plotly.restyle(gd, v.style, v.traces) : Promise.resolve();
    p.then(function(){ return Plotly.relayout(gd, v.layout); }).then(function(){
      if (v.layout.height) {  // plotly's wrapper div has the first height in its style: follow the new one
        gd.style.height = v.layout.height + "px";
        if (gd.parentElement) { gd.parentElement.style.height = v.layout.height + "px"; }
      }
    });
  }
  window.khaAdapt = adapt;
  var timer = null;
  window.addEventListener("resize", function(){
    clearTimeout(timer);
    timer = setTimeout(function(){ document.querySelectorAll(".js-plotly-plot").forEach(adapt); }, 200);
  });
})();
""".strip()
"""Page script: applies the narrow (phone) variant a figure stores in ``layout.meta["kha_adapt"]``."""


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly (inlined once per page)."""
    return get_plotlyjs()


def head_scripts() -> Markup:
    """The ``<script>`` elements a page needs, in order: geo seed, plotly.js, then the phone-layout switch.

    A report template of another module can put this in its ``<head>`` and then use :func:`figure_div`.
    """
    js = plotly_js().replace("</script", "<\\/script")
    return Markup(f"<script>{geo_assets_js()}</script>\n<script>{js}</script>\n<script>{ADAPT_JS}</script>")


def figure_div(fig: go.Figure, *, div_id: str | None = None, config: Mapping[str, Any] | None = None) -> Markup:
    """One figure as a ``<div>`` plus the script that draws it (plotly.js not included).

    The id is derived from the figure's content (stable output for the same input) unless given.
    """
    spec = fig.to_plotly_json()
    if div_id is None:
        digest = hashlib.sha1(pio.to_json(fig, validate=False).encode("utf-8")).hexdigest()[:12]
        div_id = f"kha-fig-{digest}"
    height = spec.get("layout", {}).get("height")
    out = pio.to_html(
        fig,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=div_id,
        config={**FIGURE_CONFIG, **(config or {})},
        default_width="100%",
        default_height=f"{int(height)}px" if height else "480px",
        validate=False,
        post_script="if (window.khaAdapt) { window.khaAdapt(document.getElementById('{plot_id}')); }",
    )
    return Markup(f'<figure class="kha-figure">{out}</figure>')
