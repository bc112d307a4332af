import datetime as dt
import unicodedata

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from khanalytics import geography as geo
from khanalytics.periods import Period

DOMAIN_FACTS_MERGERS = {  # new code: old codes, from domain-facts.md
    "08": {"08", "02"}, "15": {"10", "15"}, "19": {"19", "06"}, "24": {"27", "24"},
    "25": {"25", "26", "17"}, "31": {"31", "30"}, "33": {"33", "34"}, "37": {"37", "35", "36"},
    "44": {"45", "44"}, "48": {"48", "49"}, "51": {"51", "62"}, "52": {"64", "52"}, "56": {"56", "58"},
    "66": {"66", "54"}, "68": {"68", "67", "60"}, "75": {"75", "70"}, "79": {"79", "74", "77"},
    "80": {"72", "80"}, "82": {"87", "82"}, "86": {"86", "83", "84"}, "91": {"89", "91"},
    "92": {"92", "94", "93"}, "96": {"96", "95"},
}
UNCHANGED = {"01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"}


def test_sizes_and_columns():
    old, new = geo.provinces("2008"), geo.provinces(2025)
    assert (len(old), len(new)) == (63, 34)
    for table in (old, new):
        assert table["code"].is_unique and table["name_vi"].is_unique
        assert set(table["kind"]) == {"tỉnh", "thành phố"}
        assert table[["name_vi", "name_ascii", "name_en", "region"]].ne("").all().all()
        assert all(n.isascii() for n in table["name_ascii"])
    assert (old["kind"] == "thành phố").sum() == 5
    assert (new["kind"] == "thành phố").sum() == 6
    assert old.groupby("region").size().to_dict() == {
        "BTB_DHMT": 14, "DBSCL": 13, "DBSH": 11, "DNB": 6, "TDMNPB": 14, "TN": 5}
    assert len(geo.regions("2025")) == 6 and sum(map(len, geo.regions("2025").values())) == 34


def test_crosswalk_is_a_function_onto_2025_and_matches_domain_facts():
    cw = geo.crosswalk()
    assert len(cw) == 63 and cw["code_2008"].is_unique
    assert set(cw["code_2008"]) == set(geo.province_codes("2008"))
    assert set(cw["code_2025"]) == set(geo.province_codes("2025"))
    expected = {**DOMAIN_FACTS_MERGERS, **{c: {c} for c in UNCHANGED}}
    got = cw.groupby("code_2025")["code_2008"].agg(set).to_dict()
    assert got == expected
    assert geo.successor("24") == "24" and geo.successor("27") == "24"
    assert geo.parts("31") == ("31", "30")


def test_codes_and_names_agree_with_vietnamadminunits():
    sqlite3 = pytest.importorskip("sqlite3")
    import importlib.resources as r

    db = r.files("vietnamadminunits").joinpath("data/dataset.db")
    con = sqlite3.connect(str(db))
    legacy = dict(con.execute("select distinct provinceCode, provinceShort from admin_units_legacy"))
    current = dict(con.execute("select distinct provinceCode, provinceShort from admin_units"))
    legacy["46"] = "Thừa Thiên Huế"  # renamed Huế on 1/1/2025; the 2008 edition keeps the name of its time
    assert dict(zip(geo.provinces("2008")["code"], geo.provinces("2008")["name_vi"], strict=True)) == legacy
    assert dict(zip(geo.provinces("2025")["code"], geo.provinces("2025")["name_vi"], strict=True)) == current


@pytest.mark.parametrize(
    "when, edition",
    [("2019-06-30", "2008"), (dt.date(2025, 6, 30), "2008"), (dt.date(2025, 7, 1), "2025"),
     ("2025-H1", "2008"), ("2025-H2", "2025"), (Period(2026, 1), "2025"), ("2024", "2008"),
     (dt.datetime(2008, 8, 1, 9), "2008")],
)
def test_edition_for(when, edition):
    assert geo.edition_for(when) == edition


def test_edition_for_rejects_the_map_with_ha_tay():
    with pytest.raises(geo.GeographyError, match="1/8/2008"):
        geo.edition_for("2008-07-31")


