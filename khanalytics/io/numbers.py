"""Numbers as provinces type them: "2.265.712", "24,07", "(1.200)", "2,265,712".

A cell is read the Vietnamese way (dot for thousands, comma for decimals)
unless it can only mean the English way. Anything else is refused with
``NotANumber`` rather than guessed.
"""

from __future__ import annotations

import math
import re

from khanalytics.errors import KhanalyticsError

__all__ = ["NotANumber", "parse_number"]

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")


class NotANumber(KhanalyticsError, ValueError):
    """A cell that holds text where a number belongs."""

    rule = "not_a_number"

    def __init__(self, cell: object) -> None:
        self.cell = cell
        super().__init__(f"{cell!r} không phải là số (ví dụ 2.265.712 hoặc 24,07)",
                         f"{cell!r} is not a number (e.g. 2.265.712 or 24,07)", value=cell)

    def __reduce__(self) -> tuple[type[NotANumber], tuple[object]]:
        return (type(self), (self.cell,))


def parse_number(cell: object, *, whole: bool = False) -> float | None:
    """A cell as a number; None when empty or a dash; NotANumber otherwise.

    Text follows Vietnamese conventions ("2.265.712", "24,07"); "2,265,712" and
    "24.07" are read the English way because they cannot mean anything else.
    For a whole-number element "502,825" is read as 502825: a decimal count
    cannot be meant.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise NotANumber(cell)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and math.isnan(cell):
            return None
        return float(cell)
    text = _SPACES.sub("", str(cell))
    if text in {"", "-", "–", "—", "…", "..."}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in "-−–":
        negative, text = True, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise NotANumber(cell)
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if text.count(decimal) > 1:
            raise NotANumber(cell)
        text = text.replace(thousands, "").replace(decimal, ".")
    elif dots:
        if dots > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", text):
            if not re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                raise NotANumber(cell)
            text = text.replace(".", "")
    elif commas:
        if commas > 1:
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", text):
                raise NotANumber(cell)
            text = text.replace(",", "")
        elif whole and re.fullmatch(r"\d{1,3},\d{3}", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    value = float(text)
    return -value if negative else value
