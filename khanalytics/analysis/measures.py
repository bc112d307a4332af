"""What is measured: an indicator (a ratio of sums) or a data element (a count), its change, the coverage it needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from khanalytics import catalogue
from khanalytics.analysis.observations import AnalysisError


@dataclass(frozen=True)
class Measure:
    """An indicator of the catalogue or a data element, seen the same way so every step treats both alike."""

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
        """The data elements a province must report for its value to count."""
        return (*self.numerator, self.denominator) if self.denominator else self.numerator

    @property
    def is_count(self) -> bool:
        """A count is summed, not divided: it has no denominator."""
        return self.denominator is None

    @property
    def change_unit(self) -> str:
        """"points" for a percentage, "percent" for counts and other ratios."""
        return "points" if self.is_percent else "percent"

    def label(self, lang: str = "vi") -> str:
        """The full label in one language."""
        return self.label_en if lang == "en" else self.label_vi

    def short(self, lang: str = "vi") -> str:
        """The short label, for lists and table headers."""
        return self.short_en if lang == "en" else self.short_vi

    def unit(self, lang: str = "vi") -> str:
        """The unit, for sentences."""
        return self.unit_en if lang == "en" else self.unit_vi


@cache
def measure(code: str) -> Measure:
    """The indicator or data element with this code (frozen, so sharing the cached one is safe)."""
    if code in catalogue.indicators():
        i = catalogue.indicator(code)
        return Measure(i.code, tuple(i.numerator), i.denominator, float(i.factor), i.decimals, i.is_percent,
                       i.higher_is_better, i.label_vi, i.label_en, i.short_vi, i.short_en, i.unit_vi, i.unit_en)
    if code in catalogue.elements():
        e = catalogue.element(code)
        return Measure(e.code, (e.code,), None, 1.0, e.decimals, False, True, e.label_vi, e.label_en, e.short_vi,
                       e.short_en, e.unit_vi, e.unit_en)
    known = ", ".join(catalogue.indicators())
    raise AnalysisError(
        f"Không có chỉ tiêu hay số liệu {code!r} trong danh mục; chỉ tiêu: {known}",
        f"no indicator or data element {code!r}; indicators: {known}",
        rule="unknown_indicator", value=code,
    )


def compute(m: Measure, sums: dict[str, float]) -> float:
    """The measure from the sums of its inputs; NaN when the formula has no value (a zero denominator)."""
    if m.is_count:
        return float(sums[m.code])
    value = catalogue.compute(m.code, sums)
    return float("nan") if value is None else float(value)


def missing(x: object) -> bool:
    """None, NaN, infinity or not a number: a figure a sentence or comparison must not use."""
    try:
        return x is None or not math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def change(value: float, reference: float, unit: str) -> float:
    """``value`` against ``reference``: a difference for "points", a relative change in % for "percent"."""
    if missing(value) or missing(reference):
        return float("nan")
    if unit == "points":
        return float(value) - float(reference)
    if reference == 0:
        return float("nan")
    return (float(value) / float(reference) - 1.0) * 100.0


@dataclass(frozen=True)
class Threshold:
    """Coverage an aggregate needs, as shares (0–1) of the members and of their population."""

    members: float = 0.0
    population: float = 0.0


DEFAULT_THRESHOLDS: dict[str, Threshold] = {
    "province": Threshold(members=1.0),
    "cluster": Threshold(members=1.0),
    "region": Threshold(members=1.0),
    "list": Threshold(members=1.0),
    "country": Threshold(population=0.9),
}
"""Coverage by kind of group: every member for a cluster, 90 % of the population for the country."""
