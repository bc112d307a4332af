"""Numbers, dates and periods written the way a Vietnamese reader expects.

Every figure, sentence and table of the package formats through here, so a
report never mixes "24.07%" with "24,07 %". Rules, chosen once:

- Vietnamese (default): "." groups thousands, "," marks decimals
  (2.265.712; 24,07 %), one ordinary space before "%" ("24,07 %").
- English (``lang="en"``): 2,265,712; 24.07% (no space, English usage).
- Rounding is half-up on the decimal written (31,75 → 31,8), not banker's
  rounding, and the number of decimals is always explicit: Babel's default
  Vietnamese percent pattern would print 24,07 % as "24%".
- Negative numbers use the minus sign U+2212 ("−1,08"), as plotly does on
  its axes; a value that rounds to zero is never written "−0".
- Missing values (None, NaN, NA) become :data:`MISSING` ("—"), or the text
  passed as ``missing=`` (e.g. :func:`no_data` for sentences).
- Never "1.2M" or "500k": large amounts use words ("1,23 tỷ đồng",
  "VND 1.23 billion") only when asked for with ``style="short"``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from numbers import Integral, Real
from typing import Literal

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from khanalytics.errors import KhanalyticsError, ParameterError
from khanalytics.periods import Period

Lang = Literal["vi", "en"]
LANGS: tuple[str, ...] = ("vi", "en")

MISSING = "—"
MINUS = "\u2212"
PERCENT_SUFFIX = {"vi": " %", "en": "%"}
"""What follows a percentage in each language (also used as plotly ``ticksuffix``)."""

PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}
"""plotly ``layout.separators``: decimal mark then thousands separator."""

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_EN_SHORT = tuple(m[:3] for m in _MONTHS_EN)
_NO_DATA = {"vi": "không có số liệu", "en": "no data"}
_POINTS = {"vi": ("điểm phần trăm", "điểm %"), "en": ("percentage points", "pp")}


class NotADateError(KhanalyticsError, TypeError):
    """A value :func:`fmt_date` cannot read as a date (it takes dates, datetimes, Timestamps and ISO text)."""

    rule = "not_a_date"


def _bad_choice(name: str, value: object, choices: str) -> ParameterError:
    return ParameterError(
        f"{name} không hợp lệ {value!r}: chọn một trong {choices}.",
        f"{name} must be one of {choices}; got {value!r}.",
        rule=f"bad_{name}",
        parameter=name,
        value=value,
    )


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is "vi" or "en", else raise a ParameterError (a ValueError) naming the choices."""
    if lang not in LANGS:
        raise ParameterError(
            f"Ngôn ngữ không hợp lệ {lang!r}: dùng 'vi' hoặc 'en'.",
            f"Unknown language {lang!r}: use 'vi' or 'en'.",
            rule="bad_language",
            parameter="lang",
            value=lang,
        )
    return lang  # type: ignore[return-value]


def no_data(lang: str = "vi") -> str:
    """The words for a missing value inside a sentence: "không có số liệu" / "no data"."""
    return _NO_DATA[check_lang(lang)]


def is_missing(x: object) -> bool:
    """True for None, NaN, pandas NA/NaT and anything that is not a finite real number."""
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _quantize(x: object, decimals: int) -> Decimal:
    if decimals < 0:
        raise ParameterError(
            f"Số chữ số thập phân phải >= 0, nhận được {decimals}.",
            f"decimals must be >= 0, got {decimals}.",
            rule="bad_decimals",
            parameter="decimals",
            value=decimals,
        )
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, Integral):
        d = Decimal(int(x))
    elif isinstance(x, Real):
        # str() of a float is its shortest round-trip repr: 24.075 stays 24.075, not 24.07499…
        d = Decimal(str(float(x)))
    else:
        try:
            d = Decimal(str(x))
        except InvalidOperation as err:  # pragma: no cover - guarded by is_missing
            raise ParameterError(
                f"không phải là số: {x!r}", f"not a number: {x!r}", rule="not_a_number", value=x
            ) from err
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return q + Decimal(0) if q == 0 else q  # drop a negative zero


