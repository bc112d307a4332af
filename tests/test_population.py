"""The reference population: complete, sourced, consistent across the two maps, and the API's fallbacks."""

import pandas as pd
import pytest

from khanalytics import geography as geo
from khanalytics.population import (
    MEASURES,
    PopulationError,
    official_population,
    official_population_table,
    population_table,
)

YEARS = list(range(2010, 2025))


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return population_table()


def test_file_is_long_form_with_a_source_on_every_row(table):
    assert list(table.columns) == ["edition", "code", "year", "population", "measure", "source"]
    assert not table.duplicated(["edition", "code", "year", "measure"]).any()
    assert set(table["measure"]) <= set(MEASURES)
    assert table["source"].str.len().min() > 20
    assert (table["population"] > 50_000).all()


def test_2008_map_is_complete_and_matches_the_published_census_total(table):
    old = table[table["edition"] == "2008"]
    census = old[old["measure"] == "census_2019"]
    assert set(census["code"]) == set(geo.province_codes("2008")) and len(census) == 63
    assert census["population"].sum() == 96_208_984  # GSO's published total for 1/4/2019
    avg = old[old["measure"] == "average"]
    assert len(avg) == 63 * 15 and sorted(avg["year"].unique()) == YEARS
    assert avg.groupby("code")["year"].nunique().eq(15).all()
    assert avg[avg["year"] == 2010]["source"].str.contains("not strictly comparable").all()


def test_2025_map_is_the_sum_of_its_old_provinces(table):
    new = table[table["edition"] == "2025"]
    old = table[table["edition"] == "2008"].set_index(["code", "year", "measure"])["population"]
    cw = geo.crosswalk()
    assert set(new["code"]) == set(geo.province_codes("2025"))
    for code in geo.province_codes("2025"):
        parts = cw.loc[cw["code_2025"] == code, "code_2008"].tolist()
        rows = new[new["code"] == code].set_index(["year", "measure"])["population"]
        merged = parts != [code]
        avg, census = ("derived_sum_average", "derived_sum_census_2019") if merged else ("average", "census_2019")
        for year in YEARS:
            assert rows[(year, avg)] == sum(old[(p, year, "average")] for p in parts), (code, year)
        assert rows[(2019, census)] == sum(old[(p, 2019, "census_2019")] for p in parts)
        assert ((2025, "nq202") in rows.index) == merged
    derived = new[new["measure"].str.startswith("derived")]
    assert derived["source"].str.contains("crosswalk").all()
    assert new[new["measure"] == "nq202"]["source"].str.contains("202/2025/QH15").all()


def test_known_figures():
    # cross-checked values quoted in ../shared/reference/population_notes.md
    assert official_population("2008", "01", 2019)[0] == 8_093_900
    assert official_population("2008", "04", 2019)[0] == 530_900
    assert official_population("2008", "52", 2019)[0] == 1_487_800  # Bình Định yearbook: 1.487.817
    cum_ii = ["06", "04", "19", "20", "22", "24", "30", "31"]
    assert sum(official_population("2008", c, 2019)[0] for c in cum_ii) == 9_984_400
    assert sum(official_population("2008", c, 2024)[0] for c in cum_ii) == 10_528_800
    # TP.HCM = TP.HCM + Bình Dương + Bà Rịa–Vũng Tàu: the Đề án's 13.608.800
    assert official_population("2025", "79", 2024)[0] == 13_608_800


def test_same_code_on_two_maps_is_two_territories():
    old_bac_giang, _ = official_population("2008", "24", 2024)
    new_bac_ninh, source = official_population("2025", "24", 2024)
    old_bac_ninh, _ = official_population("2008", "27", 2024)
    assert new_bac_ninh == old_bac_giang + old_bac_ninh
    assert "derived" in source and "Bắc Giang" in source and "Bắc Ninh" in source


def test_names_and_codes_give_the_same_figure():
    assert official_population("2008", "Quảng Ninh", 2019) == official_population("2008", "22", 2019)
    assert official_population(2025, "TP.HCM", 2020) == official_population("2025", "79", 2020)


def test_years_after_the_last_use_the_latest_and_say_so():
    latest = official_population("2008", "22", 2024)
    value, source = official_population("2008", "22", 2026)
    assert value == latest[0]
    assert "2024" in source and "2026" in source and source.endswith(latest[1])
    assert official_population("2008", "22", 2009) is None  # before the first year: nothing, not a guess


def test_nq202_only_when_asked():
    default, _ = official_population("2025", "91", 2025)
    nq, source = official_population("2025", "91", 2025, measure="nq202")
    assert default == 3_679_300  # GSO 2024 averages of An Giang + Kiên Giang (latest year)
    assert nq == 4_952_238 and "202/2025/QH15" in source
    assert official_population("2025", "01", 2025, measure="nq202") is None  # not given for unchanged units
    census, _ = official_population("2025", "31", 2019, measure="census_2019")
    assert census == 1_892_254 + 2_028_514  # Hải Dương + Hải Phòng, census 2019


def test_errors():
    with pytest.raises(geo.GeographyError):
        official_population("1999", "01", 2019)
    with pytest.raises(geo.ProvinceNameError):
        official_population("2025", "27", 2019)  # old Bắc Ninh's code is not on the 2025 map
    with pytest.raises(PopulationError):
        official_population("2008", "01", 2019, measure="guess")


def test_official_table():
    t = official_population_table("2008")
    assert list(t.columns)[:4] == ["code", "year", "population", "source"]
    assert len(t) == 63 * 15 and set(t["measure"]) == {"average"}
    t25 = official_population_table("2025")
    assert len(t25) == 34 * 15 and set(t25["measure"]) == {"average", "derived_sum_average"}
    assert t25.groupby("year")["population"].sum().equals(t.groupby("year")["population"].sum())


def test_an_unknown_measure_is_a_parameter_error():
    from khanalytics.errors import ParameterError

    with pytest.raises(ParameterError) as err:
        official_population_table("2008", measure="guess")
    assert isinstance(err.value, PopulationError) and err.value.context == {"parameter": "measure", "value": "guess"}
    assert "Không có thước đo dân số 'guess'" in err.value.vi and "unknown population measure 'guess'" in err.value.en
