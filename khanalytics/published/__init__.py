"""The published record: real figures that articles and the association printed, with their sources.

They sit beside the reported observations in the store, never among them, and
disagreements (with each other, with the official population, with what
provinces reported) are findings to show, not errors to hide.

- ``asof``: the date a figure holds, as precisely as the text gives it, and the half-year report it meets;
- ``units``: the unit as written and as resolved (a province on the map of its date, a cluster, the country);
- ``values``: a value with its qualifier as a range, written back as the article did ("hơn 755.000");
- ``record``: reading a CSV or xlsx of the record's columns into typed rows, refusing malformed ones;
- ``store``: the record's own tables in the store's DuckDB file, one transaction per import, revisions;
- ``checks``: the consistency flags, each naming both sides;
- ``query``: one unit's record, as the command and the reports show it.
"""

from khanalytics.published.asof import PRE_2008, AsOf, AsOfError, parse_asof
from khanalytics.published.checks import FLAG_COLUMNS, RULES, consistency_flags, flags_for
from khanalytics.published.query import UnitRecord, find_unit, unit_record, write_unit_xlsx
from khanalytics.published.record import (
    COLUMNS,
    REQUIRED,
    PublishedFileError,
    PublishedReading,
    PublishedRow,
    is_published_file,
    read_published,
    record_frame,
)
from khanalytics.published.store import (
    PublishedImportResult,
    PublishedStoreError,
    demo_record_path,
    import_demo_record,
    import_published,
    load_published,
    published_frame,
    published_hash,
)
from khanalytics.published.units import Unit, UnitError
from khanalytics.published.values import bounds, value_text

__all__ = [
    "COLUMNS", "FLAG_COLUMNS", "PRE_2008", "REQUIRED", "RULES",
    "AsOf", "AsOfError", "PublishedFileError", "PublishedImportResult", "PublishedReading", "PublishedRow",
    "PublishedStoreError", "Unit", "UnitError", "UnitRecord",
    "bounds", "consistency_flags", "demo_record_path", "find_unit", "flags_for", "import_demo_record",
    "import_published", "is_published_file", "load_published", "parse_asof", "published_frame", "published_hash",
    "read_published", "record_frame", "unit_record", "value_text", "write_unit_xlsx",
]  # fmt: skip
