"""Money: integer minor units plus an ISO-4217 currency; the one conversion and rounding helper.

docs/domain.md section 3: no float ever touches money; conversion to minor units happens here with
one rounding mode (half-up); a split of one amount into legs is by largest remainder
(`allocate`), sums exactly to the amount, and never gives a leg less than its share rounded down
or more than its share rounded up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from math import lcm

MINOR_UNITS: dict[str, int] = {"CNY": 2, "USD": 2, "HKD": 2, "EUR": 2, "JPY": 0}
BPS = 10_000
# Minor units are stored in bigint columns (at most 9,223,372,036,854,775,807: 19 digits).
MAX_MINOR_DIGITS = 18


class MoneyError(ValueError):
    pass


def exponent(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise MoneyError(f"Unsupported currency {currency!r}.") from None


def to_minor(value: Decimal | str | int, currency: str) -> int:
    """Convert a major-unit amount (Decimal or decimal string, e.g. "12.345") to minor units, half-up."""
    if isinstance(value, float):  # pragma: no cover - guarded by type hints, kept as a runtime fence
        raise MoneyError("Floats are not accepted for money.")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise MoneyError(f"{value!r} is not a decimal amount.") from None
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount.")
    scaled = amount.scaleb(exponent(currency))
    if scaled.adjusted() >= MAX_MINOR_DIGITS:  # past a bigint column; quantize would raise InvalidOperation
        raise MoneyError(f"The amount has more than {MAX_MINOR_DIGITS} digits in minor units.")
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_minor_exact(value: Decimal | str | int, currency: str) -> int:
    """Parse an amount a person typed (an API field, an import cell): more decimal places than the
    currency has is an error, not something to round away ("1.234" CNY is refused)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise MoneyError(f"{value!r} is not a decimal amount.") from None
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount.")
    exp = exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-exp)):
        raise MoneyError(f"{value!r} has more than {exp} decimal places for {currency}.")
    return to_minor(amount, currency)


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_major_str(minor: int, currency: str) -> str:
    """Minor units to the API's decimal string: 1234 CNY -> "12.34"."""
    exp = exponent(currency)
    return str(Decimal(minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp)))


def apply_bps(amount_minor: int, rate_bps: int) -> int:
    """amount × rate (in basis points), rounded half-up to a minor unit."""
    return round_half_up(Decimal(amount_minor) * Decimal(rate_bps) / Decimal(BPS))


def allocate(total: int, numerators: Sequence[int], denominator: int) -> list[int]:
    """Split `total` minor units into legs whose unrounded shares are `numerators[i] / denominator`,
    by largest remainder (Hamilton): every share is floored, then the fen left over go one each to
    the legs with the largest remainders, equal remainders to the earlier leg (the caller's order is
    the documented tie-break). Every leg ends between its share floored and its share rounded up, so
    none is negative, and the legs sum exactly to `total`. Integers only: a settlement run calls this
    for every line it splits.

    The shares need not sum to `total` (a residual may have been capped at zero), but `total` must
    lie between the floors' sum and the ceilings' sum, else no such split exists: MoneyError.
    """
    floors = [numerator // denominator for numerator in numerators]
    left = total - sum(floors)
    if numerators and min(numerators) < 0:
        raise MoneyError("A share is negative.")
    if left == 0:
        return floors
    remainders = [numerator % denominator for numerator in numerators]
    if left == 1 and any(remainders):
        floors[remainders.index(max(remainders))] += 1  # index() finds the first: ties go to the earlier leg
        return floors
    # A stable sort, and `reverse` keeps equal keys in their order: ties go to the earlier leg.
    ranked = sorted(range(len(remainders)), key=remainders.__getitem__, reverse=True)
    if left < 0 or left > len(ranked) or not remainders[ranked[left - 1]]:
        raise MoneyError(f"{total} cannot be split within these shares rounded down and up.")
    for index in ranked[:left]:
        floors[index] += 1
    return floors


def part_of(amount_minor: int, part: int, whole: int) -> int:
    """What `part` of `whole` (0 ≤ part ≤ whole) takes of `amount_minor` (≥ 0) under `allocate`'s
    rule, as a split into the part and the rest, ties to the part. With two legs the part wins the
    left fen when its remainder is at least half, so this is half-up of amount × part / whole, in
    one integer step (a test checks it against `allocate`)."""
    return (2 * amount_minor * part + whole) // (2 * whole)


def split(amount_minor: int, shares: dict[str, Decimal | int], *, residual: str) -> dict[str, int]:
    """Split `amount_minor` by weights, by `allocate`'s largest-remainder rule; ties go to the leg
    listed first. The legs sum exactly to the amount; each is its exact share rounded down or up, so
    none has the opposite sign of the amount. `residual` names the leg that takes what is left, which
    under this rule is its own share rounded; it must be among the shares.
    """
    if residual not in shares:
        raise MoneyError(f"Residual leg {residual!r} is not among the shares.")
    weights = [Fraction(Decimal(w)) for w in shares.values()]
    if any(w < 0 for w in weights):
        raise MoneyError("A weight is negative.")
    scale = lcm(*(w.denominator for w in weights))
    integral = [int(w * scale) for w in weights]
    total_weight = sum(integral)
    if total_weight == 0:
        raise MoneyError("Shares sum to zero.")
    magnitude = abs(amount_minor)
    legs = allocate(magnitude, [magnitude * w for w in integral], total_weight)
    sign = -1 if amount_minor < 0 else 1
    return {name: sign * leg for name, leg in zip(shares, legs, strict=True)}


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str = "CNY"

    def as_api(self) -> dict[str, str]:
        return {"amount": to_major_str(self.amount, self.currency), "currency": self.currency}
