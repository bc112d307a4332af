"""Write data/sample/: an illustrative (synthetic) panel of provincial reports, and the published figures.

Why this exists: the demo, the notebooks and the tests need a complete panel
(every province, every half-year 2015-H1 … 2026-H1, every data element) that
goes through the same import path as real reports, and the founding figures
of the Cụm II meeting of 2019 must come out of it exactly as published. No
such panel is public, so this script makes one up, deterministically (numpy
``default_rng`` seeded with 2019), and marks every value it writes synthetic.
Published figures go to ``published.csv`` with their sources, never into the
synthetic panel.

    python scripts/generate_sample.py              # writes data/sample/
    python scripts/generate_sample.py --check      # prints the calibration figures only
    python scripts/generate_sample.py -o DIR       # writes elsewhere (--no-workbooks: parquet and csv only)

How the panel is made: the provinces of the 2008 map (63) are simulated over
all 23 half-years; population follows GSO's average population
(khanalytics.population) with a persistent reporting bias of a few per cent;
membership rates follow a national curve times a provincial level and trend,
bent through a few published anchor points; counts (villages, clans, units,
households…) scale with population; titles follow national recognition
rates. From 2025-H2 the 34 provinces of the 2025 map are the sums of their
old parts (khanalytics.geography.crosswalk()), except the commune-level
elements, which follow the 3.321 communes of the 2025 commune map.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import zlib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics import geography as geo
from khanalytics.periods import Period, half_years
from khanalytics.population import official_population, official_population_table

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "sample"
SEED = 2019
FIRST, LAST = "2015-H1", "2026-H1"
KIND = "synthetic"
SOURCE = "khanalytics scripts/generate_sample.py (seed {seed}): số liệu minh hoạ, không phải số liệu thật / synthetic"
NOTE = (
    "Số liệu TỔNG HỢP (giả lập) để minh hoạ, hiệu chỉnh cho khớp các số đã công bố của Cụm II năm 2019; "
    "xem data/README.md / SYNTHETIC illustrative data calibrated to published figures; see data/README.md"
)

ELEMENTS: tuple[str, ...] = (
    "population",
    "members",
    "communes",
    "grassroots_associations",
    "branches",
    "promotion_boards",
    "villages",
    "households",
    "learning_families_registered",
    "learning_families_recognised",
    "clans",
    "learning_clans_registered",
    "learning_clans_recognised",
    "learning_communities_registered",
    "learning_communities_recognised",
    "units",
    "learning_units_registered",
    "learning_units_recognised",
    "learning_communes_kha",
    "learning_communes_tot",
    "working_age_population",
    "learning_citizens_registered",
    "learning_citizens_recognised",
    "fund_raised_vnd",
    "fund_balance_vnd",
    "scholarships_count",
    "scholarships_vnd",
    "learning_centres",
)
# Elements counted per commune: they follow the 2025 commune map (3.321 communes) from 2025-H2.
COMMUNE_LEVEL = frozenset(
    {"communes", "grassroots_associations", "learning_communes_kha", "learning_communes_tot", "learning_centres"}
)
# title -> (total element, registered element, recognised element)
TITLES: dict[str, tuple[str, str, str]] = {
    "families": ("households", "learning_families_registered", "learning_families_recognised"),
    "clans": ("clans", "learning_clans_registered", "learning_clans_recognised"),
    "communities": ("villages", "learning_communities_registered", "learning_communities_recognised"),
    "units": ("units", "learning_units_registered", "learning_units_recognised"),
    "citizens": ("working_age_population", "learning_citizens_registered", "learning_citizens_recognised"),
}

# --- the published figures the panel must reproduce exactly (domain-facts.md; khuyenhoc.vn 8/11/2019) ----------
CUM_II = ("06", "04", "19", "20", "22", "24", "30", "31")  # 2008 map: Bắc Kạn … Hải Phòng
CUM_I = ("02", "08", "10", "11", "12", "14", "15", "17", "25")  # 2008 map: Tây Bắc
QUANG_NINH = "22"
CUM_II_2019 = {
    "members": 2_265_712,
    "population": 9_414_026,
    "grassroots_associations": 1_631,
    "branches": 22_328,
    "promotion_boards": 17_521,
}
CUM_II_COMMUNES_2019 = 1_648  # synthetic: enough communes for the 1.631 associations
QN_RATE_2019 = 0.3180  # rounds to 31,80 % (published "31,8 %")
NATIONAL_RATE = {"2019-H1": 0.2072, "2020-H2": 0.2189}
CUM_II_RATE_2018 = 0.22989  # rounds to 22,99 %, and 24,0674 − 22,989 rounds to 1,08 points

# Published figures the panel follows approximately (rates; see published.csv): (2008 code, period, rate).
SOFT_RATE_ANCHORS = (
    ("30", "2018-H2", 0.278),  # Hải Dương 2018: 27,8 %
    ("30", "2023-H1", 0.380),  # Hải Dương 6/2023: 38 %
    ("22", "2025-H2", 0.337),  # Quảng Ninh 2025: 33,7 %
    ("42", "2025-H1", 0.292),  # Hà Tĩnh 6/2025: 29,2 %
    ("64", "2024-H2", 0.1853),  # Gia Lai (old) 2024: 18,53 %
)
CUM_I_RATE_2024 = 0.33  # Cụm I Tây Bắc 2024: 33 %
# (code, title, period, recognised share, registered share or None)
SOFT_TITLE_ANCHORS = (
    ("19", "families", "2020-H2", 0.865, None),  # Thái Nguyên 2020: > 86 %
    ("44", "families", "2020-H2", 0.81, 0.95),  # Quảng Bình 2020: 81 % recognised, 95 % registered
)

# National paths of the membership rate and of the title recognition shares: (decimal year, value).
NATIONAL_RATE_PATH = (
    (2015.5, 0.168),
    (2017.5, 0.188),
    (2019.5, 0.2072),
    (2021.0, 0.2189),
    (2023.0, 0.232),
    (2026.5, 0.252),
)
TITLE_PATHS = {
    "families": ((2015.5, 0.62), (2020.5, 0.715), (2026.5, 0.78)),
    "clans": ((2015.5, 0.56), (2020.5, 0.66), (2026.5, 0.72)),
    "communities": ((2015.5, 0.48), (2020.5, 0.60), (2026.5, 0.70)),
    "units": ((2015.5, 0.45), (2020.5, 0.60), (2026.5, 0.74)),
    "citizens": ((2015.5, 0.08), (2018.5, 0.12), (2020.5, 0.17), (2022.5, 0.25), (2024.5, 0.35), (2026.5, 0.44)),
}
LEARNING_COMMUNES_PATH = ((2015.5, 0.55), (2020.5, 0.75), (2026.5, 0.88))  # share of communes recognised
GOOD_LEVEL_PATH = ((2015.5, 0.15), (2026.5, 0.40))  # share of those at level Tốt

# Regional parameters: membership level (relative to national), people per village, household size,
# clans and units per 1 000 people, fund raised per person per half-year (VND, 2019), working-age share.
# fmt: off
REGION = {
    #            level  ppv   hh    clans units fund   work
    "TDMNPB":   (1.35, 420, 4.0, 1.3, 2.2, 12_000, 0.62),
    "DBSH":     (1.25, 950, 3.4, 1.8, 2.0, 26_000, 0.63),
    "BTB_DHMT": (1.25, 850, 3.7, 1.5, 1.8, 20_000, 0.61),
    "TN":       (0.93, 650, 4.0, 1.0, 1.8, 14_000, 0.62),
    "DNB":      (0.60, 1900, 3.4, 0.6, 2.3, 30_000, 0.67),
    "DBSCL":    (0.87, 1300, 3.7, 1.0, 1.6, 17_000, 0.64),
}
# fmt: on


class CalibrationError(RuntimeError):
    """The generated panel missed a published figure it must reproduce."""


def _rng(seed: int, stream: str) -> np.random.Generator:
    """One independent stream per concern, so changing one does not move the others."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def _decimal_year(p: Period) -> float:
    return p.year + (0.5 if p.half == 1 else 1.0)


