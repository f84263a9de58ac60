"""The default waterfall of docs/domain.md section 6, as pure integer arithmetic.

`legs(terms, basis)` is the split of one line at a basis. It is computed once on the line's full
basis P, and a smaller basis (after a partial refund, or a phase) is split in proportion to those
full legs. Both use `common.money.allocate` (largest remainder, ties to the earlier leg in the
waterfall's order), so every split sums exactly to its basis, no leg is negative or above its
unrounded share rounded up, a refund from P never raises a leg, and the split at P is exactly the
waterfall at P (docs/decisions/0010-money-allocation.md). Integers only: a run splits millions of
lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shuxuan.common.money import MoneyError, allocate, part_of

BPS = 10_000

PLATFORM_FEE = "platform_fee"
ANCHOR_COMMISSION = "anchor_commission"
MCN_SHARE = "mcn_share"
SERVICE_FEE = "service_fee"
OPERATOR_MARGIN = "operator_margin"
PRODUCER = "producer"

PER_UNIT = "per_unit"
PER_ORDER = "per_order"
PERCENT = "percent"


class SplitProblem(ValueError):
    """The terms cannot split this line (the deductions exceed the basis)."""


@dataclass(frozen=True, slots=True)
class Fee:
    payee_id: int
    kind: str
    basis: str
    value: int


@dataclass(frozen=True, slots=True)
class Terms:
    full_basis: int
    quantity: int
    platform_fee_bps: int
    commission_bps: int
    mcn_split_bps: int = 0
    buyout: bool = False
    operator_margin_bps: int = 0
    supply_price: int = 0
    fees: tuple[Fee, ...] = field(default_factory=tuple)


# A leg is identified by (kind, index): index tells the service fees apart (0 for the others).
LegKey = tuple[str, int]


def full_legs(terms: Terms) -> dict[LegKey, int]:
    """The waterfall at the full basis P. Fixed legs (supply price × quantity, per-unit and per-order
    fees) are exact; the rate legs (platform fee, commission, percent fees, a consignment's margin)
    and the residual share what is left by largest remainder, in that order; the commission is then
    split between anchor and MCN by the same rule. Raises SplitProblem when the fixed legs and the
    rate legs rounded down exceed P."""
    p = terms.full_basis
    numerators = [p * terms.platform_fee_bps, p * terms.commission_bps]
    fee_amounts: list[int | None] = []  # None: a percent fee, allocated with the rate legs
    fixed = 0
    for fee in terms.fees:
        if fee.basis == PERCENT:
            numerators.append(p * fee.value)
            fee_amounts.append(None)
        else:
            amount = fee.value * terms.quantity if fee.basis == PER_UNIT else fee.value
            fee_amounts.append(amount)
            fixed += amount
    supply = terms.supply_price * terms.quantity if terms.buyout else 0
    if not terms.buyout:
        numerators.append(p * terms.operator_margin_bps)
    rest = p - fixed - supply
    residual_share = rest * BPS - sum(numerators)
    try:
        if residual_share >= 0:
            amounts = allocate(rest, [*numerators, residual_share], BPS)
            residual = amounts.pop()
        else:  # the rate legs alone pass what is left: the residual is nothing, they share the rest
            amounts, residual = allocate(rest, numerators, BPS), 0
    except MoneyError:
        over = sum(numerator // BPS for numerator in numerators) - rest
        raise SplitProblem(f"扣项合计超过实付 {over} 分 / deductions exceed the basis by {over} minor units") from None
    anchor, mcn = _commission_split(amounts[1], terms.mcn_split_bps)
    legs: dict[LegKey, int] = {(PLATFORM_FEE, 0): amounts[0], (ANCHOR_COMMISSION, 0): anchor, (MCN_SHARE, 0): mcn}
    rated = iter(amounts[2:])
    for index, fee_amount in enumerate(fee_amounts):
        legs[(SERVICE_FEE, index)] = next(rated) if fee_amount is None else fee_amount
    if terms.buyout:
        legs[(PRODUCER, 0)] = supply
        legs[(OPERATOR_MARGIN, 0)] = residual
    else:
        legs[(OPERATOR_MARGIN, 0)] = next(rated)
        legs[(PRODUCER, 0)] = residual
    return legs


def _commission_split(commission: int, mcn_split_bps: int) -> tuple[int, int]:
    """(anchor, MCN): the MCN's share is a rate of the commission leg (docs/domain.md section 6)."""
    anchor = part_of(commission, BPS - mcn_split_bps, BPS)  # the anchor is first: ties go to it
    return anchor, commission - anchor


def residual_key(terms: Terms) -> LegKey:
    return (OPERATOR_MARGIN, 0) if terms.buyout else (PRODUCER, 0)


def legs(terms: Terms, basis: int, full: dict[LegKey, int] | None = None) -> dict[LegKey, int]:
    """The split of `basis` (0 ≤ basis ≤ P): the full legs are the weights, allocated by largest
    remainder in the waterfall's order. Each leg is between its proportional share rounded down and
    rounded up, so never negative and never above its full amount."""
    if full is None:
        full = full_legs(terms)
    p = terms.full_basis
    if basis == p:
        return dict(full)
    if basis < 0 or basis > p:
        raise SplitProblem(f"basis {basis} outside 0..{p}")
    if basis == 0:
        return dict.fromkeys(full, 0)
    return dict(zip(full, allocate(basis, [basis * amount for amount in full.values()], p)))  # noqa: B905 - the same legs, by construction


def delta(terms: Terms, old_basis: int, new_basis: int) -> dict[LegKey, int]:
    """What a run posts to move a line from `old_basis` settled to `new_basis`: per leg, new − old
    (legs that do not change are left out)."""
    full = full_legs(terms)
    new = legs(terms, new_basis, full)
    old = legs(terms, old_basis, full)
    return {key: new[key] - old[key] for key in new if new[key] != old[key]}
