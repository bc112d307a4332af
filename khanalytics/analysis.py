"""Where every number of a report comes from: aggregates, comparisons, ranks, targets, harmonisation.

Functions take the observation frame of ``Store.observations()`` (columns
edition, code, period, element, value, and ``kind`` when provenance is on)
and return frames; nothing is remembered between calls. Three rules hold
everywhere:

- An aggregate is a ratio of sums over the members that reported every part
  of the formula, never a mean of provincial rates. It says how many members
  it covers and how much of their population, and it is empty (NaN, with the
  reason in Vietnamese and English) when that falls below a threshold.
- Every result names the map it is on (``edition``). A 2008-map series is
  re-expressed on the 2025 map by summing the old provinces of each new one
  (a new province counts only when all its parts reported); a 2025 value goes
  back to the 2008 map only for the eleven provinces the reform left whole.
- A figure keeps its origin: any synthetic input makes the result synthetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics import catalogue
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics import targets as tg
from khanalytics.formatting import fmt_percent
from khanalytics.periods import Period
from khanalytics.population import official_population

KEY = ["edition", "code", "period", "element"]
HARMONISED_COLUMNS = [*KEY, "value", "kind", "from_edition", "parts", "reason_vi", "reason_en"]
DEFAULT_INDICATORS = (
    "membership_rate",
    "learning_families_rate",
    "learning_clans_rate",
    "learning_communities_rate",
    "learning_units_rate",
    "learning_citizens_rate",
)
_KIND_RANK = {"published": 0, "reported": 1, "synthetic": 2}
_RANK_KIND = {v: k for k, v in _KIND_RANK.items()}
_EPS = 1e-9
_COUNTRY_WORDS = {"country", "national", "vn", "vietnam", "canuoc", "toanquoc", "quocgia"}


class AnalysisError(ValueError):
    """An observation frame, indicator or group the analysis cannot use."""


# --- loading -------------------------------------------------------------------------------


def load_observations(path: str | Path | None = None, **filters: object) -> pd.DataFrame:
    """The current observations of a store file (read-only), with provenance; ``filters`` as in Store.observations."""
    from khanalytics.store import DEFAULT_PATH, Store

    with Store(path or DEFAULT_PATH, read_only=True) as store:
        return store.observations(**filters)  # type: ignore[arg-type]


def load_flags(path: str | Path | None = None) -> pd.DataFrame:
    """The quality flags still attached to current values of a store file."""
    from khanalytics.store import DEFAULT_PATH, Store

    with Store(path or DEFAULT_PATH, read_only=True) as store:
        return store.flags()


_FRAME_MEMO: dict[tuple[int, str], tuple[tuple, pd.DataFrame]] = {}


def _fingerprint(obs: pd.DataFrame) -> tuple:
    values = pd.to_numeric(obs["value"], errors="coerce") if "value" in obs.columns else pd.Series(dtype=float)
    return obs.shape, tuple(obs.columns), float(np.nansum(values.to_numpy(dtype="float64", na_value=np.nan)))


def _memo_by_frame(name: str, obs: pd.DataFrame, make) -> pd.DataFrame:
    """Reuse what was derived from this very frame (same object, same content) instead of recomputing it.

    Reports call the analysis many times on one observation frame; normalising and harmonising it
    each time was most of their cost. A frame changed in place gets a new fingerprint and is redone.
    """
    import weakref

    key = (id(obs), name)
    fingerprint = _fingerprint(obs)
    hit = _FRAME_MEMO.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    result = make()
    if key not in _FRAME_MEMO:
        weakref.finalize(obs, _FRAME_MEMO.pop, key, None)
    _FRAME_MEMO[key] = (fingerprint, result)
    return result


def _check(obs: pd.DataFrame) -> pd.DataFrame:
    return _memo_by_frame("check", obs, lambda: _normalise(obs))


def _normalise(obs: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("edition", "code", "period", "element", "value") if c not in obs.columns]
    if missing:
        raise AnalysisError(
            f"Bảng số liệu thiếu cột {missing} / the observation frame lacks columns {missing} "
            "(expected the frame of Store.observations())"
        )
    out = pd.DataFrame({
        "edition": obs["edition"].astype(str).to_numpy(),
        "code": obs["code"].astype(str).str.zfill(2).to_numpy(),
        "period": obs["period"].astype(str).to_numpy(),
        "element": obs["element"].astype(str).to_numpy(),
        "value": pd.to_numeric(obs["value"], errors="coerce").astype("float64").to_numpy(),
        "kind": (obs["kind"].astype(object).to_numpy() if "kind" in obs.columns else np.full(len(obs), None)),
    })
    periods = {p: Period.parse(p).code for p in out["period"].unique()}
    out["period"] = out["period"].map(periods)
    for col in ("reason_vi", "reason_en", "from_edition", "parts"):
        if col in obs.columns:
            out[col] = obs[col].astype(object).to_numpy()
    return out


def _period_list(obs: pd.DataFrame, periods: str | Period | Iterable[str | Period] | None) -> list[str]:
    if periods is None:
        found = sorted({Period.parse(p) for p in obs["period"].unique()})
    elif isinstance(periods, str | Period):
        found = [Period.parse(periods)]
    else:
        found = sorted({Period.parse(p) for p in periods})
    return [p.code for p in found]


def _map_of(period: str, edition: str | None) -> str:
    return geo.check_edition(edition) if edition else geo.edition_for(period)


# --- reference look-ups (geography's functions filter a table per call; these are dicts) ------------------------------


@cache
def _names(edition: str, lang: str = "vi") -> dict[str, str]:
    table = geo.provinces(edition)
    return dict(zip(table["code"], table["name_en" if lang == "en" else "name_vi"], strict=True))


def _name(code: str, edition: str, lang: str = "vi") -> str:
    return _names(edition, lang)[code]


@cache
def _codes(edition: str) -> tuple[str, ...]:
    return tuple(geo.province_codes(edition))


@cache
def _parts_of() -> dict[str, tuple[str, ...]]:
    table = geo.provinces("2025")
    return {c: tuple(f) for c, f in zip(table["code"], table["formed_from"], strict=True)}


def _parts(code_2025: str) -> tuple[str, ...]:
    return _parts_of()[code_2025]


@cache
def _successor_of() -> dict[str, str]:
    return {old: new for new, olds in _parts_of().items() for old in olds}


def _successor(code_2008: str) -> str:
    return _successor_of()[code_2008]


# --- indicators and counts -------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """An indicator of the catalogue (ratio of sums) or a data element (a count, summed)."""

    code: str
    numerator: tuple[str, ...]
    denominator: str | None
    factor: float
    decimals: int
    is_percent: bool
    higher_is_better: bool
    label_vi: str
    label_en: str
    short_vi: str
    short_en: str
    unit_vi: str
    unit_en: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (*self.numerator, self.denominator) if self.denominator else self.numerator

    @property
    def is_count(self) -> bool:
        return self.denominator is None

    @property
    def change_unit(self) -> str:
        """"points" for a percentage, "percent" for counts and other ratios."""
        return "points" if self.is_percent else "percent"

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def short(self, lang: str = "vi") -> str:
        return self.short_en if lang == "en" else self.short_vi

    def unit(self, lang: str = "vi") -> str:
        return self.unit_en if lang == "en" else self.unit_vi


@cache
def measure(code: str) -> Measure:
    """The indicator or data element with this code."""
    if code in catalogue.indicators():
        i = catalogue.indicator(code)
        return Measure(i.code, tuple(i.numerator), i.denominator, float(i.factor), i.decimals, i.is_percent,
                       i.higher_is_better, i.label_vi, i.label_en, i.short_vi, i.short_en, i.unit_vi, i.unit_en)
    if code in catalogue.elements():
        e = catalogue.element(code)
        return Measure(e.code, (e.code,), None, 1.0, e.decimals, False, True, e.label_vi, e.label_en, e.short_vi,
                       e.short_en, e.unit_vi, e.unit_en)
    raise AnalysisError(
        f"Không có chỉ tiêu hay số liệu {code!r} trong danh mục / no indicator or data element {code!r}; "
        f"chỉ tiêu / indicators: {', '.join(catalogue.indicators())}"
    )


def _compute(m: Measure, sums: dict[str, float]) -> float:
    if m.is_count:
        return float(sums[m.code])
    value = catalogue.compute(m.code, sums)
    return float("nan") if value is None else float(value)


def change(value: float, reference: float, unit: str) -> float:
    """``value`` against ``reference``: a difference for "points", a relative change in % for "percent"."""
    if _missing(value) or _missing(reference):
        return float("nan")
    if unit == "points":
        return float(value) - float(reference)
    if reference == 0:
        return float("nan")
    return (float(value) / float(reference) - 1.0) * 100.0


def _missing(x: object) -> bool:
    try:
        return x is None or not math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


# --- groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """Coverage an aggregate needs: a share of the members and a share of their population (0–1)."""

    members: float = 0.0
    population: float = 0.0


DEFAULT_THRESHOLDS: dict[str, Threshold] = {
    "province": Threshold(members=1.0),
    "cluster": Threshold(members=1.0),
    "region": Threshold(members=1.0),
    "list": Threshold(members=1.0),
    "country": Threshold(population=0.9),
}


@dataclass(frozen=True)
class Group:
    """A set of provinces to aggregate over: a province, a cluster, a GSO region, the country or a list."""

    kind: str
    key: str
    label_vi: str
    label_en: str
    codes: tuple[str, ...] = ()  # province / list: codes on ``edition``'s map
    edition: str | None = None
    grouping: clu.Grouping | None = field(default=None, compare=False)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def short_label(self, lang: str = "vi") -> str:
        """"Cụm II" for "Cụm II – Đông Bắc"; the label otherwise."""
        text = self.label(lang)
        return text.split(" – ")[0] if self.kind == "cluster" else text


def country() -> Group:
    return Group("country", "VN", "Cả nước", "Whole country")


def province(name: object, edition: str) -> Group:
    """One province, by name or code on ``edition``'s map."""
    ed = geo.check_edition(edition)
    code = geo.resolve_province(name, edition=ed)
    return Group("province", code, _name(code, ed), _name(code, ed, "en"), (code,), ed)


