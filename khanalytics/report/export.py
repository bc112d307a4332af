"""From an executed notebook to one self-contained HTML page (our template: no code, no CDN).

Only what the library built reaches the page as HTML: sections' HTML (marked
in the output's metadata), plotly figures (drawn by the inlined plotly.js),
images and markdown. When every figure is of a trace type our figures use, the
page carries the small partial plotly.js and the figures' JSON packed (gzip,
base64; see :mod:`khanalytics.figures.offline`), which keeps a national report
far below the full plotly.js's 4.8 MB; any other trace type (an analyst's pie
chart) brings the full plotly.js and plain figure JSON. Code, streams,
warnings and any HTML or repr the library did not build are left out or shown
as escaped text.
"""

from __future__ import annotations

import json
import re

import nbformat
from markdown_it import MarkdownIt
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from khanalytics.figures.offline import FIGURE_TEXT_MIME, PLOTLY_MIME, bundle_covers, pack, trace_types
from khanalytics.report.assets import FIGURE_CONFIG, head_scripts
from khanalytics.report.pages import fragment, render

__all__ = ["HIDDEN_TAGS", "PLOTLY_MIME", "RESET_TAG", "export_html", "notebook_blocks", "notebook_trace_types"]
RESET_TAG = "khanalytics-reset"
HIDDEN_TAGS = frozenset({"remove", "hide", "parameters", "injected-parameters", RESET_TAG})
"""Cells with one of these tags never reach the page."""

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def _plotly_block(spec: dict, index: int, packed: bool = False) -> Markup:
    height = (spec.get("layout") or {}).get("height")
    payload = to_json_plotly({"data": spec.get("data", []), "layout": spec.get("layout", {}),
                              "config": FIGURE_CONFIG})
    payload = f'"{pack(payload)}"' if packed else payload.replace("</", "<\\/")  # base64: no quote, no "<"
    return Markup(render("figure.html.j2", div_id=f"kha-fig-{index}", payload=Markup(payload),
                         height=int(height) if isinstance(height, int | float) else None).strip())


def _figure(data: dict) -> dict | None:
    """The plotly figure an output carries: plotly's JSON, or the same as text (the factory's kernels)."""
    if PLOTLY_MIME in data:
        return data[PLOTLY_MIME]
    if FIGURE_TEXT_MIME in data:
        return json.loads(data[FIGURE_TEXT_MIME])
    return None


def _is_ours(output: dict) -> bool:
    return bool(output.get("metadata", {}).get("khanalytics", {}).get("escaped"))


def _shown(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells that reach the page."""
    return [c for c in nb.cells if not HIDDEN_TAGS & set(c.get("metadata", {}).get("tags", []))]


def notebook_trace_types(nb: nbformat.NotebookNode) -> set[str]:
    """Every trace type of the figures :func:`notebook_blocks` draws."""
    types: set[str] = set()
    for cell in _shown(nb):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            spec = _figure(out.get("data", {})) if out.get("output_type") in ("display_data", "execute_result") \
                else None
            if spec is not None:
                types |= trace_types(spec)
    return types


def notebook_blocks(nb: nbformat.NotebookNode, *, packed: bool = False) -> tuple[list[Markup], bool]:
    """The visible parts of an executed notebook, in order, as HTML; and whether any is a figure.

    Markdown cells are prose (raw HTML in them is escaped). Of code cells: HTML built by the report
    sections (marked in the output's metadata; it escapes every data string) goes in as is; plotly figures
    are drawn from their JSON (the HTML our figures also carry, for nbconvert, is never used here, so a
    figure is drawn once and plotly.js inlined once); images and markdown are kept; any other HTML or a
    value's repr is shown as escaped text. Code, streams and warnings never reach the page.
    ``packed``: each figure's JSON is packed (gzip, base64), for a page whose ``khaUnpack`` reads it.
    """
    blocks: list[Markup] = []
    figures = 0
    for cell in _shown(nb):
        if cell.cell_type == "markdown":
            blocks.append(fragment("prose", Markup(_MD.render(cell.source))))
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            spec = _figure(data)
            if spec is not None:
                figures += 1
                blocks.append(_plotly_block(spec, figures, packed))
            elif "text/html" in data and _is_ours(out):
                blocks.append(Markup(str(data["text/html"])))
            elif "text/html" in data or "text/plain" in data:  # HTML we did not build: shown as text, never run
                text = data.get("text/plain") or re.sub(r"<[^>]+>", " ", str(data["text/html"]))
                blocks.append(fragment("output_text", str(text)))
            elif "image/png" in data:
                blocks.append(fragment("image", str(data["image/png"]).strip()))
            elif "text/markdown" in data:
                blocks.append(Markup(_MD.render(str(data["text/markdown"]))))
    return blocks, figures > 0


def export_html(nb: nbformat.NotebookNode, *, title: str, lang: str = "vi") -> str:
    """One self-contained page from an executed notebook: plotly.js inlined once when there is a figure, the
    partial bundle (and packed figure JSON) when it draws every trace type of the page, else the full one."""
    types = notebook_trace_types(nb)
    small = bundle_covers(types)
    blocks, has_figures = notebook_blocks(nb, packed=small)
    return render("report.html.j2", lang=lang, title=title, blocks=blocks,
                  scripts=head_scripts(types if small else None) if has_figures else Markup(""))
