"""Where every number of a report comes from: aggregates, comparisons, ranks, targets, harmonisation.

Functions take the observation frame of ``Store.observations()`` (columns
edition, code, period, element, value, and ``kind`` when provenance is on)
and return new frames. Nothing is remembered by where a frame lives: the last
province tables are kept by the *content* of the frame they came from (a
report asks for the same ones many times), so a frame edited in place gives
new results, and a result you edit changes nothing here. Three rules hold
everywhere:

- An aggregate is a ratio of sums over the members that reported every part
  of the formula, never a mean of provincial rates. It says how many members
  it covers and how much of their population, and it is empty (NaN, with the
  reason in Vietnamese and English) when that falls below a threshold.
- Every result names the map it is on: an ``edition`` column, and
  ``attrs["edition"]`` (``geography.edition_of``) when it is on one map. A
  2008-map series is re-expressed on the 2025 map by summing the old
  provinces of each new one (a new province counts only when all its parts
  reported); a 2025 value goes back to the 2008 map only for the eleven
  provinces the reform left whole. A frame that declares one map is refused
  (``geography.EditionMismatchError``) where the other map is asked for:
  harmonise it first.
- A figure keeps its origin: any synthetic input makes the result synthetic.

The rooms, each one job:

- ``observations``: reading the store, the one normalised shape, periods parsed once
- ``measures``: indicators and counts, change, coverage thresholds
- ``groups``: provinces, lists, clusters, regions, the country, and their members on either map
- ``harmonise``: the 63 → 34 crosswalk both ways
- ``values``: every province's value on one map
- ``aggregates``: a group's ratio of sums with coverage
- ``comparisons``: cùng kỳ, the gap to the country, ranks, trend
- ``targets``: the decisions' targets a group is judged against
- ``scorecard``: provinces × indicators
- ``titles``: the learning titles over time, recognised and registered, and the targets ahead
- ``quality``: the store's flags that concern a group
- ``lookups``: reference dicts built once (internal)
"""

from khanalytics.analysis.aggregates import AGGREGATE_COLUMNS, aggregate
from khanalytics.analysis.comparisons import COMPARE_COLUMNS, RANK_COLUMNS, compare, ranks, trend
from khanalytics.analysis.groups import (
    TERRITORY_COLUMNS,
    Group,
    as_group,
    cluster,
    country,
    members_on,
    province,
    province_list,
    region,
    territory_note,
)
from khanalytics.analysis.harmonise import HARMONISED_COLUMNS, harmonise
from khanalytics.analysis.measures import DEFAULT_THRESHOLDS, Measure, Threshold, change, measure
from khanalytics.analysis.observations import KEY, AnalysisError, load_flags, load_observations
from khanalytics.analysis.quality import quality_flags
from khanalytics.analysis.scorecard import DEFAULT_INDICATORS, SCORECARD_COLUMNS, scorecard
from khanalytics.analysis.targets import TARGET_COLUMNS, applicable_targets, evaluate_targets
from khanalytics.analysis.titles import TITLE_TARGET_COLUMNS, decision_short, title_targets, title_trends
from khanalytics.analysis.values import province_values

__all__ = [
    "AGGREGATE_COLUMNS",
    "COMPARE_COLUMNS",
    "DEFAULT_INDICATORS",
    "DEFAULT_THRESHOLDS",
    "HARMONISED_COLUMNS",
    "KEY",
    "RANK_COLUMNS",
    "SCORECARD_COLUMNS",
    "TARGET_COLUMNS",
    "TERRITORY_COLUMNS",
    "TITLE_TARGET_COLUMNS",
    "AnalysisError",
    "Group",
    "Measure",
    "Threshold",
    "aggregate",
    "applicable_targets",
    "as_group",
    "change",
    "cluster",
    "compare",
    "country",
    "decision_short",
    "evaluate_targets",
    "harmonise",
    "load_flags",
    "load_observations",
    "measure",
    "members_on",
    "province",
    "province_list",
    "province_values",
    "quality_flags",
    "ranks",
    "region",
    "scorecard",
    "territory_note",
    "title_targets",
    "title_trends",
    "trend",
]
