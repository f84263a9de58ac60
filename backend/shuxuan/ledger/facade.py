"""What other contexts may import from the ledger. Nothing else in shuxuan.ledger is public."""

from shuxuan.ledger.checks import register_check
from shuxuan.ledger.models import AccountType
from shuxuan.ledger.selectors import account_balance
from shuxuan.ledger.services import (
    account_get_or_create,
    entries_post_bulk,
    entry_post,
    entry_post_within,
    entry_reverse,
    period_is_closed,
)
from shuxuan.ledger.specs import BulkResult, EntrySpec, PostingSpec

__all__ = [
    "AccountType",
    "BulkResult",
    "EntrySpec",
    "PostingSpec",
    "account_balance",
    "account_get_or_create",
    "entries_post_bulk",
    "entry_post",
    "entry_post_within",
    "entry_reverse",
    "period_is_closed",
    "register_check",
]
