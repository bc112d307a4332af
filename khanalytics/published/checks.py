"""Consistency checks on the published record: each finding is a flag that names both sides.

Four rules, each with its tolerance said here and in every message:

- ``rate_vs_population``: a stated membership rate against the members the
  same source gives for the same date, divided by the official population of
  that year (GSO average; for a cluster or the country, the sum of its
  provinces). Tolerance: ±10 % on the population (provinces' own figures
  differ from GSO's by up to that much; the importer's quality rule uses the
  same 10 %), and each figure's qualifier and rounding (see ``values.bounds``).
- ``same_date_values``: two sources giving the same unit, indicator and date
  values whose ranges (qualifier and rounding) cannot both be true. A year
  written alone may be any day of it; an approximate date a season either side.
- ``implausible_jump``: consecutive dated figures of a stock (members,
  branches, learning titles…) growing more than 30 % a year or falling more
  than 23 % a year (1/1,3), or a rate moving more than 5 points a year, even
  at the most favourable reading of their qualifiers; dates less than half a
  year apart count as half a year.
- ``published_vs_reported``: a published figure against the stored value of
  the same unit and half-year (a year's figure meets H2). Tolerance: 5 % for
  counts, 1 point for rates, outside the published range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import pandas as pd

from khanalytics import analysis, catalogue
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.formatting import fmt_number, fmt_percent
from khanalytics.population import official_population
from khanalytics.published.asof import asof_of as _asof
from khanalytics.published.values import (
    bounds,
    domain,
    indicator_label,
    is_money,
    is_percent,
    row_value_text,
    value_text,
)

RULES: dict[str, tuple[str, str]] = {
    "rate_vs_population": ("Tỉ lệ công bố khác hội viên / dân số chính thức",
                           "Stated rate against members / official population"),
    "same_date_values": ("Hai nguồn, cùng thời điểm, khác giá trị", "Two sources, same date, different values"),
    "implausible_jump": ("Thay đổi giữa hai thời điểm vượt mức tăng hợp lý",
                         "Change between two dates beyond plausible growth"),
    "published_vs_reported": ("Số công bố khác số trong kho", "Published figure against the stored value"),
}
"""Each rule's name in Vietnamese and English."""

POPULATION_TOLERANCE = 0.10
GROWTH_PER_YEAR = 1.30
RATE_POINTS_PER_YEAR = 5.0
MIN_YEARS = 0.5
REPORTED_TOLERANCE = 0.05
REPORTED_POINTS = 1.0

FLAG_COLUMNS = ["rule", "unit_key", "unit_name", "indicator", "row_a", "row_b", "side_a_vi", "side_b_vi",
                "side_a_en", "side_b_en", "source_a", "source_b", "message_vi", "message_en"]
"""The columns of ``consistency_flags``: the rule, the unit, both sides (rows, text, sources) and the message."""


def unit_key(row: Any) -> str:
    """The unit a check groups by: the map matters for a province or cluster (other territory), not the country."""
    kind = row.unit_type
    code = row.code
    who = code if isinstance(code, str) and code else str(row.unit)
    return f"national:{who}" if kind == "national" else f"{kind}:{row.edition}:{who}"


def _measure(row: Any) -> str:
    code = row.catalogue_code
    return code if isinstance(code, str) and code else str(row.indicator)


def side(row: Any, lang: str = "vi") -> str:
    """One side of a flag: unit, date, value as written, indicator, source site and row."""
    value = row_value_text(row, lang)
    where = f"{domain(row.source_url)}, {'row' if lang == 'en' else 'hàng'} {row.row}"
    return (f"{row.unit_name} ({_asof(row).label(lang)}): {value} {indicator_label(row, lang)} "
            f"[{where}]")


