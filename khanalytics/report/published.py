"""The published record in the reports: real figures with their sources, beside the reported ones.

Three sections, each a function of a :class:`khanalytics.report.sections.Report` returning a ``Section``:

- :func:`published_beside`: the figures published for the report's unit whose date meets the report's
  half-year (a year's figure meets its H2), each with its qualifier ("hơn 755.000"), the stored value
  beside it, a link to its source and the quote, and whether the two disagree;
- :func:`published_record`: for a province profile, a timeline of the province's published members and
  rates (each point numbered; hover gives the source; a table links every number to its article) and the
  contradictions found in the record;
- :func:`national_series`: the country's published member totals, 1996 to 2025, drawn as published
  figures (never as synthetic ones), with every source.

:func:`cluster_notice` says, for the first screen, when the report's cluster membership is a default
that no source confirms. HTML comes only from ``templates/fragments.html.j2`` (autoescaped); a link is
made only from an http(s) address.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.figures import theme as th
from khanalytics.figures._common import t as plotly_text
from khanalytics.figures.layout import finish
from khanalytics.formatting import fmt_number
from khanalytics.published.asof import PRE_2008, asof_of
from khanalytics.published.checks import consistency_flags, flags_for, reported_differs, reported_value
from khanalytics.published.store import load_published
from khanalytics.published.values import (
    domain,
    indicator_label,
    is_money,
    is_percent,
    row_value_text,
    safe_link,
    value_text,
)
from khanalytics.report.inputs import file_signature
from khanalytics.report.pages import fragment
from khanalytics.report.params import resolve_store
from khanalytics.report.section import Section

if TYPE_CHECKING:
    from khanalytics.report.sections import Report

_W = {
    "beside": ("Số liệu đã công bố", "Published figures"),
    "record": ("Số liệu đã công bố qua các năm", "The published record"),
    "national": ("Hội viên cả nước qua các năm (số liệu đã công bố)", "Members nationwide over the years (published)"),
    "none": ("Không có số liệu công bố nào cho đơn vị và kỳ này.",
             "No published figure for this unit and period."),
    "none_record": ("Chưa có số liệu công bố nào của tỉnh này trong kho.",
                    "The store holds no published figure for this province."),
    "mark": ("SỐ LIỆU ĐÃ CÔNG BỐ (báo chí, Hội Khuyến học), không phải số liệu minh hoạ: mỗi điểm kèm nguồn.",
             "PUBLISHED FIGURES (press, the association), not synthetic data: every point has its source."),
    "agree": ("khớp", "agrees"),
    "differ": ("KHÁC số trong kho", "DIFFERS from the store"),
    "nothing": ("không có số trong kho", "nothing stored"),
    "members": ("Hội viên", "Members"),
    "rate": ("Tỉ lệ hội viên/dân số (%)", "Members per population (%)"),
    "contradictions": ("Mâu thuẫn trong số liệu công bố", "Contradictions in the published record"),
    "no_contradictions": ("Không thấy mâu thuẫn trong số liệu công bố của đơn vị này.",
                          "No contradiction found in this unit's published record."),
}


def _t(key: str, lang: str) -> str:
    vi, en = _W[key]
    return en if lang == "en" else vi


@lru_cache(maxsize=4)
def _record(signature: tuple[str, int, int]) -> pd.DataFrame:
    return load_published(signature[0])


def report_record(report: Report) -> pd.DataFrame:
    """The current published record of the report's store (read once per file version; a copy)."""
    return _record(file_signature(resolve_store(report.params.store))).copy()


def _territory(edition: str, code: str) -> set[tuple[str, str]]:
    """(map, code) pairs that name the same land as ``code`` on ``edition``'s map (an unchanged province
    keeps its land across the reform; figures before 8/2008 keep the 2008 code)."""
    keys = {(edition, code)}
    if edition == "2008":
        keys.add((PRE_2008, code))
        if geo.successor(code) == code and geo.parts(code) == (code,):
            keys.add(("2025", code))
    elif geo.parts(code) == (code,):
        keys |= {("2008", code), (PRE_2008, code)}
    return keys


