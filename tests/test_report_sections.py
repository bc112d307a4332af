"""Sections return objects (HTML, figures, tables) instead of displaying behind the caller's back."""

import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics.report.params import make_params
from khanalytics.report.sections import Section, open_report


def _rep(store, kind="cluster", **values):
    key = {"cluster": {"cluster": "dong-bac"}, "province": {"province": "Quảng Ninh"}}.get(kind, {})
    return open_report(make_params(kind, period="2019-H1", store=store, **{**key, **values}))


def test_each_section_is_an_object_with_its_parts(sample_store):
    rep = _rep(sample_store)
    header = rep.header()
    assert isinstance(header, Section) and header.figures == []
    assert "SỐ LIỆU MINH HOẠ" in header.html and "<h1>" in header.html
    summary = rep.summary()
    assert "24,07" in summary.html and summary.html.startswith("<h2>Tóm tắt</h2>")
    trends = rep.trends()
    assert len(trends.figures) == 1 and isinstance(trends.figures[0], go.Figure)
    assert "xu_huong" in trends.tables and "xu_huong" in rep.tables  # kept for the downloads


def test_section_html_is_safe_markup_and_leaves_figures_out(sample_store):
    rep = _rep(sample_store)
    ranking = rep.ranking()
    assert isinstance(ranking.html, Markup) and str(ranking.html) == "<h2>Xếp hạng</h2>"
    assert all(isinstance(p, Markup | go.Figure) for p in ranking.parts)


def test_english_report_sections(sample_store):
    rep = _rep(sample_store, kind="province", lang="en")
    assert "Summary" in rep.summary().html and "Quang Ninh" in rep.header().html


def test_the_notebook_shows_a_section_through_ipython(sample_store):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    published = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: published.append((data, metadata))
    section = _rep(sample_store).kpis()
    try:
        section._ipython_display_()
    finally:
        InteractiveShell.clear_instance()
    assert len(published) == len(section.parts) == 2  # the heading, then the cards
    assert all("text/html" in data and meta == {"khanalytics": {"escaped": True}} for data, meta in published)
