"""The catalogue: its schema, how it reads provinces' column headers, and ratio-of-sums arithmetic."""

import dataclasses
import math
import unicodedata
from importlib import resources

import pandas as pd
import pytest
import yaml

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


# --- schema ------------------------------------------------------------------------------


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


# --- folding and header matching ----------------------------------------------------------


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def test_fold():
    assert cat.fold("Gia đình học tập") == "gia dinh hoc tap"
    nfc, nfd = "Hội viên Hòa Bình", unicodedata.normalize("NFD", "Hội viên Hòa Bình")
    assert nfc != nfd and cat.fold(nfc) == cat.fold(nfd) == "hoi vien hoa binh"
    assert cat.fold("Hoà") == cat.fold("Hòa") == "hoa"  # old and new tone placement
    assert cat.fold("ĐVHT") == cat.fold("ÐVHT") == cat.fold("ðvht") == "dvht"  # Đ and the look-alike eth
    assert cat.fold("  Số_HV / (người)\t") == "so hv nguoi"
    assert cat.fold("Ｓố　ＨＶ") == "so hv"  # full-width forms (NFKC)


HEADERS = {
    # members, population, organisation
    "Số HV": "members", "Hội viên": "members", "HỘI VIÊN": "members", "hoi vien": "members",
    "Tổng số hội viên": "members", "Số hội viên (người)": "members", "Tổng số hội viên đến 30/6/2019": "members",
    "Hội viên đến hết 6/2019": "members", "Hội viên 6 tháng đầu năm 2019": "members",
    "Hội viên (tính đến 30/6)": "members", "Số hội viên ĐVT: người": "members", "Number of members": "members",
    "Members": "members", "members": "members", "Hội viên khuyến học": "members",
    "Dân số": "population", "Dân số (người)": "population", "Tổng dân số": "population", "Số dân": "population",
    "Dân số trung bình năm 2019": "population", "Population": "population",
    "Số xã, phường, thị trấn": "communes", "Số xã": "communes", "Xã, phường, đặc khu": "communes",
    "Number of communes": "communes",
    "Hội Khuyến học cơ sở": "grassroots_associations", "Hội KH cơ sở": "grassroots_associations",
    "Số Hội khuyến học cấp xã": "grassroots_associations", "Xã có Hội khuyến học": "grassroots_associations",
    "Hội khuyến học (xã)": "grassroots_associations", "Grassroots associations": "grassroots_associations",
    "Chi hội": "branches", "Số chi hội": "branches", "Chi hội khuyến học": "branches", "Branches": "branches",
    "Ban KH": "promotion_boards", "Ban khuyến học": "promotion_boards", "Số Ban khuyến học": "promotion_boards",
    "Promotion boards": "promotion_boards",
    # totals of the titles
    "Thôn, tổ dân phố": "villages", "Số thôn, tổ dân phố (thôn)": "villages", "Thôn, bản, ấp, tổ dân phố": "villages",
    "Villages": "villages",
    "Hộ gia đình": "households", "Số hộ": "households", "Tổng số hộ gia đình (hộ)": "households",
    "Households": "households",
    "Dòng họ": "clans", "Số dòng họ": "clans", "Clans": "clans",
    "Cơ quan, đơn vị": "units", "Cơ quan, đơn vị, trường học, doanh nghiệp": "units", "Agencies and units": "units",
    "Dân số trong độ tuổi lao động": "working_age_population", "Người trong độ tuổi lao động":
    "working_age_population", "Working-age population": "working_age_population",
    # learning titles, read from their parts
    "GĐHT đạt": "learning_families_recognised", "GĐHT đăng ký": "learning_families_registered",
    "GĐHT ĐK": "learning_families_registered", "Gia đình học tập đạt": "learning_families_recognised",
    "Gia đình học tập - Đăng ký": "learning_families_registered", "Gia đình học tập Đạt":
    "learning_families_recognised", "Gia đình học tập / Đăng kí": "learning_families_registered",
    "Gia đình học tập (đạt)": "learning_families_recognised", "Số hộ đăng ký GĐHT": "learning_families_registered",
    "Số GĐHT được công nhận": "learning_families_recognised", "Hộ gia đình học tập đạt (hộ)":
    "learning_families_recognised", "Learning families recognised": "learning_families_recognised",
    "Learning families recognized": "learning_families_recognised",
    "Registered learning families": "learning_families_registered",
    "DHHT đạt": "learning_clans_recognised", "DHHT đăng ký": "learning_clans_registered",
    "Dòng họ học tập được công nhận": "learning_clans_recognised", "Registered learning clans":
    "learning_clans_registered",
    "CĐHT đạt": "learning_communities_recognised", "CĐHT đăng ký": "learning_communities_registered",
    "Thôn đạt CĐHT": "learning_communities_recognised", "Cộng đồng học tập đạt (thôn)":
    "learning_communities_recognised", "Learning communities registered": "learning_communities_registered",
    "ĐVHT đạt": "learning_units_recognised", "ĐVHT đăng ký": "learning_units_registered",
    "Đơn vị học tập được công nhận": "learning_units_recognised",
    "Công dân học tập đăng ký": "learning_citizens_registered", "Công dân HT đạt": "learning_citizens_recognised",
    "Learning citizens recognised": "learning_citizens_recognised",
    # commune-level learning communities (Thông tư 25/2023)
    "Xã đạt CĐHT mức độ 1": "learning_communes_kha", "Xã đạt CĐHT (Tốt)": "learning_communes_tot",
    "Cộng đồng học tập cấp xã mức độ 2": "learning_communes_tot", "CĐHT cấp xã - Khá": "learning_communes_kha",
    "Learning communities recognised (communes, level 2)": "learning_communes_tot",
    # money, scholarships, centres
    "Quỹ vận động": "fund_raised_vnd", "Quỹ khuyến học vận động được trong kỳ (đồng)": "fund_raised_vnd",
    "Quĩ vận động được (VNĐ)": "fund_raised_vnd", "Số tiền vận động": "fund_raised_vnd", "Fund raised (VND)":
    "fund_raised_vnd",
    "Số dư quỹ": "fund_balance_vnd", "Tồn quỹ": "fund_balance_vnd", "Số dư quỹ cuối kỳ (đồng)": "fund_balance_vnd",
    "Fund balance": "fund_balance_vnd",
    "Học bổng, giải thưởng (suất)": "scholarships_count", "Số học bổng": "scholarships_count",
    "Số suất học bổng": "scholarships_count", "Scholarships": "scholarships_count",
    "Học bổng, giải thưởng (đồng)": "scholarships_vnd", "Số tiền học bổng": "scholarships_vnd",
    "Học bổng - đồng": "scholarships_vnd",
    "TTHTCĐ": "learning_centres", "Trung tâm học tập cộng đồng": "learning_centres",
    "Community learning centers": "learning_centres",
}  # fmt: skip


