"""Issue 13, item 1: the learning titles' trend dashboard — analysis, figure, report section, and the Cụm II
2019-H1 report drawn in Chromium at desktop and phone width (screenshots kept in the test's tmp folder)."""

from __future__ import annotations

import pandas as pd
import pytest

from khanalytics import analysis, catalogue, figures
from khanalytics.figures import theme
from khanalytics.report.params import make_params
from khanalytics.report.sections import open_report
from tests.browser_util import visit

TITLES = list(catalogue.titles())


def _dashboard(sample_obs, period: str = "2019-H1", lang: str = "vi"):
    series = analysis.title_trends(sample_obs, "dong-bac", period)
    return series, figures.title_dashboard(series, analysis.title_targets(period), lang=lang)


def test_dashboard_one_panel_per_title_with_targets_latest_values_and_country(sample_obs) -> None:
    series, fig = _dashboard(sample_obs)
    lay = fig.layout
    assert sorted(k for k in lay if k.startswith("yaxis")) == ["yaxis", "yaxis2", "yaxis3", "yaxis4", "yaxis5"]
    assert lay.yaxis.range == lay.yaxis5.range and lay.yaxis.range[0] == 0  # one scale: titles compare
    panel_titles = [a.text for a in lay.annotations if a.name == "panel-title"]
    assert panel_titles == [f"<b>{t.label('vi')}</b>" for t in catalogue.titles().values()]
    targets = [a.text for a in lay.annotations if a.name == "target"]
    assert targets == ["QĐ 281 (2020): 70 %", "QĐ 281 (2020): 50 %", "QĐ 281 (2020): 60 %", "QĐ 281 (2020): 50 %"]
    target_shapes = [s for s in lay.shapes if s.line.dash == "dot"]
    assert [s.y0 for s in target_shapes] == [70, 50, 60, 50] and target_shapes[0].yref == "y"
    assert target_shapes[3].yref == "y4"  # units' target sits in the units panel
    latest = [a.text for a in lay.annotations if a.name == "latest"]
    families = series.query("title == 'families' and group == 'dong-bac' and period == '2019-H1'")
    recognised, registered = (families.set_index("measure")["value"][m] for m in ("recognised", "registered"))
    assert latest[:2] == [f"<b>{recognised:.1f}".replace(".", ",") + " %</b>", f"{registered:.1f}".replace(".", ",")
                          + " %"]
    assert len(latest) == 2 * 5
    names = [t.name for t in fig.data[:3]]
    assert names == ["Cụm II – Đông Bắc: đạt danh hiệu", "Cụm II – Đông Bắc: đăng ký", "Cả nước: đạt danh hiệu"]
    assert fig.data[0].line.color == theme.ROLE_COLORS["cluster"] and fig.data[1].fill == "tonexty"
    assert fig.data[2].line.dash == "dash" and len(fig.data) == 3 * 5
    assert sum(bool(t.showlegend) for t in fig.data) == 3
    assert not [a for a in lay.annotations if a.name == "reform"]  # 2015–2019: no reform in the window
    assert any("minh hoạ" in a.text for a in lay.annotations)  # the sample is synthetic and says so
    narrow = lay.meta["kha_adapt"]["narrow"]["layout"]
    assert narrow["xaxis2.domain"] == [0, 1] and narrow["height"] > lay.height  # one column on a phone


def test_dashboard_marks_the_reform_and_merges_targets_of_one_value(sample_obs) -> None:
    _, fig = _dashboard(sample_obs, "2026-H1", lang="en")
    reform = [a for a in fig.layout.annotations if a.name == "reform"]
    assert len(reform) == 5 and reform[0].text == "1 Jul 2025: 34 provinces"
    xcats = list(fig.layout.xaxis.categoryarray)
    assert reform[0].x == xcats.index("Dec 2025") - 0.5  # between June 2025 and December 2025
    _, mid = _dashboard(sample_obs, "2025-H1")
    texts = [a.text for a in mid.layout.annotations if a.name == "target"]
    assert "QĐ 387 (2025) · Hội 2021–2026 (2026): 70 %" in texts and "QĐ 387 (2030): 80 %" in texts
    with pytest.raises(figures.FigureError, match="title"):
        figures.title_dashboard(pd.DataFrame({"period": ["2019-H1"], "value": [1.0]}))


def test_report_section_and_english(sample_store) -> None:
    rep = open_report(make_params("province", province="Quảng Ninh", period="2019-H1", store=sample_store))
    section = rep.title_trends()
    assert section.html == "<h2>Danh hiệu học tập qua các kỳ</h2>" and len(section.figures) == 1
    assert "xu_huong_danh_hieu" in rep.tables and set(rep.tables["xu_huong_danh_hieu"]["group"]) == {"22", "VN"}
    assert section.figures[0].data[0].line.color == theme.ROLE_COLORS["highlight"]  # a province is blue
    en = open_report(make_params("national", period="2026-H1", store=sample_store, lang="en")).title_trends()
    fig = en.figures[0]
    assert en.html == "<h2>Learning titles over time</h2>" and fig.data[0].name == "Whole country: recognised"
    assert sum(bool(t.showlegend) for t in fig.data) == 2  # the country alone: recognised and registered


@pytest.mark.parametrize("width", [1100, 375])
def test_cluster_report_shows_the_dashboard_in_chromium(sample_store, tmp_path_factory, width) -> None:
    """The Must-show: the Cụm II 2019-H1 report, made by papermill from the notebook, has the dashboard."""
    from khanalytics.report.factory import plan, render

    folder = tmp_path_factory.getbasetemp() / "title_dashboard"
    page = folder / "2019-H1" / "cum-2-dong-bac.html"
    if not page.exists():
        job = plan("cluster", key="dong-bac", period="2019-H1", store=sample_store, out_dir=folder)
        assert render(job).status == "ok"
    shot = folder / f"cum-2-{width}.png"
    seen = visit(page, width=width, height=900, screenshot=shot, timeout_ms=60000)
    assert seen.drawn_in_time and not seen.page_errors and not seen.requests_out
    board = [f for f in seen.figures if "Dòng họ học tập" in f["text"] and "QĐ 281 (2020)" in f["text"]]
    assert len(board) == 1, [f["text"][:80] for f in seen.figures]
    facts = board[0]
    assert facts["mode"] == ("narrow" if width < 600 else "wide")
    assert facts["lines"] == 3 * 5  # every panel's three lines drawn
    for title in catalogue.titles().values():
        assert title.label("vi") in facts["text"]
    assert "Danh hiệu học tập qua các kỳ" in seen.text
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")
