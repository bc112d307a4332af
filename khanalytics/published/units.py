"""Who a published figure is about: a province on the map of its date, a cluster, or the country.

The press writes units as it pleases ("Cụm Tây Bắc (9 tỉnh: …)", "Cụm khuyến
học số 6", "Toàn quốc", "TP Hồ Chí Minh"). A province is read on the map in
force on the figure's date; a name that exists only on the other map (an old
province written after the 2025 reform) is kept on that map and said so;
before 1/8/2008 a province is kept on the earlier map, with Hà Tây, which the
2008 map no longer has. A cluster that cannot be identified is kept as
written, unresolved: the record never drops a figure for its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError
from khanalytics.published.asof import PRE_2008, AsOf
from khanalytics.text import fold

UNIT_TYPES: dict[str, str] = {
    "province": "province", "tinh": "province", "tinh thanh": "province", "tinh thanh pho": "province",
    "cluster": "cluster", "cum": "cluster", "cum thi dua": "cluster",
    "national": "national", "country": "national", "toan quoc": "national", "ca nuoc": "national",
    "quoc gia": "national",
}
"""What a file may write in ``unit_type`` (folded), and the type it means."""

FORMER_PROVINCES: dict[str, tuple[str, str]] = {
    "hatay": ("Hà Tây", "merged into Hà Nội on 1/8/2008 (Nghị quyết 15/2008/QH12)"),
}
"""Provinces of the map before 1/8/2008 that the 2008 map does not have (name key → name, what became of it)."""

_CLUSTER_NUMBER = re.compile(r"\b(?:cum|cluster)\s*(?:thi dua|khuyen hoc|cong tac khuyen hoc)?\s*(?:so|no)?\s*"
                             r"(\d{1,2}|[ivx]{1,4})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_COUNTRY = {"toanquoc", "canuoc", "vietnam", "quocgia", "vn", "national", "country"}


class UnitError(KhanalyticsError, ValueError):
    """A unit type the record does not know, or a province name found on no map."""

    rule = "unknown_unit"


@dataclass(frozen=True)
class Unit:
    """A unit as written and as resolved: type, map, code (province) or slug (cluster), name, and a note."""

    unit_type: str
    written: str
    edition: str | None  # "2008", "2025", "pre-2008"; None when undated and not a province
    code: str | None  # province code on ``edition``'s map, cluster slug, "VN"; None when unresolved
    name: str
    number: int | None = None  # a cluster's number
    note: str = ""

    @property
    def key(self) -> str:
        """"province:2008:30", "cluster:dong-bac", "national:VN"; the written name when unresolved."""
        if self.unit_type == "province":
            return f"province:{self.edition}:{self.code or fold(self.written)}"
        return f"{self.unit_type}:{self.code or fold(self.written)}"


def unit_type(text: object) -> str:
    """"province", "cluster" or "national" from what a file writes; UnitError listing the choices otherwise."""
    found = UNIT_TYPES.get(fold(text or ""))
    if found is None:
        raise UnitError(f"Loại đơn vị không hợp lệ {text!r}: chọn province (tỉnh), cluster (cụm) hoặc national "
                        "(toàn quốc).", f"unknown unit type {text!r}: choose province, cluster or national.",
                        value=text)
    return found


def resolve_unit(kind: str, written: str, asof: AsOf) -> Unit:
    """The unit a row is about, on the map of its date; UnitError for a province no map knows."""
    if kind == "national":
        return Unit("national", written, asof.edition, "VN", "Toàn quốc")
    if kind == "cluster":
        return _cluster(written, asof)
    return _province(written, asof)


def _cluster(written: str, asof: AsOf) -> Unit:
    folded = fold(written)
    match = _CLUSTER_NUMBER.search(folded)
    keys: list[object] = []
    if match:
        token = match.group(1)
        keys.append(int(token) if token.isdigit() else _ROMAN.get(token, token))
    keys += [written.split("(")[0].strip(), written]
    for key in keys:
        try:
            g = clu.load_clusters().get(key)  # type: ignore[arg-type]
        except clu.ClusterError:
            continue
        return Unit("cluster", written, asof.edition, g.slug, g.name_vi, g.number)
    return Unit("cluster", written, asof.edition, None, written, None,
                "cụm chưa xác định được trong tệp cụm / cluster not identified in the clusters file")


def _province(written: str, asof: AsOf) -> Unit:
    native = asof.edition
    if native == PRE_2008:
        former = FORMER_PROVINCES.get(geo.name_key(written))
        if former is not None:
            return Unit("province", written, PRE_2008, None, former[0], None,
                        f"tỉnh của bản đồ trước 1/8/2008 / a province of the map before 1 August 2008: {former[1]}")
        code = geo.resolve_province(written, edition="2008")  # the same names, before the 2008 map began
        return Unit("province", written, PRE_2008, code, geo.province_name(code, "2008"), None,
                    "số liệu trước 1/8/2008: bản đồ cũ (mã theo bản đồ 2008) / before 1 August 2008: the earlier "
                    "map (code of the 2008 map)")
    order = [native] if native else []
    order += [e for e in ("2008", "2025") if e not in order]
    first: geo.ProvinceNameError | None = None
    for edition in order:
        try:
            code = geo.resolve_province(written, edition=edition)
        except geo.ProvinceNameError as err:
            first = first or err
            continue
        note = ""
        if native and edition != native:
            note = (f"tên của bản đồ {edition}, số liệu ngày {asof.label()} (bản đồ {native}): giữ theo bản đồ "
                    f"{edition} / a name of the {edition} map in a figure of the {native} map: kept on the "
                    f"{edition} map")
        elif not native:
            note = f"không rõ thời điểm: đọc trên bản đồ {edition} / undated: read on the {edition} map"
        return Unit("province", written, edition, code, geo.province_name(code, edition), None, note)
    assert first is not None
    raise UnitError(first.vi, first.en, value=written)


def is_country(text: object) -> bool:
    """Whether a user's unit means the whole country ("Toàn quốc", "cả nước", "VN", "national")."""
    return geo.name_key(text) in _COUNTRY