@pytest.mark.parametrize("header, code", sorted(HEADERS.items()))
def test_match_header_real_world_variants(header, code):
    variants = [
        header,
        header.upper(),
        header.lower(),
        unicodedata.normalize("NFD", header),
        _ascii(header),
        "  " + header.replace(" ", "   ") + "  ",
        header.replace(" ", "_"),
        header + "\n",
    ]
    assert {v: cat.match_header(v) for v in variants} == dict.fromkeys(variants, code)


NOT_ELEMENTS = [
    "",  # empty
    "   ",
    "STT",
    "Tỉnh, thành phố",
    "Đơn vị",  # usually the province's name column
    "Tên đơn vị",
    "Ghi chú",
    "Gia đình học tập",  # registered or recognised? unknown, so nothing
    "Số gia đình học tập",
    "GĐHT",
    "Cộng đồng học tập đạt (xã)",  # commune level, but which level?
    "Số xã đạt CĐHT",
    "Xã đạt CĐHT mức độ 1 và mức độ 2",
    "Gia đình học tập đăng ký đạt",
    "CĐHT cấp xã đăng ký",
    "Tỷ lệ GĐHT (%)",  # rates are not counts
    "Tỷ lệ GĐHT đạt",
    "Hội viên (%)",
    "Tỉ lệ hội viên/dân số",
    "Quỹ bình quân đầu người",
    "Hội viên mới kết nạp",  # a flow of new members, not the stock
    "Quỹ khuyến học",  # raised or balance?
    "Số dư quỹ đầu kỳ",  # opening balance
    "Học bổng, giải thưởng",  # count or money?
    "Quỹ vận động (triệu đồng)",  # money in millions: see parse_header
    "Hội viên (đồng)",  # a count in money
    "Quỹ vận động (người)",  # money as a count
    "Tổng cộng",
    "Hội",
    "Số",
    None,
    float("nan"),
    12,
]


@pytest.mark.parametrize("header", NOT_ELEMENTS, ids=repr)
def test_match_header_refuses_to_guess(header):
    assert cat.match_header(header) is None


def test_substrings_do_not_cross_elements():
    # "Hội viên" is inside neither of these, and the titles' words are not the totals
    assert cat.match_header("Hội khuyến học cơ sở") == "grassroots_associations"
    assert cat.match_header("Hộ gia đình") == "households"
    assert cat.match_header("Gia đình học tập đạt") == "learning_families_recognised"
    assert cat.match_header("Gia đình học tập đăng ký") == "learning_families_registered"
    assert cat.match_header("Dòng họ") == "clans" and cat.match_header("Dòng họ học tập đạt") != "clans"
    assert cat.match_header("Trung tâm học tập cộng đồng") == "learning_centres"
    assert cat.match_header("Cộng đồng học tập đạt") == "learning_communities_recognised"
    # CĐHT (communities) and Công dân HT (citizens) never meet once folded
    assert cat.match_header("CĐHT đạt") == "learning_communities_recognised"
    assert cat.match_header("Công dân HT đạt") == "learning_citizens_recognised"


