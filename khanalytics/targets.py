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
from typing import Annotated, Literal

import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from khanalytics import catalogue
from khanalytics.errors import ReferenceFileError
from khanalytics.userfiles import Problem, check_schema, parse_yaml, raise_problems, read_yaml

CONFIDENCE = ("high", "derived", "unconfirmed")
SCOPES = ("general", "mountainous")
STATUSES = ("met", "on track", "behind")
COLUMNS = [
    "decision_id", "decision", "label_vi", "label_en", "name_vi", "name_en", "issuer_vi", "issuer_en", "issued", "baseline_year",
    "indicator", "year", "value", "scope", "source", "confidence",
]


class TargetError(ReferenceFileError):
    """A targets file that cannot be read or does not hold together (names the file, entry and field)."""


_WHAT = ("Tệp mục tiêu", "targets file")
PACKAGED = "khanalytics/reference/targets.yaml"
_MUSTS = {
    "issued": ("một ngày (2014-02-20)", "a date (2014-02-20)"),
    "year": ("một năm (2025)", "a year (2025)"),
    "value": ("một tỷ lệ phần trăm từ 0 đến 100", "a percentage from 0 to 100"),
    "scope": (" | ".join(SCOPES), " | ".join(SCOPES)),
    "confidence": (" | ".join(CONFIDENCE), " | ".join(CONFIDENCE)),
}
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _known_indicator(code: str) -> str:
    if code not in catalogue.indicators():
        raise TargetError(f"chỉ tiêu {code!r} không có trong danh mục; có: {', '.join(catalogue.indicators())}",
                          f"unknown indicator {code!r}; valid codes: {', '.join(catalogue.indicators())}", value=code)
    return code


class TargetEntry(BaseModel):
    """One target of a decision: an indicator, the year it is due, a value in per cent, a scope."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    indicator: Annotated[_Text, AfterValidator(_known_indicator)]
    year: int
    value: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    scope: Literal["general", "mountainous"] = "general"
    source: str | None = None
    confidence: Literal["high", "derived", "unconfirmed"] | None = None


class DecisionEntry(BaseModel):
    """A decision as the file writes it: its identity, issue date, source, confidence and targets."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    id: _Text
    decision: _Text
    issued: dt.date
    targets: tuple[TargetEntry, ...]
    label_vi: str | None = None
    label_en: str | None = None
    name_vi: str | None = None
    name_en: str | None = None
    issuer_vi: str = ""
    issuer_en: str = ""
    source: str = ""
    confidence: Literal["high", "derived", "unconfirmed"] = "unconfirmed"

    def rows(self) -> list[dict]:
        """One row (``COLUMNS``) per target, the decision's source and confidence unless the target has its own."""
        n = self.decision
        return [{
            "decision_id": self.id, "decision": n,
            "label_vi": self.label_vi or f"mục tiêu của {n}", "label_en": self.label_en or f"the targets of {n}",
            "name_vi": self.name_vi or n, "name_en": self.name_en or n,
            "issuer_vi": self.issuer_vi, "issuer_en": self.issuer_en,
            "issued": self.issued, "baseline_year": self.issued.year, "indicator": t.indicator, "year": t.year,
            "value": t.value, "scope": t.scope, "source": t.source if t.source is not None else self.source,
            "confidence": t.confidence or self.confidence,
        } for t in self.targets]


class TargetsFile(BaseModel):
    """A targets file: a list of decisions (other top-level keys, such as ``version``, are ignored)."""

    model_config = ConfigDict(frozen=True)

    decisions: tuple[DecisionEntry, ...]


def _cross_problems(checked: TargetsFile) -> list[Problem]:
    """What spans entries: unique decision ids, unique targets, no target due before its decision."""
    problems, seen, keys = [], set(), set()
    for n, d in enumerate(checked.decisions, start=1):
        entry = f"decisions.{d.id}"
        if d.id in seen:
            problems.append(Problem(f"decisions[{n}]", "id", f"mã {d.id!r} bị trùng", f"duplicate id {d.id!r}"))
        seen.add(d.id)
        for j, t in enumerate(d.targets, start=1):
            if t.year < d.issued.year:
                problems.append(Problem(f"{entry}.targets[{j}]", "year",
                                        f"năm mục tiêu {t.year} trước năm ban hành {d.issued.year}",
                                        f"target year {t.year} before the issue year {d.issued.year}"))
            key = (d.id, t.indicator, t.year, t.scope)
            if key in keys:
                problems.append(Problem(f"{entry}.targets[{j}]", None, f"chỉ tiêu trùng {' '.join(map(str, key))}",
                                        f"duplicate target {' '.join(map(str, key))}"))
            keys.add(key)
    return problems


def parse_targets(data: object, source: str) -> pd.DataFrame:
    """One row per target of a parsed targets file (see reference/targets.yaml), checked."""
    checked = check_schema(TargetsFile, data, source, TargetError, _MUSTS, _WHAT)
    raise_problems(TargetError, source, _cross_problems(checked), _WHAT)
    return pd.DataFrame([row for d in checked.decisions for row in d.rows()], columns=COLUMNS)


@cache
def _packaged() -> pd.DataFrame:
    text = resources.files("khanalytics.reference").joinpath("targets.yaml").read_text(encoding="utf-8")
    return parse_targets(parse_yaml(text, PACKAGED, TargetError), PACKAGED)


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