# --- name resolution: real-world spellings ---------------------------------

CASES_2008 = {
    "Hà Nội": "01", "HÀ NỘI": "01", "ha noi": "01", "Hanoi": "01", "HN": "01", "Thành phố Hà Nội": "01",
    "TP. Hà Nội": "01", "  hà   nội ": "01", "1": "01", "01": "01", 1: "01",
    "TP.HCM": "79", "TPHCM": "79", "HCM": "79", "Ho Chi Minh City": "79", "TP Hồ Chí Minh": "79",
    "Thành phố Hồ Chí Minh": "79", "Sài Gòn": "79", "tp.hồ chí minh": "79",
    "Danang": "48", "Da Nang": "48", "Đà Nẵng": "48", "Hue": "46", "Huế": "46", "Thừa Thiên - Huế": "46",
    "Thừa Thiên Huế": "46", "Tỉnh Thừa Thiên Huế": "46", "Haiphong": "31", "Hai Phong City": "31",
    "Bà Rịa - Vũng Tàu": "77", "Bà Rịa–Vũng Tàu": "77", "Bà Rịa-Vũng Tàu": "77", "BR-VT": "77", "BRVT": "77",
    "Ba Ria - Vung Tau": "77", "Bắc Cạn": "06", "Bắc Kạn": "06", "Đắc Lắc": "66", "Đắk Lắk": "66",
    "Dak Lak": "66", "Daklak": "66", "Ðắk Lắk": "66", "Hoà Bình": "17", "Hòa Bình": "17", "T. Hòa Bình": "17",
    "Khánh Hoà": "56", "Thanh Hoá": "38", "Bắc Ninh": "27", "Quảng Trị": "45", "Gia Lai": "64",
    "Bắc Giang": "24", "24": "24", "Kontum": "62", "Tỉnh Quảng Ninh": "22", "Quang Ninh Province": "22",
    "Cần Thơ": "92", "Can Tho": "92", "T.P. HCM": "79", "T.P Hồ Chí Minh": "79", "HCM City": "79",
    "Bà Rịa - Vũng Tàu (BR-VT)": "77", "TT-Huế": "46", "Tinh Bac Giang": "24", "Đăk Nông": "67",
    "Quảng\u200bNinh": "22", "\ufeffHà Nội": "01", "Cao\u00a0Bằng": "04", "Lạng Sơn\u00ad": "20",
}
CASES_2025 = {
    "Bắc Ninh": "24", "24": "24", "Quảng Trị": "44", "Gia Lai": "52", "Huế": "46", "Hue": "46",
    "Thừa Thiên Huế": "46", "TP.HCM": "79", "Ho Chi Minh City": "79", "Hải Phòng": "31", "Đắc Lắc": "66",
    "Thành phố Huế": "46", "HN": "01", "Tây Ninh": "80", "80": "80",
}


@pytest.mark.parametrize("text, code", CASES_2008.items())
def test_resolves_2008(text, code):
    assert geo.resolve_province(text, edition="2008") == code


@pytest.mark.parametrize("text, code", CASES_2025.items())
def test_resolves_2025(text, code):
    assert geo.resolve_province(text, edition="2025") == code


def test_float_codes_from_excel():
    assert geo.resolve_province(1.0, edition="2008") == "01"
    assert geo.resolve_province(24.0, edition="2025") == "24"


def test_nfd_input():
    assert geo.resolve_province(unicodedata.normalize("NFD", "Quảng Ninh"), edition="2008") == "22"


@pytest.mark.parametrize("text, edition", [
    ("Hà Tây", "2008"), ("Atlantis", "2008"), ("", "2025"), ("Tỉnh", "2025"), ("00", "2008"),
    ("99", "2025"), ("02", "2025"), (None, "2008"), (float("nan"), "2008"), ("Hà", "2008"),
])
def test_unknown_names_raise(text, edition):
    with pytest.raises(geo.ProvinceNameError) as err:
        geo.resolve_province(text, edition=edition)
    assert edition in str(err.value)


