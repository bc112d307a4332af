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

import yaml

from khanalytics import geography as geo
from khanalytics.periods import Period
from khanalytics.userfiles import read_yaml

CONFIDENCE = ("high", "derived", "unconfirmed")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


class ClusterError(ValueError):
    """An unknown cluster, or a cluster file that does not hold together."""


@dataclass(frozen=True)
class Membership:
    edition: geo.Edition
    valid_from: dt.date
    valid_to: dt.date | None
    members: tuple[str, ...]
    confidence: str
    source: str

    def holds_on(self, day: dt.date) -> bool:
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
        return self.name_en if lang == "en" else self.name_vi

    def membership(self, *, at: dt.date | str | Period | None = None, edition: str | None = None) -> Membership:
        """The membership in force at a date (or period end), or the latest of an edition."""
        if at is not None:
            day = _as_date(at)
            ed = geo.edition_for(day)
            if edition is not None and geo.check_edition(edition) != ed:
                raise ClusterError(f"{at} thuộc bản đồ {ed}, không phải {edition} / {at} is on the {ed} map")
            hits = [m for m in self.memberships if m.edition == ed and m.holds_on(day)]
        else:
            ed = geo.check_edition(edition or "2025")
            hits = sorted((m for m in self.memberships if m.edition == ed), key=lambda m: m.valid_from)[-1:]
        if not hits:
            raise ClusterError(
                f"{self.name_vi}: không có thành viên vào {at or edition} / no members at {at or edition}"
            )
        return hits[-1]

    def members(self, *, at: dt.date | str | Period | None = None, edition: str | None = None) -> list[str]:
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
        raise ClusterError(f"Không có cụm {key!r}; các cụm: {choices} / unknown cluster {key!r}; choose one of the above")

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
                        raise ClusterError(
                            f"{self.source}: tỉnh {code} ({m.edition}) ở cả {prev[0].name_vi} và {g.name_vi} "
                            f"cùng lúc / province {code} is in two clusters at once"
                        )
                    seen[(m.edition, code)] = (g, m)


def _overlap(a: Membership, b: Membership) -> bool:
    end_a = a.valid_to or dt.date.max
    end_b = b.valid_to or dt.date.max
    return a.valid_from <= end_b and b.valid_from <= end_a


def _cluster_key(key: str | int) -> str:
    text = str(key).strip()
    text = re.sub(r"^(?:cum|cụm|cluster)\s*(?:so|số|no\.?)?\s*", "", text, flags=re.IGNORECASE)
    if text.upper() in _ROMAN:
        return str(_ROMAN[text.upper()])
    if text.isdigit():
        return str(int(text))
    slug = text.lower()
    if re.fullmatch(r"[a-z0-9-]+", slug) and "-" in slug:
        return slug
    return geo.name_key(text)


def _parse_membership(raw: dict, where: str) -> Membership:
    try:
        edition = geo.check_edition(raw["edition"])
        valid_from = _as_date(raw.get("valid_from") or geo.EDITION_INFO[edition].valid_from)
        valid_to = _as_date(raw["valid_to"]) if raw.get("valid_to") else None
        members = tuple(geo.resolve_province(m, edition=edition) for m in raw["members"])
    except (KeyError, TypeError) as err:
        raise ClusterError(f"{where}: thiếu trường {err} / missing field {err}") from err
    except geo.GeographyError as err:
        raise ClusterError(f"{where}: {err}") from err
    confidence = str(raw.get("confidence", "unconfirmed"))
    if confidence not in CONFIDENCE:
        raise ClusterError(f"{where}: confidence {confidence!r} không hợp lệ / must be one of {CONFIDENCE}")
    return Membership(edition, valid_from, valid_to, members, confidence, str(raw.get("source", "")))


def parse_clusters(data: dict, source: str) -> Clusters:
    if not isinstance(data, dict) or not isinstance(data.get("clusters"), list):
        raise ClusterError(f"{source}: cần khoá 'clusters' là một danh sách / expected a 'clusters' list")
    groupings = []
    for i, raw in enumerate(data["clusters"], start=1):
        where = f"{source}, cụm thứ {i}"
        try:
            number = int(raw["number"])
            groupings.append(
                Grouping(
                    kind="cluster",
                    slug=str(raw.get("slug") or f"cum-{number}"),
                    name_vi=str(raw["name_vi"]),
                    name_en=str(raw.get("name_en") or raw["name_vi"]),
                    number=number,
                    memberships=tuple(
                        _parse_membership(m, f"{where}, {j}") for j, m in enumerate(raw["memberships"], start=1)
                    ),
                )
            )
        except (KeyError, TypeError, ValueError) as err:
            if isinstance(err, ClusterError):
                raise
            raise ClusterError(f"{where}: thiếu hoặc sai trường {err} / missing or invalid field {err}") from err
    return Clusters(groupings, source)


@cache
def _packaged() -> Clusters:
    text = resources.files("khanalytics.reference").joinpath("clusters.yaml").read_text(encoding="utf-8")
    return parse_clusters(yaml.safe_load(text), "khanalytics/reference/clusters.yaml")


def load_clusters(path: str | Path | None = None) -> Clusters:
    """The packaged clusters, or those of the user's YAML file."""
    if path is None:
        return _packaged()
    return parse_clusters(read_yaml(path, ClusterError), str(path))


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
    wanted = geo.name_key(key)
    for g in regions(edition):
        if wanted in {geo.name_key(g.slug), geo.name_key(g.name_vi), geo.name_key(g.name_en)}:
            return g
    choices = ", ".join(g.name_vi for g in regions(edition))
    raise ClusterError(f"Không có vùng {key!r}; các vùng: {choices} / unknown region {key!r}")
