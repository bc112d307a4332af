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
