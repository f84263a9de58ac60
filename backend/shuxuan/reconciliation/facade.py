"""What other contexts may import from reconciliation."""

from __future__ import annotations

# for insights (the finance home's exceptions and close checklist)
from shuxuan.reconciliation.selectors import OVER_30, aging, close_checklist, unresolved_exceptions


def unresolved_aging(*, period: str) -> dict[str, int]:
    """Exceptions unresolved in this period or before (the exceptions queue's `unresolved_through`),
    counted per age bucket ("0-7", "8-30", …, OVER_30), bucket order kept."""
    return aging(unresolved_exceptions(period=period))


__all__ = ["OVER_30", "close_checklist", "unresolved_aging"]
