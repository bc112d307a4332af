"""Small observation frames built by hand for the analysis and narrative tests."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings

from khanalytics import geography as geo

CUM_II = ["06", "04", "19", "20", "22", "24", "30", "31"]
CUM_II_2025 = ["04", "19", "20", "22", "24", "31"]


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def obs_frame(rows, kind="reported"):
    """rows: iterable of (code, period, element, value[, edition[, kind]]); edition defaults to the period's map."""
    out = []
    for r in rows:
        code, period, element, value = r[:4]
        edition = r[4] if len(r) > 4 else geo.edition_for(period)
        out.append({"edition": edition, "code": code, "period": period, "element": element, "value": float(value),
                    "kind": r[5] if len(r) > 5 else kind})
    return pd.DataFrame(out, columns=["edition", "code", "period", "element", "value", "kind"])


def membership(codes, period, members, population, **kw):
    rows = []
    for c, m, p in zip(codes, members, population, strict=True):
        rows += [(c, period, "members", m), (c, period, "population", p)]
    return obs_frame(rows, **kw)


def complete_country(period="2019-H1", seed=0, kind="reported"):
    rng = np.random.default_rng(seed)
    codes = geo.province_codes(geo.edition_for(period))
    pops = rng.integers(300_000, 8_000_000, len(codes))
    mems = (pops * rng.uniform(0.1, 0.35, len(codes))).astype(int)
    return membership(codes, period, mems, pops, kind=kind)
