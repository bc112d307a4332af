"""The sentences a leader reads first, in Vietnamese (default) or English.

Built only from the tables of ``khanalytics.analysis`` (one comparison row,
a ranking, a target evaluation, a territory note, quality flags), so every
number in a sentence is a number of a table, formatted the Vietnamese way by
``khanalytics.formatting``. A sentence never breaks: a missing figure drops
its clause (or the sentence says why it is missing), an equal one says
"ngang" / "không thay đổi", a negative one turns "tăng" into "giảm".

A sentence names provinces by code, so the tables it is given must be on the
map of the row they describe: a ranking or territory note of the other map
is refused (``geography.EditionMismatchError``), never read with the wrong
names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from khanalytics import analysis as an
from khanalytics import catalogue
from khanalytics import geography as geo
from khanalytics.formatting import (
    check_lang,
    fmt_change_percent,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_value,
    is_missing,
    period_label,
)
from khanalytics.periods import Period, half_year

PROVINCE_DECIMALS = 1
"""Provincial rates in sentences are written with one decimal ("Quảng Ninh đạt 31,8 %")."""

_STATUS_WORDS = {  # status of a target -> how a sentence introduces the titles in it
    "vi": {"met": "đã đạt về", "on track": "đúng tiến độ về", "behind": "còn chậm về", None: "chưa có số liệu về"},
    "en": {"met": "met for", "on track": "on track for", "behind": "behind for", None: "no data for"},
}
TOPICS = ("headline", "ranking", "targets", "coverage", "territory", "quality", "synthetic")
"""The topics of a summary, in the order a leader reads them."""


def _row(row: Mapping | pd.Series) -> dict:
    return dict(row.items()) if isinstance(row, pd.Series) else dict(row)


@cache
def _kinds(edition: str) -> dict[str, str]:
    table = geo.provinces(edition)
    return dict(zip(table["code"], table["kind"], strict=True))


def province_title(code: str, edition: str, lang: str = "vi") -> str:
    """"tỉnh Quảng Ninh", "thành phố Hải Phòng" (vi); the English name otherwise."""
    if check_lang(lang) == "en":
        return geo.province_name(code, edition, "en")
    return f"{_kinds(edition)[code]} {geo.province_name(code, edition)}"


def _name(code: str, edition: str, lang: str) -> str:
    return geo.province_name(code, edition, lang)


def _and(items: Sequence[str], lang: str) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    word = " và " if lang == "vi" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def _units_word(codes: Sequence[str], edition: str) -> str:
    kinds = {_kinds(edition).get(c) for c in codes}
    return "tỉnh, thành phố" if "thành phố" in kinds else "tỉnh"


def _measure(row: dict) -> an.Measure:
    return an.measure(str(row["indicator"]))


def _fmt(x: object, m: an.Measure, lang: str, decimals: int | None = None) -> str:
    d = m.decimals if decimals is None else decimals
    if m.is_percent:
        return fmt_percent(x, d, lang)
    unit = m.unit(lang)
    if unit in ("đồng", "VND"):
        return fmt_value(x, unit, d, lang)
    return f"{fmt_number(x, d, lang)} {unit}"


def _when(period: str, lang: str, m: an.Measure | None = None) -> str:
    """"đến hết 6/2019" / "at the end of June 2019" for stocks (counted on the last day);
    "trong 6 tháng đầu năm 2019" / "in the first half of 2019" for flows (summed over the period)."""
    if m is not None and any(catalogue.element(e).kind == "flow" for e in m.numerator):
        text = period_label(period, lang, "long")
        return f"trong {text}" if lang == "vi" else (f"in the {text}" if "half" in text else f"in {text}")
    text = period_label(period, lang, "end")
    return "at the end of " + text.removeprefix("to end of ") if lang == "en" else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _since(row: dict, lang: str) -> str:
    """"so với cùng kỳ năm 2018" / "on the same period of 2018" ("so với năm 2018" for years)."""
    ly = Period.parse(row.get("period_last_year") or Period.parse(row["period"]).same_period_last_year())
    if lang == "en":
        return f"on the same period of {ly.year}" if ly.half else f"on {ly.year}"
    return f"so với cùng kỳ năm {ly.year}" if ly.half else f"so với năm {ly.year}"


def change_clause(row: Mapping | pd.Series, lang: str = "vi") -> str:
    """"tăng 1,08 điểm phần trăm so với cùng kỳ năm 2018", "giảm …", "không thay đổi …", or "" when unknown."""
    r, lang = _row(row), check_lang(lang)
    m = _measure(r)
    x = r.get("change_last_year")
    if is_missing(x):
        return ""
    x = float(x)
    if r.get("change_unit", m.change_unit) == "points":
        size = fmt_points(abs(x), m.decimals, lang, signed=False)
        zero = round(x, m.decimals) == 0
    else:
        size = fmt_change_percent(abs(x), 1, lang, signed=False)
        zero = round(x, 1) == 0
    if zero:
        return f"không thay đổi {_since(r, lang)}" if lang == "vi" else f"unchanged {_since(r, lang)}"
    if lang == "vi":
        return f"{'tăng' if x > 0 else 'giảm'} {size} {_since(r, lang)}"
    return f"{'up' if x > 0 else 'down'} {size} {_since(r, lang)}"


def national_clause(row: Mapping | pd.Series, lang: str = "vi") -> str:
    """"cao hơn mức bình quân của cả nước (20,72 %) 3,35 điểm phần trăm", "thấp hơn …", "ngang …", or ""."""
    r, lang = _row(row), check_lang(lang)
    m = _measure(r)
    nat, value = r.get("national"), r.get("value")
    if r.get("group_kind") == "country" or m.is_count or is_missing(nat) or is_missing(value):
        return ""
    gap = float(value) - float(nat)
    level = _fmt(nat, m, lang)
    size = fmt_points(abs(gap), m.decimals, lang, signed=False) if m.is_percent else _fmt(abs(gap), m, lang)
    if round(gap, m.decimals) == 0:
        return f"ngang mức bình quân của cả nước ({level})" if lang == "vi" else f"level with the national average ({level})"
    if lang == "vi":
        return f"{'cao' if gap > 0 else 'thấp'} hơn mức bình quân của cả nước ({level}) {size}"
    return f"{size} {'above' if gap > 0 else 'below'} the national average ({level})"


def _who(r: dict, lang: str) -> str:
    """The subject of a headline: "8 tỉnh, thành phố trong Cụm II", "tỉnh Quảng Ninh", "cả nước"."""
    ed, kind = r["edition"], r["group_kind"]
    codes = tuple(r.get("reporting") or ()) + tuple(r.get("missing") or ())
    n, k = int(r.get("n_members") or 0), int(r.get("n_reporting") or 0)
    short = _short(r, lang)
    if kind == "province":
        if len(codes) == 1:
            return province_title(codes[0], ed, lang)
        return str(r["group_label" if lang == "vi" else "group_label_en"])
    if kind == "country":
        return "cả nước" if lang == "vi" else "the whole country"
    count = f"{k}/{n}" if k < n else f"{n}"
    if lang == "vi":
        return f"{count} {_units_word(codes, ed)} trong {'vùng ' if kind == 'region' else ''}{short}"
    return f"the {count} provinces of {'the ' if kind == 'region' else ''}{short}"


def headline(row: Mapping | pd.Series, *, best: Mapping | pd.Series | None = None, lang: str = "vi") -> str:
    """The first sentence, from one row of ``analysis.compare`` (plus, for a group, its best province).

    ``best``: a row of ``analysis.ranks`` (code, value, edition) to name after the
    figures, as the Cụm II meeting named Quảng Ninh.
    """
    r, lang = _row(row), check_lang(lang)
    m = _measure(r)
    when = _when(r["period"], lang, m)
    who = _who(r, lang)
    label = m.label(lang).removesuffix(" trong kỳ").removesuffix(" in the period")  # the period is said after
    if is_missing(r.get("value")):
        why = r.get("reason_vi" if lang == "vi" else "reason_en")
        name = _short(r, lang) if r["group_kind"] in ("cluster", "region", "list") else who
        if lang == "vi":
            text = f"Chưa tính được {label[0].lower() + label[1:]} của {name} {when}"
        else:
            text = f"{label} for {name} {when} cannot be computed"
        return text + (f": {why}." if isinstance(why, str) and why else ".")
    extras = [c for c in (national_clause(r, lang), change_clause(r, lang)) if c]
    tail = (", " + _and(extras, lang)) if extras else ""
    aside = _best_aside(best, m, lang, r)
    if m.code == "membership_rate":
        members, people = fmt_number(r["numerator"], 0, lang), fmt_number(r["denominator"], 0, lang)
        rate = fmt_percent(r["value"], m.decimals, lang)
        if lang == "vi":
            if r["group_kind"] in ("province", "country"):
                body = f"{_cap(when)}, {who} có {members} hội viên/{people} người dân, đạt tỉ lệ {rate} dân số"
            else:
                body = f"Tổng số hội viên của {who} {when} là {members} hội viên/{people} người dân, đạt tỉ lệ {rate} dân số"
        else:
            body = f"{_cap(when)}, {who} had {members} members among {people} inhabitants, {rate} of the population"
        return body + tail + aside + "."
    value = _fmt(r["value"], m, lang)
    if m.is_count:
        body = f"{label} của {who} {when}: {value}" if lang == "vi" else f"{label} in {who} {when}: {value}"
        share = r.get("share_of_national")
        if r.get("group_kind") != "country" and not is_missing(share):
            body += (f", bằng {fmt_percent(share, 1, lang)} cả nước" if lang == "vi"
                     else f", {fmt_percent(share, 1, lang)} of the national total")
    else:
        parts = ""
        if not is_missing(r.get("numerator")) and not is_missing(r.get("denominator")):
            parts = f" ({fmt_number(r['numerator'], 0, lang)}/{fmt_number(r['denominator'], 0, lang)})"
        body = (f"{label} của {who} {when} đạt {value}{parts}" if lang == "vi"
                else f"{label} in {who} {when}: {value}{parts}")
    return body + tail + aside + "."


def _short(r: dict, lang: str) -> str:
    """"Cụm II" / "Cluster II" for a cluster row; the group's label otherwise."""
    return str(r["group_label" if lang == "vi" else "group_label_en"]).split(" – ")[0]


