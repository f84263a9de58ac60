"""Benchmark of the money ledger's bulk path against the COPY floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/ledger.py --entries 1000000

Creates a fresh database `shuxuan_bench_ledger` on DATABASE_URL's server, migrates it, then
1. posts N journal entries of 4 postings each through `entries_post_bulk` (the real tables with
   their constraints, indexes, statement triggers, balance cache and commit-time balance check);
2. COPYs the same rows (N entries, 4N postings), with the same client loop and binary COPY format
   as the bulk path, into three pairs of tables of the same columns, in one transaction per batch:
   - `indexed`: a table of the same shape as the ledger's (`LIKE ... INCLUDING ALL`: its primary
     keys, indexes and CHECK constraints) but no trigger. This is the target's floor: the raw COPY
     into the ledger's tables, without the rules (docs/decisions/0009-ledger-bench-floor.md);
   - `plain`: no index, no constraint, no trigger;
   - `required`: the leanest set of indexes that still serves every read the product makes and
     every rule PostgreSQL enforces: entries by id (primary key), by idempotency key (unique,
     rule 3) and by source (a filter the UI offers); postings by account and date (the account
     ledger view) and by entry (journal entry detail), the last as a BRIN index instead of the
     primary key B-tree, since a transaction's entries are written in id order. Its ratio to
     `plain` is the least any ledger with these reads could reach against the index-free
     floor, before a single rule runs.
Prints entries/s, postings/s and the ratios, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_ledger"
ACCOUNTS = 200  # a few hot accounts (the operator's) and many party accounts
HOT = 3


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL (postgres://user@host:port/any_db); the bench creates its own database.")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def fresh_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def setup_django(bench_url: str) -> None:
    sys.path.insert(0, str(REPO / "backend"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_accounts() -> list[int]:
    from shuxuan.ledger.facade import AccountType, account_get_or_create
    from shuxuan.parties.models import Organization, OrganizationKind

    ids = []
    for n in range(ACCOUNTS):
        org, _ = Organization.objects.get_or_create(
            credit_code=f"91510100BENCH{n:05d}"[:18],
            defaults={"name": f"压测机构{n}", "kind": OrganizationKind.BRAND if n >= HOT else OrganizationKind.OPERATOR},
        )
        kind = AccountType.CASH if n < HOT else AccountType.PAYABLE_TO_PARTY
        ids.append(account_get_or_create(organization_id=org.pk, type=kind).pk)
    return ids


DAYS = 28


def make_specs(start: int, count: int, accounts: list[int], total: int, dates: str):  # type: ignore[no-untyped-def]
    """Entries `start`..`start + count` of `total`, dated over four weeks: in date order
    (`ordered`, as a ledger is written: a day's events, then the next day's) or each entry a day
    later than the one before, round the four weeks (`cycle`, the worst case for the
    (account, date) index: every batch inserts into every day of every account)."""
    from shuxuan.ledger.facade import EntrySpec, PostingSpec

    base = date(2025, 3, 1)
    hot, parties = accounts[:HOT], accounts[HOT:]
    specs = []
    for n in range(start, start + count):
        amount = 1000 + n % 9000
        fee = amount // 10
        tax = amount // 50
        party = parties[n % len(parties)]
        specs.append(
            EntrySpec(
                idempotency_key=f"bench:{n}",
                source_type="bench.order_line",
                source_id=str(n),
                effective_date=base + timedelta(days=n % DAYS if dates == "cycle" else n * DAYS // total),
                memo="",
                postings=(
                    PostingSpec(account_id=hot[0], amount=amount),
                    PostingSpec(account_id=party, amount=-(amount - fee - tax)),
                    PostingSpec(account_id=hot[1], amount=-fee),
                    PostingSpec(account_id=hot[2], amount=-tax),
                ),
            )
        )
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000, help="journal entries to post (default 1,000,000)")
    parser.add_argument("--batch", type=int, default=100_000, help="entries per entries_post_bulk call (one transaction)")
    parser.add_argument(
        "--dates",
        choices=("ordered", "cycle"),
        default="ordered",
        help="entry dates: in order over four weeks (default) or cycling through them entry by entry",
    )
    args = parser.parse_args()

    admin_url, bench_url = database_urls()
    fresh_database(admin_url)
    setup_django(bench_url)
    accounts = make_accounts()
    print(f"fresh database {BENCH_DB}, {len(accounts)} accounts; posting {args.entries:,} entries x 4 postings", flush=True)

    bulk_seconds = post_bulk(args, accounts)
    create_floor_tables()
    floors = copy_floors(args, accounts)
    from django.db import connection

    from shuxuan.ledger.selectors import trial_balance

    tb = trial_balance()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_posting")
        (postings,) = cursor.fetchone()
    assert postings == 4 * args.entries and tb.balanced, (postings, tb.totals)

    report(args, bulk_seconds, floors, postings, tb)


def post_bulk(args: argparse.Namespace, accounts: list[int]) -> float:
    """Post the entries through entries_post_bulk, batch by batch; answers the seconds it took."""
    from shuxuan.ledger.facade import entries_post_bulk

    checkpoint()
    bulk_seconds = 0.0
    for start in range(0, args.entries, args.batch):
        specs = make_specs(start, min(args.batch, args.entries - start), accounts, args.entries, args.dates)
        began = time.perf_counter()
        result = entries_post_bulk(specs)
        bulk_seconds += time.perf_counter() - began
        assert result.created == len(specs), result
        print(f"  bulk: {start + len(specs):>10,} entries  {bulk_seconds:7.1f} s", flush=True)
    return bulk_seconds


def create_floor_tables() -> None:
    """The COPY floors' tables: plain (no index), indexed (the ledger's own indexes, no triggers) and
    required (the leanest indexes the product's reads need)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain_entry (id bigint, idempotency_key varchar(200), source_type varchar(64),"
            " source_id varchar(64), effective_date date, memo text, created_at timestamptz, created_by_id bigint)"
        )
        cursor.execute(
            "CREATE TABLE bench_plain_posting (entry_id bigint, line_no smallint, account_id bigint, amount bigint,"
            " currency varchar(3), effective_date date)"
        )
        cursor.execute("CREATE TABLE bench_indexed_entry (LIKE ledger_journalentry INCLUDING ALL)")
        cursor.execute("CREATE TABLE bench_indexed_posting (LIKE ledger_posting INCLUDING ALL)")
        cursor.execute("CREATE TABLE bench_required_entry (LIKE bench_plain_entry)")
        cursor.execute("CREATE TABLE bench_required_posting (LIKE bench_plain_posting)")
        cursor.execute("ALTER TABLE bench_required_entry ADD PRIMARY KEY (id)")
        cursor.execute("CREATE UNIQUE INDEX ON bench_required_entry (idempotency_key)")
        cursor.execute("CREATE INDEX ON bench_required_entry (source_type, source_id) WITH (deduplicate_items = off)")
        cursor.execute("CREATE INDEX ON bench_required_posting (account_id, effective_date)")
        cursor.execute("CREATE INDEX ON bench_required_posting USING brin (entry_id)")


