"""The catalogue's entries: what provinces report (data elements), what is computed from it
(indicators), the learning titles, and one checked catalogue holding them.

Declared once, in ``reference/catalogue.yaml``, so that the importer, the
store, the analysis and the reports agree on codes, labels, units and on how
a figure aggregates: counts add up, rates are ratios of sums (24,07 % for
Cụm II is summed members over summed population, never a mean of rates).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal

import pandas as pd

from khanalytics.catalogue.headers import HeaderMatch, Vocabulary
from khanalytics.errors import KhanalyticsError, ReferenceFileError

KINDS = ("stock", "flow")
ELEMENT_AGGREGATIONS = ("sum",)
INDICATOR_AGGREGATIONS = ("ratio_of_sums",)
ROLES = ("recognition", "registration")
ELEMENT_ROLES = ("total", "registered", "recognised")


class CatalogueError(KhanalyticsError, ValueError):
    """An unknown code, or a catalogue file that does not hold together."""

    rule = "unknown_code"


class CatalogueFileError(CatalogueError, ReferenceFileError):
    """A catalogue file that cannot be read or breaks its schema (names the file, entry and field)."""

    rule = "bad_reference_file"


# --- entries -------------------------------------------------------------------------


class _InLanguage:
    """A text of an entry in either language: ``entry.label("en")`` reads ``label_en``, any other ``label_vi``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, entry: object, owner: type | None = None) -> Callable[[str], str]:
        def text(lang: str = "vi") -> str:
            return getattr(entry, f"{self.name}_{'en' if lang == 'en' else 'vi'}")

        return text


@dataclass(frozen=True)
class _Entry:
    """What every entry has: a code, labels in both languages, a source and the other names it goes by."""

    code: str
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    _: KW_ONLY
    source: str = ""
    aliases: tuple[str, ...] = ()

    label = _InLanguage()  # the full label, for tables and definitions
    short = _InLanguage()  # the short label, for axes and sentences


@dataclass(frozen=True)
class _Described(_Entry):
    """A unit, a definition and notes in both languages: what elements and indicators add to an entry."""

    unit_vi: str
    unit_en: str
    _: KW_ONLY
    definition_vi: str = ""
    definition_en: str = ""
    notes_vi: str = ""
    notes_en: str = ""

    unit = _InLanguage()  # "người", "%", "đồng"
    definition = _InLanguage()  # what is counted, as a report's definitions sheet says it
    notes = _InLanguage()  # caveats a reader should know


@dataclass(frozen=True)
class DataElement(_Described):
    """A count a province reports for a period (hội viên, chi hội, quỹ …)."""

    kind: Literal["stock", "flow"]
    aggregation: str = "sum"
    decimals: int = 0
    whole_number: bool = True
    non_negative: bool = True
    title: str | None = None  # the learning title this count belongs to
    role: str | None = None  # "total", "registered" or "recognised" within that title

    @property
    def is_money(self) -> bool:
        """Whether the element is a sum in VND (money headers carry a scale)."""
        return self.unit_en.strip().upper() == "VND"

    @property
    def time_aggregation(self) -> str:
        """How half-years make a year: a stock takes the last value, a flow the sum."""
        return "last" if self.kind == "stock" else "sum"


@dataclass(frozen=True)
class Indicator(_Described):
    """sum(numerator) / denominator × factor, computed on sums (ratio of sums)."""

    numerator: tuple[str, ...]
    denominator: str
    factor: float
    aggregation: str = "ratio_of_sums"
    decimals: int = 2
    higher_is_better: bool = True
    title: str | None = None
    role: str | None = None  # "recognition" or "registration"

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every element the indicator needs: numerator parts, then the denominator."""
        return (*self.numerator, self.denominator)

    @property
    def is_percent(self) -> bool:
        """Whether the indicator is a percentage (its unit is "%")."""
        return self.unit_en.strip() == "%"


@dataclass(frozen=True)
class Title(_Entry):
    """A learning title (danh hiệu học tập): recognised ≤ registered ≤ total."""

    total: str
    registered: str
    recognised: str
    recognition_indicator: str | None = None
    registration_indicator: str | None = None

    @property
    def elements(self) -> tuple[str, str, str]:
        """The title's total, registered and recognised elements, in that order."""
        return (self.total, self.registered, self.recognised)


