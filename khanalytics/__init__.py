"""khanalytics: numbers, maps and reports for Hội Khuyến học Việt Nam.

Data flows one way, and the package is laid out the same way:

    read → validate → store → analyse → draw → report

- reference: ``periods`` (half-years), ``geography`` (both maps, name resolution, the edition carried
  by frames), ``clusters``, ``catalogue`` (data elements and indicators), ``population``, ``targets``,
  ``boundaries``
- read: ``io`` (provincial workbooks and CSV, the Excel template)
- validate: ``validate`` (errors reject a file, quality rules flag a value), ``diagnostics`` (Issue)
- store: ``store`` (DuckDB, provenance and revisions)
- analyse: ``analysis`` (groups, ratio-of-sums aggregates, harmonisation 63→34, ranks, targets, scorecard),
  ``narrative`` (the sentences leaders read)
- draw: ``figures`` (classes, geometry, maps, charts, cards, theme), ``formatting`` (Vietnamese numbers)
- report: ``report`` (parameters, sections, templates, papermill factory, export, index)
- around them: ``errors`` (one family, Vietnamese and English), ``text`` (the one text fold), ``cli``

The names below are the curated public API (``khanalytics.compare(...)``); each is loaded on first use,
so ``import khanalytics`` stays light.
"""

from importlib.metadata import PackageNotFoundError, version

from khanalytics._lazy import lazy_names

try:
    __version__ = version("khanalytics")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

_PUBLIC: dict[str, str] = {
    # errors and text
    "KhanalyticsError": "khanalytics.errors",
    "ParameterError": "khanalytics.errors",
    # reference
    "Period": "khanalytics.periods",
    "provinces": "khanalytics.geography",
    "resolve_province": "khanalytics.geography",
    "resolve_provinces": "khanalytics.geography",
    "edition_for": "khanalytics.geography",
    "edition_of": "khanalytics.geography",
    "with_edition": "khanalytics.geography",
    "EditionMismatchError": "khanalytics.geography",
    "load_clusters": "khanalytics.clusters",
    "members": "khanalytics.clusters",
    "cluster_of": "khanalytics.clusters",
    "official_population": "khanalytics.population",
    # store
    "Store": "khanalytics.store",
    # analyse
    "load_observations": "khanalytics.analysis",
    "province_values": "khanalytics.analysis",
    "aggregate": "khanalytics.analysis",
    "compare": "khanalytics.analysis",
    "ranks": "khanalytics.analysis",
    "harmonise": "khanalytics.analysis",
    "scorecard": "khanalytics.analysis",
    "evaluate_targets": "khanalytics.analysis",
    # draw
    "choropleth": "khanalytics.figures",
    "trend": "khanalytics.figures",
    "ranked_bar": "khanalytics.figures",
    # report
    "open_report": "khanalytics.report",
    "render_all": "khanalytics.report",
}

__all__ = ["__version__", *sorted(_PUBLIC)]


__getattr__, __dir__ = lazy_names(globals(), _PUBLIC)
