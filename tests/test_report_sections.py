"""Sections return objects (HTML, figures, tables) instead of displaying behind the caller's back."""

import pandas as pd
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


def test_trend_frame_takes_a_period_as_text(sample_obs):
    from khanalytics import analysis
    from khanalytics.periods import Period
    from khanalytics.report.sections import trend_frame

    as_text = trend_frame(sample_obs, "membership_rate", "dong-bac", "cluster", "2019-H1", "2008", 4, "vi")
    parsed = trend_frame(sample_obs, "membership_rate", analysis.cluster("dong-bac"), "cluster", Period(2019, 1),
                         "2008", 4, "vi")
    pd.testing.assert_frame_equal(as_text, parsed)
    assert list(dict.fromkeys(as_text["period"])) == ["2017-H2", "2018-H1", "2018-H2", "2019-H1"]
    assert set(as_text["role"]) == {"national", "cluster", "province"}


def test_first_screen_puts_the_key_figures_beside_the_summary(sample_store):
    rep = _rep(sample_store)
    first = rep.first_screen()
    html = str(first.html)
    assert html.index('class="kha-first-text"') < html.index("Tóm tắt") < html.index('class="kha-first-figures"') \
        < html.index("Các chỉ số chính") < html.index('class="kha-kpis"')
    assert "grid-template-columns:minmax(0,3fr) minmax(0,2fr)" in html and "@media (max-width:760px)" in html
    assert str(rep.summary().html) in html  # the same sentences, not a second wording


def test_the_ranking_and_the_summary_agree_on_ties(sample_store):
    """Issue 13, item 5: "Thấp nhất là Lạng Sơn và Hải Phòng (20,3 %)" and the ranking gives both 7th place."""
    rep = _rep(sample_store)
    summary = str(rep.summary().html)
    assert "Thấp nhất là Lạng Sơn và Hải Phòng (20,3 %)" in summary
    bars = rep.ranking().figures[0]
    names = [n for trace in bars.data for n in trace.y]
    assert "7. Hải Phòng" in names and "7. Lạng Sơn" in names and not any(n.startswith("8.") for n in names)
    labels = dict(zip(names, [x for trace in bars.data for x in trace.text], strict=True))
    assert labels["7. Hải Phòng"] == labels["7. Lạng Sơn"] == "20,3 %"
    table = rep.tables["xep_hang"].set_index("name")["rank_cluster"]
    assert table["Hải Phòng"] == table["Lạng Sơn"] == 7


def test_the_footer_honours_source_date_epoch(sample_store, monkeypatch):
    import datetime as dt

    import pytest

    from khanalytics.errors import KhanalyticsError

    rep = _rep(sample_store)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shown = dt.datetime.fromtimestamp(1700000000, dt.UTC).astimezone().strftime("%d/%m/%Y %H:%M")
    assert f"lúc {shown} ·" in rep.footer().html
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(KhanalyticsError, match="SOURCE_DATE_EPOCH"):
        rep.footer()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dt.datetime.now().astimezone().strftime("%d/%m/%Y") in rep.footer().html


def test_the_downloads_are_dated_when_the_data_was_imported(sample_store):
    import base64
    import io
    import re

    import openpyxl

    def workbook(rep) -> bytes:
        html = str(rep.sources().html)
        return base64.b64decode(re.search(r'download="[^"]+\.xlsx" href="data:[^;]+;base64,([^"]+)"', html)[1])

    rep = _rep(sample_store)
    rep.trends()
    first = workbook(rep)
    assert workbook(rep) == first  # the same file when nothing changed
    imported = rep.imports["imported_at"].max().tz_convert("UTC").tz_localize(None).floor("s")
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.created == book.properties.modified == imported.to_pydatetime()
