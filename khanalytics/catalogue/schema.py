"""Reading a catalogue file and checking it against its schema.

The shape of each entry (which keys, of which type, which are required) is
declared once as pydantic models; what pydantic cannot see, because it spans
entries (a numerator naming an element, a title's indicators agreeing with
it, one header key for one thing), is checked after. Every problem is
reported at once, naming the file, the entry and the field, in Vietnamese and
English; nothing of a broken file is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints

from khanalytics.catalogue.headers import WORD_GROUPS, UnitGroup, build_vocabulary
from khanalytics.catalogue.model import Catalogue, CatalogueFileError, DataElement, Indicator, Title
from khanalytics.userfiles import Problem, check_schema, parse_yaml, raise_problems, read_yaml

__all__ = ["CatalogueFile", "ElementEntry", "IndicatorEntry", "TitleEntry", "build_catalogue", "load_catalogue",
           "packaged_catalogue"]

PACKAGED = "khanalytics/reference/catalogue.yaml"
_WHAT = ("Danh mục", "catalogue")

# what a field must be, said to the person who edits the file
_MUSTS = {
    "code": ("mã gồm chữ thường, số, '_' (bắt đầu bằng chữ)", "a code of lower-case letters, digits and '_'"),
    "kind": ("stock hoặc flow", "stock or flow"),
    "aggregation": ("cách tổng hợp đã biết (sum; ratio_of_sums)", "a known aggregation (sum; ratio_of_sums)"),
    "decimals": ("số nguyên 0–6", "an integer 0–6"),
    "factor": ("số dương", "a positive number"),
    "role": ("recognition hoặc registration", "recognition or registration"),
    "aliases": ("danh sách chuỗi", "a list of strings"),
    "numerator": ("danh sách mã không rỗng, không trùng", "a non-empty list of distinct codes"),
    "elements": ("một danh sách không rỗng", "a non-empty list"),
    "indicators": ("một danh sách không rỗng", "a non-empty list"),
    "titles": ("một danh sách không rỗng", "a non-empty list"),
    **dict.fromkeys(("whole_number", "non_negative", "higher_is_better"), ("true/false", "true or false")),
    **dict.fromkeys(("label_vi", "label_en", "short_vi", "short_en", "unit_vi", "unit_en", "definition_vi",
                     "definition_en", "notes_vi", "notes_en", "source"),
                    ("một chuỗi không rỗng", "a non-empty string")),
}


def _none_is_empty(value: object) -> object:
    return () if value is None else value


def _one_is_a_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", strict=True)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Words = Annotated[tuple[Text, ...], BeforeValidator(_none_is_empty)]
Decimals = Annotated[int, Field(ge=0, le=6, strict=True)]


class _Entry(BaseModel):
    """Fields every entry has: a code, labels in both languages, a source and aliases."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    code: Code
    label_vi: Text
    label_en: Text
    short_vi: Text
    short_en: Text
    source: Text | None = None
    aliases: Words = ()


class _Described(_Entry):
    unit_vi: Text
    unit_en: Text
    definition_vi: Text | None = None
    definition_en: Text | None = None
    notes_vi: Text | None = None
    notes_en: Text | None = None


class ElementEntry(_Described):
    """A data element as the file writes it (after ``element_defaults``)."""

    kind: Literal["stock", "flow"]
    aggregation: Literal["sum"] = "sum"
    decimals: Decimals = 0
    whole_number: StrictBool = True
    non_negative: StrictBool = True


class IndicatorEntry(_Described):
    """An indicator as the file writes it (after ``indicator_defaults``)."""

    numerator: Annotated[tuple[Text, ...], BeforeValidator(_one_is_a_list), Field(min_length=1)]
    denominator: Text
    factor: Annotated[float, Field(gt=0, strict=True)] = 1
    aggregation: Literal["ratio_of_sums"] = "ratio_of_sums"
    decimals: Decimals = 2
    higher_is_better: StrictBool = True
    title: Text | None = None
    role: Literal["recognition", "registration"] | None = None


