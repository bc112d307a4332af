import datetime as dt

import pytest

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.errors import KhanalyticsError, ReferenceFileError

NORTHEAST_2019 = {"Bắc Giang", "Bắc Kạn", "Cao Bằng", "Hải Dương", "Hải Phòng", "Lạng Sơn", "Quảng Ninh", "Thái Nguyên"}


def names(codes, edition):
    return {geo.province_name(c, edition) for c in codes}


@pytest.mark.parametrize("key", ["dong-bac", 2, "2", "II", "Cụm II", "cum 2", "Đông Bắc", "Northeast"])
def test_cluster_ii_in_2019(key):
    assert names(clu.members(key, at="2019-06-30"), "2008") == NORTHEAST_2019


def test_cluster_ii_on_the_2025_map():
    codes = clu.members("dong-bac", edition="2025")
    assert names(codes, "2025") == {"Cao Bằng", "Lạng Sơn", "Quảng Ninh", "Thái Nguyên", "Hải Phòng", "Bắc Ninh"}
    assert clu.members("dong-bac", at="2026-H1") == codes
    m = clu.load_clusters().get("dong-bac").membership(edition="2025")
    assert m.confidence == "derived" and "27" in m.source


def test_every_province_in_exactly_one_cluster_on_each_map():
    clusters = clu.load_clusters()
    for at in ("2019-06-30", "2026-01-01"):
        assert clusters.unassigned(at=at) == []
        held = [c for g in clusters for c in g.members(at=at)]
        assert len(held) == len(set(held)) == len(geo.province_codes(geo.edition_for(at)))


def test_cluster_of():
    assert clu.cluster_of("Quảng Ninh", at="2019-H1").slug == "dong-bac"
    assert clu.cluster_of("Bắc Ninh", at=dt.date(2019, 6, 30)).slug == "dong-bang-song-hong"
    assert clu.cluster_of("Bắc Ninh", at="2026-H1").slug == "dong-bac"


def test_confidence_is_stated_and_unknowns_are_marked():
    clusters = clu.load_clusters()
    for g in clusters:
        for m in g.memberships:
            assert m.confidence in clu.CONFIDENCE and m.source
    # Cụm III is established since the press named its 8 provinces (6/2023, issue 12); Cụm V never was
    assert clusters.get(5).membership(edition="2008").confidence == "unconfirmed"
    assert clusters.get(3).membership(edition="2008").confidence == "high"


def test_unknown_cluster_lists_choices():
    with pytest.raises(clu.ClusterError, match="dong-bac"):
        clu.members("atlantis", edition="2008")


def test_user_file(tmp_path):
    f = tmp_path / "my.yaml"
    f.write_text(
        "clusters:\n"
        "  - number: 9\n    slug: thu-nghiem\n    name_vi: Cụm thử\n    memberships:\n"
        "      - edition: '2008'\n        members: [Hà Nội, 'Hải Phòng']\n        source: test\n",
        encoding="utf-8",
    )
    assert clu.members("thu-nghiem", edition="2008", path=f) == ["01", "31"]
    assert clu.cluster_of("HN", at="2010-01-01", path=f).number == 9


def test_bad_user_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("clusters:\n  - number: 1\n    name_vi: X\n    memberships:\n      - edition: '2008'\n"
                   "        members: [Atlantis]\n", encoding="utf-8")
    with pytest.raises(clu.ClusterError, match="Atlantis"):
        clu.load_clusters(bad)
    overlap = tmp_path / "overlap.yaml"
    overlap.write_text(
        "clusters:\n"
        "  - {number: 1, name_vi: A, memberships: [{edition: '2008', members: ['01']}]}\n"
        "  - {number: 2, name_vi: B, memberships: [{edition: '2008', members: ['01']}]}\n", encoding="utf-8")
    with pytest.raises(clu.ClusterError, match="01"):
        clu.load_clusters(overlap)
    with pytest.raises(clu.ClusterError, match="clusters"):
        clu.load_clusters(_write(tmp_path / "empty.yaml", "foo: 1\n"))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_regions_as_groupings():
    for edition, n in (("2008", 63), ("2025", 34)):
        regions = clu.regions(edition)
        assert len(regions) == 6
        assert sum(len(r.members(edition=edition)) for r in regions) == n
    assert "22" in clu.region("Đồng bằng sông Hồng", "2008").members(edition="2008")
    assert set(clu.region("Tây Nguyên", "2025").members(edition="2025")) == {"52", "66", "68"}


def test_a_bad_user_file_names_file_entry_and_field(tmp_path):
    path = _write(tmp_path / "typo.yaml", "clusters:\n  - number: 1\n    slug: thu\n    name_vi: X\n    memberships:\n"
                  "      - {edition: '2008', members: ['01'], confidence: sure, valid_to: 2019-H9}\n")
    with pytest.raises(clu.ClusterFileError) as err:
        clu.load_clusters(path)
    e = err.value
    assert isinstance(e, clu.ClusterError) and isinstance(e, ReferenceFileError) and e.context == {"file": str(path)}
    assert "entry clusters.thu.memberships[1], field confidence: 'confidence' must be high | derived | unconfirmed" in e.en
    assert "mục clusters.thu.memberships[1], trường valid_to: 'valid_to' phải là một ngày" in e.vi
    missing = _write(tmp_path / "missing.yaml", "clusters:\n  - {number: 1, memberships: []}\n")
    with pytest.raises(clu.ClusterFileError) as err:
        clu.load_clusters(missing)
    assert err.value.context == {"file": str(missing), "entry": "clusters[1]", "field": "name_vi"}
    assert "'name_vi' is missing" in err.value.en and "thiếu 'name_vi'" in err.value.vi


def test_unknown_cluster_is_a_family_error():
    with pytest.raises(KhanalyticsError) as err:
        clu.load_clusters().get("atlantis")
    assert isinstance(err.value, clu.ClusterError) and err.value.rule == "unknown_cluster"
    assert "Không có cụm 'atlantis'" in err.value.vi and "unknown cluster 'atlantis'" in err.value.en