def _same_map(have: object, wanted: object, what: str) -> str:
    """``wanted``, after checking that a row of another table is on the same map (like geography.require_edition)."""
    return geo.require_edition(pd.DataFrame({"edition": [str(have)]}), str(wanted), what=what)


def _best_aside(best: Mapping | pd.Series | None, m: an.Measure, lang: str, r: dict) -> str:
    """The seed sentence's "riêng tỉnh Quảng Ninh đạt 31,8 % dân số toàn tỉnh" (membership rate only)."""
    if best is None or m.code != "membership_rate" or r.get("group_kind") == "province" \
            or int(r.get("n_reporting") or 0) < 2:
        return ""
    b = _row(best)
    if is_missing(b.get("value")):
        return ""
    ed = _same_map(b.get("edition", r["edition"]), r["edition"], "headline(best=…)")
    value = _fmt(b["value"], m, lang, PROVINCE_DECIMALS if m.is_percent else None)
    kind = _kinds(ed)[b["code"]]
    if lang == "vi":
        return f"; riêng {province_title(b['code'], ed)} đạt {value} dân số toàn {kind}"
    return f"; {_name(b['code'], ed, 'en')} alone reached {value} of its population"


def province_decimals(indicator: str) -> int:
    """The decimals a province's value is written with in the sentences, and so ranked with everywhere:
    a rate to one decimal ("31,8 %", as the association writes it), a count as the indicator says."""
    m = an.measure(indicator)
    return PROVINCE_DECIMALS if m.is_percent else m.decimals


