"""Reports: parameters → sections → papermill → one offline HTML file each.

The rooms, in the order data flows through them:

- ``params``: a report's parameters parsed once (``ReportParams``), the notebooks' ``parameters(globals(), kind)``
- ``inputs``: what a report reads from the store
- ``sections``: ``open_report(params)`` and its sections, each returning a ``Section`` (HTML, figures, tables)
- ``downloads``: the tables embedded for download, neutralised against formula injection
- ``assets``, ``pages``, ``templates/``: plotly.js and the geo seed for offline pages; every page and fragment
  from autoescaped jinja2 templates; atomic writes
- ``factory``: plans, papermill execution on fresh or warm kernels, batches
- ``export``: an executed notebook to one HTML file; ``index``: index.html and manifest.json
- ``exporter``: the same page from ``jupyter nbconvert --to khanalytics`` (an nbconvert entry point)
- ``demo``: the shipped sample imported into a folder and the Cụm II 2019-H1 report rendered there
- ``gallery``: every figure type on one page, for people choosing a chart
"""

from __future__ import annotations

from khanalytics._lazy import lazy_names

_PUBLIC = {
    **{name: "khanalytics.report.factory" for name in (
        "ReportError", "ReportJob", "ReportResult", "WarmKernel", "execute", "job_for", "plan", "plan_all", "render",
        "render_all", "render_many", "report_folder")},
    **{name: "khanalytics.report.params" for name in ("ReportParams", "make_params", "parameters")},
    **{name: "khanalytics.report.sections" for name in ("Report", "Section", "open_report")},
}
# Loaded on first use: `khanalytics render-all` with nothing to do must not pay for plotly and the figures.

__all__ = sorted(_PUBLIC)


__getattr__, __dir__ = lazy_names(globals(), _PUBLIC)
