"""Whom an aggregate is over: a province, a list, a cluster, a GSO region or the country, on either map."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.analysis import lookups as lk
from khanalytics.analysis.observations import AnalysisError
from khanalytics.periods import Period
from khanalytics.text import fold

_COUNTRY_WORDS = {"country", "national", "vn", "vietnam", "canuoc", "toanquoc", "quocgia"}
TERRITORY_COLUMNS = ["code_2008", "name_2008", "code_2025", "name_2025", "change", "note_vi", "note_en"]
"""The columns of ``territory_note``."""


@dataclass(frozen=True)
class Group:
    """A set of provinces to aggregate over, named in both languages so every table can say whose figure it is."""

    kind: str
    key: str
    label_vi: str
    label_en: str
    codes: tuple[str, ...] = ()  # province / list: codes on ``edition``'s map
    edition: str | None = None
    grouping: clu.Grouping | None = field(default=None, compare=False)

    def label(self, lang: str = "vi") -> str:
        """The full name in one language."""
        return self.label_en if lang == "en" else self.label_vi

    def short_label(self, lang: str = "vi") -> str:
        """"Cụm II" for "Cụm II – Đông Bắc"; the label otherwise."""
        text = self.label(lang)
        return text.split(" – ")[0] if self.kind == "cluster" else text


def country() -> Group:
    """The whole country: every province of whichever map is used."""
    return Group("country", "VN", "Cả nước", "Whole country")


def province(name: object, edition: str) -> Group:
    """One province, by name or code on ``edition``'s map (a code means different land on the other map)."""
    ed = geo.check_edition(edition)
    code = geo.resolve_province(name, edition=ed)
    return Group("province", code, lk.name(code, ed), lk.name(code, ed, "en"), (code,), ed)


def province_list(names: Iterable[object], edition: str, *, label_vi: str | None = None,
                  label_en: str | None = None) -> Group:
    """A list of provinces of one map, aggregated like a cluster (a ratio of sums, every member needed)."""
    ed = geo.check_edition(edition)
    codes = tuple(dict.fromkeys(geo.resolve_province(n, edition=ed) for n in names))
    if not codes:
        raise AnalysisError("Danh sách tỉnh rỗng", "empty list of provinces", rule="empty_group")
    vi = [lk.name(c, ed) for c in codes]
    en = [lk.name(c, ed, "en") for c in codes]
    return Group("list", "+".join(codes), label_vi or ", ".join(vi), label_en or ", ".join(en), codes, ed)


def cluster(key: str | int, *, clusters_path: str | Path | None = None) -> Group:
    """A cluster of the association (number, slug or name), with its dated memberships."""
    g = clu.load_clusters(clusters_path).get(key)
    return Group("cluster", g.slug, g.name_vi, g.name_en, grouping=g)


def region(key: str, edition: str = "2008") -> Group:
    """A GSO socio-economic region, which Cụm III's name would otherwise shadow."""
    g = clu.region(key, edition)
    return Group("region", g.slug, g.name_vi, g.name_en, grouping=g)


def as_group(spec: object, *, edition: str | None = None, clusters_path: str | Path | None = None) -> Group:
    """A Group from what users write: "country", a cluster ("Cụm II", "cụm 2", "dong-bac"), a region,
    a province name or two-digit code, or a list of provinces.

    Province names are read on ``edition``'s map — the analysis passes the map of the period asked
    for, since a name such as "Bắc Ninh" is a different territory on each map — and, with no
    ``edition``, on the 2008 map, else on the 2025 map.

    Numbers: a number that is both a cluster's number and a province code ("2": Cụm II or Hà Giang,
    02) is refused with both readings; say "cụm 2" / "cluster:2" for the cluster and "tỉnh 02" /
    "province:02" (or "02", a code as codes are written) for the province. A number that can only
    be one of them is that one ("3" is Cụm III, "22" is Quảng Ninh). ``kind:key`` as in the ``key``
    column of trend series ("province:22", "cluster:dong-bac", "region:dbsh", "country:VN") is read too.
    """
    if isinstance(spec, Group):
        return spec
    if spec is None or (isinstance(spec, str) and "".join(fold(spec).split()) in _COUNTRY_WORDS):
        return country()
    if isinstance(spec, clu.Grouping):
        return Group(spec.kind, spec.slug, spec.name_vi, spec.name_en, grouping=spec)
    if isinstance(spec, list | tuple | set | pd.Series | pd.Index):
        return _on_some_map(lambda ed: province_list(list(spec), ed), edition)
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = str(spec)
    text = str(spec).strip()
    explicit = _EXPLICIT.match(text)
    if explicit:
        kind, rest = _KIND_WORDS[fold(explicit["kind"])], explicit["rest"].strip()
        if kind == "country":
            return country()
        if kind == "cluster":  # the whole text: the cluster file's lookup reads "Cụm II – Đông Bắc" itself
            return cluster(text, clusters_path=clusters_path)
        if kind == "region":
            return region(rest, edition or "2008")
        return _on_some_map(lambda ed: province(rest, ed), edition)
    if text.isdigit():
        return _number(text, edition, clusters_path)
    try:
        return cluster(text, clusters_path=clusters_path)
    except clu.ClusterError:
        pass
    try:
        return region(text, edition or "2008")
    except clu.ClusterError:
        pass
    return _on_some_map(lambda ed: province(text, ed), edition)


