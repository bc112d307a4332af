"""The sections of the reports: each a method that computes and returns a ``Section``.

A notebook validates its parameters (:func:`khanalytics.report.params.parameters`),
opens a ``Report`` and shows its sections in order; a section is an object
holding its safe HTML, its figures and the tables behind them, so a notebook
displays it and a test reads it, with nothing displayed behind anyone's back.
Every text from data goes through the templates (autoescaped); tables
offered for download are neutralised against formula injection.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics import __version__, analysis, catalogue, narrative
from khanalytics import clusters as clu
from khanalytics import figures as fig
from khanalytics import geography as geo
from khanalytics.errors import ParameterError
from khanalytics.formatting import fmt_date, fmt_number, fmt_percent, fmt_points, no_data
from khanalytics.periods import Period, half_year
from khanalytics.report import fingerprint, published
from khanalytics.report.downloads import downloads_html, table_html
from khanalytics.report.inputs import load_store
from khanalytics.report.pages import fragment
from khanalytics.report.params import ReportParams
from khanalytics.report.section import Section

TITLE_INDICATORS = ("learning_families_rate", "learning_clans_rate", "learning_communities_rate",
                    "learning_units_rate", "learning_citizens_rate")
ORGANISATION_ELEMENTS = ("grassroots_associations", "communes", "branches", "promotion_boards", "learning_centres",
                         "fund_raised_vnd", "fund_balance_vnd", "scholarships_count")
DATA_COLUMNS = ("edition", "code", "province", "period", "element", "value", "kind", "file_name", "sheet", "row")

_T = {
    "summary": ("Tóm tắt", "Summary"),
    "kpis": ("Các chỉ số chính", "Key figures"),
    "map": ("Bản đồ", "Map"),
    "trends": ("Xu hướng", "Trends"),
    "ranking": ("Xếp hạng", "Ranking"),
    "titles": ("Danh hiệu học tập so với mục tiêu", "Learning titles against targets"),
    "title_trends": ("Danh hiệu học tập qua các kỳ", "Learning titles over time"),
    "organisation": ("Tổ chức hội và quỹ", "Organisation and fund"),
    "quality": ("Độ phủ và chất lượng số liệu", "Coverage and data quality"),
    "sources": ("Nguồn số liệu và tải về", "Sources and downloads"),
    "clusters": ("Các cụm thi đua", "Clusters"),
    "published_too": ("Các số trong mục «Số liệu đã công bố» là số thật, có nguồn; các số còn lại là minh hoạ.",
                      "The figures under “Published figures” are real, with their sources; the others are synthetic."),
    "national": ("Cả nước", "Vietnam"),
    "members": ("Hội viên", "Members"),
    "population": ("Dân số", "Population"),
    "rate": ("Tỉ lệ hội viên/dân số", "Members per population"),
    "synthetic": ("SỐ LIỆU MINH HOẠ: các con số trong báo cáo này là số liệu tổng hợp (giả lập) để trình diễn, "
                  "không phải số liệu thực tế của các tỉnh.",
                  "ILLUSTRATIVE DATA: the figures in this report are synthetic (made up for demonstration), "
                  "not the provinces' real reports."),
}


def t(key: str, lang: str) -> str:
    """A report word in the report's language."""
    vi, en = _T[key]
    return en if lang == "en" else vi


def _h(text: str, level: int = 2) -> Markup:
    return fragment("heading", text, level)


def _p(text: str, css: str | None = None) -> Markup:
    return fragment("paragraph", text, css)


