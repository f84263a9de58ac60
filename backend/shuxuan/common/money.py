"""Money: integer minor units plus an ISO-4217 currency; the one conversion and rounding helper.

DESIGN.md section 3: no float ever touches money; conversion to minor units happens here with
one rounding mode (half-up); a split always sums exactly to the amount it splits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def split(amount_minor: int, shares: dict[str, Decimal | int], *, residual: str) -> dict[str, int]:
    """Split `amount_minor` by weights; each leg is rounded and the residue goes to `residual`.

    The legs always sum exactly to `amount_minor`.
    """
    if residual not in shares:
        raise MoneyError(f"Residual leg {residual!r} is not among the shares.")
    total_weight = sum(Decimal(w) for w in shares.values())
    if total_weight == 0:
        raise MoneyError("Shares sum to zero.")
    legs = {
        name: round_half_up(Decimal(amount_minor) * Decimal(weight) / total_weight)
        for name, weight in shares.items()
        if name != residual
    }
    legs[residual] = amount_minor - sum(legs.values())
    return legs


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str = "CNY"

    def as_api(self) -> dict[str, str]:
        return {"amount": to_major_str(self.amount, self.currency), "currency": self.currency}
