"""The targets file: its schema, and a bad user file named by file, entry and field."""

import pytest

from khanalytics import targets as tg
from khanalytics.errors import ReferenceFileError

GOOD = ("decisions:\n  - id: d1\n    decision: 1/QĐ\n    issued: 2020-01-01\n    confidence: high\n    targets:\n"
        "      - {indicator: learning_families_rate, year: 2025, value: '70', scope: mountainous}\n")


def _write(tmp_path, text):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_with_defaults(tmp_path):
    row = tg.load_targets(_write(tmp_path, GOOD)).iloc[0]
    assert (row["decision_id"], row["value"], row["scope"], row["confidence"]) == ("d1", 70.0, "mountainous", "high")
    assert row["label_vi"] == "mục tiêu của 1/QĐ" and row["name_en"] == "1/QĐ" and row["baseline_year"] == 2020
    assert list(tg.load_targets().columns) == tg.COLUMNS


@pytest.mark.parametrize("change, entry, field, english", [
    (("value: '70'", "value: 170"), "decisions.d1.targets[1]", "value", "must be a percentage from 0 to 100"),
    (("year: 2025", "year: 2019"), "decisions.d1.targets[1]", "year", "target year 2019 before the issue year 2020"),
    (("scope: mountainous", "scope: islands"), "decisions.d1.targets[1]", "scope", "must be general | mountainous"),
    (("issued: 2020-01-01", "issued: soon"), "decisions.d1", "issued", "'issued' must be a date (2014-02-20)"),
    (("    decision: 1/QĐ\n", ""), "decisions.d1", "decision", "'decision' is missing"),
])
def test_a_bad_user_file_names_file_entry_and_field(tmp_path, change, entry, field, english):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(tg.TargetError) as err:
        tg.load_targets(path)
    assert isinstance(err.value, ReferenceFileError)
    assert err.value.context == {"file": str(path), "entry": entry, "field": field}
    assert f"entry {entry}, field {field}: " in err.value.en and english in err.value.en
    assert f"mục {entry}, trường {field}: " in err.value.vi


def test_duplicates_and_shape(tmp_path):
    twice = GOOD + GOOD.split("decisions:\n")[1]
    with pytest.raises(tg.TargetError, match="duplicate id 'd1'"):
        tg.load_targets(_write(tmp_path, twice))
    with pytest.raises(tg.TargetError, match="'decisions' is missing"):
        tg.load_targets(_write(tmp_path, "version: 1\n"))
    with pytest.raises(tg.TargetError, match="the targets file must be a YAML mapping"):
        tg.load_targets(_write(tmp_path, "- 1\n"))
