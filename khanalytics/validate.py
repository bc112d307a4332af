"""Rules a provincial report must meet before it is stored.

Errors reject the whole file (nothing of it is stored): they mean the numbers
cannot be trusted to be what they claim. Quality rules keep the value and flag
it, because an odd number may still be the true one; a person decides.
Rules are declared like DHIS2 validation rules: a left side, an operator and a
right side, over data elements of one province and period.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.diagnostics import Issue
from khanalytics.formatting import fmt_number
from khanalytics.io.read import Reading
from khanalytics.periods import Period

POPULATION_TOLERANCE = 0.10
CHANGE_TOLERANCE = 0.30
# No count can exceed the country's population (about 101 million in 2024; headroom for growth): beyond it a
# value is a typing slip (1e308, a 30-digit count) that would break every report downstream.
COUNT_CEILING = 150_000_000
# Money in đồng: 10^15 đồng (a million billion) is beyond any association's fund.
MONEY_CEILING = 1e15
RATE_TOLERANCE = 0.051  # percentage points: a stated rate rounded to one decimal still agrees

OfficialPopulation = Callable[[str, str, int], "tuple[int, str] | None"]


def _default_official() -> OfficialPopulation | None:
    try:
        from khanalytics.population import official_population
    except ImportError:  # pragma: no cover - reference population not installed
        return None
    return official_population


def _ordered_pairs() -> list[tuple[str, str, str]]:
    """(rule, left element, right element): left must not exceed right."""
    pairs = []
    for title in catalogue.titles().values():
        pairs.append(("recognised_above_registered", title.recognised, title.registered))
        pairs.append(("registered_above_total", title.registered, title.total))
    pairs.append(("members_above_population", "members", "population"))
    return pairs


def validate(
    reading: Reading,
    *,
    previous: pd.DataFrame | None = None,
    official_population: OfficialPopulation | None = None,
) -> list[Issue]:
    """All issues of a reading: those met while reading, then errors, then quality flags.

    ``previous`` holds values already stored (columns edition, code, period,
    element, value) for the same periods a year earlier, for the ±30 % rule.
    """
    issues = list(reading.issues)
    values = reading.values
    name = reading.file.name
    if values.empty:
        return issues
    issues += _errors(values, name, reading.edition)
    issues += _flags(values, reading.totals, name, previous, official_population or _default_official())
    issues += _rate_flags(values, reading.rates, name)
    return issues


def _rate_flags(values: pd.DataFrame, rates: pd.DataFrame, name: str) -> list[Issue]:
    """A rate column is not data: it is checked against the rate computed from its numerator and denominator."""
    if rates.empty:
        return []
    wide = values.drop_duplicates(["edition", "code", "period", "element"]).pivot(
        index=["edition", "code", "period"], columns="element", values="value")
    out = []
    for row in rates.itertuples():
        key = (row.edition, row.code, row.period)
        sums = wide.loc[key].dropna().to_dict() if key in wide.index else {}
        computed = catalogue.compute(row.indicator, sums)
        if computed is None or abs(computed - row.value) <= RATE_TOLERANCE:
            continue
        ind = catalogue.indicator(row.indicator)
        out.append(Issue(
            "flag", "rate_mismatch", name, f"{ind.label_vi} = {catalogue.formula(row.indicator, 'vi')} = "
            f"{fmt_number(computed, ind.decimals)}", f"{ind.label_en} = {catalogue.formula(row.indicator, 'en')} = "
            f"{fmt_number(computed, ind.decimals, 'en')}", sheet=row.sheet, row=_int(row.row), column=row.column,
            value=row.value, province=row.code, period=row.period,
            detail_vi="tỷ lệ không được lưu; khanalytics tính lại từ số liệu",
            detail_en="rates are not stored; khanalytics computes them from the figures"))
    return out


def _where(row) -> dict:
    return {"sheet": row.sheet, "row": int(row.row) if pd.notna(row.row) else None, "column": row.column}


def _value_error(rule: str, name: str, vi: str, en: str, row) -> Issue:
    """An error about one stored value: its cell, the value as written, and the province, period and element."""
    return Issue("error", rule, name, vi, en, value=row.raw if row.raw is not None else row.value,
                 province=row.code, period=row.period, element=row.element, **_where(row))


def _errors(values: pd.DataFrame, name: str, file_edition: str | None) -> list[Issue]:
    out: list[Issue] = []
    money_elements = {code for code, e in catalogue.elements().items() if e.is_money}
    ceilings = values["element"].isin(money_elements).map({True: MONEY_CEILING, False: COUNT_CEILING})
    for row in values[values["value"].abs() > ceilings].itertuples():
        money = row.element in money_elements
        ceiling = MONEY_CEILING if money else COUNT_CEILING
        out.append(_value_error(
            "implausible_value", name,
            f"tối đa {fmt_number(ceiling)} {'đồng' if money else '(nhiều hơn dân số cả nước là không thể)'}",
            f"at most {fmt_number(ceiling, lang='en')} {'đồng' if money else '(more than the whole country cannot be)'}",
            row))
    non_negative = {code for code, e in catalogue.elements().items() if e.non_negative}
    for row in values[(values["value"] < 0) & values["element"].isin(non_negative)].itertuples():
        out.append(_value_error("negative_count", name, "một số không âm (≥ 0)", "a non-negative number (≥ 0)", row))
    key = ["edition", "code", "period", "element"]
    counts = values.groupby(key)["value"].transform("nunique")
    seen: set[tuple] = set()
    for row in values[counts > 1].itertuples():
        k = (row.edition, row.code, row.period, row.element)
        if k in seen:
            first = values[(values[key] == pd.Series(k, index=key)).all(axis=1)].iloc[0]
            out.append(_value_error(
                "conflicting_duplicate", name,
                f"một giá trị duy nhất (đã có {fmt_number(first['value'], 2).removesuffix(',00')} ở hàng {first['row']})",
                f"a single value (already {fmt_number(first['value'], 2, 'en').removesuffix('.00')} at row {first['row']})",
                row))
        seen.add(k)
    for period in sorted(set(values["period"])):
        p = Period.parse(period)
        expected = geo.edition_for(p)
        rows = values[(values["period"] == period) & (values["edition"] != expected)]
        if not rows.empty and file_edition is not None:
            row = next(rows.itertuples())
            out.append(Issue(
                "error", "period_outside_edition", name,
                f"kỳ {period} thuộc bản đồ {expected}; tệp khai báo bản đồ {file_edition}",
                f"period {period} belongs to the {expected} map; the file declares {file_edition}",
                value=period, **_where(row)))
    return out


def _flags(values: pd.DataFrame, totals: pd.DataFrame, name: str, previous: pd.DataFrame | None,
           official: OfficialPopulation | None) -> list[Issue]:
    out: list[Issue] = []
    key = ["edition", "code", "period"]
    first = values.drop_duplicates(key + ["element"])
    wide = first.pivot(index=key, columns="element", values="value")
    located = first.set_index(key + ["element"])
    for rule, left, right in _ordered_pairs():
        if left not in wide or right not in wide:
            continue
        bad = wide[(wide[left] > wide[right]) & wide[right].notna()]
        for idx, row in bad.iterrows():
            loc = located.loc[(*idx, left)]
            out.append(Issue(
                "flag", rule, name,
                f"{catalogue.element(left).label_vi} ≤ {catalogue.element(right).label_vi} ({row[right]:,.0f})".replace(",", "."),
                f"{catalogue.element(left).label_en} ≤ {catalogue.element(right).label_en} ({row[right]:,.0f})",
                sheet=loc["sheet"], row=_int(loc["row"]), column=loc["column"], value=_as_typed(loc, row[left]),
                province=idx[1], period=idx[2], element=left))
    if official is not None and "population" in wide:
        for idx, reported in wide["population"].dropna().items():
            edition, code, period = idx
            found = official(edition, code, Period.parse(period).end.year)
            if not found:
                continue
            figure, source = found
            if figure and abs(reported / figure - 1) > POPULATION_TOLERANCE:
                loc = located.loc[(*idx, "population")]
                out.append(Issue(
                    "flag", "population_far_from_official", name,
                    f"trong khoảng ±10 % của {figure:,.0f}".replace(",", "."), f"within ±10 % of {figure:,.0f}",
                    sheet=loc["sheet"], row=_int(loc["row"]), column=loc["column"], value=_as_typed(loc, reported), province=code,
                    period=period, element="population", detail_vi=f"nguồn: {source}", detail_en=f"source: {source}"))
    out += _change_flags(first, previous, name)
    out += _totals_flags(first, totals, name)
    return out


def _as_typed(loc: pd.Series, value: float) -> object:
    """The cell as the province typed it, to find it by; the number when the cell held one."""
    raw = loc.get("raw")
    return raw if isinstance(raw, str) and raw.strip() else value


def _int(x) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _change_flags(first: pd.DataFrame, previous: pd.DataFrame | None, name: str) -> list[Issue]:
    earlier = first[["edition", "code", "period", "element", "value"]]
    if previous is not None and not previous.empty:
        earlier = pd.concat([earlier, previous[["edition", "code", "period", "element", "value"]]])
    earlier = earlier.drop_duplicates(["edition", "code", "period", "element"]).rename(columns={"value": "before"})
    current = first.copy()
    current["cung_ky"] = current["period"].map(lambda p: Period.parse(p).same_period_last_year().code)
    merged = current.merge(earlier, left_on=["edition", "code", "cung_ky", "element"],
                           right_on=["edition", "code", "period", "element"], suffixes=("", "_before"))
    merged = merged[(merged["before"] > 0)]
    change = merged["value"] / merged["before"] - 1
    out = []
    for row, ch in zip(merged[change.abs() > CHANGE_TOLERANCE].itertuples(), change[change.abs() > CHANGE_TOLERANCE],
                       strict=True):
        out.append(Issue(
            "flag", "large_change_on_last_year", name,
            f"trong khoảng ±30 % của cùng kỳ {row.cung_ky} ({row.before:,.0f})".replace(",", "."),
            f"within ±30 % of {row.cung_ky} ({row.before:,.0f})",
            value=row.value, province=row.code, period=row.period, element=row.element,
            detail_vi=f"thay đổi {ch * 100:+.1f} %".replace(".", ","), detail_en=f"change {ch * 100:+.1f} %",
            **_where(row)))
    return out


def _totals_flags(first: pd.DataFrame, totals: pd.DataFrame, name: str) -> list[Issue]:
    if totals.empty:
        return []
    sums = first.assign(sheet=first["sheet"].fillna("")).groupby(["sheet", "period", "element"])["value"].sum()
    out = []
    for row in totals.itertuples():
        expected = sums.get((row.sheet or "", row.period, row.element))
        if expected is None or abs(expected - row.value) > 0.5:
            out.append(Issue(
                "flag", "totals_mismatch", name,
                f"bằng tổng các hàng ({(expected or 0):,.0f})".replace(",", "."),
                f"equal to the sum of the rows ({(expected or 0):,.0f})",
                sheet=row.sheet, row=int(row.row), column=row.column, value=row.value, period=row.period,
                element=row.element))
    return out


def has_errors(issues: list[Issue]) -> bool:
    """Whether any issue rejects the file (flags do not)."""
    return any(i.severity == "error" for i in issues)