def ranking_sentence(provinces: pd.DataFrame, row: Mapping | pd.Series, lang: str = "vi", *,
                     best_named: bool = False) -> str:
    """Best and weakest members, and how many stand above the national value.

    ``provinces``: rows of ``analysis.ranks`` for the group's members (code,
    value, edition); ``row``: the group's comparison row (for the national
    value). ``best_named``: the headline already named the best province, so
    only the weakest is named here.
    """
    r, lang = _row(row), check_lang(lang)
    m = _measure(r)
    d = provinces.dropna(subset=["value"])
    if len(d) < 2:
        return ""
    ed = geo.require_edition(d, r["edition"], what="ranking_sentence") if "edition" in r \
        else str(d["edition"].iloc[0])
    dec = province_decimals(m.code)
    rounded = d["value"].round(dec)
    hi, lo = rounded.max(), rounded.min()
    flip = not m.higher_is_better
    top = d[rounded == (lo if flip else hi)]
    low = d[rounded == (hi if flip else lo)]

    def names(frame: pd.DataFrame) -> str:
        return _and([_name(c, ed, lang) for c in frame["code"]], lang)

    if hi == lo:
        text = (f"Các {_units_word(list(d['code']), ed)} có cùng mức {_fmt(hi, m, lang, dec)}" if lang == "vi"
                else f"All provinces stand at {_fmt(hi, m, lang, dec)}")
    elif best_named and len(top) == 1:
        text = (f"Thấp nhất là {names(low)} ({_fmt(low['value'].iloc[0], m, lang, dec)})" if lang == "vi"
                else f"Lowest: {names(low)} ({_fmt(low['value'].iloc[0], m, lang, dec)})")
    elif lang == "vi":
        text = (f"Cao nhất là {names(top)} ({_fmt(top['value'].iloc[0], m, lang, dec)}), "
                f"thấp nhất là {names(low)} ({_fmt(low['value'].iloc[0], m, lang, dec)})")
    else:
        text = (f"Highest: {names(top)} ({_fmt(top['value'].iloc[0], m, lang, dec)}); "
                f"lowest: {names(low)} ({_fmt(low['value'].iloc[0], m, lang, dec)})")
    nat = r.get("national")
    if r.get("group_kind") != "country" and not m.is_count and not is_missing(nat):
        above = int((d["value"].round(m.decimals) > round(float(nat), m.decimals)).sum())
        n = len(d)
        word = "cao hơn" if m.higher_is_better else "thấp hơn"
        if lang == "vi":
            text += f"; {above}/{n} {_units_word(list(d['code']), ed)} {word} mức bình quân của cả nước"
        else:
            text += f"; {above} of {n} {'above' if m.higher_is_better else 'below'} the national average"
    return text + "."


