"""docs/domain.md section 4 rules, in the services and in PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import DomainError
from shuxuan.ledger.facade import PostingSpec, account_balance, entry_post, entry_post_within, entry_reverse
from shuxuan.ledger.models import AccountDayTotal, JournalEntry, Period, Posting
from shuxuan.ledger.services import period_close, period_reopen

from .conftest import DAY

DB_ERRORS = (IntegrityError, InternalError)


def force_commit_checks() -> None:
    """Inside a test's transaction: run the deferred checks now, as COMMIT would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_entry_post_writes_entry_postings_and_balance_cache(book):
    entry = book.sale("sale:1", 10_000)
    force_commit_checks()
    assert [(p.line_no, p.account_id, p.amount, p.currency, p.effective_date) for p in entry.postings.order_by("line_no")] == [
        (1, book.cash.pk, 10_000, "CNY", DAY),
        (2, book.payable.pk, -9_000, "CNY", DAY),
        (3, book.fees.pk, -1_000, "CNY", DAY),
    ]
    assert (entry.source_type, entry.source_id, entry.created_by_id) == ("test.order_line", "1", book.finance.pk)
    assert account_balance(account_id=book.cash.pk) == 10_000
    assert account_balance(account_id=book.payable.pk) == -9_000
    assert sum(AccountDayTotal.objects.values_list("amount", flat=True)) == 0


@pytest.mark.parametrize(
    ("legs", "field", "message"),
    [
        ([("cash", 100), ("fees", -90)], "postings", "CNY +10"),
        ([("cash", 100)], "postings", "at least 2"),
        ([("cash", 100), ("fees", 0), ("payable", -100)], "postings[1].amount", "non-zero"),
    ],
)
def test_python_refuses_bad_entries_naming_the_field(book, legs, field, message):
    with pytest.raises(DomainError) as err:
        book.post("bad", *[(getattr(book, name), amount) for name, amount in legs])
    assert err.value.field == field
    assert message in err.value.message
    assert JournalEntry.objects.count() == 0 and Posting.objects.count() == 0


def test_python_refuses_unknown_account_and_wrong_currency(book):
    with pytest.raises(DomainError) as err:
        entry_post(
            idempotency_key="k",
            source_type="t",
            source_id="1",
            effective_date=DAY,
            memo="",
            postings=[PostingSpec(book.cash.pk, 5), PostingSpec(999_999, -5)],
        )
    assert err.value.field == "postings[1].account_id"
    with pytest.raises(DomainError) as err:
        entry_post(
            idempotency_key="k",
            source_type="t",
            source_id="1",
            effective_date=DAY,
            memo="",
            postings=[PostingSpec(book.cash.pk, 5, "USD"), PostingSpec(book.fees.pk, -5, "USD")],
        )
    assert err.value.field == "postings[0].currency"
    assert JournalEntry.objects.count() == 0


def test_same_idempotency_key_returns_the_first_entry_and_writes_nothing(book):
    first = book.sale("sale:dup", 10_000)
    again = book.post("sale:dup", (book.cash, 1), (book.fees, -1))
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1
    assert Posting.objects.count() == 3
    assert account_balance(account_id=book.cash.pk) == 10_000


@pytest.mark.django_db(transaction=True)
def test_entry_post_within_needs_an_enclosing_transaction(tx_book):
    book = tx_book
    with pytest.raises(RuntimeError):
        entry_post_within(
            idempotency_key="k",
            source_type="t",
            source_id="1",
            effective_date=DAY,
            memo="",
            postings=[PostingSpec(book.cash.pk, 5), PostingSpec(book.fees.pk, -5)],
        )


