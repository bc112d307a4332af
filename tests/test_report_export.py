"""An executed notebook to one page: only what the library built goes in as HTML."""

import base64
import gzip
import json
import re

import nbformat
from plotly.offline import get_plotlyjs

from khanalytics.report.export import PLOTLY_MIME, export_html, notebook_blocks, notebook_trace_types
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


def _drawn(page):
    """The figures khaDraw draws: (div id, figure JSON), the packed ones unpacked."""
    out = []
    for div_id, payload in re.findall(r'<script>khaDraw\("([^"]+)",(.*?)\);</script>', page):
        if payload.startswith('"'):
            payload = gzip.decompress(base64.b64decode(json.loads(payload))).decode("utf-8")
        out.append((div_id, json.loads(payload)))
    return out


def test_figures_are_drawn_and_the_partial_plotly_js_inlined_once():
    spec = {"data": [{"type": "bar", "x": ["</script><script>alert(1)"], "y": [1]}], "layout": {"height": 320}}
    out = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: spec})
    page = export_html(_nb(out, out), title="T <b>", lang="vi")
    assert page.count("* plotly.js v") == 1 and "(partial bundle:" in page and get_plotlyjs()[:300] not in page
    assert page.count('class="kha-figure"') == 2 and page.count("DecompressionStream") == 1
    assert "</script><script>alert(1)" not in page and "<title>T &lt;b&gt;</title>" in page
    assert 'style="height:320px"' in page
    drawn = _drawn(page)
    assert [d for d, _ in drawn] == ["kha-fig-1", "kha-fig-2"]
    assert all(s["data"][0]["x"] == ["</script><script>alert(1)"] and s["config"]["displaylogo"] is False
               for _, s in drawn)
    assert page.index("DecompressionStream") < page.index("window.khaDraw") < page.index('khaDraw("kha-fig-1"')


def test_a_trace_type_the_partial_bundle_lacks_brings_the_full_plotly_js():
    pie = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {"data": [{"type": "pie", "values": [1, 2]}]}})
    bar = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {"data": [{"type": "bar", "y": [1]}]}})
    nb = _nb(bar, pie)
    assert notebook_trace_types(nb) == {"bar", "pie"}
    page = export_html(nb, title="x")
    assert page.count(get_plotlyjs()[:300]) == 1 and "(partial bundle:" not in page
    assert "DecompressionStream" not in page  # nothing packed: the figures' JSON is plain
    assert [s["data"][0]["type"] for _, s in _drawn(page)] == ["bar", "pie"]
    assert '"type":"pie"' in page


def test_hidden_cells_do_not_choose_the_bundle():
    pie = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: {"data": [{"type": "pie", "values": [1]}]}})
    nb = _nb(pie, tags=["remove"])
    assert notebook_trace_types(nb) == set()
    assert "<script" not in export_html(nb, title="x")


def test_removed_cells_never_reach_the_page():
    out = nbformat.v4.new_output("display_data", data={"text/html": "<b>hidden</b>"}, metadata=TRUSTED)
    blocks, _ = notebook_blocks(_nb(out, tags=["remove"]))
    assert "hidden" not in "".join(blocks)
    page = export_html(_nb(), title="x")
    assert "<script" not in page  # no figure: no plotly.js


def test_a_figure_shown_as_text_by_the_factory_kernels_exports_the_same_page():
    from khanalytics.figures.offline import FIGURE_TEXT_MIME

    spec = {"data": [{"type": "bar", "x": ["</script><script>alert(1)"], "y": [1]}], "layout": {"height": 320}}
    as_json = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: spec, "text/plain": "<Figure>"})
    as_text = nbformat.v4.new_output("display_data", data={FIGURE_TEXT_MIME: json.dumps(spec), "text/plain": "<Figure>"})
    nb = _nb(as_text)
    nbformat.validate(nb)  # a text mimetype, so papermill and nbformat copy one string, not every coordinate
    assert export_html(nb, title="T") == export_html(_nb(as_json), title="T")
    assert notebook_trace_types(nb) == {"bar"}


def test_figures_in_the_factory_kernels_carry_only_their_json_as_text(monkeypatch):
    import plotly.graph_objects as go

    from khanalytics.figures import offline

    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    monkeypatch.setenv(offline.FIGURE_HTML_ENV, "0")
    bundle = offline.mimebundle(fig)
    assert set(bundle) == {offline.FIGURE_TEXT_MIME, "text/plain"}
    assert json.loads(bundle[offline.FIGURE_TEXT_MIME])["data"][0]["type"] == "bar"
    monkeypatch.delenv(offline.FIGURE_HTML_ENV)
    assert {PLOTLY_MIME, "text/html"} <= set(offline.mimebundle(fig, with_plotlyjs=False))
