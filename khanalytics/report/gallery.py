"""A review page with every figure type, drawn on synthetic data.

The gallery is for looking at the house style (labels, legends, Vietnamese
numbers, offline rendering) before real data exists. Its numbers are made up
by a seeded random generator and every figure says so
("Số liệu minh hoạ (tổng hợp)"); only the provinces, clusters and the
published 2025 targets are real. Run ``khanalytics gallery -o reports/gallery.html``
or ``python scripts/gallery.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from khanalytics import clusters, figures, geography
from khanalytics.formatting import check_lang, fmt_number, fmt_percent, fmt_points, period_label
from khanalytics.periods import Period, half_years
from khanalytics.report import pages

CLUSTER = "dong-bac"
LAST_2008 = "2019-H1"
FIRST_2008 = "2015-H1"
PERIOD_2025 = "2025-H2"

_T = {
    "vi": {
        "title": "Thư viện biểu đồ khanalytics",
        "subtitle": "Mọi loại biểu đồ của báo cáo, vẽ trên số liệu minh hoạ.",
        "notice": "Số liệu minh hoạ (tổng hợp): mọi con số trên trang này do máy sinh ngẫu nhiên để xem thử "
        "cách trình bày, không phải số liệu của Hội Khuyến học Việt Nam. Chỉ danh sách tỉnh, cụm và mục tiêu "
        "của Quyết định 387/QĐ-TTg là thật.",
        "note": "Số liệu minh hoạ (tổng hợp), không phải số liệu thật.",
        "rate": "Tỉ lệ hội viên trên dân số",
        "families": "Tỉ lệ gia đình học tập",
        "clans": "Dòng họ học tập",
        "communities": "Cộng đồng học tập",
        "units": "Đơn vị học tập",
        "citizens": "Công dân học tập",
        "national": "Cả nước",
        "kpi": "Thẻ số liệu chính",
        "maps": "Bản đồ",
        "trends": "Xu hướng",
        "ranks": "Xếp hạng và so sánh",
        "members": "Hội viên",
        "population": "Dân số",
        "vs_last_year": "so với cùng kỳ",
        "vs_national": "so với cả nước",
        "provinces_reporting": "tỉnh báo cáo",
        "target": "Mục tiêu 2025 (QĐ 387/QĐ-TTg)",
        "map63": "bản đồ 63 tỉnh",
        "map34": "bản đồ 34 tỉnh, thành phố",
        "tiles": "lưới ô: mỗi tỉnh một ô bằng nhau",
        "zoom": "phóng to vào cụm",
        "scorecard": "So với cả nước",
        "footer": "khanalytics — thư viện biểu đồ, số liệu minh hoạ.",
    },
    "en": {
        "title": "khanalytics figure gallery",
        "subtitle": "Every figure type of the reports, drawn on illustrative data.",
        "notice": "Synthetic data: every number on this page is randomly generated to preview the layout; none "
        "is a figure of the Vietnam Association for Promoting Education. Only the provinces, clusters and the "
        "targets of Decision 387/QĐ-TTg are real.",
        "note": "Synthetic illustrative data, not real figures.",
        "rate": "Members as a share of population",
        "families": "Learning families",
        "clans": "Learning clans",
        "communities": "Learning communities",
        "units": "Learning units",
        "citizens": "Learning citizens",
        "national": "Vietnam",
        "kpi": "Key figures",
        "maps": "Maps",
        "trends": "Trends",
        "ranks": "Rankings and comparisons",
        "members": "Members",
        "population": "Population",
        "vs_last_year": "on the same period last year",
        "vs_national": "against the national rate",
        "provinces_reporting": "provinces reporting",
        "target": "2025 target (Decision 387/QĐ-TTg)",
        "map63": "63-province map",
        "map34": "34-province map",
        "tiles": "tile grid: every province one equal tile",
        "zoom": "zoomed on the cluster",
        "scorecard": "Against the national value",
        "footer": "khanalytics — figure gallery, synthetic data.",
    },
}


def synthetic_data(seed: int = 2019) -> dict[str, pd.DataFrame]:
    """Made-up but plausible tables in the shapes :mod:`khanalytics.figures` takes.

    Returns ``provinces`` (2008 map: code, name_vi, name_en, population, and members per half-year from
    2015-H1 to 2019-H1, long form with ``period``), ``families`` (learning-family rate per province and
    period) and ``values_2025`` (code, value on the 34-province map).
    """
    rng = np.random.default_rng(seed)
    prov = geography.provinces("2008")[["code", "name_vi", "name_en", "region"]].copy()
    region_level = {"TDMNPB": 19.0, "DBSH": 22.0, "BTB_DHMT": 21.0, "TN": 13.0, "DNB": 11.0, "DBSCL": 15.0}
    members_2019 = set(clusters.members(CLUSTER, at=LAST_2008))
    prov["population"] = rng.lognormal(np.log(1.2e6), 0.45, len(prov)).round(-2)
    base = prov["region"].map(region_level).to_numpy() + rng.normal(0, 3.0, len(prov))
    base = np.where(prov["code"].isin(members_2019), base + 3.0, base)
    slope = rng.normal(0.45, 0.25, len(prov))
    periods = half_years(FIRST_2008, LAST_2008)
    rows = []
    fam_rows = []
    fam_base = rng.normal(62, 8, len(prov))
    for t, p in enumerate(periods):
        rate = np.clip(base + slope * t + rng.normal(0, 0.35, len(prov)), 3, 45)
        fam = np.clip(fam_base + 1.2 * t + rng.normal(0, 0.8, len(prov)), 20, 98)
        for i, row in enumerate(prov.itertuples(index=False)):
            pop = row.population * (1 + 0.005 * t)
            rows.append((p.code, row.code, pop, round(pop * rate[i] / 100)))
            fam_rows.append((p.code, row.code, fam[i]))
    long = pd.DataFrame(rows, columns=["period", "code", "population", "members"])
    long.loc[(long["code"] == "06") & (long["period"] == "2017-H2"), ["members"]] = np.nan  # a gap, on purpose
    fam = pd.DataFrame(fam_rows, columns=["period", "code", "value"])
    new = geography.provinces("2025")[["code"]].copy()
    new["value"] = np.clip(rng.normal(24, 6, len(new)), 8, 42)
    new.loc[new["code"] == "12", "value"] = np.nan  # one province without data
    return {"provinces": prov, "members": long, "families": fam, "values_2025": new}


def sample_data(store: str | os.PathLike[str]) -> tuple[dict[str, pd.DataFrame], bool]:
    """The same tables as :func:`synthetic_data`, read from a store (the sample, by default); and whether
    every value used is synthetic."""
    from khanalytics import analysis

    obs = analysis.load_observations(store)
    periods = [p.code for p in half_years(FIRST_2008, LAST_2008)]
    prov = geography.provinces("2008")[["code", "name_vi", "name_en", "region"]].copy()
    sub = obs[(obs["edition"] == "2008") & obs["period"].isin(periods) & obs["element"].isin(["members", "population"])]
    long = (sub.pivot_table(index=["period", "code"], columns="element", values="value").reset_index()
            .reindex(columns=["period", "code", "population", "members"]))
    last = long[long["period"] == LAST_2008].set_index("code")["population"]
    prov["population"] = prov["code"].map(last)
    fam = analysis.province_values(obs, "learning_families_rate", periods, edition="2008")[["period", "code", "value"]]
    latest = max(obs.loc[obs["edition"] == "2025", "period"].unique(), key=Period.parse, default=None)
    new = (analysis.province_values(obs, "membership_rate", latest, edition="2025")[["code", "value"]] if latest
           else geography.provinces("2025")[["code"]].assign(value=np.nan))
    used = obs[obs["period"].isin([*periods, latest])]
    synthetic = bool(len(used)) and bool((used["kind"] == "synthetic").all())
    return {"provinces": prov, "members": long, "families": fam, "values_2025": new}, synthetic


def _rate(frame: pd.DataFrame) -> float:
    ok = frame.dropna(subset=["members", "population"])
    return float(ok["members"].sum() / ok["population"].sum() * 100) if len(ok) else float("nan")


def gallery_blocks(
    lang: str = "vi",
    *,
    boundaries: dict[str, Any] | None = None,
    archipelagos: Any = None,
    grids: dict[str, pd.DataFrame] | None = None,
    seed: int = 2019,
    data: dict[str, pd.DataFrame] | None = None,
) -> list[Any]:
    """The gallery as page blocks (figures and HTML), ready for :func:`khanalytics.report.pages.write_page`.

    ``boundaries`` ({"2008": frame, "2025": frame}), ``archipelagos`` and ``grids`` default to the
    package's own (:mod:`khanalytics.boundaries`).
    """
    lang = check_lang(lang)
    w = _T[lang]
    boundaries = boundaries or {}
    grids = grids or {}
    data = data or synthetic_data(seed)
    prov, long = data["provinces"], data["members"]
    name_col = "name_en" if lang == "en" else "name_vi"
    names = dict(zip(prov["code"], prov[name_col], strict=True))
    group = clusters.load_clusters().get(CLUSTER)
    cluster_name = group.name(lang)
    members_now = clusters.members(CLUSTER, at=LAST_2008)
    note = w["note"]

    by_period = {p: f for p, f in long.groupby("period")}
    last, prev = by_period[LAST_2008], by_period["2018-H1"]
    rates_last = last.assign(value=last["members"] / last["population"] * 100)[["code", "value"]]
    cl_last, cl_prev = _rate(last[last["code"].isin(members_now)]), _rate(prev[prev["code"].isin(members_now)])
    nat_last = _rate(last)
    cl_rows = last[last["code"].isin(members_now)].dropna()
    when = period_label(LAST_2008, lang, "end")

    blocks: list[Any] = [pages.heading(w["kpi"])]
    cards = [
        {
            "label": f"{w['members']} — {cluster_name}",
            "value_text": fmt_number(cl_rows["members"].sum(), lang=lang),
            "note": f"{len(cl_rows)}/{len(members_now)} {w['provinces_reporting']} · {when}",
            "tone": "neutral",
        },
        {
            "label": f"{w['population']} — {cluster_name}",
            "value_text": fmt_number(cl_rows["population"].sum(), lang=lang),
            "tone": "neutral",
        },
        {
            "label": w["rate"],
            "value_text": fmt_percent(cl_last, 2, lang),
            "change_text": f"{fmt_points(cl_last - cl_prev, 2, lang, short=True)} {w['vs_last_year']}",
            "gap_text": f"{fmt_points(cl_last - nat_last, 2, lang, short=True)} {w['vs_national']} "
            f"({fmt_percent(nat_last, 2, lang)})",
            "tone": "positive" if cl_last >= cl_prev else "negative",
        },
    ]
    blocks.append(figures.kpi_cards(cards, lang))
    blocks.append(pages.paragraph(note, "kha-subtitle"))

    blocks.append(pages.heading(w["maps"]))
    common = dict(indicator_label=w["rate"], lang=lang, provenance_note=note, highlight_label=cluster_name)
    members_2025 = clusters.members(CLUSTER, at=PERIOD_2025)
    when_2025 = period_label(PERIOD_2025, lang, "end")
    # each map: its values, highlighted members and what its subtitle says (63 provinces with fixed classes)
    on_map = {
        "2008": dict(values=rates_last, highlight=members_now, bins=[0, 10, 15, 20, 25, 30, 50]),
        "2025": dict(values=data["values_2025"], highlight=members_2025),
    }
    b08 = boundaries.get("2008")
    blocks.append(figures.choropleth(**on_map["2008"], edition="2008", boundaries=b08, archipelagos=archipelagos,
                                     subtitle=f"{when} · {w['map63']}", **common))
    blocks.append(figures.choropleth(**on_map["2008"], edition="2008", boundaries=b08, archipelagos=archipelagos,
                                     focus="highlight", show_archipelagos=False, height=560,
                                     subtitle=f"{when} · {cluster_name} · {w['zoom']}", **common))
    blocks.append(figures.choropleth(**on_map["2025"], edition="2025", boundaries=boundaries.get("2025"),
                                     archipelagos=archipelagos, subtitle=f"{when_2025} · {w['map34']}", **common))
    tile_subtitles = {"2008": f"{when} · {w['tiles']}", "2025": f"{when_2025} · {w['map34']}"}
    for ed, subtitle in tile_subtitles.items():
        blocks.append(figures.tile_map(**on_map[ed], edition=ed, grid=grids.get(ed), subtitle=subtitle, **common))

    blocks.append(pages.heading(w["trends"]))
    series = []
    for p, frame in by_period.items():
        for code in members_now:
            row = frame[frame["code"] == code].iloc[0]
            value = row["members"] / row["population"] * 100 if pd.notna(row["members"]) else np.nan
            series.append((p, code, names[code], "province", value))
        series.append((p, CLUSTER, cluster_name, "cluster", _rate(frame[frame["code"].isin(members_now)])))
        series.append((p, "VN", w["national"], "national", _rate(frame)))
    series_df = pd.DataFrame(series, columns=["period", "key", "name", "role", "value"])
    blocks.append(
        figures.trend(
            series_df,
            indicator_label=w["rate"],
            lang=lang,
            provenance_note=note,
            subtitle=f"{cluster_name} · {period_label(FIRST_2008, lang, 'short')}–"
            f"{period_label(LAST_2008, lang, 'short')}",
        )
    )
    blocks.append(
        figures.small_multiples(
            series_df, indicator_label=w["rate"], lang=lang, provenance_note=note, subtitle=cluster_name
        )
    )
    fam = data["families"]
    fam_series = []
    for p, frame in fam.groupby("period"):
        for code in members_now:
            fam_series.append(
                (p, code, names[code], "province", float(frame.loc[frame["code"] == code, "value"].iloc[0]))
            )
        fam_series.append((p, CLUSTER, cluster_name, "cluster", frame[frame["code"].isin(members_now)]["value"].mean()))
        fam_series.append((p, "VN", w["national"], "national", frame["value"].mean()))
    targets = pd.DataFrame({"label": [w["target"]], "value": [70.0]})
    blocks.append(
        figures.trend(
            pd.DataFrame(fam_series, columns=["period", "key", "name", "role", "value"]),
            targets=targets,
            indicator_label=w["families"],
            decimals=1,
            lang=lang,
            provenance_note=note,
            subtitle=cluster_name,
        )
    )

    blocks.append(pages.heading(w["ranks"]))
    bars = rates_last.assign(name=rates_last["code"].map(names), highlight=rates_last["code"].isin(members_now))
    blocks.append(
        figures.ranked_bar(
            bars[bars["highlight"]],
            reference={w["national"]: nat_last},
            indicator_label=w["rate"],
            lang=lang,
            highlight_label=cluster_name,
            provenance_note=note,
            subtitle=f"{cluster_name} · {when}",
        )
    )
    blocks.append(
        figures.ranked_bar(
            bars,
            reference={w["national"]: nat_last},
            indicator_label=w["rate"],
            lang=lang,
            decimals=1,
            highlight_label=cluster_name,
            provenance_note=note,
            subtitle=f"{w['map63']} · {when}",
        )
    )
    rng = np.random.default_rng(seed + 1)
    indicators = [
        ("rate", nat_last),
        ("families", 72.1),
        ("clans", 66.5),
        ("communities", 61.0),
        ("units", 55.0),
        ("citizens", 38.0),
    ]
    cells = []
    for code in members_now:
        for key, national in indicators:
            value = (
                float(rates_last.loc[rates_last["code"] == code, "value"].iloc[0])
                if key == "rate"
                else float(np.clip(national + rng.normal(0, 8), 5, 99))
            )
            if key == "units" and code == "06":
                value = np.nan
            status = (
                None if np.isnan(value) else ("above" if value > national else "below" if value < national else "equal")
            )
            cells.append((names[code], w[key], value, status))
    blocks.append(
        figures.scorecard_heatmap(
            pd.DataFrame(cells, columns=["name", "indicator_label", "value", "status"]),
            lang=lang,
            title=f"{w['scorecard']} — {cluster_name}",
            subtitle=when,
            provenance_note=note,
        )
    )
    return blocks


def write_gallery(path: str | os.PathLike[str] = "reports/gallery.html", lang: str = "vi", *,
                  store: str | os.PathLike[str] | None = None, **kwargs: Any) -> Path:
    """Render the gallery into one self-contained HTML file and return its path.

    With ``store`` (e.g. the imported sample, data/khanalytics.duckdb) the figures show its values;
    without, made-up ones. The notice on top says which, and whether the values are synthetic.
    """
    w = dict(_T[check_lang(lang)])
    if store is not None:
        data, synthetic = sample_data(store)
        kwargs["data"] = data
        vi = lang != "en"
        source = f"{Path(store).name}"
        if synthetic:
            w["notice"] = (f"Vẽ trên bộ số liệu mẫu ({source}): số liệu minh hoạ (tổng hợp), không phải số liệu "
                           "thật của các tỉnh; xem data/README.md." if vi else
                           f"Drawn on the sample data ({source}): synthetic, not the provinces' real figures; "
                           "see data/README.md.")
        else:
            w["notice"] = (f"Vẽ trên số liệu của kho {source} (có số liệu do tỉnh báo cáo hoặc đã công bố)." if vi
                           else f"Drawn on the values of {source} (reported or published figures included).")
            w["note"] = w["notice"]
    blocks = gallery_blocks(lang, **kwargs)
    return pages.write_page(
        path, w["title"], blocks, lang, subtitle=w["subtitle"], notice=w["notice"], footer=w["footer"]
    )
