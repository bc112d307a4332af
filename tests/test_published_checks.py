import csv
from pathlib import Path

import pandas as pd
import pytest

from khanalytics.published.checks import FLAG_COLUMNS, consistency_flags, flags_for
from khanalytics.published.record import read_published, record_frame

SHARED = Path(__file__).resolve().parents[1] / "data" / "published" / "published_figures.csv"
ORDER = ["unit", "unit_type", "period", "indicator", "value", "qualifier", "quote", "source_url", "page_title"]
# Hải Dương at the end of 2022 as issue 12 quotes it ("731.280 hội viên = 28 %"); the shared file has no such row
HAI_DUONG_2022 = [
    ["Hải Dương", "province", "2022", "members", "731280", "=", "731.280 hội viên", "https://example.org/hd-2022", "t"],
    ["Hải Dương", "province", "2022", "membership_rate_pct", "28", "=", "chiếm 28% dân số",
     "https://example.org/hd-2022", "t"],
]


@pytest.fixture(scope="module")
def shared() -> pd.DataFrame:
    return record_frame(read_published(SHARED).rows)


@pytest.fixture(scope="module")
def flags(shared) -> pd.DataFrame:
    return consistency_flags(shared)


def test_flags_name_both_sides(flags):
    assert list(flags.columns) == FLAG_COLUMNS
    assert flags[["side_a_vi", "side_b_vi", "source_a", "source_b", "message_en"]].notna().all().all()


def test_ca_mau_2018_rate(flags):
    ca_mau = flags[(flags["rule"] == "rate_vs_population") & (flags["unit_name"] == "Cà Mau")]
    assert len(ca_mau) == 1
    message = ca_mau["message_vi"].iloc[0]
    assert "19,6 %" in message and "gần 119.000" in message and "10,0 %" in message and "±10 %" in message
    assert "năm 2018" in ca_mau["side_a_vi"].iloc[0] and "baoanhdatmui.vn" in ca_mau["side_b_vi"].iloc[0]


def test_hai_duong_2023_rate_agrees_with_official_population(flags):
    # 755.000 / 1.956.900 (GSO 2023) = 38,6 %: the published 38 % holds
    assert not ((flags["unit_name"] == "Hải Dương") & (flags["rule"] == "rate_vs_population")).any()


def test_hai_duong_2022_against_2023(tmp_path, shared):
    path = tmp_path / "hd.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ORDER)
        w.writerows(HAI_DUONG_2022)
    record = pd.concat([shared, record_frame(read_published(path).rows)], ignore_index=True)
    hd = flags_for(consistency_flags(record), record[record["unit"] == "Hải Dương"])
    rate = hd[hd["rule"] == "rate_vs_population"]
    assert "28 %" in rate["message_vi"].iloc[0] and "731.280" in rate["message_vi"].iloc[0]
    jump = hd[(hd["rule"] == "implausible_jump") & (hd["indicator"] == "membership_rate")]
    assert len(jump) == 1
    assert "28 %" in jump["side_a_vi"].iloc[0] and "38 %" in jump["side_b_vi"].iloc[0]
    assert "+10,0 điểm" in jump["message_vi"].iloc[0] and "5 điểm/năm" in jump["message_vi"].iloc[0]


def test_two_national_totals_for_2010(flags):
    same = flags[flags["rule"] == "same_date_values"]
    vn = same[same["unit_key"] == "national:VN"]
    assert len(vn) == 1
    assert "7.115.513" in vn["message_vi"].iloc[0] and "6.500.000" in vn["message_vi"].iloc[0]


def test_34_million_in_2025_is_a_jump(flags):
    jumps = flags[(flags["rule"] == "implausible_jump") & (flags["unit_key"] == "national:VN")]
    assert jumps["message_en"].str.contains("34,000,000").any()


def test_published_against_reported(shared):
    obs = pd.DataFrame({"edition": "2008", "code": "96", "period": "2018-H2", "element": ["members", "population"],
                        "value": [119500.0, 1_195_600.0], "kind": "reported"})
    flags = consistency_flags(shared, obs)
    rep = flags[flags["rule"] == "published_vs_reported"]
    rate = rep[rep["indicator"] == "membership_rate"]  # 19,6 % published, 119.500 / 1.195.600 = 9,99 % stored
    assert len(rate) == 1 and "9,99 %" in rate["side_b_vi"].iloc[0] and "báo cáo" in rate["side_b_vi"].iloc[0]
    assert not (rep["indicator"] == "members").any()  # gần 119.000 against 119.500: within 5 %
