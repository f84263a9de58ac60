"""What other contexts may import from settlement (reconciliation reads the expectations here).

- `SettledLeg`: the sub-ledger — every leg of every order line each run posted (negative =
  clawback), with who settles it (`SettledBy.PLATFORM` legs are what a platform's bill deducts at
  source: its service fee and the commissions it pays) and the ledger entry that carries it.
- `LineTerms`: each line's frozen terms and the basis settled so far.
- `Payout`, `PayoutState`, `Rail`: payouts (bank batch or Stripe) with their external ids.
- `Statement`, `SettlementRun`, `LegKind`: statements per party per run.
"""

from shuxuan.settlement.models import (
    LegKind,
    LineTerms,
    Payout,
    PayoutState,
    Rail,
    SettledBy,
    SettledLeg,
    SettlementRun,
    Statement,
)

__all__ = [
    "LegKind",
    "LineTerms",
    "Payout",
    "PayoutState",
    "Rail",
    "SettledBy",
    "SettledLeg",
    "SettlementRun",
    "Statement",
]


# for insights (the party homes' earnings and the finance home's payables)

from dataclasses import dataclass

from django.db.models import Count, Sum

from shuxuan.settlement import selectors as _selectors
from shuxuan.settlement.selectors import Earnings, earnings_of, earnings_targets


@dataclass(frozen=True)
class CountAndAmount:
    count: int
    amount_minor: int


def statements_awaiting_approval_totals() -> CountAndAmount:
    """Draft statements (the statements page's `state=draft`): how many and their closing total."""
    totals = _selectors.statements_awaiting_approval(Statement.objects.all()).aggregate(n=Count("id"), total=Sum("closing_minor"))
    return CountAndAmount(count=totals["n"], amount_minor=int(totals["total"] or 0))


def payouts_in_flight_by_state() -> dict[str, CountAndAmount]:
    """Payouts in flight (the payouts page's `in_flight=true`) per state: how many and how much.
    A state with none is absent."""
    rows = _selectors.payouts_in_flight(Payout.objects.all()).values("state").annotate(n=Count("id"), total=Sum("amount_minor"))
    return {row["state"]: CountAndAmount(count=row["n"], amount_minor=int(row["total"])) for row in rows}


__all__ += [
    "CountAndAmount",
    "Earnings",
    "earnings_of",
    "earnings_targets",
    "payouts_in_flight_by_state",
    "statements_awaiting_approval_totals",
]
