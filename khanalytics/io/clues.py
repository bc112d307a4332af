"""Which period a table speaks of: every clue a careful reader would weigh, and whether they agree.

Provinces reuse last year's workbook: the sheet is still "BC 6T-2023" while
the title says "6 tháng đầu năm 2024". No clue may silently beat another.
The clues are the period column, the sheet name, the template's information
sheet, the title lines, the date line ("Quảng Ninh, ngày 10 tháng 7 năm
2024") and ``--period``; when they disagree the file is refused naming each,
unless ``--period`` settles it (and the result says so). A title that names
the year just ended and the half-year reported ("kết quả năm 2023 và sơ kết 6
tháng đầu năm 2024") speaks of the half-year; plans ("phương hướng … năm
2024") and comparisons ("so với cùng kỳ năm 2023") are not the period reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from khanalytics.periods import Period, PeriodError
from khanalytics.text import fold

__all__ = ["Clue", "date_from_text", "disagreements", "period_mentions", "reported_period"]

_Y = r"((?:19|20)\d\d)"
# (pattern over folded text, half: 1, 2 or None for a year) in order of precedence; a match is blanked once used
_MENTIONS = (
    (rf"\b{_Y}\s*[-_ ]?\s*h([12])\b", "code"),
    (rf"(?:6|sau) thang dau(?: nam)?\s*{_Y}", 1),
    (rf"(?:6|sau) thang cuoi(?: nam)?\s*{_Y}", 2),
    (rf"\bfirst half(?: of)?\s*{_Y}", 1),
    (rf"\bsecond half(?: of)?\s*{_Y}", 2),
    (rf"\b6t\s*[-_/ .]?\s*{_Y}", 1),
    (rf"\b6 thang(?: nam)?\s*{_Y}", 1),
    (rf"\b(?:thang 6|den 30 ?/ ?6|den thang 6)\s*(?:nam|/)?\s*{_Y}", 1),
    (rf"\bdau nam\s*{_Y}", 1),
    (rf"\bcuoi nam\s*{_Y}", 2),
    (rf"\b(?:ca nam|nam|year|fy)\s*{_Y}", None),
)
_NOT_REPORTED = re.compile(r"(?:phuong huong|ke hoach|nhiem vu|du kien|chi tieu|cung ky|so voi|so sanh|muc tieu)"
                           r"[^,;:.()]{0,30}$")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*((?:19|20)\d\d)")
_DATE_DIGITS = re.compile(r"\b(\d{1,2})\s*[/ .-]\s*(\d{1,2})\s*[/ .-]\s*((?:19|20)\d\d)\b")  # folded: "/" is a space
_EDITION_WORDS = re.compile(r"ban do \d+ tinh[^()]*(?:\([^)]*\))?|\(\s*(?:19|20)\d\d\s*[-–]\s*(?:\d+/)?(?:19|20)\d\d\s*\)")


def _clean(text: str) -> str:
    key = fold(text)
    key = _EDITION_WORDS.sub(" ", key)  # "bản đồ 63 tỉnh, thành phố (2008–6/2025)" names a map, not a period
    key = _DATE_WORDS.sub(" ", key)
    return _DATE_DIGITS.sub(" ", key)


def period_mentions(text: object) -> list[Period]:
    """Every period a line reports on, in order of appearance; plans and comparisons left out."""
    if not isinstance(text, str) or not re.search(r"(?:19|20)\d\d", text):
        return []
    try:
        return [Period.parse(text)]
    except PeriodError:
        pass
    key = _clean(text)
    found: list[tuple[int, Period]] = []
    for pattern, half in _MENTIONS:
        for match in re.finditer(pattern, key):
            if _NOT_REPORTED.search(key[: match.start()]):
                continue
            year = int(match.group(1))
            found.append((match.start(), Period(year, int(match.group(2)) if half == "code" else half)))
        key = re.sub(pattern, lambda m: " " * len(m.group(0)), key)
    if not found and re.fullmatch(rf"\s*{_Y}\s*", key):
        found.append((0, Period(int(key.strip()))))
    return [p for _, p in sorted(found, key=lambda x: x[0])]


def reported_period(text: object) -> Period | None:
    """The period a line reports: the latest one it names ("năm 2023 và sơ kết 6 tháng đầu năm 2024" → 2024-H1)."""
    mentions = period_mentions(text)
    return max(mentions) if mentions else None


def date_from_text(text: object) -> dt.date | None:
    """The date of a date line ("Quảng Ninh, ngày 10 tháng 7 năm 2024", "10/7/2024"), or None."""
    if not isinstance(text, str):
        return None
    key = fold(text)
    match = _DATE_WORDS.search(key) or (_DATE_DIGITS.search(key) if re.search(r"\bngay\b", key) else None)
    if not match:
        return None
    try:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


@dataclass(frozen=True)
class Clue:
    """One place that says which period a table is about, and what it says."""

    source: str  # "option", "info", "sheet", "title", "column", "date"
    text: str
    period: Period | None = None
    date: dt.date | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self, lang: str = "vi") -> str:
        """"tên trang 'BC 6T-2023' → 2023-H1": the clue, where it is and what it says."""
        vi = lang != "en"
        names = {"option": ("tham số --period", "the --period option"), "info": ("trang Thông tin", "the information sheet"),
                 "sheet": ("tên trang", "the sheet name"), "title": ("tiêu đề", "the title"),
                 "column": ("cột kỳ báo cáo", "the period column"), "date": ("dòng ngày tháng", "the date line")}
        name = names[self.source][0 if vi else 1]
        place = f" ({'ô' if vi else 'cell'} {self.column}{self.row})" if self.row is not None and self.column else ""
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        said = self.period.code if self.period else (self.date.strftime("%d/%m/%Y") if self.date else "?")
        return f"{name}{place} '{text}' → {said}"


def disagreements(clues: list[Clue], chosen: Period) -> list[Clue]:
    """The clues that do not fit ``chosen``: another period, or a date before it starts or over a year after it ends."""
    latest = chosen.end + dt.timedelta(days=366)
    return [c for c in clues if (c.period is not None and c.period != chosen)
            or (c.date is not None and not chosen.start <= c.date <= latest)]