def _interp(points: tuple[tuple[float, float], ...], tau: np.ndarray) -> np.ndarray:
    xs, ys = zip(*points, strict=True)
    return np.interp(tau, xs, ys)


def _ar1(rng: np.random.Generator, shape: tuple[int, int], sd: float, rho: float = 0.6) -> np.ndarray:
    """Small autocorrelated noise along time (axis 1), clipped at three standard deviations."""
    shocks = rng.normal(0.0, sd * np.sqrt(1 - rho**2), shape)
    out = np.empty(shape)
    out[:, 0] = rng.normal(0.0, sd, shape[0])
    for t in range(1, shape[1]):
        out[:, t] = rho * out[:, t - 1] + shocks[:, t]
    return np.clip(out, -3 * sd, 3 * sd)


def _anchor_factor(tau: np.ndarray, anchors: list[tuple[float, float]]) -> np.ndarray:
    """A multiplier through (time, factor) points: log-linear between them, flat outside."""
    xs, fs = zip(*sorted(anchors), strict=True)
    return np.exp(np.interp(tau, xs, np.log(fs)))


def _fix_total(values: np.ndarray, target: int, cap: np.ndarray | None = None) -> np.ndarray:
    """Whole numbers proportional to ``values`` that sum exactly to ``target`` (largest remainder), within ``cap``."""
    scaled = values * (target / values.sum())
    if cap is not None:
        scaled = np.minimum(scaled, cap)
    out = np.floor(scaled).astype(np.int64)
    order = np.argsort(-(scaled - out), kind="stable")
    i = 0
    while out.sum() < target:
        j = order[i % len(order)]
        if cap is None or out[j] < cap[j]:
            out[j] += 1
        i += 1
        if i > 100 * len(order):
            raise CalibrationError(f"cannot reach {target} within the caps")
    return out


def _commune_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Communes per province before (1/2025) and after (7/2025) the reform, from vietnamadminunits (MIT)."""
    db = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    with sqlite3.connect(str(db)) as con:
        legacy = dict(
            con.execute("select provinceCode, count(distinct wardCode) from admin_units_legacy group by provinceCode")
        )
        current = dict(
            con.execute("select provinceCode, count(distinct wardCode) from admin_units group by provinceCode")
        )
    return {str(k): int(v) for k, v in legacy.items()}, {str(k): int(v) for k, v in current.items()}


# --- the latent panel of the 63 old provinces over every half-year ----------------------------------------------


def _official_paths(codes: list[str], periods: list[Period]) -> tuple[np.ndarray, np.ndarray]:
    """GSO average population interpolated to each period's end, and the official figure the quality rule uses."""
    table = official_population_table("2008")
    table = table[table["year"] >= 2011]  # 2010 is from the older, unrevised series
    tau = np.array([_decimal_year(p) for p in periods])
    smooth = np.empty((len(codes), len(periods)))
    rule = np.empty_like(smooth)
    for i, code in enumerate(codes):
        rows = table[table["code"] == code].sort_values("year")
        years = rows["year"].to_numpy() + 0.5
        logs = np.log(rows["population"].to_numpy(dtype=float))
        growth = (logs[-1] - logs[-6]) / 5.0
        inside = np.interp(tau, years, logs)
        smooth[i] = np.exp(np.where(tau > years[-1], logs[-1] + growth * (tau - years[-1]), inside))
        for t, p in enumerate(periods):
            rule[i, t] = official_population("2008", code, p.year)[0]
    return smooth, rule


