"""What callers hand to the posting services: plain, immutable values (no models)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class PostingSpec:
    """One leg: `amount` in minor units of `currency`, debit positive, on account `account_id`."""

    account_id: int
    amount: int
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """One journal entry for the bulk path (`entries_post_bulk`)."""

    idempotency_key: str
    source_type: str
    source_id: str
    effective_date: date
    postings: Sequence[PostingSpec]
    memo: str = ""
    actor_id: int | None = None


@dataclass(slots=True)
class BulkResult:
    """`created` entries were written with `postings` postings; `skipped` keys were already posted
    (or repeated within the batch) and wrote nothing."""

    created: int = 0
    skipped: int = 0
    postings: int = 0
    skipped_keys: list[str] = field(default_factory=list)