def province_list(names: Iterable[object], edition: str, *, label_vi: str | None = None,
                  label_en: str | None = None) -> Group:
    """A list of provinces of one map, aggregated like a cluster."""
    ed = geo.check_edition(edition)
    codes = tuple(dict.fromkeys(geo.resolve_province(n, edition=ed) for n in names))
    if not codes:
        raise AnalysisError("Danh sách tỉnh rỗng / empty list of provinces")
    vi = [_name(c, ed) for c in codes]
    en = [_name(c, ed, "en") for c in codes]
    return Group("list", "+".join(codes), label_vi or ", ".join(vi), label_en or ", ".join(en), codes, ed)


def cluster(key: str | int, *, clusters_path: str | Path | None = None) -> Group:
    g = clu.load_clusters(clusters_path).get(key)
    return Group("cluster", g.slug, g.name_vi, g.name_en, grouping=g)


def region(key: str, edition: str = "2008") -> Group:
    g = clu.region(key, edition)
    return Group("region", g.slug, g.name_vi, g.name_en, grouping=g)


def as_group(spec: object, *, edition: str | None = None, clusters_path: str | Path | None = None) -> Group:
    """A Group from what users write: "country", a cluster ("Cụm II", 2, "dong-bac"), a region,
    a province name or two-digit code, or a list of provinces.

    Province names are read on ``edition``'s map, else on the 2008 map, else on the 2025 map.
    """
    if isinstance(spec, Group):
        return spec
    if spec is None or (isinstance(spec, str) and geo.name_key(spec) in _COUNTRY_WORDS):
        return country()
    if isinstance(spec, clu.Grouping):
        return Group(spec.kind, spec.slug, spec.name_vi, spec.name_en, grouping=spec)
    if isinstance(spec, list | tuple | set | pd.Series | pd.Index):
        return _on_some_map(lambda ed: province_list(list(spec), ed), edition)
    if isinstance(spec, int) and not isinstance(spec, bool):
        return cluster(spec, clusters_path=clusters_path)
    text = str(spec).strip()
    if not text.isdigit():
        try:
            return cluster(text, clusters_path=clusters_path)
        except clu.ClusterError:
            pass
        try:
            return region(text, edition or "2008")
        except clu.ClusterError:
            pass
    return _on_some_map(lambda ed: province(text, ed), edition)