class TitleEntry(_Entry):
    """A learning title: the three elements it ties together."""

    total: Text
    registered: Text
    recognised: Text


class UnitGroupEntry(BaseModel):
    """Words naming a count or a sum of money depending on the unit written with them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: Words = ()
    count: Text
    money: Text


class HeaderWords(BaseModel):
    """The word groups header matching relies on ("đăng ký", "đạt", "tỷ lệ" …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    registered: Words = ()
    recognised: Words = ()
    commune_level: Words = ()
    village_level: Words = ()
    level_kha: Words = ()
    level_tot: Words = ()
    rate: Words = ()
    unit_dependent: Annotated[tuple[UnitGroupEntry, ...], BeforeValidator(_none_is_empty)] = ()


def _merge_defaults(raw: Any) -> Any:
    """Each element and indicator with its section's defaults under it, as pydantic should see it."""
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for section, defaults in (("elements", "element_defaults"), ("indicators", "indicator_defaults")):
        base, entries = raw.get(defaults) or {}, raw.get(section)
        if isinstance(base, dict) and isinstance(entries, list):
            out[section] = [{**base, **e} if isinstance(e, dict) else e for e in entries]
    return out


class CatalogueFile(BaseModel):
    """The whole file: elements, indicators, titles, their defaults and the header words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int | str | None = None
    elements: Annotated[tuple[ElementEntry, ...], Field(min_length=1)]
    indicators: Annotated[tuple[IndicatorEntry, ...], Field(min_length=1)]
    titles: Annotated[tuple[TitleEntry, ...], Field(min_length=1)]
    element_defaults: dict[str, Any] | None = None
    indicator_defaults: dict[str, Any] | None = None
    header_words: HeaderWords = HeaderWords()


# --- checks across entries -----------------------------------------------------------------


class _Findings:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, entry: str, field: str | None, vi: str, en: str) -> None:
        self.problems.append(Problem(entry, field, vi, en))


def _duplicates(section: str, codes: Iterable[str], found: _Findings) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            found.add(f"{section}.{code}", "code", "mã bị trùng", "duplicate code")
        seen.add(code)


def _roles(file: CatalogueFile, found: _Findings) -> dict[str, tuple[str, str]]:
    """element code -> (title, role) from the titles; an element may belong to one title only."""
    element_codes = {e.code for e in file.elements}
    role_of: dict[str, tuple[str, str]] = {}
    for t in file.titles:
        for role in ("total", "registered", "recognised"):
            target = getattr(t, role)
            if target not in element_codes:
                found.add(f"titles.{t.code}", role, f"'{role}' = {target!r} không phải yếu tố dữ liệu",
                          f"'{role}' = {target!r} is not a data element")
            elif target in role_of:
                found.add(f"titles.{t.code}", role, f"{target!r} đã thuộc danh hiệu {role_of[target][0]}",
                          f"{target!r} already belongs to title {role_of[target][0]}")
            else:
                role_of[target] = (t.code, role)
    return role_of


def _check_indicator(i: IndicatorEntry, elements: dict[str, DataElement], titles: set[str], found: _Findings) -> None:
    where = f"indicators.{i.code}"
    if i.code in elements:
        found.add(where, "code", "trùng mã với một yếu tố dữ liệu", "same code as a data element")
    if len(set(i.numerator)) != len(i.numerator):
        found.add(where, "numerator", "'numerator' phải là danh sách mã không rỗng, không trùng",
                  "'numerator' must be a non-empty list of distinct codes")
    for part in i.numerator:
        if part not in elements:
            found.add(where, "numerator", f"tử số {part!r} không phải yếu tố dữ liệu; có: {', '.join(elements)}",
                      f"numerator {part!r} is not a data element")
    if i.denominator not in elements:
        found.add(where, "denominator",
                  f"mẫu số {i.denominator!r} không phải yếu tố dữ liệu; có: {', '.join(elements)}",
                  f"denominator {i.denominator!r} is not a data element")
    elif i.denominator in i.numerator:
        found.add(where, "denominator", "mẫu số nằm trong tử số", "the denominator is also in the numerator")
    if i.title is not None and i.title not in titles:
        found.add(where, "title", f"danh hiệu {i.title!r} không có trong 'titles'", f"title {i.title!r} is not in 'titles'")
    if i.title is not None and i.role is None:
        found.add(where, "role", "có 'title' thì phải có 'role'", "'title' needs a 'role'")


def _title(t: TitleEntry, indicators: dict[str, Indicator], found: _Findings) -> Title:
    """A title with its recognition and registration indicators, which must be recognised (registered) / total."""
    by_role: dict[str, list[str]] = {"recognition": [], "registration": []}
    for ind in indicators.values():
        if ind.title != t.code or ind.role not in by_role:
            continue
        by_role[ind.role].append(ind.code)
        top = t.recognised if ind.role == "recognition" else t.registered
        if ind.numerator != (top,) or ind.denominator != t.total:
            found.add(f"indicators.{ind.code}", "numerator", f"phải là {top} / {t.total} theo danh hiệu {t.code}",
                      f"must be {top} / {t.total} per title {t.code}")
    for role, codes in by_role.items():
        if len(codes) > 1:
            found.add(f"titles.{t.code}", None, f"nhiều chỉ tiêu '{role}': {codes}", f"several '{role}' indicators: {codes}")
    return Title(**_plain(t), recognition_indicator=(by_role["recognition"] or [None])[0],
                 registration_indicator=(by_role["registration"] or [None])[0])


def _plain(entry: BaseModel) -> dict[str, Any]:
    """An entry's fields for a catalogue dataclass: absent texts become ""."""
    return {k: ("" if v is None and k not in ("title", "role") else v) for k, v in entry.model_dump().items()}


def build_catalogue(raw: object, path: str) -> Catalogue:
    """A checked Catalogue from the parsed YAML of ``path``; CatalogueFileError listing every problem otherwise."""
    file = check_schema(CatalogueFile, _merge_defaults(raw), path, CatalogueFileError, _MUSTS, _WHAT)
    found = _Findings()
    _duplicates("elements", (e.code for e in file.elements), found)
    _duplicates("indicators", (i.code for i in file.indicators), found)
    _duplicates("titles", (t.code for t in file.titles), found)
    role_of = _roles(file, found)
    elements = {e.code: DataElement(**_plain(e), title=role_of.get(e.code, (None, None))[0],
                                    role=role_of.get(e.code, (None, None))[1]) for e in file.elements}
    title_codes = {t.code for t in file.titles}
    for i in file.indicators:
        _check_indicator(i, elements, title_codes, found)
    indicators = {i.code: Indicator(**_plain(i)) for i in file.indicators}
    titles = {t.code: _title(t, indicators, found) for t in file.titles}
    raise_problems(CatalogueFileError, path, found.problems, _WHAT)
    words = file.header_words
    vocabulary, clashes = build_vocabulary(
        MappingProxyType(elements), MappingProxyType(indicators), MappingProxyType(titles),
        {name: getattr(words, name) for name in WORD_GROUPS},
        [UnitGroup(g.words, g.count, g.money) for g in words.unit_dependent],
    )
    raise_problems(CatalogueFileError, path, clashes, _WHAT)
    return Catalogue(vocabulary.elements, vocabulary.indicators, vocabulary.titles, path, vocabulary)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check a catalogue file (the packaged one when ``path`` is None).

    Raises CatalogueFileError (a CatalogueError) listing every problem found:
    missing labels, an unknown element in a formula, duplicate codes, a header
    alias of two elements … each with its entry and field.
    """
    if path is None:
        return packaged_catalogue()
    return build_catalogue(read_yaml(path, CatalogueFileError), str(path))


@cache
def packaged_catalogue() -> Catalogue:
    """The catalogue shipped with the package, read once."""
    text = resources.files("khanalytics.reference").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    return build_catalogue(parse_yaml(text, PACKAGED, CatalogueFileError), PACKAGED)