_KIND_WORDS = {"cum": "cluster", "cluster": "cluster", "tinh": "province", "province": "province", "vung": "region",
               "region": "region", "country": "country"}
# "vùng" only with its accent: "Vung Tau" is a province
_EXPLICIT = re.compile(r"^(?P<kind>cụm|cum|cluster|tỉnh|tinh|province|vùng|region|country)\s*(?::\s*|\s+)"
                       r"(?P<rest>\S.*)$", re.IGNORECASE)


def _number(text: str, edition: str | None, clusters_path: str | Path | None) -> Group:
    """A bare number: a cluster's number or a province code, refused when it could be both."""
    n = int(text)
    numbered = next((g for g in clu.load_clusters(clusters_path) if g.number == n), None)
    code = f"{n:02d}"
    maps = [ed for ed in geo.EDITIONS if code in lk.codes(ed)]
    if numbered is None or (len(text) == 2 and text.startswith("0")):  # "02" is a code as codes are written
        return _on_some_map(lambda ed: province(text, ed), edition)
    if not maps:
        return cluster(n, clusters_path=clusters_path)
    on_vi = "; ".join(f"{lk.name(code, ed)} (mã {code}, bản đồ {ed})" for ed in maps)
    on_en = "; ".join(f"{lk.name(code, ed, 'en')} (code {code}, {ed} map)" for ed in maps)
    raise AnalysisError(
        f"{text!r} có thể là {numbered.name_vi} hoặc tỉnh {on_vi}. Ghi rõ: 'cụm {n}' (hoặc 'cluster:{n}', "
        f"'{numbered.slug}') cho cụm; 'tỉnh {code}' (hoặc 'province:{code}', '{code}') cho tỉnh.",
        f"{text!r} could be {numbered.name_en} or the province {on_en}. Say which: 'cluster:{n}' (or "
        f"'cụm {n}', '{numbered.slug}') for the cluster; 'province:{code}' (or 'tỉnh {code}', '{code}') for "
        "the province.",
        rule="ambiguous_group", value=text,
    )


def _on_some_map(make: Callable[[str], Group], edition: str | None) -> Group:
    if edition:
        return make(geo.check_edition(edition))
    try:
        return make("2008")
    except geo.GeographyError as first:
        try:
            return make("2025")
        except geo.GeographyError:
            raise first from None


def _grouping_on(group: Group, edition: str) -> clu.Grouping:
    if group.kind == "region":
        return clu.region(group.key, edition)
    assert group.grouping is not None
    return group.grouping


def members_on(group: Group, edition: str, period: str | Period) -> tuple[tuple[str, ...], str | None, str | None]:
    """The members of a group on ``edition``'s map at a period: (codes, reason_vi, reason_en).

    A cluster or region uses its membership in force at the period when the
    period is on that map, else its membership on that map (the 2025 one over
    the history, the last 2008 one after the reform). A province or list moves
    to the other map only as whole territories: a 2025 province is the sum of
    its old parts; old provinces give 2025 ones only when they make whole new
    provinces. Codes are empty, with the reason, when that is impossible.
    """
    ed = geo.check_edition(edition)
    p = Period.parse(period)
    if group.kind == "country":
        return lk.codes(ed), None, None
    if group.kind in ("cluster", "region"):
        grouping = _grouping_on(group, ed)
        try:
            if geo.edition_for(p) == ed:
                return tuple(grouping.members(at=p)), None, None
            return tuple(grouping.members(edition=ed)), None, None
        except clu.ClusterError as err:
            return (), f"{group.label_vi}: không có thành viên trên bản đồ {ed} vào {p.code}", str(err)
    assert group.edition is not None
    if group.edition == ed:
        return group.codes, None, None
    if ed == "2008":  # 2025 provinces as their old parts
        return tuple(c for code in group.codes for c in lk.parts(code)), None, None
    return _whole_new_provinces(group)