def _on_some_map(make, edition: str | None) -> Group:
    if edition:
        return make(geo.check_edition(edition))
    try:
        return make("2008")
    except geo.GeographyError as first:
        try:
            return make("2025")
        except geo.GeographyError:
            raise first from None


def _grouping_on(group: Group, edition: str) -> clu.Grouping:
    if group.kind == "region":
        return clu.region(group.key, edition)
    assert group.grouping is not None
    return group.grouping


def members_on(group: Group, edition: str, period: str | Period) -> tuple[tuple[str, ...], str | None, str | None]:
    """The members of a group on ``edition``'s map at a period: (codes, reason_vi, reason_en).

    A cluster or region uses its membership in force at the period when the
    period is on that map, else its membership on that map (the 2025 one over
    the history, the last 2008 one after the reform). A province or list moves
    to the other map only as whole territories: a 2025 province is the sum of
    its old parts; old provinces give 2025 ones only when they make whole new
    provinces. Codes are empty, with the reason, when that is impossible.
    """
    ed = geo.check_edition(edition)
    p = Period.parse(period)
    if group.kind == "country":
        return tuple(_codes(ed)), None, None
    if group.kind in ("cluster", "region"):
        grouping = _grouping_on(group, ed)
        try:
            if geo.edition_for(p) == ed:
                return tuple(grouping.members(at=p)), None, None
            return tuple(grouping.members(edition=ed)), None, None
        except clu.ClusterError as err:
            return (), f"{group.label_vi}: không có thành viên trên bản đồ {ed} vào {p.code}", str(err)
    assert group.edition is not None
    if group.edition == ed:
        return group.codes, None, None
    if ed == "2008":  # 2025 provinces as their old parts
        return tuple(c for code in group.codes for c in _parts(code)), None, None
    wanted = set(group.codes)
    new = tuple(dict.fromkeys(_successor(c) for c in group.codes))
    split = [c for c in new if not set(_parts(c)) <= wanted]
    if split:
        names_vi = "; ".join(
            f"{_name(c, '2025')} mới còn gồm {', '.join(_label(o, '2008') for o in _parts(c) if o not in wanted)}"
            for c in split)
        names_en = "; ".join(
            f"new {_name(c, '2025', 'en')} also includes "
            f"{', '.join(_label(o, '2008', 'en') for o in _parts(c) if o not in wanted)}" for c in split)
        return (), (
            f"trên bản đồ 34 tỉnh, {group.label_vi} chỉ là một phần của tỉnh mới ({names_vi}); "
            "không tách được số liệu từ 1/7/2025"
        ), (
            f"on the 34-province map {group.label_en} is only part of a new province ({names_en}); "
            "values from 1 July 2025 cannot be split"
        )
    return new, None, None


def territory_note(group: object, edition: str = "2025", *, clusters_path: str | Path | None = None) -> pd.DataFrame:
    """Old (2008) provinces a cluster or region takes in, or leaves out, when drawn on ``edition``'s map.

    On the 2025 map Cụm II includes old Bắc Ninh (27), which new Bắc Ninh
    absorbed from another cluster: such rows have change "added". Old
    members whose new province went to another group have change "left".
    Empty on the 2008 map and for the country. Columns: code_2008, name_2008,
    code_2025, name_2025, change, note_vi, note_en.
    """
    g = as_group(group, clusters_path=clusters_path)
    cols = ["code_2008", "name_2008", "code_2025", "name_2025", "change", "note_vi", "note_en"]
    ed = geo.check_edition(edition)
    if ed == "2008" or g.kind not in ("cluster", "region"):
        return pd.DataFrame(columns=cols)
    try:
        old = set(_grouping_on(g, "2008").members(edition="2008"))
        new = list(_grouping_on(g, "2025").members(edition="2025"))
    except clu.ClusterError:
        return pd.DataFrame(columns=cols)
    rows = []
    for code in new:
        for part in _parts(code):
            if part not in old:
                n_old, n_new = _name(part, "2008"), _name(code, "2025")
                rows.append([part, n_old, code, n_new, "added",
                             f"{n_new} (bản đồ 34 tỉnh) gồm cả địa bàn {n_old} cũ ({part}), trước đây không thuộc "
                             f"{g.short_label()}",
                             f"{_name(code, '2025', 'en')} (34-province map) includes old "
                             f"{_name(part, '2008', 'en')} ({part}), formerly outside "
                             f"{g.short_label('en')}"])
    for part in sorted(old):
        code = _successor(part)
        if code not in new:
            n_old, n_new = _name(part, "2008"), _name(code, "2025")
            rows.append([part, n_old, code, n_new, "left",
                         f"{n_old} cũ ({part}) nay thuộc {n_new}, không còn trong {g.short_label()}",
                         f"old {_name(part, '2008', 'en')} ({part}) is now part of "
                         f"{_name(code, '2025', 'en')}, outside {g.short_label('en')}"])
    return pd.DataFrame(rows, columns=cols)


# --- across the merger -----------------------------------------------------------------------