@dataclass
class Report:
    """One report being built: its parameters, the store's frames, and the tables its sections collected.

    Open one with :func:`open_report`; each section method returns a :class:`Section`. The tables every
    section used are gathered in ``tables`` so that :meth:`sources` can offer them all for download.
    """

    params: ReportParams
    obs: pd.DataFrame = field(repr=False)
    flags: pd.DataFrame = field(repr=False)
    imports: pd.DataFrame = field(repr=False)
    digest: str = ""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        """national, cluster or province."""
        return self.params.kind

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.params.lang

    @property
    def period(self) -> Period:
        """The half-year reported."""
        return self.params.period

    @property
    def edition(self) -> str:
        """The map the report is drawn on."""
        return self.params.edition

    @property
    def _asked(self) -> str | None:
        return self.params.requested_edition

    @property
    def group(self) -> analysis.Group:
        """The cluster, province or country the report is about."""
        if self.kind == "cluster":
            return analysis.cluster(self.params.cluster)
        if self.kind == "province":
            return analysis.province(self.params.province, self.edition)
        return analysis.country()

    def _section(self, name: str, *parts: Markup | go.Figure | None, **tables: pd.DataFrame) -> Section:
        self.tables.update(tables)
        return Section(name, [p for p in parts if p is not None], dict(tables))

    @property
    def members(self) -> list[str]:
        """The codes of the group's provinces on the report's map."""
        codes, _, _ = analysis.members_on(self.group, self.edition, self.period)
        return list(codes)

    @property
    def synthetic(self) -> bool:
        """Whether any figure of the period or a year earlier is synthetic (the first screen then says so)."""
        periods = {self.period.code, self.period.same_period_last_year().code}
        return bool((self.obs.loc[self.obs["period"].isin(periods), "kind"] == "synthetic").any())

    def _raw_rows(self, periods: set[str]) -> pd.DataFrame:
        """The stored rows behind the report's figures, each period on its own map.

        On the 2025 map a period before the reform is made of the old provinces the members were formed from.
        """
        frames = []
        for period in sorted(periods):  # in time order: a set's order changes from run to run (string hashing)
            native = geo.edition_for(Period.parse(period))
            codes = set(self.members)
            if native != self.edition:
                codes = ({old for new in codes for old in geo.parts(new)} if native == "2008"
                         else {geo.successor(c) for c in codes})
            rows = self.obs[(self.obs["period"] == period) & (self.obs["edition"] == native)
                            & self.obs["code"].isin(codes)]
            frames.append(rows)
        return pd.concat(frames) if frames else self.obs.iloc[0:0]

    def _group_label(self) -> str:
        g = self.group
        return g.label_en if self.lang == "en" else g.label_vi

    # sections, in the order of the reports -----------------------------------------------------------------------

    def header(self) -> Section:
        """Title, date, map and — when any figure is synthetic — the notice, on the first screen."""
        vi = self.lang != "en"
        title = f"{self._group_label()} — {self.period.label(self.lang)}"
        lead = ("Báo cáo công tác khuyến học, khuyến tài" if vi else "Education promotion report")
        map_text = geo.EDITION_INFO[self.edition].label_vi if vi else geo.EDITION_INFO[self.edition].label_en
        subtitle = ("Số liệu đến hết " if vi else "Figures to ") + fmt_date(self.period.end, self.lang) + " · " + map_text
        notices = [t("synthetic", self.lang)] if self.synthetic else []
        if self.synthetic and not published.unit_rows(self).empty:  # say, per figure, which are real
            notices.append(t("published_too", self.lang))
        cluster_note = published.cluster_notice(self)
        if cluster_note:
            notices.append(cluster_note)
        return self._section("header", fragment("report_header", lead, title, subtitle, notices))

    def published(self) -> Section:
        """What newspapers and the association published for this unit and half-year, beside the stored value,
        each with its qualifier, source link and quote; disagreements said (:mod:`khanalytics.published`)."""
        return published.published_beside(self)

    def published_record(self) -> Section:
        """A province's published members and rates over the years, each point linked to its article."""
        return published.published_record(self)

    def national_series(self) -> Section:
        """The country's published member totals since 1996, marked as published, with their sources."""
        return published.national_series(self)

    def summary(self) -> Section:
        """The sentences a leader reads first (:mod:`khanalytics.narrative`)."""
        sentences = narrative.summary(self.obs, self.group, self.period, edition=self._asked,
                                      lang=self.lang, flags=self.flags)
        return self._section("summary", _h(t("summary", self.lang)),
                             fragment("paragraphs", list(sentences["text"])))

    def first_screen(self) -> Section:
        """The summary and the key figures side by side (stacked on a phone): the first screen uses its width."""
        summary, kpis = self.summary(), self.kpis()
        return self._section("first_screen", fragment("first_screen", summary.html, kpis.html))

    def _compare(self, indicator: str = "membership_rate", group: Any = None) -> pd.Series:
        ed = self._asked
        frame = analysis.compare(self.obs, indicator, group or self.group, self.period, edition=ed)
        return frame.iloc[0]

    def kpis(self) -> Section:
        """Members, population, the rate and the country's rate as cards."""
        lang = self.lang
        row = self._compare()
        change = row["change_last_year"]
        gap = row["gap_national"]
        cards = [
            {"label": t("members", lang), "value_text": fmt_number(row["numerator"], lang=lang), "tone": "neutral",
             "note": f"{row['n_reporting']}/{row['n_members']} " + ("tỉnh báo cáo" if lang != "en" else "reporting")},
            {"label": t("population", lang), "value_text": fmt_number(row["denominator"], lang=lang), "tone": "neutral"},
            {"label": t("rate", lang), "value_text": fmt_percent(row["value"], 2, lang),
             "change_text": ("—" if pd.isna(change) else fmt_points(change, 2, lang, short=True)
                             + (" so với cùng kỳ" if lang != "en" else " on a year earlier")),
             "tone": "neutral" if pd.isna(change) else ("positive" if change >= 0 else "negative")},
        ]
        if self.kind != "national":
            cards.append({"label": t("national", lang), "value_text": fmt_percent(row["national"], 2, lang),
                          "gap_text": ("—" if pd.isna(gap) else fmt_points(gap, 2, lang, short=True)
                                       + (" so với cả nước" if lang != "en" else " against the country")),
                          "tone": "neutral" if pd.isna(gap) else ("positive" if gap >= 0 else "negative")})
        return self._section("kpis", _h(t("kpis", lang)), Markup(fig.kpi_cards(cards, lang)))

    def _label(self, indicator: str) -> str:
        return catalogue.indicator(indicator).label(self.lang)

    @property
    def headline_indicators(self) -> list[str]:
        """The indicators asked for that are not learning titles (those have their own section)."""
        return [i for i in self.params.indicators if i not in TITLE_INDICATORS] or ["membership_rate"]

    def map(self, indicator: str | None = None, *, editions: tuple[str, ...] | None = None) -> Section:
        """A choropleth of each headline indicator, on the report's map (or on each map of ``editions``)."""
        figures = [f for ind in ([indicator] if indicator else self.headline_indicators)
                   for f in self._maps(ind, editions)]
        return self._section("map", _h(t("map", self.lang)), *figures)

    def _maps(self, indicator: str, editions: tuple[str, ...] | None) -> list[go.Figure]:
        lang = self.lang
        out = []
        for ed in editions or (self.edition,):
            values = analysis.province_values(self.obs, indicator, self.period, edition=ed)
            highlight = self.members if ed == self.edition and self.kind != "national" else None
            figure = fig.choropleth(values[["code", "value"]], edition=ed, indicator_label=self._label(indicator),
                                    highlight=highlight, highlight_label=self._group_label() if highlight else None,
                                    lang=lang, bins=fixed_bins(indicator),
                                    title=f"{self._label(indicator)} — {self.period.label(lang)}",
                                    subtitle=geo.EDITION_INFO[ed].label_vi if lang != "en" else geo.EDITION_INFO[ed].label_en,
                                    focus="highlight" if highlight else "country")
            out.append(figure)
        return out

    def trends(self, indicator: str = "membership_rate", last: int = 10) -> Section:
        """The indicator over the last ``last`` half-years: the group against the country and the targets."""
        lang = self.lang
        series = trend_frame(self.obs, indicator, self.group, self.kind, self.period, self.edition, last, lang)
        targets = target_lines(self.obs, indicator, self.group, self.period, lang)
        highlight = [f"province:{self.params.province}"] if self.kind == "province" else None
        figure = fig.trend(series, targets=targets, indicator_label=self._label(indicator), lang=lang,
                           highlight=highlight, title=f"{self._label(indicator)}: {self._group_label()}")
        return self._section("trends", _h(t("trends", lang)), figure,
                             **{"xu_huong" if lang != "en" else "trend": series})

    def ranking(self, indicator: str | None = None) -> Section:
        """The provinces of the cluster (or the country) ranked, the group's highlighted."""
        figures = [self._ranking(ind) for ind in ([indicator] if indicator else self.headline_indicators)]
        return self._section("ranking", _h(t("ranking", self.lang)), *figures)

    def _ranking(self, indicator: str) -> go.Figure:
        lang = self.lang
        shown = narrative.province_decimals(indicator)  # the sentences' precision: ties read as ties in both
        ranks = analysis.ranks(self.obs, indicator, self.period, edition=self._asked, decimals=shown)
        if self.kind == "national":
            values = ranks.assign(highlight=False)
        else:
            values = ranks[ranks["cluster"] == _cluster_slug(self)] if self.kind == "cluster" else ranks[
                ranks["cluster"] == ranks.loc[ranks["code"] == self.params.province, "cluster"].iloc[0]]
            values = values.assign(highlight=values["code"].isin(self.members))
        name_col = "name_en" if lang == "en" else "name"
        national = self._compare(indicator, analysis.country())["value"]
        place = values["rank_country" if self.kind == "national" else "rank_cluster"]
        bars = values[["code", "value", "highlight"]].assign(
            name=[f"{r}. {n}" if pd.notna(r) else str(n) for r, n in zip(place, values[name_col], strict=True)])
        figure = fig.ranked_bar(bars, reference={t("national", lang): national}, indicator_label=self._label(indicator),
                                decimals=shown, lang=lang, title=f"{self._label(indicator)} — {self.period.label(lang)}",
                                highlight_label=None if self.kind == "national" else self._group_label())
        table = values[["code", name_col, "value", "rank_cluster", "rank_country"]].rename(columns={name_col: "name"})
        self.tables[("xep_hang" if lang != "en" else "ranking") + ("" if indicator == "membership_rate"
                                                                    else f"_{indicator}")[:20]] = table
        return figure

    def title_trends(self, last: int = 10) -> Section:
        """Each learning title over the last ``last`` half-years, recognised and registered, the group against
        the country and the targets still ahead (:func:`analysis.title_trends`, :func:`figures.title_dashboard`)."""
        lang = self.lang
        series = analysis.title_trends(self.obs, self.group, self.period, last=last, edition=self.edition)
        goals = analysis.title_targets(self.period)
        what = (": tỉ lệ đạt danh hiệu và đăng ký so với cả nước và mục tiêu" if lang != "en"
                else ": recognised and registered, against the country and the targets")
        info = geo.EDITION_INFO[self.edition]
        figure = fig.title_dashboard(series, goals, lang=lang, title=self._group_label() + what,
                                     subtitle=info.label_en if lang == "en" else info.label_vi)
        table = series[["group", "title", "measure", "indicator", "period", "edition", "value", "n_reporting",
                        "n_members", "synthetic"]]
        return self._section("title_trends", _h(t("title_trends", lang)), figure,
                             **{"xu_huong_danh_hieu" if lang != "en" else "title_trends": table})

    def titles(self) -> Section:
        """The learning titles against the targets that apply, and the scorecard heatmap."""
        lang = self.lang
        ed = self._asked
        indicators = [i for i in self.params.indicators if i in TITLE_INDICATORS] or list(TITLE_INDICATORS)
        targets = analysis.evaluate_targets(self.obs, self.group, self.period, edition=ed)
        card = analysis.scorecard(self.obs, self.period, group=None if self.kind == "national" else self.group,
                                  indicators=indicators, edition=ed)
        label_col = "indicator_label_en" if lang == "en" else "indicator_label"
        name_col = "name_en" if lang == "en" else "name"
        cells = card.rename(columns={name_col: "_name"})[["_name", label_col, "value", "status"]].rename(
            columns={"_name": "name", label_col: "indicator_label"})
        figure = fig.scorecard_heatmap(cells, lang=lang, reference_label=t("national", lang),
                                       title=t("titles", lang)) if self.kind != "national" else None
        parts: list[Markup] = [_h(t("titles", lang))]
        if not targets.empty:
            shown = targets[targets["indicator"].isin(indicators)]
            table = pd.DataFrame({
                ("Danh hiệu" if lang != "en" else "Title"): [catalogue.indicator(i).label(lang) for i in shown["indicator"]],
                ("Giá trị" if lang != "en" else "Value"): [fmt_percent(v, 2, lang) for v in shown["value"]],
                ("Mục tiêu" if lang != "en" else "Target"): [fmt_percent(v, 0, lang) for v in shown["target"]],
                ("Năm" if lang != "en" else "Year"): shown["target_year"],
                ("Văn bản" if lang != "en" else "Decision"): shown["decision_label" if lang != "en" else "decision_label_en"],
                ("Đánh giá" if lang != "en" else "Status"): [_status(s, lang) for s in shown["status"]],
            })
            parts.append(table_html(table))
            self.tables["muc_tieu" if lang != "en" else "targets"] = shown
        return self._section("titles", *parts, figure, **{"bang_diem" if lang != "en" else "scorecard": card})

    def organisation(self) -> Section:
        """Grassroots associations, branches, boards, centres, fund and scholarships by province."""
        lang = self.lang
        codes = self.members
        sub = self.obs[(self.obs["period"] == self.period.code) & self.obs["element"].isin(ORGANISATION_ELEMENTS)]
        if geo.edition_for(self.period) != self.edition:  # the report's map is not the period's: re-express
            sub = analysis.harmonise(sub, to=self.edition)
        sub = sub[(sub["edition"] == self.edition) & sub["code"].isin(codes)]
        wide = sub.pivot_table(index="code", columns="element", values="value", aggfunc="sum")
        names = {c: geo.province_name(c, self.edition, lang) for c in wide.index}
        rows = []
        for code, row in wide.iterrows():
            rows.append({("Tỉnh, thành" if lang != "en" else "Province"): names[code],
                         **{catalogue.element(e).short(lang): fmt_number(row.get(e), lang=lang)
                            for e in ORGANISATION_ELEMENTS if e in wide.columns}})
        rows.append({("Tỉnh, thành" if lang != "en" else "Province"): ("Cộng" if lang != "en" else "Total"),
                     **{catalogue.element(e).short(lang): fmt_number(wide[e].sum(min_count=1), lang=lang)
                        for e in ORGANISATION_ELEMENTS if e in wide.columns}})
        table = pd.DataFrame(rows)
        note = ("Quỹ và học bổng tính trong kỳ; các số khác tính đến cuối kỳ." if lang != "en"
                else "Fund raised and scholarships are totals over the period; the rest are counts at its end.")
        return self._section("organisation", _h(t("organisation", lang)), table_html(table), _p(note, "kha-subtitle"),
                             **{"to_chuc" if lang != "en" else "organisation": wide.reset_index()})

    def quality(self) -> Section:
        """How many provinces reported, the population covered, and the quality flags of the period."""
        lang = self.lang
        row = self._compare()
        parts: list[Markup] = [_h(t("quality", lang))]
        cover = (f"{row['n_reporting']}/{row['n_members']} tỉnh, thành báo cáo đủ số liệu; "
                 f"{fmt_percent(100 * row['population_share'], 1, lang)} dân số được bao phủ." if lang != "en" else
                 f"{row['n_reporting']} of {row['n_members']} provinces reported; "
                 f"{fmt_percent(100 * row['population_share'], 1, lang)} of the population covered.")
        parts.append(_p(cover))
        reason = row.get("reason_en" if lang == "en" else "reason_vi")
        if isinstance(reason, str) and reason:
            parts.append(_p(reason, "kha-notice"))
        notes = analysis.territory_note(self.group, self.edition) if self.kind == "cluster" else pd.DataFrame()
        if not notes.empty:
            col = "note_en" if lang == "en" and "note_en" in notes else ("note_vi" if "note_vi" in notes else None)
            if col:
                parts += [_p(str(n)) for n in notes[col].dropna().unique()]
        flags = analysis.quality_flags(self.flags, self.group, self.period)
        if flags.empty:
            parts.append(_p("Không có cảnh báo chất lượng số liệu cho kỳ này." if lang != "en"
                            else "No data-quality flags for this period."))
        else:
            msg = "message_en" if lang == "en" else "message_vi"
            parts.append(fragment("items", [str(m) for m in flags[msg]]))
            self.tables["canh_bao" if lang != "en" else "flags"] = flags
        return self._section("quality", *parts)

    def sources(self) -> Section:
        """The files behind the figures, and every table of the report for download."""
        lang = self.lang
        periods = {self.period.code, self.period.same_period_last_year().code}
        used = self._raw_rows(periods)
        files = used.groupby(["file_name", "sha256", "kind"], as_index=False).agg(
            n=("value", "size"), periods=("period", lambda s: ", ".join(sorted(set(s)))))
        notes = self.imports.set_index("file_name")["note"].to_dict() if "note" in self.imports else {}
        files["note"] = files["file_name"].map(notes)
        shown = pd.DataFrame({
            ("Tệp" if lang != "en" else "File"): files["file_name"],
            ("Loại" if lang != "en" else "Kind"): files["kind"].map(lambda k: _kind(k, lang)),
            ("Kỳ" if lang != "en" else "Periods"): files["periods"],
            ("Số giá trị" if lang != "en" else "Values"): [fmt_number(n, lang=lang) for n in files["n"]],
            "SHA-256": files["sha256"].str[:12],
            ("Ghi chú" if lang != "en" else "Note"): files["note"].fillna(""),
        })
        definitions = catalogue.catalogue_frame(lang)
        stem = f"khanalytics-{self.kind}-{self.period.code}"
        tables = {"tep_nguon" if lang != "en" else "source_files": shown, **self.tables}
        data_periods = {self.period.code} if self.kind == "national" else periods  # keeps the file small
        data = used[used["period"].isin(data_periods)]
        tables["du_lieu" if lang != "en" else "data"] = data[[c for c in DATA_COLUMNS if c in data.columns]]
        return self._section("sources", _h(t("sources", lang)), table_html(shown),
                             downloads_html(tables, definitions=definitions, stem=stem, lang=lang,
                                            stamp=self.imported_at))

    @property
    def imported_at(self) -> pd.Timestamp | None:
        """When the files behind the report's own figures were last imported (None when none is recorded): the
        date of the report's downloads, so that a report made again from the same data is the same file, and an
        import that does not concern the report leaves it as it was (:mod:`khanalytics.report.fingerprint`)."""
        if "imported_at" not in self.imports or self.imports.empty:
            return None
        files = fingerprint.own_file_names(self.params, self._view())
        latest = self.imports.loc[self.imports["file_name"].isin(files), "imported_at"].max()
        return None if pd.isna(latest) else latest

    @property
    def data_digest(self) -> str:
        """The digest of the data this report is made from (its own rows, the shared rows, the published
        record): what its footer shows and ``manifest.json`` records as ``data_digest``."""
        return fingerprint.data_digest(fingerprint.data_parts(self.params, self._view()))

    def _view(self) -> fingerprint.StoreView:
        return _store_view(self.digest, self.obs, self.flags, self.imports, published.report_record(self))

    def map_editions(self) -> tuple[str, ...]:
        """Both maps for a period of the 63-province map (the 34-province view re-expressed); else the 2025 map."""
        return ("2008", "2025") if self.edition == "2008" else ("2025",)

    def clusters_table(self, indicator: str = "membership_rate") -> Section:
        """Every cluster's rate, change on a year earlier, gap to the country and coverage."""
        lang = self.lang
        ed = self._asked
        rows = []
        for g in clu.load_clusters():
            r = analysis.compare(self.obs, indicator, analysis.cluster(g.slug), self.period, edition=ed).iloc[0]
            rows.append({
                ("Cụm" if lang != "en" else "Cluster"): g.name(lang),
                ("Tỉ lệ" if lang != "en" else "Rate"): fmt_percent(r["value"], 2, lang),
                ("So với cùng kỳ" if lang != "en" else "On a year earlier"): fmt_points(r["change_last_year"], 2, lang, short=True),
                ("So với cả nước" if lang != "en" else "Against the country"): fmt_points(r["gap_national"], 2, lang, short=True),
                ("Tỉnh báo cáo" if lang != "en" else "Reporting"): f"{r['n_reporting']}/{r['n_members']}",
            })
        table = pd.DataFrame(rows)
        return self._section("clusters", _h(t("clusters", lang)), table_html(table),
                             **{"cum" if lang != "en" else "clusters": table})

    def footer(self) -> Section:
        """Who made the file, when, and the hash of the data it was made from."""
        lang = self.lang
        made = made_at().strftime("%d/%m/%Y %H:%M")
        digest = self.data_digest[:16]
        text = (f"Lập bởi khanalytics {__version__} lúc {made} · mã dữ liệu của báo cáo {digest}"
                if lang != "en" else f"Made by khanalytics {__version__} at {made} · report data digest {digest}")
        return self._section("footer", fragment("footer", text))


