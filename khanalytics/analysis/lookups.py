"""Reference look-ups the analysis makes thousands of times, as dicts built once (geography filters a table per call).

Only immutable values (strings, tuples, numbers) leave this module; the
cached dicts themselves stay private to the analysis package.
"""

from __future__ import annotations

from functools import cache

from khanalytics import geography as geo
from khanalytics.population import official_population


@cache
def names(edition: str, lang: str = "vi") -> dict[str, str]:
    """{code: name} of a map, for ``Series.map``; do not modify."""
    table = geo.provinces(edition)
    return dict(zip(table["code"], table["name_en" if lang == "en" else "name_vi"], strict=True))


def name(code: str, edition: str, lang: str = "vi") -> str:
    """A province's short name on a map."""
    return names(edition, lang)[code]


def label(code: str, edition: str, lang: str = "vi") -> str:
    """"Bắc Ninh (27)": the name with the code, where two maps could be confused."""
    return f"{name(code, edition, lang)} ({code})"


@cache
def codes(edition: str) -> tuple[str, ...]:
    """Every province code of a map, in order."""
    return tuple(geo.province_codes(edition))


@cache
def _parts_of() -> dict[str, tuple[str, ...]]:
    table = geo.provinces("2025")
    return {c: tuple(f) for c, f in zip(table["code"], table["formed_from"], strict=True)}


def parts(code_2025: str) -> tuple[str, ...]:
    """The 2008 provinces a 2025 province was made from."""
    return _parts_of()[code_2025]


def parts_text() -> dict[str, str]:
    """{2025 code: "27+24"}: the parts column of a harmonised frame."""
    return {c: "+".join(p) for c, p in _parts_of().items()}


@cache
def _successor_of() -> dict[str, str]:
    return {old: new for new, olds in _parts_of().items() for old in olds}


def successor(code_2008: str) -> str:
    """The 2025 province a 2008 province became part of."""
    return _successor_of()[code_2008]


@cache
def official(edition: str, code: str, year: int) -> tuple[float, str | None]:
    """(official population, source), or (NaN, None) when there is none: the fallback for coverage."""
    try:
        hit = official_population(edition, code, year)
    except (geo.GeographyError, ValueError):
        hit = None
    return (float(hit[0]), hit[1]) if hit else (float("nan"), None)
