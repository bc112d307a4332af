"""Numbers as provinces type them: the Vietnamese way first, the English way when it cannot mean anything else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khanalytics.errors import KhanalyticsError
from khanalytics.io.numbers import NotANumber, parse_number


@pytest.mark.parametrize("text, value", [
    ("2.265.712", 2265712), ("2 265 712", 2265712), ("2\u00a0265\u00a0712", 2265712), ("24,07", 24.07),
    ("2,265,712", 2265712), ("24.07", 24.07), ("1.631", 1631), ("0", 0), ("-5", -5), ("(1.234)", -1234),
    ("1.234.567,5", 1234567.5), ("1,234,567.5", 1234567.5), (17521, 17521), (3.5, 3.5), ("", None), ("-", None),
    (None, None), ("  42 ", 42), ("+7", 7),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3,4,5", "24 %", "x", "1.23.456", "--3", True])
def test_parse_number_rejects(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_round_trip(n):
    assert parse_number(f"{n:,}".replace(",", ".")) == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n


def test_not_a_number_is_a_family_error_naming_the_value():
    with pytest.raises(NotANumber) as err:
        parse_number("khoảng 19 vạn")
    assert isinstance(err.value, KhanalyticsError) and isinstance(err.value, ValueError)
    assert err.value.rule == "not_a_number" and err.value.context["value"] == "khoảng 19 vạn"
    assert "không phải là số" in err.value.vi and "is not a number" in err.value.en


def test_a_decimal_comma_is_a_thousands_comma_for_whole_numbers():
    assert parse_number("502,825") == 502.825
    assert parse_number("502,825", whole=True) == 502825
