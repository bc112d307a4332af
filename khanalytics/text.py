"""The one text fold: how the package compares what people type.

Province names, column headers and file-name slugs all go through ``soft_fold``,
so they agree on what is "the same text": NFC or NFD, old or new tone
placement ("Hoà"/"Hòa"), upper or lower case, "Đ" or the look-alike "Ð", and
invisible characters that copy-paste leaves behind (zero-width spaces, soft
hyphens, byte-order marks) all fold to the same key.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def soft_fold(text: object) -> str:
    """Lower case without diacritics or invisible characters; punctuation and spaces kept."""
    s = unicodedata.normalize("NFKC", str(text))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")  # zero-width, soft hyphen, BOM
    s = s.lower().replace("đ", "d").replace("ð", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


def fold(text: object) -> str:
    """``soft_fold`` with punctuation turned to single spaces: the key headers are compared by."""
    return " ".join(_NON_WORD.sub(" ", soft_fold(text)).split())


def slug(text: object, max_length: int = 80) -> str:
    """A safe ASCII file-name part ("Cụm II – Đông Bắc" → "cum-ii-dong-bac"); "report" when nothing is left."""
    ascii_text = soft_fold(text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text).strip("-")[:max_length].strip("-") or "report"