def copy_floors(args: argparse.Namespace, accounts: list[int]) -> dict[str, float]:
    """COPY the same entries into each floor's tables; answers the seconds per entry table."""
    floors = {}
    for entry_table, posting_table in (
        ("bench_plain_entry", "bench_plain_posting"),
        ("bench_indexed_entry", "bench_indexed_posting"),
        ("bench_required_entry", "bench_required_posting"),
    ):
        checkpoint()
        seconds = 0.0
        next_id = 1
        for start in range(0, args.entries, args.batch):
            specs = make_specs(start, min(args.batch, args.entries - start), accounts, args.entries, args.dates)
            began = time.perf_counter()
            next_id = copy_floor(specs, next_id, entry_table, posting_table)
            seconds += time.perf_counter() - began
        floors[entry_table] = seconds
        print(f"  COPY into {entry_table}/{posting_table}: {args.entries:,} entries  {seconds:7.1f} s", flush=True)
    return floors


def report(args: argparse.Namespace, bulk_seconds: float, floors: dict[str, float], postings: int, tb: Any) -> None:
    """Print the bulk path against the COPY floors, then the figures as one JSON line."""
    copy_seconds, indexed_seconds = floors["bench_plain_entry"], floors["bench_indexed_entry"]
    required_seconds = floors["bench_required_entry"]

    figures = {
        "entries": args.entries,
        "postings": postings,
        "bulk_seconds": round(bulk_seconds, 2),
        "entries_per_s": round(args.entries / bulk_seconds),
        "postings_per_s": round(postings / bulk_seconds),
        "copy_floor_seconds": round(indexed_seconds, 2),
        "copy_floor_entries_per_s": round(args.entries / indexed_seconds),
        "ratio_to_copy_floor": round(bulk_seconds / indexed_seconds, 2),
        "plain_copy_seconds": round(copy_seconds, 2),
        "ratio_to_plain_copy": round(bulk_seconds / copy_seconds, 2),
        "required_copy_seconds": round(required_seconds, 2),
        "required_to_plain": round(required_seconds / copy_seconds, 2),
        "dates": args.dates,
        "load_average": os.getloadavg(),
        "trial_balance_zero": tb.balanced,
    }
    print(
        f"bulk path: {figures['entries_per_s']:,} entries/s, {figures['postings_per_s']:,} postings/s; "
        f"COPY floor (the ledger's tables without triggers) {figures['copy_floor_entries_per_s']:,} entries/s; "
        f"ratio {figures['ratio_to_copy_floor']}x\n"
        f"  to the index-free COPY: {figures['ratio_to_plain_copy']}x; the COPY with the leanest indexes the product's "
        f"reads need is itself {figures['required_to_plain']}x the index-free one (load {os.getloadavg()[0]:.2f})"
    )
    print(json.dumps(figures))