def _flag(rule: str, a: Any, b: Any | None, vi: str, en: str, *, b_vi: str | None = None,
          b_en: str | None = None) -> dict:
    return {
        "rule": rule, "unit_key": unit_key(a), "unit_name": a.unit_name, "indicator": _measure(a),
        "row_a": a.row, "row_b": b.row if b is not None else None,
        "side_a_vi": side(a), "side_b_vi": side(b) if b is not None else b_vi,
        "side_a_en": side(a, "en"), "side_b_en": side(b, "en") if b is not None else b_en,
        "source_a": a.source_url, "source_b": b.source_url if b is not None else None,
        "message_vi": vi, "message_en": en,
    }


def consistency_flags(record: pd.DataFrame, obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every flag of the record (``FLAG_COLUMNS``); with ``obs`` (``Store.observations()``) also against it."""
    rows = list(record.itertuples(index=False))
    flags = [*rate_flags(rows), *same_date_flags(rows), *jump_flags(rows)]
    if obs is not None and not obs.empty:
        flags += reported_flags(rows, obs)
    return pd.DataFrame(flags, columns=FLAG_COLUMNS)


# --- rate against members / official population -----------------------------------------------------------------


def official_population_of(row: Any) -> tuple[float, str] | None:
    """The official population of a row's unit in the year of its date (sum for a cluster or the country)."""
    when = _asof(row).date
    edition = row.edition
    if when is None or edition not in geo.EDITIONS:
        return None
    kind = row.unit_type
    if kind == "province":
        codes = [row.code]
    elif kind == "national":
        codes = geo.province_codes(edition)
    else:
        code = row.code
        if not isinstance(code, str):
            return None
        try:
            codes = clu.load_clusters().get(code).members(at=min(when, _last_day(edition)))
        except (clu.ClusterError, geo.GeographyError):
            return None
    found = [official_population(edition, c, when.year) for c in codes]
    if not codes or any(f is None for f in found):
        return None
    total = float(sum(f[0] for f in found))  # type: ignore[index]
    source = found[0][1] if len(found) == 1 else f"tổng {len(found)} tỉnh / sum of {len(found)} provinces: " + found[0][1]  # type: ignore[index]
    return total, source


def _last_day(edition: str) -> dt.date:
    return geo.EDITION_INFO[edition].valid_to or dt.date.max


def rate_flags(rows: list) -> list[dict]:
    """Stated membership rates that members / official population cannot give (tolerance in the module doc)."""
    out = []
    members = {}
    for r in rows:
        if r.catalogue_code == "members":
            members.setdefault((unit_key(r), r.period), []).append(r)
    for r in rows:
        if r.catalogue_code != "membership_rate":
            continue
        partners = members.get((unit_key(r), r.period), [])
        same_source = [m for m in partners if m.source_url == r.source_url]
        for m in same_source or partners:
            population = official_population_of(m)
            if population is None:
                continue
            pop, _ = population
            m_lo, m_hi = bounds(m.value, m.qualifier)
            lo = 100 * m_lo / (pop * (1 + POPULATION_TOLERANCE))
            hi = 100 * m_hi / (pop * (1 - POPULATION_TOLERANCE))
            r_lo, r_hi = bounds(r.value, r.qualifier)
            if r_hi >= lo and r_lo <= hi:
                continue
            computed = 100 * m.value / pop
            year = _asof(m).date.year  # type: ignore[union-attr]
            vi = (f"{r.unit_name} ({_asof(r).label()}): tỉ lệ công bố {value_text(r.value, r.qualifier, percent=True)}"
                  f" nhưng {value_text(m.value, m.qualifier, percent=False)} hội viên / dân số chính thức "
                  f"{fmt_number(pop)} ({year}) = {fmt_percent(computed, 1)} (dung sai ±10 % dân số).")
            en = (f"{r.unit_name} ({_asof(r).label('en')}): stated rate "
                  f"{value_text(r.value, r.qualifier, percent=True, lang='en')} but "
                  f"{value_text(m.value, m.qualifier, percent=False, lang='en')} members / official population "
                  f"{fmt_number(pop, lang='en')} ({year}) = {fmt_percent(computed, 1, 'en')} "
                  "(tolerance ±10 % on the population).")
            out.append(_flag("rate_vs_population", r, m, vi, en))
    return out


# --- two sources, same date ---------------------------------------------------------------------------------------


def _same_date(a: Any, b: Any) -> bool:
    wa, wb = _asof(a).window(), _asof(b).window()
    if wa is None or wb is None:  # spans compare only with the same span; undated with nothing
        return _asof(a).kind == "span" and str(a.period).strip() == str(b.period).strip()
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def _disagree(a: Any, b: Any, slack: float = 0.01) -> bool:
    a_lo, a_hi = bounds(a.value, a.qualifier)
    b_lo, b_hi = bounds(b.value, b.qualifier)
    return a_hi * (1 + slack) < b_lo or b_hi * (1 + slack) < a_lo


def same_date_flags(rows: list) -> list[dict]:
    """Pairs of sources whose figures for one unit, indicator and date cannot both be true."""
    out = []
    for _, group in _groups(rows):
        for a, b in combinations(sorted(group, key=lambda r: r.row), 2):
            if a.source_url == b.source_url or not _same_date(a, b) or not _disagree(a, b):
                continue
            vi = (f"{a.unit_name}: hai nguồn cho cùng thời điểm hai giá trị khác nhau — "
                  f"{side(a)} và {side(b)}.")
            en = f"{a.unit_name}: two sources give the same date different values — {side(a, 'en')} and {side(b, 'en')}."
            out.append(_flag("same_date_values", a, b, vi, en))
    return out


def _groups(rows: Iterable) -> list[tuple[tuple[str, str], list]]:
    grouped: dict[tuple[str, str], list] = {}
    for r in rows:
        grouped.setdefault((unit_key(r), _measure(r)), []).append(r)
    return list(grouped.items())


# --- jumps between dates ------------------------------------------------------------------------------------------


def _is_stock(row: Any) -> bool:
    code = row.catalogue_code
    return row.catalogue_kind == "element" and catalogue.element(code).kind == "stock"


def jump_flags(rows: list) -> list[dict]:
    """Consecutive dated figures of a stock or a rate that moved beyond plausible growth (rule in the module doc)."""
    out = []
    for _, group in _groups(rows):
        first = group[0]
        rate = is_percent(first) and first.catalogue_kind == "indicator"
        if not (rate or _is_stock(first)):
            continue
        dated = sorted((r for r in group if _asof(r).window() is not None), key=lambda r: (_asof(r).date, r.row))
        for a, b in zip(dated, dated[1:], strict=False):
            if _same_date(a, b):
                continue
            years = max((_asof(b).date - _asof(a).date).days / 365.25, MIN_YEARS)  # type: ignore[operator]
            a_lo, a_hi = bounds(a.value, a.qualifier)
            b_lo, b_hi = bounds(b.value, b.qualifier)
            if rate:
                least, most = b_lo - a_hi, b_hi - a_lo
                allowed = RATE_POINTS_PER_YEAR * years
                beyond = least > allowed or most < -allowed
                change_vi = f"{fmt_number(b.value - a.value, 1, signed=True)} điểm"
                change_en = f"{fmt_number(b.value - a.value, 1, 'en', signed=True)} points"
                rule_vi, rule_en = "quá 5 điểm/năm", "more than 5 points a year"
            else:
                if a_hi <= 0 or a_lo <= 0:
                    continue
                least, most = b_lo / a_hi, b_hi / a_lo
                beyond = least > GROWTH_PER_YEAR ** years or most < GROWTH_PER_YEAR ** -years
                change_vi = fmt_percent(100 * (b.value / a.value - 1), 0, signed=True)
                change_en = fmt_percent(100 * (b.value / a.value - 1), 0, "en", signed=True)
                rule_vi, rule_en = "tăng quá 30 %/năm hoặc giảm quá 23 %/năm", "up more than 30 % or down more than 23 % a year"
            if not beyond:
                continue
            span_vi = fmt_number(years, 1)
            span_en = fmt_number(years, 1, "en")
            vi = (f"{a.unit_name}: {change_vi} trong {span_vi} năm ({rule_vi}) — từ {side(a)} đến {side(b)}.")
            en = (f"{a.unit_name}: {change_en} in {span_en} years ({rule_en}) — from {side(a, 'en')} "
                  f"to {side(b, 'en')}.")
            out.append(_flag("implausible_jump", a, b, vi, en))
    return out


# --- published against reported -----------------------------------------------------------------------------------


def reported_value(obs: pd.DataFrame, row: Any) -> tuple[float, bool] | None:
    """The stored value of a row's unit, catalogue code and half-year (and whether it is synthetic); None when none."""
    period, code, edition = row.meets, row.catalogue_code, row.edition
    if not isinstance(period, str) or not isinstance(code, str) or edition not in geo.EDITIONS:
        return None
    if not ((obs["period"] == period) & (obs["edition"] == edition)).any():
        return None
    kind = row.unit_type
    try:
        if kind == "province":
            group = analysis.province(row.code, edition)
        elif kind == "cluster":
            if not isinstance(row.code, str):
                return None
            group = analysis.cluster(row.code)
        else:
            group = analysis.country()
        agg = analysis.aggregate(obs, code, group, [period], edition=edition)
    except (analysis.AnalysisError, clu.ClusterError, geo.GeographyError):
        return None
    if agg.empty or pd.isna(agg["value"].iloc[0]):
        return None
    return float(agg["value"].iloc[0]), bool(agg["synthetic"].iloc[0])


def reported_differs(row: Any, value: float) -> bool:
    """Whether a stored value lies outside a published figure's range, beyond 5 % (counts) or 1 point (rates)."""
    lo, hi = bounds(row.value, row.qualifier)
    if is_percent(row):
        return value < lo - REPORTED_POINTS or value > hi + REPORTED_POINTS
    return value < lo * (1 - REPORTED_TOLERANCE) or value > hi * (1 + REPORTED_TOLERANCE)


def reported_flags(rows: list, obs: pd.DataFrame) -> list[dict]:
    """Published figures that the stored value of the same unit and half-year does not match."""
    out = []
    for r in rows:
        found = reported_value(obs, r)
        if found is None or not reported_differs(r, found[0]):
            continue
        value, synthetic = found
        pct = is_percent(r)
        kind_vi, kind_en = ("minh hoạ (giả lập)", "synthetic") if synthetic else ("báo cáo", "reported")
        money = is_money(r)
        stored_vi = f"số trong kho ({kind_vi}) kỳ {r.meets}: {value_text(value, '=', percent=pct, money=money, decimals=2 if pct else 0)}"
        stored_en = (f"stored value ({kind_en}) for {r.meets}: "
                     f"{value_text(value, '=', percent=pct, money=money, decimals=2 if pct else 0, lang='en')}")
        tol_vi = "1 điểm" if pct else "5 %"
        tol_en = "1 point" if pct else "5 %"
        vi = f"{side(r)} khác {stored_vi} (dung sai {tol_vi})."
        en = f"{side(r, 'en')} differs from the {stored_en} (tolerance {tol_en})."
        out.append(_flag("published_vs_reported", r, None, vi, en, b_vi=stored_vi, b_en=stored_en))
    return out


def flags_for(flags: pd.DataFrame, record: pd.DataFrame) -> pd.DataFrame:
    """The flags that concern any row of ``record`` (a unit's record), either side."""
    keys = {unit_key(r) for r in record.itertuples(index=False)}
    rows = set(record["row"]) if "row" in record else set()
    sources = set(record["source_url"]) if "source_url" in record else set()
    mine = flags["unit_key"].isin(keys) | (flags["row_b"].isin(rows) & flags["source_b"].isin(sources))
    return flags[mine].reset_index(drop=True)
