import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from khanalytics.published.query import find_unit, unit_record, write_unit_xlsx
from khanalytics.published.record import read_published, record_frame
from khanalytics.published.store import import_published
from khanalytics.published.units import UnitError
from khanalytics.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "data" / "published" / "published_figures.csv"


@pytest.fixture(scope="module")
def record():
    return record_frame(read_published(SHARED).rows)


def test_a_province_on_both_maps_and_before_2008(record):
    label, rows = find_unit(record, "Gia Lai")
    assert "2008: 64" in label and "2025: 52" in label
    assert set(zip(rows["edition"], rows["code"], strict=True)) <= {("2008", "64"), ("2025", "52")}
    assert rows["asof_end"].is_monotonic_increasing
    _, binh_dinh = find_unit(record, "Binh Dinh", edition="2008")
    assert binh_dinh["edition"].tolist() == ["pre-2008", "pre-2008"]  # 2001-2007 and 4/2007, kept


def test_clusters_the_country_and_unknown_units(record):
    assert find_unit(record, "Cụm 8")[1]["unit_type"].eq("cluster").all()
    assert len(find_unit(record, "Toàn quốc")[1]) == 32
    with pytest.raises(UnitError):
        find_unit(record, "Atlantis")


def test_unit_record_and_xlsx_read_back(record, tmp_path):
    found = unit_record(record, "Cà Mau")
    assert len(found.rows) == 13 and found.flags["rule"].tolist() == ["rate_vs_population"]
    path = write_unit_xlsx(found, tmp_path / "ca_mau.xlsx")
    book = load_workbook(path, read_only=True)
    sheet = book["Số liệu công bố"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Đơn vị", "Bản đồ", "Thời điểm", "Chỉ tiêu", "Giá trị") and len(rows) == 14
    assert ("Cà Mau", "2008", "năm 2018", "Hội viên", "gần 119.000") in [r[:5] for r in rows]
    flags = list(book["Mâu thuẫn"].iter_rows(values_only=True))
    assert len(flags) == 2 and "19,6 %" in flags[1][1]
    book.close()


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "khanalytics", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"COLUMNS": "200", "PATH": ""})


def test_the_command_prints_sources_and_contradictions_and_writes_xlsx(tmp_path):
    store = tmp_path / "s.duckdb"
    missing = _run("published", "Cà Mau", "--store", str(store))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    with Store(store) as s:
        import_published(s, SHARED)
    out = tmp_path / "hd.xlsx"
    r = _run("--lang", "en", "published", "Hải Dương", "--store", str(store), "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    assert "baohaiduong.vn" in r.stdout and "more than 755,000" in r.stdout and "Contradictions: 0" in r.stdout
    sheet = load_workbook(out, read_only=True)["Published figures"]
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 7
    ca_mau = _run("published", "Cà Mau", "--file", str(SHARED))
    assert ca_mau.returncode == 0 and "Mâu thuẫn: 1" in ca_mau.stdout and "19,6 %" in ca_mau.stdout
