"""Rule 1 as migration 0004 checks it: whole entries settled by their posting statement, the rest
read back at COMMIT. Rows arrive by raw COPY and INSERT, never through the services."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from shuxuan.ledger.facade import AccountType, account_get_or_create
from shuxuan.ledger.models import AccountDayTotal, JournalEntry, Posting
from shuxuan.ledger.services import period_close

# Errors raised inside a COPY reach us from psycopg untranslated; those at COMMIT through Django.
DB_ERRORS = (IntegrityError, InternalError, psycopg.errors.IntegrityError)
DAY = date(2025, 3, 3)


def copy_entries(cursor, keys: list[str], day: date = DAY) -> list[int]:  # type: ignore[no-untyped-def]
    """COPY entries with ids of our own choosing (from the sequence), like the bulk path."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence('ledger_journalentry', 'id')) FROM generate_series(1, %s)", [len(keys)])
    ids = [row[0] for row in cursor.fetchall()]
    with cursor.cursor.copy(
        "COPY ledger_journalentry (id, idempotency_key, source_type, source_id, effective_date, memo, created_at) FROM STDIN"
    ) as copy:
        for entry_id, key in zip(ids, keys, strict=True):
            copy.write_row((entry_id, key, "raw", "1", day, "", "2025-03-03T00:00:00Z"))
    return ids


