"""The store: bad files change nothing, re-import is idempotent, corrections keep history, a kill loses nothing."""

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from khanalytics.diagnostics import InputError
from khanalytics.io.template import write_report_workbook
from khanalytics.store import Store
from tests.textutil import encode_cp1258

GOOD = "Tỉnh,Kỳ,Dân số,Hội viên\nCao Bằng,2019-H1,530341,120000\nLạng Sơn,2019-H1,781655,190000\n"


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "k.duckdb") as s:
        s.import_files([_csv(tmp_path / "good.csv", GOOD)])
        yield s


def _corrupt_xlsx(path: Path) -> Path:
    write_report_workbook(path, period="2019-H1", values=None)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _big_file(path: Path) -> Path:
    row = "Cao Bằng,2019-H1,530341,120000\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("Tỉnh,Kỳ,Dân số,Hội viên\n")
        f.write(row * (50 * 1024 * 1024 // len(row.encode()) + 1))
    return path


def _not_zip_xlsx(path: Path) -> Path:
    path.write_bytes(b"this is not a workbook")
    return path


def _zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    return path


BAD_FILES = {
    "unknown_province.csv": (lambda p: _csv(p, GOOD.replace("Lạng Sơn", "Hà Tây Mới")), "unknown_province"),
    "text_in_number.csv": (lambda p: _csv(p, GOOD.replace("190000", "khoảng 19 vạn")), "not_a_number"),
    "duplicate_rows.csv": (lambda p: _csv(p, GOOD + "Lang Son,2019-H1,781655,191000\n"), "conflicting_duplicate"),
    "negative_count.csv": (lambda p: _csv(p, GOOD.replace("190000", "-190000")), "negative_count"),
    "wrong_period.csv": (lambda p: _csv(p, GOOD.replace("2019-H1", "2019-H7")), "bad_period"),
    "period_outside_edition.csv": (lambda p: _csv(p, GOOD.replace("2019-H1", "2026-H1").replace(
        "Lạng Sơn", "Bắc Kạn")), "unknown_province"),
    "unknown_element.csv": (lambda p: _csv(p, GOOD.replace("Hội viên", "Số con mèo")), "unknown_element"),
    "corrupt.xlsx": (_corrupt_xlsx, "unreadable_file"),
    "not_a_workbook.xlsx": (_not_zip_xlsx, "unreadable_file"),
    "zip_without_workbook.xlsx": (_zip_without_workbook, "unreadable_file"),
    "empty.csv": (lambda p: _csv(p, ""), "empty_file"),
    "only_text.csv": (lambda p: _csv(p, "xin chào\nkhông có bảng\n"), "empty_file"),
    "big_50mb.csv": (_big_file, "file_too_large"),
    "fractional_count.csv": (lambda p: _csv(p, GOOD.replace("190000", '"190000,5"')), "not_whole_number"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_rejected_and_change_nothing(store, tmp_path, name):
    make, rule = BAD_FILES[name]
    path = make(tmp_path / name)
    before = store.content_hash()
    with pytest.raises(InputError) as err:
        store.import_files([_csv(tmp_path / "another_good.csv", GOOD.replace("120000", "121000")), path])
    rules = {i.rule for i in err.value.issues if i.severity == "error"}
    assert rule in rules, str(err.value)
    issue = next(i for i in err.value.issues if i.rule == rule)
    assert name in issue.message("vi") and name in issue.message("en")
    assert store.content_hash() == before


def test_error_message_names_row_column_value_and_expectation(store, tmp_path):
    path = _csv(tmp_path / "t.csv", GOOD.replace("190000", "khoảng 19 vạn"))
    with pytest.raises(InputError) as err:
        store.import_files([path])
    issue = err.value.issues[0]
    assert (issue.row, issue.column, issue.value) == (3, "D", "khoảng 19 vạn")
    vi, en = issue.message("vi"), issue.message("en")
    assert "t.csv" in vi and "hàng 3" in vi and "cột D" in vi and "cần" in vi and "không phải là số" in vi
    assert "row 3" in en and "column D" in en and "expected" in en


def test_period_outside_the_declared_edition(store, tmp_path):
    path = _csv(tmp_path / "p.csv", GOOD.replace("2019-H1", "2026-H1").replace("Lạng Sơn", "Quảng Ninh"))
    with pytest.raises(InputError) as err:
        store.import_files([path], edition="2008")
    assert "period_outside_edition" in {i.rule for i in err.value.issues}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258"])
def test_windows_1258_and_bom_are_read(tmp_path, encoding):
    with Store(tmp_path / "k.duckdb") as s:
        s.import_files([_csv(tmp_path / "w.csv", GOOD, encoding)])
        assert s.observations()["value"].sum() == 530341 + 120000 + 781655 + 190000


def test_reimport_is_idempotent(store, tmp_path):
    before = store.content_hash()
    (result,) = store.import_files([tmp_path / "good.csv"])
    assert result.already_imported
    assert store.content_hash() == before


def test_correction_makes_a_new_revision_and_keeps_the_old(store, tmp_path):
    fixed = _csv(tmp_path / "good_v2.csv", GOOD.replace("190000", "195000"))
    (result,) = store.import_files([fixed])
    assert result.n_new == 1
    current = store.observations(codes=["20"], elements=["members"])
    assert current["value"].tolist() == [195000] and current["revision"].tolist() == [2]
    history = store.history(edition="2008", code="20", period="2019-H1", element="members")
    assert history["value"].tolist() == [190000, 195000]
    assert history["file_name"].tolist() == ["good.csv", "good_v2.csv"]
    diff = store.diff(edition="2008", code="20", period="2019-H1")
    assert diff[["element", "before", "after"]].values.tolist() == [["members", 190000, 195000]]
    # unchanged values keep revision 1 and their first provenance
    assert store.observations(codes=["04"])["revision"].tolist() == [1, 1]


def test_provenance_columns(store):
    obs = store.observations()
    assert {"edition", "code", "province", "period", "element", "value", "file_name", "sha256", "sheet", "row",
            "imported_at", "kind"} <= set(obs.columns)
    assert set(obs["kind"]) == {"reported"} and set(obs["province"]) == {"Cao Bằng", "Lạng Sơn"}
    assert sorted(obs["row"].tolist()) == [2, 2, 3, 3]


def test_flags_are_stored_with_the_values(tmp_path):
    with Store(tmp_path / "k.duckdb") as s:
        s.import_files([_csv(tmp_path / "f.csv", GOOD.replace("190000", "900000"))])
        flags = s.flags()
        assert flags["rule"].tolist() == ["members_above_population"]
        assert "f.csv" in flags["message_vi"].iloc[0]


def test_killed_import_leaves_the_store_as_before(store, tmp_path):
    path = store.path
    big = tmp_path / "many.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Tỉnh", "Kỳ", "Dân số", "Hội viên"])
    for year in range(2009, 2025):
        for half in (1, 2):
            ws.append(["Quảng Ninh", f"{year}-H{half}", 1_300_000 + year, 400_000 + year])
    book.save(big)
    before = store.content_hash()
    store.close()
    env = {**os.environ, "KHANALYTICS_TEST_PAUSE_BEFORE_COMMIT": "60", "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "khanalytics", "import", str(big), "--store", str(path)],
                            stdout=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    assert "paused-in-transaction" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(path) as again:
        assert again.content_hash() == before
        assert len(again.imports()) == 1


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "khanalytics", *args], capture_output=True, text=True,
                          env={"COLUMNS": "200", "PATH": ""})


def test_template_and_validate_commands(tmp_path):
    out = tmp_path / "mau_bao_cao.xlsx"
    run = _cli("template", "--period", "2026-H1", "--edition", "2025", "-o", str(out))
    assert run.returncode == 0 and out.exists()
    run = _cli("validate", str(out), "--store", str(tmp_path / "none.duckdb"))
    assert run.returncode == 0 and "HỢP LỆ" in run.stdout
    assert not (tmp_path / "none.duckdb").exists()  # validating stores nothing
    bad = _csv(tmp_path / "bad.csv", GOOD.replace("190000", "abc"))
    run = _cli("validate", str(bad), "--lang", "en")
    assert run.returncode == 1 and "not a number" in run.stdout and "bad.csv" in run.stdout


def test_import_command_rejects_and_stores_nothing(tmp_path):
    store = tmp_path / "k.duckdb"
    bad = _csv(tmp_path / "bad.csv", GOOD.replace("Lạng Sơn", "Atlantis"))
    run = _cli("import", str(bad), "--store", str(store))
    assert run.returncode == 1 and "Atlantis" in run.stdout and "nothing stored" in run.stdout
    with Store(store) as s:
        assert s.observations().empty and s.imports().empty


def test_store_errors_are_family_errors(tmp_path):
    from khanalytics.errors import KhanalyticsError
    from khanalytics.store import PanelError, StoreNotFoundError

    with pytest.raises(FileNotFoundError) as err:
        Store(tmp_path / "none.duckdb", read_only=True)
    assert isinstance(err.value, StoreNotFoundError) and isinstance(err.value, KhanalyticsError)
    assert err.value.context == {"file": str(tmp_path / "none.duckdb")} and "no store at" in err.value.en
    with Store(tmp_path / "k.duckdb") as s:
        with pytest.raises(ValueError, match="missing columns") as err:
            s.load_commune_panel(pd.DataFrame({"code": ["01"]}), name="panel")
        assert isinstance(err.value, PanelError) and err.value.rule == "missing_columns"
        frame = pd.DataFrame({"edition": ["2008"], "code": ["01"], "commune": ["x"], "period": ["2019-H1"],
                              "element": ["members"], "value": [-1.0]})
        with pytest.raises(PanelError, match="negative values"):
            s.load_commune_panel(frame, name="panel")


def test_a_rejected_file_is_an_input_error_in_both_languages(store, tmp_path):
    path = _csv(tmp_path / "t.csv", GOOD.replace("190000", "khoảng 19 vạn"))
    with pytest.raises(InputError) as err:
        store.import_files([path])
    assert err.value.rule == "file_rejected" and err.value.context == {"file": "t.csv"}
    assert "tệp bị từ chối" in err.value.vi and "file rejected" in err.value.en and "hàng 3" in err.value.vi
