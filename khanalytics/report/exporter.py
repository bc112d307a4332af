"""``jupyter nbconvert --to khanalytics``: a report notebook run by papermill, to the page ``khanalytics render`` writes.

Analysts who already run notebooks with papermill and nbconvert keep their route: the package registers
this exporter with nbconvert (the ``nbconvert.exporters`` entry point in pyproject.toml). The page is
:func:`khanalytics.report.export.export_html`'s — no code, plotly.js inlined once, no CDN — with the
title and language the factory would give it, read from the notebook's own parameters (its
``parameters`` cell, overridden by the values papermill injected and recorded).
"""

from __future__ import annotations

import ast
from typing import Any

import nbformat
from nbconvert.exporters import Exporter
from nbconvert.exporters.exporter import FilenameExtension

from khanalytics.errors import KhanalyticsError
from khanalytics.report.export import export_html
from khanalytics.report.factory import job_for
from khanalytics.report.params import KINDS, PARAMETERS, make_params

__all__ = ["KhanalyticsExporter", "notebook_parameters", "report_title"]


def _literals(source: str) -> dict[str, Any]:
    """Names assigned a literal in a parameters cell (``x = 1`` or ``x: str = "a"``); anything else is skipped."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    values: dict[str, Any] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or getattr(node, "value", None) is None:
            continue
        try:
            values[targets[0].id] = ast.literal_eval(node.value)
        except ValueError:
            continue
    return values


def notebook_parameters(nb: nbformat.NotebookNode) -> tuple[set[str], dict[str, Any]]:
    """The names a notebook declares in its ``parameters`` cell, and the values it ran with.

    The values are the cell's defaults overridden by what papermill injected (``metadata.papermill.parameters``).
    """
    declared: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            declared.update(_literals(cell.source))
    injected = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    return set(declared), {**declared, **injected}


def report_title(nb: nbformat.NotebookNode, fallback: str = "") -> tuple[str, str]:
    """(title, language) of a report notebook, as ``khanalytics render`` names its page.

    The kind of report is the one whose parameters the notebook declares (``params.PARAMETERS``). A notebook
    that is not one of the reports, or whose values do not parse, keeps its own title (``metadata.title``,
    else ``fallback``) in Vietnamese.
    """
    declared, values = notebook_parameters(nb)
    own = str(nb.metadata.get("title") or fallback)
    kind = next((k for k in KINDS if declared == set(PARAMETERS[k])), None)
    if kind is None:
        return own, "vi"
    try:
        params = make_params(kind, **{name: values[name] for name in PARAMETERS[kind] if name in values})
    except KhanalyticsError:
        return own, "vi"
    return job_for(params).title, params.lang


class KhanalyticsExporter(Exporter):
    """nbconvert's ``--to khanalytics``: one offline HTML page per report notebook, as ``khanalytics render`` makes."""

    export_from_notebook = "khanalytics (HTML)"
    output_mimetype = "text/html"
    file_extension = FilenameExtension(".html", help="Extension of the page written.").tag(config=True)

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        """The page of an executed notebook (nbconvert's preprocessors, if any are enabled, run first)."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        title, lang = report_title(nb_copy, resources.get("metadata", {}).get("name", ""))
        return export_html(nb_copy, title=title, lang=lang), resources
