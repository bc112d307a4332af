"""A published value with its qualifier: what range it stands for, and how it is written back.

"hơn 755.000" is not 755.000: it is a range. Checks compare ranges, so that
two sources agree when their wordings can both be true, and reports write the
value the way the article did ("hơn 755.000", "gần 27 triệu" as 27.000.000,
"khoảng 13,2 %").
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from khanalytics import catalogue
from khanalytics.formatting import fmt_number, fmt_percent, fmt_vnd

_WORDS = {">": ("hơn", "more than"), "gần": ("gần", "nearly"), "~": ("khoảng", "about"), "<": ("dưới", "less than"),
          "=": ("", "")}


def decimals_of(value: float) -> int:
    """How many decimals a published number was written with (19.6 → 1, 38.0 → 0)."""
    if float(value).is_integer():
        return 0
    text = repr(float(value))
    return min(len(text.split(".")[1]), 4) if "." in text and "e" not in text else 2


def rounding_unit(value: float) -> float:
    """The last written digit's place: 755.000 → 1.000, 7.115.513 → 1, 19,6 → 0,1, 2.400.000 → 100.000."""
    if not float(value).is_integer():
        return 10.0 ** -decimals_of(value)
    n = abs(int(value))
    if n == 0:
        return 1.0
    zeros = len(str(n)) - len(str(n).rstrip("0"))
    return float(10 ** min(zeros, len(str(n)) - 1))


def bounds(value: float, qualifier: str) -> tuple[float, float]:
    """The range a value with its qualifier stands for.

    "=" ± half the rounding unit; "hơn" (>) from the value to 10 % above (or one rounding unit, whichever is
    more); "gần" from 5 % (or one unit) below up to the value; "khoảng" (~) 10 % (or one unit) either side;
    "dưới" (<) from 0 up to the value.
    """
    u = rounding_unit(value)
    v = float(value)
    if qualifier == ">":
        return v, max(v + u, v + abs(v) * 0.10)
    if qualifier == "gần":
        return min(v - u, v - abs(v) * 0.05), v
    if qualifier == "~":
        spread = max(u, abs(v) * 0.10)
        return v - spread, v + spread
    if qualifier == "<":
        return min(0.0, v), v
    return v - u / 2, v + u / 2


def is_percent(row: Any) -> bool:
    """Whether a record row's indicator is a percentage (a catalogue rate in %, or a name ending in _pct)."""
    code = getattr(row, "catalogue_code", None)
    kind = getattr(row, "catalogue_kind", None)
    if isinstance(code, str) and kind == "indicator":
        return catalogue.indicator(code).is_percent
    return str(getattr(row, "indicator", "")).endswith("_pct")


def is_money(row: Any) -> bool:
    """Whether a record row's indicator is an amount in đồng (a catalogue money element, or a name ending _vnd)."""
    code = getattr(row, "catalogue_code", None)
    if isinstance(code, str) and getattr(row, "catalogue_kind", None) == "element":
        return catalogue.element(code).is_money
    return str(getattr(row, "indicator", "")).endswith("_vnd")


def value_text(value: float, qualifier: str, *, percent: bool, money: bool = False, decimals: int | None = None,
               lang: str = "vi") -> str:
    """"hơn 755.000", "gần 119.000", "khoảng 13,2 %", "hơn 154,8 tỷ đồng" (English: "more than 755,000"…).

    ``decimals``: as many as the number was written with, unless given (a stored rate: 2).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    places = decimals_of(value) if decimals is None else decimals
    if money:
        number = fmt_vnd(value, lang, style="short")
    elif percent:
        number = fmt_percent(value, places, lang)
    else:
        number = fmt_number(value, places, lang)
    word = _WORDS.get(qualifier, ("", ""))[1 if lang == "en" else 0]
    return f"{word} {number}" if word else number


def row_value_text(row: Any, lang: str = "vi") -> str:
    """A record row's value as the article wrote it, with its qualifier and unit."""
    return value_text(row.value, row.qualifier, percent=is_percent(row), money=is_money(row), lang=lang)


def indicator_label(row: Any, lang: str = "vi") -> str:
    """The catalogue's short label when the indicator is in it, else the record's own name."""
    code = getattr(row, "catalogue_code", None)
    kind = getattr(row, "catalogue_kind", None)
    if isinstance(code, str) and kind == "indicator":
        return catalogue.indicator(code).short(lang)
    if isinstance(code, str) and kind == "element":
        return catalogue.element(code).short(lang)
    return str(getattr(row, "indicator", ""))


def safe_link(url: object) -> str | None:
    """The URL when it is an http(s) address a report may link to; None otherwise (javascript:, bare text…)."""
    text = str(url or "").strip()
    if " " in text:
        return None
    if text.startswith("//"):
        text = "https:" + text
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme in ("http", "https") and "." in parts.netloc:
        return parts.geturl()
    return None


def domain(url: object) -> str:
    """The site a source is on ("baohaiduong.vn"), for short mentions; the text itself when it is not a URL."""
    link = safe_link(url)
    if link is None:
        return str(url or "")
    host = urlsplit(link).netloc
    return host.removeprefix("www.")
