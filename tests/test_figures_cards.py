"""KPI cards (figures/cards.py): a Jinja2 template with autoescape, Markup out, the same HTML as before."""

from __future__ import annotations

from importlib import resources

import pytest
from markupsafe import Markup

from khanalytics import figures
from khanalytics.figures import cards
from tests.figure_data import EVIL


def test_kpi_cards_escape_everything() -> None:
    html = figures.kpi_cards(
        [
            {
                "label": "Tỉ lệ hội viên",
                "value_text": "24,07 %",
                "change_text": "+1,08 điểm % so với cùng kỳ",
                "gap_text": "cao hơn cả nước",
                "tone": "positive",
            },
            {"label": EVIL, "value_text": "<b>1</b>", "note": "a & b", "tone": "negative"},
        ]
    )
    assert isinstance(html, Markup)
    assert "24,07 %" in html and "kha-tone-positive" in html and "kha-tone-negative" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "a &amp; b" in html
    with pytest.raises(ValueError, match="tone"):
        figures.kpi_cards([{"label": "x", "value_text": "1", "tone": "great"}])
    with pytest.raises(ValueError, match="value_text"):
        figures.kpi_cards([{"label": "x"}])



def test_cards_markup_is_exactly_the_house_snippet() -> None:
    html = figures.kpi_cards([{"label": "a", "value_text": "1", "tone": "good", "note": "  "}], lang="en")
    assert html == Markup(
        f"<style>{figures.KPI_CSS}</style>"
        '<div class="kha-kpis" lang="en">'
        '<div class="kha-kpi kha-tone-positive"><div class="kha-kpi-label">a</div>'
        '<div class="kha-kpi-value">1</div></div>'
        "</div>"
    )
    full = figures.kpi_cards([{"label": "L", "value_text": "V", "change_text": "C", "gap_text": "G", "note": "N"}])
    assert full.count('<div class="kha-kpi-') == 5 and "kha-tone-neutral" in full
    assert full.index("kha-kpi-change") < full.index("kha-kpi-gap") < full.index("kha-kpi-note")
    assert figures.kpi_cards([]) == Markup(f'<style>{figures.KPI_CSS}</style><div class="kha-kpis" lang="vi"></div>')


def test_quotes_and_template_syntax_in_data_stay_text() -> None:
    html = figures.kpi_cards([{"label": 'Tỉnh "A" \'B\'', "value_text": "{{ 7 * 7 }}", "note": EVIL}])
    assert '"A"' not in html and "&#34;A&#34;" in html and "&#39;B&#39;" in html
    assert "{{ 7 * 7 }}" in html and "49" not in html
    assert "<img" not in html


def test_the_template_ships_with_the_package() -> None:
    template = resources.files("khanalytics.figures").joinpath("templates/kpi_cards.html.j2")
    assert template.is_file() and "{{ text }}" in template.read_text(encoding="utf-8")
    assert cards._template().environment.autoescape is True


def test_bad_cards_are_figure_errors() -> None:
    with pytest.raises(figures.FigureError) as err:
        figures.kpi_cards([{"label": "x", "value_text": "1", "tone": "great"}])
    assert err.value.rule == "bad_tone" and "tone phải là" in err.value.vi
    with pytest.raises(ValueError, match="label"):
        figures.kpi_cards([{"value_text": "1"}])
