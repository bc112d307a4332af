"""How provinces write column headers, and which catalogue entry a header denotes.

Provinces type headers in many ways (with or without diacritics,
abbreviations, units, dates, English). A header is first cleaned to a key
(folded by ``khanalytics.text``, without units, dates or "Số"/"Tổng số"),
then looked up in the ``Vocabulary`` of one catalogue. It prefers nothing over
a guess: a title column without "đăng ký"/"đạt", a rate column, or money in
millions is never read as a count in VND.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from khanalytics.text import fold, soft_fold
from khanalytics.userfiles import Problem

if TYPE_CHECKING:
    from khanalytics.catalogue.model import DataElement, Indicator, Title

__all__ = ["WORD_GROUPS", "HeaderMatch", "UnitGroup", "Vocabulary", "build_vocabulary", "fold", "header_key"]

WORD_GROUPS = ("registered", "recognised", "commune_level", "village_level", "level_kha", "level_tot", "rate")


@dataclass(frozen=True)
class HeaderMatch:
    """What a column header denotes: an element, and the multiplier its unit implies.

    ``scale`` is 1 except for money written in thousands, millions or billions
    of đồng ("Quỹ vận động (triệu đồng)" → 1 000 000): multiply the cells by
    it to get VND.
    """

    code: str
    scale: int = 1



# --- cleaning a header to its key ------------------------------------------------------

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
    soft = soft_fold(text).replace("_", " ")
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



def _blank(text: object) -> bool:
    if text is None:
        return True
    if isinstance(text, float) and math.isnan(text):
        return True
    try:
        return bool(pd.isna(text)) if not isinstance(text, str) else not text.strip()
    except (TypeError, ValueError):
        return False


# --- the vocabulary of one catalogue -------------------------------------------------------


@dataclass(frozen=True)
class UnitGroup:
    """Header words that name a count or a sum of money depending on the unit written with them."""

    words: tuple[str, ...]
    count: str
    money: str


@dataclass(frozen=True)
class Vocabulary:
    """Every header key of one catalogue, and the reading of a header against them."""

    elements: Mapping[str, DataElement]
    indicators: Mapping[str, Indicator]
    titles: Mapping[str, Title]
    element_keys: Mapping[str, str]  # header key -> element code
    indicator_keys: Mapping[str, str]  # header key -> indicator code
    by_unit: Mapping[str, tuple[str, str]]  # header key -> (count element, money element)
    title_of: Mapping[str, str]  # folded title phrase -> title code
    title_words: re.Pattern[str] | None
    groups: Mapping[str, re.Pattern[str] | None]

    def parse_header(self, text: object) -> HeaderMatch | None:
        """The element a header denotes and the scale its unit implies, or None."""
        if _blank(text):
            return None
        c = _clean(str(text))
        if not c.key or c.percent or _hits(self.groups["rate"], c.words):
            return None
        # the words with a counting unit first: "Cộng đồng học tập đạt (xã)" is about communes
        code = self.element_keys.get(c.words)
        if code is None and _hits(self.title_words, c.words):
            code = self._compose(c.words)  # a title is named: its parts decide, or nothing does
        elif code is None and c.key in self.by_unit:
            count_code, money_code = self.by_unit[c.key]
            code = money_code if c.money_scale is not None else count_code if c.count_unit or c.counted else None
        elif code is None:
            code = self.element_keys.get(c.key)
        if code is None:
            return None
        if self.elements[code].is_money:
            return None if c.count_unit else HeaderMatch(code, c.money_scale or 1)
        return None if c.money_scale is not None else HeaderMatch(code, 1)

    def match_header(self, text: object) -> str | None:
        """The element code of a header whose values need no scaling, or None."""
        found = self.parse_header(text)
        return found.code if found is not None and found.scale == 1 else None

    def match_indicator_header(self, text: object) -> str | None:
        """The indicator a rate column denotes, or None."""
        if _blank(text):
            return None
        c = _clean(str(text))
        if c.key in self.indicator_keys:
            return self.indicator_keys[c.key]
        rate = self.groups["rate"]
        if not (c.percent or _hits(rate, c.words)):
            return None
        rest = _strip_fillers(rate.sub(" ", c.words) if rate is not None else c.words)[0]
        rest = re.sub(r"^(?:(?:cua|so voi|tren|of|so|ty le) )+", "", rest)
        titles = {self.title_of[h] for h in _hits(self.title_words, rest)}
        if len(titles) == 1:
            title = self.titles[titles.pop()]
            if title.code == "communities" and self._commune_level(rest):
                candidates = [i for i in self.indicators.values() if set(i.numerator) >= {"learning_communes_kha"}]
                return candidates[0].code if len(candidates) == 1 else None
            registered = bool(_hits(self.groups["registered"], rest))
            recognised = bool(_hits(self.groups["recognised"], rest))
            if registered and recognised:
                return None
            return title.registration_indicator if registered else title.recognition_indicator
        code = self.element_keys.get(rest) or self._compose(rest)
        if code is None:
            return None
        candidates = [i.code for i in self.indicators.values() if code in i.numerator and i.is_percent]
        return candidates[0] if len(candidates) == 1 else None

    def _commune_level(self, words: str) -> bool:
        g = self.groups
        return bool(_hits(g["level_kha"], words) or _hits(g["level_tot"], words)) or (
            bool(_hits(g["commune_level"], words)) and not _hits(g["village_level"], words)
        )

    def _compose(self, words: str) -> str | None:
        """An element named by its parts: a title's words and "đăng ký" / "đạt" (and a level)."""
        titles = {self.title_of[h] for h in _hits(self.title_words, words)}
        if len(titles) != 1:
            return None
        title = self.titles[titles.pop()]
        g = self.groups
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