def _label(code: str, edition: str, lang: str = "vi") -> str:
    return f"{_name(code, edition, lang)} ({code})"


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
    (the old codes summed, "27+24"), reason_vi, reason_en.
    """
    target = geo.check_edition(to)
    return _memo_by_frame(f"harmonise-{target}", obs, lambda: _harmonise(obs, target)).copy()


def _harmonise(obs: pd.DataFrame, target: str) -> pd.DataFrame:
    data = _check(obs)
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
    out = pd.concat([p for p in pieces if not p.empty], ignore_index=True) if any(not p.empty for p in pieces) \
        else pd.DataFrame(columns=HARMONISED_COLUMNS)
    out = out.drop_duplicates(KEY, keep="first")
    out["_p"] = out["period"].map(Period.parse)
    out = out.sort_values(["_p", "code", "element"]).drop(columns="_p").reset_index(drop=True)
    return out[HARMONISED_COLUMNS]


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
        "parts": agg["code_2025"].map({c: "+".join(p) for c, p in _parts_of().items()}),
        "reason_vi": None,
        "reason_en": None,
    })
    if (~complete).any():
        have = m[m["value"].notna()].groupby(["period", "element", "code_2025"])["code"].agg(frozenset)
        vi, en = [], []
        for row in agg[~complete].itertuples():
            got = have.get((row.period, row.element, row.code_2025), frozenset())
            lacking = [c for c in _parts(row.code_2025) if c not in got]
            vi.append(f"thiếu số liệu của {', '.join(_label(c, '2008') for c in lacking)} để cộng thành "
                      f"{_name(row.code_2025, '2025')} (bản đồ 34 tỉnh)")
            en.append(f"no value from {', '.join(_label(c, '2008', 'en') for c in lacking)}, needed for "
                      f"{_name(row.code_2025, '2025', 'en')} (34-province map)")
        out.loc[~complete, "reason_vi"] = vi
        out.loc[~complete, "reason_en"] = en
    return out


@cache
def _split_reason(old: str, new: str, lang: str) -> str:
    others = [o for o in _parts(new) if o != old]
    if lang == "en":
        return (f"from 1 July 2025 {_name(old, '2008', 'en')} ({old}) is part of {_name(new, '2025', 'en')} "
                f"together with {', '.join(_label(o, '2008', 'en') for o in others)}; the values cannot be split")
    return (f"từ 1/7/2025 {_name(old, '2008')} ({old}) cùng {', '.join(_label(o, '2008') for o in others)} hợp "
            f"thành tỉnh {_name(new, '2025')} mới; không tách được số liệu")


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
    gone = pd.DataFrame({
        "edition": "2008",
        "code": split["code_2008"],
        "period": split["period"],
        "element": split["element"],
        "value": np.nan,
        "kind": split["kind"].astype(object),
        "from_edition": "2025",
        "parts": split["code_2025"],
        "reason_vi": [_split_reason(o, n, "vi") for o, n in zip(split["code_2008"], split["code_2025"], strict=True)],
        "reason_en": [_split_reason(o, n, "en") for o, n in zip(split["code_2008"], split["code_2025"], strict=True)],
    })
    return pd.concat([same[HARMONISED_COLUMNS], gone[HARMONISED_COLUMNS]], ignore_index=True)


# --- provinces -------------------------------------------------------------------------------


@cache
def _official(edition: str, code: str, year: int) -> tuple[float, str | None]:
    try:
        hit = official_population(edition, code, year)
    except (geo.GeographyError, ValueError):
        hit = None
    return (float(hit[0]), hit[1]) if hit else (float("nan"), None)


def province_values(
    obs: pd.DataFrame,
    indicator: str,
    periods: str | Period | Iterable[str | Period] | None = None,
    *,
    edition: str | None = None,
) -> pd.DataFrame:
    """The indicator for every province of the map, one row per province and period.

    With ``edition`` None each period is on the map in force then. Columns:
    code, name, name_en, period, edition, indicator, value, numerator,
    denominator, one column per input element, reported (every input
    present), synthetic, coverage_population (reported population, else the
    official one) and its source ("reported" / "official"), reason_vi /
    reason_en (why a province does not count).
    """
    m = measure(indicator)
    data = _check(obs)
    wanted = _period_list(data, periods)
    frames = []
    by_map: dict[str, list[str]] = {}
    for p in wanted:
        by_map.setdefault(_map_of(p, edition), []).append(p)
    elements = list(dict.fromkeys([*m.inputs, "population"]))
    for ed, ps in by_map.items():
        sub = data[data["period"].isin(ps) & data["element"].isin(elements)]
        frames.append(_province_table(harmonise(sub, to=ed), m, ps, ed, elements))
    if not frames:
        return _province_table(pd.DataFrame(columns=HARMONISED_COLUMNS), m, [], "2008", elements)
    return pd.concat(frames, ignore_index=True)


def _province_table(data: pd.DataFrame, m: Measure, periods: list[str], ed: str, elements: list[str]) -> pd.DataFrame:
    codes = list(_codes(ed))
    idx = pd.MultiIndex.from_product([periods, codes], names=["period", "code"])
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
    names, names_en = _names(ed), _names(ed, "en")
    out = pd.DataFrame({
        "code": idx.get_level_values("code"),
        "period": idx.get_level_values("period"),
    })
    out.insert(1, "name", out["code"].map(names))
    out.insert(2, "name_en", out["code"].map(names_en))
    out["edition"] = ed
    out["indicator"] = m.code
    out["value"] = value.to_numpy()
    out["numerator"] = numerator.to_numpy()
    out["denominator"] = denominator.to_numpy()
    for e in m.inputs:
        out[e] = inputs[e].to_numpy()
    out["reported"] = reported
    out["synthetic"] = synthetic & reported
    pop = wide["population"].to_numpy().copy()
    source = np.where(np.isnan(pop), None, "reported").astype(object)
    for i in np.flatnonzero(np.isnan(pop)):
        value_i, src = _official(ed, out.at[i, "code"], Period.parse(out.at[i, "period"]).year)
        pop[i] = value_i
        source[i] = "official" if src else None
    out["coverage_population"] = pop
    out["coverage_population_source"] = source
    out["reason_vi"], out["reason_en"] = _province_reasons(d, m, out, inputs.to_numpy(), reported)
    return out


def _province_reasons(d: pd.DataFrame, m: Measure, out: pd.DataFrame, values: np.ndarray,
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


# --- aggregates ------------------------------------------------------------------------------

AGGREGATE_COLUMNS = [
    "group", "group_kind", "group_label", "group_label_en", "indicator", "period", "edition", "value", "numerator",
    "denominator", "n_reporting", "n_members", "reporting", "missing", "population_share", "synthetic",
    "min_members", "min_population", "reason_vi", "reason_en", "missing_detail_vi", "missing_detail_en",
    "outside_parts", "unit",
]


def aggregate(
    obs: pd.DataFrame,
    indicator: str,
    group: object,
    periods: str | Period | Iterable[str | Period] | None = None,
    *,
    edition: str | None = None,
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The indicator for a group, one row per period: a ratio of sums over the members that reported.

    ``group``: see :func:`as_group`. ``edition``: the map (None: the map in
    force at each period). ``threshold``: coverage needed (default by kind
    of group, see ``DEFAULT_THRESHOLDS``). Below it, or when the members
    cannot be drawn on that map, ``value`` is NaN and ``reason_vi`` /
    ``reason_en`` say why. Columns: ``AGGREGATE_COLUMNS``; ``reporting`` and
    ``missing`` are tuples of codes on the map used, ``outside_parts`` the old
    provinces included from outside the group's 2008 territory.
    """
    g = as_group(group, edition=edition, clusters_path=clusters_path)
    m = measure(indicator)
    data = _check(obs)
    wanted = _period_list(data, periods)
    pv = province_values(data, indicator, wanted, edition=edition)
    return _aggregate_from(pv, g, m, wanted, edition, threshold)