@cache
def _pattern(decimals: int, lang: str) -> tuple[NumberPattern, Locale]:
    """Babel's parsed pattern and locale for ``decimals`` places in ``lang``, parsed once: ``format_decimal``
    parsed both on every call, most of its time (a report formats a couple of thousand numbers)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")), Locale.parse(lang)


def _format(q: Decimal, decimals: int, lang: str) -> str:
    pattern, locale = _pattern(decimals, check_lang(lang))
    text = pattern.apply(abs(q), locale, decimal_quantization=False)
    return (MINUS + text) if q < 0 else text


def fmt_number(x: object, decimals: int = 0, lang: str = "vi", *, signed: bool = False, missing: str = MISSING) -> str:
    """A number with grouped thousands: 2265712 → "2.265.712" (vi), "2,265,712" (en).

    ``signed=True`` writes "+" before positive values ("+1,08"); negatives
    always carry "−" (U+2212).
    """
    if is_missing(x):
        return missing
    q = _quantize(x, decimals)
    text = _format(q, decimals, lang)
    return "+" + text if signed and q > 0 else text


def fmt_percent(x: object, decimals: int = 2, lang: str = "vi", *, signed: bool = False, missing: str = MISSING) -> str:
    """A value already in percent units: 24.0674 → "24,07 %" (vi), "24.07%" (en)."""
    if is_missing(x):
        return missing
    return fmt_number(x, decimals, lang, signed=signed) + PERCENT_SUFFIX[check_lang(lang)]


def fmt_points(
    x: object,
    decimals: int = 2,
    lang: str = "vi",
    *,
    signed: bool = True,
    short: bool = False,
    missing: str = MISSING,
) -> str:
    """A difference of two percentages: 1.08 → "+1,08 điểm phần trăm" / "+1.08 percentage points".

    ``short=True`` gives "+1,08 điểm %" / "+1.08 pp" for tight spaces (cards, labels).
    """
    if is_missing(x):
        return missing
    long_word, short_word = _POINTS[check_lang(lang)]
    word = short_word if short else long_word
    if lang == "en" and not short and abs(_quantize(x, decimals)) == 1 and decimals == 0:
        word = "percentage point"
    return f"{fmt_number(x, decimals, lang, signed=signed)} {word}"


def fmt_change_percent(
    x: object, decimals: int = 1, lang: str = "vi", *, signed: bool = True, missing: str = MISSING
) -> str:
    """A relative change already in percent units: 5.26 → "+5,3 %" (vi), "+5.3%" (en)."""
    return fmt_percent(x, decimals, lang, signed=signed, missing=missing)


_VND_SCALES = {
    "vi": ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu")),
    "en": ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")),
}


def fmt_vnd(
    x: object,
    lang: str = "vi",
    *,
    style: Literal["exact", "short"] = "exact",
    decimals: int = 2,
    missing: str = MISSING,
) -> str:
    """An amount in Vietnamese đồng.

    ``style="exact"``: "1.234.567.890 đồng" / "VND 1,234,567,890".
    ``style="short"``: amounts of a million or more in words, rounded to
    ``decimals`` with trailing zeros dropped: "1,23 tỷ đồng", "450 triệu đồng"
    / "VND 1.23 billion"; smaller amounts stay exact.
    """
    if is_missing(x):
        return missing
    check_lang(lang)
    if style not in ("exact", "short"):
        raise _bad_choice("style", style, "'exact', 'short'")
    amount = _quantize(x, 0)
    text = _format(amount, 0, lang)
    if style == "short":
        for scale, word in _VND_SCALES[lang]:
            if abs(amount) >= scale:
                q = _quantize(Decimal(amount) / scale, decimals)
                places = max(-q.normalize().as_tuple().exponent, 0) if q != 0 else 0
                text = f"{_format(q, min(places, decimals), lang)} {word}"
                break
    return f"{text} đồng" if lang == "vi" else f"VND {text}"


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()  # type: ignore[union-attr]
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    raise NotADateError(f"không phải là ngày: {value!r}", f"not a date: {value!r}", value=value)


def fmt_date(
    value: object, lang: str = "vi", *, style: Literal["short", "long"] = "short", missing: str = MISSING
) -> str:
    """A date: "30/6/2019" (vi) / "30 June 2019" (en).

    ``style="long"`` gives "ngày 30 tháng 6 năm 2019" in Vietnamese (English is
    the same in both styles). Accepts date, datetime, pandas Timestamp or ISO text.
    """
    if value is None or value != value or (not isinstance(value, str | dt.date) and is_missing(value)):
        return missing  # None, NaN, NaT (which is a datetime that is not equal to itself)
    d = _as_date(value)
    if check_lang(lang) == "vi":
        return f"ngày {d.day} tháng {d.month} năm {d.year}" if style == "long" else f"{d.day}/{d.month}/{d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


PeriodStyle = Literal["long", "end", "short", "code"]


def period_label(period: str | Period, lang: str = "vi", style: PeriodStyle = "long") -> str:
    """How a reporting period is written.

    ======== ====================== ======================= ==========
    style    2019-H1 (vi)           2019-H1 (en)            2019 (vi)
    ======== ====================== ======================= ==========
    long     6 tháng đầu năm 2019   first half of 2019      năm 2019
    end      đến hết 6/2019         to end of June 2019     đến hết năm 2019
    short    6/2019                 Jun 2019                2019
    code     2019-H1                2019-H1                 2019
    ======== ====================== ======================= ==========

    ``short`` is the axis label of trend charts: a half-year is named by the
    month it ends, as the association writes "đến hết 6/2019" (H2 → "12/2019").
    """
    p = Period.parse(period)
    lang = check_lang(lang)
    if style == "code":
        return p.code
    month = p.end.month
    if style == "short":
        if p.half is None:
            return str(p.year)
        return f"{month}/{p.year}" if lang == "vi" else f"{_MONTHS_EN_SHORT[month - 1]} {p.year}"
    if style == "end":
        if lang == "vi":
            return f"đến hết năm {p.year}" if p.half is None else f"đến hết {month}/{p.year}"
        return f"to end of {p.year}" if p.half is None else f"to end of {_MONTHS_EN[month - 1]} {p.year}"
    if style == "long":
        if lang == "vi":
            if p.half is None:
                return f"năm {p.year}"
            return f"6 tháng {'đầu' if p.half == 1 else 'cuối'} năm {p.year}"
        if p.half is None:
            return str(p.year)
        return f"{'first' if p.half == 1 else 'second'} half of {p.year}"
    raise _bad_choice("style", style, "long, end, short, code")


def fmt_value(x: object, unit: str | None = "%", decimals: int = 2, lang: str = "vi", *, missing: str = MISSING) -> str:
    """A value with its unit, as figures label it: "%" → fmt_percent, "đồng"/"VND" → fmt_vnd, else number + unit."""
    if is_missing(x):
        return missing
    if unit == "%":
        return fmt_percent(x, decimals, lang)
    if unit in ("đồng", "VND", "vnd"):
        return fmt_vnd(x, lang)
    text = fmt_number(x, decimals, lang)
    return f"{text} {unit}" if unit else text