def _whole_new_provinces(group: Group) -> tuple[tuple[str, ...], str | None, str | None]:
    """Old provinces as new ones, or the reason they cannot be: a new province also made of others."""
    wanted = set(group.codes)
    new = tuple(dict.fromkeys(lk.successor(c) for c in group.codes))
    split = [c for c in new if not set(lk.parts(c)) <= wanted]
    if not split:
        return new, None, None

    def others(c: str, lang: str) -> str:
        return ", ".join(lk.label(o, "2008", lang) for o in lk.parts(c) if o not in wanted)

    names_vi = "; ".join(f"{lk.name(c, '2025')} mới còn gồm {others(c, 'vi')}" for c in split)
    names_en = "; ".join(f"new {lk.name(c, '2025', 'en')} also includes {others(c, 'en')}" for c in split)
    return (), (
        f"trên bản đồ 34 tỉnh, {group.label_vi} chỉ là một phần của tỉnh mới ({names_vi}); "
        "không tách được số liệu từ 1/7/2025"
    ), (
        f"on the 34-province map {group.label_en} is only part of a new province ({names_en}); "
        "values from 1 July 2025 cannot be split"
    )


def clusters_on(edition: str, period: str | Period, clusters_path: str | Path | None = None) -> dict[str, clu.Grouping]:
    """{province code: its cluster} on a map at a period, for ranks within clusters."""
    out: dict[str, clu.Grouping] = {}
    for grouping in clu.load_clusters(clusters_path):
        g = Group("cluster", grouping.slug, grouping.name_vi, grouping.name_en, grouping=grouping)
        codes, _, _ = members_on(g, edition, period)
        for c in codes:
            out[c] = grouping
    return out


def territory_note(group: object, edition: str = "2025", *, clusters_path: str | Path | None = None) -> pd.DataFrame:
    """Old (2008) provinces a cluster or region takes in, or leaves out, when drawn on ``edition``'s map.

    On the 2025 map Cụm II includes old Bắc Ninh (27), which new Bắc Ninh
    absorbed from another cluster: such rows have change "added". Old
    members whose new province went to another group have change "left".
    Empty on the 2008 map and for the country. Columns: ``TERRITORY_COLUMNS``;
    ``attrs["edition"]`` names the map the note was drawn for.
    """
    ed = geo.check_edition(edition)
    g = as_group(group, edition=ed, clusters_path=clusters_path)
    empty = geo.with_edition(pd.DataFrame(columns=TERRITORY_COLUMNS), ed)
    if ed == "2008" or g.kind not in ("cluster", "region"):
        return empty
    try:
        old = set(_grouping_on(g, "2008").members(edition="2008"))
        new = list(_grouping_on(g, "2025").members(edition="2025"))
    except clu.ClusterError:
        return empty
    rows = []
    for code in new:
        for part in lk.parts(code):
            if part not in old:
                n_old, n_new = lk.name(part, "2008"), lk.name(code, "2025")
                rows.append([part, n_old, code, n_new, "added",
                             f"{n_new} (bản đồ 34 tỉnh) gồm cả địa bàn {n_old} cũ ({part}), trước đây không thuộc "
                             f"{g.short_label()}",
                             f"{lk.name(code, '2025', 'en')} (34-province map) includes old "
                             f"{lk.name(part, '2008', 'en')} ({part}), formerly outside {g.short_label('en')}"])
    for part in sorted(old):
        code = lk.successor(part)
        if code not in new:
            n_old, n_new = lk.name(part, "2008"), lk.name(code, "2025")
            rows.append([part, n_old, code, n_new, "left",
                         f"{n_old} cũ ({part}) nay thuộc {n_new}, không còn trong {g.short_label()}",
                         f"old {lk.name(part, '2008', 'en')} ({part}) is now part of "
                         f"{lk.name(code, '2025', 'en')}, outside {g.short_label('en')}"])
    return geo.with_edition(pd.DataFrame(rows, columns=TERRITORY_COLUMNS), ed)
