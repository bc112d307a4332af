"""Self-contained HTML pages of figures that open from disk with no network.

Leaders open reports offline, often on a phone. A page written here carries
plotly.js once, inline (no CDN, no require.js, no MathJax), and escapes
every text it is given.

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
import html
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from khanalytics.formatting import check_lang
from khanalytics.theme import FONT_FAMILY

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


def heading(text: str, level: int = 2) -> Markup:
    """An escaped heading block (``<h2>`` by default)."""
    if level not in range(1, 7):
        raise ValueError("level must be 1..6")
    return Markup(f"<h{level}>{html.escape(str(text))}</h{level}>")


def paragraph(text: str, css_class: str | None = None) -> Markup:
    """An escaped paragraph block."""
    cls = f' class="{html.escape(css_class)}"' if css_class else ""
    return Markup(f"<p{cls}>{html.escape(str(text))}</p>")


PAGE_CSS = f"""
*{{box-sizing:border-box}}
html{{-webkit-text-size-adjust:100%}}
body{{margin:0;font-family:{FONT_FAMILY};color:#1F2933;background:#F7F8FA;line-height:1.5}}
main{{max-width:1100px;margin:0 auto;padding:16px 20px 40px;background:#fff;min-height:100vh}}
header.kha-header{{border-bottom:3px solid #D55E00;margin-bottom:16px;padding-bottom:8px}}
h1{{font-size:1.6rem;line-height:1.25;margin:8px 0 4px}}
h2{{font-size:1.25rem;margin:28px 0 8px;border-bottom:1px solid #E4E7EB;padding-bottom:4px}}
h3{{font-size:1.05rem;margin:20px 0 6px}}
p{{margin:6px 0 10px;max-width:75ch}}
.kha-subtitle{{color:#5F6B7A;margin:0}}
.kha-notice{{background:#FFF4E5;border-left:5px solid #E69F00;padding:8px 12px;margin:12px 0;max-width:none}}
figure.kha-figure{{margin:8px 0 20px;padding:0;break-inside:avoid;page-break-inside:avoid}}
footer.kha-footer{{margin-top:32px;padding-top:8px;border-top:1px solid #E4E7EB;color:#5F6B7A;font-size:.85rem}}
@media (max-width:640px){{main{{padding:10px 8px 24px}}h1{{font-size:1.3rem}}}}
@media print{{@page{{size:A4;margin:14mm}}body{{background:#fff}}main{{max-width:none;padding:0}}
  .modebar-container{{display:none!important}}}}
""".strip()


def _block(block: object) -> str:
    if isinstance(block, go.Figure):
        return str(figure_div(block))
    if isinstance(block, Markup):
        return str(block)
    if isinstance(block, str):
        return str(paragraph(block))
    raise TypeError(f"a page block is a plotly Figure, a markupsafe.Markup or a plain str; got {type(block).__name__}")


def render_page(
    title: str,
    blocks: Iterable[go.Figure | Markup | str],
    lang: str = "vi",
    *,
    subtitle: str | None = None,
    notice: str | None = None,
    footer: str | None = None,
    extra_css: str = "",
) -> str:
    """The HTML text of a page: :func:`write_page` without the writing."""
    lang = check_lang(lang)
    body = "\n".join(_block(b) for b in blocks)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(str(title))}</title>",
        f"<style>{PAGE_CSS}\n{extra_css}</style>",
        str(head_scripts()),
        "</head>",
        "<body><main>",
        '<header class="kha-header">',
        f"<h1>{html.escape(str(title))}</h1>",
    ]
    if subtitle:
        head.append(f'<p class="kha-subtitle">{html.escape(str(subtitle))}</p>')
    head.append("</header>")
    if notice:
        head.append(f'<p class="kha-notice" role="note">{html.escape(str(notice))}</p>')
    tail = [f'<footer class="kha-footer">{html.escape(str(footer))}</footer>'] if footer else []
    return "\n".join([*head, body, *tail, "</main></body>", "</html>", ""])


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``: a reader
    (or a run killed half-way) never sees a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_page(
    path: str | os.PathLike[str],
    title: str,
    blocks: Iterable[go.Figure | Markup | str],
    lang: str = "vi",
    *,
    subtitle: str | None = None,
    notice: str | None = None,
    footer: str | None = None,
    extra_css: str = "",
) -> Path:
    """Write one self-contained HTML page and return its path.

    ``blocks``, in order: a plotly ``Figure`` (drawn), ``markupsafe.Markup`` (trusted HTML such as
    :func:`khanalytics.figures.kpi_cards` or :func:`heading`, inserted as is) or a plain ``str`` (escaped,
    as a paragraph). ``title``, ``subtitle``, ``notice`` (e.g. "Số liệu minh hoạ") and ``footer`` are
    escaped. plotly.js is inlined once; nothing is loaded from the network.
    """
    text = render_page(title, blocks, lang, subtitle=subtitle, notice=notice, footer=footer, extra_css=extra_css)
    return atomic_write_text(path, text)
