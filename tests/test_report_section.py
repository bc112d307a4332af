"""A Section: safe HTML and figures in order, the tables behind them, shown through IPython."""

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics.report.section import TRUSTED, Section


def test_html_joins_the_markup_and_leaves_figures_out():
    figure = go.Figure(go.Bar(x=["a"], y=[1]))
    section = Section("x", [Markup("<h2>A</h2>"), figure, Markup("<p>b</p>")], {"t": pd.DataFrame({"a": [1]})})
    assert section.html == Markup("<h2>A</h2><p>b</p>") and section.figures == [figure]
    assert list(section.tables) == ["t"]


def test_trusted_marks_html_the_export_may_insert():
    assert TRUSTED == {"khanalytics": {"escaped": True}}
