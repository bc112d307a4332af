"""Every province's value of a measure on one map: the table aggregates, ranks, maps and scorecards start from."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd

from khanalytics import catalogue
from khanalytics.analysis import lookups as lk
from khanalytics.analysis.harmonise import HARMONISED_COLUMNS, harmonised
from khanalytics.analysis.measures import Measure, measure
from khanalytics.analysis.observations import (
    PeriodSpec,
    content_key,
    map_of,
    mark,
    normalise,
    periods_in,
    require_map,
)
from khanalytics.periods import Period


def province_values(
    obs: pd.DataFrame,
    indicator: str,
    periods: PeriodSpec = None,
    *,
    edition: str | None = None,
) -> pd.DataFrame:
    """The indicator for every province of the map, one row per province and period.

    With ``edition`` None each period is on the map in force then. Columns:
    code, name, name_en, period, edition, indicator, value, numerator,
    denominator, one column per input element, reported (every input
    present), synthetic, coverage_population (reported population, else the
    official one) and its source ("reported" / "official"), reason_vi /
    reason_en (why a province does not count). Marked with its map when it
    holds one (``attrs["edition"]``).
    """
    m = measure(indicator)
    data = normalise(obs)
    return values_of(data, m, periods_in(data, periods), edition)


_MEMO_SIZE = 64
_memo: OrderedDict[tuple, pd.DataFrame] = OrderedDict()


def values_of(data: pd.DataFrame, m: Measure, periods: list[Period], edition: str | None, *,
              key: tuple | None = None) -> pd.DataFrame:
    """``province_values`` of a normalised frame for parsed periods, as a new frame the caller may edit.

    A report asks for the same table many times (summary, ranks, targets,
    scorecard); the last ones are kept by the *content* of the frame (``key``:
    its ``content_key`` when the caller has it), so an edited frame is
    computed afresh and a kept table is only ever handed out as a copy.
    """
    key = (key or content_key(data), m.code, tuple(p.code for p in periods), edition)
    kept = _memo.get(key)
    if kept is None:
        kept = _compute(data, m, periods, edition)
        _memo[key] = kept
        if len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
    return kept.copy()


def _compute(data: pd.DataFrame, m: Measure, periods: list[Period], edition: str | None) -> pd.DataFrame:
    by_map: dict[str, list[Period]] = {}
    for p in periods:
        by_map.setdefault(map_of(p, edition), []).append(p)
    elements = list(dict.fromkeys([*m.inputs, "population"]))
    frames = []
    for ed, ps in by_map.items():
        require_map(data, ed, "province_values")
        sub = data[data["period"].isin([p.code for p in ps]) & data["element"].isin(elements)]
        frames.append(_table(harmonised(sub, ed), m, ps, ed, elements))
    if not frames:
        return mark(_table(pd.DataFrame(columns=HARMONISED_COLUMNS), m, [], "2008", elements), edition)
    return mark(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])


def _table(data: pd.DataFrame, m: Measure, periods: list[Period], ed: str, elements: list[str]) -> pd.DataFrame:
    codes = list(lk.codes(ed))
    idx = pd.MultiIndex.from_product([[p.code for p in periods], codes], names=["period", "code"])
    d = data[data["element"].isin(elements)]
    wide = d.set_index(["period", "code", "element"])["value"].unstack("element") if not d.empty else pd.DataFrame()
    wide = wide.reindex(idx) if not wide.empty else pd.DataFrame(index=idx)
    for e in elements:
        if e not in wide.columns:
            wide[e] = np.nan
    wide = wide[elements].astype("float64")
    inputs = wide[list(m.inputs)]
    reported = inputs.notna().all(axis=1).to_numpy()
    synthetic_keys = d[(d["kind"] == "synthetic") & d["element"].isin(m.inputs) & d["value"].notna()]
    synthetic = idx.isin(pd.MultiIndex.from_frame(synthetic_keys[["period", "code"]])) if len(synthetic_keys) \
        else np.zeros(len(idx), dtype=bool)
    numerator = inputs[list(m.numerator)].sum(axis=1, min_count=len(m.numerator)).where(reported)
    if m.is_count:
        denominator = pd.Series(np.nan, index=idx)
        value = numerator
    else:
        denominator = inputs[m.denominator].where(reported)
        value = catalogue.compute_table(m.code, inputs).where(reported)
    out = pd.DataFrame({
        "code": idx.get_level_values("code"),
        "period": idx.get_level_values("period"),
    })
    out.insert(1, "name", out["code"].map(lk.names(ed)))
    out.insert(2, "name_en", out["code"].map(lk.names(ed, "en")))
    out["edition"] = ed
    out["indicator"] = m.code
    out["value"] = value.to_numpy()
    out["numerator"] = numerator.to_numpy()
    out["denominator"] = denominator.to_numpy()
    for e in m.inputs:
        out[e] = inputs[e].to_numpy()
    out["reported"] = reported
    out["synthetic"] = synthetic & reported
    out["coverage_population"], out["coverage_population_source"] = _population(wide["population"], out, periods, ed)
    out["reason_vi"], out["reason_en"] = _reasons(d, m, out, inputs.to_numpy(), reported)
    return out


def _population(reported: pd.Series, out: pd.DataFrame, periods: list[Period], ed: str) -> tuple[np.ndarray,
                                                                                                np.ndarray]:
    """The reported population, else the official one: coverage needs a population for every member."""
    pop = reported.to_numpy().copy()
    source = np.where(np.isnan(pop), None, "reported").astype(object)
    year = {p.code: p.year for p in periods}
    for i in np.flatnonzero(np.isnan(pop)):
        value_i, src = lk.official(ed, out.at[i, "code"], year[out.at[i, "period"]])
        pop[i] = value_i
        source[i] = "official" if src else None
    return pop, source


def _reasons(d: pd.DataFrame, m: Measure, out: pd.DataFrame, values: np.ndarray,
             reported: np.ndarray) -> tuple[list, list]:
    vi: list[str | None] = [None] * len(out)
    en: list[str | None] = [None] * len(out)
    todo = np.flatnonzero(~reported)
    if not len(todo):
        return vi, en
    known = d[d["value"].isna() & d["reason_vi"].notna()]
    said = {(r.period, r.code, r.element): (r.reason_vi, r.reason_en) for r in known.itertuples()}
    inputs = list(m.inputs)
    for i in todo:
        period, code = out.at[i, "period"], out.at[i, "code"]
        silent, because = [], {}
        for j, e in enumerate(inputs):
            if not np.isnan(values[i, j]):
                continue
            if (period, code, e) in said:
                because.setdefault(said[(period, code, e)], []).append(e)
            else:
                silent.append(e)
        parts_vi, parts_en = [], []
        if silent:
            parts_vi.append("không báo cáo " + ", ".join(measure(e).short_vi for e in silent))
            parts_en.append("did not report " + ", ".join(measure(e).short_en.lower() for e in silent))
        for (r_vi, r_en), els in because.items():
            if len(els) == len(inputs):  # the same reason for every input: no need to list them
                parts_vi.append(r_vi)
                parts_en.append(r_en)
            else:
                parts_vi.append(f"{r_vi} ({', '.join(measure(e).short_vi for e in els)})")
                parts_en.append(f"{r_en} ({', '.join(measure(e).short_en.lower() for e in els)})")
        vi[i] = "; ".join(parts_vi)
        en[i] = "; ".join(parts_en)
    return vi, en