def _names(entry):
    return [entry.code, entry.label_vi, entry.label_en, entry.short_vi, entry.short_en, *entry.aliases]


def test_every_name_in_the_file_matches_its_own_element():
    for e in cat.elements().values():
        names = _names(e) + [f"{e.label_vi} ({e.unit_vi})", f"{e.label_en} ({e.unit_en})", e.code.upper()]
        for name in names:
            assert cat.match_header(name) == e.code, (name, e.code)
            assert cat.match_header(_ascii(name)) == e.code, (name, e.code)
            assert cat.match_indicator_header(name) is None, name


def test_no_header_key_denotes_two_things():
    owner: dict[str, str] = {}
    for kind, entries in (("element", cat.elements()), ("indicator", cat.indicators())):
        for e in entries.values():
            for name in _names(e):
                key = cat.header_key(name)
                assert key, name
                assert owner.setdefault(key, f"{kind}:{e.code}") == f"{kind}:{e.code}", (name, key, owner[key])
    assert len(owner) > 300


def test_the_template_headers_match_and_rates_do_not():
    # the importer writes "label (unit)"; every such header must come back as its code
    headers = {f"{e.label_vi} ({e.unit_vi})": c for c, e in cat.elements().items()}
    assert {h: cat.match_header(h) for h in headers} == headers
    for i in cat.indicators().values():
        for name in (i.label_vi, i.short_vi, i.label_en, f"{i.short_vi} ({i.unit_vi})"):
            assert cat.match_header(name) is None, name


@pytest.mark.parametrize(
    "header, code, scale",
    [
        ("Quỹ vận động (triệu đồng)", "fund_raised_vnd", 1_000_000),
        ("Quỹ vận động - triệu đồng", "fund_raised_vnd", 1_000_000),
        ("Quỹ vận động (tr.đ)", "fund_raised_vnd", 1_000_000),
        ("Số dư quỹ (nghìn đồng)", "fund_balance_vnd", 1_000),
        ("Số dư quỹ ĐVT: 1.000 đồng", "fund_balance_vnd", 1_000),
        ("Học bổng, giải thưởng (tỷ đồng)", "scholarships_vnd", 1_000_000_000),
        ("Fund raised (million VND)", "fund_raised_vnd", 1_000_000),
        ("Quỹ vận động (đồng)", "fund_raised_vnd", 1),
        ("Quỹ vận động", "fund_raised_vnd", 1),
        ("Hội viên", "members", 1),
    ],
)
def test_parse_header_gives_the_scale_of_money(header, code, scale):
    assert cat.parse_header(header) == cat.HeaderMatch(code, scale)
    assert cat.match_header(header) == (code if scale == 1 else None)


@pytest.mark.parametrize(
    "header, code",
    [
        ("Tỷ lệ hội viên", "membership_rate"),
        ("Tỉ lệ HV/dân số (%)", "membership_rate"),
        ("Hội viên (%)", "membership_rate"),
        ("Membership rate", "membership_rate"),
        ("Tỷ lệ GĐHT (%)", "learning_families_rate"),
        ("Tỷ lệ hộ đạt GĐHT", "learning_families_rate"),
        ("Tỷ lệ GĐHT đăng ký", "learning_families_registration_rate"),
        ("Tỷ lệ DHHT", "learning_clans_rate"),
        ("Tỷ lệ CĐHT đạt (%)", "learning_communities_rate"),
        ("Tỷ lệ xã đạt CĐHT", "learning_communes_rate"),
        ("Tỷ lệ ĐVHT đăng ký", "learning_units_registration_rate"),
        ("Tỷ lệ công dân học tập", "learning_citizens_rate"),
        ("Tỷ lệ xã có Hội khuyến học", "grassroots_coverage"),
        ("Quỹ bình quân đầu người (đồng)", "fund_per_capita"),
        ("Chi hội/thôn", "branches_per_village"),
        ("branches_per_village", "branches_per_village"),
    ],
)
def test_match_indicator_header(header, code):
    assert cat.match_indicator_header(header) == code
    assert cat.match_indicator_header(_ascii(header).upper()) == code
    assert cat.match_header(header) is None


def test_match_indicator_header_ignores_counts():
    for header in ("Hội viên", "GĐHT đạt", "Dân số", "Quỹ vận động", "Tỷ lệ", "%", "Tỷ lệ gì đó"):
        assert cat.match_indicator_header(header) is None, header


