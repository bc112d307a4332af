"""Reporting periods: half-years ("2019-H1", "2019-H2") and years ("2019").

A period is identified by the date it ends: stocks are counted on that day,
flows are summed over the period. The end date decides which edition of the
administrative map the period belongs to.

One rule for years: the association reports twice a year, and a year's
figures are its second half-year ("tổng kết năm" = figures to 31/12 =
``2019-H2``). ``Period.parse`` still reads "2019" (files name whole years),
but everything that asks for a period to analyse or report on goes through
:func:`half_year`, which refuses a year and names the half-year to ask for,
so no function answers "2019" with an empty result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

from khanalytics.errors import KhanalyticsError

_PATTERN = re.compile(
    r"^\s*(?P<year>\d{4})\s*(?:[-_/ ]?\s*(?P<kind>H|6T|S)\s*(?P<half>[12])|(?:[-_/ ]?(?P<y>Y|N|FY))?)\s*$",
    re.IGNORECASE,
)


class PeriodError(KhanalyticsError, ValueError):
    """A text that is not a period this package understands."""

    rule = "bad_period"


@total_ordering
@dataclass(frozen=True)
class Period:
    """A half-year (half=1 or 2) or a whole year (half=None)."""

    year: int
    half: int | None = None

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """"2019-H1", "2019 H2", "2019-6T1", "2019"… as a Period; PeriodError otherwise."""
        if isinstance(text, Period):
            return text
        match = _PATTERN.match(str(text))
        if not match:
            raise PeriodError(
                f"Kỳ báo cáo không hợp lệ: {text!r} — cần dạng '2019-H1' (6 tháng đầu năm) hoặc '2019-H2' "
                "(6 tháng cuối năm, cũng là số liệu cả năm)",
                f"invalid period {text!r}: expected '2019-H1' (first half) or '2019-H2' (second half, which is "
                "also the year's figures)",
                value=text,
            )
        half = match.group("half")
        return cls(int(match.group("year")), int(half) if half else None)

    @property
    def code(self) -> str:
        """The canonical text: "2019-H1" or "2019"."""
        return f"{self.year}-H{self.half}" if self.half else f"{self.year}"

    @property
    def end(self) -> dt.date:
        """The day stocks are counted: 30/6 or 31/12."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def start(self) -> dt.date:
        """The first day flows are summed from."""
        return dt.date(self.year, 7, 1) if self.half == 2 else dt.date(self.year, 1, 1)

    @property
    def is_half_year(self) -> bool:
        """Whether the period is a half-year rather than a whole year."""
        return self.half is not None

    def label(self, lang: str = "vi") -> str:
        """"6 tháng đầu năm 2019" / "first half of 2019"; "năm 2019" / "2019"."""
        if lang == "en":
            return {1: f"first half of {self.year}", 2: f"second half of {self.year}", None: f"{self.year}"}[self.half]
        return {1: f"6 tháng đầu năm {self.year}", 2: f"6 tháng cuối năm {self.year}", None: f"năm {self.year}"}[self.half]

    def same_period_last_year(self) -> Period:
        """"Cùng kỳ": the same half (or year) one year earlier."""
        return Period(self.year - 1, self.half)

    def previous(self) -> Period:
        """The period just before, at the same granularity."""
        if self.half is None:
            return Period(self.year - 1)
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def next(self) -> Period:
        """The period just after, at the same granularity."""
        if self.half is None:
            return Period(self.year + 1)
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)

    def _key(self) -> tuple[dt.date, int]:
        return (self.end, 0 if self.half else 1)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return self.code


def half_year(value: str | Period, *, what: str = "period") -> Period:
    """``value`` as a half-year; a whole year stops with the half-year that holds its figures (H2).

    The one place the year rule is said, so the analysis, the narrative, the
    reports and the command line refuse "2019" alike instead of finding no
    data for it.
    """
    period = Period.parse(value)
    if not period.is_half_year:
        raise PeriodError(
            f"{what}={period.code!r} là cả năm; số liệu được tính theo kỳ 6 tháng và số liệu cả năm là kỳ "
            f"6 tháng cuối năm: dùng '{period.year}-H2' (đến 31/12/{period.year}) hoặc '{period.year}-H1'.",
            f"{what}={period.code!r} is a whole year; figures are half-yearly and a year's figures are its second "
            f"half: use '{period.year}-H2' (to 31 December {period.year}) or '{period.year}-H1'.",
            rule="year_not_half_year", value=period.code,
        )
    return period


def half_years(first: str | Period, last: str | Period) -> list[Period]:
    """Every half-year from ``first`` to ``last`` inclusive."""
    start, stop = Period.parse(first), Period.parse(last)
    if not (start.half and stop.half):
        raise PeriodError("half_years() cần kỳ 6 tháng, ví dụ '2015-H1'", "half_years() needs half-year periods such as "
                          "'2015-H1'", value=f"{start.code}, {stop.code}")
    out, p = [], start
    while p <= stop:
        out.append(p)
        p = p.next()
    return out