def copy_postings(cursor, rows: list[tuple[int, int, int, int, str, date]]) -> None:  # type: ignore[no-untyped-def]
    with cursor.cursor.copy(
        "COPY ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


def nothing_written() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_entrycheck")
        (scratch,) = cursor.fetchone()
    return (JournalEntry.objects.count(), Posting.objects.count(), AccountDayTotal.objects.count(), scratch) == (0, 0, 0, 0)


def whole(entry_id: int, cash: int, fees: int, amount: int = 50, day: date = DAY) -> list[tuple[int, int, int, int, str, date]]:
    return [(entry_id, 1, cash, amount, "CNY", day), (entry_id, 2, fees, -amount, "CNY", day)]


@pytest.mark.django_db(transaction=True)
def test_copy_of_whole_balanced_entries_commits_and_leaves_no_scratch_rows(tx_book):
    book = tx_book
    with transaction.atomic(), connection.cursor() as cursor:
        ids = copy_entries(cursor, [f"k{n}" for n in range(5)])
        copy_postings(cursor, [row for entry_id in ids for row in whole(entry_id, book.cash.pk, book.fees.pk)])
    assert Posting.objects.count() == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_entrycheck")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_copy_of_an_unbalanced_entry_is_refused_at_commit(tx_book):
    book = tx_book
    with (
        pytest.raises(DB_ERRORS, match="does not balance: its CNY postings sum to 1"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        ids = copy_entries(cursor, ["a", "b", "c"])
        rows = [row for entry_id in ids for row in whole(entry_id, book.cash.pk, book.fees.pk)]
        rows[3] = (ids[1], 2, book.fees.pk, -49, "CNY", DAY)
        copy_postings(cursor, rows)
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_copy_of_an_entry_without_postings_among_whole_ones_is_refused(tx_book):
    book = tx_book
    with (
        pytest.raises(DB_ERRORS, match=r"has 0 posting\(s\)"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        ids = copy_entries(cursor, ["a", "b", "c"])
        copy_postings(cursor, [row for entry_id in (ids[0], ids[2]) for row in whole(entry_id, book.cash.pk, book.fees.pk)])
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_balanced_postings_dated_otherwise_than_their_entry_are_refused(tx_book):
    book = tx_book
    with (
        pytest.raises(DB_ERRORS, match="must carry the entry's effective date"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["a"])
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk, day=date(2025, 3, 4)))
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_a_leg_added_by_a_later_statement_to_a_whole_entry_is_judged_with_it(tx_book):
    book = tx_book
    with (
        pytest.raises(DB_ERRORS, match="does not balance: its CNY postings sum to 7"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["a"])
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk))
        copy_postings(cursor, [(entry_id, 3, book.cash.pk, 7, "CNY", DAY)])
    assert nothing_written()
    # A balanced pair added later is fine: sums add up.
    with transaction.atomic(), connection.cursor() as cursor:
        (entry_id,) = copy_entries(cursor, ["a"])
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk))
        copy_postings(cursor, [(entry_id, 3, book.cash.pk, 7, "CNY", DAY)])
        copy_postings(cursor, [(entry_id, 4, book.fees.pk, -7, "CNY", DAY)])
    assert Posting.objects.filter(entry_id=entry_id).count() == 4


@pytest.mark.django_db(transaction=True)
def test_postings_written_before_their_entry_in_the_same_transaction_are_accepted(tx_book):
    book = tx_book
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('ledger_journalentry', 'id'))")
        (entry_id,) = cursor.fetchone()
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk))
        cursor.execute(
            "INSERT INTO ledger_journalentry (id, idempotency_key, source_type, source_id, effective_date, memo, created_at)"
            " VALUES (%s, 'late', 'raw', '1', %s, '', now())",
            [entry_id, DAY],
        )
    assert Posting.objects.filter(entry_id=entry_id).count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_entry_in_two_currencies_balances_per_currency(tx_book):
    book = tx_book
    usd_cash = account_get_or_create(organization_id=book.operator.pk, type=AccountType.CASH, currency="USD")
    usd_fees = account_get_or_create(organization_id=book.operator.pk, type=AccountType.FEE_INCOME, currency="USD")
    with transaction.atomic(), connection.cursor() as cursor:
        (entry_id,) = copy_entries(cursor, ["fx"])
        copy_postings(
            cursor,
            [
                (entry_id, 1, book.cash.pk, 700, "CNY", DAY),
                (entry_id, 2, book.fees.pk, -700, "CNY", DAY),
                (entry_id, 3, usd_cash.pk, 100, "USD", DAY),
                (entry_id, 4, usd_fees.pk, -100, "USD", DAY),
            ],
        )
    with (
        pytest.raises(DB_ERRORS, match="does not balance: its USD postings sum to 100"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["fx2"])
        copy_postings(
            cursor,
            [
                (entry_id, 1, book.cash.pk, 100, "CNY", DAY),
                (entry_id, 2, usd_cash.pk, 100, "USD", DAY),
                (entry_id, 3, book.fees.pk, -100, "CNY", DAY),
            ],
        )
    assert JournalEntry.objects.filter(idempotency_key="fx2").count() == 0


@pytest.mark.django_db(transaction=True)
def test_copy_into_a_closed_period_or_an_unknown_account_is_refused_by_its_statement(tx_book):
    book = tx_book
    period_close(period="2025-02", actor=book.finance)
    feb = date(2025, 2, 10)
    with (
        pytest.raises(DB_ERRORS, match="falls in closed period 2025-02"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["feb"], day=feb)
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk, day=feb))
    with (
        pytest.raises(DB_ERRORS, match="posting to unknown ledger account 987654"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["ghost"])
        copy_postings(cursor, whole(entry_id, book.cash.pk, 987_654))
    with (
        pytest.raises(DB_ERRORS, match="posting currency USD differs from the currency CNY"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        (entry_id,) = copy_entries(cursor, ["usd"])
        copy_postings(cursor, [(entry_id, 1, book.cash.pk, 5, "CNY", DAY), (entry_id, 2, book.fees.pk, -5, "USD", DAY)])
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_postings_for_another_transactions_entry_are_refused_even_when_balanced(tx_book):
    book = tx_book
    with transaction.atomic(), connection.cursor() as cursor:
        (entry_id,) = copy_entries(cursor, ["first"])
        copy_postings(cursor, whole(entry_id, book.cash.pk, book.fees.pk))
    with (
        pytest.raises(DB_ERRORS, match="written in the transaction that creates the entry"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        copy_postings(cursor, [(entry_id, 3, book.cash.pk, 9, "CNY", DAY), (entry_id, 4, book.fees.pk, -9, "CNY", DAY)])
    assert Posting.objects.filter(entry_id=entry_id).count() == 2
    with pytest.raises(DB_ERRORS, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_posting SET amount = -amount WHERE entry_id = %s", [entry_id])


@pytest.mark.django_db(transaction=True)
def test_entries_whose_ids_are_not_one_run_are_registered_and_settled_run_by_run(tx_book):
    """Ids with gaps (another poster interleaved): several runs; a missing entry is still found."""
    book = tx_book
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('ledger_journalentry', 'id')) FROM generate_series(1, 10)")
        ids = [row[0] for row in cursor.fetchall()][::3]  # 4 ids, gaps of 2

    def write(entry_ids: list[int], with_postings: list[int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY ledger_journalentry (id, idempotency_key, source_type, source_id, effective_date, memo, created_at)"
                " FROM STDIN"
            ) as copy:
                for entry_id in entry_ids:
                    copy.write_row((entry_id, f"gap:{entry_id}", "raw", "1", DAY, "", "2025-03-03T00:00:00Z"))
            copy_postings(cursor, [row for entry_id in with_postings for row in whole(entry_id, book.cash.pk, book.fees.pk)])

    with pytest.raises(DB_ERRORS, match=rf"ledger entry {ids[2]} has 0 posting\(s\)"):
        write(ids, [ids[0], ids[1], ids[3]])
    assert nothing_written()
    write(ids, ids)
    assert Posting.objects.count() == 8
