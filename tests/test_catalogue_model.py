"""The catalogue's entries and a Catalogue: look-ups, ratio-of-sums arithmetic, the documentation table."""

import math

import pandas as pd
import pytest

from khanalytics import catalogue as cat
from khanalytics.catalogue.model import DataElement, Indicator, Title
from tests.test_catalogue import ELEMENT_CODES, INDICATORS, TITLES

# --- arithmetic ----------------------------------------------------------------------------


CLUSTER_II_2019 = {"members": 2_265_712, "population": 9_414_026}


def test_compute_is_the_ratio_of_sums():
    rate = cat.compute("membership_rate", CLUSTER_II_2019)
    assert round(rate, 2) == 24.07  # the figure of the Cụm II meeting, 11/2019
    provinces = [{"members": 100, "population": 1_000}, {"members": 900, "population": 3_000}]
    sums = {k: sum(p[k] for p in provinces) for k in ("members", "population")}
    ratio_of_sums = cat.compute("membership_rate", sums)
    mean_of_ratios = sum(cat.compute("membership_rate", p) for p in provinces) / len(provinces)
    assert ratio_of_sums == 25.0 and mean_of_ratios == 20.0
    assert cat.compute("fund_per_capita", {"fund_raised_vnd": 1_500_000, "population": 1_000}) == 1_500.0
    assert cat.compute("branches_per_village", {"branches": 3, "villages": 2}) == 1.5


def test_compute_sums_a_list_numerator():
    sums = {"learning_communes_kha": 30, "learning_communes_tot": 20, "communes": 200}
    assert cat.compute("learning_communes_rate", sums) == 25.0
    assert cat.compute("learning_communes_rate", {**sums, "learning_communes_tot": None}) is None
    assert cat.compute("learning_communes_rate", {"learning_communes_kha": 30, "communes": 200}) is None


@pytest.mark.parametrize(
    "sums",
    [
        {"members": 10, "population": 0},
        {"members": 10},
        {"members": 10, "population": None},
        {"members": 10, "population": float("nan")},
        {"members": 10, "population": pd.NA},
        {"population": 100},
        {"members": float("nan"), "population": 100},
        {"members": None, "population": 100},
        {},
    ],
    ids=repr,
)
def test_compute_is_empty_rather_than_a_guess(sums):
    assert cat.compute("membership_rate", sums) is None


def test_compute_accepts_a_series_and_numpy_numbers():
    sums = pd.Series({"members": 2_265_712, "population": 9_414_026}, dtype="int64")
    assert math.isclose(cat.compute("membership_rate", sums), 2_265_712 * 100 / 9_414_026)
    assert cat.compute("membership_rate", {"members": 0, "population": 10}) == 0.0


def test_compute_table_row_by_row():
    table = pd.DataFrame(
        {
            "learning_communes_kha": [30, 1, None, 5],
            "learning_communes_tot": [20, 1, 3, 5],
            "communes": [200, 0, 10, 40],
        }
    )
    out = cat.compute_table("learning_communes_rate", table)
    assert out.name == "learning_communes_rate"
    assert out.iloc[0] == 25.0 and out.iloc[3] == 25.0
    assert out.iloc[1:3].isna().all()  # denominator 0; a part missing
    assert cat.compute_table("membership_rate", table).isna().all()  # columns absent

# --- errors ------------------------------------------------------------------------------


def test_unknown_codes_list_the_valid_ones():
    with pytest.raises(cat.CatalogueError) as err:
        cat.element("member")
    message = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "Không có" in message and "unknown data element" in message
    assert all(code in message for code in ELEMENT_CODES)
    assert "closest: members" in message
    with pytest.raises(cat.CatalogueError, match="valid codes: membership_rate, learning_families_rate"):
        cat.indicator("membership")
    with pytest.raises(cat.CatalogueError, match="fund_per_capita"):
        cat.compute("per_capita", {})
    with pytest.raises(ValueError, match="families"):
        cat.title("family")


def test_catalogue_frame_in_both_languages():
    vi, en = cat.catalogue_frame(), cat.catalogue_frame("en")
    assert len(vi) == len(en) == len(ELEMENT_CODES) + len(INDICATORS) + len(TITLES)
    assert list(vi.columns)[:3] == ["Loại", "Mã", "Tên"] and list(en.columns)[:3] == ["Type", "Code", "Label"]
    assert vi["Mã"].is_unique is False  # "clans" and "units" are both a title and an element
    assert set(vi["Loại"]) == {"Số liệu báo cáo", "Chỉ tiêu", "Danh hiệu"}
    row = vi.set_index("Mã").loc["learning_communes_rate"]
    assert row["Công thức"] == "(CĐHT cấp xã mức 1 (Khá) + CĐHT cấp xã mức 2 (Tốt)) / Xã, phường × 100"
    assert row["Cách tổng hợp"] == "tỷ số của các tổng" and row["Số chữ số thập phân"] == 2
    assert en.set_index("Code").loc["membership_rate", "Formula"] == "Members / Population × 100"
    assert vi.set_index("Mã").loc["fund_raised_vnd", "Thời điểm/thời kỳ"].startswith("thời kỳ")
    assert vi["Nguồn"].ne("").all()


def test_entries_speak_both_languages():
    e, i, t = cat.element("members"), cat.indicator("membership_rate"), cat.title("families")
    assert isinstance(e, DataElement) and isinstance(i, Indicator) and isinstance(t, Title)
    assert (e.label("en"), e.unit(), e.unit("en")) == (e.label_en, e.unit_vi, e.unit_en)
    assert (i.short("en"), i.definition("en"), i.notes()) == (i.short_en, i.definition_en, i.notes_vi)
    assert t.label() == "Gia đình học tập" and t.elements == (t.total, t.registered, t.recognised)
    assert i.inputs == ("members", "population") and i.is_percent and not e.is_money