def _latent(seed: int) -> tuple[list[str], list[Period], dict[str, np.ndarray], dict[str, np.ndarray]]:
    provinces = geo.provinces("2008")
    codes = provinces["code"].tolist()
    region = provinces["region"].to_numpy()
    periods = half_years(FIRST, LAST)
    tau = np.array([_decimal_year(p) for p in periods])
    n, m = len(codes), len(periods)
    at = {p.code: t for t, p in enumerate(periods)}
    row = {c: i for i, c in enumerate(codes)}
    in_ii = np.isin(codes, CUM_II)
    reg = {
        k: np.array([REGION[r][j] for r in region])
        for j, k in enumerate(("level", "ppv", "hh", "clans", "units", "fund", "work"))
    }
    v: dict[str, np.ndarray] = {}
    aux: dict[str, np.ndarray] = {}

    # population: official average × (1 + persistent reporting bias) × small noise, kept within ±8,5 %
    rng = _rng(seed, "population")
    smooth, rule = _official_paths(codes, periods)
    bias0 = np.where(
        in_ii, rng.normal(-0.057, 0.012, n).clip(-0.08, -0.035), rng.normal(-0.015, 0.03, n).clip(-0.07, 0.06)
    )
    drift = np.where(in_ii, rng.uniform(0.0, 0.006, n), rng.normal(0.0, 0.002, n))
    raw = smooth * (1 + bias0[:, None] + drift[:, None] * (tau - 2019.5)) * (1 + _ar1(rng, (n, m), 0.0015))
    pop = rule * np.clip(raw / rule, 0.915, 1.085)
    t19 = at["2019-H1"]
    pop[in_ii] *= CUM_II_2019["population"] / pop[in_ii, t19].sum()
    pop = np.rint(pop).astype(np.int64)
    pop[in_ii, t19] = _fix_total(pop[in_ii, t19].astype(float), CUM_II_2019["population"])
    v["population"] = pop

    # members: rate = national curve × provincial level × own trend × noise, bent through the anchors
    rng = _rng(seed, "members")
    curve = _interp(NATIONAL_RATE_PATH, tau)
    level = reg["level"] * np.exp(rng.normal(0.0, 0.13, n))
    slope = rng.normal(0.0, 0.012, n)
    rate = level[:, None] * curve[None, :] * np.exp(slope[:, None] * (tau - 2019.5)) * (1 + _ar1(rng, (n, m), 0.004))
    rate = rate.clip(0.07, 0.38)
    fixed = np.zeros(n, bool)
    rate_anchors: dict[str, list[tuple[str, float]]] = {}
    for code, period, target in ((QUANG_NINH, "2019-H1", QN_RATE_2019), *SOFT_RATE_ANCHORS):
        rate_anchors.setdefault(code, []).append((period, target))
    for code, points in rate_anchors.items():
        i = row[code]
        rate[i] *= _anchor_factor(tau, [(tau[at[p]], r / rate[i, at[p]]) for p, r in points])
        fixed[i] = True
    members = rate * pop
    # Cụm I Tây Bắc at 2024-H2 (33 %): one factor for its nine provinces
    in_i = np.isin(codes, CUM_I)
    t24 = at["2024-H2"]
    members[in_i] *= CUM_I_RATE_2024 * pop[in_i, t24].sum() / members[in_i, t24].sum()
    fixed |= in_i
    # Cụm II: 2018-H1 and 2019-H1 through the provinces without anchors of their own
    anchored_ii = in_ii & fixed
    free_ii = in_ii & ~fixed
    t18 = at["2018-H1"]
    targets_ii = {t18: int(round(CUM_II_RATE_2018 * pop[in_ii, t18].sum())), t19: CUM_II_2019["members"]}
    anchors = [
        (tau[t], (total - members[anchored_ii, t].sum()) / members[free_ii, t].sum()) for t, total in targets_ii.items()
    ]
    members[free_ii] *= _anchor_factor(tau, anchors)[None, :]
    aux["cum_ii_factors"] = np.array([a[1] for a in anchors])
    fixed |= in_ii
    # the country at 2019-H1 and 2020-H2 through every other province
    free = ~fixed
    anchors = []
    for code, target in NATIONAL_RATE.items():
        t = at[code]
        anchors.append((tau[t], (target * pop[:, t].sum() - members[fixed, t].sum()) / members[free, t].sum()))
    members[free] *= _anchor_factor(tau, anchors)[None, :]
    aux["national_factors"] = np.array([a[1] for a in anchors])
    members = np.rint(members).astype(np.int64)
    # exact whole numbers where the published figures must hold
    qn = row[QUANG_NINH]
    members[qn, t19] = int(round(QN_RATE_2019 * pop[qn, t19]))
    for t, total in targets_ii.items():
        members[free_ii, t] = _fix_total(members[free_ii, t].astype(float), total - int(members[anchored_ii, t].sum()))
    for code, target in NATIONAL_RATE.items():
        t = at[code]
        members[free, t] = _fix_total(
            members[free, t].astype(float), int(round(target * pop[:, t].sum())) - int(members[fixed, t].sum())
        )
    v["members"] = members

    # communes: the real counts of 1/2025 (vietnamadminunits), more before the merger waves of 2019–21 and 2023–25
    rng = _rng(seed, "communes")
    legacy, _ = _commune_counts()
    base = np.array([legacy[c] for c in codes], dtype=float)
    extra_a = np.where(in_ii, rng.normal(0.20, 0.03, n), rng.normal(0.033, 0.025, n)).clip(0.0, 0.3)
    extra_b = extra_a * rng.uniform(0.3, 0.7, n)
    before_2020, before_2025 = tau < 2020.4, tau < 2024.9  # the first wave took effect by 2020, the second by 1/2025
    mult = np.where(before_2020, 1 + extra_a[:, None], np.where(before_2025, 1 + extra_b[:, None], 1.0))
    communes = np.rint(base[:, None] * mult).astype(np.int64)
    # Cụm II: a few more communes than its 1.631 associations until the first wave
    communes[np.ix_(in_ii, before_2020)] = _fix_total(base[in_ii] * (1 + extra_a[in_ii]), CUM_II_COMMUNES_2019)[:, None]
    cover = (rng.uniform(0.93, 0.99, n)[:, None] + 0.006 * (tau[None, :] - 2015.5)).clip(None, 1.0)
    cover[in_ii] *= CUM_II_2019["grassroots_associations"] / (communes[in_ii, t19] * cover[in_ii, t19]).sum()
    cover = cover.clip(None, 1.0)
    grassroots = np.minimum(communes, np.rint(communes * cover)).astype(np.int64)
    grassroots[in_ii, t19] = _fix_total(
        grassroots[in_ii, t19].astype(float),
        CUM_II_2019["grassroots_associations"],
        cap=communes[in_ii, t19].astype(float),
    )
    v["communes"], v["grassroots_associations"] = communes, grassroots
    aux["cover"] = cover

    # villages, households, clans, units, working-age people: scale with population
    rng = _rng(seed, "counts")
    pop19 = pop[:, t19].astype(float)[:, None]
    v["villages"] = np.rint(
        pop19 / (reg["ppv"] * np.exp(rng.normal(0, 0.15, n)))[:, None] * (1 - 0.012 * (tau - 2015.5))[None, :]
    ).astype(np.int64)
    hh = reg["hh"] * np.exp(rng.normal(0, 0.05, n))
    v["households"] = np.rint(pop / (hh[:, None] * (1 - 0.006 * (tau - 2015.5))[None, :])).astype(np.int64)
    v["clans"] = np.rint(
        pop19 * (reg["clans"] * np.exp(rng.normal(0, 0.2, n)))[:, None] / 1000 * (1 + 0.003 * (tau - 2019.5))[None, :]
    ).astype(np.int64)
    v["units"] = np.rint(
        pop * (reg["units"] * np.exp(rng.normal(0, 0.12, n)))[:, None] / 1000 * (1 + 0.01 * (tau - 2019.5))[None, :]
    ).astype(np.int64)
    work = reg["work"] * np.exp(rng.normal(0, 0.03, n))
    v["working_age_population"] = np.rint(pop * work[:, None] * (1 - 0.002 * (tau - 2019.5))[None, :]).astype(np.int64)

    # branches (chi hội): one per village or so, plus some in agencies and schools; boards in units
    per_village = rng.uniform(0.85, 1.1, n)
    per_unit = rng.uniform(0.15, 0.35, n)
    branches = (
        v["villages"] * per_village[:, None] + v["units"] * per_unit[:, None] * (1 + 0.02 * (tau - 2019.5))[None, :]
    )
    branches[in_ii] *= CUM_II_2019["branches"] / branches[in_ii, t19].sum()
    branches = np.rint(branches).astype(np.int64)
    branches[in_ii, t19] = _fix_total(branches[in_ii, t19].astype(float), CUM_II_2019["branches"])
    boards = v["units"] * (rng.uniform(0.45, 0.75, n)[:, None] * (1 + 0.015 * (tau - 2019.5))[None, :])
    boards[in_ii] *= CUM_II_2019["promotion_boards"] / boards[in_ii, t19].sum()
    boards = np.minimum(boards, 0.95 * v["units"])
    boards = np.rint(boards).astype(np.int64)
    boards[in_ii, t19] = _fix_total(
        boards[in_ii, t19].astype(float), CUM_II_2019["promotion_boards"], cap=v["units"][in_ii, t19].astype(float)
    )
    v["branches"], v["promotion_boards"] = branches, boards

    # titles: registered and recognised shares near the national paths; recognised ≤ registered ≤ total
    rng = _rng(seed, "titles")
    common = rng.normal(0, 0.045, n)
    for title, (total, registered, recognised) in TITLES.items():
        national = _interp(TITLE_PATHS[title], tau)
        offset = common + rng.normal(0, 0.03, n)
        if title == "citizens":  # a young title: provinces differ in proportion, not in points
            rec = national[None, :] * (1 + 2 * offset[:, None]) * (1 + _ar1(rng, (n, m), 0.01))
        else:
            rec = national[None, :] + offset[:, None] + _ar1(rng, (n, m), 0.004)
        gamma = rng.uniform(0.3, 0.7, n)
        for code, t_name, period, want_rec, want_reg in SOFT_TITLE_ANCHORS:
            if t_name == title:
                i, t = row[code], at[period]
                rec[i] += want_rec - rec[i, t]
                if want_reg is not None:
                    gamma[i] = (want_reg - want_rec) / (1 - want_rec)
        rec = rec.clip(0.01, 0.95)
        if title == "citizens":  # a young title: registration runs ahead of recognition by a factor
            reg_share = (rec * (1.3 + gamma[:, None])).clip(None, 0.95)
        else:
            reg_share = rec + (1 - rec) * gamma[:, None]
        reg_share = np.maximum(reg_share, rec).clip(None, 0.985)
        n_total = v[total]
        n_reg = np.rint(n_total * reg_share).astype(np.int64)
        v[registered] = n_reg
        v[recognised] = np.minimum(np.rint(n_total * rec).astype(np.int64), n_reg)

    # commune-level learning communities (levels Khá / Tốt) and community learning centres
    share = (_interp(LEARNING_COMMUNES_PATH, tau)[None, :] + rng.normal(0, 0.05, n)[:, None]).clip(0.3, 0.97)
    good = (_interp(GOOD_LEVEL_PATH, tau)[None, :] * np.exp(rng.normal(0, 0.2, n))[:, None]).clip(0.05, 0.6)
    centres = rng.uniform(0.96, 1.0, n)[:, None] * np.ones(m)[None, :]
    aux["commune_share"], aux["good_share"], aux["centres_share"] = share, good, centres
    v["learning_communes_kha"], v["learning_communes_tot"], v["learning_centres"] = _commune_titles(
        communes, share, good, centres
    )

    # the fund: raised in the half-year (more in the second, less in 2020-H1 and 2021-H2), balance, scholarships
    rng = _rng(seed, "fund")
    per_head = reg["fund"] * np.exp(rng.normal(0, 0.25, n))
    season = np.array([0.8 if p.half == 1 else 1.2 for p in periods])
    covid = np.array([{"2020-H1": 0.9, "2021-H2": 0.93}.get(p.code, 1.0) for p in periods])
    raised = (
        pop
        * per_head[:, None]
        * (1.06 ** (tau - 2019.5) * season * covid)[None, :]
        * np.exp(rng.normal(0, 0.05, (n, m)))
    )
    raised = np.rint(raised / 1e6) * 1e6
    spend = rng.uniform(0.45, 0.6, n)
    balance = np.empty_like(raised)
    paid = np.empty_like(raised)
    previous = raised[:, 0] * (1 - spend) / spend
    for t in range(m):
        paid[:, t] = spend * (previous + raised[:, t])
        balance[:, t] = previous + raised[:, t] - paid[:, t]
        previous = balance[:, t]
    to_scholarships = (rng.uniform(0.45, 0.7, n)[:, None] * np.exp(rng.normal(0, 0.03, (n, m)))).clip(None, 0.9)
    scholarships = np.minimum(raised * to_scholarships, 0.95 * paid)
    scholarships = np.rint(scholarships / 1e6) * 1e6
    average = 700_000 * np.exp(rng.normal(0, 0.2, n))[:, None] * (1.05 ** (tau - 2015.5))[None, :]
    v["fund_raised_vnd"] = raised.astype(np.int64)
    v["fund_balance_vnd"] = (np.rint(balance / 1e6) * 1e6).astype(np.int64)
    v["scholarships_vnd"] = scholarships.astype(np.int64)
    v["scholarships_count"] = np.rint(scholarships / average).astype(np.int64)
    missing = set(ELEMENTS) - set(v)
    if missing:
        raise CalibrationError(f"elements not generated: {sorted(missing)}")
    return codes, periods, v, aux