def unit_rows(report: Report, record: pd.DataFrame | None = None) -> pd.DataFrame:
    """The record's rows about the report's unit (the country, its cluster, or its province's land)."""
    record = report_record(report) if record is None else record
    if record.empty:
        return record
    if report.kind == "national":
        return record[record["unit_type"] == "national"]
    if report.kind == "cluster":
        slug = clu.load_clusters().get(report.params.cluster).slug
        return record[(record["unit_type"] == "cluster") & (record["code"] == slug)]
    code = report.group.codes[0]
    keys = _territory(report.edition, code)
    pairs = pd.Series(list(zip(record["edition"], record["code"], strict=True)), index=record.index)
    return record[(record["unit_type"] == "province") & pairs.isin(keys)]


def _source_row(row: object, cells: list[str], *, disagree: bool = False) -> dict:
    url = safe_link(row.source_url)  # type: ignore[attr-defined]
    label = row.page_title or domain(row.source_url)  # type: ignore[attr-defined]
    return {"cells": cells, "source": label, "url": url, "quote": row.quote, "disagree": disagree}  # type: ignore[attr-defined]


def published_beside(report: Report, record: pd.DataFrame | None = None) -> Section:
    """The figures published for the report's unit and half-year, each beside the stored value, its source,
    its quote, and whether the two disagree."""
    lang = report.lang
    rows = unit_rows(report, record)
    rows = rows[rows["meets"] == report.period.code] if not rows.empty else rows
    parts: list[Markup | go.Figure] = [fragment("heading", _t("beside", lang), 2)]
    if rows.empty:
        parts.append(fragment("paragraph", _t("none", lang), "kha-subtitle"))
        return Section("published", parts, {})
    en = lang == "en"
    headers = (["Indicator", "Published", "As of", "Stored", "Check", "Source", "Quote"] if en else
               ["Chỉ tiêu", "Đã công bố", "Thời điểm", "Trong kho", "Đối chiếu", "Nguồn", "Trích dẫn"])
    table_rows, data, disagreements = [], [], []
    for row in rows.itertuples(index=False):
        pct = is_percent(row)
        found = reported_value(report.obs, row)
        if found is None:
            stored, verdict, differs = "—", _t("nothing", lang), False
        else:
            value, synthetic = found
            kind = ("synthetic" if en else "minh hoạ") if synthetic else ("reported" if en else "báo cáo")
            stored = f"{value_text(value, '=', percent=pct, money=is_money(row), decimals=2 if pct else 0, lang=lang)} ({kind})"
            differs = reported_differs(row, value)
            verdict = _t("differ" if differs else "agree", lang)
        published = row_value_text(row, lang)
        label = indicator_label(row, lang)
        cells = [label, published, asof_of(row).label(lang), stored, verdict]
        table_rows.append(_source_row(row, cells, disagree=differs))
        if differs:
            disagreements.append(f"{label}: {published} ≠ {stored}")
        data.append({"indicator": row.indicator, "published": row.value, "qualifier": row.qualifier,
                     "period": row.period, "stored": None if found is None else found[0], "differs": differs,
                     "source_url": row.source_url, "quote": row.quote, "file_name": getattr(row, "file_name", None), "row": row.row})
    parts.append(fragment("published_table", headers, table_rows))
    if disagreements:
        lead = ("Số công bố khác số trong kho: " if not en else "Published and stored figures disagree: ")
        parts.append(fragment("notice", lead + "; ".join(disagreements) + "."))
    table = pd.DataFrame(data)
    report.tables["cong_bo" if not en else "published"] = table
    return Section("published", parts, {"cong_bo" if not en else "published": table})


