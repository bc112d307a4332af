"""Rankings and scorecards (figures/comparisons.py): provinces side by side, against the country."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from khanalytics import figures
from khanalytics.figures import theme
from tests.figure_data import legend_names


def test_ranked_bar() -> None:
    v = pd.DataFrame(
        {
            "code": ["22", "31", "04", "20"],
            "name": ["Quảng Ninh", "Hải Phòng", "Cao Bằng", "Lạng Sơn"],
            "value": [31.8, 24.1, np.nan, 1234567.0 / 100000],
            "highlight": [True, False, True, False],
        }
    )
    fig = figures.ranked_bar(
        v, reference={"Cả nước": 20.72}, indicator_label="Tỉ lệ hội viên", highlight_label="Cụm II"
    )
    assert list(fig.layout.yaxis.categoryarray) == ["Quảng Ninh", "Hải Phòng", "Lạng Sơn", "Cao Bằng"]
    texts = [x for t in fig.data for x in t.text]
    assert "31,80 %" in texts and "12,35 %" in texts
    hl = next(t for t in fig.data if t.name == "Cụm II")
    assert hl.marker.color == theme.ROLE_COLORS["cluster"]
    assert [s.x0 for s in fig.layout.shapes] == [20.72]
    ann = [a.text for a in fig.layout.annotations]
    assert "<b>Cả nước: 20,72 %</b>" in ann and "không có số liệu" in ann


def test_scorecard_heatmap() -> None:
    cells = pd.DataFrame(
        {
            "name": ["Quảng Ninh", "Quảng Ninh", "Cao Bằng", "Cao Bằng"],
            "indicator_label": ["Hội viên", "Gia đình học tập", "Hội viên", "Gia đình học tập"],
            "value": [31.8, 70.0, 18.2, np.nan],
            "status": ["above", "equal", "below", None],
        }
    )
    fig = figures.scorecard_heatmap(cells)
    hm = fig.data[0]
    assert list(hm.y) == ["Quảng Ninh", "Cao Bằng"]
    assert [list(r) for r in hm.z] == [[2, 1], [0, 3]]
    assert [list(r) for r in hm.text] == [["31,8 %", "70,0 %"], ["18,2 %", "—"]]
    assert "Cao hơn cả nước" in hm.customdata[0][0]
    assert {"Cao hơn cả nước", "Thấp hơn cả nước", "Bằng cả nước", "Không có số liệu"} <= set(legend_names(fig))
    with pytest.raises(ValueError, match="status"):
        figures.scorecard_heatmap(cells.assign(status="better"))


def test_no_si_suffixes_anywhere() -> None:
    # a ranking of big counts: ticks must be written out ("2.000.000"), never "2M"
    v = pd.DataFrame({"code": ["01", "79"], "name": ["Hà Nội", "Hồ Chí Minh"], "value": [2_265_712, 1_500_000]})
    fig = figures.ranked_bar(v, indicator_label="Hội viên", unit="người", decimals=0)
    assert fig.layout.xaxis.tickformat == ",.0f" and fig.layout.xaxis.exponentformat == "none"
    assert "2.265.712 người" in fig.data[0].text



def test_ranked_bar_tells_namesakes_apart_and_skips_missing_references() -> None:
    v = pd.DataFrame({"code": ["24", "27"], "name": ["Bắc Ninh", "Bắc Ninh"], "value": [10.0, 12.0]})
    fig = figures.ranked_bar(v, reference={"Cả nước": np.nan, "Cụm": 11.0}, indicator_label="x")
    assert list(fig.layout.yaxis.categoryarray) == ["Bắc Ninh (27)", "Bắc Ninh (24)"]
    assert [s.x0 for s in fig.layout.shapes] == [11.0]
    assert not any(t.showlegend for t in fig.data)  # nothing highlighted: no legend to read


def test_scorecard_names_its_reference_and_takes_ready_text() -> None:
    cells = pd.DataFrame(
        {"name": ["Quảng Ninh"], "indicator_label": ["Hội viên"], "value": [31.8], "status": ["above"],
         "value_text": ["31,8 người"]}
    )
    fig = figures.scorecard_heatmap(cells, reference_label="cụm")
    assert fig.data[0].text[0][0] == "31,8 người"
    assert fig.data[0].customdata[0][0].endswith("Cao hơn cụm")
    assert "Cao hơn cụm" in legend_names(fig)
    with pytest.raises(figures.FigureError) as err:
        figures.scorecard_heatmap(cells.assign(status="better"))
    assert err.value.rule == "bad_status" and "status phải là" in err.value.vi