def test_error_names_input_edition_and_closest():
    with pytest.raises(geo.ProvinceNameError) as err:
        geo.resolve_province("Quang Nin", edition="2008")
    msg = str(err.value)
    assert "'Quang Nin'" in msg and "2008" in msg and "Quảng Ninh (22)" in msg
    assert err.value.suggestions[0] == "Quảng Ninh (22)"


def test_old_province_on_new_map_says_where_it_went():
    with pytest.raises(geo.ProvinceNameError) as err:
        geo.resolve_province("Bắc Giang", edition="2025")
    assert "Bắc Ninh (24)" in str(err.value) and "1/7/2025" in str(err.value)


@pytest.mark.parametrize("abbrev", ["QN", "DN", "q.n."])
def test_ambiguous_abbreviations_are_never_resolved(abbrev):
    with pytest.raises(geo.ProvinceNameError) as err:
        geo.resolve_province(abbrev, edition="2008")
    assert len(err.value.suggestions) >= 2


def test_vectorised_resolution():
    s = pd.Series(["Hà Nội", "HN", "tp.hcm", "Bắc Giang", None])
    with pytest.raises(geo.ProvinceNameError):
        geo.resolve_provinces(s, edition="2008")
    out = geo.resolve_provinces(s, edition="2008", errors="coerce")
    assert out.tolist()[:4] == ["01", "01", "79", "24"] and pd.isna(out.iloc[4])
    with pytest.raises(geo.ProvinceNameError, match=r"\+1"):
        geo.resolve_provinces(["Atlantis", "Lemuria", "Hà Nội"], edition="2025")


# --- property tests ---------------------------------------------------------

