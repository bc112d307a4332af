"""Narrative: the sentences leaders read, in Vietnamese and English, never broken.

Sentences are built from analysis rows made here by hand (to reach every case:
missing, equal, negative) and, at the end, from the sample store (the Cụm II
headline of November 2019).
"""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics import narrative as nr
from khanalytics.periods import Period
from tests.analysis_frames import complete_country, membership
from tests.sample_store import sample_obs, sample_store  # noqa: F401 - session fixtures

BROKEN = [
    r"\bNone\b", r"\bnan\b", r"\bNaN\b", "—", r"\s[,.;:]", r",\s*,", r"\.\.", r"  ", r"\(\s*\)", r"[−-]\d",
    r"tăng\s+[−-]", r"giảm\s+[−-]", r"\bup\s+[−-]", r"\bdown\s+[−-]", r"\+\d", r",\s*và\b", r"\bvà\s*[,.;]",
    r"\band\s*[,.;]", r":\s*\.",
]


def assert_clean(text: str) -> None:
    assert text and text[0].isupper() and text.endswith("."), text
    for pattern in BROKEN:
        assert not re.search(pattern, text), f"{pattern!r} in {text!r}"


def cluster_row(**changes):
    """A comparison row for Cụm II at 2019-H1 (the founding figures), with ``changes`` applied."""
    row = {
        "group": "dong-bac", "group_kind": "cluster", "group_label": "Cụm II – Đông Bắc",
        "group_label_en": "Cluster II – Northeast", "indicator": "membership_rate", "period": "2019-H1",
        "edition": "2008", "value": 2_265_712 / 9_414_026 * 100, "numerator": 2_265_712.0,
        "denominator": 9_414_026.0, "n_reporting": 8, "n_members": 8,
        "reporting": ("06", "04", "19", "20", "22", "24", "30", "31"), "missing": (), "population_share": 1.0,
        "synthetic": False, "reason_vi": None, "reason_en": None, "period_last_year": "2018-H1",
        "change_last_year": 1.0784, "change_unit": "points", "national": 20.72,
        "gap_national": 2_265_712 / 9_414_026 * 100 - 20.72, "share_of_national": float("nan"),
    }
    row.update(changes)
    return row


QN = {"code": "22", "value": 31.8, "edition": "2008"}


