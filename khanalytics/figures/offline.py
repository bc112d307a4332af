"""Figures that draw with no network wherever a notebook shows them: JupyterLab, Notebook 7, nbconvert's HTML.

Offices often work offline, and each place a notebook's figure is drawn has its own trap:

- **JupyterLab and Notebook 7** draw ``application/vnd.plotly.v1+json`` with their own plotly.js, which
  asks ``config.topojsonURL`` (https://cdn.plot.ly/un/) for a base map even when the map is drawn from our
  GeoJSON (plotly.js #6767): offline, the map stays blank. The renderer passes the bundle's ``config`` to
  ``Plotly.react``, so our figures carry one whose ``topojsonURL`` is a ``data:`` URL holding an empty
  topology: plotly.js appends ``<name>.json``, which after the ``#`` is a fragment that a data URL
  ignores, and the "fetch" never leaves the machine. Our maps hide plotly's base layers, so nothing is lost.
- **nbconvert's HTML export** drops the plotly mimetype (plotly.py #5365): the bundle also carries
  ``text/html`` that draws the figure, with plotly.js inlined in the first figure a notebook shows (the
  geo seed of :func:`geo_assets_js` before it). "First" is kept in the IPython user namespace, so a
  kernel restart or ``%reset`` (a warm kernel starting the next report) starts again.

Report pages (:mod:`khanalytics.report.assets`) whose figures are all of the trace types our figures use
inline a much smaller plotly.js instead: :func:`plotly_scripts` with ``trace_types``. It is plotly.js's own
partial bundle of those traces (``vendor/plotly-custom.min.js``, built by ``scripts/build_plotly_bundle.py``
from the plotly.js version plotly.py ships), stored in the page gzipped and base64-encoded and unpacked by
the browser's ``DecompressionStream`` (Chromium 80+, Firefox 113+, Safari 16.4+). It loads asynchronously, so
code that draws waits for ``window.khaPlotly``, a promise of ``window.Plotly``. A page with any other trace
type (an analyst's pie chart) gets the full plotly.js, as notebooks always do: a notebook's first figure
carries plotly.js for the figures shown after it, whatever their type.

Every figure :mod:`khanalytics.figures` makes is a :class:`Figure`, a ``go.Figure`` that only changes how
it shows itself; :func:`show` does the same for any plotly figure.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from khanalytics.errors import KhanalyticsError

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_HTML_ENV = "KHANALYTICS_FIGURE_HTML"
"""Set to "0" in a kernel's environment (the report factory's kernels), a figure is shown only as its plotly JSON
in one string (:data:`FIGURE_TEXT_MIME`): the factory's pages draw from that JSON, so neither HTML nor plotly.js
need cross from the kernel to papermill, and papermill copies and re-indents one string instead of every
coordinate of a map."""
FIGURE_TEXT_MIME = "application/vnd.khanalytics.plotly.v1.text"
"""A figure's plotly JSON (data and layout) as text: what the factory's kernels show instead of plotly's mimetype."""
GEO_SCOPES = ("world", "usa", "europe", "asia", "africa", "north-america", "south-america")
GEO_RESOLUTIONS = (50, 110)
_GEO_LAYERS = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")
_SHOWN_MARK = "_khanalytics_plotlyjs_shown"
VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
BUNDLE_MANIFEST = VENDOR_DIR / "plotly-custom.json"
"""What ``scripts/build_plotly_bundle.py`` recorded of the partial bundle: plotly.js version, traces, sha256."""

