"""What decides a report, as one digest per part, so that a batch re-renders only the reports whose inputs changed.

A report of a period P reads (see :mod:`khanalytics.report.sections`):

- **its own rows**: every stored row of its provinces up to P (every element,
  with the file, sheet and row it came from), the imports those rows came
  from (with their dates, which date the downloads) and their quality flags.
  A cluster's provinces are those it held at any period up to P; on the
  other map, the parts (or successors) of those provinces. The national
  report's own rows are all rows.
- **the shared rows**: what the country's figures, the rankings and the maps
  are made of: every province's values, up to P, of the elements behind the
  indicators any report compares with the country, ranks or maps (the
  report's indicators, the learning titles, the indicators with targets),
  and whether any row of P or a year earlier is synthetic (the first screen
  says so).
- **the published record** (all of it: small, and read by several sections);
- **the notebook**, **the parameters** (not the store's path: moving the store
  changes no number) and **the library**: its code and reference files, and the
  versions of the packages that draw and compute.

Rows of periods after P are never read, so importing a new half-year leaves
earlier reports alone. The footer of a report shows the digest of its data
parts (:func:`data_digest`), so a reader can match a file with the manifest.
Whether these parts are all a report reads is checked by a test that renders
reports before and after corrections of each kind and compares.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from khanalytics import catalogue
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.periods import Period
from khanalytics.report.params import ReportParams

DATA_PARTS = ("own_rows", "shared_rows", "published")
"""The parts that come from the store (the footer's digest is theirs)."""
PARTS = (*DATA_PARTS, "notebook", "parameters", "library")
"""Every part, in the order reasons are given."""

PART_LABELS: dict[str, tuple[str, str]] = {
    "own_rows": ("số liệu của chính đơn vị", "the unit's own figures"),
    "shared_rows": ("số liệu dùng chung (cả nước, xếp hạng, bản đồ)", "shared figures (country, rankings, maps)"),
    "published": ("số liệu đã công bố", "the published record"),
    "notebook": ("notebook", "the notebook"),
    "parameters": ("tham số", "the parameters"),
    "library": ("thư viện khanalytics", "the khanalytics library"),
}
"""Each part named for a reason shown to people, in Vietnamese and English."""

_ROW_KEY = ["edition", "code", "period", "element"]
_BOOKKEEPING = ("imported_at", "import_id")  # when and under which number a row was stored: shown nowhere
_SHARED_COLUMNS = ["edition", "code", "period", "element", "value", "kind"]
_LIBRARY_SUFFIXES = (".py", ".j2", ".css", ".js", ".json", ".yaml", ".yml", ".csv", ".geojson", ".topojson", ".txt",
                     ".gz")
_DRAWING_PACKAGES = ("pandas", "numpy", "plotly", "babel", "jinja2", "markdown-it-py", "openpyxl", "shapely")


@dataclass(frozen=True)
class Inputs:
    """The digests of what decides one report, by part (:data:`PARTS`)."""

    parts: Mapping[str, str]

    @property
    def digest(self) -> str:
        """One digest of every part."""
        return _digest_text(json.dumps(dict(sorted(self.parts.items()))))

    def changed(self, before: Mapping[str, str] | None) -> list[str]:
        """The parts that differ from ``before`` (a manifest's record), in :data:`PARTS` order; every part when
        there is no record."""
        if not before:
            return list(PARTS)
        return [p for p in PARTS if before.get(p) != self.parts.get(p)]


def describe(parts: Iterable[str], lang: str = "vi") -> str:
    """The changed parts as words for people ("số liệu của chính đơn vị, thư viện khanalytics")."""
    i = 1 if lang == "en" else 0
    return ", ".join(PART_LABELS[p][i] for p in parts)


# --- the parts --------------------------------------------------------------------------------------------------


def _digest_text(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of the frame's values (columns by name, bookkeeping left out)."""
    columns = sorted(c for c in frame.columns if c not in _BOOKKEEPING)
    return pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()


def _set_digest(hashes: np.ndarray, *extra: str) -> str:
    """A digest of a set of row hashes (their order does not matter) and some words."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.sort(hashes).tobytes())
    for text in extra:
        digest.update(b"|" + text.encode())
    return digest.hexdigest()


@dataclass
class StoreView:
    """A store's frames as the digests need them, prepared once for a whole batch of reports: every row hashed
    once, then each report's digest made of the hashes of its rows."""

    obs: pd.DataFrame
    flags: pd.DataFrame
    imports: pd.DataFrame
    published: str  # the published record's digest
    _hashes: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _earlier: dict[tuple[str, Period], np.ndarray] = field(default_factory=dict, repr=False)
    _shared: dict[tuple, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, obs: pd.DataFrame, flags: pd.DataFrame, imports: pd.DataFrame, record: pd.DataFrame) -> StoreView:
        """The view of a store's frames (and its published record)."""
        return cls(obs.reset_index(drop=True), flags.reset_index(drop=True), imports,
                   _set_digest(_row_hashes(record)))

    def hashes(self, name: str) -> np.ndarray:
        """The row hashes of ``obs`` or ``flags``."""
        if name not in self._hashes:
            self._hashes[name] = _row_hashes(getattr(self, name))
        return self._hashes[name]

    def earlier(self, name: str, period: Period) -> np.ndarray:
        """Which rows of ``obs`` or ``flags`` are of ``period`` or earlier (a boolean mask)."""
        key = (name, period)
        if key not in self._earlier:
            frame = getattr(self, name)
            if frame.empty:
                self._earlier[key] = np.zeros(0, dtype=bool)
            else:
                codes = frame["period"].astype(str)
                earlier = [c for c in codes.unique() if Period.parse(c) <= period]
                self._earlier[key] = codes.isin(earlier).to_numpy()
        return self._earlier[key]

    def shared(self, period: Period, indicators: tuple[str, ...]) -> str:
        """The shared rows' digest (computed once per period and set of indicators)."""
        key = (period, indicators)
        if key not in self._shared:
            rows = self.obs[self.earlier("obs", period)]
            shared = rows[rows["element"].isin(shared_elements(indicators))][_SHARED_COLUMNS]
            recent = rows[rows["period"].isin({period.code, period.same_period_last_year().code})]
            synthetic = bool((recent["kind"] == "synthetic").any())  # the first screen's notice
            self._shared[key] = _set_digest(_row_hashes(shared), json.dumps(synthetic))
        return self._shared[key]


def own_codes(params: ReportParams) -> dict[str, set[str]] | None:
    """The province codes whose rows are the report's own, by map; None for the national report (every row)."""
    ed = params.edition
    if params.kind == "national":
        return None
    if params.kind == "province":
        codes = {geo.resolve_province(params.province, edition=ed)}
    else:
        group = clu.load_clusters().get(params.cluster)
        codes = set()
        for membership in group.memberships:
            if membership.edition == ed and membership.valid_from <= params.period.end:
                codes.update(membership.members)
    other = "2025" if ed == "2008" else "2008"
    across = {old for new in codes for old in geo.parts(new)} if ed == "2025" else {geo.successor(c) for c in codes}
    return {ed: codes, other: across}


def _mask_of(frame: pd.DataFrame, codes: dict[str, set[str]] | None) -> np.ndarray:
    """Which rows of ``frame`` are of the provinces ``codes`` (by map); every row when None."""
    if codes is None or frame.empty:
        return np.ones(len(frame), dtype=bool)
    edition, code = frame["edition"].astype(str), frame["code"].astype(str)
    keep = np.zeros(len(frame), dtype=bool)
    for ed, wanted in codes.items():
        keep |= ((edition == ed) & code.isin(wanted)).to_numpy()
    return keep


def shared_elements(indicators: Iterable[str]) -> tuple[str, ...]:
    """The elements behind the indicators reports compare with the country, rank or map: ``indicators`` (the
    report's), every learning title's, every indicator with a target, and members per population."""
    from khanalytics.analysis.measures import measure
    from khanalytics.targets import load_targets

    codes = {*indicators, "membership_rate"}
    for title in catalogue.titles().values():
        codes.update(c for c in (title.recognition_indicator, title.registration_indicator) if c)
    codes.update(str(c) for c in load_targets()["indicator"].unique())
    elements = {"members", "population"}
    for code in codes:
        elements.update(measure(code).inputs)
    return tuple(sorted(elements))


def _own_rows(params: ReportParams, view: StoreView) -> np.ndarray:
    """Which rows of the store are the report's own (a boolean mask over ``view.obs``)."""
    return view.earlier("obs", params.period) & _mask_of(view.obs, own_codes(params))


def own_file_names(params: ReportParams, view: StoreView) -> set[str]:
    """The files the report's own rows came from (their latest import dates the report's downloads)."""
    if "file_name" not in view.obs:
        return set()
    return set(view.obs.loc[_own_rows(params, view), "file_name"].dropna().astype(str))


def own_rows_digest(params: ReportParams, view: StoreView) -> str:
    """The report's own rows, the imports they came from and their flags, up to the report's period."""
    rows = _own_rows(params, view)
    flags = view.earlier("flags", params.period) & _mask_of(view.flags, own_codes(params)) if len(view.flags) \
        else rows[:0]
    imports = view.imports
    files = imports[imports["file_name"].isin(own_file_names(params, view))] if "file_name" in imports else imports
    files = files[[c for c in ("file_name", "sha256", "kind", "source", "note", "imported_at") if c in files.columns]]
    return _set_digest(view.hashes("obs")[rows], _set_digest(view.hashes("flags")[flags] if len(flags) else
                                                             np.zeros(0, dtype="uint64")),
                       _set_digest(_row_hashes(files)))


@cache
def library_digest() -> str:
    """The package's code and reference files, and the versions of the packages that compute and draw."""
    from importlib import metadata

    from khanalytics import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    digest.update(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in _LIBRARY_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    for name in _DRAWING_PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


def parameters_digest(parameters: Mapping[str, object]) -> str:
    """The notebook's parameters, less the store's path."""
    kept = {k: v for k, v in parameters.items() if k != "store"}
    return _digest_text(json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str))


def data_parts(params: ReportParams, view: StoreView) -> dict[str, str]:
    """The digests of the parts that come from the store (:data:`DATA_PARTS`)."""
    return {"own_rows": own_rows_digest(params, view), "shared_rows": view.shared(params.period, params.indicators),
            "published": view.published}


def data_digest(parts: Mapping[str, str]) -> str:
    """One digest of the data parts: what a report's footer shows."""
    return _digest_text(json.dumps({p: parts[p] for p in DATA_PARTS}))


def report_inputs(params: ReportParams, parameters: Mapping[str, object], notebook: Path, view: StoreView) -> Inputs:
    """Every part of one report's inputs."""
    parts = data_parts(params, view)
    parts |= {"notebook": hashlib.blake2b(notebook.read_bytes(), digest_size=16).hexdigest(),
              "parameters": parameters_digest(parameters), "library": library_digest()}
    return Inputs(parts)