def _timeline(points: pd.DataFrame, series: list[tuple[str, str, str, str]], *, title: str, subtitle: str,
              note: str, lang: str, flagged: set[int] | None = None) -> go.Figure:
    """Published points over real dates, one trace per (catalogue code, name, colour, axis); each point
    numbered as in the table under it, its source and quote in the hover."""
    fig = go.Figure()
    for code, name, colour, axis in series:
        mine = points[points["catalogue_code"] == code]
        if mine.empty:
            continue
        hover = [f"[{n}] {plotly_text(d)}: {plotly_text(v)}<br>{plotly_text(s)}"
                 for n, d, v, s in zip(mine["n"], mine["date_label"], mine["value_label"], mine["site"], strict=True)]
        symbols = ["x" if flagged and n in flagged else "circle" for n in mine["n"]]
        fig.add_trace(go.Scatter(
            x=mine["asof_end"], y=mine["value"], name=plotly_text(name), mode="lines+markers+text",
            text=[f"[{n}]" for n in mine["n"]], textposition="top center", yaxis=axis,
            line=dict(color=colour, width=2), marker=dict(size=9, color=colour, symbol=symbols),
            customdata=list(zip(mine["source_url"], mine["quote"], strict=True)),
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(xaxis=_year_axis(points["asof_end"]), yaxis=dict(title=None, rangemode="tozero", tickformat=",d"),
                      hovermode="closest")
    if any(axis == "y2" for *_, axis in series) and (points["catalogue_code"] == "membership_rate").any():
        fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, 100], ticksuffix=" %",
                                      showgrid=False, title=None))  # a rate on its whole scale, apart from the counts
    return finish(fig, lang=lang, title=title, subtitle=subtitle, note=note, height=460)


