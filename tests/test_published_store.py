import csv
from pathlib import Path

import duckdb
import pytest

from khanalytics.published.record import PublishedFileError
from khanalytics.published.store import (
    demo_record_path,
    import_demo_record,
    import_published,
    load_published,
    published_frame,
    published_hash,
)
from khanalytics.store import Store

SHARED = Path(__file__).resolve().parents[1] / "data" / "published" / "published_figures.csv"
ORDER = ["unit", "unit_type", "period", "indicator", "value", "qualifier", "quote", "source_url", "page_title"]
MINE = [
    ["Quảng Ninh", "province", "2021", "members", "400000", ">", "hơn 400.000 hội viên", "https://example.org/qn", "t"],
    ["Cụm 2", "cluster", "2022", "branches", "20000", "gần", "gần 20.000 chi hội", "https://example.org/c2", "t"],
    ["Toàn quốc", "national", "2001", "members", "5000000", "~", "khoảng 5 triệu", "https://example.org/vn", "t"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ORDER)
        w.writerows(rows)
    return path


def test_the_shared_record_stores_all_412_rows_twice_without_change(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        first = import_published(s, SHARED)
        assert (first.n_rows, first.n_new, first.import_id) == (412, 412, 1)
        before, content = published_hash(s.con), s.content_hash()
        again = import_published(s, SHARED)
        assert again.already_imported and again.n_new == 0
        assert published_hash(s.con) == before and s.content_hash() == content
    frame = load_published(path)  # a real DuckDB file, opened again read-only
    assert len(frame) == 412 and set(frame["kind"]) == {"published"}
    assert frame[["file_name", "sha256", "row", "imported_at"]].notna().all().all()
    assert sorted(frame["row"]) == list(range(2, 414))


def test_a_users_file_of_the_same_shape_and_a_correction(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        import_published(s, SHARED)
        mine = import_published(s, write_csv(tmp_path / "mine.csv", MINE))
        assert (mine.n_rows, mine.n_new) == (3, 3)
        copy = import_published(s, write_csv(tmp_path / "copy.csv", MINE))  # other bytes, same rows
        assert copy.n_new == 0
        fixed = [list(r) for r in MINE]
        fixed[0][4], fixed[0][6] = "410000", "hơn 410.000 hội viên"
        corrected = import_published(s, write_csv(tmp_path / "fixed.csv", fixed))
        assert corrected.n_new == 1
        assert corrected.revised[["unit", "before", "after", "revision"]].values.tolist() == [
            ["Quảng Ninh", 400000.0, 410000.0, 2]]
        current = published_frame(s.con)
        every = published_frame(s.con, current=False)
    assert len(current) == 415 and len(every) == 416
    qn = current[current["source_url"] == "https://example.org/qn"]
    assert qn[["value", "revision", "file_name"]].values.tolist() == [[410000.0, 2, "fixed.csv"]]
    vn = current[current["source_url"] == "https://example.org/vn"]
    assert vn["edition"].tolist() == ["pre-2008"]


def test_a_malformed_file_stores_nothing(tmp_path):
    bad = [list(r) for r in MINE]
    bad[2][1] = "planet"
    with Store(tmp_path / "s.duckdb") as s:
        import_published(s, SHARED)
        before = published_hash(s.con)
        with pytest.raises(PublishedFileError) as err:
            import_published(s, write_csv(tmp_path / "bad.csv", bad))
        assert err.value.context == {"file": "bad.csv", "row": 4, "column": "unit_type", "value": "planet"}
        assert published_hash(s.con) == before


def test_a_failed_write_rolls_back(tmp_path, monkeypatch):
    from khanalytics.published import store as pstore

    with Store(tmp_path / "s.duckdb") as s:
        pstore.ensure_tables(s.con)
        monkeypatch.setattr(pstore, "__version__", object())  # not a value DuckDB can bind: the insert fails
        with pytest.raises(Exception):  # noqa: B017 - whatever DuckDB raises, nothing may remain
            import_published(s, SHARED)
        assert s.con.execute("SELECT count(*) FROM published_figures").fetchall() == [(0,)]


def test_the_observations_tables_are_left_alone_and_the_demo_record(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        assert demo_record_path().name == "published_figures.csv"
        assert import_demo_record(s).n_new == 412
        assert s.observations().empty and s.imports().empty
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM current_published").fetchall() == [(412,)]
    con.close()