# --- the catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """Elements, indicators and titles of one catalogue file, checked."""

    elements: Mapping[str, DataElement]
    indicators: Mapping[str, Indicator]
    titles: Mapping[str, Title]
    path: str
    vocabulary: Vocabulary = field(repr=False, compare=False)

    # --- look-ups -----------------------------------------------------------------

    def element(self, code: str) -> DataElement:
        """The element with this code; CatalogueError listing the valid codes otherwise."""
        return _lookup(self.elements, code, "yếu tố dữ liệu", "data element")

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; CatalogueError listing the valid codes otherwise."""
        return _lookup(self.indicators, code, "chỉ tiêu", "indicator")

    def title(self, code: str) -> Title:
        """The title with this code; CatalogueError listing the valid codes otherwise."""
        return _lookup(self.titles, code, "danh hiệu", "title")

    # --- headers ------------------------------------------------------------------

    def parse_header(self, text: object) -> HeaderMatch | None:
        """The element a column header denotes, with the scale of its money unit; None when unsure."""
        return self.vocabulary.parse_header(text)

    def match_header(self, text: object) -> str | None:
        """The element code a column header denotes (unscaled values only), or None."""
        return self.vocabulary.match_header(text)

    def match_indicator_header(self, text: object) -> str | None:
        """The indicator a rate column denotes, or None."""
        return self.vocabulary.match_indicator_header(text)

    # --- arithmetic ---------------------------------------------------------------

    def compute(self, indicator_code: str, sums: Mapping[str, Any]) -> float | None:
        """sum(numerator) × factor / denominator; None when the denominator is 0 or a part is missing."""
        ind = self.indicator(indicator_code)
        den = _number(sums.get(ind.denominator))
        if den is None or den == 0:
            return None
        parts = [_number(sums.get(c)) for c in ind.numerator]
        if any(p is None for p in parts):
            return None
        return math.fsum(parts) * ind.factor / den  # type: ignore[arg-type]

    def compute_table(self, indicator_code: str, table: pd.DataFrame) -> pd.Series:
        """``compute`` row by row over a table whose columns are element codes."""
        ind = self.indicator(indicator_code)
        missing = [c for c in ind.inputs if c not in table.columns]
        if missing:
            return pd.Series(float("nan"), index=table.index, name=ind.code, dtype="float64")
        num = table[list(ind.numerator)].apply(pd.to_numeric, errors="coerce").astype("float64")
        den = pd.to_numeric(table[ind.denominator], errors="coerce").astype("float64")
        top = num.sum(axis=1, min_count=len(ind.numerator)).where(num.notna().all(axis=1))
        out = (top * ind.factor / den.where(den != 0)).rename(ind.code)
        return out

    # --- documentation ------------------------------------------------------------

    def frame(self, lang: str = "vi") -> pd.DataFrame:
        """Every element, indicator and title with labels, units, formulas and sources."""
        en = lang == "en"
        cols = (
            [
                "Type",
                "Code",
                "Label",
                "Short label",
                "Unit",
                "Stock or flow",
                "Formula",
                "Aggregation",
                "Decimals",
                "Definition",
                "Notes",
                "Source",
            ]
            if en
            else [
                "Loại",
                "Mã",
                "Tên",
                "Tên ngắn",
                "Đơn vị tính",
                "Thời điểm/thời kỳ",
                "Công thức",
                "Cách tổng hợp",
                "Số chữ số thập phân",
                "Định nghĩa",
                "Ghi chú",
                "Nguồn",
            ]
        )
        kind_text = {
            "stock": "stock (end of period)" if en else "thời điểm (cuối kỳ)",
            "flow": "flow (over the period)" if en else "thời kỳ (cộng dồn trong kỳ)",
        }
        agg_text = {"sum": "sum" if en else "cộng", "ratio_of_sums": "ratio of sums" if en else "tỷ số của các tổng"}
        def described(kind: str, x: DataElement | Indicator, stock_or_flow: str, formula: str) -> list[object]:
            return [kind, x.code, x.label(lang), x.short(lang), x.unit(lang), stock_or_flow, formula,
                    agg_text.get(x.aggregation, x.aggregation), x.decimals, x.definition(lang), x.notes(lang), x.source]

        rows: list[list[object]] = [
            described("Data element" if en else "Số liệu báo cáo", e, kind_text[e.kind], "")
            for e in self.elements.values()
        ]
        rows += [described("Indicator" if en else "Chỉ tiêu", i, "", self.formula(i.code, lang))
                 for i in self.indicators.values()]
        for t in self.titles.values():
            parts = [self.elements[c].short(lang) for c in t.elements]
            formula = (
                f"recognised ({parts[2]}) ≤ registered ({parts[1]}) ≤ total ({parts[0]})"
                if en
                else f"đạt ({parts[2]}) ≤ đăng ký ({parts[1]}) ≤ tổng số ({parts[0]})"
            )
            rows.append(["Title" if en else "Danh hiệu", t.code, t.label(lang), t.short(lang), "", "", formula, "",
                         None, "", "", t.source])
        return pd.DataFrame(rows, columns=cols)

    def formula(self, indicator_code: str, lang: str = "vi") -> str:
        """The indicator in words: "(A + B) / C × 100"."""
        ind = self.indicator(indicator_code)
        top = " + ".join(self.elements[c].short(lang) for c in ind.numerator)
        if len(ind.numerator) > 1:
            top = f"({top})"
        text = f"{top} / {self.elements[ind.denominator].short(lang)}"
        if ind.factor != 1:
            factor = int(ind.factor) if float(ind.factor).is_integer() else ind.factor
            text += f" × {factor}"
        return text


def _lookup(table: Mapping[str, Any], code: object, what_vi: str, what_en: str) -> Any:
    hit = table.get(code.strip()) if isinstance(code, str) else None
    if hit is None:
        raise _unknown(what_vi, what_en, code, table)
    return hit


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number



def _unknown(what_vi: str, what_en: str, code: object, valid: Mapping[str, object]) -> CatalogueError:
    close = ", ".join(difflib.get_close_matches(str(code), list(valid), n=3, cutoff=0.6))
    choices = ", ".join(valid)
    return CatalogueError(
        f"Không có {what_vi} {code!r} trong danh mục; các mã hợp lệ: {choices}." + (f" Gần nhất: {close}." if close else ""),
        f"unknown {what_en} {code!r}; valid codes: {choices}." + (f" closest: {close}." if close else ""),
        value=code,
    )
