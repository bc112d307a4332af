"""The one text fold: names, headers and slugs agree on what is the same text."""

import unicodedata

import pytest

from khanalytics import geography as geo
from khanalytics.text import fold, slug, soft_fold

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_fold_away(mark):
    assert fold(f"Số hội vi{mark}ên") == fold("Số hội viên") == "so hoi vien"
    assert geo.name_key(f"Quảng{mark} Ninh") == geo.name_key("Quảng Ninh")
    assert slug(f"Cụm{mark} II") == slug("Cụm II")


def test_nfd_and_tone_placement_and_eth():
    assert soft_fold(unicodedata.normalize("NFD", "Hòa Bình")) == soft_fold("Hoà Bình") == "hoa binh"
    assert soft_fold("ĐÀ NẴNG") == soft_fold("Ðà Nẵng") == "da nang"
    assert soft_fold("Thủy") == soft_fold("Thuỷ")


def test_fold_keeps_words_and_drops_punctuation():
    assert fold("  Số hội viên (người) ") == "so hoi vien nguoi"
    assert soft_fold("T.P. Hồ Chí Minh") == "t.p. ho chi minh"  # soft: punctuation kept for callers that read it


def test_slug_is_safe_ascii():
    assert slug("Cụm II – Đông Bắc") == "cum-ii-dong-bac"
    assert slug("<img src=x>/../..") == "img-src-x"
    assert slug("") == slug("---") == "report"
    assert len(slug("a" * 200)) == 80
