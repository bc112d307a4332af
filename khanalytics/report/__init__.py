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

from khanalytics.report.factory import (
    ReportError,
    ReportJob,
    ReportResult,
    WarmKernel,
    execute,
    job_for,
    plan,
    plan_all,
    render,
    render_all,
    render_many,
    report_folder,
)
from khanalytics.report.params import ReportParams, make_params, parameters
from khanalytics.report.sections import Report, Section, open_report

__all__ = [
    "Report",
    "ReportError",
    "ReportJob",
    "ReportParams",
    "ReportResult",
    "Section",
    "WarmKernel",
    "execute",
    "job_for",
    "make_params",
    "open_report",
    "parameters",
    "plan",
    "plan_all",
    "render",
    "render_all",
    "render_many",
    "report_folder",
]
