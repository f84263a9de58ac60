from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuxuan.common.money import Money, MoneyError, apply_bps, split, to_major_str, to_minor, to_minor_exact


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.34", 1234),
        ("12.345", 1235),
        ("12.344", 1234),
        ("-0.005", -1),
        ("¥".replace("¥", "") + "1,234.5", 123450),
        (Decimal("0.004"), 0),
    ],
)
def test_to_minor_rounds_half_up(value, expected):
    assert to_minor(value, "CNY") == expected


def test_to_minor_refuses_garbage_and_unknown_currency():
    with pytest.raises(MoneyError):
        to_minor("12,3x", "CNY")
    with pytest.raises(MoneyError):
        to_minor("1", "XXX")


def test_major_string_and_api_shape():
    assert to_major_str(1234, "CNY") == "12.34"
    assert to_major_str(-5, "CNY") == "-0.05"
    assert Money(100).as_api() == {"amount": "1.00", "currency": "CNY"}


def test_apply_bps():
    assert apply_bps(9999, 2000) == 2000  # 1999.8 -> 2000
    assert apply_bps(10001, 2500) == 2500  # 2500.25 -> 2500


@given(
    amount=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
)
def test_split_always_sums_exactly(amount, weights):
    shares = {f"leg{i}": w for i, w in enumerate(weights)}
    legs = split(amount, shares, residual="leg0")
    assert sum(legs.values()) == amount
    assert set(legs) == set(shares)


def test_typed_amounts_are_exact_or_refused():
    assert to_minor_exact("12.30", "CNY") == 1230
    assert to_minor_exact("7", "CNY") == 700
    assert to_minor_exact("1,234.5", "CNY") == 123450
    with pytest.raises(MoneyError, match="more than 2 decimal places"):
        to_minor_exact("1.234", "CNY")
    with pytest.raises(MoneyError, match="more than 0 decimal places"):
        to_minor_exact("10.5", "JPY")
    with pytest.raises(MoneyError):
        to_minor_exact("NaN", "CNY")


def test_to_minor_refuses_an_amount_past_a_bigint_of_minor_units_instead_of_crashing():
    assert to_minor("9999999999999999.99", "CNY") == 999_999_999_999_999_999
    with pytest.raises(MoneyError) as error:
        to_minor("1" * 29, "CNY")  # quantize raised decimal.InvalidOperation (an unhandled 500)
    assert str(error.value) == "The amount has more than 18 digits in minor units."
    with pytest.raises(MoneyError):
        to_minor("10000000000000000.00", "CNY")
