"""The catalogue package's public API: the packaged entries, as every other module sees them."""

import dataclasses

import pytest

from khanalytics import catalogue as cat

ELEMENT_CODES = [
    "population", "members", "communes", "grassroots_associations", "branches", "promotion_boards", "villages",
    "households", "learning_families_registered", "learning_families_recognised", "clans",
    "learning_clans_registered", "learning_clans_recognised", "learning_communities_registered",
    "learning_communities_recognised", "units", "learning_units_registered", "learning_units_recognised",
    "learning_communes_kha", "learning_communes_tot", "working_age_population", "learning_citizens_registered",
    "learning_citizens_recognised", "fund_raised_vnd", "fund_balance_vnd", "scholarships_count", "scholarships_vnd",
    "learning_centres",
]  # fmt: skip
FLOWS = {"fund_raised_vnd", "scholarships_count", "scholarships_vnd"}
MONEY = {"fund_raised_vnd", "fund_balance_vnd", "scholarships_vnd"}

# code: (numerator, denominator, factor, decimals, title, role)
INDICATORS = {
    "membership_rate": (("members",), "population", 100, 2, None, None),
    "learning_families_rate": (("learning_families_recognised",), "households", 100, 2, "families", "recognition"),
    "learning_families_registration_rate": (("learning_families_registered",), "households", 100, 2, "families",
                                            "registration"),
    "learning_clans_rate": (("learning_clans_recognised",), "clans", 100, 2, "clans", "recognition"),
    "learning_clans_registration_rate": (("learning_clans_registered",), "clans", 100, 2, "clans", "registration"),
    "learning_communities_rate": (("learning_communities_recognised",), "villages", 100, 2, "communities",
                                  "recognition"),
    "learning_communities_registration_rate": (("learning_communities_registered",), "villages", 100, 2,
                                               "communities", "registration"),
    "learning_units_rate": (("learning_units_recognised",), "units", 100, 2, "units", "recognition"),
    "learning_units_registration_rate": (("learning_units_registered",), "units", 100, 2, "units", "registration"),
    "learning_citizens_rate": (("learning_citizens_recognised",), "working_age_population", 100, 2, "citizens",
                               "recognition"),
    "learning_citizens_registration_rate": (("learning_citizens_registered",), "working_age_population", 100, 2,
                                            "citizens", "registration"),
    "learning_communes_rate": (("learning_communes_kha", "learning_communes_tot"), "communes", 100, 2, None,
                               "recognition"),
    "grassroots_coverage": (("grassroots_associations",), "communes", 100, 2, None, None),
    "fund_per_capita": (("fund_raised_vnd",), "population", 1, 0, None, None),
    "branches_per_village": (("branches",), "villages", 1, 2, None, None),
}  # fmt: skip

TITLES = {
    "families": ("households", "Gia đình học tập"),
    "clans": ("clans", "Dòng họ học tập"),
    "communities": ("villages", "Cộng đồng học tập"),
    "units": ("units", "Đơn vị học tập"),
    "citizens": ("working_age_population", "Công dân học tập"),
}


# --- the packaged entries ------------------------------------------------------------------------------


def test_element_codes_are_exactly_the_agreed_ones_in_file_order():
    assert list(cat.elements()) == ELEMENT_CODES


def test_element_fields():
    for code, e in cat.elements().items():
        assert isinstance(e, cat.DataElement) and e.code == code
        assert e.kind == ("flow" if code in FLOWS else "stock"), code
        assert (e.aggregation, e.decimals, e.whole_number, e.non_negative) == ("sum", 0, True, True)
        assert all(
            getattr(e, f).strip() for f in ("label_vi", "label_en", "short_vi", "short_en", "unit_vi", "unit_en")
        )
        assert e.is_money == (code in MONEY)
        assert (e.unit_vi, e.unit_en) == ("đồng", "VND") if code in MONEY else e.unit_vi != "đồng"
        assert e.time_aggregation == ("sum" if code in FLOWS else "last")
    assert cat.element("members").label_vi == "Hội viên khuyến học"
    assert cat.element("members").short("vi") == "Hội viên" and cat.element("members").short("en") == "Members"
    assert cat.element("population").unit("vi") == "người"
    assert cat.element("population").label() == "Dân số" and cat.element("population").label("en") == "Population"


def test_indicators_are_the_agreed_formulas():
    got = {c: (i.numerator, i.denominator, i.factor, i.decimals, i.title, i.role) for c, i in cat.indicators().items()}
    assert got == INDICATORS
    for i in cat.indicators().values():
        assert i.aggregation == "ratio_of_sums" and i.higher_is_better is True
        assert (i.unit_vi == "%") == (i.factor == 100)
        assert i.inputs == (*i.numerator, i.denominator)
    rate = cat.indicator("membership_rate")
    assert rate.label() == "Tỷ lệ hội viên trên dân số" and rate.label("en") == "Members as a share of population"
    assert cat.indicator("fund_per_capita").unit("vi") == "đồng/người"


def test_titles_tie_total_registered_recognised():
    titles = cat.titles()
    assert list(titles) == list(TITLES)
    for code, (total, label_vi) in TITLES.items():
        t = titles[code]
        assert (t.total, t.label_vi) == (total, label_vi) and t.label("en").startswith("Learning")
        assert cat.element(t.total).role == "total"
        for role, element_code in (("registered", t.registered), ("recognised", t.recognised)):
            e = cat.element(element_code)
            assert (e.title, e.role) == (code, role)
            assert role in element_code
        assert cat.indicator(t.recognition_indicator).numerator == (t.recognised,)
        assert cat.indicator(t.registration_indicator).numerator == (t.registered,)
    assert cat.element("members").title is None and cat.element("learning_communes_kha").title is None


def test_entries_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.element("members").decimals = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.indicator("membership_rate").factor = 1  # type: ignore[misc]
    cat.elements().clear()  # a copy: the catalogue itself is untouched
    assert len(cat.elements()) == len(ELEMENT_CODES)


def test_the_public_api_is_exported():
    assert set(cat.__all__) <= set(dir(cat))
    for name in ("indicator", "element", "elements", "indicators", "titles", "match_header", "load_catalogue",
                 "catalogue_frame", "fold", "CatalogueError", "HeaderMatch", "parse_header", "compute", "header_key"):
        assert name in cat.__all__, name
    assert cat.load_catalogue() is cat.packaged_catalogue()
    assert cat.title("clans") is cat.titles()["clans"] and cat.formula("membership_rate") == "Hội viên / Dân số × 100"


def test_codes_are_the_errors_family():
    from khanalytics.errors import KhanalyticsError

    with pytest.raises(KhanalyticsError) as err:
        cat.indicator("nope")
    assert isinstance(err.value, cat.CatalogueError) and err.value.context == {"value": "nope"}
    assert err.value.vi.startswith("Không có chỉ tiêu 'nope'") and err.value.en.startswith("unknown indicator 'nope'")