def _commune_titles(communes: np.ndarray, share: np.ndarray, good: np.ndarray, centres: np.ndarray):
    recognised = communes * share
    tot = np.rint(recognised * good).astype(np.int64)
    kha = np.rint(recognised * (1 - good)).astype(np.int64)
    kha = np.minimum(kha, communes - tot)
    lc = np.minimum(communes, np.rint(communes * centres)).astype(np.int64)
    return kha, tot, lc


# --- the panel on the map in force: 2008 until 2025-H1, 2025 from 2025-H2 --------------------------------------


def build_panel(seed: int = SEED) -> pd.DataFrame:
    """The synthetic panel, tidy: edition, code, period, element, value (whole numbers), kind."""
    codes, periods, v, aux = _latent(seed)
    frames = []
    old_periods = [p for p in periods if geo.edition_for(p) == "2008"]
    new_periods = [p for p in periods if geo.edition_for(p) == "2025"]
    t_old = [periods.index(p) for p in old_periods]
    for element in ELEMENTS:
        block = pd.DataFrame(v[element][:, t_old], index=codes, columns=[p.code for p in old_periods])
        frames.append(_tidy(block, "2008", element))

    # 2025 map: the sum of the old parts, except what is counted per commune
    t_new = [periods.index(p) for p in new_periods]
    cw = geo.crosswalk().set_index("code_2008").loc[codes]
    new_codes = geo.province_codes("2025")
    member = np.array([[cw.loc[c, "code_2025"] == new for c in codes] for new in new_codes], dtype=float)
    weight = member / member.sum(axis=1, keepdims=True)
    _, current = _commune_counts()
    communes = np.array([current[c] for c in new_codes])[:, None] * np.ones(len(t_new), dtype=np.int64)[None, :]
    cover = (weight @ aux["cover"][:, t_new]).clip(None, 1.0)
    kha, tot, lc = _commune_titles(
        communes,
        weight @ aux["commune_share"][:, t_new],
        weight @ aux["good_share"][:, t_new],
        weight @ aux["centres_share"][:, t_new],
    )
    per_commune = {
        "communes": communes,
        "grassroots_associations": np.minimum(communes, np.rint(communes * cover).astype(np.int64)),
        "learning_communes_kha": kha,
        "learning_communes_tot": tot,
        "learning_centres": lc,
    }
    for element in ELEMENTS:
        values = per_commune[element] if element in COMMUNE_LEVEL else np.rint(member @ v[element][:, t_new])
        block = pd.DataFrame(np.asarray(values, dtype=np.int64), index=new_codes, columns=[p.code for p in new_periods])
        frames.append(_tidy(block, "2025", element))
    panel = pd.concat(frames, ignore_index=True)
    panel["kind"] = KIND
    order = {e: i for i, e in enumerate(ELEMENTS)}
    panel = panel.sort_values(
        ["period", "edition", "code", "element"], key=lambda s: s.map(order) if s.name == "element" else s
    ).reset_index(drop=True)
    _check(panel)
    return panel


