"""The bulk path's inline check (`_entry_plainly_valid`) is a fast copy of the common case of
`_validate_entry`: it may send an entry on to the full check, but it must never accept one the full
check refuses. No database: both are pure functions of the entry, the accounts and the closed
periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from shuxuan.common.exceptions import DomainError
from shuxuan.ledger.services import MAX_AMOUNT, _entry_plainly_valid, _validate_entry
from shuxuan.ledger.specs import EntrySpec, PostingSpec

ACCOUNTS = {1: "CNY", 2: "CNY", 3: "USD"}
CLOSED = {"2026-10"}
DAY = date(2026, 11, 20)


def entry(**changes: object) -> EntrySpec:
    base = EntrySpec(
        idempotency_key="k-1",
        source_type="test",
        source_id="1",
        effective_date=DAY,
        postings=[PostingSpec(account_id=1, amount=100, currency="CNY"), PostingSpec(account_id=2, amount=-100, currency="CNY")],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def posting(account_id: int = 1, amount: object = 100, currency: str = "CNY") -> PostingSpec:
    return PostingSpec(account_id=account_id, amount=amount, currency=currency)  # type: ignore[arg-type]


def full_check_accepts(spec: EntrySpec) -> bool:
    try:
        _validate_entry(
            idempotency_key=spec.idempotency_key,
            source_type=spec.source_type,
            source_id=spec.source_id,
            effective_date=spec.effective_date,
            postings=spec.postings,
            accounts=ACCOUNTS,
            closed=CLOSED,
        )
    except DomainError:
        return False
    return True


BAD = {
    "blank key": entry(idempotency_key="   "),
    "long key": entry(idempotency_key="k" * 201),
    "empty source type": entry(source_type=""),
    "long source id": entry(source_id="9" * 65),
    "a datetime for a date": entry(effective_date=datetime(2026, 11, 20, 8, 0)),
    "closed period": entry(effective_date=date(2026, 10, 31)),
    "one posting": entry(postings=[posting()]),
    "zero amount": entry(postings=[posting(amount=0), posting(2, 0)]),
    "float amount": entry(postings=[posting(amount=1.0), posting(2, -1.0)]),
    "bool amount": entry(postings=[posting(amount=True), posting(2, -1)]),
    "amount too large": entry(postings=[posting(amount=MAX_AMOUNT), posting(2, -MAX_AMOUNT)]),
    "unknown account": entry(postings=[posting(9), posting(2, -100)]),
    "currency not the account's": entry(postings=[posting(currency="USD"), posting(2, -100, "USD")]),
    "unbalanced": entry(postings=[posting(amount=100), posting(2, -99)]),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_shortcut_never_accepts_what_the_full_check_refuses(name: str) -> None:
    spec = BAD[name]
    assert not full_check_accepts(spec), name  # the case is really bad
    assert not _entry_plainly_valid(spec, ACCOUNTS, {}, CLOSED), name


def test_the_shortcut_accepts_the_common_case_and_leaves_two_currencies_to_the_full_check() -> None:
    assert _entry_plainly_valid(entry(), ACCOUNTS, {}, CLOSED) and full_check_accepts(entry())
    two = entry(postings=[posting(), posting(2, -100), posting(3, 5, "USD"), posting(3, -5, "USD")])
    assert full_check_accepts(two)
    assert not _entry_plainly_valid(two, ACCOUNTS, {}, CLOSED)  # sent on to _validate_entry, which accepts it
