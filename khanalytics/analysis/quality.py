"""The store's quality flags that concern a group at a period, for a report's caveats."""

from __future__ import annotations

import pandas as pd

from khanalytics.analysis import lookups as lk
from khanalytics.analysis.groups import as_group, members_on
from khanalytics.analysis.observations import map_of
from khanalytics.periods import Period, half_year


def quality_flags(flags: pd.DataFrame | None, group: object, period: str | Period, *,
                  edition: str | None = None) -> pd.DataFrame:
    """The store's quality flags (Store.flags()) that concern a group's members at a period.

    On the 2025 map a merged province's flags are those of its old parts.
    """
    if flags is None or flags.empty:
        return pd.DataFrame(columns=[] if flags is None else flags.columns)
    p = half_year(period)
    ed = map_of(p, edition)
    g = as_group(group, edition=ed)
    codes, _, _ = members_on(g, ed, p)
    wanted = {(ed, c) for c in codes}
    if ed == "2025":
        wanted |= {("2008", part) for c in codes for part in lk.parts(c)}
    keep = [(str(e), str(c)) in wanted and str(q) == p.code
            for e, c, q in zip(flags["edition"], flags["code"], flags["period"], strict=True)]
    return flags[keep].reset_index(drop=True)
