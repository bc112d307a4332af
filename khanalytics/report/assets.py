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

The seed, plotly.js and the figure config live in :mod:`khanalytics.figures.offline`,
which figures shown in a notebook (JupyterLab, nbconvert) share with these pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from khanalytics.figures.offline import (
    FIGURE_CONFIG,
    GEO_RESOLUTIONS,
    GEO_SCOPES,
    figure_html,
    geo_assets_js,
    plotly_js,
    plotly_scripts,
)

__all__ = ["ADAPT_JS", "FIGURE_CONFIG", "GEO_RESOLUTIONS", "GEO_SCOPES", "figure_div", "geo_assets_js", "head_scripts",
           "plotly_js"]


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


def head_scripts() -> Markup:
    """The ``<script>`` elements a page needs, in order: geo seed, plotly.js, then the phone-layout switch.

    A report template of another module can put this in its ``<head>`` and then use :func:`figure_div`.
    """
    return Markup(f"{plotly_scripts()}\n<script>{ADAPT_JS}</script>")


def figure_div(fig: go.Figure, *, div_id: str | None = None, config: Mapping[str, Any] | None = None) -> Markup:
    """One figure as a ``<div>`` plus the script that draws it (plotly.js not included).

    The id is derived from the figure's content (stable output for the same input) unless given.
    """
    if div_id is None:
        digest = hashlib.sha1(pio.to_json(fig, validate=False).encode("utf-8")).hexdigest()[:12]
        div_id = f"kha-fig-{digest}"
    out = figure_html(fig, div_id=div_id, config=config,
                      post_script="if (window.khaAdapt) { window.khaAdapt(document.getElementById('{plot_id}')); }")
    return Markup(f'<figure class="kha-figure">{out}</figure>')
