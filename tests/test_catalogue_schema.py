"""Checking a catalogue file: every problem named by file, entry and field, in Vietnamese and English."""

from importlib import resources

import pytest
import yaml

from khanalytics import catalogue as cat
from khanalytics.errors import ReferenceFileError
from tests.test_catalogue import ELEMENT_CODES

# --- checking a catalogue file -------------------------------------------------------------


def _raw() -> dict:
    text = resources.files("khanalytics.reference").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _write(tmp_path, raw) -> str:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_the_packaged_file_round_trips_through_load_catalogue(tmp_path):
    loaded = cat.load_catalogue(_write(tmp_path, _raw()))
    assert list(loaded.elements) == ELEMENT_CODES and loaded.indicator("membership_rate").factor == 100
    assert loaded.match_header("Số HV") == "members"


def _find(raw, section, code):
    return next(e for e in raw[section] if e["code"] == code)


BREAKAGES = {
    "duplicate code": (lambda r: r["elements"].append(dict(_find(r, "elements", "members"))), "duplicate code"),
    "unknown numerator": (lambda r: _find(r, "indicators", "membership_rate").update(numerator=["member"]),
                          "numerator 'member' is not a data element"),
    "unknown denominator": (lambda r: _find(r, "indicators", "fund_per_capita").update(denominator="people"),
                            "denominator 'people' is not a data element"),
    "float decimals": (lambda r: _find(r, "indicators", "membership_rate").update(decimals=2.5),
                       "'decimals' must be an integer"),
    "text decimals": (lambda r: _find(r, "elements", "members").update(decimals="0"), "'decimals' must be an integer"),
    "bool decimals": (lambda r: _find(r, "elements", "members").update(decimals=True),
                      "'decimals' must be an integer"),
    "bad kind": (lambda r: _find(r, "elements", "members").update(kind="level"), "'kind' must be stock or flow"),
    "missing label": (lambda r: _find(r, "elements", "members").pop("label_en"), "'label_en' is missing"),
    "unknown key": (lambda r: _find(r, "elements", "members").update(colour="red"), "unknown keys ['colour']"),
    "alias of two elements": (lambda r: _find(r, "elements", "branches")["aliases"].append("Số hội viên"),
                              "already denotes elements.members"),
    "title on a missing element": (lambda r: _find(r, "titles", "clans").update(total="lineages"),
                                   "'total' = 'lineages' is not a data element"),
    "indicator off its title": (lambda r: _find(r, "indicators", "learning_clans_rate").update(denominator="villages"),
                                "must be learning_clans_recognised / clans per title clans"),
    "negative factor": (lambda r: _find(r, "indicators", "membership_rate").update(factor=-100),
                        "'factor' must be a positive number"),
    "indicator named like an element": (lambda r: _find(r, "indicators", "membership_rate").update(code="members"),
                                        "same code as a data element"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_a_broken_catalogue_is_refused_with_a_clear_message(tmp_path, name):
    breaks, expected = BREAKAGES[name]
    raw = _raw()
    breaks(raw)
    with pytest.raises(cat.CatalogueError) as err:
        cat.load_catalogue(_write(tmp_path, raw))
    assert expected in str(err.value)
    assert "invalid catalogue" in str(err.value) and "Danh mục không hợp lệ" in str(err.value)


def test_unreadable_catalogue_files(tmp_path):
    with pytest.raises(cat.CatalogueError, match="cannot read"):
        cat.load_catalogue(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("elements: [\n", encoding="utf-8")
    with pytest.raises(cat.CatalogueError, match="invalid YAML"):
        cat.load_catalogue(bad)
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(cat.CatalogueError, match="must be a YAML mapping"):
        cat.load_catalogue(bad)


def test_a_bad_user_file_names_file_entry_and_field(tmp_path):
    raw = _raw()
    _find(raw, "elements", "members").update(decimals="0")
    path = _write(tmp_path, raw)
    with pytest.raises(ReferenceFileError) as err:
        cat.load_catalogue(path)
    e = err.value
    assert isinstance(e, cat.CatalogueFileError) and e.rule == "bad_reference_file"
    assert e.context == {"file": path, "entry": "elements.members", "field": "decimals"}
    assert "mục elements.members, trường decimals: 'decimals' phải là số nguyên 0–6" in e.vi and path in e.vi
    assert "entry elements.members, field decimals: 'decimals' must be an integer 0–6, not '0'" in e.en
    assert e.message("en").startswith(f"file {path}, entry elements.members, field decimals: ")


def test_every_problem_is_listed_at_once(tmp_path):
    raw = _raw()
    _find(raw, "elements", "members").pop("label_en")
    _find(raw, "indicators", "membership_rate").update(factor=0, colour="red", shade="dark")
    raw["titles"][0] = "families"
    with pytest.raises(cat.CatalogueError) as err:
        cat.load_catalogue(_write(tmp_path, raw))
    text = str(err.value)
    assert "(4 problems)" in text and "(4 lỗi)" in text
    assert "entry elements.members, field label_en: 'label_en' is missing" in text
    assert "entry indicators.membership_rate, field factor: 'factor' must be a positive number, not 0" in text
    assert "entry indicators.membership_rate: unknown keys ['colour', 'shade']" in text
    assert "entry titles[1]: must be a mapping" in text
    assert "field" not in err.value.context  # several problems: the file is the place


def test_defaults_apply_and_unknown_word_groups_are_refused(tmp_path):
    raw = _raw()
    raw["element_defaults"]["decimals"] = 1
    assert cat.load_catalogue(_write(tmp_path, raw)).element("members").decimals == 1
    raw["header_words"]["colours"] = ["đỏ"]
    with pytest.raises(cat.CatalogueError, match=r"entry header_words: unknown keys \['colours'\]"):
        cat.load_catalogue(_write(tmp_path, raw))
