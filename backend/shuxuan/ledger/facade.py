"""What other contexts may import from the ledger. Nothing else in shuxuan.ledger is public."""

from shuxuan.ledger.checks import register_check, triggers_missing
from shuxuan.ledger.models import AccountType
from shuxuan.ledger.selectors import (
    AccountMovement,
    TrialBalance,
    account_balance,
    account_find,
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
    "account_find",
    "account_get_or_create",
    "account_movements",
    "entries_post_bulk",
    "entry_post",
    "entry_post_within",
    "entry_reverse",
    "period_close",
    "period_is_closed",
    "period_reopen",
    "register_check",
    "trial_balance",
    "triggers_missing",
]
