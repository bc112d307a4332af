"""The house look (figures/theme.py): one template, role colours, value axes that never abbreviate."""

from __future__ import annotations

import plotly.io as pio
import pytest

from khanalytics.errors import KhanalyticsError, ParameterError
from khanalytics.figures import theme


def test_template_is_registered_and_never_abbreviates_numbers() -> None:
    t = pio.templates[theme.TEMPLATE_NAME]
    assert t.layout.separators == ",."
    for axis in (t.layout.xaxis, t.layout.yaxis):
        assert axis.exponentformat == "none"  # no "2M" / "500k"
        assert axis.separatethousands is True
    assert "Segoe UI" in t.layout.font.family and "sans-serif" in t.layout.font.family


def test_palette_and_roles() -> None:
    assert len(set(theme.PALETTE)) == len(theme.PALETTE) == 8
    roles = theme.ROLE_COLORS
    assert len({roles["cluster"], roles["national"], roles["target"], roles["province"], roles["no_data"]}) == 5
    seq = theme.sequential_colors(6)
    assert len(seq) == 6 and len(set(seq)) == 6 and roles["no_data"] not in seq
    assert theme.value_axis("%", "vi")["ticksuffix"] == " %"
    assert theme.value_axis("%", "en")["ticksuffix"] == "%"
    assert theme.value_axis(None, "vi", 0)["tickformat"] == ",.0f"



def test_theme_lives_in_the_figures_package() -> None:
    from khanalytics import figures

    assert figures.theme is theme and theme.__name__ == "khanalytics.figures.theme"
    with pytest.raises(ImportError):
        __import__("khanalytics.theme")


def test_bad_colour_counts_are_family_errors() -> None:
    for call in (lambda: theme.sequential_colors(0), lambda: theme.diverging_colors(1)):
        with pytest.raises(ParameterError) as err:
            call()
        assert isinstance(err.value, ValueError) and isinstance(err.value, KhanalyticsError)
        assert "Số màu" in err.value.vi and "at least" in err.value.en


def test_apply_theme_sets_the_separators_of_the_language() -> None:
    import plotly.graph_objects as go

    assert theme.apply_theme(go.Figure(), "en").layout.separators == ".,"
    assert theme.TEMPLATE_NAME in pio.templates