def rank_sentence(rank_row: Mapping | pd.Series, lang: str = "vi") -> str:
    """A province's place: "Tỉnh đứng thứ 1/8 trong Cụm II và thứ 2/63 cả nước." ("" without a value)."""
    r, lang = _row(rank_row), check_lang(lang)
    if is_missing(r.get("value")) or r.get("rank_country") is None or pd.isna(r.get("rank_country")):
        return ""
    ed, code = r["edition"], r["code"]
    place_c = f"{int(r['rank_country'])}/{int(r['n_country'])}"
    cluster = r.get("cluster_label")
    has_cluster = isinstance(cluster, str) and not pd.isna(r.get("rank_cluster"))
    if lang == "vi":
        who = f"{_kinds(ed)[code][0].upper()}{_kinds(ed)[code][1:]} {geo.province_name(code, ed)}"
        if has_cluster:
            return (f"{who} đứng thứ {int(r['rank_cluster'])}/{int(r['n_cluster'])} trong "
                    f"{cluster.split(' – ')[0]} và thứ {place_c} cả nước.")
        return f"{who} đứng thứ {place_c} cả nước."
    who = geo.province_name(code, ed, "en")
    if has_cluster:
        cl = _cluster_en(cluster)
        return f"{who} ranks {int(r['rank_cluster'])} of {int(r['n_cluster'])} in {cl} and {place_c.replace('/', ' of ')} nationally."
    return f"{who} ranks {place_c.replace('/', ' of ')} nationally."


def _cluster_en(label_vi: str) -> str:
    """"Cụm II – Đông Bắc" → "Cluster II"."""
    head = label_vi.split(" – ")[0]
    return head.replace("Cụm", "Cluster")


