"""National and association targets for the learning titles, and how a value stands against one.

The targets are facts with a source (reference/targets.yaml): which decision,
issued when, by which year, how much, for which areas, and how sure we are.
Judging a value is then simple arithmetic kept here, apart from the data:
"met" when the target is reached; "on track" when the value is at or above
the straight line from the baseline (the decision's year of issue, with the
group's own value then) to the target in the target year; else "behind".
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from khanalytics import catalogue
from khanalytics.userfiles import read_yaml

CONFIDENCE = ("high", "derived", "unconfirmed")
SCOPES = ("general", "mountainous")
STATUSES = ("met", "on track", "behind")
COLUMNS = [
    "decision_id", "decision", "label_vi", "label_en", "name_vi", "name_en", "issuer_vi", "issuer_en", "issued", "baseline_year",
    "indicator", "year", "value", "scope", "source", "confidence",
]


class TargetError(ValueError):
    """A targets file that does not hold together."""


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise TargetError(f"{where}: ngày không hợp lệ {value!r} / invalid date {value!r}") from err


def parse_targets(data: object, source: str) -> pd.DataFrame:
    """One row per target of a parsed targets file (see reference/targets.yaml), checked."""
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise TargetError(f"{source}: cần khoá 'decisions' là một danh sách / expected a 'decisions' list")
    known = catalogue.indicators()
    rows, seen = [], set()
    for i, raw in enumerate(data["decisions"], start=1):
        where = f"{source}, quyết định thứ {i} / decision {i}"
        try:
            did, number, issued = str(raw["id"]), str(raw["decision"]), _date(raw["issued"], where)
            targets = raw["targets"]
        except (KeyError, TypeError) as err:
            raise TargetError(f"{where}: thiếu trường {err} / missing field {err}") from err
        if did in seen:
            raise TargetError(f"{where}: mã {did!r} bị trùng / duplicate id {did!r}")
        seen.add(did)
        for j, t in enumerate(targets, start=1):
            at = f"{where}, chỉ tiêu {j} / target {j}"
            try:
                code, year, value = str(t["indicator"]), int(t["year"]), float(t["value"])
            except (KeyError, TypeError, ValueError) as err:
                raise TargetError(f"{at}: thiếu hoặc sai trường {err} / missing or invalid field {err}") from err
            if code not in known:
                raise TargetError(f"{at}: chỉ tiêu {code!r} không có trong danh mục / unknown indicator {code!r}")
            if not (0 <= value <= 100) or not math.isfinite(value):
                raise TargetError(f"{at}: giá trị {value} ngoài 0–100 / value outside 0–100")
            if year < issued.year:
                raise TargetError(f"{at}: năm mục tiêu {year} trước năm ban hành / target year before issue year")
            scope = str(t.get("scope", "general"))
            confidence = str(t.get("confidence", raw.get("confidence", "unconfirmed")))
            if scope not in SCOPES:
                raise TargetError(f"{at}: phạm vi {scope!r} không hợp lệ / scope must be one of {SCOPES}")
            if confidence not in CONFIDENCE:
                raise TargetError(f"{at}: confidence {confidence!r} không hợp lệ / must be one of {CONFIDENCE}")
            rows.append({
                "decision_id": did, "decision": number,
                "label_vi": str(raw.get("label_vi", f"mục tiêu của {number}")),
                "label_en": str(raw.get("label_en", f"the targets of {number}")),
                "name_vi": str(raw.get("name_vi", number)), "name_en": str(raw.get("name_en", number)),
                "issuer_vi": str(raw.get("issuer_vi", "")), "issuer_en": str(raw.get("issuer_en", "")),
                "issued": issued, "baseline_year": issued.year, "indicator": code, "year": year, "value": value,
                "scope": scope, "source": str(t.get("source", raw.get("source", ""))), "confidence": confidence,
            })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    dup = frame.duplicated(["decision_id", "indicator", "year", "scope"])
    if dup.any():
        first = frame[dup].iloc[0]
        raise TargetError(f"{source}: chỉ tiêu trùng / duplicate target {first['decision_id']} {first['indicator']} "
                          f"{first['year']} {first['scope']}")
    return frame


@cache
def _packaged() -> pd.DataFrame:
    text = resources.files("khanalytics.reference").joinpath("targets.yaml").read_text(encoding="utf-8")
    return parse_targets(yaml.safe_load(text), "khanalytics/reference/targets.yaml")


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Every target (columns in ``COLUMNS``): the packaged file, or the user's own of the same shape."""
    if path is None:
        return _packaged().copy()
    return parse_targets(read_yaml(path, TargetError), str(path))


def year_fraction(day: dt.date) -> float:
    """A date as a decimal year (30/6/2019 → 2019.49), for straight lines over time."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def target_date(year: int) -> dt.date:
    """A target "by 2025" is due at the end of that year."""
    return dt.date(int(year), 12, 31)


def expected_value(
    baseline_value: float, baseline_date: dt.date, target_value: float, due: dt.date, at: dt.date
) -> float:
    """The straight line from (baseline date, baseline value) to (due date, target), read at ``at``.

    Before the baseline the line is the baseline value; after the due date, the target.
    """
    t0, t1, t = year_fraction(baseline_date), year_fraction(due), year_fraction(at)
    if t >= t1 or t1 <= t0:
        return float(target_value)
    if t <= t0:
        return float(baseline_value)
    return baseline_value + (target_value - baseline_value) * (t - t0) / (t1 - t0)


def status(
    value: float | None,
    target_value: float,
    *,
    expected: float | None = None,
    higher_is_better: bool = True,
) -> str | None:
    """"met", "on track" or "behind" (None when there is no value).

    ``expected`` is the value on the line at the same date; without it a value
    short of the target is "behind". A baseline already at or past the target
    gives no line to follow: the value then either meets the target or not.
    """
    if value is None or not math.isfinite(float(value)):
        return None
    sign = 1 if higher_is_better else -1
    if sign * (value - target_value) >= 0:
        return "met"
    if expected is not None and math.isfinite(expected) and sign * (expected - target_value) < 0 \
            and sign * (value - expected) >= 0:
        return "on track"
    return "behind"
