"""What other contexts may import from the ledger. Nothing else in shuxuan.ledger is public."""

from shuxuan.ledger.checks import register_check, triggers_missing
from shuxuan.ledger.models import AccountType
from shuxuan.ledger.selectors import (
    AccountMovement,
    TrialBalance,
    account_balance,
    account_movements,
    trial_balance,
)
from shuxuan.ledger.services import (
    account_get_or_create,
    entries_post_bulk,
    entry_post,
    entry_post_within,
    entry_reverse,
    period_close,
    period_is_closed,
    period_reopen,
)
from shuxuan.ledger.specs import BulkResult, EntrySpec, PostingSpec

__all__ = [
    "AccountMovement",
    "AccountType",
    "BulkResult",
    "EntrySpec",
    "PostingSpec",
    "TrialBalance",
    "account_balance",
    "account_get_or_create",
    "account_movements",
    "entries_post_bulk",
    "entry_post",
    "entry_post_within",
    "entry_reverse",
    "payable_balances",
    "period_close",
    "period_is_closed",
    "period_reopen",
    "register_check",
    "trial_balance",
    "triggers_missing",
]


# for insights (the earnings of many payees in one read)


def payable_balances(
    *, organization_ids: list[int], anchor_ids: list[int], currency: str
) -> tuple[dict[int, int], dict[int, int]]:
    """Each party's payable account balance (debit positive, every posting), in one query: anchor
    id → balance and organization id → balance. A party whose account was never created, or has
    no postings, is absent (its balance is 0)."""
    from django.db.models import Q, Sum

    from shuxuan.ledger.models import AccountDayTotal

    owners = Q(account__organization_id__in=organization_ids, account__anchor_id=None) | Q(
        account__anchor_id__in=anchor_ids, account__organization_id=None
    )
    rows = (
        AccountDayTotal.objects.filter(owners, account__type=AccountType.PAYABLE_TO_PARTY, account__currency=currency)
        .filter(account__owner_platform=None)
        .values("account__organization_id", "account__anchor_id")
        .annotate(total=Sum("amount"))
    )
    anchors: dict[int, int] = {}
    organizations: dict[int, int] = {}
    for row in rows:
        if row["account__anchor_id"] is not None:
            anchors[row["account__anchor_id"]] = int(row["total"])
        else:
            organizations[row["account__organization_id"]] = int(row["total"])
    return anchors, organizations