class _Claims:
    """Header keys claimed so far, and the problems met claiming them: a key may denote one thing only."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}  # key -> "elements.code" / "indicators.code", for messages
        self.problems: list[Problem] = []

    def claim(self, key: str, who: str, text: str, table: dict[str, str], code: str) -> None:
        if not key:
            self.add(who, "aliases", f"tên {text!r} rỗng sau khi chuẩn hoá", f"name {text!r} is empty once folded")
        elif key in self.owner and self.owner[key] != who:
            self.add(who, "aliases", f"tên {text!r} (khoá {key!r}) đã thuộc {self.owner[key]}",
                     f"name {text!r} (key {key!r}) already denotes {self.owner[key]}")
        else:
            self.owner[key] = who
            table[key] = code

    def add(self, entry: str, field: str | None, vi: str, en: str) -> None:
        self.problems.append(Problem(entry, field, vi, en))


def build_vocabulary(
    elements: Mapping[str, DataElement],
    indicators: Mapping[str, Indicator],
    titles: Mapping[str, Title],
    groups: Mapping[str, Iterable[str]],
    unit_groups: Iterable[UnitGroup],
) -> tuple[Vocabulary, list[Problem]]:
    """The header keys of every name and alias, and the problems (a key claimed twice, a name empty once folded)."""
    claims = _Claims()
    tables: dict[str, dict[str, str]] = {"elements": {}, "indicators": {}}
    for section, entries in (("elements", elements), ("indicators", indicators)):
        for e in entries.values():
            for text in (e.code, e.label_vi, e.label_en, e.short_vi, e.short_en, *e.aliases):
                claims.claim(_clean(text).key, f"{section}.{e.code}", text, tables[section], e.code)

    by_unit: dict[str, tuple[str, str]] = {}
    for n, group in enumerate(unit_groups, start=1):
        where = f"header_words.unit_dependent[{n}]"
        count, money = elements.get(group.count), elements.get(group.money)
        if count is None or count.is_money or money is None or not money.is_money:
            claims.add(where, None, "'count' phải là số đếm, 'money' là số tiền (đồng) trong danh mục",
                       "'count' must be a count element and 'money' a VND element")
            continue
        for text in group.words:
            key = _clean(text).key
            if key in claims.owner:
                claims.add(where, "words", f"{text!r} đã thuộc {claims.owner[key]}",
                           f"{text!r} already denotes {claims.owner[key]}")
            by_unit[key] = (group.count, group.money)

    title_of: dict[str, str] = {}
    for t in titles.values():
        for text in (t.label_vi, t.label_en, t.short_vi, t.short_en, *t.aliases):
            key = _key_words(text)
            if title_of.get(key, t.code) != t.code:
                claims.add(f"titles.{t.code}", "aliases", f"{text!r} đã chỉ danh hiệu {title_of[key]}",
                           f"{text!r} already names title {title_of[key]}")
            title_of[key] = t.code
    vocabulary = Vocabulary(
        elements, indicators, titles,
        MappingProxyType(tables["elements"]), MappingProxyType(tables["indicators"]), MappingProxyType(by_unit),
        MappingProxyType(title_of), _phrase_regex(title_of),
        MappingProxyType({name: _phrase_regex(groups.get(name, ())) for name in WORD_GROUPS}),
    )
    return vocabulary, claims.problems
