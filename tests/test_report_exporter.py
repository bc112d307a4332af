"""``--to khanalytics``: the page of our export, titled from the notebook's own parameters, found by nbconvert."""

from __future__ import annotations

import nbformat
from nbconvert.exporters import get_exporter

from khanalytics.report import plan
from khanalytics.report.export import export_html
from khanalytics.report.exporter import KhanalyticsExporter, notebook_parameters, report_title
from khanalytics.report.section import TRUSTED

CLUSTER_PARAMETERS = '''cluster: str = "dong-bac"  # số, mã hoặc tên cụm
period = "2019-H1"
edition = "auto"
lang = "vi"
store: str = "data/khanalytics.duckdb"
indicators: "Optional[list[str]]" = None
'''


def _report_notebook(injected: dict | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("rep.summary()")
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>24,07 %</p>"}, metadata=TRUSTED)]
    nb.cells = [nbformat.v4.new_code_cell(CLUSTER_PARAMETERS, metadata={"tags": ["parameters"]}), shown]
    if injected is not None:
        nb.metadata["papermill"] = {"parameters": injected}
    return nb


def test_parameters_are_the_cell_defaults_overridden_by_papermill() -> None:
    declared, values = notebook_parameters(_report_notebook({"cluster": "3", "lang": "en"}))
    assert declared == {"cluster", "period", "edition", "lang", "store", "indicators"}
    assert values["cluster"] == "3" and values["lang"] == "en" and values["period"] == "2019-H1"


def test_title_is_the_one_render_gives() -> None:
    title, lang = report_title(_report_notebook({"cluster": "dong-bac", "period": "2019-H1", "lang": "en"}))
    assert (title, lang) == (plan("cluster", key="dong-bac", period="2019-H1", lang="en").title, "en")


def test_other_notebooks_keep_their_own_title() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('period = "2019-H1"\nstore = "s"',
                                                                   metadata={"tags": ["parameters"]})])
    assert report_title(nb, "explore") == ("explore", "vi")
    bad = _report_notebook({"cluster": "Atlantis"})
    assert report_title(bad, "out") == ("out", "vi")  # a value that does not parse: no guess


def test_exporter_writes_our_page_and_nbconvert_finds_it() -> None:
    nb = _report_notebook({"cluster": "dong-bac"})
    page, resources = KhanalyticsExporter().from_notebook_node(nb)
    assert page == export_html(nb, title=report_title(nb)[0], lang="vi") and resources["output_extension"] == ".html"
    assert "<p>24,07 %</p>" in page and "cluster: str" not in page  # outputs, never code
    assert get_exporter("khanalytics") is KhanalyticsExporter  # the entry point in pyproject.toml