def _strip_marks(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def _old_tone_placement(s: str) -> str:
    """Hòa → Hoà, Thủy → Thuỷ: move the tone mark from the first to the second vowel of oa/oe/uy."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    d = list(unicodedata.normalize("NFD", s))
    out = []
    i = 0
    while i < len(d):
        if (i + 2 < len(d) and d[i].lower() in "ou" and d[i + 1] in tones
                and (d[i].lower(), d[i + 2].lower()) in {("o", "a"), ("o", "e"), ("u", "y")}):
            out += [d[i], d[i + 2], d[i + 1]]
            i += 3
        else:
            out.append(d[i])
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


TRANSFORMS = {
    "nfd": lambda s: unicodedata.normalize("NFD", s),
    "nfc": lambda s: unicodedata.normalize("NFC", s),
    "ascii": _strip_marks,
    "old_tone": _old_tone_placement,
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "spaces": lambda s: "  " + s.replace(" ", "   ") + " ",
    "en_dash": lambda s: s.replace(" - ", "–").replace("-", "–"),
    "tight_hyphen": lambda s: s.replace(" - ", "-"),
}
PREFIXES = ["", "Tỉnh ", "tinh ", "Thành phố ", "Thanh pho ", "TP. ", "TP.", "TP ", "T. ", "tp "]
CITY_PREFIXES = {"Thành phố ", "Thanh pho ", "TP. ", "TP.", "TP ", "tp "}
# "Thành phố"/"TP" + a province's name is the province only for the centrally-run cities; for the others it is
# the provincial city ("TP Thái Bình"), never the province (issue 10): the prefixes of a city go with cities only.
ALL_NAMES = [(ed, row.name_vi, row.code) for ed in geo.EDITIONS for row in geo.provinces(ed).itertuples()]
KINDS = {(ed, row.code): row.kind for ed in geo.EDITIONS for row in geo.provinces(ed).itertuples()}


@settings(max_examples=400, deadline=None)
@given(
    case=st.sampled_from(ALL_NAMES),
    prefix=st.sampled_from(PREFIXES),
    transforms=st.lists(st.sampled_from(sorted(TRANSFORMS)), max_size=4),
)
def test_every_canonical_name_under_every_transformation_resolves(case, prefix, transforms):
    edition, name, code = case
    if prefix in CITY_PREFIXES and KINDS[(edition, code)] != "thành phố":
        prefix = "Tỉnh "
    text = prefix + name
    for t in transforms:
        text = TRANSFORMS[t](text)
    assert geo.resolve_province(text, edition=edition) == code


@pytest.mark.parametrize("edition, name, code", ALL_NAMES)
def test_each_name_with_each_transform(edition, name, code):
    for t, f in TRANSFORMS.items():
        assert geo.resolve_province(f(name), edition=edition) == code, t


KNOWN_KEYS = {k for ed in geo.EDITIONS for k in geo._index(ed)}


@settings(max_examples=500, deadline=None)
@given(text=st.text(min_size=0, max_size=25))
def test_nonsense_never_resolves_silently(text):
    for edition in geo.EDITIONS:
        try:
            code = geo.resolve_province(text, edition=edition)
        except geo.ProvinceNameError:
            continue
        # it resolved: then it must be a known name or a valid code
        stripped = text.strip()
        assert geo.name_key(text) in KNOWN_KEYS or (stripped.isdigit() and stripped.zfill(2) == code)


def test_alias_file_has_no_collisions_within_an_edition():
    aliases = yaml.safe_load(
        __import__("importlib.resources").resources.files("khanalytics.reference")
        .joinpath("province_aliases.yaml").read_text(encoding="utf-8"))
    ambiguous = {geo.name_key(k) for k in aliases["ambiguous"]}
    for edition in geo.EDITIONS:
        for key, codes in geo._index(edition).items():
            assert len(codes) <= 1 or key in ambiguous, (edition, key, codes)


def test_reference_frames_are_handed_out_as_copies():
    table = geo.crosswalk()
    table.loc[table["code_2008"] == "24", "code_2025"] = "99"
    assert geo.successor("24") == "24" and geo.crosswalk().equals(geo.crosswalk())
    assert (geo.crosswalk().loc[lambda t: t["code_2008"] == "24", "code_2025"] == "24").all()
    provinces = geo.provinces("2025")
    provinces["name_vi"] = "x"
    assert geo.province_name("24", "2025") == "Bắc Ninh" and (geo.provinces("2025")["name_vi"] != "x").all()


def test_frames_carry_their_edition_like_a_crs():
    import pandas as pd

    marked = geo.with_edition(pd.DataFrame({"code": ["24"], "value": [1.0]}), "2008")
    assert geo.edition_of(marked) == "2008" and geo.edition_of(marked.copy()) == "2008"
    assert geo.require_edition(marked, "2008") == "2008"
    with pytest.raises(geo.EditionMismatchError) as err:
        geo.require_edition(marked, "2025", what="bản đồ")
    assert "2008" in err.value.vi and "harmonise" in err.value.en
    mixed = pd.DataFrame({"code": ["24", "24"], "edition": ["2008", "2025"]})
    assert geo.edition_of(mixed) is None
    with pytest.raises(geo.EditionMismatchError):
        geo.require_edition(mixed, "2025")
    assert geo.require_edition(pd.DataFrame({"code": ["24"]}), "2025") == "2025"  # unmarked: taken at its word


@pytest.mark.parametrize("edition, name, code", [c for c in ALL_NAMES if KINDS[(c[0], c[2])] != "thành phố"])
def test_a_city_district_or_ward_named_like_a_province_is_never_the_province(edition, name, code):
    for text in (f"TP {name}", f"Thành phố {name}", f"Thị xã {name}", f"Huyện {name}", f"Quận {name}", f"Phường {name}"):
        with pytest.raises(geo.ProvinceNameError, match="không phải một tỉnh"):
            geo.resolve_province(text, edition=edition)
    assert geo.subdivision(f"TP. {name}", edition=edition)[0] == "city"
    assert geo.resolve_province(f"Tỉnh {name}", edition=edition) == code


def test_centrally_run_cities_keep_their_prefix():
    assert geo.resolve_province("TP. Hà Nội", edition="2008") == "01"
    assert geo.resolve_province("Thành phố Huế", edition="2025") == "46"
    assert geo.subdivision("Thành phố Cần Thơ", edition="2025") is None