def _tidy(block: pd.DataFrame, edition: str, element: str) -> pd.DataFrame:
    out = block.rename_axis("code").reset_index().melt(id_vars="code", var_name="period", value_name="value")
    out.insert(0, "edition", edition)
    out.insert(3, "element", element)
    out["value"] = out["value"].astype("int64")
    return out[["edition", "code", "period", "element", "value"]]


# --- calibration figures ---------------------------------------------------------------------------------------


def calibration(panel: pd.DataFrame) -> dict[str, float]:
    """The figures the panel was calibrated to, recomputed from it (rates in %, unrounded)."""
    wide = panel.pivot_table(index=["period", "code"], columns="element", values="value", aggfunc="first")

    def rate(period: str, codes: tuple[str, ...] | None = None) -> float:
        rows = wide.loc[period]
        if codes is not None:
            rows = rows.loc[list(codes)]
        return 100 * rows["members"].sum() / rows["population"].sum()

    at19 = wide.loc["2019-H1"].loc[list(CUM_II)]
    out = {f"cum_ii_2019_{k}": int(at19[k].sum()) for k in CUM_II_2019}
    out["cum_ii_rate_2019"] = rate("2019-H1", CUM_II)
    out["cum_ii_rate_2018"] = rate("2018-H1", CUM_II)
    out["cum_ii_change_points"] = out["cum_ii_rate_2019"] - out["cum_ii_rate_2018"]
    out["quang_ninh_rate_2019"] = rate("2019-H1", (QUANG_NINH,))
    out["national_rate_2019"] = rate("2019-H1")
    out["national_rate_2020_h2"] = rate("2020-H2")
    return out