def _aggregate_from(pv: pd.DataFrame, g: Group, m: Measure, periods: list[str], edition: str | None,
                    threshold: Threshold | None) -> pd.DataFrame:
    th = threshold or DEFAULT_THRESHOLDS[g.kind]
    rows = []
    outside_cache: dict[str, tuple[str, ...]] = {}
    for p in periods:
        ed = _map_of(p, edition)
        if ed not in outside_cache:
            outside_cache[ed] = tuple(territory_note(g, ed).query("change == 'added'")["code_2008"]) \
                if g.kind in ("cluster", "region") else ()
        sub = pv[(pv["period"] == p) & (pv["edition"] == ed)].set_index("code")
        rows.append(_aggregate_one(sub, g, m, p, ed, th, outside_cache[ed]))
    return pd.DataFrame(rows, columns=AGGREGATE_COLUMNS)


def _aggregate_one(sub: pd.DataFrame, g: Group, m: Measure, period: str, ed: str, th: Threshold,
                   outside: tuple[str, ...]) -> dict:
    codes, why_vi, why_en = members_on(g, ed, period)
    row = {
        "group": g.key, "group_kind": g.kind, "group_label": g.label_vi, "group_label_en": g.label_en,
        "indicator": m.code, "period": period, "edition": ed, "value": np.nan, "numerator": np.nan,
        "denominator": np.nan, "n_reporting": 0, "n_members": len(codes), "reporting": (), "missing": codes,
        "population_share": np.nan, "synthetic": False, "min_members": th.members, "min_population": th.population,
        "reason_vi": why_vi, "reason_en": why_en, "missing_detail_vi": None, "missing_detail_en": None,
        "outside_parts": outside, "unit": m.unit_vi,
    }
    if not codes:
        return row
    mem = sub.reindex(list(codes))
    ok = mem["reported"].fillna(False).astype(bool).to_numpy()
    rep = mem[ok]
    reporting = tuple(rep.index)
    missing = tuple(c for c in codes if c not in set(reporting))
    row.update(n_reporting=len(reporting), reporting=reporting, missing=missing,
               synthetic=bool(rep["synthetic"].any()) if len(rep) else False)
    pops = mem["coverage_population"].to_numpy(dtype="float64")
    if not np.isnan(pops).any() and pops.sum() > 0:
        row["population_share"] = float(pops[ok].sum() / pops.sum())
    only: tuple[str, str] | None = None
    if missing:
        detail = mem.loc[list(missing)]
        why_vi = [r if isinstance(r, str) and r else "không có số liệu" for r in detail["reason_vi"]]
        why_en = [r if isinstance(r, str) and r else "no data" for r in detail["reason_en"]]
        row["missing_detail_vi"] = "; ".join(f"{_name(c, ed)}: {r}" for c, r in zip(missing, why_vi, strict=True))
        row["missing_detail_en"] = "; ".join(f"{_name(c, ed, 'en')}: {r}" for c, r in zip(missing, why_en,
                                                                                           strict=True))
        if len(codes) == 1:
            only = (why_vi[0], why_en[0])
    sums = {e: float(rep[e].sum()) for e in m.inputs}
    if reporting:
        row["numerator"] = math.fsum(sums[e] for e in m.numerator)
        if m.denominator:
            row["denominator"] = sums[m.denominator]
    where_vi, where_en = only or _coverage_problem(row, g, th, ed)
    # absent because merged in 2025, not because they did not report: say so
    if where_vi and missing and not only and all("1/7/2025" in r for r in why_vi):
        where_vi += ("; các tỉnh này đã hợp nhất từ 1/7/2025 nên không tách được số liệu trên bản đồ 63 tỉnh"
                     if ed == "2008" else "; số liệu trước 1/7/2025 của các phần hợp thành chưa đủ")
        where_en += ("; these provinces merged on 1 July 2025 and their figures cannot be split out"
                     if ed == "2008" else "; the parts they were made from did not all report before July 2025")
    if where_vi:
        row["reason_vi"], row["reason_en"] = where_vi, where_en
        return row
    value = _compute(m, sums)
    if math.isnan(value):
        row["reason_vi"] = "mẫu số bằng 0"
        row["reason_en"] = "the denominator is zero"
        return row
    row["value"] = value
    return row


