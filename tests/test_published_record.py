import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from khanalytics.published.record import (
    COLUMNS,
    REQUIRED,
    PublishedFileError,
    catalogue_code,
    is_published_file,
    read_published,
    record_frame,
)

ORDER = ["unit", "unit_type", "period", "indicator", "value", "qualifier", "quote", "source_url", "page_title"]
SHARED = Path(__file__).resolve().parents[1] / "data" / "published" / "published_figures.csv"
GOOD = ["Bắc Ninh", "province", "2019-H1", "members", "301.234", "hơn", "hơn 301 nghìn hội viên",
        "https://example.org/bac-ninh", "Example page"]


def write_csv(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header or ORDER)
        w.writerows(rows)
    return path


def test_columns_are_those_of_the_shared_file():
    assert set(COLUMNS) == set(ORDER) and set(REQUIRED) < set(ORDER)


def test_the_shipped_record_reads_whole():
    reading = read_published(SHARED)
    assert len(reading.rows) == 412
    frame = record_frame(reading.rows)
    assert frame["row_key"].is_unique
    assert set(frame["unit_type"]) == {"province", "cluster", "national"}
    assert frame["catalogue_code"].isna().sum() > 0  # own names kept, never refused
    ca_mau = frame[(frame["unit"] == "Cà Mau") & (frame["period"] == "2018") & (frame["indicator"] == "members")]
    assert ca_mau[["edition", "code", "qualifier", "value"]].values.tolist() == [["2008", "96", "gần", 119000.0]]


def test_catalogue_names_are_mapped_and_others_kept():
    assert catalogue_code("membership_rate_pct") == ("membership_rate", "indicator")
    assert catalogue_code("members") == ("members", "element")
    assert catalogue_code("learning_families_registered_rate_pct") == ("learning_families_registration_rate", "indicator")
    assert catalogue_code("branches_and_boards") == (None, None)


def test_vietnamese_numbers_and_qualifier_words(tmp_path):
    reading = read_published(write_csv(tmp_path / "mine.csv", [GOOD]))
    (row,) = reading.rows
    assert (row.value, row.qualifier, row.unit.code, row.row) == (301234.0, ">", "27", 2)


@pytest.mark.parametrize(("column", "bad", "rule"), [
    ("value", "", "bad_published_row"),
    ("value", "nhiều", "bad_published_row"),
    ("unit_type", "village", "bad_published_row"),
    ("period", "sometime", "bad_published_row"),
    ("qualifier", "maybe", "bad_published_row"),
    ("unit", "Atlantis", "bad_published_row"),
    ("source_url", "", "bad_published_row"),
])
def test_malformed_rows_are_refused_naming_row_and_column(tmp_path, column, bad, rule):
    row = list(GOOD)
    row[ORDER.index(column)] = bad
    path = write_csv(tmp_path / "bad.csv", [GOOD, row])
    with pytest.raises(PublishedFileError) as err:
        read_published(path)
    assert err.value.rule == rule
    assert err.value.context["row"] == 3 and err.value.context["column"] == column
    assert "hàng 3" in err.value.message("vi") and "row 3" in err.value.message("en")


def test_missing_columns_and_conflicting_rows(tmp_path):
    with pytest.raises(PublishedFileError, match="source_url"):
        read_published(write_csv(tmp_path / "short.csv", [GOOD[:5]], header=ORDER[:5]))
    other = list(GOOD)
    other[4] = "400000"
    with pytest.raises(PublishedFileError) as err:
        read_published(write_csv(tmp_path / "twice.csv", [GOOD, other]))
    assert err.value.rule == "conflicting_rows"


def test_the_same_columns_in_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Unit", "Unit type", "Period", "Indicator", "Value", "Qualifier", "Quote", "Source URL", "Page title"])
    sheet.append(["Hà Tây", "province", "2005", "members", 150000, ">", "hơn 150.000", "https://example.org/ha-tay", ""])
    sheet.append(GOOD)
    path = tmp_path / "mine.xlsx"
    book.save(path)
    assert is_published_file(path)
    rows = read_published(path).rows
    assert [r.unit.edition for r in rows] == ["pre-2008", "2008"]
    assert rows[0].unit.code is None and "Hà Tây" in rows[0].unit.name and "2008" in rows[0].unit.note


def test_is_published_file(tmp_path):
    assert is_published_file(SHARED)
    assert not is_published_file(write_csv(tmp_path / "other.csv", [["a"]], header=["Tỉnh", "Hội viên"]))
    assert not is_published_file(Path(__file__).resolve().parents[1] / "data" / "sample" / "bao_cao_2019-H1.xlsx")
