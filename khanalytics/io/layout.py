"""Finding the table in a grid: the header row, and what each column holds.

Provinces put their table anywhere: a title and a date above it, a merged
two-row header, notes under it. The layout is the row (among the first 40)
whose cells read best as headers: province name or code, period, elements of
the catalogue (wide form) or an element column and a value column (long form).
Headers that are not in the catalogue are kept, so that the reader can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khanalytics import catalogue
from khanalytics.io.grids import Grid
from khanalytics.text import fold

__all__ = ["Layout", "classify", "find_layout", "rate_indicator"]

_PROVINCE_HEADERS = {"tinh", "tinh thanh", "tinh thanh pho", "tinh tp", "don vi", "ten don vi", "ten tinh", "province",
                     "province name", "dia phuong", "ten tinh thanh", "ten tinh thanh pho", "tinh thanh pho truc thuoc tw",
                     "hoi khuyen hoc tinh", "hoi khuyen hoc tinh thanh pho", "unit"}
_CODE_HEADERS = {"ma tinh", "ma", "ma so", "code", "province code", "ma don vi"}
_PERIOD_HEADERS = {"ky", "ky bao cao", "period", "thoi ky", "ky bc"}
_ELEMENT_HEADERS = {"chi tieu", "ma chi tieu", "element", "indicator", "noi dung", "data element"}
_VALUE_HEADERS = {"gia tri", "so lieu", "value", "so luong", "ket qua"}
_IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "no", "ghi chu", "note", "notes", "nguon", "source",
                    "don vi tinh", "dvt", "unit of measure"}


@dataclass
class Layout:
    """Where the header row is and which column holds what (indices into the grid's rows and cells)."""

    header_row: int  # index into grid.rows
    province_col: int | None
    code_col: int | None
    period_col: int | None
    element_col: int | None
    value_col: int | None
    elements: dict[int, catalogue.HeaderMatch]  # column index -> element and scale (wide form)
    unknown: dict[int, str]  # column index -> header text not in the catalogue
    rates: dict[int, str] = field(default_factory=dict)  # column index -> indicator the column states ("Tỷ lệ HV/DS (%)")


def _header_text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()



def classify(text: str) -> tuple[str, catalogue.HeaderMatch | None]:
    """What a header cell says: "province", "code", "period", "element_name", "value", "ignored", "element"
    (with its match), "unknown" or "empty"."""
    key = fold(text)
    if not key:
        return "empty", None
    key_no_unit = fold(re.sub(r"\s*\(.*\)\s*$", "", text))
    for kind, words in (("province", _PROVINCE_HEADERS), ("code", _CODE_HEADERS), ("period", _PERIOD_HEADERS),
                        ("element_name", _ELEMENT_HEADERS), ("value", _VALUE_HEADERS), ("ignored", _IGNORED_HEADERS)):
        if key in words or key_no_unit in words:
            return kind, None
    match = catalogue.parse_header(text)  # also knows money written in millions of đồng, with its scale
    if match:
        return "element", match
    if rate_indicator(text):
        return "rate", None
    return "unknown", None


def rate_indicator(text: str) -> str | None:
    """The catalogue indicator a rate column states: by its name ("Tỷ lệ GĐHT"), or as "Tỷ lệ A/B" of two elements.

    A rate is computed from its numerator and denominator, never stored as
    data; the reader checks the province's figure against them.
    """
    code = catalogue.match_indicator_header(text)
    if code:
        return code
    parts = re.sub(r"\s*\(.*\)\s*$", "", text).split("/")
    if len(parts) != 2 or not re.match(r"^(?:ty le|rate)\s", fold(parts[0])):
        return None
    top = catalogue.parse_header(re.sub(r"^\s*(?:t[ỷỉ] l[ệê]|tyle|ty le|rate)\s+", "", parts[0], flags=re.IGNORECASE))
    bottom = catalogue.parse_header(parts[1])
    if top is None or bottom is None:
        return None
    for code, indicator in catalogue.indicators().items():
        if indicator.numerator == (top.code,) and indicator.denominator == bottom.code:
            return code
    return None



def find_layout(grid: Grid) -> Layout | None:
    """The header row that reads best in the first 40 rows of a grid, or None when no row names an element."""
    best: tuple[int, Layout] | None = None
    for r in range(min(len(grid.rows), 40)):
        row = grid.rows[r]
        above = grid.rows[r - 1] if r > 0 else []
        kinds: dict[int, tuple[str, catalogue.HeaderMatch | None]] = {}
        for c, cell in enumerate(row):
            text = _header_text(cell)
            kind, element = classify(text)
            if kind in ("unknown", "empty") and c < len(above) and _header_text(above[c]):
                combined = f"{_header_text(above[c])} {text}".strip()
                kind2, element2 = classify(combined)
                if kind2 not in ("unknown", "empty"):
                    kind, element = kind2, element2
            kinds[c] = (kind, element)
        elements = {c: e for c, (k, e) in kinds.items() if k == "element" and e}
        first = {k: next((c for c, (kk, _) in kinds.items() if kk == k), None)
                 for k in ("province", "code", "period", "element_name", "value")}
        long_form = first["element_name"] is not None and first["value"] is not None
        if not elements and not long_form:
            continue
        score = len(elements) + (3 if long_form else 0) + (1 if first["province"] is not None else 0)
        layout = Layout(
            header_row=r,
            province_col=first["province"],
            code_col=first["code"],
            period_col=first["period"],
            element_col=first["element_name"],
            value_col=first["value"],
            elements={} if long_form else elements,
            unknown={} if long_form else {c: _header_text(row[c]) for c, (k, _) in kinds.items() if k == "unknown"},
            rates={} if long_form else {c: code for c, (k, _) in kinds.items() if k == "rate"
                                        if (code := rate_indicator(_header_text(row[c])) or rate_indicator(
                                            f"{_header_text(above[c]) if c < len(above) else ''} {_header_text(row[c])}"))},
        )
        if best is None or score > best[0]:
            best = (score, layout)
    return best[1] if best else None
