"""Helpers for writing test files the way other software does."""

import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software writes it: letters (â, ơ, ư…), then combining tone marks.

    Python's codec cannot encode precomposed toned letters (ả, ộ…), so split each
    letter into its base-with-shape-marks and its tone mark.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(letter + tones)
    return "".join(out).encode("cp1258")
