"""Observations re-expressed on the other map: summing old provinces into new ones, or keeping whole ones."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from khanalytics import geography as geo
from khanalytics.analysis import lookups as lk
from khanalytics.analysis.observations import KEY, normalise, period_objects

HARMONISED_COLUMNS = [*KEY, "value", "kind", "from_edition", "parts", "reason_vi", "reason_en"]
"""The columns of ``harmonise``: the observation key and value, where they came from, and why a value is missing."""
_KIND_RANK = {"published": 0, "reported": 1, "synthetic": 2}
_RANK_KIND = {v: k for k, v in _KIND_RANK.items()}


def harmonise(obs: pd.DataFrame, to: str = "2025") -> pd.DataFrame:
    """Observations re-expressed on the ``to`` map; values already on it are kept as they are.

    2008 → 2025: each new province's value is the sum of its old provinces,
    for each element and period, only when every old province reported it;
    otherwise the row is kept with value NaN and the reason. 2025 → 2008: the
    eleven unchanged provinces keep their value; the old parts of merged
    provinces get NaN with the reason (a new province cannot be split).
    Rates are never harmonised: compute them from the harmonised counts.

    Columns: edition, code, period, element, value, kind (the least reliable
    of the parts: synthetic > reported > published), from_edition, parts
    (the old codes summed, "27+24"), reason_vi, reason_en. The result is
    marked as on the ``to`` map (``attrs["edition"]``).
    """
    target = geo.check_edition(to)
    out = harmonised(normalise(obs), target)
    order = {c: i for i, (c, _) in enumerate(sorted(period_objects(out["period"]).items(), key=lambda kv: kv[1]))}
    out = out.assign(_p=out["period"].map(order)).sort_values(["_p", "code", "element"])
    out = out.drop(columns="_p").reset_index(drop=True)
    return geo.with_edition(out, target)


def harmonised(data: pd.DataFrame, target: str) -> pd.DataFrame:
    """``harmonise`` of a normalised frame, rows in no particular order: the step province values build on."""
    native = data[data["edition"] == target].copy()
    native["from_edition"] = target
    native["parts"] = native["code"]
    for col in ("reason_vi", "reason_en"):
        if col not in native.columns:
            native[col] = None
    pieces = [native[HARMONISED_COLUMNS]]
    other = data[(data["edition"] != target) & data["edition"].isin(geo.EDITIONS)]
    if not other.empty:
        pieces.append(_to_2025(other) if target == "2025" else _to_2008(other))
    pieces = [p for p in pieces if not p.empty]
    out = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=HARMONISED_COLUMNS)
    out = out.drop_duplicates(KEY, keep="first")[HARMONISED_COLUMNS].reset_index(drop=True)
    out.attrs.clear()
    return geo.with_edition(out, target)


def _to_2025(old: pd.DataFrame) -> pd.DataFrame:
    cw = geo.crosswalk()[["code_2008", "code_2025"]]
    n_parts = cw.groupby("code_2025").size()
    m = old.merge(cw, left_on="code", right_on="code_2008", how="inner")
    m["rank"] = m["kind"].map(_KIND_RANK)
    g = m.groupby(["period", "element", "code_2025"], sort=False)
    agg = g.agg(total=("value", "sum"), n=("value", "count"), rank=("rank", "max")).reset_index()
    agg["needed"] = agg["code_2025"].map(n_parts)
    complete = agg["n"] == agg["needed"]
    out = pd.DataFrame({
        "edition": "2025",
        "code": agg["code_2025"],
        "period": agg["period"],
        "element": agg["element"],
        "value": agg["total"].where(complete),
        "kind": agg["rank"].map(_RANK_KIND).astype(object),
        "from_edition": "2008",
        "parts": agg["code_2025"].map(lk.parts_text()),
        "reason_vi": None,
        "reason_en": None,
    })
    if (~complete).any():
        have = m[m["value"].notna()].groupby(["period", "element", "code_2025"])["code"].agg(frozenset)
        vi, en = [], []
        for row in agg[~complete].itertuples():
            got = have.get((row.period, row.element, row.code_2025), frozenset())
            lacking = [c for c in lk.parts(row.code_2025) if c not in got]
            vi.append(f"thiếu số liệu của {', '.join(lk.label(c, '2008') for c in lacking)} để cộng thành "
                      f"{lk.name(row.code_2025, '2025')} (bản đồ 34 tỉnh)")
            en.append(f"no value from {', '.join(lk.label(c, '2008', 'en') for c in lacking)}, needed for "
                      f"{lk.name(row.code_2025, '2025', 'en')} (34-province map)")
        out.loc[~complete, "reason_vi"] = vi
        out.loc[~complete, "reason_en"] = en
    return out


@cache
def _split_reason(old: str, new: str, lang: str) -> str:
    others = ", ".join(lk.label(o, "2008", lang) for o in lk.parts(new) if o != old)
    if lang == "en":
        return (f"from 1 July 2025 {lk.name(old, '2008', 'en')} ({old}) is part of {lk.name(new, '2025', 'en')} "
                f"together with {others}; the values cannot be split")
    return (f"từ 1/7/2025 {lk.name(old, '2008')} ({old}) cùng {others} hợp "
            f"thành tỉnh {lk.name(new, '2025')} mới; không tách được số liệu")


def _to_2008(new: pd.DataFrame) -> pd.DataFrame:
    cw = geo.crosswalk()
    unchanged = set(cw.loc[cw["unchanged"], "code_2025"])
    same = new[new["code"].isin(unchanged)].copy()
    same["edition"] = "2008"
    same["from_edition"] = "2025"
    same["parts"] = same["code"]
    same["reason_vi"] = None
    same["reason_en"] = None
    split = new[~new["code"].isin(unchanged)].merge(cw[["code_2008", "code_2025"]], left_on="code",
                                                   right_on="code_2025", how="inner")
    split = split.drop_duplicates(["period", "element", "code_2008"])
    pairs = list(zip(split["code_2008"], split["code_2025"], strict=True))
    gone = pd.DataFrame({
        "edition": "2008",
        "code": split["code_2008"],
        "period": split["period"],
        "element": split["element"],
        "value": np.nan,
        "kind": split["kind"].astype(object),
        "from_edition": "2025",
        "parts": split["code_2025"],
        "reason_vi": [_split_reason(o, n, "vi") for o, n in pairs],
        "reason_en": [_split_reason(o, n, "en") for o, n in pairs],
    })
    return pd.concat([same[HARMONISED_COLUMNS], gone[HARMONISED_COLUMNS]], ignore_index=True)
