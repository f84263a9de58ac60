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