# --- arithmetic ----------------------------------------------------------------------------


CLUSTER_II_2019 = {"members": 2_265_712, "population": 9_414_026}


def test_compute_is_the_ratio_of_sums():
    rate = cat.compute("membership_rate", CLUSTER_II_2019)
    assert round(rate, 2) == 24.07  # the figure of the Cụm II meeting, 11/2019
    provinces = [{"members": 100, "population": 1_000}, {"members": 900, "population": 3_000}]
    sums = {k: sum(p[k] for p in provinces) for k in ("members", "population")}
    ratio_of_sums = cat.compute("membership_rate", sums)
    mean_of_ratios = sum(cat.compute("membership_rate", p) for p in provinces) / len(provinces)
    assert ratio_of_sums == 25.0 and mean_of_ratios == 20.0
    assert cat.compute("fund_per_capita", {"fund_raised_vnd": 1_500_000, "population": 1_000}) == 1_500.0
    assert cat.compute("branches_per_village", {"branches": 3, "villages": 2}) == 1.5


def test_compute_sums_a_list_numerator():
    sums = {"learning_communes_kha": 30, "learning_communes_tot": 20, "communes": 200}
    assert cat.compute("learning_communes_rate", sums) == 25.0
    assert cat.compute("learning_communes_rate", {**sums, "learning_communes_tot": None}) is None
    assert cat.compute("learning_communes_rate", {"learning_communes_kha": 30, "communes": 200}) is None


@pytest.mark.parametrize(
    "sums",
    [
        {"members": 10, "population": 0},
        {"members": 10},
        {"members": 10, "population": None},
        {"members": 10, "population": float("nan")},
        {"members": 10, "population": pd.NA},
        {"population": 100},
        {"members": float("nan"), "population": 100},
        {"members": None, "population": 100},
        {},
    ],
    ids=repr,
)
def test_compute_is_empty_rather_than_a_guess(sums):
    assert cat.compute("membership_rate", sums) is None


def test_compute_accepts_a_series_and_numpy_numbers():
    sums = pd.Series({"members": 2_265_712, "population": 9_414_026}, dtype="int64")
    assert math.isclose(cat.compute("membership_rate", sums), 2_265_712 * 100 / 9_414_026)
    assert cat.compute("membership_rate", {"members": 0, "population": 10}) == 0.0


def test_compute_table_row_by_row():
    table = pd.DataFrame(
        {
            "learning_communes_kha": [30, 1, None, 5],
            "learning_communes_tot": [20, 1, 3, 5],
            "communes": [200, 0, 10, 40],
        }
    )
    out = cat.compute_table("learning_communes_rate", table)
    assert out.name == "learning_communes_rate"
    assert out.iloc[0] == 25.0 and out.iloc[3] == 25.0
    assert out.iloc[1:3].isna().all()  # denominator 0; a part missing
    assert cat.compute_table("membership_rate", table).isna().all()  # columns absent


# --- errors ------------------------------------------------------------------------------


def test_unknown_codes_list_the_valid_ones():
    with pytest.raises(cat.CatalogueError) as err:
        cat.element("member")
    message = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "Không có" in message and "unknown data element" in message
    assert all(code in message for code in ELEMENT_CODES)
    assert "closest: members" in message
    with pytest.raises(cat.CatalogueError, match="valid codes: membership_rate, learning_families_rate"):
        cat.indicator("membership")
    with pytest.raises(cat.CatalogueError, match="fund_per_capita"):
        cat.compute("per_capita", {})
    with pytest.raises(ValueError, match="families"):
        cat.title("family")


def test_catalogue_frame_in_both_languages():
    vi, en = cat.catalogue_frame(), cat.catalogue_frame("en")
    assert len(vi) == len(en) == len(ELEMENT_CODES) + len(INDICATORS) + len(TITLES)
    assert list(vi.columns)[:3] == ["Loại", "Mã", "Tên"] and list(en.columns)[:3] == ["Type", "Code", "Label"]
    assert vi["Mã"].is_unique is False  # "clans" and "units" are both a title and an element
    assert set(vi["Loại"]) == {"Số liệu báo cáo", "Chỉ tiêu", "Danh hiệu"}
    row = vi.set_index("Mã").loc["learning_communes_rate"]
    assert row["Công thức"] == "(CĐHT cấp xã mức 1 (Khá) + CĐHT cấp xã mức 2 (Tốt)) / Xã, phường × 100"
    assert row["Cách tổng hợp"] == "tỷ số của các tổng" and row["Số chữ số thập phân"] == 2
    assert en.set_index("Code").loc["membership_rate", "Formula"] == "Members / Population × 100"
    assert vi.set_index("Mã").loc["fund_raised_vnd", "Thời điểm/thời kỳ"].startswith("thời kỳ")
    assert vi["Nguồn"].ne("").all()


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
