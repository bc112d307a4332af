"""An executed notebook to one page: only what the library built goes in as HTML."""

import nbformat
from plotly.offline import get_plotlyjs

from khanalytics.report.export import PLOTLY_MIME, export_html, notebook_blocks
from khanalytics.report.section import TRUSTED


def _nb(*outputs, markdown="# Tiêu đề <script>alert(1)</script>", tags=()):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x", metadata={"tags": list(tags)})
    cell.outputs = list(outputs)
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), cell]
    return nb


def test_export_inserts_only_html_built_by_the_library():
    nb = _nb(nbformat.v4.new_output("display_data", data={"text/html": "<b>ours</b>"}, metadata=TRUSTED),
             nbformat.v4.new_output("display_data", data={"text/html": "<img src=x onerror=alert(1)>",
                                                          "text/plain": "<img src=x onerror=alert(1)>"}),
             nbformat.v4.new_output("stream", name="stdout", text="printed"))
    blocks, has_figures = notebook_blocks(nb)
    page = "".join(blocks)
    assert "<b>ours</b>" in page and "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "printed" not in page and not has_figures


def test_figures_are_drawn_and_plotly_inlined_once():
    spec = {"data": [{"type": "bar", "x": ["</script><script>alert(1)"], "y": [1]}], "layout": {"height": 320}}
    out = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: spec})
    page = export_html(_nb(out, out), title="T <b>", lang="vi")
    assert page.count(get_plotlyjs()[:300]) == 1 and page.count('class="kha-figure"') == 2
    assert "</script><script>alert(1)" not in page and "<title>T &lt;b&gt;</title>" in page
    assert 'style="height:320px"' in page


def test_removed_cells_never_reach_the_page():
    out = nbformat.v4.new_output("display_data", data={"text/html": "<b>hidden</b>"}, metadata=TRUSTED)
    blocks, _ = notebook_blocks(_nb(out, tags=["remove"]))
    assert "hidden" not in "".join(blocks)
    page = export_html(_nb(), title="x")
    assert "<script" not in page  # no figure: no plotly.js
