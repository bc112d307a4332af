"""Groupings of provinces: the association's clusters (cụm thi đua) and GSO regions.

Cluster membership changes over time, so it is stored per edition with the
dates it holds, never as an attribute of a province. The packaged file can be
replaced by the user's own (same shape; see reference/clusters.yaml).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError, ReferenceFileError
from khanalytics.periods import Period
from khanalytics.userfiles import check_schema, parse_yaml, read_yaml

CONFIDENCE = ("high", "derived", "unconfirmed")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


_WHAT = ("Tệp cụm thi đua", "clusters file")
PACKAGED = "khanalytics/reference/clusters.yaml"


class ClusterError(KhanalyticsError, ValueError):
    """An unknown cluster or region, or a cluster file that does not hold together."""

    rule = "unknown_cluster"


class ClusterFileError(ClusterError, ReferenceFileError):
    """A clusters file that cannot be read or breaks its schema (names the file, entry and field)."""

    rule = "bad_reference_file"


@dataclass(frozen=True)
class Membership:
    """Who belongs to a grouping on one map between two dates, how sure we are, and where it says so."""

    edition: geo.Edition
    valid_from: dt.date
    valid_to: dt.date | None
    members: tuple[str, ...]
    confidence: str
    source: str

    def holds_on(self, day: dt.date) -> bool:
        """Whether the membership is in force on ``day`` (both ends included)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Grouping:
    """A named set of provinces: a cluster or a region."""

    kind: str  # "cluster" or "region"
    slug: str
    name_vi: str
    name_en: str
    number: int | None = None
    memberships: tuple[Membership, ...] = field(default=())

    def name(self, lang: str = "vi") -> str:
        """The grouping's name in one language."""
        return self.name_en if lang == "en" else self.name_vi

    def membership(self, *, at: dt.date | str | Period | None = None, edition: str | None = None) -> Membership:
        """The membership in force at a date (or period end), or the latest of an edition."""
        if at is not None:
            day = _as_date(at)
            ed = geo.edition_for(day)
            if edition is not None and geo.check_edition(edition) != ed:
                raise ClusterError(f"{at} thuộc bản đồ {ed}, không phải {edition}", f"{at} is on the {ed} map",
                                   rule="edition_mismatch", value=at)
            hits = [m for m in self.memberships if m.edition == ed and m.holds_on(day)]
        else:
            ed = geo.check_edition(edition or "2025")
            hits = sorted((m for m in self.memberships if m.edition == ed), key=lambda m: m.valid_from)[-1:]
        if not hits:
            raise ClusterError(f"{self.name_vi}: không có thành viên vào {at or edition}",
                               f"{self.name_en}: no members at {at or edition}", rule="no_members", value=at or edition)
        return hits[-1]

    def members(self, *, at: dt.date | str | Period | None = None, edition: str | None = None) -> list[str]:
        """Province codes of the membership in force at ``at`` (or the latest of ``edition``)."""
        return list(self.membership(at=at, edition=edition).members)


def _as_date(at: dt.date | str | Period) -> dt.date:
    if isinstance(at, dt.datetime):
        return at.date()
    if isinstance(at, dt.date):
        return at
    try:
        return dt.date.fromisoformat(str(at))
    except ValueError:
        return Period.parse(at).end  # type: ignore[arg-type]


