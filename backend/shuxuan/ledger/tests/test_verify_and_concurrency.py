from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from shuxuan.ledger import checks
from shuxuan.ledger.facade import PostingSpec, account_balance, entry_post, register_check
from shuxuan.ledger.models import JournalEntry, Posting


def verify(capsys) -> tuple[int, dict]:
    try:
        call_command("verify_ledger")
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])


def sabotage(sql: str, params: list) -> None:
    """Write a row the rules forbid: triggers off, the row in, triggers back on."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.mark.django_db(transaction=True)
def test_verify_ledger_passes_on_good_data_and_names_each_breach(tx_book, capsys, monkeypatch):
    book = tx_book
    monkeypatch.setattr(checks, "_registered", {})
    entry = book.sale("sale:1", 10_000)
    book.sale("sale:2", 2_000, day=date(2025, 2, 3))

    code, report = verify(capsys)
    assert code == 0, report
    assert report["ok"] is True and report["breach"] is None
    assert all(check["ok"] for check in report["checks"])

    register_check("supply says fine", lambda: None)
    register_check("supply says broken", lambda: "stock 5 != inventory 4")
    code, report = verify(capsys)
    assert (code, report["breach"]) == (1, "supply says broken: stock 5 != inventory 4")
    monkeypatch.setattr(checks, "_registered", {})

    sabotage(
        "INSERT INTO ledger_posting (entry_id, line_no, account_id, amount, currency, effective_date)"
        " VALUES (%s, 9, %s, 1, 'CNY', '2025-03-15')",
        [entry.pk, book.cash.pk],
    )
    code, report = verify(capsys)
    assert code == 1
    assert report["ok"] is False
    assert report["breach"] == f"entries sum to zero per currency: entry {entry.pk}: postings in CNY sum to 1, not 0"
    failed = [check["name"] for check in report["checks"] if not check["ok"]]
    assert failed == ["entries sum to zero per currency", "cached balances equal the sums of postings"]

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ledger_posting DISABLE TRIGGER ledger_posting_append_only")
    code, report = verify(capsys)
    assert report["breach"] == (
        "append-only and balance triggers present and enabled: trigger ledger_posting_append_only on ledger_posting is disabled"
    )
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ledger_posting ENABLE TRIGGER ledger_posting_append_only")
        cursor.execute("DROP TRIGGER ledger_period_no_truncate ON ledger_period")
    code, report = verify(capsys)
    assert code == 1
    assert report["breach"] == (
        "append-only and balance triggers present and enabled: trigger ledger_period_no_truncate on ledger_period is missing"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER ledger_period_no_truncate BEFORE TRUNCATE ON ledger_period"
            " FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()"
        )


@pytest.mark.django_db(transaction=True)
def test_verify_ledger_catches_a_posting_slipped_into_a_closed_period(tx_book, capsys, monkeypatch):
    book = tx_book
    monkeypatch.setattr(checks, "_registered", {})
    from shuxuan.ledger.services import period_close

    book.sale("sale:1", 10_000, day=date(2025, 2, 3))
    period_close(period="2025-02", actor=book.finance)
    assert verify(capsys)[0] == 0
    sabotage(
        "INSERT INTO ledger_journalentry (id, idempotency_key, source_type, source_id, effective_date, memo, created_at)"
        " VALUES (777, 'late', 't', '1', '2025-02-10', '', now())",
        [],
    )
    code, report = verify(capsys)
    assert code == 1
    assert report["breach"].startswith("entries have at least 2 postings: entry 777 has 0 posting(s)")
    assert "entry 777 was posted into period 2025-02" in json.dumps(report["checks"], ensure_ascii=False)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_posters_on_one_hot_account_lose_nothing(tx_book):
    """8 threads, each with its own connection, post at once to the operator's cash account."""
    book = tx_book
    threads_n, per_thread = 8, 25
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker(worker_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(per_thread):
                amount = 100 + worker_id
                entry_post(
                    idempotency_key=f"hot:{worker_id}:{n}",
                    source_type="test.hot",
                    source_id=str(n),
                    effective_date=date(2025, 3, 1 + n % 2),
                    memo="",
                    postings=[PostingSpec(book.cash.pk, amount), PostingSpec(book.fees.pk, -amount)],
                )
                # the same key from every thread at once: exactly one entry
                entry_post(
                    idempotency_key=f"shared:{n}",
                    source_type="test.hot",
                    source_id=str(n),
                    effective_date=date(2025, 3, 1),
                    memo="",
                    postings=[PostingSpec(book.cash.pk, 1), PostingSpec(book.payable.pk, -1)],
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock or stall"
    assert errors == []

    expected_cash = sum((100 + w) * per_thread for w in range(threads_n)) + per_thread
    assert JournalEntry.objects.count() == threads_n * per_thread + per_thread
    assert Posting.objects.count() == 2 * JournalEntry.objects.count()
    assert account_balance(account_id=book.cash.pk) == expected_cash
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(amount) FROM ledger_posting WHERE account_id = %s", [book.cash.pk])
        assert cursor.fetchone() == (expected_cash,)
    assert account_balance(account_id=book.payable.pk) == -per_thread