def test_the_founding_headline_from_a_row():
    text = nr.headline(cluster_row(), best=QN)
    assert text == ("Tổng số hội viên của 8 tỉnh, thành phố trong Cụm II đến hết 6/2019 là 2.265.712 hội viên/"
                    "9.414.026 người dân, đạt tỉ lệ 24,07 % dân số, cao hơn mức bình quân của cả nước (20,72 %) "
                    "3,35 điểm phần trăm và tăng 1,08 điểm phần trăm so với cùng kỳ năm 2018; riêng tỉnh Quảng Ninh "
                    "đạt 31,8 % dân số toàn tỉnh.")
    en = nr.headline(cluster_row(), best=QN, lang="en")
    assert "2,265,712 members among 9,414,026 inhabitants" in en and "24.07%" in en and "(20.72%)" in en
    assert "up 1.08 percentage points on the same period of 2018" in en and "Quang Ninh alone reached 31.8%" in en
    assert_clean(text)
    assert_clean(en)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_missing_values_drop_their_clause(lang):
    no_nat = nr.headline(cluster_row(national=float("nan"), gap_national=float("nan")), best=QN, lang=lang)
    assert ("bình quân" not in no_nat) and ("national" not in no_nat)
    assert ("tăng 1,08" in no_nat) if lang == "vi" else ("up 1.08" in no_nat)
    no_change = nr.headline(cluster_row(change_last_year=None), lang=lang)
    assert "2018" not in no_change
    neither = nr.headline(cluster_row(change_last_year=None, national=None), lang=lang)
    assert ("24,07 % dân số." in neither) if lang == "vi" else ("24.07% of the population." in neither)
    empty = nr.headline(cluster_row(value=float("nan"), n_reporting=7, missing=("06",),
                                    reason_vi="chỉ 7/8 tỉnh, thành phố báo cáo đủ số liệu (thiếu: Bắc Kạn)",
                                    reason_en="only 7 of 8 provinces reported every figure (missing: Bac Kan)"),
                        best=QN, lang=lang)
    assert ("Chưa tính được" in empty and "7/8" in empty) if lang == "vi" else ("cannot be computed" in empty)
    assert "31,8" not in empty and "31.8" not in empty
    for text in (no_nat, no_change, neither, empty):
        assert_clean(text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_equal_values_say_so(lang):
    value = 20.72
    text = nr.headline(cluster_row(value=value, gap_national=0.0, change_last_year=0.001), lang=lang)
    if lang == "vi":
        assert "ngang mức bình quân của cả nước (20,72 %)" in text
        assert "không thay đổi so với cùng kỳ năm 2018" in text
    else:
        assert "level with the national average (20.72%)" in text and "unchanged on the same period of 2018" in text
    assert_clean(text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_negative_values_turn_the_verb(lang):
    text = nr.headline(cluster_row(value=19.5, change_last_year=-0.5), lang=lang)
    if lang == "vi":
        assert "thấp hơn mức bình quân của cả nước (20,72 %) 1,22 điểm phần trăm" in text
        assert "giảm 0,50 điểm phần trăm so với cùng kỳ năm 2018" in text
    else:
        assert "1.22 percentage points below the national average" in text and "down 0.50 percentage points" in text
    assert_clean(text)
    count = nr.headline(cluster_row(indicator="members", value=1000.0, numerator=1000.0, denominator=float("nan"),
                                    change_unit="percent", change_last_year=-12.34, share_of_national=5.0),
                        lang=lang)
    assert ("giảm 12,3 %" in count) if lang == "vi" else ("down 12.3%" in count)
    assert_clean(count)


def maybe(values):
    return st.one_of(st.none(), st.just(float("nan")), st.just(0.0), values)


levels = st.floats(0, 100)  # a rate is never negative; its changes and gaps may be
changes = st.floats(-150, 150, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(maybe(levels), maybe(levels), maybe(changes), st.sampled_from(["vi", "en"]),
       st.sampled_from(["cluster", "province", "country"]), st.booleans())
def test_no_broken_sentence_whatever_the_figures(value, national, change, lang, kind, with_best):
    row = cluster_row(value=value, national=national, change_last_year=change, group_kind=kind,
                      reason_vi="không tỉnh, thành phố nào báo cáo đủ số liệu để tính",
                      reason_en="no province reported every figure needed")
    if kind == "province":
        row.update(group="22", group_label="Quảng Ninh", group_label_en="Quang Ninh", reporting=("22",),
                   n_members=1, n_reporting=1)
    if kind == "country":
        row.update(group="VN", group_label="Cả nước", group_label_en="Whole country")
    assert_clean(nr.headline(row, best=QN if with_best else None, lang=lang))


def test_flows_are_said_over_the_period():
    row = cluster_row(indicator="fund_raised_vnd", value=1.5e9, numerator=1.5e9, denominator=float("nan"),
                      change_unit="percent", change_last_year=10.0, share_of_national=7.9)
    vi, en = nr.headline(row), nr.headline(row, lang="en")
    assert "trong 6 tháng đầu năm 2019" in vi and "1.500.000.000 đồng" in vi and "đến hết" not in vi
    assert "in the first half of 2019" in en
    assert_clean(vi)
    assert_clean(en)


def test_ranking_sentence_names_best_and_weakest_and_shares_ties():
    provinces = pd.DataFrame({"code": ["22", "30", "20", "31"], "value": [31.8, 29.06, 20.30, 20.31],
                              "edition": "2008"})
    text = nr.ranking_sentence(provinces, cluster_row())
    assert text == ("Cao nhất là Quảng Ninh (31,8 %), thấp nhất là Lạng Sơn và Hải Phòng (20,3 %); 2/4 tỉnh, "
                    "thành phố cao hơn mức bình quân của cả nước.")
    assert nr.ranking_sentence(provinces, cluster_row(), best_named=True).startswith("Thấp nhất là Lạng Sơn")
    same = provinces.assign(value=25.0)
    assert nr.ranking_sentence(same, cluster_row()).startswith("Các tỉnh, thành phố có cùng mức 25,0 %")
    assert nr.ranking_sentence(provinces.head(1), cluster_row()) == ""
    en = nr.ranking_sentence(provinces, cluster_row(), "en")
    assert en.startswith("Highest: Quang Ninh (31.8%); lowest: Lang Son and Hai Phong (20.3%)")
    for t in (text, en):
        assert_clean(t)


def test_rank_sentence_for_a_province():
    row = {"code": "31", "edition": "2008", "value": 20.3, "rank_country": 41, "n_country": 63,
           "cluster_label": "Cụm II – Đông Bắc", "rank_cluster": 7, "n_cluster": 8}
    assert nr.rank_sentence(row) == "Thành phố Hải Phòng đứng thứ 7/8 trong Cụm II và thứ 41/63 cả nước."
    assert nr.rank_sentence(row, "en") == "Hai Phong ranks 7 of 8 in Cluster II and 41 of 63 nationally."
    assert nr.rank_sentence({**row, "value": float("nan"), "rank_country": pd.NA}) == ""


def _evaluation(statuses):
    rows = []
    for code, status, value in statuses:
        rows.append({"indicator": code, "status": status, "value": value, "target": 70.0, "target_year": 2020,
                     "decision": "281/QĐ-TTg", "decision_label": "mục tiêu của Quyết định 281/QĐ-TTg",
                     "decision_label_en": "the targets of Decision 281/QĐ-TTg"})
    return pd.DataFrame(rows)


def test_targets_sentence_says_met_on_track_behind_and_missing():
    ev = _evaluation([("learning_families_rate", "met", 75.31), ("learning_clans_rate", "on track", 60.0),
                      ("learning_units_rate", "behind", 40.0), ("learning_communities_rate", None, float("nan"))])
    vi = nr.targets_sentence(ev)
    assert vi == ("So với mục tiêu của Quyết định 281/QĐ-TTg đến năm 2020, đã đạt về Gia đình học tập (75,3 %; "
                  "mục tiêu 70 %); đúng tiến độ về Dòng họ học tập (60,0 %; mục tiêu 70 %); còn chậm về Đơn vị học "
                  "tập (40,0 %; mục tiêu 70 %); chưa có số liệu về Cộng đồng học tập.")
    en = nr.targets_sentence(ev, "en")
    assert en.startswith("Against the targets of Decision 281/QĐ-TTg for 2020: met for Learning families")
    assert nr.targets_sentence(ev.iloc[0:0]) == ""
    for t in (vi, en):
        assert_clean(t)


def test_coverage_quality_and_synthetic_caveats():
    row = cluster_row(group_kind="country", group_label="Cả nước", group_label_en="Whole country",
                      n_members=63, n_reporting=61, missing=("06", "22"), population_share=0.9712)
    vi = nr.coverage_sentence(row)
    assert vi == ("Số liệu của Cả nước tính trên 61/63 tỉnh báo cáo đủ (chiếm 97,1 % dân số); chưa có số liệu của "
                  "Bắc Kạn và Quảng Ninh.")
    assert nr.coverage_sentence(cluster_row()) == ""
    flags = pd.DataFrame({"message_vi": ["Dân số lệch 12 % so với số chính thức"],
                          "message_en": ["Population 12% off the official figure"]})
    assert nr.quality_sentence(flags) == ("Có 1 cảnh báo chất lượng số liệu cần xem lại, ví dụ: Dân số lệch 12 % so "
                                          "với số chính thức.")
    assert nr.quality_sentence(flags, "en").startswith("1 data-quality flag should be checked")
    assert nr.quality_sentence(None) == "" and nr.synthetic_sentence(False) == ""
    assert "minh hoạ" in nr.synthetic_sentence(True) and "synthetic" in nr.synthetic_sentence(True, "en")
    for t in (vi, nr.coverage_sentence(row, "en"), nr.quality_sentence(flags), nr.synthetic_sentence(True)):
        assert_clean(t)


def test_summary_of_a_cluster_on_the_2025_map_shows_the_territory_caveat():
    obs = pd.concat([complete_country("2026-H1", seed=5), complete_country("2025-H1", seed=6)])
    s = nr.cluster_summary(obs, "Cụm II", "2026-H1")
    assert list(s.columns) == ["topic", "text"] and set(s["topic"]) <= set(nr.TOPICS)
    territory = s.set_index("topic").loc["territory", "text"]
    assert "Bắc Ninh cũ (27)" in territory and "34 tỉnh" in territory
    assert "synthetic" not in set(s["topic"])
    head = s.set_index("topic").loc["headline", "text"]
    assert head.startswith("Tổng số hội viên của 6 tỉnh, thành phố trong Cụm II đến hết 6/2026")
    assert "so với cùng kỳ năm 2025" in head
    for t in s["text"]:
        assert_clean(t)
    old_map = nr.cluster_summary(obs, "Cụm II", "2026-H1", edition="2008", lang="en")
    assert "cannot be computed" in old_map.iloc[0]["text"]
    for t in old_map["text"]:
        assert_clean(t)


def test_summaries_of_a_province_and_the_country_with_flags_and_synthetic_data():
    obs = pd.concat([complete_country(kind="synthetic"), membership(["22"], "2018-H1", [100], [1000])])
    flags = pd.DataFrame({"edition": ["2008"], "code": ["22"], "period": ["2019-H1"],
                          "message_vi": ["Hội viên tăng hơn 30 %"], "message_en": ["Members up by more than 30%"]})
    qn = nr.province_summary(obs, "Quảng Ninh", "2019-H1", flags=flags).set_index("topic")["text"]
    assert qn["headline"].startswith("Đến hết 6/2019, tỉnh Quảng Ninh có")
    assert "trong Cụm II" in qn["ranking"] and "/63 cả nước" in qn["ranking"]
    assert "Hội viên tăng hơn 30 %" in qn["quality"] and "minh hoạ" in qn["synthetic"]
    vn = nr.country_summary(obs, "2019-H1", lang="en").set_index("topic")["text"]
    assert vn["headline"].startswith("At the end of June 2019, the whole country had")
    assert "national average" not in vn["headline"]
    for t in [*qn, *vn]:
        assert_clean(t)


# --- the sample dataset ----------------------------------------------------------------------------


def test_sample_cluster_ii_headline_reads_like_the_meeting(sample_obs):  # noqa: F811
    s = nr.cluster_summary(sample_obs, "Cụm II", "2019-H1").set_index("topic")["text"]
    head = s["headline"]
    for figure in ("2.265.712", "9.414.026", "24,07", "20,72", "1,08 điểm phần trăm", "đến hết 6/2019",
                   "cùng kỳ năm 2018", "Quảng Ninh đạt 31,8 %"):
        assert figure in head, figure
    assert head.startswith("Tổng số hội viên của 8 tỉnh, thành phố trong Cụm II đến hết 6/2019 là 2.265.712 hội viên/")
    assert "cao hơn mức bình quân của cả nước (20,72 %)" in head and "tăng 1,08" in head
    assert "minh hoạ" in s["synthetic"]
    en = nr.cluster_summary(sample_obs, "Cụm II", "2019-H1", lang="en").set_index("topic")["text"]
    for figure in ("2,265,712", "9,414,026", "24.07%", "20.72%", "1.08 percentage points"):
        assert figure in en["headline"], figure
    for t in [*s, *en]:
        assert_clean(t)


def test_tables_of_the_other_map_are_refused():
    provinces = geo.with_edition(pd.DataFrame({"code": ["22", "24"], "value": [31.8, 20.0], "edition": "2025"}),
                                 "2025")
    with pytest.raises(geo.EditionMismatchError, match="ranking_sentence"):
        nr.ranking_sentence(provinces, cluster_row())  # a 2008-map row: "24" would name the wrong province
    assert nr.ranking_sentence(provinces, cluster_row(edition="2025")).startswith("Cao nhất là Quảng Ninh")
    with pytest.raises(geo.EditionMismatchError):
        nr.headline(cluster_row(), best={**QN, "edition": "2025"})
    note = an.territory_note("Cụm II", "2025")
    with pytest.raises(geo.EditionMismatchError, match="territory_sentence"):
        nr.territory_sentence(note, cluster_row())
    assert "Bắc Ninh cũ (27)" in nr.territory_sentence(note, cluster_row(edition="2025", period="2026-H1"))


def test_a_summary_takes_a_period_object():
    obs = complete_country()
    by_text = nr.cluster_summary(obs, "Cụm II", "2019-H1")
    pd.testing.assert_frame_equal(nr.cluster_summary(obs, "Cụm II", Period(2019, 1)), by_text)
    assert nr.text(nr.province_summary(obs, "Quảng Ninh", Period(2019, 1))).startswith("Đến hết 6/2019")