class Clusters:
    """The clusters of one file, with lookups by number, slug or name."""

    def __init__(self, groupings: list[Grouping], source: str) -> None:
        self.groupings = groupings
        self.source = source
        self._check_no_overlap()

    def __iter__(self):
        return iter(self.groupings)

    def __len__(self) -> int:
        return len(self.groupings)

    def get(self, key: str | int) -> Grouping:
        """A cluster by number (2, "2", "II"), slug ("dong-bac") or name ("Cụm II", "Đông Bắc")."""
        wanted = _cluster_key(key)
        for g in self.groupings:
            names = {str(g.number), g.slug, geo.name_key(g.name_vi), geo.name_key(g.name_en)}
            names |= {geo.name_key(part) for part in re.split(r"[–-]", g.name_vi + "–" + g.name_en)}
            if wanted in names:
                return g
        choices = ", ".join(f"{g.slug} ({g.name_vi})" for g in self.groupings)
        raise ClusterError(f"Không có cụm {key!r}; các cụm: {choices}", f"unknown cluster {key!r}; clusters: {choices}",
                           value=key)

    def cluster_of(self, province: str, *, at: dt.date | str | Period) -> Grouping | None:
        """The cluster a province (name or code, on the map in force at ``at``) belongs to then."""
        day = _as_date(at)
        code = geo.resolve_province(province, edition=geo.edition_for(day))
        for g in self.groupings:
            for m in g.memberships:
                if m.edition == geo.edition_for(day) and m.holds_on(day) and code in m.members:
                    return g
        return None

    def unassigned(self, *, at: dt.date | str | Period) -> list[str]:
        """Provinces of the map in force at ``at`` that no cluster holds then."""
        day = _as_date(at)
        held = {c for g in self.groupings for m in g.memberships if m.holds_on(day) for c in m.members}
        return [c for c in geo.province_codes(geo.edition_for(day)) if c not in held]

    def _check_no_overlap(self) -> None:
        seen: dict[tuple[str, str], tuple[Grouping, Membership]] = {}
        for g in self.groupings:
            for m in g.memberships:
                for code in m.members:
                    prev = seen.get((m.edition, code))
                    if prev and prev[0] is not g and _overlap(prev[1], m):
                        raise ClusterFileError(
                            f"{self.source}: tỉnh {code} ({m.edition}) ở cả {prev[0].name_vi} và {g.name_vi} cùng lúc",
                            f"{self.source}: province {code} ({m.edition}) is in {prev[0].name_en} and {g.name_en} "
                            "at once", file=self.source, entry=f"clusters.{g.slug}", field="members", value=code)
                    seen[(m.edition, code)] = (g, m)


def _overlap(a: Membership, b: Membership) -> bool:
    end_a = a.valid_to or dt.date.max
    end_b = b.valid_to or dt.date.max
    return a.valid_from <= end_b and b.valid_from <= end_a


def _cluster_key(key: str | int) -> str:
    text = str(key).strip()
    text = re.sub(r"^(?:cum|cụm|cluster)\s*:?\s*(?:so|số|no\.?)?\s*", "", text, flags=re.IGNORECASE)
    if text.upper() in _ROMAN:
        return str(_ROMAN[text.upper()])
    if text.isdigit():
        return str(int(text))
    slug = text.lower()
    if re.fullmatch(r"[a-z0-9-]+", slug) and "-" in slug:
        return slug
    return geo.name_key(text)


def _date_or_none(value: object) -> object:
    return None if value in (None, "") else _as_date(value)  # type: ignore[arg-type]


_Date = Annotated[dt.date | None, BeforeValidator(_date_or_none)]
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_MUSTS = {
    "confidence": (" | ".join(CONFIDENCE), " | ".join(CONFIDENCE)),
    "number": ("số thứ tự của cụm (số nguyên)", "the cluster's number (an integer)"),
    "valid_from": ("một ngày (2019-06-30) hoặc kỳ (2019-H1)", "a date (2019-06-30) or period (2019-H1)"),
    "valid_to": ("một ngày (2019-06-30) hoặc kỳ (2019-H1)", "a date (2019-06-30) or period (2019-H1)"),
}