def _title_label(code: str, lang: str) -> str:
    ind = catalogue.indicators().get(code)
    if ind is not None and ind.title:
        return catalogue.title(ind.title).label(lang)
    return an.measure(code).short(lang)


def _target_value(x: float, lang: str) -> str:
    return fmt_percent(x, 0 if float(x).is_integer() else 1, lang)


def targets_sentence(evaluation: pd.DataFrame, lang: str = "vi", *, who: str | None = None) -> str:
    """Targets met, on track and behind, per decision, from ``analysis.evaluate_targets`` ("" when none)."""
    lang = check_lang(lang)
    if evaluation is None or evaluation.empty:
        return ""
    sentences = []
    for (decision, year), rows in evaluation.groupby(["decision", "target_year"], sort=False):
        first = rows.iloc[0]
        label_vi = first.get("decision_label") if isinstance(first.get("decision_label"), str) \
            else f"mục tiêu của {_decision_vi(str(decision))}"
        label_en = first.get("decision_label_en") if isinstance(first.get("decision_label_en"), str) \
            else f"the targets of {decision}"
        groups: dict[str | None, list[str]] = {"met": [], "on track": [], "behind": [], None: []}
        for t in rows.itertuples():
            label = _title_label(t.indicator, lang)
            if t.status is None or is_missing(t.value):
                groups[None].append(label)
                continue
            groups[t.status].append(
                f"{label} ({fmt_percent(t.value, 1, lang)}; {'mục tiêu' if lang == 'vi' else 'target'} "
                f"{_target_value(t.target, lang)})")
        words = _STATUS_WORDS[lang]
        parts = [f"{words[status]} {_and(groups[status], lang)}" for status in words if groups[status]]
        if lang == "vi":
            lead = f"So với {label_vi} đến năm {year}"
            sentences.append(f"{lead}, {who + ' ' if who else ''}{'; '.join(parts)}.")
        else:
            sentences.append(f"Against {label_en} for {year}: {'; '.join(parts)}.")
    return " ".join(sentences)


def _decision_vi(decision: str) -> str:
    return f"Quyết định {decision}" if "/QĐ-" in decision else decision


def coverage_sentence(row: Mapping | pd.Series, lang: str = "vi") -> str:
    """Who is missing when an aggregate stands on fewer than all members ("" when all reported)."""
    r, lang = _row(row), check_lang(lang)
    n, k = int(r.get("n_members") or 0), int(r.get("n_reporting") or 0)
    if n == 0 or k >= n or r.get("group_kind") == "province":
        return ""
    missing = tuple(r.get("missing") or ())
    ed = r["edition"]
    names = _and([_name(c, ed, lang) for c in missing[:6]], lang) + (" …" if len(missing) > 6 else "")
    share = r.get("population_share")
    share_text = "" if is_missing(share) else fmt_percent(float(share) * 100, 1, lang)
    who = r["group_label"].split(" – ")[0] if lang == "vi" else r["group_label_en"].split(" – ")[0]
    if lang == "vi":
        text = f"Số liệu của {who} tính trên {k}/{n} {_units_word(list(missing), ed)} báo cáo đủ"
        text += f" (chiếm {share_text} dân số)" if share_text else ""
        text += f"; chưa có số liệu của {names}" if names else ""
    else:
        text = f"{who} is computed from the {k} of {n} provinces that reported every figure"
        text += f" ({share_text} of the population)" if share_text else ""
        text += f"; missing: {names}" if names else ""
    return text + "."


