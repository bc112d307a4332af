"""A report's parameters, parsed once at the entry and carried typed.

The notebooks, the factory and the command line all turn what they are given
(strings from papermill, a command line or a hand-edited cell) into one
``ReportParams`` here; nothing downstream parses a period or asks whether the
edition is "auto" again. Bad values stop with the valid choices, in both
languages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from khanalytics import catalogue
from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.errors import ParameterError
from khanalytics.periods import Period, PeriodError, half_year
from khanalytics.store import DEFAULT_PATH as DEFAULT_STORE

Kind = Literal["national", "cluster", "province", "explore"]
KINDS: tuple[Kind, ...] = ("national", "cluster", "province")
"""The kinds of report the factory renders (``explore`` is the analysts' notebook, never rendered)."""
DEFAULT_INDICATORS = ("membership_rate", "learning_families_rate", "learning_clans_rate",
                      "learning_communities_rate", "learning_units_rate", "learning_citizens_rate")
PARAMETERS: dict[str, tuple[str, ...]] = {
    "cluster": ("cluster", "period", "edition", "lang", "store", "indicators"),
    "province": ("province", "period", "edition", "lang", "store", "indicators"),
    "national": ("period", "edition", "lang", "store", "indicators"),
    "explore": ("period", "store"),
}
"""The names each notebook declares in its ``parameters`` cell."""


@dataclass(frozen=True)
class ReportParams:
    """Everything that decides one report, typed: the same object whether papermill, the CLI or a person made it.

    ``edition`` is the map the report is drawn on (always resolved); ``requested_edition`` is None when the
    caller left it to the period ("auto"), which is what analysis calls expect.
    """

    kind: Kind
    period: Period
    edition: geo.Edition
    requested_edition: geo.Edition | None = None
    lang: Literal["vi", "en"] = "vi"
    store: Path = DEFAULT_STORE
    indicators: tuple[str, ...] = DEFAULT_INDICATORS
    cluster: str | None = None
    province: str | None = None

    @property
    def edition_choice(self) -> str:
        """"auto" or the edition asked for, as a notebook parameter says it."""
        return self.requested_edition or "auto"

    def notebook_parameters(self) -> dict[str, Any]:
        """The plain values papermill injects into the notebook (it can only carry JSON-like values)."""
        out: dict[str, Any] = {"period": self.period.code, "edition": self.edition_choice, "lang": self.lang,
                               "store": str(self.store)}
        if self.kind == "cluster":
            out["cluster"] = self.cluster
        if self.kind == "province":
            out["province"] = self.province
        if self.indicators != DEFAULT_INDICATORS:
            out["indicators"] = list(self.indicators)
        return out


def _texts(err: Exception) -> tuple[str, str]:
    """(Vietnamese, English) of an error of the family; the plain text twice for any other."""
    return getattr(err, "vi", str(err)), getattr(err, "en", str(err))


def parse_period(value: object) -> Period:
    """A half-year period; a year or a bad string stops with the way out (the year rule of ``periods.half_year``)."""
    try:
        return half_year(value)  # type: ignore[arg-type]
    except PeriodError as err:
        raise ParameterError(*_texts(err), parameter="period", value=value) from None


def parse_edition(value: object, period: Period) -> tuple[geo.Edition, geo.Edition | None]:
    """(the map to draw on, the map asked for or None for "auto")."""
    text = "auto" if value in (None, "") else str(value)
    if text == "auto":
        return geo.edition_for(period), None
    if text not in geo.EDITIONS:
        raise ParameterError(f"edition={value!r}: chọn auto, 2008 hoặc 2025.",
                             f"edition={value!r}: choose auto, 2008 or 2025.", parameter="edition", value=value)
    return text, text  # type: ignore[return-value]


def parse_lang(value: object) -> Literal["vi", "en"]:
    """'vi' (the default) or 'en'."""
    lang = value or "vi"
    if lang not in ("vi", "en"):
        raise ParameterError(f"lang={lang!r}: chọn 'vi' hoặc 'en'.", f"lang={lang!r}: choose 'vi' or 'en'.",
                             parameter="lang", value=lang)
    return lang  # type: ignore[return-value]


def parse_indicators(value: object) -> tuple[str, ...]:
    """Indicator codes from a list or a comma-separated string; unknown codes stop with the valid ones."""
    if not value:
        return DEFAULT_INDICATORS
    items: Iterable[object] = value.split(",") if isinstance(value, str) else value  # type: ignore[assignment]
    codes = tuple(str(s).strip() for s in items if str(s).strip())
    for code in codes:
        catalogue.indicator(code)  # raises CatalogueError listing the valid codes
    return codes


def parse_cluster(value: object) -> str:
    """The slug of a cluster given by number, Roman numeral, slug or name."""
    try:
        return clu.load_clusters().get(value if value is not None else "dong-bac").slug  # type: ignore[arg-type]
    except clu.ClusterError as err:
        raise ParameterError(*_texts(err), parameter="cluster", value=value) from None


def parse_province(value: object, edition: geo.Edition) -> str:
    """The province's code on the report's map; the message lists every province of that map."""
    try:
        return geo.resolve_province(value, edition=edition)
    except geo.ProvinceNameError as err:
        valid = ", ".join(f"{r.code} {r.name_vi}" for r in geo.provinces(edition).itertuples())
        vi, en = _texts(err)
        raise ParameterError(f"{vi} Các tỉnh: {valid}", f"{en} Provinces: {valid}",
                             parameter="province", value=value) from None


def make_params(kind: str, *, period: object, edition: object = "auto", lang: object = "vi",
                store: object = None, indicators: object = None, cluster: object = None,
                province: object = None) -> ReportParams:
    """Parse and check every value of one report (each value once)."""
    if kind not in KINDS:
        raise ParameterError(f"Loại báo cáo không hợp lệ {kind!r}; chọn một trong {', '.join(KINDS)}.",
                             f"Unknown report kind {kind!r}; choose one of {', '.join(KINDS)}.",
                             parameter="kind", value=kind)
    lang_ = parse_lang(lang)
    p = parse_period(period)
    map_edition, requested = parse_edition(edition, p)
    return ReportParams(
        kind=kind,  # type: ignore[arg-type]
        period=p, edition=map_edition, requested_edition=requested, lang=lang_,
        store=Path(str(store)) if store else DEFAULT_STORE,
        indicators=parse_indicators(indicators),
        cluster=parse_cluster(cluster) if kind == "cluster" else None,
        province=parse_province(province, map_edition) if kind == "province" else None,
    )


def injected_names(namespace: Mapping[str, Any]) -> set[str]:
    """The parameter names given to this run.

    In a kernel: the names assigned in papermill's injected "# Parameters" cell, read back from IPython's
    input history (so that re-running a notebook by hand, with its own variables around, is not refused).
    Outside IPython (a plain dict): every public, non-callable name.
    """
    history = namespace.get("In")
    if isinstance(history, list):
        names: set[str] = set()
        for source in history:
            if isinstance(source, str) and source.lstrip().startswith("# Parameters"):
                try:
                    tree = ast.parse(source)
                except SyntaxError:
                    continue
                names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                         if isinstance(t, ast.Name)}
        return names
    return {k for k in namespace if not k.startswith("_") and not callable(namespace[k])
            and type(namespace[k]).__name__ != "module"}


