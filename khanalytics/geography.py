"""Vietnam's provinces on the two editions of the administrative map.

A province is (edition, code): codes and names were reused by the 2025 reform
for different territories, so neither alone identifies a place. Everything
here is read from ``khanalytics/reference`` (see its README for sources).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import pandas as pd
import yaml

from khanalytics.errors import KhanalyticsError
from khanalytics.periods import Period
from khanalytics.text import soft_fold

Edition = Literal["2008", "2025"]
EDITIONS: tuple[Edition, ...] = ("2008", "2025")


@dataclass(frozen=True)
class EditionInfo:
    code: Edition
    valid_from: dt.date
    valid_to: dt.date | None
    n_provinces: int
    label_vi: str
    label_en: str


EDITION_INFO: dict[str, EditionInfo] = {
    "2008": EditionInfo(
        "2008", dt.date(2008, 8, 1), dt.date(2025, 6, 30), 63,
        "bản đồ 63 tỉnh, thành phố (2008–6/2025)", "63-province map (2008 – June 2025)",
    ),
    "2025": EditionInfo(
        "2025", dt.date(2025, 7, 1), None, 34,
        "bản đồ 34 tỉnh, thành phố (từ 1/7/2025)", "34-province map (from 1 July 2025)",
    ),
}

REGION_NAMES: dict[str, tuple[str, str]] = {
    "TDMNPB": ("Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"),
    "DBSH": ("Đồng bằng sông Hồng", "Red River Delta"),
    "BTB_DHMT": ("Bắc Trung Bộ và Duyên hải miền Trung", "North Central and Central Coast"),
    "TN": ("Tây Nguyên", "Central Highlands"),
    "DNB": ("Đông Nam Bộ", "Southeast"),
    "DBSCL": ("Đồng bằng sông Cửu Long", "Mekong River Delta"),
}


class GeographyError(KhanalyticsError, ValueError):
    """Base class for errors about editions and provinces."""

    rule = "geography"


class ProvinceNameError(GeographyError, KeyError):
    """A name or code that does not identify exactly one province."""

    rule = "unknown_province"

    def __init__(self, value: object, edition: str, suggestions: list[str], reason: str = "",
                 reason_en: str | None = None) -> None:
        self.value = value
        self.edition = edition
        self.suggestions = suggestions
        self.reason = reason
        self.reason_en = reason_en or reason
        closest = ", ".join(suggestions)
        vi = f"Không nhận ra tỉnh/thành {value!r} trên bản đồ {edition}."
        en = f"Unknown province {value!r} on the {edition} map."
        if reason:
            vi, en = f"{vi} {reason}", f"{en} {reason_en or reason}"
        if suggestions:
            vi, en = f"{vi} Gần nhất: {closest}.", f"{en} Closest: {closest}."
        super().__init__(vi, en, value=value)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class EditionMismatchError(GeographyError):
    """Data of one map handed to code working on the other (like mixing coordinate systems)."""

    rule = "edition_mismatch"


def check_edition(edition: str | int) -> Edition:
    """The edition as its canonical string ("2008" or "2025"); anything else stops with the two choices."""
    text = str(edition).strip()
    if text not in EDITION_INFO:
        raise GeographyError(
            f"Bản đồ không hợp lệ {edition!r}: chọn '2008' (63 tỉnh) hoặc '2025' (34 tỉnh).",
            f"Unknown edition {edition!r}: choose '2008' (63 provinces) or '2025' (34 provinces).",
            rule="bad_edition", value=edition,
        )
    return text  # type: ignore[return-value]


def edition_for(when: dt.date | dt.datetime | str | Period) -> Edition:
    """The edition in force on a date, or at the end of a period."""
    if isinstance(when, dt.datetime):
        day = when.date()
    elif isinstance(when, dt.date):
        day = when
    else:
        try:
            day = dt.date.fromisoformat(str(when))
        except ValueError:
            day = Period.parse(when).end  # type: ignore[arg-type]
    if day < EDITION_INFO["2008"].valid_from:
        raise GeographyError(
            f"{day.isoformat()} trước 1/8/2008: bản đồ có Hà Tây chưa được hỗ trợ.",
            f"{day.isoformat()}: dates before 1 August 2008 (the map with Hà Tây) are not supported.",
            rule="date_before_2008", value=day.isoformat(),
        )
    return "2025" if day >= EDITION_INFO["2025"].valid_from else "2008"


# --- the edition carried by data, like a CRS ----------------------------------

EDITION_ATTR = "edition"
"""Key in ``DataFrame.attrs`` naming the map a frame's province codes belong to."""


def with_edition(frame: pd.DataFrame, edition: str | int) -> pd.DataFrame:
    """Mark ``frame`` (in place, and returned) as holding codes of ``edition``'s map."""
    frame.attrs[EDITION_ATTR] = check_edition(edition)
    return frame