def territory_sentence(note: pd.DataFrame, row: Mapping | pd.Series, lang: str = "vi") -> str:
    """Which map the figures use, and old provinces a group gains or loses on the 34-province map."""
    r, lang = _row(row), check_lang(lang)
    ed = r["edition"]
    if note is not None:
        geo.require_edition(note, ed, what="territory_sentence")
    native = geo.edition_for(r["period"])
    who = r["group_label"].split(" – ")[0] if lang == "vi" else r["group_label_en"].split(" – ")[0]
    out = []
    if ed != native:
        if ed == "2025":
            out.append("Số liệu được quy đổi sang bản đồ 34 tỉnh, thành phố (cộng số liệu các tỉnh cũ)."
                       if lang == "vi" else
                       "Figures are re-expressed on the 34-province map (sums of the old provinces).")
        else:
            out.append("Số liệu được trình bày theo bản đồ 63 tỉnh, thành phố (trước 1/7/2025)."
                       if lang == "vi" else "Figures are shown on the 63-province map (before 1 July 2025).")
    if note is not None and not note.empty and ed == "2025":
        added = note[note["change"] == "added"]
        left = note[note["change"] == "left"]
        if len(added):
            if lang == "vi":
                olds = _and([f"{n} cũ ({c})" for c, n in zip(added["code_2008"], added["name_2008"], strict=True)],
                            lang)
                news = _and([f"{_kinds('2025')[c]} {n}" for c, n in
                             sorted(set(zip(added["code_2025"], added["name_2025"], strict=True)))], lang)
                out.append(f"Lưu ý: trên bản đồ 34 tỉnh, {who} gồm cả địa bàn {olds}, trước đây không thuộc {who}, "
                           f"vì đã hợp nhất vào {news} mới; số liệu không so sánh trực tiếp với {who} trước 1/7/2025.")
            else:
                olds = _and([f"old {geo.province_name(c, '2008', 'en')} ({c})" for c in added["code_2008"]], lang)
                out.append(f"Note: on the 34-province map {who} also covers {olds}, formerly outside {who}, "
                           f"merged into {_and(sorted({geo.province_name(c, '2025', 'en') for c in added['code_2025']}), lang)}; "
                           f"figures are not directly comparable with {who} before 1 July 2025.")
        if len(left):
            if lang == "vi":
                olds = _and([f"{n} cũ ({c})" for c, n in zip(left["code_2008"], left["name_2008"], strict=True)], lang)
                out.append(f"Địa bàn {olds} nay thuộc tỉnh, thành phố của cụm khác, không còn tính trong {who}.")
            else:
                olds = _and([f"old {geo.province_name(c, '2008', 'en')} ({c})" for c in left["code_2008"]], lang)
                out.append(f"{olds} now belong to provinces outside {who}.")
    return " ".join(out)


def quality_sentence(flags: pd.DataFrame | None, lang: str = "vi", *, limit: int = 2) -> str:
    """How many quality flags concern the figures, with the first ``limit`` messages ("" when none)."""
    lang = check_lang(lang)
    if flags is None or flags.empty:
        return ""
    column = "message_vi" if lang == "vi" else "message_en"
    examples = [str(x) for x in flags[column].dropna().head(limit)] if column in flags.columns else []
    n = len(flags)
    if lang == "vi":
        text = f"Có {fmt_number(n, 0, lang)} cảnh báo chất lượng số liệu cần xem lại"
        return text + (f", ví dụ: {'; '.join(examples)}." if examples else ".")
    text = f"{fmt_number(n, 0, lang)} data-quality flag{'s' if n != 1 else ''} should be checked"
    return text + (f", e.g. {'; '.join(examples)}." if examples else ".")


def synthetic_sentence(synthetic: bool, lang: str = "vi") -> str:
    """The warning that illustrative figures are among the numbers ("" when none are)."""
    if not synthetic:
        return ""
    if check_lang(lang) == "vi":
        return "Lưu ý: có số liệu minh hoạ (tổng hợp, không phải số liệu thực tế) trong các con số trên."
    return "Note: some of these figures are synthetic (illustrative), not real data."


def _frame(items: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(t, s) for t, s in items if s], columns=["topic", "text"])


# --- summaries ---------------------------------------------------------------------------------


