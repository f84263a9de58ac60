"""The waterfall's splits (pure, no database): largest remainder at the full basis and at every
partial basis, every leg within its unrounded share rounded down and up, never negative, and a
refund from the full basis never raising a leg (docs/domain.md section 3, ADR 0010)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shuxuan.settlement import waterfall
from shuxuan.settlement.waterfall import (
    ANCHOR_COMMISSION,
    BPS,
    MCN_SHARE,
    OPERATOR_MARGIN,
    PLATFORM_FEE,
    PRODUCER,
    SERVICE_FEE,
    SplitProblem,
    Terms,
)

from .test_properties import terms_strategy

PLATFORM, ANCHOR, MCN, MARGIN, BRAND = (
    (PLATFORM_FEE, 0),
    (ANCHOR_COMMISSION, 0),
    (MCN_SHARE, 0),
    (OPERATOR_MARGIN, 0),
    (PRODUCER, 0),
)
# 99.90 buy-out at supply 74.92, 5% platform fee, 20% commission of which 30% to the MCN.
BUYOUT_9990 = Terms(
    full_basis=9990, quantity=1, platform_fee_bps=500, commission_bps=2000, mcn_split_bps=3000, buyout=True, supply_price=7492
)


def _within(leg: int, numerator: int, denominator: int) -> bool:
    return numerator // denominator <= leg <= -(-numerator // denominator)


def test_the_small_buyout_line_splits_at_basis_5():
    # Was "rounding left a negative residual": 0.25 and 0.75 rounded half-up on their own beside
    # 3.5 left the margin -1. At P = 10: fee 0.5, commission 1.5, supply 7, margin 1.0 exactly;
    # floors 0, 1, 7, 1 leave 1 fen, the remainders tie at .5 and the earlier leg (the fee) takes it.
    terms = Terms(full_basis=10, quantity=1, platform_fee_bps=500, commission_bps=1500, buyout=True, supply_price=7)
    assert waterfall.full_legs(terms) == {PLATFORM: 1, ANCHOR: 1, MCN: 0, BRAND: 7, MARGIN: 1}
    # At 5 the shares are half those: 0.5, 0.5, 0, 3.5, 0.5; floors 0, 0, 0, 3, 0 leave 2 fen, to
    # the first two .5 remainders.
    assert waterfall.legs(terms, 5) == {PLATFORM: 1, ANCHOR: 1, MCN: 0, BRAND: 3, MARGIN: 0}


def test_every_fen_level_partial_basis_of_the_9990_buyout_line_splits():
    # P = 99.90: fee 499.5, commission 1998 (anchor 1398.6, MCN 599.4), supply 7492, margin 0.5.
    # Floors 499, 1998, 7492, 0 leave 1 fen, the .5 tie goes to the fee; the commission splits
    # 1398.6 / 599.4, floors 1398 and 599, the fen to the .6.
    full = waterfall.full_legs(BUYOUT_9990)
    assert full == {PLATFORM: 500, ANCHOR: 1399, MCN: 599, BRAND: 7492, MARGIN: 0}
    for basis in range(BUYOUT_9990.full_basis + 1):
        legs = waterfall.legs(BUYOUT_9990, basis, full)  # one in six bases raised before
        assert sum(legs.values()) == basis
        for key, amount in legs.items():
            assert _within(amount, basis * full[key], BUYOUT_9990.full_basis)
    # The refund of 9.89 from the issue, basis 90.01: shares 450.5005, 1260.5004, 539.6996,
    # 6750.2995, 0; floors make 8999, the 2 fen go to .6996 (MCN) and .5005 (fee).
    assert waterfall.legs(BUYOUT_9990, 9001) == {PLATFORM: 451, ANCHOR: 1260, MCN: 540, BRAND: 6750, MARGIN: 0}


def test_split_problem_only_when_fixed_legs_and_floors_exceed_the_basis():
    # Supply 9 + fee floor 0 + commission floor 1 = 10 = P: valid, the margin is nothing.
    fits = Terms(full_basis=10, quantity=1, platform_fee_bps=500, commission_bps=1500, buyout=True, supply_price=9)
    assert waterfall.full_legs(fits) == {PLATFORM: 0, ANCHOR: 1, MCN: 0, BRAND: 9, MARGIN: 0}
    over = Terms(full_basis=10, quantity=1, platform_fee_bps=500, commission_bps=2000, buyout=True, supply_price=9)
    try:
        waterfall.full_legs(over)
    except SplitProblem as exc:
        assert "by 1 minor units" in str(exc)
    else:
        raise AssertionError("supply 9 + commission floor 2 > 10 must not split")


def _shares(terms: Terms) -> dict[tuple[str, int], tuple[int, int]]:
    """Each rate leg's unrounded share at P as (numerator, denominator)."""
    p = terms.full_basis
    shares = {PLATFORM: (p * terms.platform_fee_bps, BPS)}
    for index, fee in enumerate(terms.fees):
        if fee.basis == waterfall.PERCENT:
            shares[(SERVICE_FEE, index)] = (p * fee.value, BPS)
    if not terms.buyout:
        shares[MARGIN] = (p * terms.operator_margin_bps, BPS)
    return shares


@settings(derandomize=True, max_examples=400, deadline=None)
@given(terms_strategy)
def test_full_basis_legs_are_within_their_shares_and_fixed_legs_exact(terms: Terms) -> None:
    try:
        full = waterfall.full_legs(terms)
    except SplitProblem:
        return
    p = terms.full_basis
    assert sum(full.values()) == p and min(full.values()) >= 0
    for key, (numerator, denominator) in _shares(terms).items():
        assert _within(full[key], numerator, denominator), key
    commission = full[ANCHOR] + full[MCN]
    assert _within(commission, p * terms.commission_bps, BPS)
    assert _within(full[MCN], commission * terms.mcn_split_bps, BPS)
    for index, fee in enumerate(terms.fees):
        if fee.basis == waterfall.PER_UNIT:
            assert full[(SERVICE_FEE, index)] == fee.value * terms.quantity
        elif fee.basis == waterfall.PER_ORDER:
            assert full[(SERVICE_FEE, index)] == fee.value
    if terms.buyout:
        assert full[BRAND] == terms.supply_price * terms.quantity


@settings(derandomize=True, max_examples=400, deadline=None)
@given(terms_strategy, st.data())
def test_partial_bases_stay_within_quota_and_a_refund_never_moves_a_leg_the_wrong_way(terms: Terms, data: Any) -> None:
    try:
        full = waterfall.full_legs(terms)
    except SplitProblem:
        return
    p = terms.full_basis
    high = data.draw(st.integers(0, p))
    low = data.draw(st.integers(0, high))
    at_high, at_low = waterfall.legs(terms, high, full), waterfall.legs(terms, low, full)
    for basis, legs in ((high, at_high), (low, at_low)):
        assert sum(legs.values()) == basis
        for key, amount in legs.items():
            assert 0 <= amount <= full[key] and amount <= basis
            assert _within(amount, basis * full[key], p) if p else amount == 0
    # From the full basis a refund never raises a leg; from a partial basis it can raise one by at
    # most one fen (largest remainder's Alabama paradox, ADR 0010), and the legs still fall by the refund.
    assert all(change <= 0 for change in waterfall.delta(terms, p, low).values())
    assert all(at_low[key] <= at_high[key] + 1 for key in full)
    assert sum(waterfall.delta(terms, high, low).values()) == low - high