def _check(panel: pd.DataFrame) -> None:
    """Raise unless every published figure holds exactly (as the meeting rounded it)."""
    c = calibration(panel)
    wanted = {f"cum_ii_2019_{k}": v for k, v in CUM_II_2019.items()}
    problems = [f"{k} = {c[k]}, expected {v}" for k, v in wanted.items() if c[k] != v]
    for key, value, digits in (
        ("cum_ii_rate_2019", 24.07, 2),
        ("cum_ii_rate_2018", 22.99, 2),
        ("cum_ii_change_points", 1.08, 2),
        ("quang_ninh_rate_2019", 31.8, 1),
        ("quang_ninh_rate_2019", 31.80, 2),
        ("national_rate_2019", 20.72, 2),
        ("national_rate_2020_h2", 21.89, 2),
    ):
        if round(c[key], digits) != value:
            problems.append(f"{key} = {c[key]:.5f}, expected {value} at {digits} decimals")
    if problems:
        raise CalibrationError("; ".join(problems))


# --- published figures (domain-facts.md), kept apart from the synthetic panel ------------------------------------

SOURCES = {
    "seed": "khuyenhoc.vn: Hội nghị giao ban cụm Đông Bắc (Cụm II), Hải Phòng, 8/11/2019",
    "nat2010": "giaoduc.edu.vn/ca-nuoc-co-hon-7-1-trieu-hoi-vien-hoi-khuyen-hoc",
    "nat2020": "tinhuyquangtri.vn (một phần tư thế kỷ vẻ vang của Hội Khuyến học Việt Nam)",
    "titles2020": "congdankhuyenhoc.vn/dong-ho-hoc-tap-voi-chuc-nang-thuc-day-phong-trao-hoc-tap-17923070114253357.htm",
    "hd2018": "baohaiduong.vn/chuyen-muc/khuyen-hoc/20",
    "hd2023": "baohaiduong.vn/en/tong-quy-khuyen-hoc-cua-hai-duong-gan-155-ty-dong-349398.html",
    "qn2025": "vietnam.vn/en/lan-toa-tinh-than-hoc-khong-bao-gio-cung",
    "ht2025": "thongtin.vietnam.vn/en/khuyen-hoc-khuyen-tai-ha-tinh-tiep-tuc-dat-nhieu-ket-qua-tich-cuc",
    "gl2024": "baogialai.com.vn/gia-lai-tang-405-trieu-dong-cho-quy-khuyen-hoc-khuyen-tai-trong-nam-2024-post306133.html",
    "c1_2024": "en.baosonla.org.vn/xa-hoi/northwestern-provinces-review-education-promotion-6jVpwH4Ng.html",
    "tn2020": "baothainguyen.vn/thoi-su-trong-tinh/202010/toan-tinh-co-tren-270-nghin-gia-dinh-hoc-tap-3673DD8",
    "qb2020": "baodantoc.vn/hoc-tap-suot-doi-trong-thoi-dai-so-o-vung-cao-1604937858934.htm",
    "t281": "baotintuc.vn/thoi-su/tong-ket-5-nam-de-an-day-manh-viec-hoc-tap-suot-doi-20190211181538271.htm",
    "t387": "baogialai.com.vn/nhan-rong-cac-mo-hinh-hoc-tap-trong-gia-dinh-dong-ho-cong-dong-post37073.html",
    "t2030": "sovhttdl.hanoi.gov.vn (Hà Nội's plan KH 291/KH-UBND)",
    "own": "phunuvietnam.vn/print/hoi-khuyen-hoc-viet-nam-to-chuc-nhieu-mo-hinh-hoc-tap-hieu-qua-2021112515280215.htm "
    "(as cited by khanalytics/reference/targets.yaml; domain-facts.md gives no page)",
}
_NOTES = {
    "sum": "ratio of the summed members to the summed population of the 8 provinces",
    "cungky": "against the same period of 2018 (cùng kỳ)",
    "implied": "implied: 24,07 − 1,08 (not stated in the article)",
    "quoted": "bình quân cả nước, as quoted at the Cụm II meeting",
    "2012-2020": "recognised over 2012–2020",
    "qn": "map edition assumed: Quảng Ninh is unchanged by the 2025 reform (code 22 on both maps)",
    "gl": "old Gia Lai (2008 map, code 64)",
    "communes": "commune associations",
    "qb": "old Quảng Bình (2008 map, code 44; part of the new Quảng Trị, code 44, from 7/2025)",
    "281": "281/QĐ-TTg (20/2/2014)",
    "281m": "281/QĐ-TTg (20/2/2014); mountainous and disadvantaged areas",
    "387": "387/QĐ-TTg (25/3/2022)",
    "387w": "387/QĐ-TTg (25/3/2022): share of workers",
    "2030": "387/QĐ-TTg; unconfirmed: as used by Hà Nội's plan KH 291/KH-UBND",
    "own": "Hội Khuyến học Việt Nam, target for the 2021–2026 term",
}
# One published figure a line: scope | area | area name | edition | period | date as published | code | code type |
# value | comparator | unit | figure | target scope | source key | note key. Values as the sources print them.
_PUBLISHED = """
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|members|element|2265712|=|người|actual||seed|
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|population|element|9414026|=|người|actual||seed|
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|membership_rate|indicator|24.07|=|%|actual||seed|sum
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|membership_rate_change|change|1.08|=|điểm phần trăm|actual||seed|cungky
cluster|2|Cụm II – Đông Bắc|2008|2018-H1|6/2018|membership_rate|indicator|22.99|=|%|actual||seed|implied
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|grassroots_associations|element|1631|=|hội|actual||seed|
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|branches|element|22328|=|chi hội|actual||seed|
cluster|2|Cụm II – Đông Bắc|2008|2019-H1|đến hết 6/2019|promotion_boards|element|17521|=|ban|actual||seed|
national|VN|Cả nước|2008|2019-H1|6/2019|membership_rate|indicator|20.72|=|%|actual||seed|quoted
province|22|Quảng Ninh|2008|2019-H1|6/2019|membership_rate|indicator|31.8|=|%|actual||seed|
national|VN|Cả nước|2008|2010|2010|members|element|7115513|=|người|actual||nat2010|
national|VN|Cả nước|2008|2010|2010|membership_rate|indicator|8.5|>|%|actual||nat2010|
national|VN|Cả nước|2008|2010|2010|grassroots_associations|element|10614|=|hội|actual||nat2010|
national|VN|Cả nước|2008|2020-H2|12/2020|membership_rate|indicator|21.89|=|%|actual||nat2020|
national|VN|Cả nước|2008|2020-H2|12/2020|promotion_boards|element|121110|=|ban|actual||nat2020|
national|VN|Cả nước|2008|2020-H2|2012–2020|learning_families_recognised|element|16635366|=|gia đình|actual||titles2020|2012-2020
national|VN|Cả nước|2008|2020-H2|2012–2020|learning_families_rate|indicator|72.11|=|%|actual||titles2020|2012-2020
national|VN|Cả nước|2008|2020-H2|2012–2020|learning_clans_recognised|element|84785|=|dòng họ|actual||titles2020|2012-2020
national|VN|Cả nước|2008|2020-H2|2012–2020|learning_clans_rate|indicator|66.51|=|%|actual||titles2020|2012-2020
province|30|Hải Dương|2008|2018|2018|members|element|502825|=|người|actual||hd2018|
province|30|Hải Dương|2008|2018|2018|membership_rate|indicator|27.8|=|%|actual||hd2018|
province|30|Hải Dương|2008|2018|2018|branches|element|2785|=|chi hội|actual||hd2018|
province|30|Hải Dương|2008|2023-H1|6/2023|members|element|755000|>|người|actual||hd2023|
province|30|Hải Dương|2008|2023-H1|6/2023|membership_rate|indicator|38|=|%|actual||hd2023|
province|22|Quảng Ninh|2025|2025|2025|members|element|470288|=|người|actual||qn2025|qn
province|22|Quảng Ninh|2025|2025|2025|membership_rate|indicator|33.7|=|%|actual||qn2025|qn
province|42|Hà Tĩnh|2008|2025-H1|6/2025|members|element|392000|~|người|actual||ht2025|
province|42|Hà Tĩnh|2008|2025-H1|6/2025|membership_rate|indicator|29.2|=|%|actual||ht2025|
province|64|Gia Lai|2008|2024|2024|membership_rate|indicator|18.53|=|%|actual||gl2024|gl
province|64|Gia Lai|2008|2024|2024|grassroots_associations|element|238|=|hội|actual||gl2024|gl
province|64|Gia Lai|2008|2024|2024|branches|element|2490|=|chi hội|actual||gl2024|gl
cluster|1|Cụm I – Tây Bắc|2008|2024|2024|members|element|2400000|>|người|actual||c1_2024|
cluster|1|Cụm I – Tây Bắc|2008|2024|2024|membership_rate|indicator|33|=|%|actual||c1_2024|
cluster|1|Cụm I – Tây Bắc|2008|2024|2024|grassroots_associations|element|1334|=|hội|actual||c1_2024|communes
cluster|1|Cụm I – Tây Bắc|2008|2024|2024|branches|element|18379|=|chi hội|actual||c1_2024|
cluster|1|Cụm I – Tây Bắc|2008|2024|2024|promotion_boards|element|8292|=|ban|actual||c1_2024|
province|19|Thái Nguyên|2008|2020|2020|learning_families_rate|indicator|86|>|%|actual||tn2020|
province|44|Quảng Bình|2008|2020|2020|learning_families_recognised|element|197879|=|gia đình|actual||qb2020|qb
province|44|Quảng Bình|2008|2020|2020|learning_families_rate|indicator|81|=|%|actual||qb2020|qb
province|44|Quảng Bình|2008|2020|2020|learning_families_registration_rate|indicator|95|=|%|actual||qb2020|qb
national|VN|Cả nước||2020|2020|learning_families_rate|indicator|70|=|%|target|general|t281|281
national|VN|Cả nước||2020|2020|learning_clans_rate|indicator|50|=|%|target|general|t281|281
national|VN|Cả nước||2020|2020|learning_communities_rate|indicator|60|=|%|target|general|t281|281
national|VN|Cả nước||2020|2020|learning_units_rate|indicator|50|=|%|target|general|t281|281
national|VN|Cả nước||2020|2020|learning_families_rate|indicator|60|=|%|target|mountainous|t281|281m
national|VN|Cả nước||2020|2020|learning_clans_rate|indicator|40|=|%|target|mountainous|t281|281m
national|VN|Cả nước||2020|2020|learning_communities_rate|indicator|50|=|%|target|mountainous|t281|281m
national|VN|Cả nước||2025|2025|learning_families_rate|indicator|70|=|%|target|general|t387|387
national|VN|Cả nước||2025|2025|learning_clans_rate|indicator|65|=|%|target|general|t387|387
national|VN|Cả nước||2025|2025|learning_communities_rate|indicator|65|=|%|target|general|t387|387
national|VN|Cả nước||2025|2025|learning_units_rate|indicator|80|=|%|target|general|t387|387
national|VN|Cả nước||2025|2025|learning_citizens_rate|indicator|40|=|%|target|general|t387|387w
national|VN|Cả nước||2030|2030|learning_families_rate|indicator|80|=|%|target|general|t2030|2030
national|VN|Cả nước||2030|2030|learning_clans_rate|indicator|75|=|%|target|general|t2030|2030
national|VN|Cả nước||2030|2030|learning_communities_rate|indicator|75|=|%|target|general|t2030|2030
national|VN|Cả nước||2030|2030|learning_units_rate|indicator|90|=|%|target|general|t2030|2030
national|VN|Cả nước||2026|2021–2026|learning_citizens_rate|indicator|50|=|%|target|general|own|own
national|VN|Cả nước||2026|2021–2026|learning_families_rate|indicator|70|=|%|target|general|own|own
national|VN|Cả nước||2026|2021–2026|learning_clans_rate|indicator|65|=|%|target|general|own|own
national|VN|Cả nước||2026|2021–2026|learning_communities_rate|indicator|65|=|%|target|general|own|own
"""
PUBLISHED_COLUMNS = [
    "scope", "area", "area_name", "edition", "period", "date_text", "code", "code_type", "value", "comparator",
    "unit", "figure", "target_scope", "source", "note", "kind",
]  # fmt: skip


