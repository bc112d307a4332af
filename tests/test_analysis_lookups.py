"""Reference lookups the analysis uses on every row: names, parts and successors across the reform, population."""

from khanalytics import geography as geo
from khanalytics.analysis import lookups


def test_names_and_labels_on_each_map():
    assert lookups.name("24", "2008") == "Bắc Giang" and lookups.name("24", "2025") == "Bắc Ninh"
    assert lookups.names("2025", "en")["79"] == geo.province_name("79", "2025", "en")
    assert len(lookups.codes("2008")) == 63 and len(lookups.codes("2025")) == 34


def test_parts_and_successors_agree_with_the_crosswalk():
    assert set(lookups.parts("24")) == {"24", "27"}  # new Bắc Ninh = Bắc Giang + old Bắc Ninh
    assert all(lookups.successor(old) == new for new in lookups.codes("2025") for old in lookups.parts(new))
    assert sorted(lookups.parts_text()["24"].split("+")) == ["24", "27"]


def test_official_population_with_its_source():
    value, source = lookups.official("2008", "22", 2019)
    assert 1_000_000 < value < 1_500_000 and source
