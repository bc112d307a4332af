"""The catalogue: what provinces report (data elements) and what is computed from it (indicators).

One file, ``reference/catalogue.yaml``, declares codes, labels, units, how a
figure aggregates and how provinces name it in a column header, so that the
importer, the store, the analysis and the reports agree. The module-level
functions here answer from that packaged catalogue; ``load_catalogue(path)``
reads another one.

- ``model``: the entries (DataElement, Indicator, Title) and a Catalogue;
- ``headers``: folding a header to a key and finding what it denotes;
- ``schema``: the file's pydantic schema and the checks across entries.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from khanalytics.catalogue.headers import HeaderMatch, fold, header_key
from khanalytics.catalogue.model import (
    ELEMENT_AGGREGATIONS,
    ELEMENT_ROLES,
    INDICATOR_AGGREGATIONS,
    KINDS,
    ROLES,
    Catalogue,
    CatalogueError,
    CatalogueFileError,
    DataElement,
    Indicator,
    Title,
)
from khanalytics.catalogue.schema import load_catalogue, packaged_catalogue

__all__ = [
    "ELEMENT_AGGREGATIONS", "ELEMENT_ROLES", "INDICATOR_AGGREGATIONS", "KINDS", "ROLES",
    "Catalogue", "CatalogueError", "CatalogueFileError", "DataElement", "HeaderMatch", "Indicator", "Title",
    "catalogue_frame", "compute", "compute_table", "element", "elements", "fold", "formula", "header_key",
    "indicator", "indicators", "load_catalogue", "match_header", "match_indicator_header", "packaged_catalogue",
    "parse_header", "title", "titles",
]  # fmt: skip


def elements() -> dict[str, DataElement]:
    """Every data element, in the order of the catalogue file."""
    return dict(packaged_catalogue().elements)


def indicators() -> dict[str, Indicator]:
    """Every indicator, in the order of the catalogue file."""
    return dict(packaged_catalogue().indicators)


def titles() -> dict[str, Title]:
    """Every learning title, in the order of the catalogue file."""
    return dict(packaged_catalogue().titles)


def element(code: str) -> DataElement:
    """The element with this code; CatalogueError (listing the valid codes) otherwise."""
    return packaged_catalogue().element(code)


def indicator(code: str) -> Indicator:
    """The indicator with this code; CatalogueError (listing the valid codes) otherwise."""
    return packaged_catalogue().indicator(code)


def title(code: str) -> Title:
    """The learning title with this code; CatalogueError (listing the valid codes) otherwise."""
    return packaged_catalogue().title(code)


def match_header(text: object) -> str | None:
    """The element code a column header denotes, or None.

    Accepts codes, labels, short labels and aliases, with or without
    diacritics, in any case, NFC or NFD, with invisible characters, units in
    brackets, dates and "Số"/"Tổng số"/"Number of". A learning-title column is
    read from its parts ("Gia đình học tập - Đạt", "Registered learning clans").
    None for a rate ("Tỷ lệ GĐHT (%)"), for a title without "đăng ký"/"đạt",
    for money in thousands/millions/billions of đồng (use ``parse_header`` for
    the scale), and for anything not in the catalogue.
    """
    return packaged_catalogue().match_header(text)


def parse_header(text: object) -> HeaderMatch | None:
    """Like ``match_header``, also for money in thousands/millions/billions of đồng, with the scale."""
    return packaged_catalogue().parse_header(text)


def match_indicator_header(text: object) -> str | None:
    """The indicator a rate column denotes ("Tỷ lệ hội viên (%)" → membership_rate), or None."""
    return packaged_catalogue().match_indicator_header(text)


def compute(indicator_code: str, sums: Mapping[str, float]) -> float | None:
    """sum(numerator) × factor / denominator from summed values.

    None when the denominator is 0 or missing, or when any numerator part is
    missing (None or NaN): an aggregate is empty rather than a guess.
    """
    return packaged_catalogue().compute(indicator_code, sums)


def compute_table(indicator_code: str, table: pd.DataFrame) -> pd.Series:
    """``compute`` for every row of a table whose columns are element codes (NaN where it is None)."""
    return packaged_catalogue().compute_table(indicator_code, table)


def formula(indicator_code: str, lang: str = "vi") -> str:
    """The indicator in words ("Hội viên / Dân số × 100"), for definitions and footnotes."""
    return packaged_catalogue().formula(indicator_code, lang)


def catalogue_frame(lang: str = "vi") -> pd.DataFrame:
    """Every element, indicator and title with labels, units, formulas and sources, for a report sheet."""
    return packaged_catalogue().frame(lang)