def parameters(namespace: Mapping[str, Any], kind: str) -> ReportParams:
    """The validated parameters of a report notebook, from its globals (``parameters(globals(), "cluster")``).

    Stops with ParameterError on an unknown name, cluster, province, period, edition, language or
    indicator, listing what is valid.
    """
    allowed = PARAMETERS.get(kind)
    if allowed is None:
        raise ParameterError(f"Loại sổ không hợp lệ {kind!r}; chọn một trong {', '.join(PARAMETERS)}.",
                             f"Unknown notebook kind {kind!r}; choose one of {', '.join(PARAMETERS)}.",
                             parameter="kind", value=kind)
    unknown = sorted(injected_names(namespace) - set(allowed))
    if unknown:
        raise ParameterError(f"Tham số không hợp lệ: {', '.join(unknown)}. Hợp lệ: {', '.join(allowed)}",
                             f"Unknown parameter(s): {', '.join(unknown)}. Valid: {', '.join(allowed)}",
                             parameter=", ".join(unknown))
    given = {k: namespace.get(k) for k in allowed}
    if kind == "explore":
        period = parse_period(given["period"])
        return ReportParams("explore", period, geo.edition_for(period), store=Path(str(given.get("store") or
                                                                                         DEFAULT_STORE)))
    return make_params(kind, **given)


def resolve_store(path: str | Path) -> Path:
    """The store file; a relative path is also looked up from the parent folders (a notebook opened in
    notebooks/ names the store from the repository root)."""
    p = Path(path)
    if not p.exists() and not p.is_absolute():
        p = next((q / path for q in Path.cwd().parents if (q / path).exists()), p)
    if not p.exists():
        raise ParameterError(f"Không có kho dữ liệu {p}: chạy `khanalytics import …` trước.",
                             f"No store at {p}: run `khanalytics import …` first.", rule="no_store", file=p)
    return p