def test_reversal_negates_every_posting_and_is_idempotent(book):
    entry = book.sale("sale:r", 10_000)
    reversal = entry_reverse(entry_id=entry.pk, effective_date=date(2025, 3, 20), memo="", actor=book.finance)
    again = entry_reverse(entry_id=entry.pk, effective_date=date(2025, 3, 21), memo="", actor=book.finance)
    force_commit_checks()
    assert again.pk == reversal.pk
    assert (reversal.idempotency_key, reversal.reverses_id, reversal.effective_date) == (
        f"reverse:{entry.pk}",
        entry.pk,
        date(2025, 3, 20),
    )
    assert list(reversal.postings.order_by("line_no").values_list("account_id", "amount")) == [
        (book.cash.pk, -10_000),
        (book.payable.pk, 9_000),
        (book.fees.pk, 1_000),
    ]
    assert account_balance(account_id=book.cash.pk) == 0
    assert account_balance(account_id=book.cash.pk, as_of=date(2025, 3, 19)) == 10_000
    with pytest.raises(DomainError) as err:
        entry_reverse(entry_id=987_654, effective_date=DAY, memo="", actor=None)
    assert err.value.field == "entry_id"


def test_closed_period_refuses_postings_in_python_and_in_the_database(book):
    book.sale("sale:feb", 10_000, day=date(2025, 2, 27))
    period = period_close(period="2025-02", actor=book.finance)
    assert (period.status, period.closed_by_id) == ("closed", book.finance.pk)
    assert AuditEntry.objects.filter(action="ledger.period_close", object_id=str(period.pk)).count() == 1
    with pytest.raises(DomainError) as err:
        book.sale("sale:feb2", 500, day=date(2025, 2, 28))
    assert (err.value.field, err.value.code) == ("effective_date", "period_closed")
    with pytest.raises(DB_ERRORS, match="closed period 2025-02"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (idempotency_key, source_type, source_id, effective_date, memo, created_at)"
            " VALUES ('raw', 't', '1', '2025-02-28', '', now()) RETURNING id"
        )
        (entry_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date)"
            " VALUES (%s, 1, %s, 5, 'CNY', '2025-02-28'), (%s, 2, %s, -5, 'CNY', '2025-02-28')",
            [entry_id, book.cash.pk, entry_id, book.fees.pk],
        )
    assert JournalEntry.objects.count() == 1
    book.sale("sale:mar", 700, day=date(2025, 3, 1))  # the next month is open
    period_reopen(period="2025-02", actor=book.finance)
    book.sale("sale:feb3", 300, day=date(2025, 2, 28))
    assert Period.objects.get(period="2025-02").status == "open"
    assert account_balance(account_id=book.cash.pk, as_of=date(2025, 2, 28)) == 10_300


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_posting SET amount = amount + 1",
        "DELETE FROM ledger_posting",
        "UPDATE ledger_journalentry SET memo = 'x'",
        "DELETE FROM ledger_journalentry",
    ],
)
def test_entries_and_postings_are_append_only(book, statement):
    book.sale("sale:a", 10_000)
    with pytest.raises(DB_ERRORS, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(Posting.objects.order_by("line_no").values_list("amount", flat=True)) == [10_000, -9_000, -1_000]
    assert JournalEntry.objects.get().memo == "memo sale:a"


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE ledger_posting",
        "TRUNCATE ledger_journalentry CASCADE",
        "TRUNCATE ledger_accountdaytotal",
        "TRUNCATE ledger_period",
        # The cascade reaches postings and balances from a table the statement names first.
        "TRUNCATE ledger_account CASCADE",
    ],
)
def test_truncate_is_refused_unless_the_session_allows_it(book, statement):
    book.sale("sale:a", 10_000)
    # The test runner's sessions allow TRUNCATE (for the flush between transactional tests); an
    # application session has no such setting.
    refused = pytest.raises(DB_ERRORS, match=r"TRUNCATE on ledger_\w+ refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        # The test's own transaction has deferred checks pending, and PostgreSQL refuses any
        # TRUNCATE before those have run: run them now, so that it is the guard that refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL shuxuan.allow_truncate = ''")
        cursor.execute(statement)
    assert Posting.objects.count() == 3
    assert JournalEntry.objects.count() == 1
    assert account_balance(account_id=book.cash.pk) == 10_000


def test_the_test_sessions_allow_truncate_and_nothing_else_does(book):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('shuxuan.allow_truncate', true)")
        assert cursor.fetchone()[0] == "on"  # set by shuxuan.testing.plugin on every connection
        cursor.execute("SELECT setrole, setdatabase FROM pg_db_role_setting WHERE 'shuxuan.allow_truncate=on' = ANY(setconfig)")
        assert cursor.fetchall() == []  # nor is it set for a role or database


def test_account_owner_type_currency_never_change_and_accounts_are_not_deleted(book):
    with pytest.raises(DB_ERRORS, match="never change"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_account SET currency = 'USD' WHERE id = %s", [book.cash.pk])
    with pytest.raises(DB_ERRORS, match="cannot be deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_account WHERE id = %s", [book.cash.pk])


def test_database_refuses_posting_currency_other_than_the_accounts(book):
    with pytest.raises(DB_ERRORS, match="differs from the currency CNY"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (idempotency_key, source_type, source_id, effective_date, memo, created_at)"
            " VALUES ('raw', 't', '1', '2025-03-01', '', now()) RETURNING id"
        )
        (entry_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date)"
            " VALUES (%s, 1, %s, 5, 'USD', '2025-03-01'), (%s, 2, %s, -5, 'USD', '2025-03-01')",
            [entry_id, book.cash.pk, entry_id, book.fees.pk],
        )


def raw_entry(cursor, key: str, legs: list[tuple[int, int]], day: str = "2025-03-01") -> int:
    cursor.execute(
        "INSERT INTO ledger_journalentry (idempotency_key, source_type, source_id, effective_date, memo, created_at)"
        " VALUES (%s, 'raw', '1', %s, '', now()) RETURNING id",
        [key, day],
    )
    (entry_id,) = cursor.fetchone()
    for line_no, (account_id, amount) in enumerate(legs, start=1):
        cursor.execute(
            "INSERT INTO ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date)"
            " VALUES (%s, %s, %s, %s, 'CNY', %s)",
            [entry_id, line_no, account_id, amount, day],
        )
    return entry_id


@pytest.mark.django_db(transaction=True)
def test_database_refuses_at_commit_what_python_never_saw(tx_book):
    """Raw SQL bypassing the services: each bad entry gets through its statements and is refused
    at COMMIT by the deferred constraint trigger; nothing of the transaction remains."""
    book = tx_book
    cases = [
        ([(book.cash.pk, 100), (book.fees.pk, -90)], "does not balance: its CNY postings sum to 10"),
        ([(book.cash.pk, 100)], r"has 1 posting\(s\)"),
        ([], r"has 0 posting\(s\)"),
    ]
    for legs, message in cases:
        with pytest.raises(DB_ERRORS, match=message), transaction.atomic(), connection.cursor() as cursor:
            raw_entry(cursor, "good", [(book.cash.pk, 50), (book.fees.pk, -50)])
            raw_entry(cursor, "bad", legs)
        assert JournalEntry.objects.count() == 0
        assert Posting.objects.count() == 0
        assert AccountDayTotal.objects.count() == 0

    with transaction.atomic(), connection.cursor() as cursor:
        good_id = raw_entry(cursor, "good", [(book.cash.pk, 50), (book.fees.pk, -50)])
    # A later transaction cannot add a leg to a committed entry.
    with (
        pytest.raises(DB_ERRORS, match="written in the transaction that creates the entry"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date)"
            " VALUES (%s, 3, %s, 7, 'CNY', '2025-03-01'), (%s, 4, %s, -7, 'CNY', '2025-03-01')",
            [good_id, book.cash.pk, good_id, book.fees.pk],
        )
    assert Posting.objects.filter(entry_id=good_id).count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_entrycheck")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_duplicate_key_in_raw_sql_is_refused_by_the_unique_index(tx_book):
    book = tx_book
    book.sale("sale:1", 100)
    with (
        pytest.raises(IntegrityError, match="ledger_entry_idempotency_key_unique"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        raw_entry(cursor, "sale:1", [(book.cash.pk, 50), (book.fees.pk, -50)])
    assert JournalEntry.objects.count() == 1
