from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from shuxuan.common.exceptions import DomainError
from shuxuan.ledger.facade import EntrySpec, PostingSpec, account_balance, entries_post_bulk
from shuxuan.ledger.models import AccountDayTotal, JournalEntry, Posting
from shuxuan.ledger.selectors import trial_balance
from shuxuan.ledger.services import period_close


def spec(book, n: int, amount: int, day: date = date(2025, 3, 1), fee: int = 100) -> EntrySpec:
    return EntrySpec(
        idempotency_key=f"bulk:{n}",
        source_type="test.bulk",
        source_id=str(n),
        effective_date=day,
        memo=f"批量 {n}\t\\ tab",
        postings=[
            PostingSpec(book.cash.pk, amount),
            PostingSpec(book.payable.pk, -(amount - fee)),
            PostingSpec(book.fees.pk, -fee),
        ],
        actor_id=book.finance.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_bulk_posts_skips_known_and_repeated_keys(tx_book):
    book = tx_book
    book.sale("bulk:0", 1_000)  # already posted through entry_post
    specs = [spec(book, n, 1_000 + n, date(2025, 3, 1 + n % 3)) for n in range(7)]
    specs.append(spec(book, 3, 99_999))  # repeated within the batch: the first one wins
    result = entries_post_bulk(specs, chunk_size=4)
    assert (result.created, result.skipped, result.postings) == (6, 2, 18)
    assert sorted(result.skipped_keys) == ["bulk:0", "bulk:3"]
    assert JournalEntry.objects.count() == 7
    entry = JournalEntry.objects.get(idempotency_key="bulk:3")
    assert (entry.memo, entry.source_id, entry.created_by_id, entry.effective_date) == (
        "批量 3\t\\ tab",
        "3",
        book.finance.pk,
        date(2025, 3, 1),
    )
    assert list(entry.postings.order_by("line_no").values_list("amount", flat=True)) == [1_003, -903, -100]
    # cash: 1000 (entry_post) + sum(1001..1006)
    assert account_balance(account_id=book.cash.pk) == 1_000 + sum(range(1_001, 1_007))
    # dated 1 March: bulk:3 and bulk:6 (bulk:0 was posted earlier, dated 15 March)
    assert account_balance(account_id=book.cash.pk, as_of=date(2025, 3, 1)) == 1_003 + 1_006
    again = entries_post_bulk(specs)
    assert (again.created, again.skipped) == (0, 8)
    assert Posting.objects.count() == 21


@pytest.mark.django_db(transaction=True)
def test_bulk_refuses_an_unbalanced_batch_whole(tx_book):
    book = tx_book
    bad = EntrySpec("bulk:bad", "test.bulk", "x", date(2025, 3, 1), [PostingSpec(book.cash.pk, 5), PostingSpec(book.fees.pk, -4)])
    with pytest.raises(DomainError) as err:
        entries_post_bulk([spec(book, 1, 500), bad, spec(book, 2, 600)])
    assert err.value.field == "entries[1].postings"
    assert "CNY +1" in err.value.message
    period_close(period="2025-02", actor=book.finance)
    with pytest.raises(DomainError) as err:
        entries_post_bulk([spec(book, 1, 500), spec(book, 2, 600, day=date(2025, 2, 1))])
    assert err.value.field == "entries[1].effective_date"
    assert (JournalEntry.objects.count(), Posting.objects.count(), AccountDayTotal.objects.count()) == (0, 0, 0)


def test_balances_as_of_a_date_and_trial_balance_sums_to_zero(book):
    book.sale("s1", 10_000, day=date(2025, 1, 31))
    book.sale("s2", 20_000, day=date(2025, 2, 1))
    book.post("s3", (book.douyin, 5_000), (book.other_payable, -5_000), day=date(2025, 2, 10))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert account_balance(account_id=book.cash.pk, as_of=date(2025, 1, 30)) == 0
    assert account_balance(account_id=book.cash.pk, as_of=date(2025, 1, 31)) == 10_000
    assert account_balance(account_id=book.cash.pk) == 30_000
    assert account_balance(account_id=book.payable.pk, as_of=date(2025, 2, 9)) == -27_000
    tb = trial_balance(as_of=date(2025, 2, 1))
    assert [(line.account_id, line.balance) for line in tb.lines] == [
        (book.cash.pk, 30_000),
        (book.fees.pk, -3_000),
        (book.payable.pk, -27_000),
    ]
    assert tb.totals == {"CNY": 0} and tb.balanced
    full = trial_balance()
    assert {line.account_id: line.balance for line in full.lines}[book.douyin.pk] == 5_000
    assert full.totals == {"CNY": 0}