def edition_of(frame: pd.DataFrame) -> Edition | None:
    """The map a frame declares (its attrs), else the one its ``edition`` column holds; None if mixed or unknown.

    Like a GeoDataFrame's CRS: code that draws, harmonises or narrates checks it
    instead of trusting that codes such as "24" mean what it assumes.
    """
    declared = frame.attrs.get(EDITION_ATTR)
    if declared is not None:
        return check_edition(declared)
    if "edition" in frame.columns:
        values = frame["edition"].dropna().astype(str).unique()
        if len(values) == 1:
            return check_edition(values[0])
    return None


def require_edition(frame: pd.DataFrame, edition: str | int, *, what: str = "data") -> Edition:
    """``edition``, after checking that ``frame`` is on that map (an unmarked frame is taken at its word).

    Raises EditionMismatchError when the frame says it is on the other map, or
    when its ``edition`` column mixes rows of both maps.
    """
    wanted = check_edition(edition)
    have = edition_of(frame)
    mixed = have is None and "edition" in frame.columns and frame["edition"].dropna().nunique() > 1
    if mixed or (have is not None and have != wanted):
        found = "cả hai bản đồ" if mixed else f"bản đồ {have}"
        found_en = "both maps" if mixed else f"the {have} map"
        raise EditionMismatchError(
            f"{what}: số liệu thuộc {found}, nhưng được dùng trên bản đồ {wanted}. "
            "Chuyển đổi trước bằng analysis.harmonise(…, to=…) hoặc chọn đúng bản đồ.",
            f"{what}: the data are on {found_en} but were used on the {wanted} map. "
            "Re-express them first with analysis.harmonise(…, to=…) or choose the matching map.",
            value=what,
        )
    return wanted


def _reference_text(name: str) -> str:
    return resources.files("khanalytics.reference").joinpath(name).read_text(encoding="utf-8")


@cache
def _province_table() -> pd.DataFrame:
    import io

    table = pd.read_csv(io.StringIO(_reference_text("provinces.csv")), dtype=str, keep_default_na=False)
    table["formed_from"] = table["formed_from"].map(lambda s: tuple(s.split()) if s else ())
    table["region_vi"] = table["region"].map(lambda r: REGION_NAMES[r][0])
    table["region_en"] = table["region"].map(lambda r: REGION_NAMES[r][1])
    return table


@cache
def _edition_table(edition: Edition) -> pd.DataFrame:
    table = _province_table()
    out = table[table["edition"] == edition].drop(columns="edition").sort_values("code")
    if edition == "2008":
        out = out.drop(columns="formed_from")
    return out.reset_index(drop=True)


def provinces(edition: str | int) -> pd.DataFrame:
    """One row per province of an edition, ordered by code.

    Columns: code, name_vi, full_name_vi, name_ascii, name_en, kind, region,
    region_vi, region_en, and formed_from (2025: the 2008 codes it was made from).
    """
    return _edition_table(check_edition(edition)).copy()


@cache
def _codes(edition: Edition) -> tuple[str, ...]:
    return tuple(_edition_table(edition)["code"])


def province_codes(edition: str | int) -> list[str]:
    """The two-digit codes of an edition's provinces, in order."""
    return list(_codes(check_edition(edition)))


def province_name(code: str, edition: str | int, lang: str = "vi") -> str:
    """The short name of a province on one map ("Bắc Ninh"), in Vietnamese or English."""
    row = _row(check_edition(edition), code)
    return row["name_en"] if lang == "en" else row["name_vi"]


@cache
def _rows(edition: Edition) -> dict[str, dict]:
    return {r["code"]: r for r in _edition_table(edition).to_dict("records")}


def _row(edition: Edition, code: str) -> dict:
    hit = _rows(edition).get(str(code).zfill(2))
    if hit is None:
        raise ProvinceNameError(code, edition, [], "Mã không có trên bản đồ này.", "No such code on this map.")
    return hit


def crosswalk() -> pd.DataFrame:
    """Each 2008 province with the 2025 province it became part of (a copy: yours to edit)."""
    return _crosswalk().copy()


@cache
def _successors() -> dict[str, str]:
    return dict(zip(_crosswalk()["code_2008"], _crosswalk()["code_2025"], strict=True))


@cache
def _crosswalk() -> pd.DataFrame:
    new = provinces("2025")
    old = provinces("2008").set_index("code")
    rows = [
        {
            "code_2008": part,
            "name_2008": old.loc[part, "name_vi"],
            "code_2025": row.code,
            "name_2025": row.name_vi,
            "unchanged": row.formed_from == (row.code,),
        }
        for row in new.itertuples()
        for part in row.formed_from
    ]
    return pd.DataFrame(rows).sort_values("code_2008").reset_index(drop=True)


