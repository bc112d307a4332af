"""KPI cards: the big numbers a report opens with, as an HTML snippet that works in any page or notebook.

The markup comes from a Jinja2 template (``templates/kpi_cards.html.j2``) rendered with autoescape on, so
province names and other texts from data can never become markup; the styles travel with every snippet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from khanalytics.figures._common import FigureError, is_missing_text
from khanalytics.formatting import check_lang
from khanalytics.templating import environment

KPI_CSS = """
.kha-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin:12px 0}
.kha-kpi{border:1px solid #E4E7EB;border-left:5px solid #9AA5B1;border-radius:6px;padding:12px 14px;background:#fff}
.kha-kpi-label{font-size:.9rem;color:#5F6B7A;line-height:1.3}
.kha-kpi-value{font-size:1.9rem;font-weight:700;color:#1F2933;line-height:1.2;margin:4px 0;
  font-variant-numeric:tabular-nums}
.kha-kpi-change,.kha-kpi-gap,.kha-kpi-note{font-size:.9rem;color:#1F2933;line-height:1.35}
.kha-kpi-note{color:#5F6B7A;font-size:.8rem;margin-top:4px}
.kha-tone-positive{border-left-color:#0072B2}.kha-tone-positive .kha-kpi-change{color:#005A8C}
.kha-tone-negative{border-left-color:#D55E00}.kha-tone-negative .kha-kpi-change{color:#A94A00}
.kha-tone-neutral{border-left-color:#9AA5B1}
.kha-kpi{min-width:0;break-inside:avoid}.kha-kpi-value{overflow-wrap:anywhere}
@media (max-width:420px){.kha-kpi{padding:10px 10px 10px 12px}.kha-kpi-value{font-size:1.55rem}}
""".strip()
"""Styles of :func:`kpi_cards` (also included in every snippet, so it works in any page or notebook)."""

_TONES = {
    "positive": "positive",
    "good": "positive",
    "up": "positive",
    "negative": "negative",
    "bad": "negative",
    "down": "negative",
    "neutral": "neutral",
    None: "neutral",
    "": "neutral",
}
_OPTIONAL = (("change_text", "change"), ("gap_text", "gap"), ("note", "note"))


def _template() -> jinja2.Template:
    return environment("khanalytics.figures").get_template("kpi_cards.html.j2")


def _card(card: Mapping[str, Any]) -> dict[str, Any]:
    """A card's tone and its (class, text) lines, after checking it."""
    tone = _TONES.get(card.get("tone"))
    if tone is None:
        raise FigureError(
            f"tone phải là positive, negative hoặc neutral; nhận được {card.get('tone')!r}",
            f"tone must be positive, negative or neutral; got {card.get('tone')!r}",
            rule="bad_tone",
            field="tone",
            value=card.get("tone"),
        )
    if "label" not in card or "value_text" not in card:
        raise FigureError(
            f"mỗi thẻ cần 'label' và 'value_text'; có các khoá {sorted(card)}",
            f"a card needs 'label' and 'value_text'; got keys {sorted(card)}",
            rule="incomplete_card",
            value=sorted(card),
        )
    shown = [("label", card["label"]), ("value", card["value_text"])]
    shown += [(css, card[key]) for key, css in _OPTIONAL if not is_missing_text(card.get(key))]
    return {"tone": tone, "lines": [(css, str(text)) for css, text in shown]}


def kpi_cards(cards: Sequence[Mapping[str, Any]], lang: str = "vi") -> Markup:
    """KPI cards as an HTML snippet: a big number, its change and its gap, one card per dict.

    Each card: ``label``, ``value_text`` (already formatted, e.g. "24,07 %"), optional ``change_text``
    ("+1,08 điểm % so với cùng kỳ"), ``gap_text`` ("cao hơn cả nước 3,35 điểm %"), ``note`` (coverage,
    source) and ``tone`` ("positive" blue, "negative" vermillion, "neutral"). Every text is escaped; the
    result is ``markupsafe.Markup`` (a str) ready for :func:`khanalytics.report.pages.write_page` or
    ``IPython.display.HTML``.
    """
    lang = check_lang(lang)
    checked = [_card(card) for card in cards]
    return Markup(_template().render(css=Markup(KPI_CSS), lang=lang, cards=checked))
