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
