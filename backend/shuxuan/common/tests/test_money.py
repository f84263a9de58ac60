from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuxuan.common.money import (
    Money,
    MoneyError,
    allocate,
    apply_bps,
    part_of,
    round_half_up,
    split,
    to_major_str,
    to_minor,
    to_minor_exact,
)


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


def test_split_never_gives_a_negative_leg():
    # Was a = -1 and 1 to each of the others: every leg rounded half-up on its own, the residual
    # taking what was left. Largest remainder: 4/6 each floors to 0, the 4 fen go first-come.
    assert split(4, {name: 1 for name in "abcdef"}, residual="a") == {"a": 1, "b": 1, "c": 1, "d": 1, "e": 0, "f": 0}


def test_allocate_hands_the_left_fen_to_the_largest_remainders_ties_first_come():
    # shares 2.5, 2.5, 3.6, 1.4 (denominator 10): floors 2, 2, 3, 1; 2 fen left: 3.6 first, then
    # the first of the two 2.5s.
    assert allocate(10, [25, 25, 36, 14], 10) == [3, 2, 4, 1]
    assert allocate(0, [0, 0], 7) == [0, 0]


def test_allocate_refuses_a_total_no_split_within_quota_can_reach():
    with pytest.raises(MoneyError):
        allocate(5, [10, 10], 10)  # shares 1 and 1: at most 2
    with pytest.raises(MoneyError):
        allocate(1, [15, 10], 10)  # floors 1 and 1 already make 2
    with pytest.raises(MoneyError):
        allocate(1, [-5, 15], 10)


@settings(derandomize=True, max_examples=300)
@given(
    amount=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
)
def test_allocate_keeps_every_leg_within_its_share_rounded_down_and_up(amount, weights):
    total = sum(weights)
    legs = allocate(amount, [amount * w for w in weights], total)
    assert sum(legs) == amount
    for leg, weight in zip(legs, weights, strict=True):
        assert amount * weight // total <= leg <= -(-amount * weight // total)
        assert leg >= 0


@settings(derandomize=True, max_examples=200)
@given(
    amount=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
)
def test_split_legs_never_take_the_opposite_sign_of_the_amount(amount, weights):
    legs = split(amount, {f"leg{i}": w for i, w in enumerate(weights)}, residual="leg0")
    assert sum(legs.values()) == amount
    assert all(leg * amount >= 0 for leg in legs.values())


def test_split_takes_decimal_weights_exactly():
    assert split(100, {"a": Decimal("0.5"), "b": Decimal("0.25"), "c": Decimal("0.25")}, residual="a") == {
        "a": 50,
        "b": 25,
        "c": 25,
    }
    assert split(10, {"a": Decimal("1"), "b": Decimal("1"), "c": Decimal("1")}, residual="c") == {"a": 4, "b": 3, "c": 3}


def test_a_refund_from_the_full_amount_never_raises_a_leg_but_a_second_one_can_by_one_fen():
    # Weights that sum to the full amount P are the legs at P: any basis b < P gives each leg at most
    # its weight (its share b·w/P rounded up is at most w). Between two partial bases largest
    # remainder can move a leg the other way by one fen (the Alabama paradox): ADR 0010.
    weights = [1, 3, 3]
    at = {b: allocate(b, [b * w for w in weights], 7) for b in range(8)}
    assert at[4] == [0, 2, 2] and at[3] == [1, 1, 1]
    for b, legs in at.items():
        assert all(leg <= w for leg, w in zip(legs, weights, strict=True))
        for smaller in range(b):
            assert all(a <= c + 1 for a, c in zip(at[smaller], legs, strict=True))


@settings(derandomize=True, max_examples=300)
@given(amount=st.integers(0, 10**9), whole=st.integers(1, 10**4), data=st.data())
def test_part_of_is_half_up_of_the_proportional_share(amount, whole, data):
    # Two legs: largest remainder with ties to the part is exactly half-up, so the stock issues and
    # returns moved onto the one rule keep their figures.
    part = data.draw(st.integers(0, whole))
    assert part_of(amount, part, whole) == round_half_up(Decimal(amount) * part / whole)
    assert [part_of(amount, part, whole), amount - part_of(amount, part, whole)] == allocate(
        amount, [amount * part, amount * (whole - part)], whole
    )


def test_to_minor_refuses_an_amount_past_a_bigint_of_minor_units_instead_of_crashing():
    assert to_minor("9999999999999999.99", "CNY") == 999_999_999_999_999_999
    with pytest.raises(MoneyError) as error:
        to_minor("1" * 29, "CNY")  # quantize raised decimal.InvalidOperation (an unhandled 500)
    assert str(error.value) == "The amount has more than 18 digits in minor units."
    with pytest.raises(MoneyError):
        to_minor("10000000000000000.00", "CNY")
