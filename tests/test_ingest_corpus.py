"""Issue 10: files as provinces really send them, each with its expected outcome.

Every file comes from tests/corpus.py (written the way provinces write them,
not with the template). An accepted file is checked by the values stored; a
refused one by its rule, with the store's content hash unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import openpyxl
import pytest

from khanalytics.diagnostics import InputError
from khanalytics.io.read import read_file
from khanalytics.store import Store, StoreLockedError
from khanalytics.validate import validate
from tests import corpus as C

CLUSTER = {("22", "members"): 419863, ("24", "population"): 1803950, ("20", "learning_families_recognised"): 140000}


@pytest.fixture
def store(tmp_path):
    """A store that already holds 2023-H1 figures of the cluster (the figures a wrong period would overwrite)."""
    with Store(tmp_path / "s.duckdb") as s:
        s.import_files([C.cluster_report(tmp_path / "old.xlsx", title="BÁO CÁO 6 THÁNG ĐẦU NĂM 2023",
                                         rows=[(r[0], 1, 1, 1, 1) for r in C.ROWS], signature=False)])
        yield s


def refused(store: Store, path, rule: str, **options) -> InputError:
    """Import ``path``, expect it refused for ``rule``, and the store unchanged."""
    before = store.content_hash()
    with pytest.raises(InputError) as err:
        store.import_files([path], **options)
    assert rule in {i.rule for i in err.value.issues if i.severity == "error"}, err.value.en
    assert store.content_hash() == before
    return err.value


def stored(store: Store, period: str) -> dict:
    frame = store.observations(periods=[period])
    return {(r.code, r.element): r.value for r in frame.itertuples()}


# 1. period clues ----------------------------------------------------------------------------


def test_reused_sheet_named_for_last_year_is_refused_naming_both_clues(store, tmp_path):
    err = refused(store, C.cluster_report(tmp_path / "a.xlsx", sheet="BC 6T-2023"), "conflicting_period")
    issue = next(i for i in err.issues if i.rule == "conflicting_period")
    assert "BC 6T-2023' → 2023-H1" in issue.detail_vi and "→ 2024-H1" in issue.detail_vi
    assert (issue.sheet, issue.row, issue.column) == ("BC 6T-2023", 3, "A")
    assert stored(store, "2023-H1")[("22", "members")] == 1  # the real 2023 figures are untouched


def test_sheet_named_for_a_year_is_refused(store, tmp_path):
    refused(store, C.cluster_report(tmp_path / "b.xlsx", sheet="Năm 2023"), "conflicting_period")


def test_period_option_settles_it_and_says_so(store, tmp_path):
    (result,) = store.import_files([C.cluster_report(tmp_path / "a.xlsx", sheet="BC 6T-2023")], period="2024-H1")
    assert result.period_sources == {"BC 6T-2023": "--period"}
    flag = next(i for i in result.flags if i.rule == "period_overridden")
    assert "BC 6T-2023" in flag.detail_en and "2023-H1" in flag.detail_en
    assert {k: stored(store, "2024-H1")[k] for k in CLUSTER} == CLUSTER
    assert stored(store, "2023-H1")[("22", "members")] == 1


def test_title_naming_the_year_ended_and_the_half_year_reported_is_the_half_year(store, tmp_path):
    path = C.cluster_report(tmp_path / "c.xlsx", title="BÁO CÁO KẾT QUẢ NĂM 2023 VÀ SƠ KẾT 6 THÁNG ĐẦU NĂM 2024")
    store.import_files([path])
    assert {k: stored(store, "2024-H1")[k] for k in CLUSTER} == CLUSTER
    assert "2023" not in store.periods()


def test_retitled_template_disagrees_with_its_information_sheet(store, tmp_path):
    from khanalytics.io.template import write_template

    path = write_template(tmp_path / "t.xlsx", period="2024-H1")
    book = openpyxl.load_workbook(path)
    book["Số liệu"]["A1"] = "BÁO CÁO SỐ LIỆU CÔNG TÁC KHUYẾN HỌC 6 THÁNG CUỐI NĂM 2024"
    book["Số liệu"]["C6"] = 100
    book.save(path)
    err = refused(store, path, "conflicting_period")
    assert "2024-H2" in next(i for i in err.issues if i.rule == "conflicting_period").detail_en


def test_a_date_line_from_another_year_is_a_clue(store, tmp_path):
    path = C.cluster_report(tmp_path / "d.xlsx", title="BÁO CÁO 6 THÁNG ĐẦU NĂM 2022")  # signed 10/7/2024
    err = refused(store, path, "conflicting_period")
    assert "10/07/2024" in next(i for i in err.issues if i.rule == "conflicting_period").detail_vi


def test_a_new_revision_is_said_and_a_dry_run_stores_nothing(store, tmp_path):
    path = C.cluster_report(tmp_path / "e.xlsx", title="BÁO CÁO 6 THÁNG ĐẦU NĂM 2023", signature=False)
    before = store.content_hash()
    (dry,) = store.import_files([path], dry_run=True)
    assert store.content_hash() == before
    row = dry.revised.set_index(["code", "element"]).loc[("22", "members")]
    assert (row["before"], row["after"], row["revision"]) == (1, 419863, 2)
    (real,) = store.import_files([path])
    assert len(real.revised) == len(dry.revised) == 12
    assert store.diff(edition="2008", code="22", period="2023-H1").set_index("element").loc["members", "after"] == 419863


# 2. a city or a district is not its province ------------------------------------------------


def test_district_table_gives_the_province_from_its_total_row(store, tmp_path):
    (result,) = store.import_files([C.district_table(tmp_path / "dist.xlsx")])
    got = stored(store, "2019-H1")
    assert got == {("34", "population"): sum(d[1] for d in C.DISTRICTS), ("34", "members"): sum(d[2] for d in C.DISTRICTS)}
    assert result.n_values == 2


def test_district_table_with_only_the_provincial_city_filled_is_refused(store, tmp_path):
    only_city = [C.DISTRICTS[0]] + [(name, None, None) for name, _, _ in C.DISTRICTS[1:]]
    err = refused(store, C.district_table(tmp_path / "city.xlsx", districts=only_city), "incomplete_district_table")
    issue = next(i for i in err.issues if i.rule == "incomplete_district_table")
    assert issue.province == "34" and issue.row == 7 and "C7" in issue.detail_en


def test_district_table_whose_districts_do_not_add_up_is_refused(store, tmp_path):
    wrong = [*C.DISTRICTS[:-1], (C.DISTRICTS[-1][0], 1, 1)]
    refused(store, C.district_table(tmp_path / "sum.xlsx", districts=wrong), "district_sum_mismatch")


def test_a_provincial_city_in_a_province_table_is_never_the_province(store, tmp_path):
    rows = [("TP Thái Bình", 206000, 60000, 1, 1), *C.ROWS[1:]]
    err = refused(store, C.cluster_report(tmp_path / "tp.xlsx", rows=rows), "unknown_province")
    issue = next(i for i in err.issues if i.rule == "unknown_province")
    assert issue.value == "TP Thái Bình" and "provincial city" in issue.detail_en and "thành phố" in issue.detail_vi


# 3. formulas without cached values -------------------------------------------------------------


def test_formula_cells_without_cached_values_are_computed_not_blank(store, tmp_path):
    store.import_files([C.formula_report(tmp_path / "f.xlsx")])
    got = stored(store, "2019-H1")
    assert got[("20", "members")] == 781655 - 611655 and got[("20", "branches")] == 2000
    assert len(got) == 6  # nothing lost: 2 provinces × 3 elements


def test_a_formula_that_cannot_be_computed_is_refused_naming_the_cell(store, tmp_path):
    path = C.formula_report(tmp_path / "g.xlsx")
    book = openpyxl.load_workbook(path)
    book["Biểu 1"]["E7"] = "=[1]Sheet1!A1"  # an external link, never opened
    book.save(path)
    err = refused(store, path, "formula_without_value")
    issue = next(i for i in err.issues if i.rule == "formula_without_value")
    assert (issue.row, issue.column) == (7, "E")


# 4. implausible magnitudes ----------------------------------------------------------------


@pytest.mark.parametrize("members", [1e308, "1" * 30, "1.000.000.000"])
def test_impossible_magnitudes_are_refused(store, tmp_path, members):
    rows = [(C.ROWS[0][0], C.ROWS[0][1], members, 1, 1), *C.ROWS[1:]]
    err = refused(store, C.cluster_report(tmp_path / "m.xlsx", rows=rows), "implausible_value")
    assert "150.000.000" in next(i for i in err.issues if i.rule == "implausible_value").message("vi")


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused(store, tmp_path, value):
    import pandas as pd

    path = tmp_path / "nf.parquet"
    pd.DataFrame({"Tỉnh": ["Quảng Ninh"], "Kỳ": ["2019-H1"], "Số hội viên": [value]}).to_parquet(path)
    refused(store, path, "implausible_value")


# 6. ordinary files refused before --------------------------------------------------------------


def test_signature_block_under_the_table_is_not_data(store, tmp_path):
    path = C.cluster_report(tmp_path / "sig.xlsx")
    reading = read_file(path)
    assert [i for i in validate(reading) if i.severity == "error"] == []
    store.import_files([path])
    assert {k: stored(store, "2024-H1")[k] for k in CLUSTER} == CLUSTER


def test_rate_column_is_checked_not_stored(store, tmp_path):
    rates = [30.0, 26.61, 21.75]  # Quảng Ninh's true rate is 31,80 %
    rows = [(*r, rate) for r, rate in zip(C.ROWS, rates, strict=True)]
    path = C.cluster_report(tmp_path / "rate.xlsx", header=[*C.HEADER, "Tỷ lệ HV/DS (%)"], rows=rows)
    (result,) = store.import_files([path])
    flags = [i for i in result.flags if i.rule == "rate_mismatch"]
    assert [(f.province, f.column) for f in flags] == [("22", "G")] and "31,80" in flags[0].expected_vi
    assert "membership_rate" not in set(store.observations()["element"])


def test_cover_sheet_first_is_skipped(store, tmp_path):
    cover = [["HỘI KHUYẾN HỌC TỈNH QUẢNG NINH"], [None], ["BÁO CÁO"], ["Số hội viên, dân số, gia đình học tập"],
             ["6 tháng đầu năm 2024"]]
    table = [*C.title_block("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"), C.HEADER, *C.province_rows()]
    store.import_files([C.write_xlsx(tmp_path / "cover.xlsx", {"Bìa": cover, "Số liệu": table})])
    assert {k: stored(store, "2024-H1")[k] for k in CLUSTER} == CLUSTER


def test_semicolon_windows_1258_csv_with_short_title_lines(store, tmp_path):
    store.import_files([C.csv_1258(tmp_path / "ls.csv")])
    assert stored(store, "2019-H1") == {("20", "members"): 170000, ("20", "population"): 781655,
                                        ("04", "members"): 120500, ("04", "population"): 530341}


def _table_rows() -> list[list[object]]:
    return [*C.title_block("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"), C.HEADER, *C.province_rows(), C.totals_row(), [None],
            *C.SIGNATURE]


@pytest.mark.parametrize("writer, suffix", [(C.write_xls, ".xls"), (C.write_ods, ".ods")])
def test_xls_and_ods_are_read(store, tmp_path, writer, suffix):
    store.import_files([writer(tmp_path / f"bc{suffix}", _table_rows())])
    assert {k: stored(store, "2024-H1")[k] for k in CLUSTER} == CLUSTER


# 7. silent acceptances now flagged --------------------------------------------------------------


def test_hidden_rows_leading_plus_and_external_links_are_flagged(store, tmp_path):
    rows = [C.ROWS[0], (C.ROWS[1][0], C.ROWS[1][1], "+480.000", 420000, 400000), C.ROWS[2]]
    body = [*C.title_block("BÁO CÁO 6 THÁNG ĐẦU NĂM 2024"), C.HEADER, *C.province_rows(rows)]
    path = C.write_xlsx(tmp_path / "h.xlsx", {"Biểu 1": body}, hidden_rows={"Biểu 1": [8]})
    (result,) = store.import_files([path])
    rules = {(i.rule, i.row) for i in result.flags}
    assert ("plus_sign", 7) in rules and ("hidden_value", 8) in rules
    assert stored(store, "2024-H1")[("24", "members")] == 480000


# 5. hostile sizes, bounded --------------------------------------------------------------------------

_BOUNDED = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from khanalytics.store import Store
from khanalytics.diagnostics import InputError
start = time.perf_counter()
with Store(sys.argv[2]) as s:
    before = s.content_hash()
    try:
        s.import_files([sys.argv[1]])
        print("accepted")
    except InputError as err:
        print("refused", sorted({{i.rule for i in err.issues}}), s.content_hash() == before)
print(round(time.perf_counter() - start, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print(open("/proc/self/status").read().split("VmPeak:")[1].split()[0])
"""


