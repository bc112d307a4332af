"""Helpers every figure shares: text for plotly, required columns, codes and names."""

import math

import pandas as pd
import pytest

from khanalytics.figures import _common as c


def test_text_is_escaped_for_plotlys_label_renderer():
    assert c.t("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert c.lines("a<br>b<br>c") == 3


def test_missing_text():
    assert all(c.is_missing_text(x) for x in (None, math.nan, "  ", pd.NA))
    assert not c.is_missing_text("Hà Nội")


def test_required_columns_are_named_in_both_languages():
    with pytest.raises(ValueError) as err:
        c.require(pd.DataFrame({"code": []}), ["code", "value"], "choropleth")
    assert "value" in err.value.vi and "value" in err.value.en


def test_codes_are_two_digits():
    assert c.codes(pd.Series([1, "2", 22.0])).tolist() == ["01", "02", "22"]


def test_a_rule_spans_the_plot_one_way_or_the_other():
    import plotly.graph_objects as go

    fig = go.Figure()
    c.rule(fig, 20.7, vertical=True, line=dict(dash="dash"))
    c.rule(fig, 70, vertical=False, line=dict(dash="dot"), layer="below")
    across, along = fig.layout.shapes
    assert (across.x0, across.x1, across.yref, across.y0, across.y1) == (20.7, 20.7, "paper", 0, 1)
    assert (along.y0, along.y1, along.xref, along.layer) == (70, 70, "paper", "below")
