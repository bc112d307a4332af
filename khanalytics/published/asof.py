"""The "as of" of a published figure: the date the text gives, as precisely as it gives it.

Articles date a figure by a half-year ("đến hết 6/2019"), a year, a month, a
quarter, a span of years ("2013-2018"), only roughly ("c.2024-07") or not at
all. Each kind is kept as it is instead of being forced into a half-year, and
says which half-year report it meets, if any: a year meets its H2 report (the
year's figures), June and December meet H1 and H2, a span or an undated
figure meets none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from khanalytics.errors import KhanalyticsError
from khanalytics.geography import EDITION_INFO
from khanalytics.periods import Period

AsOfKind = Literal["half_year", "year", "month", "quarter", "day", "span", "approximate", "undated"]
KINDS: tuple[str, ...] = ("half_year", "year", "month", "quarter", "day", "span", "approximate", "undated")
PRE_2008 = "pre-2008"
"""The map before 1/8/2008 (64 provinces, with Hà Tây): figures of that time are kept on it."""

_ROMAN = ("I", "II", "III", "IV")
_APPROX_SLACK = dt.timedelta(days=92)  # "c.2024-07" may be any month of that season

_HALF = re.compile(r"^(\d{4})\s*[-_/ ]?\s*(?:H|6T|S)\s*([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_VI = re.compile(r"^(\d{1,2})/(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SPAN = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_YEARS_TO = re.compile(r"^(\d{1,2})[- ]year period to (c\.\s*)?(\d{4})$", re.IGNORECASE)
_UNDATED = ("undated", "không rõ", "khong ro", "n/a", "")


class AsOfError(KhanalyticsError, ValueError):
    """A period text that is none of the forms a published figure is dated by."""

    rule = "bad_as_of"


@dataclass(frozen=True)
class AsOf:
    """When a published figure holds: its kind, its first and last day, and whether the text is approximate."""

    text: str
    kind: str
    start: dt.date | None
    end: dt.date | None
    approximate: bool = False
    precision: str | None = None  # the kind under "approximate" ("month" for "c.2024-07")

    @property
    def date(self) -> dt.date | None:
        """The day the figure refers to (a stock is counted then; a span's last day)."""
        return self.end

    @property
    def meets(self) -> Period | None:
        """The half-year report the figure belongs beside: a year's figure meets its H2; spans and undated none."""
        kind = self.precision if self.approximate else self.kind
        if self.end is None or kind in ("span", "undated"):
            return None
        if kind == "half_year":
            return Period(self.end.year, 1 if self.end.month == 6 else 2)
        if kind == "year":
            return Period(self.end.year, 2)
        if (self.end.month, self.end.day) in ((6, 30), (12, 31)):  # month, quarter or day at a half-year's end
            return Period(self.end.year, 1 if self.end.month == 6 else 2)
        return None

    @property
    def edition(self) -> str | None:
        """The map in force on the figure's date: "2008", "2025", "pre-2008"; None when undated."""
        if self.end is None:
            return None
        if self.end < EDITION_INFO["2008"].valid_from:
            return PRE_2008
        return "2025" if self.end >= EDITION_INFO["2025"].valid_from else "2008"

    def window(self) -> tuple[dt.date, dt.date] | None:
        """The days the text could mean, for "same date" comparisons; None for spans and undated figures.

        A year could be any day of it (the press writes "năm 2010" for a mid-year briefing); an
        approximate date is widened by a season each side.
        """
        kind = self.precision if self.approximate else self.kind
        if self.start is None or self.end is None or kind in ("span", "undated"):
            return None
        lo = self.end if kind in ("half_year", "day") else self.start
        if self.approximate:
            return lo - _APPROX_SLACK, self.end + _APPROX_SLACK
        return lo, self.end

    def label(self, lang: str = "vi") -> str:
        """The date as a reader writes it: "6/2019", "năm 2022", "quý III/2019", "khoảng 7/2024", "2013–2018"."""
        en = lang == "en"
        if self.kind == "undated" or self.end is None:
            return "undated" if en else "không rõ thời điểm"
        kind = self.precision if self.approximate else self.kind
        end = self.end
        if kind == "half_year":
            text = f"{'Jun' if end.month == 6 else 'Dec'} {end.year}" if en else f"{end.month}/{end.year}"
        elif kind == "year":
            text = str(end.year) if en else f"năm {end.year}"
        elif kind == "month":
            text = f"{calendar.month_abbr[end.month]} {end.year}" if en else f"{end.month}/{end.year}"
        elif kind == "quarter":
            q = _ROMAN[(end.month - 1) // 3]
            text = f"Q{(end.month - 1) // 3 + 1} {end.year}" if en else f"quý {q}/{end.year}"
        elif kind == "day":
            text = end.isoformat() if en else f"{end.day}/{end.month}/{end.year}"
        else:  # span
            start = self.start.year if self.start else "?"
            text = f"{start}–{end.year}"
        if self.approximate:
            return f"c. {text}" if en else f"khoảng {text}"
        return text


def _day(value: object) -> dt.date | None:
    if value is None or isinstance(value, str) or value != value:  # NaT and NaN are not equal to themselves
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def asof_of(row: Any) -> AsOf:
    """The "as of" of a stored record row (its period, kind, dates and approximation columns)."""
    return AsOf(str(row.period), str(row.asof_kind), _day(row.asof_start),
                _day(row.asof_end), bool(row.approximate), row.asof_precision)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _exact(text: str) -> AsOf | None:
    """The exact forms; None when ``text`` is none of them."""
    if m := _HALF.match(text):
        p = Period(int(m.group(1)), int(m.group(2)))
        return AsOf(text, "half_year", p.start, p.end)
    if m := _YEAR.match(text):
        y = int(m.group(1))
        return AsOf(text, "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
    if (m := _MONTH.match(text)) or (m := _MONTH_VI.match(text)):
        year, month = (int(m.group(1)), int(m.group(2))) if "-" in text else (int(m.group(2)), int(m.group(1)))
        if 1 <= month <= 12:
            return AsOf(text, "month", dt.date(year, month, 1), _month_end(year, month))
        return None
    if m := _QUARTER.match(text):
        year, q = int(m.group(1)), int(m.group(2))
        return AsOf(text, "quarter", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    if m := _DAY.match(text):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return AsOf(text, "day", day, day)
    if m := _SPAN.match(text):
        first, last = int(m.group(1)), int(m.group(2))
        if first <= last:
            return AsOf(text, "span", dt.date(first, 1, 1), dt.date(last, 12, 31))
    return None


def parse_asof(text: object) -> AsOf:
    """The "as of" a period text means; AsOfError listing the accepted forms otherwise."""
    raw = "" if text is None else str(text).strip()
    if raw != raw or raw.lower() == "nan":
        raw = ""
    body = raw
    approximate = False
    if body.lower().startswith(("c.", "ca.", "~")):
        approximate = True
        body = body.split(".", 1)[1].strip() if "." in body[:3] else body[1:].strip()
    if body.lower() in _UNDATED:
        return AsOf(raw, "undated", None, None, approximate=approximate)
    found = _exact(body)
    if found is None and (m := _YEARS_TO.match(body)):  # "6-year period to c.2021"
        years, last = int(m.group(1)), int(m.group(3))
        found = AsOf(raw, "span", dt.date(last - years + 1, 1, 1), dt.date(last, 12, 31))
        approximate = approximate or bool(m.group(2))
    if found is None:
        raise AsOfError(
            f"Thời điểm không đọc được: {raw!r}. Cần một trong: 2019-H1, 2022 (cả năm), 2017-10 hoặc 10/2017 "
            "(tháng), 2019-Q3, 2019-06-30, 2013-2018 (giai đoạn), c.2024-07 (khoảng), c.undated (không rõ).",
            f"unreadable date {raw!r}. Expected one of: 2019-H1, 2022 (a year), 2017-10 or 10/2017 (a month), "
            "2019-Q3, 2019-06-30, 2013-2018 (a span), c.2024-07 (approximate), c.undated (undated).",
            value=raw,
        )
    found = replace(found, text=raw)
    if approximate:
        return replace(found, kind="approximate", approximate=True, precision=found.kind)
    return replace(found, precision=found.kind)