_VIEWS: dict[str, fingerprint.StoreView] = {}


def _store_view(store_digest: str, obs: pd.DataFrame, flags: pd.DataFrame, imports: pd.DataFrame,
                record: pd.DataFrame) -> fingerprint.StoreView:
    """The store's rows hashed once per store content in a (warm) kernel, not once per report."""
    view = _VIEWS.get(store_digest) if store_digest else None
    if view is None:
        view = fingerprint.StoreView.of(obs, flags, imports, record)
        _VIEWS.clear()
        if store_digest:
            _VIEWS[store_digest] = view
    return view


def made_at() -> dt.datetime:
    """When the report is made, in the local timezone: now, or ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention), so that a report rebuilt from unchanged data is byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).astimezone()
        except (ValueError, OverflowError, OSError) as err:
            raise ParameterError(
                f"SOURCE_DATE_EPOCH phải là số giây kể từ 1/1/1970 (UTC), nhận được {epoch!r}.",
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01 UTC; got {epoch!r}.",
                rule="bad_source_date_epoch", parameter="SOURCE_DATE_EPOCH", value=epoch,
            ) from err
    return dt.datetime.now().astimezone()


def _cluster_slug(report: Report) -> str:
    return clu.load_clusters().get(report.params.cluster).slug


def _status(status: object, lang: str) -> str:
    vi = {"met": "Đã đạt", "on_track": "Đúng tiến độ", "on track": "Đúng tiến độ", "behind": "Còn chậm"}
    en = {"met": "Met", "on_track": "On track", "on track": "On track", "behind": "Behind"}
    return (en if lang == "en" else vi).get(str(status), no_data(lang))


def _kind(kind: str, lang: str) -> str:
    vi = {"synthetic": "minh hoạ (tổng hợp)", "reported": "tỉnh báo cáo", "published": "đã công bố"}
    en = {"synthetic": "synthetic", "reported": "reported by a province", "published": "published"}
    return (en if lang == "en" else vi).get(kind, kind)


def fixed_bins(indicator: str) -> list[float] | None:
    """Legend classes fixed across periods (like DHIS2 legend sets) so maps of different periods compare."""
    if indicator == "membership_rate":
        return [0, 15, 20, 25, 30, 35, 100]
    if catalogue.indicator(indicator).unit_vi == "%":
        return [0, 40, 50, 60, 70, 80, 100]
    return None


def trend_frame(obs: pd.DataFrame, indicator: str, group: object, kind: str, period: str | Period,
                edition: str | None = None, last: int = 10, lang: str = "vi") -> pd.DataFrame:
    """Series for the trend figure, all on one map: (period, key, name, role, value).

    A cluster report: its provinces, the cluster and the country. A province report: the province, its
    cluster and the country. The national report: the country and each cluster. ``period``: a half-year,
    as text ("2019-H1") or a Period; ``edition``: the map (default: the period's); ``group``: anything
    ``analysis.as_group`` reads, names on that map.
    """
    period = half_year(period)
    edition = geo.check_edition(edition) if edition else geo.edition_for(period)
    group = analysis.as_group(group, edition=edition)
    periods = [p.code for p in _last_periods(period, last)]

    def line(g: analysis.Group, role: str) -> pd.DataFrame:
        agg = analysis.aggregate(obs, indicator, g, periods, edition=edition)
        return pd.DataFrame({"period": agg["period"], "key": f"{g.kind}:{g.key}", "name": g.label(lang),
                             "role": role, "value": agg["value"]})

    frames = [line(analysis.country(), "national")]
    if kind == "national":
        frames += [line(analysis.cluster(c.slug), "province") for c in clu.load_clusters()]
    elif kind == "cluster":
        frames.append(line(group, "cluster"))
        codes, _, _ = analysis.members_on(group, edition, period)
        pv = analysis.province_values(obs, indicator, periods, edition=edition)
        pv = pv[pv["code"].isin(codes)]
        frames.append(pd.DataFrame({"period": pv["period"], "key": "province:" + pv["code"],
                                    "name": pv["name_en" if lang == "en" else "name"], "role": "province",
                                    "value": pv["value"]}))
    else:
        home = clu.load_clusters().cluster_of(group.codes[0], at=period.end) if edition == geo.edition_for(period) else None
        if home is not None:
            frames.append(line(analysis.cluster(home.slug), "cluster"))
        frames.append(line(group, "province"))
    return pd.concat(frames, ignore_index=True)


def _last_periods(period: Period, n: int) -> list[Period]:
    out = [period]
    while len(out) < n:
        out.insert(0, out[0].previous())
    return [p for p in out if p.year >= 2009]


def target_lines(obs: pd.DataFrame, indicator: str, group: analysis.Group, period: Period, lang: str) -> pd.DataFrame | None:
    """The targets in force for ``period`` as (label, value) lines for the trend figure; None when there are none."""
    targets = analysis.applicable_targets(period)
    if targets is None or targets.empty or "indicator" not in targets:
        return None
    mine = targets[targets["indicator"] == indicator]
    if mine.empty:
        return None
    return pd.DataFrame({"label": mine["decision"].astype(str) + " (" + mine["year"].astype(str) + ")",
                         "value": mine["value"]})


def open_report(params: ReportParams) -> Report:
    """A report on the store its parameters name, ready for its sections.

    Figures are shown as plotly's own MIME type, which our export draws offline.
    """
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype"
    data = load_store(params.store)
    return Report(params, data.obs, data.flags, data.imports, data.digest)
