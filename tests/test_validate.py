"""Rules a report must meet: errors reject the file, quality rules flag a value and keep it."""

import pandas as pd

from khanalytics.io.read import read_file
from khanalytics.validate import has_errors, validate


def _write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_quality_rules_flag_but_keep(tmp_path):
    text = ("Tỉnh,Kỳ,Dân số,Hội viên,Số hộ gia đình,Gia đình học tập đăng ký,Gia đình học tập đạt\n"
            "Cao Bằng,2019-H1,530341,600000,120000,100000,110000\n"
            "Lạng Sơn,2019-H1,200000,50000,90000,95000,80000\n")
    issues = validate(read_file(_write_csv(tmp_path / "q.csv", text)))
    rules = {(i.rule, i.province) for i in issues}
    assert rules == {("members_above_population", "04"), ("recognised_above_registered", "04"),
                     ("registered_above_total", "20"), ("population_far_from_official", "20")}
    assert all(i.severity == "flag" for i in issues)
    msg = next(i for i in issues if i.rule == "population_far_from_official").message("vi")
    assert "q.csv" in msg and "hàng 3" in msg and "cột C" in msg and "200000" in msg


def test_change_on_last_year_uses_the_file_and_the_store(tmp_path):
    text = "Tỉnh,Kỳ,Hội viên\nCao Bằng,2018-H1,100000\nCao Bằng,2019-H1,140000\nLạng Sơn,2019-H1,90000\n"
    path = _write_csv(tmp_path / "c.csv", text)
    prev = pd.DataFrame({"edition": ["2008"], "code": ["20"], "period": ["2018-H1"], "element": ["members"],
                         "value": [60000.0]})
    issues = validate(read_file(path), previous=prev)
    assert sorted((i.rule, i.province) for i in issues) == [("large_change_on_last_year", "04"),
                                                            ("large_change_on_last_year", "20")]


def test_negative_counts_and_conflicting_duplicates_are_errors(tmp_path):
    text = "Tỉnh,Kỳ,Hội viên\nCao Bằng,2019-H1,-5\nLạng Sơn,2019-H1,10\nLạng Sơn,2019-H1,12\n"
    issues = validate(read_file(_write_csv(tmp_path / "e.csv", text)), official_population=lambda *a: None)
    errors = {(i.rule, i.province, i.row) for i in issues if i.severity == "error"}
    assert errors == {("negative_count", "04", 2), ("conflicting_duplicate", "20", 4)}
    assert has_errors(issues)
    conflict = next(i for i in issues if i.rule == "conflicting_duplicate")
    assert "row 3" in conflict.message("en") and "hàng 3" in conflict.message("vi")


def test_the_same_value_twice_is_no_error(tmp_path):
    text = "Tỉnh,Kỳ,Hội viên\nLạng Sơn,2019-H1,10\nLạng Sơn,2019-H1,10\n"
    assert not has_errors(validate(read_file(_write_csv(tmp_path / "d.csv", text))))


def test_period_outside_the_declared_edition_is_an_error(tmp_path):
    text = "Tỉnh,Kỳ,Hội viên\nQuảng Ninh,2026-H1,10\n"
    issues = validate(read_file(_write_csv(tmp_path / "p.csv", text), edition="2008"))
    issue = next(i for i in issues if i.rule == "period_outside_edition")
    assert "2025" in issue.expected_en and "2008" in issue.expected_vi


def test_an_empty_reading_keeps_only_the_reading_issues(tmp_path):
    reading = read_file(_write_csv(tmp_path / "n.csv", "a,b\n1,2\n"))
    assert [i.rule for i in validate(reading)] == ["empty_file"]
    assert validate(reading, previous=pd.DataFrame()) == reading.issues
