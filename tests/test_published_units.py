import pytest

from khanalytics.published.asof import parse_asof
from khanalytics.published.units import UnitError, is_country, resolve_unit, unit_type


def test_unit_types_in_both_languages():
    assert [unit_type(x) for x in ("province", "Tỉnh", "cụm", "Toàn quốc")] == [
        "province", "province", "cluster", "national"]
    with pytest.raises(UnitError):
        unit_type("xã")


def test_a_province_on_the_map_of_its_date():
    assert resolve_unit("province", "Bắc Ninh", parse_asof("2019-H1")).code == "27"
    assert resolve_unit("province", "Bắc Ninh", parse_asof("2026-H1")).code == "24"
    gia_lai = resolve_unit("province", "Gia Lai", parse_asof("c.2025-12"))
    assert (gia_lai.edition, gia_lai.code) == ("2025", "52")


def test_an_old_name_after_the_reform_is_kept_on_its_map():
    u = resolve_unit("province", "Bình Dương", parse_asof("2025-12"))
    assert (u.edition, u.code) == ("2008", "74") and "2008" in u.note


def test_before_august_2008_the_earlier_map_and_ha_tay():
    u = resolve_unit("province", "Thái Bình", parse_asof("2004-11"))
    assert (u.edition, u.code) == ("pre-2008", "34")
    ha_tay = resolve_unit("province", "Hà Tây", parse_asof("2007"))
    assert (ha_tay.edition, ha_tay.code, ha_tay.name) == ("pre-2008", None, "Hà Tây")
    with pytest.raises(UnitError):
        resolve_unit("province", "Hà Tây", parse_asof("2010"))  # no Hà Tây after 1/8/2008


@pytest.mark.parametrize(("written", "slug"), [
    ("Cụm Tây Bắc (9 tỉnh: Hòa Bình, Phú Thọ)", "tay-bac"),
    ("Cụm 8 (Đồng bằng sông Cửu Long)", "dong-bang-song-cuu-long"),
    ("Cụm khuyến học số 6 (Nam Trung bộ và Tây Nguyên)", "tay-nguyen"),
    ("Cụm thi đua số 4 (Bắc Trung bộ)", "bac-trung-bo"),
])
def test_clusters_as_the_press_writes_them(written, slug):
    assert resolve_unit("cluster", written, parse_asof("2022")).code == slug


def test_an_unknown_cluster_is_kept_unresolved_and_the_country_of_any_date():
    u = resolve_unit("cluster", "Cụm miền núi", parse_asof("2022"))
    assert u.code is None and u.name == "Cụm miền núi"
    assert resolve_unit("national", "Toàn quốc", parse_asof("1996")).edition == "pre-2008"
    assert is_country("cả nước") and is_country("VN") and not is_country("Hà Nội")
