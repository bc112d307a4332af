"""Trends (figures/trends.py): lines against the cluster and the country, and small multiples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from khanalytics import figures
from khanalytics.figures import theme, trends
from khanalytics.formatting import MINUS
from tests.figure_data import cluster_series


def test_trend() -> None:
    targets = pd.DataFrame({"label": ["Mục tiêu 2025"], "value": [30.0]})
    fig = figures.trend(cluster_series(), targets=targets, indicator_label="Tỉ lệ hội viên", provenance_note="Nguồn")
    assert list(fig.layout.xaxis.categoryarray) == ["6/2017", "12/2017", "6/2018", "12/2018", "6/2019"]
    by_name = {t.name: t for t in fig.data}
    cluster, nation = by_name["Cụm II – Đông Bắc"], by_name["Cả nước"]
    assert cluster.line.color == theme.ROLE_COLORS["cluster"] and cluster.line.width > 3
    assert nation.line.dash == "dash"
    provinces = [t for t in fig.data if t.legendgroup == "provinces"]
    assert len(provinces) == 3 and sum(bool(t.showlegend) for t in provinces) == 1
    assert all(t.line.width < 2 for t in provinces)
    # a missing value is a gap, not a line drawn through it
    cao_bang = next(t for t in provinces if "Cao Bằng" in t.hovertext[0])
    assert np.isnan(cao_bang.y[2]) and cao_bang.connectgaps is False
    assert "Quảng Ninh — 6/2019: 31,80 %" in next(t for t in provinces if "Quảng Ninh" in t.hovertext[0]).hovertext
    texts = [a.text for a in fig.layout.annotations]
    assert "Mục tiêu 2025: 30 %" in texts
    assert "<b>Cụm II – Đông Bắc</b>" in texts and "Quảng Ninh" in texts
    assert any(s.y0 == 30.0 and s.line.dash == "dot" for s in fig.layout.shapes)
    assert fig.layout.yaxis.ticksuffix == " %" and fig.layout.yaxis.tickformat == ",.2~f"


def test_trend_end_labels_do_not_overlap() -> None:
    s = cluster_series()
    s.loc[s["key"] == "31", "value"] = s.loc[s["key"] == "dong-bac", "value"].to_numpy() + 0.01
    fig = figures.trend(s, indicator_label="x", height=500)
    ys = sorted(a.y for a in fig.layout.annotations if a.xshift == 8)
    lo, hi = fig.layout.yaxis.range
    gap = (hi - lo) * 14 / (500 - 180)
    assert all(b - a >= gap - 1e-9 for a, b in zip(ys, ys[1:], strict=False))


def test_trend_in_english_and_bad_roles() -> None:
    fig = figures.trend(cluster_series(), indicator_label="Membership", lang="en")
    assert list(fig.layout.xaxis.categoryarray)[-1] == "Jun 2019"
    assert fig.layout.yaxis.ticksuffix == "%"
    bad = cluster_series().assign(role="region")
    with pytest.raises(ValueError, match="role"):
        figures.trend(bad, indicator_label="x")


def test_small_multiples() -> None:
    fig = figures.small_multiples(cluster_series(), indicator_label="Tỉ lệ", cols=2)
    axes = sorted(k for k in fig.layout if k.startswith("xaxis"))
    assert axes == ["xaxis", "xaxis2", "xaxis3"]  # 3 provinces, 2 columns
    lay = fig.layout
    assert lay.xaxis.domain[0] == 0 and lay.xaxis3.domain[0] == 0 and lay.xaxis2.domain[0] > 0.5
    assert lay.yaxis3.domain[1] < lay.yaxis.domain[0]  # panel 3 is on the second row
    assert lay.yaxis.range == lay.yaxis2.range == lay.yaxis3.range  # one scale, panels compare
    assert lay.yaxis2.showticklabels is False and lay.xaxis.showticklabels is False  # inner ticks hidden
    titles = [a.text for a in fig.layout.annotations]
    assert "<b>Quảng Ninh</b> · 31,8 %" in titles
    assert "<b>Cao Bằng</b> · 22,0 %" in titles
    # every panel has the province and both references
    assert len(fig.data) == 3 * 3
    assert sum(bool(t.showlegend) for t in fig.data) == 3


def test_minus_sign_in_figures() -> None:
    s = cluster_series()
    s["value"] = s["value"] - 25
    fig = figures.trend(s, indicator_label="x")
    assert any(MINUS in h for t in fig.data for h in t.hovertext)



def test_spread_keeps_labels_apart_and_inside() -> None:
    ys = trends._spread([5.0, 5.1, 5.2, 20.0], gap=1.0, lo=0.0, hi=21.0)
    assert ys[3] == 20.0  # a lone label stays at its line's end
    close = sorted(ys[:3])
    assert close[1] - close[0] >= 1.0 - 1e-9 and close[2] - close[1] >= 1.0 - 1e-9
    assert np.mean(close) == pytest.approx(5.1)
    assert trends._spread([0.1, 0.2], gap=1.0, lo=0.0, hi=10.0)[0] == 0.0  # pushed up from the floor, not below


def test_small_multiples_needs_provinces_and_draws_targets() -> None:
    with pytest.raises(figures.FigureError, match="province") as err:
        figures.small_multiples(cluster_series().query("role != 'province'"), indicator_label="x")
    assert err.value.rule == "no_provinces"
    fig = figures.small_multiples(
        cluster_series(), indicator_label="x", targets=pd.DataFrame({"label": ["M"], "value": [30.0]}), cols=3
    )
    assert len(fig.layout.shapes) == 3 and {s.y0 for s in fig.layout.shapes} == {30.0}
    assert fig.layout.yaxis.range[1] > 30.0


def test_bad_roles_are_family_errors() -> None:
    with pytest.raises(figures.FigureError) as err:
        figures.trend(cluster_series().assign(role=None), indicator_label="x")
    assert err.value.rule == "bad_role" and "role phải là" in err.value.vi and "role must be" in err.value.en


# --- issue 11, item 5: analysis outputs feed the figures (on the sample store) --------------------------------


def _rates(sample_obs, group, indicators="membership_rate"):
    from khanalytics import analysis as an

    return an.trend(sample_obs, indicators, group, "2019-H1", last=4) if isinstance(indicators, str) else \
        an.aggregate(sample_obs, indicators, group, ["2018-H1", "2018-H2", "2019-H1"])


def test_trend_draws_analysis_trend(sample_obs) -> None:
    cluster, country = _rates(sample_obs, "dong-bac"), _rates(sample_obs, "country")
    fig = figures.trend(pd.concat([cluster, country]), indicator_label="Tỉ lệ hội viên")
    by_name = {t.name: t for t in fig.data}
    assert by_name["Cụm II – Đông Bắc"].line.color == theme.ROLE_COLORS["cluster"]
    assert by_name["Cả nước"].line.dash == "dash"
    assert list(by_name["Cụm II – Đông Bắc"].y) == pytest.approx(list(cluster["value"]))
    en = figures.trend(cluster, indicator_label="Members", lang="en")
    assert en.data[0].name == "Cluster II – Northeast"


def test_a_province_of_the_analysis_is_its_own_line(sample_obs) -> None:
    fig = figures.trend(_rates(sample_obs, "Quảng Ninh"), indicator_label="x")
    assert fig.data[0].line.color == theme.ROLE_COLORS["highlight"] and fig.data[0].name == "Quảng Ninh"


def test_synthetic_figures_say_so(sample_obs) -> None:
    series = _rates(sample_obs, "dong-bac")
    assert series["synthetic"].all()  # the sample's provincial figures are synthetic
    notes = [a.text for a in figures.trend(series, indicator_label="x", provenance_note="Nguồn").layout.annotations]
    assert any("Số liệu minh hoạ" in n and "Nguồn" in n for n in notes)
    real = series.assign(synthetic=False)
    assert not any("minh hoạ" in a.text for a in figures.trend(real, indicator_label="x").layout.annotations)
    from khanalytics import analysis as an

    values = an.province_values(sample_obs, "membership_rate", "2019-H1")
    en = figures.tile_map(values, edition="2008", indicator_label="x", lang="en")
    assert any("synthetic" in a.text for a in en.layout.annotations)


def test_small_multiples_by_indicator(sample_obs) -> None:
    from khanalytics import analysis as an

    titles = ["learning_families_rate", "learning_clans_rate", "learning_communities_rate", "learning_units_rate"]
    series = pd.concat([_rates(sample_obs, "dong-bac", titles), _rates(sample_obs, "country", titles)])
    fig = figures.small_multiples(series, indicator_label="Danh hiệu", by="indicator", cols=2)
    assert sorted(k for k in fig.layout if k.startswith("xaxis")) == ["xaxis", "xaxis2", "xaxis3", "xaxis4"]
    panel_titles = [a.text for a in fig.layout.annotations if a.name == "panel-title"]
    assert [t.split("</b>")[0].removeprefix("<b>") for t in panel_titles] == [
        an.measure(c).short_vi for c in titles]
    families = series[(series["indicator"] == titles[0]) & (series["group"] == "dong-bac")]["value"].iloc[-1]
    assert panel_titles[0].endswith(f"{families:.1f}".replace(".", ",") + " %")
    assert len(fig.data) == 4 * 2  # in each panel the cluster and, for reference, the country
    with pytest.raises(figures.FigureError) as err:
        figures.trend(series, indicator_label="x")
    assert err.value.rule == "several_indicators" and "by='indicator'" in err.value.en
    with pytest.raises(figures.FigureError, match="indicator"):
        figures.small_multiples(cluster_series(), indicator_label="x", by="indicator")


def test_title_dashboard_from_a_table_of_its_own() -> None:
    """Issue 13, item 1: a frame shaped like analysis.title_trends, made by hand: names escaped, a missing
    period a gap, a target of its own decision drawn in its own panel only."""
    from tests.figure_data import EVIL

    rows = []
    for title, label in (("families", "Gia đình học tập"), ("units", "Đơn vị học tập")):
        for group, kind, name in (("x", "cluster", EVIL), ("VN", "country", "Cả nước")):
            for measure, base in (("recognised", 50.0), ("registered", 70.0)):
                for i, period in enumerate(("2024-H2", "2025-H1", "2025-H2")):
                    rows.append({"group": group, "group_kind": kind, "group_label": name, "group_label_en": name,
                                 "period": period, "title": title, "title_label": label, "title_label_en": label,
                                 "measure": measure, "value": np.nan if (i == 1 and group == "x") else base + i})
    targets = pd.DataFrame({"title": ["units"], "label": ["QĐ 9"], "year": [2030], "value": [90.0]})
    fig = figures.title_dashboard(pd.DataFrame(rows), targets, cols=2)
    assert fig.data[0].name == "&lt;img src=x onerror=alert(1)&gt;: đạt danh hiệu"
    assert np.isnan(fig.data[0].y[1]) and fig.data[0].connectgaps is False
    assert [(s.yref, s.y0) for s in fig.layout.shapes if s.line.dash == "dot"] == [("y2", 90.0)]
    assert [a.text for a in fig.layout.annotations if a.name == "target"] == ["QĐ 9 (2030): 90 %"]
    assert len([a for a in fig.layout.annotations if a.name == "reform"]) == 2
    assert fig.layout.yaxis.range[1] >= 90.0
