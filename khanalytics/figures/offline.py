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

Every figure :mod:`khanalytics.figures` makes is a :class:`Figure`, a ``go.Figure`` that only changes how
it shows itself; :func:`show` does the same for any plotly figure.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

PLOTLY_MIME = "application/vnd.plotly.v1+json"
GEO_SCOPES = ("world", "usa", "europe", "asia", "africa", "north-america", "south-america")
GEO_RESOLUTIONS = (50, 110)
_GEO_LAYERS = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")
_SHOWN_MARK = "_khanalytics_plotlyjs_shown"

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


def plotly_scripts() -> str:
    """``<script>`` elements, in order: the geo seed, then plotly.js (which cannot end its element early)."""
    js = plotly_js().replace("</script", "<\\/script")
    return f"<script>{geo_assets_js()}</script>\n<script>{js}</script>"


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
    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=False))
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
    """``fig`` as a :class:`Figure` (the same object when it already is one)."""
    return fig if isinstance(fig, Figure) else Figure(fig)
