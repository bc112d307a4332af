"""The catalogue: what provinces report (data elements) and what is computed from it (indicators).

Declared once, in ``reference/catalogue.yaml``, so that the importer, the
store, the analysis and the reports agree on codes, labels, units and on how
a figure aggregates: counts add up, rates are ratios of sums (24,07 % for
Cụm II is summed members over summed population, never a mean of rates).

It also knows how provinces write column headers. Provinces type headers in
many ways (with or without diacritics, abbreviations, units, dates, English);
``match_header`` maps one to the element it denotes, or to nothing. It prefers
nothing over a guess: a title column without "đăng ký"/"đạt", a rate column,
or money in millions is never read as a count in VND.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd
import yaml

KINDS = ("stock", "flow")
ELEMENT_AGGREGATIONS = ("sum",)
INDICATOR_AGGREGATIONS = ("ratio_of_sums",)
ROLES = ("recognition", "registration")
ELEMENT_ROLES = ("total", "registered", "recognised")


class CatalogueError(ValueError):
    """An unknown code, or a catalogue file that does not hold together."""


# --- entries -------------------------------------------------------------------------


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


@dataclass(frozen=True)
class DataElement:
    """A count a province reports for a period (hội viên, chi hội, quỹ …)."""

    code: str
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    unit_vi: str
    unit_en: str
    kind: Literal["stock", "flow"]
    aggregation: str = "sum"
    decimals: int = 0
    whole_number: bool = True
    non_negative: bool = True
    definition_vi: str = ""
    definition_en: str = ""
    notes_vi: str = ""
    notes_en: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()
    title: str | None = None  # the learning title this count belongs to
    role: str | None = None  # "total", "registered" or "recognised" within that title

    def label(self, lang: str = "vi") -> str:
        return _pick(lang, self.label_vi, self.label_en)

    def short(self, lang: str = "vi") -> str:
        return _pick(lang, self.short_vi, self.short_en)

    def unit(self, lang: str = "vi") -> str:
        return _pick(lang, self.unit_vi, self.unit_en)

    def definition(self, lang: str = "vi") -> str:
        return _pick(lang, self.definition_vi, self.definition_en)

    def notes(self, lang: str = "vi") -> str:
        return _pick(lang, self.notes_vi, self.notes_en)

    @property
    def is_money(self) -> bool:
        return self.unit_en.strip().upper() == "VND"

    @property
    def time_aggregation(self) -> str:
        """How half-years make a year: a stock takes the last value, a flow the sum."""
        return "last" if self.kind == "stock" else "sum"


@dataclass(frozen=True)
class Indicator:
    """sum(numerator) / denominator × factor, computed on sums (ratio of sums)."""

    code: str
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    unit_vi: str
    unit_en: str
    numerator: tuple[str, ...]
    denominator: str
    factor: float
    aggregation: str = "ratio_of_sums"
    decimals: int = 2
    higher_is_better: bool = True
    title: str | None = None
    role: str | None = None  # "recognition" or "registration"
    definition_vi: str = ""
    definition_en: str = ""
    notes_vi: str = ""
    notes_en: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "vi") -> str:
        return _pick(lang, self.label_vi, self.label_en)

    def short(self, lang: str = "vi") -> str:
        return _pick(lang, self.short_vi, self.short_en)

    def unit(self, lang: str = "vi") -> str:
        return _pick(lang, self.unit_vi, self.unit_en)

    def definition(self, lang: str = "vi") -> str:
        return _pick(lang, self.definition_vi, self.definition_en)

    def notes(self, lang: str = "vi") -> str:
        return _pick(lang, self.notes_vi, self.notes_en)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every element the indicator needs: numerator parts, then the denominator."""
        return (*self.numerator, self.denominator)

    @property
    def is_percent(self) -> bool:
        return self.unit_en.strip() == "%"


@dataclass(frozen=True)
class Title:
    """A learning title (danh hiệu học tập): recognised ≤ registered ≤ total."""

    code: str
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    total: str
    registered: str
    recognised: str
    source: str = ""
    aliases: tuple[str, ...] = ()
    recognition_indicator: str | None = None
    registration_indicator: str | None = None

    def label(self, lang: str = "vi") -> str:
        return _pick(lang, self.label_vi, self.label_en)

    def short(self, lang: str = "vi") -> str:
        return _pick(lang, self.short_vi, self.short_en)

    @property
    def elements(self) -> tuple[str, str, str]:
        return (self.total, self.registered, self.recognised)


@dataclass(frozen=True)
class HeaderMatch:
    """What a column header denotes: an element, and the multiplier its unit implies.

    ``scale`` is 1 except for money written in thousands, millions or billions
    of đồng ("Quỹ vận động (triệu đồng)" → 1 000 000): multiply the cells by
    it to get VND.
    """

    code: str
    scale: int = 1