def checkpoint() -> None:
    """Start each timed phase from a clean checkpoint, so that no phase pays for writing out the
    pages the one before it dirtied (or for the full-page images a checkpoint forces)."""
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("CHECKPOINT")
        except Exception as error:  # e.g. a role without pg_checkpoint: measure anyway, say so
            print(f"  (no CHECKPOINT between phases: {error})", flush=True)


def copy_floor(specs, next_id: int, entry_table: str, posting_table: str) -> int:  # type: ignore[no-untyped-def]
    """The same rows, COPYed by the bulk path's client loop (binary COPY, same column types) into
    the given tables, in one transaction per batch."""
    from django.db import connection, transaction
    from django.utils import timezone

    from shuxuan.ledger.services import ENTRY_COLUMNS, ENTRY_TYPES, POSTING_COLUMNS, POSTING_TYPES

    now = timezone.now()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        with cursor.copy(f"COPY {entry_table} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(ENTRY_TYPES)
            write_row = copy.write_row
            for offset, spec in enumerate(specs):
                key, day = spec.idempotency_key, spec.effective_date
                write_row((next_id + offset, key, spec.source_type, spec.source_id, day, spec.memo, now, spec.actor_id))
        with cursor.copy(f"COPY {posting_table} ({', '.join(POSTING_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(POSTING_TYPES)
            write_row = copy.write_row
            for offset, spec in enumerate(specs):
                day = spec.effective_date
                for line_no, posting in enumerate(spec.postings, start=1):
                    write_row((next_id + offset, line_no, posting.account_id, posting.amount, posting.currency, day))
    return next_id + len(specs)


if __name__ == "__main__":
    main()
