"""Reading users' YAML files and saying what breaks their schema: file, entry, field, both languages."""

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from khanalytics.errors import ReferenceFileError
from khanalytics.userfiles import Problem, raise_problems, read_yaml, schema_problems


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    size: int


class _File(BaseModel):
    items: list[_Item]


def _problems(data):
    with pytest.raises(ValidationError) as err:
        _File.model_validate(data)
    return schema_problems(err.value, data, {"size": ("một số nguyên", "an integer")})


def test_read_yaml_names_the_file(tmp_path):
    with pytest.raises(ReferenceFileError, match="cannot read") as err:
        read_yaml(tmp_path / "none.yaml", ReferenceFileError)
    assert err.value.context == {"file": str(tmp_path / "none.yaml")} and "Không đọc được" in err.value.vi
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError, match="invalid YAML") as err:
        read_yaml(bad, ReferenceFileError)
    assert err.value.context["file"] == str(bad) and "YAML không hợp lệ" in err.value.vi
    bad.write_text("a: [1, 2]\n", encoding="utf-8")
    assert read_yaml(bad, ReferenceFileError) == {"a": [1, 2]}


def test_entries_are_named_by_code_or_position_and_fields_by_name():
    data = {"items": [{"code": "a", "size": "big", "colour": 1, "shade": 2}, {"size": 1}, "x"]}
    got = _problems(data)
    assert Problem("items.a", "size", "'size' phải là một số nguyên, không phải 'big'",
                   "'size' must be an integer, not 'big'") in got
    assert Problem("items[2]", "code", "thiếu 'code'", "'code' is missing") in got
    assert Problem("items[3]", None, "phải là một bảng khoá: giá trị", "must be a mapping") in got
    assert Problem("items.a", None, "khoá không biết ['colour', 'shade']", "unknown keys ['colour', 'shade']") in got
    assert _problems({}) == [Problem("", "items", "thiếu 'items'", "'items' is missing")]


def test_raise_problems_lists_them_in_each_language():
    raise_problems(ReferenceFileError, "f.yaml", [], ("Tệp", "file"))  # nothing to say: no error
    one = Problem("items.a", "size", "sai", "wrong")
    with pytest.raises(ReferenceFileError) as err:
        raise_problems(ReferenceFileError, "f.yaml", [one], ("Tệp", "file"))
    assert err.value.vi == "Tệp không hợp lệ: f.yaml (1 lỗi):\n  - mục items.a, trường size: sai"
    assert err.value.en == "invalid file f.yaml (1 problem):\n  - entry items.a, field size: wrong"
    assert err.value.context == {"file": "f.yaml", "entry": "items.a", "field": "size"}
    with pytest.raises(ReferenceFileError) as err:
        raise_problems(ReferenceFileError, "f.yaml", [one] * 30, ("Tệp", "file"))
    assert "(30 problems)" in err.value.en and "(+5 …)" in err.value.en and err.value.context == {"file": "f.yaml"}
