"""What a page needs to draw figures from disk with no network: scripts and figure blocks.

Leaders open reports offline, often on a phone. A page carries plotly.js once,
inline (no CDN, no require.js, no MathJax); the page templates
(:mod:`khanalytics.report.pages`) put :func:`head_scripts` in their head.
Given the page's trace types, that is the small partial bundle, packed and
unpacked in the page (see :mod:`khanalytics.figures.offline`); figures then
draw once ``window.khaPlotly`` resolves (``khaDraw``, :func:`figure_div`).

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
import json
from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from khanalytics.figures.offline import (
    FIGURE_CONFIG,
    GEO_RESOLUTIONS,
    GEO_SCOPES,
    BundleError,
    figure_html,
    geo_assets_js,
    plotly_js,
    plotly_scripts,
)

__all__ = ["ADAPT_JS", "FIGURE_CONFIG", "GEO_RESOLUTIONS", "GEO_SCOPES", "PRINT_HEIGHT_PX", "PRINT_MARGIN_MM",
           "PRINT_WIDTH_PX", "figure_div", "geo_assets_js", "head_scripts", "plotly_js"]


PRINT_MARGIN_MM = 14
"""The page margin of A4 print (``@page`` in ``templates/page.css`` says the same)."""
PRINT_WIDTH_PX = int((210 - 2 * PRINT_MARGIN_MM) * 96 / 25.4)
"""The width (CSS px) of an A4 page inside its margins: printed figures are laid out at most this wide."""
PRINT_HEIGHT_PX = int((297 - 2 * PRINT_MARGIN_MM) * 96 / 25.4) - 40
"""The height (CSS px) a printed figure may take: an A4 page inside its margins, less the figure's own margins.
A taller figure is scaled down (CSS ``zoom``) to fit one page."""

_ADAPT_TEMPLATE = """
(function(){
  // Figures of khanalytics.figures may carry a phone layout in layout.meta.kha_adapt; switch to it (and
  // back) by the width the figure actually has. Printing lays every figure out again for the paper: at most
  // the page's width wide and, when taller than a page, scaled down to fit one; afterwards the screen's.
  var PRINT_W = __PRINT_W__, PRINT_H = __PRINT_H__, UNDRAWN = __UNDRAWN__;
  function modeFor(gd, width){
    var meta = gd.layout && gd.layout.meta, a = meta && meta.kha_adapt;
    return a && width && width < a.below ? "narrow" : "wide";
  }
  // One Plotly.update: the variant `mode` (when the figure has one and is not in it) and `extra` layout.
  function apply(gd, mode, extra){
    if (!window.Plotly || !gd || !gd.layout) return;
    var meta = gd.layout.meta, a = meta && meta.kha_adapt, layout = {}, style = {}, traces;
    if (a && (gd._khaMode || "wide") !== mode) {
      layout = Object.assign({}, a[mode].layout); style = a[mode].style || {}; traces = a[mode].traces;
    }
    if (a) gd._khaMode = mode;
    Object.assign(layout, extra || {});
    if (!Object.keys(layout).length && !Object.keys(style).length) return;
    Plotly.update(gd, style, layout, traces);
    if (layout.height) {  // plotly's wrapper div has the first height in its style: follow the new one
      gd.style.height = layout.height + "px";
      follow(gd, layout.height);
    }
  }
  function follow(gd, height){ if (gd.parentElement && height) gd.parentElement.style.height = height + "px"; }
  function adapt(gd){
    if (!gd || gd._khaPrint) return;
    if (printing || (print && print.matches)) { paper(gd); } else { apply(gd, modeFor(gd, gd.clientWidth)); }
  }
  function figures(){ return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot")); }
  function paper(gd){
    if (!gd.layout) return;
    var box = gd.parentElement ? gd.parentElement.clientWidth : 0;
    var width = Math.min(box || PRINT_W, PRINT_W), mode = modeFor(gd, width);
    var meta = gd.layout.meta, a = meta && meta.kha_adapt;
    var height = (a && a[mode].layout.height) || gd.layout.height || gd.clientHeight || PRINT_H;
    var zoom = Math.min(1, PRINT_H / height);
    gd._khaPrint = true;
    apply(gd, mode, {width: Math.floor(width / zoom)});
    gd.style.zoom = zoom < 1 ? String(zoom) : "";
    follow(gd, Math.ceil(height * zoom));
  }
  // A figure drawn while the page is being printed (plotly.js still unpacking at beforeprint, or the page
  // opened in print media) goes to paper.
  var printing = false;
  function toPaper(){ printing = true; figures().forEach(paper); }
  function toScreen(){
    printing = false;
    figures().forEach(function(gd){
      if (!gd._khaPrint) return;
      gd._khaPrint = false;
      gd.style.zoom = "";
      apply(gd, modeFor(gd, gd.clientWidth), {width: null});
      follow(gd, gd.layout.height);
    });
  }
  window.khaAdapt = adapt;
  // Figures draw once plotly.js is ready: at once when the page inlines the full bundle, after unpacking
  // when it carries the packed partial one (khanalytics.figures.offline); a figure's JSON may be packed too.
  var ready = window.khaPlotly = window.khaPlotly || Promise.resolve(window.Plotly);
  window.khaDraw = function(id, spec){
    var gd = document.getElementById(id);
    return ready.then(function(){
      return typeof spec === "string" ? window.khaUnpack(spec).then(JSON.parse) : spec;
    }).then(function(s){
      return window.Plotly.newPlot(gd, s.data, s.layout, s.config);
    }).then(function(){ adapt(gd); }, function(e){
      console.error("khanalytics: figure " + id + " not drawn: " + e);
      if (gd && !gd._fullLayout) gd.textContent = UNDRAWN;
    });
  };
  window.khaPrint = {toPaper: toPaper, toScreen: toScreen};
  var timer = null;
  window.addEventListener("resize", function(){
    clearTimeout(timer);
    timer = setTimeout(function(){ figures().forEach(adapt); }, 200);
  });
  // beforeprint comes first (the screen's layout, hence the cap at PRINT_W); the print media query then
  // reports the paper's layout, where the figures are laid out again at the page's width.
  window.addEventListener("beforeprint", toPaper);
  window.addEventListener("afterprint", toScreen);
  var print = window.matchMedia && window.matchMedia("print");
  if (print) {
    var onPrint = function(e){ if (e.matches) { toPaper(); } else { toScreen(); } };
    if (print.addEventListener) { print.addEventListener("change", onPrint); } else { print.addListener(onPrint); }
  }
})();
"""

UNDRAWN_TEXT = ("Không vẽ được biểu đồ: trình duyệt này quá cũ (cần Chrome 80, Firefox 113, Safari 16.4 trở lên). "
                "The figure could not be drawn: this browser is too old.")
"""What a figure's box says when it cannot be drawn (a browser without ``DecompressionStream``)."""

ADAPT_JS = (
    _ADAPT_TEMPLATE.strip().replace("__PRINT_W__", str(PRINT_WIDTH_PX)).replace("__PRINT_H__", str(PRINT_HEIGHT_PX))
    .replace("__UNDRAWN__", json.dumps(UNDRAWN_TEXT))
)
"""Page script: applies the narrow (phone) variant a figure stores in ``layout.meta["kha_adapt"]``, and lays the
figures out for A4 when the page is printed (:data:`PRINT_WIDTH_PX`, :data:`PRINT_HEIGHT_PX`), also those drawn
while printing. It also holds the readiness hook: ``window.khaPlotly`` (a promise of ``window.Plotly``, which
the packed partial bundle defines and the full bundle leaves to this script) and ``khaDraw(id, spec)``, which
draws a figure's JSON (or its :func:`~khanalytics.figures.offline.pack`-ed text) once plotly.js is ready."""


def head_scripts(trace_types: Iterable[str] | None = None) -> Markup:
    """The ``<script>`` elements a page needs, in order: geo seed, plotly.js, then the phone-layout switch and
    the readiness hook (:data:`ADAPT_JS`).

    ``trace_types``: every trace type of the page's figures (:func:`~khanalytics.figures.offline.trace_types`);
    when the partial bundle draws them all, the page carries it (packed) instead of the full plotly.js (see
    :func:`~khanalytics.figures.offline.plotly_scripts`). Without them, the full plotly.js.
    A report template of another module can put this in its ``<head>`` and then use :func:`figure_div`.
    """
    return Markup(f"{plotly_scripts(trace_types)}\n<script>{ADAPT_JS}</script>")


def figure_div(fig: go.Figure, *, div_id: str | None = None, config: Mapping[str, Any] | None = None) -> Markup:
    """One figure as a ``<div>`` plus the script that draws it (plotly.js not included).

    The id is derived from the figure's content (stable output for the same input) unless given.
    """
    if div_id is None:
        digest = hashlib.sha1(pio.to_json(fig, validate=False).encode("utf-8")).hexdigest()[:12]
        div_id = f"kha-fig-{digest}"
    out = figure_html(fig, div_id=div_id, config=config,
                      post_script="if (window.khaAdapt) { window.khaAdapt(document.getElementById('{plot_id}')); }")
    return Markup(f'<figure class="kha-figure">{_when_ready(out)}</figure>')


def _when_ready(html: str) -> str:
    """plotly's figure HTML with its one script run once plotly.js is ready (``window.khaPlotly``)."""
    start = html.find("<script")
    body_start = html.find(">", start) + 1
    end = html.rfind("</script>")
    if start < 0 or html.count("<script") != 1 or end < body_start:
        raise BundleError("HTML của plotly cho một biểu đồ không phải một <div> và một <script>",
                          "plotly's figure HTML is not one <div> and one <script>")
    body = html[body_start:end]
    return (f"{html[:start]}<script>(window.khaPlotly || Promise.resolve()).then(function(){{{body}}});"
            f"</script>{html[end + len('</script>'):]}")