def _year_axis(dates: pd.Series) -> dict:
    """A time axis labelled by year (the same in Vietnamese and English), at least three years wide, so that a
    record of one date is not drawn on an axis of milliseconds."""
    when = pd.to_datetime(dates.dropna())
    if when.empty:
        return dict(type="date", title=None)
    first, last = when.min().year, when.max().year
    pad = max(1, (3 - (last - first)) // 2 + 1)
    return dict(type="date", title=None, tickformat="%Y", ticklabelmode="period", dtick="M12" if last - first < 12 else "M24",
                range=[f"{first - pad}-07-01", f"{last + pad}-07-01"])


def _points(rows: pd.DataFrame, codes: tuple[str, ...], lang: str) -> pd.DataFrame:
    """Dated rows of the given catalogue codes, in date order, numbered from 1, with their labels."""
    dated = rows[rows["catalogue_code"].isin(codes) & rows["asof_end"].notna()
                 & ~rows["asof_kind"].isin(["span", "undated"])]
    dated = dated.sort_values(["asof_end", "row"]).reset_index(drop=True)
    dated["n"] = range(1, len(dated) + 1)
    dated["date_label"] = [asof_of(r).label(lang) for r in dated.itertuples(index=False)]
    dated["value_label"] = [row_value_text(r, lang) for r in dated.itertuples(index=False)]
    dated["site"] = [domain(u) for u in dated["source_url"]]
    return dated


def _links(points: pd.DataFrame, lang: str) -> Markup:
    en = lang == "en"
    headers = ["#", "As of", "Indicator", "Value", "Source", "Quote"] if en else \
        ["#", "Thời điểm", "Chỉ tiêu", "Giá trị", "Nguồn", "Trích dẫn"]
    rows = [_source_row(r, [f"[{r.n}]", r.date_label, indicator_label(r, lang), r.value_label])
            for r in points.itertuples(index=False)]
    return fragment("published_table", headers, rows)


def _contradictions(record: pd.DataFrame, rows: pd.DataFrame, lang: str) -> tuple[list[Markup], pd.DataFrame]:
    flags = flags_for(consistency_flags(record), rows) if not rows.empty else pd.DataFrame()
    parts = [fragment("heading", _t("contradictions", lang), 3)]
    if flags.empty:
        parts.append(fragment("paragraph", _t("no_contradictions", lang), "kha-subtitle"))
        return parts, flags
    parts.append(fragment("items", list(flags["message_en" if lang == "en" else "message_vi"])))
    return parts, flags


def published_record(report: Report, record: pd.DataFrame | None = None) -> Section:
    """A province profile's "published record": members and rates over the years, each point linked to its
    article, and the contradictions the checks found."""
    lang = report.lang
    record = report_record(report) if record is None else record
    rows = unit_rows(report, record)
    parts: list[Markup | go.Figure] = [fragment("heading", _t("record", lang), 2)]
    if rows.empty:
        parts.append(fragment("paragraph", _t("none_record", lang), "kha-subtitle"))
        return Section("published_record", parts, {})
    points = _points(rows, ("members", "membership_rate"), lang)
    found, flags = _contradictions(record, rows, lang)
    flagged = set(points.loc[points["row"].isin(set(flags.get("row_a", [])) | set(flags.get("row_b", []))), "n"])
    if not points.empty:
        name = report.group.label(lang)
        series = [("members", _t("members", lang), th.OKABE_ITO["blue"], "y"),
                  ("membership_rate", _t("rate", lang), th.OKABE_ITO["vermillion"], "y2")]
        parts.append(fragment("published_mark", _t("mark", lang)))
        parts.append(_timeline(points, series, title=f"{_t('record', lang)}: {name}",
                               subtitle=_t("members", lang) + " · " + _t("rate", lang),
                               note=_t("mark", lang), lang=lang, flagged=flagged))
        parts.append(_links(points, lang))
    parts += found
    table = rows.drop(columns=[c for c in ("imported_at",) if c in rows]).reset_index(drop=True)
    key = "cong_bo_tinh" if lang != "en" else "published_record"
    report.tables[key] = table
    return Section("published_record", parts, {key: table})


def national_series(report: Report, record: pd.DataFrame | None = None) -> Section:
    """The country's published member totals (1996–2025) as a chart marked as published, with every source."""
    lang = report.lang
    record = report_record(report) if record is None else record
    rows = record[record["unit_type"] == "national"] if not record.empty else record
    parts: list[Markup | go.Figure] = [fragment("heading", _t("national", lang), 2)]
    points = _points(rows, ("members",), lang) if not rows.empty else rows
    if points.empty:
        parts.append(fragment("paragraph", _t("none", lang), "kha-subtitle"))
        return Section("published_national", parts, {})
    found, flags = _contradictions(record, rows[rows["catalogue_code"] == "members"], lang)
    flagged = set(points.loc[points["row"].isin(set(flags.get("row_a", [])) | set(flags.get("row_b", []))), "n"])
    first, last = points["asof_end"].min().year, points["asof_end"].max().year
    subtitle = (f"{first}–{last} · ✕ = con số mâu thuẫn với nguồn khác" if lang != "en"
                else f"{first}–{last} · ✕ = a figure that contradicts another source")
    parts.append(fragment("published_mark", _t("mark", lang)))
    parts.append(_timeline(points, [("members", _t("members", lang), th.OKABE_ITO["blue"], "y")],
                           title=_t("national", lang), subtitle=subtitle, note=_t("mark", lang), lang=lang,
                           flagged=flagged))
    parts.append(_links(points, lang))
    parts += found
    key = "hoi_vien_ca_nuoc_cong_bo" if lang != "en" else "national_members_published"
    table = points.drop(columns=[c for c in ("imported_at",) if c in points]).reset_index(drop=True)
    report.tables[key] = table
    return Section("published_national", parts, {key: table})


def cluster_membership(report: Report) -> tuple[clu.Grouping, clu.Membership] | None:
    """The report's cluster (a cluster report's own, a province's home cluster) and its membership then."""
    clusters = clu.load_clusters()
    day = report.period.end
    native = geo.edition_for(day) == report.edition

    def membership(g: clu.Grouping) -> clu.Membership:
        return g.membership(at=day) if native else g.membership(edition=report.edition)

    if report.kind == "cluster":
        g = clusters.get(report.params.cluster)
        return g, membership(g)
    if report.kind == "province":
        code = report.group.codes[0]
        for g in clusters:
            try:
                m = membership(g)
            except clu.ClusterError:
                continue
            if code in m.members:
                return g, m
    return None


def cluster_notice(report: Report) -> str | None:
    """A sentence for the first screen when the report's cluster membership is unconfirmed; None otherwise."""
    found = cluster_membership(report)
    if found is None or found[1].confidence != "unconfirmed":
        return None
    g, m = found
    n = fmt_number(len(m.members), lang=report.lang)
    if report.lang == "en":
        return (f"UNCONFIRMED CLUSTER: the {n} provinces of {g.name_en} on this map are a default by region; no "
                "published source confirms them. Clusters of other reports may differ from the association's own.")
    return (f"CỤM CHƯA XÁC NHẬN: {n} tỉnh của {g.name_vi} trên bản đồ này là mặc định theo vùng, chưa có nguồn "
            "công bố nào xác nhận; thành phần cụm có thể khác thực tế của Hội.")