def _coverage_problem(row: dict, g: Group, th: Threshold, ed: str) -> tuple[str | None, str | None]:
    n, k = row["n_members"], row["n_reporting"]
    unit_vi = "tỉnh, thành phố"
    more = len(row["missing"]) - 8
    miss_vi = ", ".join(_name(c, ed) for c in row["missing"][:8]) + (f" và {more} tỉnh khác" if more > 0 else "")
    miss_en = ", ".join(_name(c, ed, "en") for c in row["missing"][:8]) + (f" and {more} more" if more > 0 else "")
    if k == 0:
        return (f"không {unit_vi} nào báo cáo đủ số liệu để tính", "no province reported every figure needed")
    if k / n + _EPS < th.members:
        need = math.ceil(th.members * n - _EPS)
        return (f"chỉ {k}/{n} {unit_vi} báo cáo đủ số liệu (thiếu: {miss_vi}); cần ít nhất {need}/{n}",
                f"only {k} of {n} provinces reported every figure (missing: {miss_en}); at least {need} needed")
    if th.population > 0:
        share = row["population_share"]
        if _missing(share):
            return ("không biết dân số của mọi thành viên nên không tính được độ phủ dân số",
                    "the population of some members is unknown, so coverage cannot be checked")
        if share + _EPS < th.population:
            return (f"các {unit_vi} báo cáo đủ số liệu chỉ chiếm {fmt_percent(share * 100, 1)} dân số "
                    f"(thiếu: {miss_vi}); cần ít nhất {fmt_percent(th.population * 100, 0)}",
                    f"the provinces that reported hold only {fmt_percent(share * 100, 1, 'en')} of the population "
                    f"(missing: {miss_en}); at least {fmt_percent(th.population * 100, 0, 'en')} needed")
    return None, None


# --- comparisons -----------------------------------------------------------------------------


