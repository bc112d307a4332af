"""Official population by province and year, with the source of every figure.

Provinces report their own population as the denominator of the membership
rate; the official figure is what that report is checked against (a quality
rule flags more than 10 % apart) and the fallback denominator, always flagged,
when a province reports none. Figures are read from
``khanalytics/reference/population.csv`` (see its README row for sources).

The default series is GSO's average population (dân số trung bình): for the
2025 map it is the sum of the old provinces through the crosswalk. Nghị quyết
202/2025/QH15's "quy mô dân số" of the merged provinces uses a different base
(up to a third above GSO's for the Mekong provinces), so it is kept as its own
measure and used only when asked for: mixing the two would put a false jump
into every series at the 2025 reform.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

import pandas as pd

from khanalytics import geography as geo
from khanalytics.errors import ParameterError

MEASURES: dict[str, tuple[str, str]] = {
    "average": ("dân số trung bình (Tổng cục Thống kê)", "average population (GSO)"),
    "census_2019": ("dân số Tổng điều tra 1/4/2019", "2019 census population (1 April)"),
    "derived_sum_average": (
        "tổng dân số trung bình các tỉnh cũ (tính gộp)",
        "sum of the old provinces' average population (derived)",
    ),
    "derived_sum_census_2019": (
        "tổng dân số Tổng điều tra 2019 các tỉnh cũ (tính gộp)",
        "sum of the old provinces' 2019 census population (derived)",
    ),
    "nq202": ("quy mô dân số theo Nghị quyết 202/2025/QH15", "population scale in Resolution 202/2025/QH15"),
}

# The official series: average population, or its derived sum for merged 2025 provinces.
DEFAULT_SERIES = ("average", "derived_sum_average")
_SERIES_OF = {
    "average": DEFAULT_SERIES,
    "derived_sum_average": DEFAULT_SERIES,
    "census_2019": ("census_2019", "derived_sum_census_2019"),
    "derived_sum_census_2019": ("census_2019", "derived_sum_census_2019"),
    "nq202": ("nq202",),
}


class PopulationError(ParameterError):
    """An unknown population measure."""

    rule = "unknown_measure"


@cache
def _table() -> pd.DataFrame:
    text = resources.files("khanalytics.reference").joinpath("population.csv").read_text(encoding="utf-8")
    table = pd.read_csv(io.StringIO(text), dtype={"edition": str, "code": str, "measure": str, "source": str})
    table["year"] = table["year"].astype(int)
    table["population"] = table["population"].astype("int64")
    return table


def population_table() -> pd.DataFrame:
    """Every figure of the reference file: edition, code, year, population, measure, source."""
    return _table().copy()


def _series(measure: str | None) -> tuple[str, ...]:
    if measure is None:
        return DEFAULT_SERIES
    if measure not in _SERIES_OF:
        raise PopulationError(
            f"Không có thước đo dân số {measure!r}; chọn một trong {', '.join(MEASURES)}",
            f"unknown population measure {measure!r}; choose one of {', '.join(MEASURES)}",
            parameter="measure", value=measure,
        )
    return _SERIES_OF[measure]


def official_population_table(edition: str | int, *, measure: str | None = None) -> pd.DataFrame:
    """One row per province and year of a series: code, year, population, source, measure.

    Without ``measure``, the official series (GSO average population; derived
    sums for merged 2025 provinces). Only years with a figure are listed.
    """
    ed = geo.check_edition(edition)
    table = _table()
    rows = table[(table["edition"] == ed) & table["measure"].isin(_series(measure))]
    cols = ["code", "year", "population", "source", "measure"]
    return rows[cols].sort_values(["code", "year"]).reset_index(drop=True)


def official_population(
    edition: str | int, code: str, year: int, *, measure: str | None = None
) -> tuple[int, str] | None:
    """The official population of a province in a year, and where it comes from.

    ``code`` is a code or name on ``edition``'s map. A year after the last one
    available gets the latest figure, and the returned source says so; a year
    before the first one gets None.
    """
    ed = geo.check_edition(edition)
    text = str(code).strip()
    prov = text.zfill(2) if text.isdigit() and text.zfill(2) in _codes(ed) else geo.resolve_province(text, edition=ed)
    figures = _index(ed, _series(measure)).get(prov)
    if not figures:
        return None
    if int(year) in figures:
        return figures[int(year)]
    last = max(figures)
    if int(year) < last:
        return None
    value, source = figures[last]
    note = (
        f"số liệu năm {last} (mới nhất) dùng cho năm {int(year)} / latest available year {last} used for {int(year)}; "
    )
    return value, note + source


@cache
def _codes(edition: str) -> frozenset[str]:
    return frozenset(geo.province_codes(edition))


@cache
def _index(edition: str, series: tuple[str, ...]) -> dict[str, dict[int, tuple[int, str]]]:
    out: dict[str, dict[int, tuple[int, str]]] = {}
    table = _table()
    rows = table[(table["edition"] == edition) & table["measure"].isin(series)]
    for code, year, value, source in zip(rows["code"], rows["year"], rows["population"], rows["source"], strict=True):
        out.setdefault(code, {})[int(year)] = (int(value), str(source))
    return out
