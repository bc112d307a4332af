"""How provinces write column headers, and which element or indicator a header denotes."""

import unicodedata

import pytest

from khanalytics import catalogue as cat
from khanalytics import text
from khanalytics.catalogue.headers import header_key

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


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\ufeff", "\u200c"])
def test_invisible_characters_do_not_change_a_header(invisible):
    assert cat.match_header(f"Số hội vi{invisible}ên") == "members"
    assert cat.match_header(f"{invisible}Dân số (người)") == "population"
    assert cat.match_header(unicodedata.normalize("NFD", f"Số hội vi{invisible}ên")) == "members"


def test_the_fold_is_the_packages_one():
    assert cat.fold is text.fold
    assert header_key("Tổng số hội viên (người) đến 30/6/2019") == header_key("hoi vien")