def compare(
    obs: pd.DataFrame,
    indicator: str,
    group: object,
    periods: str | Period | Iterable[str | Period] | None = None,
    *,
    edition: str | None = None,
    threshold: Threshold | None = None,
    national_threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """``aggregate`` plus the change on cùng kỳ and on the previous period, and the gap to the country.

    The reference periods and the national value are taken on the same map
    as the value itself, so a change never mixes two territories. Extra
    columns: period_last_year, value_last_year, change_last_year,
    period_previous, value_previous, change_previous, change_unit ("points"
    for rates in %, "percent" otherwise), national, gap_national (value −
    national, in points for rates; NaN for counts) and share_of_national (for
    counts, % of the national total).
    """
    g = as_group(group, edition=edition, clusters_path=clusters_path)
    m = measure(indicator)
    data = _check(obs)
    wanted = _period_list(data, periods)
    by_map: dict[str, set[str]] = {}
    for p in wanted:
        q = Period.parse(p)
        by_map.setdefault(_map_of(p, edition), set()).update({p, q.same_period_last_year().code, q.previous().code})
    pv = pd.concat([province_values(data, indicator, sorted(ps, key=Period.parse), edition=ed)
                    for ed, ps in by_map.items()], ignore_index=True)
    groups, nats = [], []
    for ed, ps in by_map.items():
        ordered = sorted(ps, key=Period.parse)
        sub = pv[pv["edition"] == ed]
        groups.append(_aggregate_from(sub, g, m, ordered, ed, threshold))
        nats.append(_aggregate_from(sub, country(), m, [p for p in ordered if p in wanted], ed, national_threshold))
    allg = pd.concat(groups, ignore_index=True).set_index(["edition", "period"])
    alln = pd.concat(nats, ignore_index=True).set_index(["edition", "period"])
    rows = []
    for p in wanted:
        ed = _map_of(p, edition)
        q = Period.parse(p)
        row = allg.loc[(ed, p)].to_dict()
        row.update(edition=ed, period=p)
        ly, pr = q.same_period_last_year().code, q.previous().code
        row["period_last_year"] = ly
        row["value_last_year"] = allg.loc[(ed, ly), "value"]
        row["change_last_year"] = change(row["value"], row["value_last_year"], m.change_unit)
        row["period_previous"] = pr
        row["value_previous"] = allg.loc[(ed, pr), "value"]
        row["change_previous"] = change(row["value"], row["value_previous"], m.change_unit)
        row["change_unit"] = m.change_unit
        nat = alln.loc[(ed, p), "value"]
        row["national"] = nat
        row["gap_national"] = np.nan if m.is_count or _missing(nat) or _missing(row["value"]) else row["value"] - nat
        row["share_of_national"] = (row["value"] / nat * 100 if m.is_count and not _missing(nat) and nat
                                    and not _missing(row["value"]) else np.nan)
        rows.append(row)
    cols = [*AGGREGATE_COLUMNS, "period_last_year", "value_last_year", "change_last_year", "period_previous",
            "value_previous", "change_previous", "change_unit", "national", "gap_national", "share_of_national"]
    return pd.DataFrame(rows)[cols]


def _clusters_on(edition: str, period: str, clusters_path: str | Path | None) -> dict[str, clu.Grouping]:
    out: dict[str, clu.Grouping] = {}
    for grouping in clu.load_clusters(clusters_path):
        g = Group("cluster", grouping.slug, grouping.name_vi, grouping.name_en, grouping=grouping)
        codes, _, _ = members_on(g, edition, period)
        for c in codes:
            out[c] = grouping
    return out


def ranks(
    obs: pd.DataFrame,
    indicator: str,
    period: str | Period,
    *,
    edition: str | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Every province's value with its rank in the country and in its cluster (1 = best).

    Ties share the better rank (method "min"); provinces without a value get
    no rank. Columns: code, name, name_en, period, edition, value, synthetic,
    rank_country, n_country, cluster, cluster_label, rank_cluster, n_cluster.
    """
    m = measure(indicator)
    p = Period.parse(period).code
    ed = _map_of(p, edition)
    pv = province_values(obs, indicator, [p], edition=ed)
    out = pv[["code", "name", "name_en", "period", "edition", "value", "synthetic"]].copy()
    asc = not m.higher_is_better
    shown = out["value"].round(m.decimals)  # values that read the same share a rank
    out["rank_country"] = shown.rank(method="min", ascending=asc).astype("Int64")
    out["n_country"] = int(out["value"].notna().sum())
    of = _clusters_on(ed, p, clusters_path)
    out["cluster"] = out["code"].map(lambda c: of[c].slug if c in of else None)
    out["cluster_label"] = out["code"].map(lambda c: of[c].name_vi if c in of else None)
    out["rank_cluster"] = shown.groupby(out["cluster"], dropna=False).rank(method="min", ascending=asc).astype(
        "Int64")
    out["n_cluster"] = out.groupby("cluster", dropna=False)["value"].transform("count").astype(int)
    out.loc[out["cluster"].isna(), ["rank_cluster"]] = pd.NA
    return out.sort_values(["rank_country", "code"], na_position="last").reset_index(drop=True)


def trend(
    obs: pd.DataFrame,
    indicator: str,
    group: object,
    period: str | Period | None = None,
    *,
    last: int = 6,
    edition: str | None = None,
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The group's value over the ``last`` periods ending at ``period`` (default: the latest observed).

    All on one map: ``edition``, else the map of the last period. Extra
    columns: change_previous, change_unit, slope_per_year (least squares over
    the periods with a value, in the indicator's unit per year; NaN with
    fewer than two) and direction ("up", "down", "flat" or None).
    """
    data = _check(obs)
    if period is None:
        if data.empty:
            raise AnalysisError("Không có số liệu / no observations")
        period = max(Period.parse(p) for p in data["period"].unique())
    end = Period.parse(period)
    seq = [end]
    while len(seq) < last:
        seq.append(seq[-1].previous())
    seq.reverse()
    ed = geo.check_edition(edition) if edition else geo.edition_for(end)
    m = measure(indicator)
    out = aggregate(data, indicator, group, [p.code for p in seq], edition=ed, threshold=threshold,
                    clusters_path=clusters_path)
    prev = out["value"].shift()
    out["change_previous"] = [change(v, r, m.change_unit) for v, r in zip(out["value"], prev, strict=True)]
    out["change_unit"] = m.change_unit
    x = np.array([tg.year_fraction(Period.parse(p).end) for p in out["period"]])
    y = out["value"].to_numpy(dtype="float64")
    ok = ~np.isnan(y)
    slope = float(np.polyfit(x[ok], y[ok], 1)[0]) if ok.sum() >= 2 else float("nan")
    out["slope_per_year"] = slope
    if math.isnan(slope):
        direction = None
    elif round(slope, m.decimals) == 0:
        direction = "flat"
    else:
        direction = "up" if slope > 0 else "down"
    out["direction"] = direction
    return out


# --- targets ---------------------------------------------------------------------------------

TARGET_COLUMNS = [
    "group", "group_label", "period", "edition", "indicator", "indicator_label", "value", "decision_id", "decision",
    "decision_label", "decision_label_en", "decision_name", "target_year", "target", "gap", "baseline_period",
    "baseline_value", "expected", "status", "scope", "source", "confidence", "synthetic",
]


def applicable_targets(
    period: str | Period,
    *,
    indicators: Sequence[str] | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    which: str = "current",
) -> pd.DataFrame:
    """Targets that apply at a period: issued by the period's end, of the scope.

    ``which="all"``: every such target. ``"current"``: for each indicator,
    the nearest target year at or after the period's year (one per decision
    with that year), or, when every target has expired, the latest one.
    """
    p = Period.parse(period)
    t = tg.load_targets() if targets is None else targets
    t = t[(t["scope"] == scope) & (t["issued"] <= p.end)]
    if indicators is not None:
        t = t[t["indicator"].isin(list(indicators))]
    if which == "all" or t.empty:
        return t.reset_index(drop=True)
    keep = []
    for _, rows in t.groupby("indicator", sort=False):
        ahead = rows[rows["year"] >= p.year]
        pick = ahead[ahead["year"] == ahead["year"].min()] if len(ahead) else rows[rows["year"] == rows["year"].max()]
        keep.append(pick)
    return pd.concat(keep).sort_values(["indicator", "year", "decision_id"]).reset_index(drop=True)


def evaluate_targets(
    obs: pd.DataFrame,
    group: object,
    period: str | Period,
    *,
    indicators: Sequence[str] | None = None,
    edition: str | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    which: str = "current",
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """The group's value against each applicable target: gap and status ("met", "on track", "behind").

    The "on track" line runs from the baseline — the group's own value at the
    earliest period with a value at or after the decision's year of issue —
    to the target at the end of the target year. Everything on one map
    (``edition``, else the period's). Columns: ``TARGET_COLUMNS``.
    """
    p = Period.parse(period)
    ed = geo.check_edition(edition) if edition else geo.edition_for(p)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    data = _check(obs)
    todo = applicable_targets(p, indicators=indicators, targets=targets, scope=scope, which=which)
    rows = []
    for code, rows_t in todo.groupby("indicator", sort=False):
        m = measure(str(code))
        first = int(rows_t["baseline_year"].min())
        history = [q for q in _period_list(data, None) if Period.parse(q).year >= first and Period.parse(q) <= p]
        series = aggregate(data, m.code, g, sorted({*history, p.code}, key=Period.parse), edition=ed,
                           threshold=threshold)
        series = series.set_index("period")
        now = series.loc[p.code]
        for t in rows_t.itertuples():
            base = series[[Period.parse(q).year >= t.baseline_year for q in series.index]]["value"].dropna()
            rows.append(_judge(g, m, p, ed, now["value"], bool(now["synthetic"]), base, t))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _judge(g: Group, m: Measure, p: Period, ed: str, value: float, synthetic: bool, base: pd.Series, t) -> dict:
    baseline_period = base.index[0] if len(base) else None
    baseline_value = float(base.iloc[0]) if len(base) else np.nan
    due = tg.target_date(t.year)
    expected = (tg.expected_value(baseline_value, Period.parse(baseline_period).end, t.value, due, p.end)
                if baseline_period else np.nan)
    status = tg.status(None if _missing(value) else float(value), t.value,
                       expected=None if _missing(expected) else expected, higher_is_better=m.higher_is_better)
    return {
        "group": g.key, "group_label": g.label_vi, "period": p.code, "edition": ed, "indicator": m.code,
        "indicator_label": m.short_vi, "value": value, "decision_id": t.decision_id, "decision": t.decision,
        "decision_label": t.label_vi, "decision_label_en": t.label_en, "decision_name": t.name_vi,
        "target_year": t.year, "target": t.value,
        "gap": np.nan if _missing(value) else float(value) - t.value, "baseline_period": baseline_period,
        "baseline_value": baseline_value, "expected": expected, "status": status, "scope": t.scope,
        "source": t.source, "confidence": t.confidence, "synthetic": synthetic,
    }


# --- scorecard -------------------------------------------------------------------------------

SCORECARD_COLUMNS = [
    "code", "name", "name_en", "period", "edition", "indicator", "indicator_label", "indicator_label_en", "unit",
    "value", "change", "change_unit", "national", "vs_national", "target", "target_year", "decision", "vs_target",
    "status", "synthetic",
]


def _versus(value: float, reference: float, decimals: int, higher_is_better: bool = True) -> str | None:
    """"above" / "below" / "equal" at the precision the reader sees."""
    if _missing(value) or _missing(reference):
        return None
    a, b = round(float(value), decimals), round(float(reference), decimals)
    if a == b:
        return "equal"
    return "above" if a > b else "below"


def scorecard(
    obs: pd.DataFrame,
    period: str | Period,
    *,
    group: object = None,
    indicators: Sequence[str] = DEFAULT_INDICATORS,
    edition: str | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Provinces × indicators: value, change on cùng kỳ, position against the country and the target.

    ``group``: whose provinces (default: every province of the map). One
    tidy row per province and indicator (``SCORECARD_COLUMNS``): vs_national
    is "above" / "below" / "equal" at the indicator's decimals, vs_target
    "met" / "on track" / "behind" against the current target (or None), and
    ``status`` repeats vs_national for figures.scorecard_heatmap.
    """
    p = Period.parse(period)
    ed = geo.check_edition(edition) if edition else geo.edition_for(p)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    codes, _, _ = members_on(g, ed, p)
    data = _check(obs)
    history = sorted({*(q for q in _period_list(data, None) if Period.parse(q) <= p), p.code,
                      p.same_period_last_year().code}, key=Period.parse)
    rows = []
    for code in indicators:
        m = measure(code)
        pv = province_values(data, code, history, edition=ed)
        now = pv[pv["period"] == p.code].set_index("code")
        before = pv[pv["period"] == p.same_period_last_year().code].set_index("code")["value"]
        national = _aggregate_from(pv, country(), m, [p.code], ed, None)["value"].iloc[0]
        chosen = applicable_targets(p, indicators=[code], targets=targets, scope=scope)
        target = chosen.iloc[0] if len(chosen) else None
        wide = pv.pivot(index="period", columns="code", values="value")
        wide = wide.reindex(sorted(wide.index, key=Period.parse))
        for c in codes:
            value = now.at[c, "value"] if c in now.index else np.nan
            vs_target, tv, ty, dec = None, np.nan, None, None
            if target is not None:
                tv, ty, dec = float(target["value"]), int(target["year"]), target["decision"]
                col = wide[c].dropna() if c in wide.columns else pd.Series(dtype="float64")
                col = col[[Period.parse(q).year >= int(target["baseline_year"]) for q in col.index]]
                expected = (tg.expected_value(float(col.iloc[0]), Period.parse(col.index[0]).end, tv,
                                              tg.target_date(ty), p.end) if len(col) else None)
                vs_target = tg.status(None if _missing(value) else float(value), tv, expected=expected,
                                      higher_is_better=m.higher_is_better)
            vs_nat = _versus(value, national, m.decimals)
            rows.append({
                "code": c, "name": _name(c, ed), "name_en": _name(c, ed, "en"),
                "period": p.code, "edition": ed, "indicator": code, "indicator_label": m.short_vi,
                "indicator_label_en": m.short_en, "unit": m.unit_vi, "value": value,
                "change": change(value, before.get(c, np.nan), m.change_unit), "change_unit": m.change_unit,
                "national": national, "vs_national": vs_nat, "target": tv, "target_year": ty, "decision": dec,
                "vs_target": vs_target, "status": vs_nat,
                "synthetic": bool(now.at[c, "synthetic"]) if c in now.index else False,
            })
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


# --- quality ---------------------------------------------------------------------------------


def quality_flags(flags: pd.DataFrame | None, group: object, period: str | Period, *,
                  edition: str | None = None) -> pd.DataFrame:
    """The store's quality flags (Store.flags()) that concern a group's members at a period.

    On the 2025 map a merged province's flags are those of its old parts.
    """
    if flags is None or flags.empty:
        return pd.DataFrame(columns=[] if flags is None else flags.columns)
    p = Period.parse(period)
    ed = geo.check_edition(edition) if edition else geo.edition_for(p)
    g = as_group(group, edition=ed)
    codes, _, _ = members_on(g, ed, p)
    wanted = {(ed, c) for c in codes}
    if ed == "2025":
        wanted |= {("2008", part) for c in codes for part in _parts(c)}
    keep = [(str(e), str(c)) in wanted and str(q) == p.code
            for e, c, q in zip(flags["edition"], flags["code"], flags["period"], strict=True)]
    return flags[keep].reset_index(drop=True)