FIGURE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""plotly config for figures in pages: no plotly logo, resizes with the page, no scroll-zoom trap on phones."""


def _empty_topology() -> dict[str, Any]:
    return {
        "type": "Topology",
        "arcs": [],
        "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in _GEO_LAYERS},
    }


def _topology_json() -> str:
    return json.dumps(_empty_topology(), separators=(",", ":"))


def geo_assets_js() -> str:
    """JavaScript that seeds ``window.PlotlyGeoAssets`` with empty base maps (run before plotly.js)."""
    names = [f"{s}_{r}m" for s in GEO_SCOPES for r in GEO_RESOLUTIONS]
    return (
        "(function(){var w=window;w.PlotlyGeoAssets=w.PlotlyGeoAssets||{};"
        "var t=w.PlotlyGeoAssets.topojson=w.PlotlyGeoAssets.topojson||{};"
        f"var empty={_topology_json()};"
        f"{json.dumps(names)}.forEach(function(n){{if(t[n]===undefined){{t[n]=empty;}}}});}})();"
    )


def topojson_url() -> str:
    """A ``topojsonURL`` that answers every base-map name with the empty topology, from the URL itself."""
    payload = base64.b64encode(_topology_json().encode("ascii")).decode("ascii")
    return f"data:application/json;base64,{payload}#"


def notebook_config(config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The plotly config a figure carries into a notebook: the page config plus the offline base map."""
    return {**FIGURE_CONFIG, "topojsonURL": topojson_url(), **(config or {})}


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the installed plotly (inlined once per page or notebook)."""
    return get_plotlyjs()


@cache
def bundle_manifest() -> dict[str, Any]:
    """The partial bundle's record (``vendor/plotly-custom.json``)."""
    return json.loads(BUNDLE_MANIFEST.read_text(encoding="utf-8"))


class BundleError(KhanalyticsError, RuntimeError):
    """The shipped plotly.js is not what its build recorded, or plotly's figure HTML is not what we wrap."""

    rule = "plotly_bundle"


def bundle_traces() -> frozenset[str]:
    """The trace types the partial bundle draws."""
    return frozenset(bundle_manifest()["traces"])