def published_figures() -> pd.DataFrame:
    """Every figure of domain-facts.md, tidy, with its source. kind is always "published"."""
    rows = []
    for line in _PUBLISHED.strip().splitlines():
        *fields, source, note = line.split("|")
        value = float(fields[8])
        fields[8] = int(value) if value.is_integer() else value
        rows.append([*fields, SOURCES[source], _NOTES[note] if note else "", "published"])
    return pd.DataFrame(rows, columns=PUBLISHED_COLUMNS, dtype=object)


# --- writing -----------------------------------------------------------------------------------------------------


def _workbook_writer():
    """khanalytics.io.template.write_report_workbook once it exists (the lead writes it), else None."""
    try:
        from khanalytics.io.template import write_report_workbook
    except ImportError:
        return None
    return write_report_workbook


def write_sample(out_dir: str | Path = OUT_DIR, *, seed: int = SEED, workbooks: bool | None = None) -> list[Path]:
    """Write panel.parquet, published.csv and (when the writer exists) one workbook per half-year."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    panel = build_panel(seed)
    written = [out / "panel.parquet", out / "published.csv"]
    panel.to_parquet(written[0], index=False)
    published_figures().to_csv(written[1], index=False, lineterminator="\n")
    writer = _workbook_writer()
    if workbooks is None:
        workbooks = writer is not None
    if workbooks:
        if writer is None:
            raise RuntimeError("khanalytics.io.template.write_report_workbook is not available yet")
        for (period, edition), rows in panel.groupby(["period", "edition"], sort=True):
            path = out / f"bao_cao_{period}.xlsx"
            writer(
                path,
                period=period,
                edition=edition,
                values=rows[["code", "element", "value"]],
                kind=KIND,
                source=SOURCE.format(seed=seed),
                note=NOTE,
            )
            written.append(path)
    return written


def _format(c: dict[str, float]) -> str:
    def vn(x: float, digits: int = 2) -> str:
        return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")

    lines = [
        f"Cụm II, 2019-H1: hội viên {vn(c['cum_ii_2019_members'], 0)} / dân số {vn(c['cum_ii_2019_population'], 0)}"
        f" = {vn(c['cum_ii_rate_2019'])} % ({c['cum_ii_rate_2019']:.5f})",
        f"  hội cơ sở {vn(c['cum_ii_2019_grassroots_associations'], 0)}, chi hội {vn(c['cum_ii_2019_branches'], 0)},"
        f" ban khuyến học {vn(c['cum_ii_2019_promotion_boards'], 0)}",
        f"Cụm II, 2018-H1: {vn(c['cum_ii_rate_2018'])} % ({c['cum_ii_rate_2018']:.5f}); thay đổi "
        f"{vn(c['cum_ii_change_points'])} điểm ({c['cum_ii_change_points']:.5f})",
        f"Quảng Ninh, 2019-H1: {vn(c['quang_ninh_rate_2019'])} % ({c['quang_ninh_rate_2019']:.5f})",
        f"Cả nước, 2019-H1: {vn(c['national_rate_2019'])} % ({c['national_rate_2019']:.5f})",
        f"Cả nước, 2020-H2: {vn(c['national_rate_2020_h2'])} % ({c['national_rate_2020_h2']:.5f})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=OUT_DIR, help="output folder (default data/sample)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="only print the calibration figures")
    parser.add_argument("--no-workbooks", action="store_true", help="write the parquet and published.csv only")
    args = parser.parse_args(argv)
    if args.check:
        print(_format(calibration(build_panel(args.seed))))
        return 0
    # a fixed "made on" date (1/11/2026) so that regenerating writes byte-identical workbooks
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1793491200")
    written = write_sample(args.out, seed=args.seed, workbooks=False if args.no_workbooks else None)
    print(f"{len(written)} tệp / files in {args.out}")
    if not args.no_workbooks and not any(p.suffix == ".xlsx" for p in written):
        print(
            "khanalytics.io.template.write_report_workbook chưa có: chỉ ghi panel.parquet / workbooks skipped",
            file=sys.stderr,
        )
    print(_format(calibration(pd.read_parquet(args.out / "panel.parquet"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