def successor(code_2008: str) -> str:
    """The 2025 province that a 2008 province became part of."""
    match = _successors().get(str(code_2008).zfill(2))
    if match is None:
        raise ProvinceNameError(code_2008, "2008", [])
    return match


def parts(code_2025: str) -> tuple[str, ...]:
    """The 2008 provinces a 2025 province was made from."""
    return tuple(_row("2025", code_2025)["formed_from"])


# --- name resolution ------------------------------------------------------

_PUNCT = re.compile(r"[\u2010-\u2015\u2212\-_/\\.,;:()\[\]'\"`’‘“”]+")
_PREFIX = re.compile(r"^(?:(?:tinh|thanh pho|tp|t p|t|province of|city of)\s+)+")
_TRAILING_NOTE = re.compile(r"(?<=\S)\s*\([^()]*\)\s*$")
_SUFFIX = re.compile(r"(?:\s+(?:province|city|municipality))+$")


# Units below a province, by the word provinces put before their name. "Thành phố"/"TP" is a province only for
# the centrally-run cities (kind "thành phố" in provinces.csv); "TP Thái Bình" is Thái Bình province's city.
_SUBDIVISIONS = (
    (re.compile(r"^(?:thanh pho|tp|t p)\s+(.+)$"), "city", "thành phố thuộc tỉnh", "a provincial city"),
    (re.compile(r"^(?:thi xa|tx)\s+(.+)$"), "town", "thị xã", "a town"),
    (re.compile(r"^huyen\s+(.+)$"), "district", "huyện", "a rural district"),
    (re.compile(r"^quan\s+(.+)$"), "district", "quận", "an urban district"),
    (re.compile(r"^phuong\s+(.+)$"), "ward", "phường", "a ward"),
    (re.compile(r"^(?:xa|thi tran)\s+(.+)$"), "commune", "xã, thị trấn", "a commune"),
)


def subdivision(name: object, *, edition: str | int) -> tuple[str, str, str] | None:
    """(kind, Vietnamese, English) when ``name`` names a unit below a province ("TP Thái Bình", "Huyện Đông Hưng").

    A provincial city often shares its province's name; storing its figures
    as the province's replaced 1,8 million people by 206.000. Only the
    centrally-run cities ("TP Hà Nội", "TP. Huế" on the 2025 map) are
    provinces when written with "Thành phố".
    """
    ed = check_edition(edition)
    if isinstance(name, bool) or name is None or isinstance(name, int | float):
        return None
    s = " ".join(_PUNCT.sub(" ", soft_fold(unicodedata.normalize("NFKC", str(name)))).split())
    s = re.sub(r"^tinh\s+", "", s)
    for pattern, kind, vi, en in _SUBDIVISIONS:
        match = pattern.match(s)
        if not match:
            continue
        if kind == "city":
            codes = _index(ed).get(name_key(match.group(1)))
            table = _edition_table(ed).set_index("code")
            if codes and len(codes) == 1 and table.loc[next(iter(codes)), "kind"] == "thành phố":
                return None
        return kind, vi, en
    return None


def name_key(text: object) -> str:
    """A comparison key: no diacritics, case, punctuation, spaces or prefix.

    Built on the package's one fold (``khanalytics.text.soft_fold``). Handles NFC/NFD input, old/new tone placement (both lose their marks), the
    Icelandic eth often typed for Đ, prefixes such as "Tỉnh", "TP.", "T.P.", "T."
    and a trailing note in brackets ("Bà Rịa - Vũng Tàu (BR-VT)").
    """
    s = soft_fold(_TRAILING_NOTE.sub("", unicodedata.normalize("NFKC", str(text))))
    s = " ".join(_PUNCT.sub(" ", s).split())
    s = _PREFIX.sub("", s)
    s = _SUFFIX.sub("", s)
    return s.replace(" ", "")


@cache
def _aliases() -> dict:
    return yaml.safe_load(_reference_text("province_aliases.yaml"))


@cache
def _index(edition: Edition) -> dict[str, frozenset[str]]:
    """key -> codes for one edition; several codes means the key is ambiguous."""
    index: dict[str, set[str]] = {}
    table = provinces(edition)
    by_name = {name_key(n): c for n, c in zip(table["name_vi"], table["code"], strict=True)}
    aliases = _aliases()

    def add(key: str, code: str) -> None:
        if key:
            index.setdefault(key, set()).add(code)

    for row in table.itertuples():
        for name in (row.name_vi, row.full_name_vi, row.name_ascii, row.name_en):
            add(name_key(name), row.code)
    for canonical, extra in aliases["aliases"].items():
        code = by_name.get(name_key(canonical))
        if code is not None:
            for alias in extra:
                add(name_key(alias), code)
    for abbrev, names in aliases["ambiguous"].items():
        for name in names:
            if name_key(name) in by_name:
                add(name_key(abbrev), by_name[name_key(name)])
        index.setdefault(name_key(abbrev), set())  # known, even if nothing matches here
    return {k: frozenset(v) for k, v in index.items()}