class MembershipEntry(BaseModel):
    """One membership as the file writes it: an edition, dates, province names or codes, confidence, source."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    edition: Annotated[str, AfterValidator(geo.check_edition)]
    valid_from: _Date = None
    valid_to: _Date = None
    members: tuple[str, ...]
    confidence: Literal["high", "derived", "unconfirmed"] = "unconfirmed"
    source: str = ""

    @field_validator("members")
    @classmethod
    def _resolve(cls, members: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        edition = info.data.get("edition")
        if edition is None:  # the edition's own error says what is wrong
            return members
        return tuple(geo.resolve_province(m, edition=edition) for m in members)

    def membership(self) -> Membership:
        """The checked membership, its start defaulting to the edition's first day."""
        edition = geo.check_edition(self.edition)
        start = self.valid_from or geo.EDITION_INFO[edition].valid_from
        return Membership(edition, start, self.valid_to, self.members, self.confidence, self.source)


class ClusterEntry(BaseModel):
    """One cluster as the file writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    number: int
    slug: _Text | None = None
    name_vi: _Text
    name_en: _Text | None = None
    memberships: tuple[MembershipEntry, ...]

    def grouping(self) -> Grouping:
        """The cluster as a Grouping; slug and English name defaulted from the number and Vietnamese name."""
        return Grouping("cluster", self.slug or f"cum-{self.number}", self.name_vi, self.name_en or self.name_vi,
                        self.number, tuple(m.membership() for m in self.memberships))


class ClustersFile(BaseModel):
    """A clusters file: a list of clusters (other top-level keys, such as ``version``, are ignored)."""

    model_config = ConfigDict(frozen=True)

    clusters: tuple[ClusterEntry, ...]


def parse_clusters(data: object, source: str) -> Clusters:
    """The clusters of a parsed YAML file; ClusterFileError naming the file, entry and field when it is broken."""
    checked = check_schema(ClustersFile, data, source, ClusterFileError, _MUSTS, _WHAT)
    return Clusters([c.grouping() for c in checked.clusters], source)


@cache
def _packaged() -> Clusters:
    text = resources.files("khanalytics.reference").joinpath("clusters.yaml").read_text(encoding="utf-8")
    return parse_clusters(parse_yaml(text, PACKAGED, ClusterFileError), PACKAGED)


def load_clusters(path: str | Path | None = None) -> Clusters:
    """The packaged clusters, or those of the user's YAML file."""
    if path is None:
        return _packaged()
    return parse_clusters(read_yaml(path, ClusterFileError), str(path))


def members(
    cluster: str | int,
    *,
    at: dt.date | str | Period | None = None,
    edition: str | None = None,
    path: str | Path | None = None,
) -> list[str]:
    """Province codes of a cluster at a date (or period), or in an edition."""
    return load_clusters(path).get(cluster).members(at=at, edition=edition)


def cluster_of(province: str, *, at: dt.date | str | Period, path: str | Path | None = None) -> Grouping | None:
    """The cluster a province belonged to at a date or period (None when none held it)."""
    return load_clusters(path).cluster_of(province, at=at)


def regions(edition: str) -> list[Grouping]:
    """The six GSO regions as groupings of one edition (same shape as clusters)."""
    ed = geo.check_edition(edition)
    info = geo.EDITION_INFO[ed]
    out = []
    for code, codes in geo.regions(ed).items():
        vi, en = geo.REGION_NAMES[code]
        membership = Membership(ed, info.valid_from, info.valid_to, tuple(codes), "high" if ed == "2008" else
                                "unconfirmed", "khanalytics/reference/provinces.csv")
        out.append(Grouping("region", code.lower().replace("_", "-"), vi, en, None, (membership,)))
    return out


def region(key: str, edition: str) -> Grouping:
    """A GSO region by slug or name; ClusterError listing the regions otherwise."""
    wanted = geo.name_key(key)
    for g in regions(edition):
        if wanted in {geo.name_key(g.slug), geo.name_key(g.name_vi), geo.name_key(g.name_en)}:
            return g
    choices = ", ".join(g.name_vi for g in regions(edition))
    raise ClusterError(f"Không có vùng {key!r}; các vùng: {choices}", f"unknown region {key!r}; regions: "
                       f"{', '.join(g.name_en for g in regions(edition))}", rule="unknown_region", value=key)