def summary(
    obs: pd.DataFrame,
    group: object,
    period: str | Period,
    *,
    indicator: str = "membership_rate",
    edition: str | None = None,
    lang: str = "vi",
    flags: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    threshold: an.Threshold | None = None,
    clusters_path: str | Path | None = None,
) -> pd.DataFrame:
    """Sentences about a cluster, a region, a province or the country at a period: columns topic, text.

    Topics in order: headline, ranking (best and weakest members, or a
    province's place), targets (learning titles against the current targets),
    coverage, territory (map used, old provinces gained or lost), quality
    (``flags`` = Store.flags()), synthetic.
    """
    lang = check_lang(lang)
    p = half_year(period)
    ed = geo.check_edition(edition) if edition else geo.edition_for(p)
    g = an.as_group(group, edition=ed, clusters_path=clusters_path)
    if edition is None and g.edition is not None and g.edition != ed:
        ed = _own_map(g, ed)
    row = an.compare(obs, indicator, g, p, edition=ed, threshold=threshold,
                     clusters_path=clusters_path).iloc[0].to_dict()
    ranked = an.ranks(obs, indicator, p, edition=ed, decimals=province_decimals(indicator), clusters_path=clusters_path)
    codes, _, _ = an.members_on(g, ed, p)
    mine = ranked[ranked["code"].isin(codes)]
    items: list[tuple[str, str]] = []
    best = None
    if pd.isna(row["value"]):  # no group value: naming a best or weakest member of a partial set would mislead
        mine = mine.iloc[0:0]
    if g.kind != "province" and mine["value"].notna().sum() >= 2:
        m = an.measure(indicator)
        best = mine.sort_values("value", ascending=not m.higher_is_better).iloc[0]
    items.append(("headline", headline(row, best=best, lang=lang)))
    if g.kind == "province":
        items.append(("ranking", rank_sentence(mine.iloc[0], lang) if len(mine) == 1 else ""))
    else:
        items.append(("ranking", ranking_sentence(mine, row, lang, best_named=best is not None
                                                  and indicator == "membership_rate" and not pd.isna(row["value"]))))
    evaluation = an.evaluate_targets(obs, g, p, edition=ed, targets=targets, clusters_path=clusters_path)
    items.append(("targets", targets_sentence(evaluation, lang)))
    items.append(("coverage", coverage_sentence(row, lang)))
    note = an.territory_note(g, ed) if g.kind in ("cluster", "region") else None
    items.append(("territory", territory_sentence(note, row, lang)))
    items.append(("quality", quality_sentence(an.quality_flags(flags, g, p, edition=ed), lang)))
    synthetic = bool(row.get("synthetic")) or bool(mine["synthetic"].any()) or bool(
        evaluation["synthetic"].any() if len(evaluation) else False)
    items.append(("synthetic", synthetic_sentence(synthetic, lang)))
    return _frame(items)


def _own_map(g: an.Group, native: str) -> str:
    """The map a province or list is read on at a period of the other map: the native one when the
    territory is the same on both (the eleven unchanged provinces), else the group's own."""
    assert g.edition is not None
    same = all(geo.crosswalk().set_index("code_2008").loc[c, "unchanged"] for c in g.codes) \
        if g.edition == "2008" else all(len(geo.parts(c)) == 1 for c in g.codes)
    return native if same else g.edition


def cluster_summary(obs: pd.DataFrame, cluster: object, period: str | Period, **options: object) -> pd.DataFrame:
    """``summary`` for a cluster (number, slug or name)."""
    g = cluster if isinstance(cluster, an.Group) else an.cluster(cluster, clusters_path=options.get("clusters_path"))  # type: ignore[arg-type]
    return summary(obs, g, period, **options)  # type: ignore[arg-type]


def province_summary(obs: pd.DataFrame, province: object, period: str | Period, **options: object) -> pd.DataFrame:
    """``summary`` for a province (name or code on the map of ``edition``, else of the period)."""
    p = half_year(period)
    ed = str(options.get("edition") or geo.edition_for(p))
    g = province if isinstance(province, an.Group) else an.province(province, ed)
    return summary(obs, g, p, **options)  # type: ignore[arg-type]


def country_summary(obs: pd.DataFrame, period: str | Period, **options: object) -> pd.DataFrame:
    """``summary`` for the whole country."""
    return summary(obs, an.country(), period, **options)  # type: ignore[arg-type]


def text(sentences: pd.DataFrame, sep: str = " ") -> str:
    """The sentences of a summary as one paragraph."""
    return sep.join(sentences["text"]) if len(sentences) else ""