def _bounded_import(path, store_path, limit_mb: int = 1500, timeout: int = 60) -> list[str]:
    code = textwrap.dedent(_BOUNDED.format(limit=limit_mb * 1024 * 1024))
    done = subprocess.run([sys.executable, "-c", code, str(path), str(store_path)], capture_output=True, text=True,
                          timeout=timeout, cwd=os.getcwd())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def test_zip_bomb_is_refused_in_seconds_within_a_few_hundred_mb(tmp_path):
    path = C.zip_bomb(tmp_path / "bomb.xlsx", cells=10_000_000)
    assert path.stat().st_size < 2_000_000
    out = _bounded_import(path, tmp_path / "s.duckdb")
    assert out[0] in ("refused ['file_too_large'] True", "refused ['too_many_cells'] True"), out


def test_an_ods_of_repeated_filled_rows_is_refused_before_pandas_expands_it(tmp_path):
    import zipfile

    row = ('<table:table-row table:number-rows-repeated="2000000"><table:table-cell office:value-type="string">'
           "<text:p>Quảng Ninh</text:p></table:table-cell><table:table-cell office:value-type=\"float\" "
           'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="Số liệu">{row}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    assert path.stat().st_size < 2_000
    out = _bounded_import(path, tmp_path / "s.duckdb")
    assert out[0] == "refused ['too_many_cells'] True", out


def test_a_huge_province_name_is_cut_in_the_message(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("BÁO CÁO 6 THÁNG ĐẦU NĂM 2019\nTỉnh;Số hội viên\n" + "Quảng Ninh" + "x" * 1_000_000 + ";1\n",
                    encoding="utf-8")
    reading = read_file(path)
    (issue,) = [i for i in reading.issues if i.rule == "unknown_province"]
    assert len(issue.message("vi")) < 1000 and "1.000.010 ký tự" in issue.message("vi")


def test_a_hundred_thousand_bad_rows_are_refused_quickly(tmp_path):
    lines = ["Tỉnh;Kỳ;Số hội viên"] + [f"Quảng Ninh;2019-H1;abc{i}" for i in range(100_000)]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = _bounded_import(path, tmp_path / "s.duckdb", limit_mb=2048, timeout=120)  # DuckDB's threads reserve address space
    assert out[0] == "refused ['not_a_number'] True"


# 9. two imports at once -------------------------------------------------------------------------------


def test_a_second_import_waits_for_the_lock_then_stops_with_a_bilingual_message(tmp_path):
    path = tmp_path / "s.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(20)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        with pytest.raises(StoreLockedError) as err:
            Store(path, lock_timeout=1.5)
        assert 1.4 < time.monotonic() - start < 10
        assert "đang được một tiến trình khác dùng" in err.value.vi and "in use by another process" in err.value.en
    finally:
        holder.kill()
        holder.wait()
