"""The learning titles over time: each title's recognised and registered rates for a group and the country,
and the targets still ahead of a period, labelled by their decision ("QĐ 281", "QĐ 387", "Hội 2021–2026").

One call feeds the title dashboard (``figures.title_dashboard``): a leader sees, per title, whether the
group climbs towards the target and how far registration runs ahead of recognition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from khanalytics import catalogue
from khanalytics.analysis.aggregates import aggregate
from khanalytics.analysis.groups import as_group, country
from khanalytics.analysis.measures import Threshold
from khanalytics.analysis.observations import AnalysisError, map_of, mark
from khanalytics.analysis.targets import applicable_targets
from khanalytics.periods import Period, half_year

MEASURES = ("recognised", "registered")
"""What a title's rate counts: the units recognised (đạt danh hiệu) or registered (đăng ký) per total."""
TITLE_TREND_EXTRA = ["title", "title_label", "title_label_en", "measure"]
"""Columns ``title_trends`` adds to the aggregate's."""
TITLE_TARGET_COLUMNS = ["title", "indicator", "decision_id", "decision", "label", "label_en", "year", "value",
                        "confidence", "source"]
"""The columns of ``title_targets``."""
FIRST_YEAR = 2009
"""No half-year before the 2008 map (Hà Tây joined Hà Nội on 1/8/2008) enters a trend."""


def _titles(titles: Sequence[str] | None) -> list[catalogue.Title]:
    known = catalogue.titles()
    codes = list(titles) if titles is not None else list(known)
    if not codes:
        raise AnalysisError("Danh sách danh hiệu rỗng", "empty list of titles", rule="no_titles")
    return [catalogue.title(c) for c in codes]


def _window(period: Period, last: int) -> list[Period]:
    seq = [period]
    while len(seq) < last and seq[0].previous().year >= FIRST_YEAR:
        seq.insert(0, seq[0].previous())
    return seq


def title_trends(
    obs: pd.DataFrame,
    group: object,
    period: str | Period,
    *,
    last: int = 10,
    titles: Sequence[str] | None = None,
    edition: str | None = None,
    threshold: Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Each title's recognised and registered rate for ``group`` and the country over the ``last`` half-years.

    All on one map (``edition``, else the map of ``period``), so that a cluster across the 2025 reform is
    one territory; leading half-years where nothing was reported are dropped. A row per (group, title,
    measure, period): the columns of ``aggregate`` plus ``title`` (families, clans…), ``title_label``
    / ``title_label_en`` and ``measure`` ("recognised" or "registered"). The country's rows come second
    (once, when the group is the country).
    """
    p = half_year(period)
    ed = map_of(p, edition)
    picked = _titles(titles)
    codes: list[str] = []
    about: dict[str, tuple[catalogue.Title, str]] = {}
    for title in picked:
        for kind, code in zip(MEASURES, (title.recognition_indicator, title.registration_indicator), strict=True):
            if code:
                codes.append(code)
                about[code] = (title, kind)
    periods = [q.code for q in _window(p, last)]
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    groups = [g] if g.kind == "country" else [g, country()]
    frames = [aggregate(obs, codes, one, periods, edition=ed, threshold=threshold, clusters_path=clusters_path)
              for one in groups]
    out = pd.concat(frames, ignore_index=True)
    out["title"] = [about[c][0].code for c in out["indicator"]]
    out["title_label"] = [about[c][0].label("vi") for c in out["indicator"]]
    out["title_label_en"] = [about[c][0].label("en") for c in out["indicator"]]
    out["measure"] = [about[c][1] for c in out["indicator"]]
    seen = out.loc[out["value"].notna(), "period"]
    if len(seen):  # start where the first value is
        first = min(Period.parse(q) for q in seen)
        out = out[[Period.parse(q) >= first for q in out["period"]]]
    return mark(out.reset_index(drop=True), ed)


def decision_short(decision: str, issuer_en: str = "", lang: str = "vi") -> str:
    """A decision as a chart label: "QĐ 281" / "Decision 281"; the association's own targets "Hội 2021–2026"."""
    number = re.match(r"\s*(\d+)\s*/\s*QĐ", decision)
    if number:
        return f"QĐ {number.group(1)}" if lang != "en" else f"Decision {number.group(1)}"
    span = re.search(r"(\d{4})\s*[–-]\s*(\d{4})", decision)
    if span and "association" in issuer_en.lower():
        return (f"Hội {span.group(1)}–{span.group(2)}" if lang != "en"
                else f"Association {span.group(1)}–{span.group(2)}")
    return decision


def title_targets(
    period: str | Period,
    *,
    titles: Sequence[str] | None = None,
    targets: pd.DataFrame | None = None,
    scope: str = "general",
) -> pd.DataFrame:
    """The targets that apply to the titles at ``period``: every one issued by then whose year is still ahead
    (at or after the period's year), else the latest one that expired; one row per (title, target).

    ``label`` / ``label_en`` name the decision shortly ("QĐ 281", "Hội 2021–2026"). Columns:
    ``TITLE_TARGET_COLUMNS``.
    """
    p = half_year(period)
    picked = {t.recognition_indicator: t.code for t in _titles(titles) if t.recognition_indicator}
    every = applicable_targets(p, indicators=list(picked), targets=targets, scope=scope, which="all")
    rows = []
    for code, found in every.groupby("indicator", sort=False):
        ahead = found[found["year"] >= p.year]
        keep = ahead if len(ahead) else found[found["year"] == found["year"].max()]
        for r in keep.sort_values(["year", "decision_id"]).itertuples():
            rows.append({"title": picked[str(code)], "indicator": code, "decision_id": r.decision_id,
                         "decision": r.decision, "label": decision_short(r.decision, r.issuer_en, "vi"),
                         "label_en": decision_short(r.decision, r.issuer_en, "en"), "year": int(r.year),
                         "value": float(r.value), "confidence": r.confidence, "source": r.source})
    order = {c: i for i, c in enumerate(picked.values())}
    out = pd.DataFrame(rows, columns=TITLE_TARGET_COLUMNS)
    return out.sort_values("title", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