@cache
def custom_plotly_js() -> str:
    """The partial plotly.js bundle, checked against the sha256 its build recorded."""
    manifest = bundle_manifest()
    data = (VENDOR_DIR / manifest["file"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
        raise BundleError(f"{manifest['file']} không phải tệp mà scripts/build_plotly_bundle.py đã ghi lại: chạy lại "
                          "python scripts/build_plotly_bundle.py",
                          f"{manifest['file']} is not the file scripts/build_plotly_bundle.py recorded: run it again",
                          file=str(manifest["file"]))
    return data.decode("utf-8")


def pack(text: str) -> str:
    """``text`` gzipped (the same bytes for the same text) and base64-encoded: what ``khaUnpack`` reads."""
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")


@cache
def _packed_custom_plotly_js() -> str:
    return pack(custom_plotly_js())


def trace_types(figure: go.Figure | Mapping[str, Any]) -> set[str]:
    """The trace types of a figure or of its JSON (a trace without ``type`` is plotly's default, scatter)."""
    if isinstance(figure, go.Figure):
        return {str(t.type or "scatter") for t in figure.data}
    return {str(t.get("type") or "scatter") for t in figure.get("data") or [] if isinstance(t, Mapping)}


def bundle_covers(types: Iterable[str]) -> bool:
    """Whether the partial bundle draws every trace type of ``types``."""
    return set(types) <= bundle_traces()


_UNPACK_JS = """
(function(w){
  // plotly.js gzipped and base64-encoded (khanalytics.figures.offline): unpacked by the browser, then run.
  function unpack(b64){
    var s = atob(b64), n = s.length, bytes = new Uint8Array(n);
    for (var i = 0; i < n; i++) bytes[i] = s.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  w.khaUnpack = unpack;
  w.khaPlotly = Promise.resolve(__PACKED__).then(unpack).then(function(src){
    var el = document.createElement("script");
    el.textContent = src;
    (document.head || document.documentElement).appendChild(el);  // runs now, in the page's global scope
    if (!w.Plotly) throw new Error("plotly.js did not start");
    return w.Plotly;
  });
  w.khaPlotly.catch(function(e){ console.error("khanalytics: plotly.js could not be unpacked: " + e); });
})(window);
"""


def plotly_scripts(trace_types: Iterable[str] | None = None) -> str:
    """``<script>`` elements, in order: the geo seed, then plotly.js (which cannot end its element early).

    Without ``trace_types``, or when one of them is not in the partial bundle, plotly.js is the full bundle,
    inline, ready when its element ends (``window.Plotly``). When the partial bundle draws every trace type of
    ``trace_types`` (the page's figures), it is the partial bundle, packed (:func:`pack`) and unpacked in the
    page: ``window.khaPlotly`` is then a promise of ``window.Plotly`` that code drawing figures waits for.
    """
    seed = f"<script>{geo_assets_js()}</script>"
    if trace_types is None or not bundle_covers(trace_types):
        js = plotly_js().replace("</script", "<\\/script")
        return f"{seed}\n<script>{js}</script>"
    banner = custom_plotly_js()[: custom_plotly_js().index("*/") + 2]  # plotly.js's version and licence
    loader = _UNPACK_JS.strip().replace("__PACKED__", json.dumps(_packed_custom_plotly_js()))
    return f"{seed}\n<script>{banner}\n{loader}</script>"


def figure_html(fig: go.Figure, *, div_id: str | None = None, config: Mapping[str, Any] | None = None,
                post_script: str | None = None) -> str:
    """One figure as a ``<div>`` and the script that draws it with an already loaded plotly.js."""
    height = fig.layout.height
    return pio.to_html(
        fig, include_plotlyjs=False, include_mathjax=False, full_html=False, div_id=div_id,
        config={**FIGURE_CONFIG, **(config or {})}, default_width="100%",
        default_height=f"{int(height)}px" if height else "480px", validate=False, post_script=post_script,
    )


def _first_in_namespace() -> bool:
    """Whether this is the first figure shown since the kernel (re)started or its namespace was reset.

    Outside IPython every figure is on its own, so each one carries plotly.js.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return True
    shell = get_ipython()
    if shell is None:
        return True
    if shell.user_ns.get(_SHOWN_MARK):
        return False
    shell.user_ns[_SHOWN_MARK] = True
    shell.user_ns_hidden[_SHOWN_MARK] = True  # kept out of %who and the variable inspector
    return True


def _label(fig: go.Figure) -> str:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = (meta.get("kha_titles") or {}).get("title") or fig.layout.title.text or ""
    return f"<khanalytics Figure: {title}>" if title else "<khanalytics Figure>"


def mimebundle(fig: go.Figure, *, with_plotlyjs: bool | None = None) -> dict[str, Any]:
    """The representations a notebook stores for ``fig``: plotly JSON with the offline config, HTML, text.

    ``with_plotlyjs`` says whether the HTML inlines plotly.js; by default only the first figure of the
    notebook's namespace does.
    """
    text = pio.to_json(fig, validate=False, remove_uids=False)
    if os.environ.get(FIGURE_HTML_ENV) == "0":  # the report factory's kernels: its export draws from the JSON
        return {FIGURE_TEXT_MIME: text, "text/plain": _label(fig)}
    spec = json.loads(text)
    spec["config"] = notebook_config()
    first = _first_in_namespace() if with_plotlyjs is None else with_plotlyjs
    html = figure_html(fig, config=spec["config"])
    return {
        PLOTLY_MIME: spec,
        "text/html": f"{plotly_scripts()}\n{html}" if first else html,
        "text/plain": _label(fig),
    }


def show(fig: go.Figure) -> None:
    """Display any plotly figure the way :class:`Figure` displays itself."""
    from IPython.display import display

    display(mimebundle(fig), raw=True)


class Figure(go.Figure):
    """A plotly figure that draws offline in JupyterLab, Notebook 7 and nbconvert's HTML (see the module).

    Everything else is ``go.Figure``'s; ``go.Figure(fig)`` gives back a plain plotly figure.
    """

    def _repr_mimebundle_(self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
                          **kwargs: Any) -> dict[str, Any]:
        bundle = mimebundle(self)
        keep = set(include) if include else set(bundle)
        return {k: v for k, v in bundle.items() if k in keep and k not in set(exclude or ())}

    def _repr_html_(self) -> str:
        return mimebundle(self)["text/html"]

    def _ipython_display_(self) -> None:
        show(self)

    def show(self, *args: Any, **kwargs: Any) -> None:
        """In a notebook, show the figure as it shows itself (offline); with plotly's arguments, or outside
        IPython (a script opening a browser), plotly's own ``show``."""
        from IPython import get_ipython

        if args or kwargs or get_ipython() is None:
            super().show(*args, **kwargs)
        else:
            show(self)  # the module's function


def as_offline(fig: go.Figure) -> Figure:
    """``fig`` as a :class:`Figure`: the same object, now showing itself offline.

    A plain ``go.Figure`` changes class in place (``Figure`` adds behaviour, no state): copying it cost a
    report some 70 ms. A subclass of ``go.Figure`` of someone else's is copied instead, keeping theirs intact.
    """
    if isinstance(fig, Figure):
        return fig
    if type(fig) is go.Figure:
        fig.__class__ = Figure
        return fig  # type: ignore[return-value]
    return Figure(fig)