def _display(edition: Edition, codes: Iterable[str]) -> list[str]:
    return [f"{_row(edition, c)['name_vi']} ({c})" for c in sorted(codes)]


def resolve_province(name: object, *, edition: str | int) -> str:
    """The two-digit code of the province ``name`` denotes on ``edition``'s map.

    Accepts names in any of the forms provinces actually write (see
    ``name_key``), aliases and abbreviations, English spellings and the codes
    themselves. Raises ProvinceNameError naming the input, the edition and the
    closest valid names when the input is unknown or ambiguous.
    """
    ed = check_edition(edition)
    if isinstance(name, bool) or name is None or (isinstance(name, float) and name != name):
        raise ProvinceNameError(name, ed, [], "Ô trống.", "Empty value.")
    if isinstance(name, float) and name.is_integer():
        name = int(name)
    text = str(name).strip()
    if re.fullmatch(r"\d{1,2}", text):
        code = text.zfill(2)
        if code in _codes(ed):
            return code
        raise ProvinceNameError(name, ed, [], "Mã không có trên bản đồ này.", "No such code on this map.")
    below = subdivision(text, edition=ed)
    if below is not None:
        raise ProvinceNameError(name, ed, [], f"Đây là {below[1]}, không phải một tỉnh/thành.",
                                f"This is {below[2]}, not a province.")
    key = name_key(text)
    codes = _index(ed).get(key)
    if codes is not None and len(codes) == 1:
        return next(iter(codes))
    if codes:
        raise ProvinceNameError(
            name, ed, _display(ed, codes), "Tên viết tắt chỉ nhiều tỉnh.", "Ambiguous abbreviation."
        )
    other = "2025" if ed == "2008" else "2008"
    moved = _index(other).get(key)
    reason, reason_en = "", ""
    if moved and len(moved) == 1 and ed == "2025":
        old = next(iter(moved))
        new = successor(old)
        suggestions = [f"{province_name(new, '2025')} ({new})"]
        raise ProvinceNameError(
            name, ed, suggestions,
            f"{province_name(old, '2008')} đã sáp nhập vào {province_name(new, '2025')} ({new}) từ 1/7/2025.",
            f"{province_name(old, '2008', 'en')} merged into {province_name(new, '2025', 'en')} ({new}) on 1 July 2025.",
        )
    if moved and len(moved) == 1 and ed == "2008":
        reason, reason_en = "Tên này chỉ có trên bản đồ 2025.", "This name exists only on the 2025 map."
    raise ProvinceNameError(name, ed, closest_names(text, ed), reason, reason_en)


def closest_names(text: object, edition: str | int, n: int = 3) -> list[str]:
    """Up to ``n`` province names ("Quảng Ninh (22)") nearest to a name that did not resolve, for the error."""
    ed = check_edition(edition)
    index = _index(ed)
    keys = difflib.get_close_matches(name_key(text), [k for k, v in index.items() if len(v) == 1], n=n * 3, cutoff=0.6)
    seen: list[str] = []
    for key in keys:
        (code,) = index[key]
        label = _display(ed, [code])[0]
        if label not in seen:
            seen.append(label)
    return seen[:n]


def resolve_provinces(
    values: Iterable[object], *, edition: str | int, errors: Literal["raise", "coerce"] = "raise"
) -> pd.Series:
    """Vectorised ``resolve_province``: each distinct value is resolved once.

    With errors="raise" every unresolved value is reported in one error (the
    first is raised with the others listed); with "coerce" they become <NA>.
    """
    ed = check_edition(edition)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    resolved: dict[object, object] = {}
    failures: list[ProvinceNameError] = []
    for value in pd.unique(series.astype(object)):
        try:
            resolved[value] = resolve_province(value, edition=ed)
        except ProvinceNameError as err:
            resolved[value] = pd.NA
            failures.append(err)
    if failures and errors == "raise":
        first = failures[0]
        if len(failures) > 1:
            others = ", ".join(repr(f.value) for f in failures[1:6])
            first.vi += f" (+{len(failures) - 1} tên khác: {others})"
            first.en += f" (+{len(failures) - 1} more: {others})"
            first.args = (first._joined(),)
        raise first
    return series.astype(object).map(resolved).astype("string")


# --- regions --------------------------------------------------------------


def regions(edition: str | int) -> dict[str, list[str]]:
    """The six GSO socio-economic regions as {region code: province codes}."""
    table = provinces(edition)
    return {r: table.loc[table["region"] == r, "code"].tolist() for r in REGION_NAMES}


def region_of(code: str, edition: str | int) -> str:
    """The GSO socio-economic region code of a province."""
    return str(_row(check_edition(edition), code)["region"])
