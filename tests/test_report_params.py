"""A report's parameters parsed once, carried typed."""

from pathlib import Path

import pytest

from khanalytics.errors import ParameterError
from khanalytics.periods import Period
from khanalytics.report.params import DEFAULT_INDICATORS, ReportParams, injected_names, make_params, parameters


def test_parsed_once_into_typed_values():
    p = make_params("province", period="2026-H1", province="Bắc Ninh", lang="en")
    assert isinstance(p, ReportParams) and isinstance(p.period, Period)
    assert p.edition == "2025" and p.requested_edition is None and p.edition_choice == "auto"
    assert p.province == "24" and p.lang == "en" and p.indicators == DEFAULT_INDICATORS
    assert p.store == Path("data/khanalytics.duckdb")


def test_an_explicit_map_is_kept_and_names_resolve_on_it():
    p = make_params("province", period="2019-H1", edition="2025", province="Bắc Ninh")
    assert p.edition == p.requested_edition == "2025" and p.province == "24"
    old = make_params("province", period="2019-H1", province="Bắc Ninh")
    assert old.edition == "2008" and old.province == "27"


def test_notebook_parameters_round_trip():
    p = make_params("cluster", period="2019-H1", cluster="2", indicators="membership_rate, learning_clans_rate")
    nb = p.notebook_parameters()
    assert nb == {"period": "2019-H1", "edition": "auto", "lang": "vi", "store": "data/khanalytics.duckdb",
                  "cluster": "dong-bac", "indicators": ["membership_rate", "learning_clans_rate"]}
    assert parameters(nb, "cluster") == p


@pytest.mark.parametrize("values, words", [
    ({"period": "2019"}, "2019-H2"),
    ({"period": "2019-H1", "edition": "1999"}, "2025"),
    ({"period": "2019-H1", "lang": "fr"}, "'vi'"),
    ({"period": "2019-H1", "cluster": "atlantis"}, "dong-bac"),
    ({"period": "2019-H1", "indicators": ["cats"]}, "membership_rate"),
])
def test_bad_values_name_the_valid_choices(values, words):
    with pytest.raises((ParameterError, ValueError)) as err:
        make_params("cluster", **values)
    assert words in str(err.value)


def test_unknown_names_are_refused_but_not_a_hand_run_namespace():
    with pytest.raises(ParameterError, match="clustr"):
        parameters({"clustr": 1, "cluster": "dong-bac", "period": "2019-H1"}, "cluster")
    assert injected_names({"In": ["", "x = 1"], "rep": 1}) == set()


def test_explore_needs_only_a_period_and_a_store():
    p = parameters({"period": "2019-H1", "store": "s.duckdb"}, "explore")
    assert p.kind == "explore" and p.period.code == "2019-H1" and p.store == Path("s.duckdb")