# --- folding headers ---------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def _soft(text: object) -> str:
    """NFKC, lower case, đ/ð → d, combining marks dropped; punctuation kept."""
    s = unicodedata.normalize("NFKC", str(text)).lower().replace("đ", "d").replace("ð", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


def fold(text: object) -> str:
    """The comparison key of a header: no case, diacritics, punctuation or extra spaces.

    NFC and NFD input, old and new tone placement ("Hoà"/"Hòa") all give the
    same key because the marks are dropped; "Đ" and the look-alike "Ð" become "d".
    """
    return " ".join(_NON_WORD.sub(" ", _soft(text)).split())


# Spelling variants that survive folding (kí/ký, quĩ/quỹ, tỉ/tỷ).
_VARIANTS = {"ki": "ky", "qui": "quy", "ti": "ty"}


def _table(text: str) -> set[str]:
    return {w.strip() for w in text.split("|") if w.strip()}


_MONEY_SCALES: dict[str, int] = {}
for _scale, _words in (
    (1, "dong|vnd|d|vn dong|dong vn|viet nam dong|dong viet nam"),
    (
        1_000,
        "nghin dong|ngan dong|nghin|ngan|1000 dong|1 000 dong|1000d|1000 d|nghin d|thousand vnd|thousand dong|"
        "000 vnd|000 dong|kvnd",
    ),
    (
        1_000_000,
        "trieu dong|trieu|tr dong|trd|tr d|tr|million vnd|million dong|mil vnd|mln vnd|m vnd|1 000 000 dong|"
        "1000000 dong",
    ),
    (1_000_000_000, "ty dong|ty|billion vnd|billion dong|bn vnd|ty vnd"),
):
    _MONEY_SCALES.update(dict.fromkeys(_table(_words), _scale))

_COUNT_UNITS = _table(
    "nguoi|ho|hoi vien|hv|xa|hoi|chi hoi|ban|thon|dong ho|don vi|suat|trung tam|cai|so luong|sl|luot|people|persons|"
    "person|households|members|communes|associations|branches|boards|villages|clans|units|awards|centres|centers|"
    "count|number|nguoi dan|so"
)
_PERCENT_UNITS = {"phan tram", "percent", "pct"}

_BRACKETS = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_UNIT_LABEL = re.compile(r"(?:\bdvt\b|\bdon vi tinh\b|\bunit\b)\s*:?\s*([^,;()\[\]]*)$")
_TRAILING_UNIT = re.compile(r"\s*[,;:\-–—]\s*([^,;:\-–—()]+)$")

_DATES = (
    re.compile(
        r"\b(?:(?:tinh )?den(?: het)?(?: ngay| thang)?|ngay|thang|nam|year|as of|at|on|in|by|end of) "
        r"(?:\d{1,2} ){0,2}(?:19|20)\d{2}\b"
    ),
    re.compile(r"\b(?:\d{1,2} ){0,2}(?:19|20)\d{2}(?: h[12])?\b"),
    re.compile(r"\b(?:tinh )?den(?: het)?(?: ngay| thang)?(?: \d{1,2}){1,2}\b"),
    re.compile(r"\b(?:6|sau) thang(?: dau| cuoi)?(?: nam)?\b"),
    re.compile(
        r"\b(?:ca nam|cuoi ky|trong ky|ky bao cao|trong nam|hien co|hien nay|(?:tinh )?den nay|bao cao|"
        r"reported|as of|at end of period|end of period|in the period|in period)\b"
    ),
)
_LEADING = re.compile(
    r"^(?:(?:tong so|tong cong|tong|so luong|so|sl|cac|nhung|total|number of|no of|count of|the|nb of)"
    r"(?: |$))+"
)
_COUNTING = re.compile(r"\b(?:so|so luong|sl|number of|no of|count of|nb of)\b")
_TRAILING = re.compile(r"(?: (?:at|as of|on|in|den|tinh den|den het|nam|year|ngay|thang))+$")


@dataclass(frozen=True)
class _Cleaned:
    key: str  # for exact lookup
    words: str  # key plus the words of count units, for reading a header from its parts
    money_scale: int | None  # a money unit was written: its multiplier
    count_unit: bool  # a counting unit (người, hộ, suất …) was written
    counted: bool  # the header began with "Số", "Số lượng", "Number of" …
    percent: bool


def _key_words(text: object) -> str:
    """``fold`` with the spelling variants unified."""
    return " ".join(_VARIANTS.get(w, w) for w in fold(text).split())


def _unit_kind(content_soft: str) -> tuple[str, int] | None:
    """("money", scale) | ("count", 1) | ("percent", 1) for the text of a unit, else None."""
    if "%" in content_soft:
        return ("percent", 1)
    key = re.sub(r"^(?:dvt|don vi tinh|unit)\b\s*", "", _key_words(content_soft))
    if key in _MONEY_SCALES:
        return ("money", _MONEY_SCALES[key])
    if key in _PERCENT_UNITS:
        return ("percent", 1)
    if key in _COUNT_UNITS:
        return ("count", 1)
    return None


def _strip_fillers(key: str) -> tuple[str, bool]:
    """The key without dates and leading "Số", "Tổng số" …; and whether a counting word led it."""
    for pattern in _DATES:
        key = pattern.sub(" ", key)
    key = " ".join(key.split())
    lead = _LEADING.match(key)
    counted = bool(lead and _COUNTING.search(lead.group(0)))
    key = key[lead.end() :] if lead else key
    key = _TRAILING.sub("", key)
    return key.strip(), counted


@lru_cache(maxsize=16384)
def _clean(text: str) -> _Cleaned:
    soft = _soft(text).replace("_", " ")
    percent = "%" in soft
    money: int | None = None
    count = False
    unit_words: list[str] = []

    def take(content: str) -> bool:
        nonlocal money, count, percent
        kind = _unit_kind(content)
        if kind is None:
            return False
        if kind[0] == "money":
            money = kind[1]
        elif kind[0] == "percent":
            percent = True
        else:
            count = True
            unit_words.append(fold(content))
        return True

    def bracket(m: re.Match[str]) -> str:
        return " " if take(m.group(1)) else f" {m.group(1)} "

    soft = _BRACKETS.sub(bracket, soft)
    m = _UNIT_LABEL.search(soft)
    if m and take(m.group(1)):
        soft = soft[: m.start()]
    m = _TRAILING_UNIT.search(soft)
    if m and (k := _unit_kind(m.group(1))) and k[0] in ("money", "percent"):
        take(m.group(1))
        soft = soft[: m.start()]
    key, counted = _strip_fillers(_key_words(soft))
    words = " ".join([key, *unit_words]).strip()
    return _Cleaned(key, words, money, count, counted, percent)


def header_key(text: object) -> str:
    """The key ``match_header`` looks up: folded, without units, dates and "Số"/"Tổng số"."""
    return _clean(str(text)).key


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    keys = sorted({k for k in (_key_words(p) for p in phrases) if k}, key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\S)")


def _hits(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    return pattern.findall(text) if pattern is not None else []


# --- the catalogue ---------------------------------------------------------------------------

_COMMON_KEYS = _table("code|label_vi|label_en|short_vi|short_en|source|aliases")
_TEXT_KEYS = _table("unit_vi|unit_en|definition_vi|definition_en|notes_vi|notes_en|aggregation|decimals")
_ELEMENT_KEYS = _COMMON_KEYS | _TEXT_KEYS | _table("kind|whole_number|non_negative")
_INDICATOR_KEYS = _COMMON_KEYS | _TEXT_KEYS | _table("numerator|denominator|factor|higher_is_better|title|role")
_TITLE_KEYS = _COMMON_KEYS | _table("total|registered|recognised")
_LABELS = ("label_vi", "label_en", "short_vi", "short_en", "unit_vi", "unit_en")
_TOP_KEYS = {"version", "elements", "indicators", "titles", "element_defaults", "indicator_defaults", "header_words"}
_WORD_GROUPS = ("registered", "recognised", "commune_level", "village_level", "level_kha", "level_tot", "rate")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class _Vocabulary:
    elements: Mapping[str, str]  # header key -> element code
    indicators: Mapping[str, str]  # header key -> indicator code
    by_unit: Mapping[str, tuple[str, str]]  # header key -> (count element, money element)
    title_of: Mapping[str, str]  # folded title phrase -> title code
    titles: re.Pattern[str] | None
    groups: Mapping[str, re.Pattern[str] | None]


@dataclass(frozen=True)
class Catalogue:
    """Elements, indicators and titles of one catalogue file, checked."""

    elements: Mapping[str, DataElement]
    indicators: Mapping[str, Indicator]
    titles: Mapping[str, Title]
    path: str
    _vocab: _Vocabulary = field(repr=False, compare=False)

    # --- look-ups -----------------------------------------------------------------

    def element(self, code: str) -> DataElement:
        hit = self.elements.get(str(code).strip()) if isinstance(code, str) else None
        if hit is None:
            raise _unknown("yếu tố dữ liệu", "data element", code, self.elements)
        return hit

    def indicator(self, code: str) -> Indicator:
        hit = self.indicators.get(str(code).strip()) if isinstance(code, str) else None
        if hit is None:
            raise _unknown("chỉ tiêu", "indicator", code, self.indicators)
        return hit

    def title(self, code: str) -> Title:
        hit = self.titles.get(str(code).strip()) if isinstance(code, str) else None
        if hit is None:
            raise _unknown("danh hiệu", "title", code, self.titles)
        return hit

    # --- headers ------------------------------------------------------------------

    def parse_header(self, text: object) -> HeaderMatch | None:
        if _blank(text):
            return None
        c = _clean(str(text))
        if not c.key:
            return None
        v = self._vocab
        if c.percent or _hits(v.groups["rate"], c.words):
            return None
        # the words with a counting unit first: "Cộng đồng học tập đạt (xã)" is about communes
        code = v.elements.get(c.words)
        if code is None and _hits(v.titles, c.words):
            code = self._compose(c.words)  # a title is named: its parts decide, or nothing does
        elif code is None and c.key in v.by_unit:
            count_code, money_code = v.by_unit[c.key]
            code = money_code if c.money_scale is not None else count_code if c.count_unit or c.counted else None
        elif code is None:
            code = v.elements.get(c.key)
        if code is None:
            return None
        element = self.elements[code]
        if element.is_money:
            return None if c.count_unit else HeaderMatch(code, c.money_scale or 1)
        return None if c.money_scale is not None else HeaderMatch(code, 1)

    def match_header(self, text: object) -> str | None:
        found = self.parse_header(text)
        return found.code if found is not None and found.scale == 1 else None

    def match_indicator_header(self, text: object) -> str | None:
        if _blank(text):
            return None
        c = _clean(str(text))
        v = self._vocab
        if c.key in v.indicators:
            return v.indicators[c.key]
        rate = v.groups["rate"]
        if not (c.percent or _hits(rate, c.words)):
            return None
        rest = _strip_fillers(rate.sub(" ", c.words) if rate is not None else c.words)[0]
        rest = re.sub(r"^(?:(?:cua|so voi|tren|of|so|ty le) )+", "", rest)
        titles = {v.title_of[h] for h in _hits(v.titles, rest)}
        if len(titles) == 1:
            title = self.titles[titles.pop()]
            if title.code == "communities" and self._commune_level(rest):
                candidates = [i for i in self.indicators.values() if set(i.numerator) >= {"learning_communes_kha"}]
                return candidates[0].code if len(candidates) == 1 else None
            registered = bool(_hits(v.groups["registered"], rest))
            recognised = bool(_hits(v.groups["recognised"], rest))
            if registered and recognised:
                return None
            return title.registration_indicator if registered else title.recognition_indicator
        code = v.elements.get(rest) or self._compose(rest)
        if code is None:
            return None
        candidates = [i.code for i in self.indicators.values() if code in i.numerator and i.is_percent]
        return candidates[0] if len(candidates) == 1 else None

    def _commune_level(self, words: str) -> bool:
        g = self._vocab.groups
        return bool(_hits(g["level_kha"], words) or _hits(g["level_tot"], words)) or (
            bool(_hits(g["commune_level"], words)) and not _hits(g["village_level"], words)
        )

    def _compose(self, words: str) -> str | None:
        """An element named by its parts: a title's words and "đăng ký" / "đạt" (and a level)."""
        v = self._vocab
        titles = {v.title_of[h] for h in _hits(v.titles, words)}
        if len(titles) != 1:
            return None
        title = self.titles[titles.pop()]
        g = v.groups
        registered = bool(_hits(g["registered"], words))
        recognised = bool(_hits(g["recognised"], words))
        kha, tot = bool(_hits(g["level_kha"], words)), bool(_hits(g["level_tot"], words))
        if title.code == "communities" and self._commune_level(words):
            if registered or _hits(g["village_level"], words) or kha == tot:
                return None
            code = "learning_communes_kha" if kha else "learning_communes_tot"
            return code if code in self.elements else None
        if kha or tot or registered == recognised:
            return None
        return title.registered if registered else title.recognised

    # --- arithmetic ---------------------------------------------------------------

    def compute(self, indicator_code: str, sums: Mapping[str, Any]) -> float | None:
        ind = self.indicator(indicator_code)
        den = _number(sums.get(ind.denominator))
        if den is None or den == 0:
            return None
        parts = [_number(sums.get(c)) for c in ind.numerator]
        if any(p is None for p in parts):
            return None
        return math.fsum(parts) * ind.factor / den  # type: ignore[arg-type]

    def compute_table(self, indicator_code: str, table: pd.DataFrame) -> pd.Series:
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
        rows: list[list[object]] = []
        for e in self.elements.values():
            rows.append(
                [
                    "Data element" if en else "Số liệu báo cáo",
                    e.code,
                    e.label(lang),
                    e.short(lang),
                    e.unit(lang),
                    kind_text[e.kind],
                    "",
                    agg_text.get(e.aggregation, e.aggregation),
                    e.decimals,
                    e.definition(lang),
                    e.notes(lang),
                    e.source,
                ]
            )
        for i in self.indicators.values():
            rows.append(
                [
                    "Indicator" if en else "Chỉ tiêu",
                    i.code,
                    i.label(lang),
                    i.short(lang),
                    i.unit(lang),
                    "",
                    self.formula(i.code, lang),
                    agg_text.get(i.aggregation, i.aggregation),
                    i.decimals,
                    i.definition(lang),
                    i.notes(lang),
                    i.source,
                ]
            )
        for t in self.titles.values():
            parts = [self.elements[c].short(lang) for c in t.elements]
            formula = (
                f"recognised ({parts[2]}) ≤ registered ({parts[1]}) ≤ total ({parts[0]})"
                if en
                else f"đạt ({parts[2]}) ≤ đăng ký ({parts[1]}) ≤ tổng số ({parts[0]})"
            )
            rows.append(
                [
                    "Title" if en else "Danh hiệu",
                    t.code,
                    t.label(lang),
                    t.short(lang),
                    "",
                    "",
                    formula,
                    "",
                    None,
                    "",
                    "",
                    t.source,
                ]
            )
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


def _blank(text: object) -> bool:
    if text is None:
        return True
    if isinstance(text, float) and math.isnan(text):
        return True
    try:
        return bool(pd.isna(text)) if not isinstance(text, str) else not text.strip()
    except (TypeError, ValueError):
        return False


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _unknown(what_vi: str, what_en: str, code: object, valid: Mapping[str, object]) -> CatalogueError:
    close = difflib.get_close_matches(str(code), list(valid), n=3, cutoff=0.6)
    hint = f" Gần nhất / closest: {', '.join(close)}." if close else ""
    choices = ", ".join(valid)
    return CatalogueError(
        f"Không có {what_vi} {code!r} trong danh mục; các mã hợp lệ: {choices} / "
        f"unknown {what_en} {code!r}; valid codes: {choices}.{hint}"
    )


# --- loading and checking the file ------------------------------------------------------------


class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, vi: str, en: str) -> None:
        self.items.append(f"{where}: {vi} / {en}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = "\n  - ".join(self.items[:25])
            more = f"\n  (+{len(self.items) - 25} …)" if len(self.items) > 25 else ""
            raise CatalogueError(
                f"Danh mục không hợp lệ / invalid catalogue {self.path} ({len(self.items)}):\n  - {shown}{more}"
            )


def _text(entry: Mapping, key: str, where: str, problems: _Problems, required: bool = True) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            problems.add(where, f"thiếu '{key}'", f"'{key}' is missing")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
        problems.add(where, f"'{key}' phải là một chuỗi không rỗng", f"'{key}' must be a non-empty string")
        return ""
    return str(value).strip()


def _flag(entry: Mapping, key: str, default: bool, where: str, problems: _Problems) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        problems.add(where, f"'{key}' phải là true/false, không phải {value!r}", f"'{key}' must be true or false")
        return default
    return value


def _decimals(entry: Mapping, default: object, where: str, problems: _Problems) -> int:
    value = entry.get("decimals", default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
        problems.add(
            where,
            f"'decimals' phải là số nguyên 0–6, không phải {value!r}",
            f"'decimals' must be an integer 0–6, not {value!r}",
        )
        return 0
    return value


def _aliases(entry: Mapping, where: str, problems: _Problems) -> tuple[str, ...]:
    value = entry.get("aliases", [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        problems.add(where, "'aliases' phải là danh sách chuỗi", "'aliases' must be a list of strings")
        return ()
    return tuple(a.strip() for a in value)


def _entries(raw: Mapping, section: str, allowed: set[str], problems: _Problems) -> list[tuple[str, dict]]:
    items = raw.get(section)
    if not isinstance(items, list) or not items:
        problems.add(section, "phải là một danh sách không rỗng", "must be a non-empty list")
        return []
    out: list[tuple[str, dict]] = []
    seen: set[str] = set()
    for n, entry in enumerate(items, start=1):
        where = f"{section}[{n}]"
        if not isinstance(entry, dict):
            problems.add(where, "phải là một bảng khoá: giá trị", "must be a mapping")
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            problems.add(
                where,
                f"mã không hợp lệ {code!r} (chữ thường, số, '_')",
                f"invalid code {code!r} (lower case, digits, '_')",
            )
            continue
        where = f"{section}.{code}"
        if code in seen:
            problems.add(where, "mã bị trùng", "duplicate code")
            continue
        seen.add(code)
        unknown = sorted(set(entry) - allowed)
        if unknown:
            problems.add(where, f"khoá không biết {unknown}", f"unknown keys {unknown}")
        out.append((code, entry))
    return out


def _build(raw: object, path: str) -> Catalogue:
    problems = _Problems(path)
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: tệp danh mục phải là một bảng YAML / the catalogue must be a YAML mapping")
    extra = sorted(set(raw) - _TOP_KEYS)
    if extra:
        problems.add("(file)", f"mục không biết {extra}", f"unknown sections {extra}")
    el_defaults = raw.get("element_defaults") or {}
    ind_defaults = raw.get("indicator_defaults") or {}
    for name, value in (("element_defaults", el_defaults), ("indicator_defaults", ind_defaults)):
        if not isinstance(value, dict):
            problems.add(name, "phải là một bảng", "must be a mapping")
    el_defaults = el_defaults if isinstance(el_defaults, dict) else {}
    ind_defaults = ind_defaults if isinstance(ind_defaults, dict) else {}

    # titles first: elements learn which title and role they belong to
    title_entries = _entries(raw, "titles", _TITLE_KEYS, problems)
    element_entries = _entries(raw, "elements", _ELEMENT_KEYS, problems)
    element_codes = [c for c, _ in element_entries]
    role_of: dict[str, tuple[str, str]] = {}
    for code, t in title_entries:
        for role in ELEMENT_ROLES:
            target = t.get(role)
            if target not in element_codes:
                problems.add(
                    f"titles.{code}",
                    f"'{role}' = {target!r} không phải yếu tố dữ liệu",
                    f"'{role}' = {target!r} is not a data element",
                )
            elif target in role_of:
                problems.add(
                    f"titles.{code}",
                    f"{target!r} đã thuộc danh hiệu {role_of[target][0]}",
                    f"{target!r} already belongs to title {role_of[target][0]}",
                )
            else:
                role_of[target] = (code, role)

    elements: dict[str, DataElement] = {}
    for code, e in element_entries:
        where = f"elements.{code}"
        merged = {**el_defaults, **e}
        kind = merged.get("kind")
        if kind not in KINDS:
            problems.add(
                where,
                f"'kind' phải là stock hoặc flow, không phải {kind!r}",
                f"'kind' must be stock or flow, not {kind!r}",
            )
        aggregation = merged.get("aggregation", "sum")
        if aggregation not in ELEMENT_AGGREGATIONS:
            problems.add(
                where,
                f"'aggregation' phải là {ELEMENT_AGGREGATIONS}",
                f"'aggregation' must be one of {ELEMENT_AGGREGATIONS}",
            )
        title, role = role_of.get(code, (None, None))
        elements[code] = DataElement(
            code=code,
            **{k: _text(merged, k, where, problems) for k in _LABELS},
            kind=kind if kind in KINDS else "stock",
            aggregation=str(aggregation),
            decimals=_decimals(merged, 0, where, problems),
            whole_number=_flag(merged, "whole_number", True, where, problems),
            non_negative=_flag(merged, "non_negative", True, where, problems),
            **{
                k: _text(merged, k, where, problems, required=False)
                for k in ("definition_vi", "definition_en", "notes_vi", "notes_en", "source")
            },
            aliases=_aliases(merged, where, problems),
            title=title,
            role=role,
        )

    title_codes = {c for c, _ in title_entries}
    indicators: dict[str, Indicator] = {}
    for code, i in _entries(raw, "indicators", _INDICATOR_KEYS, problems):
        where = f"indicators.{code}"
        merged = {**ind_defaults, **i}
        if code in elements:
            problems.add(where, "trùng mã với một yếu tố dữ liệu", "same code as a data element")
        numerator = merged.get("numerator")
        if isinstance(numerator, str):
            numerator = [numerator]
        if not isinstance(numerator, list) or not numerator or len(set(map(str, numerator))) != len(numerator):
            problems.add(
                where,
                "'numerator' phải là danh sách mã không rỗng, không trùng",
                "'numerator' must be a non-empty list of distinct codes",
            )
            numerator = []
        for part in numerator:
            if part not in elements:
                problems.add(
                    where,
                    f"tử số {part!r} không phải yếu tố dữ liệu; có: {', '.join(elements)}",
                    f"numerator {part!r} is not a data element",
                )
        denominator = merged.get("denominator")
        if denominator not in elements:
            problems.add(
                where,
                f"mẫu số {denominator!r} không phải yếu tố dữ liệu; có: {', '.join(elements)}",
                f"denominator {denominator!r} is not a data element",
            )
        elif denominator in numerator:
            problems.add(where, "mẫu số nằm trong tử số", "the denominator is also in the numerator")
        factor = merged.get("factor", 1)
        if not isinstance(factor, int | float) or isinstance(factor, bool) or not factor > 0:
            problems.add(
                where, f"'factor' phải là số dương, không phải {factor!r}", "'factor' must be a positive number"
            )
            factor = 1
        aggregation = merged.get("aggregation", "ratio_of_sums")
        if aggregation not in INDICATOR_AGGREGATIONS:
            problems.add(
                where,
                f"'aggregation' phải là {INDICATOR_AGGREGATIONS}",
                f"'aggregation' must be one of {INDICATOR_AGGREGATIONS}",
            )
        title, role = merged.get("title"), merged.get("role")
        if title is not None and title not in title_codes:
            problems.add(where, f"danh hiệu {title!r} không có trong 'titles'", f"title {title!r} is not in 'titles'")
        if role is not None and role not in ROLES:
            problems.add(where, f"'role' phải là {ROLES}, không phải {role!r}", f"'role' must be one of {ROLES}")
        if title is not None and role is None:
            problems.add(where, "có 'title' thì phải có 'role'", "'title' needs a 'role'")
        indicators[code] = Indicator(
            code=code,
            **{k: _text(merged, k, where, problems) for k in _LABELS},
            numerator=tuple(str(p) for p in numerator),
            denominator=str(denominator),
            factor=factor,
            aggregation=str(aggregation),
            decimals=_decimals(merged, 2, where, problems),
            higher_is_better=_flag(merged, "higher_is_better", True, where, problems),
            title=title,
            role=role,
            **{
                k: _text(merged, k, where, problems, required=False)
                for k in ("definition_vi", "definition_en", "notes_vi", "notes_en", "source")
            },
            aliases=_aliases(merged, where, problems),
        )

    titles: dict[str, Title] = {}
    for code, t in title_entries:
        where = f"titles.{code}"
        by_role: dict[str, list[str]] = {r: [] for r in ROLES}
        for ind in indicators.values():
            if ind.title == code and ind.role in by_role:
                by_role[ind.role].append(ind.code)
                wanted_top = t.get("recognised") if ind.role == "recognition" else t.get("registered")
                if ind.numerator != (wanted_top,) or ind.denominator != t.get("total"):
                    problems.add(
                        f"indicators.{ind.code}",
                        f"phải là {wanted_top} / {t.get('total')} theo danh hiệu {code}",
                        f"must be {wanted_top} / {t.get('total')} per title {code}",
                    )
        for role, codes in by_role.items():
            if len(codes) > 1:
                problems.add(where, f"nhiều chỉ tiêu '{role}': {codes}", f"several '{role}' indicators: {codes}")
        titles[code] = Title(
            code=code,
            **{k: _text(t, k, where, problems) for k in ("label_vi", "label_en", "short_vi", "short_en")},
            total=str(t.get("total")),
            registered=str(t.get("registered")),
            recognised=str(t.get("recognised")),
            source=_text(t, "source", where, problems, required=False),
            aliases=_aliases(t, where, problems),
            recognition_indicator=(by_role["recognition"] or [None])[0],
            registration_indicator=(by_role["registration"] or [None])[0],
        )
    problems.raise_if_any()
    vocab = _vocabulary(raw.get("header_words") or {}, elements, indicators, titles, problems)
    problems.raise_if_any()
    return Catalogue(MappingProxyType(elements), MappingProxyType(indicators), MappingProxyType(titles), path, vocab)


def _vocabulary(
    words: Mapping,
    elements: Mapping[str, DataElement],
    indicators: Mapping[str, Indicator],
    titles: Mapping[str, Title],
    problems: _Problems,
) -> _Vocabulary:
    """Header keys of every element and indicator; a key may denote one thing only."""
    if not isinstance(words, dict):
        problems.add("header_words", "phải là một bảng", "must be a mapping")
        words = {}
    unknown = sorted(set(words) - {*_WORD_GROUPS, "unit_dependent"})
    if unknown:
        problems.add("header_words", f"nhóm không biết {unknown}", f"unknown groups {unknown}")

    def names(entry: DataElement | Indicator) -> list[str]:
        return [entry.code, entry.label_vi, entry.label_en, entry.short_vi, entry.short_en, *entry.aliases]

    owner: dict[str, str] = {}  # key -> "element code" / "indicator code", for messages

    def claim(key: str, who: str, text: str, table: dict[str, str], code: str) -> None:
        if not key:
            problems.add(who, f"tên {text!r} rỗng sau khi chuẩn hoá", f"name {text!r} is empty once folded")
        elif key in owner and owner[key] != who:
            problems.add(
                who,
                f"tên {text!r} (khoá {key!r}) đã thuộc {owner[key]}",
                f"name {text!r} (key {key!r}) already denotes {owner[key]}",
            )
        else:
            owner[key] = who
            table[key] = code

    by_element: dict[str, str] = {}
    for e in elements.values():
        for text in names(e):
            claim(_clean(text).key, f"elements.{e.code}", text, by_element, e.code)
    by_indicator: dict[str, str] = {}
    for i in indicators.values():
        for text in names(i):
            claim(_clean(text).key, f"indicators.{i.code}", text, by_indicator, i.code)

    by_unit: dict[str, tuple[str, str]] = {}
    for n, group in enumerate(words.get("unit_dependent") or [], start=1):
        where = f"header_words.unit_dependent[{n}]"
        count, money = (group or {}).get("count"), (group or {}).get("money")
        if count not in elements or elements[count].is_money or money not in elements or not elements[money].is_money:
            problems.add(
                where,
                "'count' phải là số đếm, 'money' là số tiền (đồng) trong danh mục",
                "'count' must be a count element and 'money' a VND element",
            )
            continue
        for text in group.get("words") or []:
            key = _clean(text).key
            if key in owner:
                problems.add(where, f"{text!r} đã thuộc {owner[key]}", f"{text!r} already denotes {owner[key]}")
            by_unit[key] = (count, money)

    title_of: dict[str, str] = {}
    for t in titles.values():
        for text in (t.label_vi, t.label_en, t.short_vi, t.short_en, *t.aliases):
            key = _key_words(text)
            if title_of.get(key, t.code) != t.code:
                problems.add(
                    f"titles.{t.code}",
                    f"{text!r} đã chỉ danh hiệu {title_of[key]}",
                    f"{text!r} already names title {title_of[key]}",
                )
            title_of[key] = t.code
    groups: dict[str, re.Pattern[str] | None] = {}
    for name in _WORD_GROUPS:
        listed = words.get(name) or []
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            problems.add(f"header_words.{name}", "phải là danh sách chuỗi", "must be a list of strings")
            listed = []
        groups[name] = _phrase_regex(listed)
    return _Vocabulary(
        MappingProxyType(by_element),
        MappingProxyType(by_indicator),
        MappingProxyType(by_unit),
        MappingProxyType(title_of),
        _phrase_regex(title_of),
        MappingProxyType(groups),
    )


def _yaml_load(text: str) -> object:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check a catalogue file (the packaged one when ``path`` is None).

    Raises CatalogueError listing every problem found (missing labels, unknown
    element in a formula, duplicate codes, a header alias of two elements …).
    """
    if path is None:
        return _packaged()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise CatalogueError(f"Không đọc được danh mục {p} / cannot read catalogue {p}: {err}") from err
    return _parse(text, str(p))


def _parse(text: str, where: str) -> Catalogue:
    try:
        raw = _yaml_load(text)
    except yaml.YAMLError as err:
        raise CatalogueError(f"{where}: YAML không hợp lệ / invalid YAML: {err}") from err
    return _build(raw, where)


@cache
def _packaged() -> Catalogue:
    text = resources.files("khanalytics.reference").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    return _parse(text, "khanalytics/reference/catalogue.yaml")


# --- module-level API on the packaged catalogue ---------------------------------------------


def elements() -> dict[str, DataElement]:
    """Every data element, in the order of the catalogue file."""
    return dict(_packaged().elements)


def indicators() -> dict[str, Indicator]:
    return dict(_packaged().indicators)


def titles() -> dict[str, Title]:
    return dict(_packaged().titles)


def element(code: str) -> DataElement:
    """The element with this code; CatalogueError (listing the valid codes) otherwise."""
    return _packaged().element(code)


def indicator(code: str) -> Indicator:
    """The indicator with this code; CatalogueError (listing the valid codes) otherwise."""
    return _packaged().indicator(code)


def title(code: str) -> Title:
    return _packaged().title(code)


def match_header(text: object) -> str | None:
    """The element code a column header denotes, or None.

    Accepts codes, labels, short labels and aliases, with or without
    diacritics, in any case, NFC or NFD, with units in brackets, dates and
    "Số"/"Tổng số"/"Number of". A learning-title column is read from its
    parts ("Gia đình học tập - Đạt", "Registered learning clans"). None for a
    rate ("Tỷ lệ GĐHT (%)"), for a title without "đăng ký"/"đạt", for money in
    thousands/millions/billions of đồng (use ``parse_header`` for the scale),
    and for anything not in the catalogue.
    """
    return _packaged().match_header(text)


def parse_header(text: object) -> HeaderMatch | None:
    """Like ``match_header``, also for money in thousands/millions/billions of đồng, with the scale."""
    return _packaged().parse_header(text)


def match_indicator_header(text: object) -> str | None:
    """The indicator a rate column denotes ("Tỷ lệ hội viên (%)" → membership_rate), or None."""
    return _packaged().match_indicator_header(text)


def compute(indicator_code: str, sums: Mapping[str, float]) -> float | None:
    """sum(numerator) × factor / denominator from summed values.

    None when the denominator is 0 or missing, or when any numerator part is
    missing (None or NaN): an aggregate is empty rather than a guess.
    """
    return _packaged().compute(indicator_code, sums)


def compute_table(indicator_code: str, table: pd.DataFrame) -> pd.Series:
    """``compute`` for every row of a table whose columns are element codes (NaN where it is None)."""
    return _packaged().compute_table(indicator_code, table)


def formula(indicator_code: str, lang: str = "vi") -> str:
    return _packaged().formula(indicator_code, lang)


def catalogue_frame(lang: str = "vi") -> pd.DataFrame:
    """Every element, indicator and title with labels, units, formulas and sources, for a report sheet."""
    return _packaged().frame(lang)
