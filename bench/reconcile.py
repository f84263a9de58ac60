"""Benchmark of reconciliation: N Douyin settle-bill lines matched against the ledger of the same orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/reconcile.py --lines 1000000

Creates a fresh database `shuxuan_bench_reconcile` on DATABASE_URL's server and migrates it. The
ledger side is written directly with COPY (not through `run_execute`, which bench/settlement.py
measures): one settlement run, N order lines, and three settled legs per line — the platform fee
(5%), the anchor commission paid by Douyin at source (20%) and the producer's residual — which is
what matching reads. The bill side is N settle-bill lines (COPY into reconciliation_billline).
Order i (0 ≤ i < N) is planted by i % 100:

    0 amount mismatch (the bill's total income is 1 yuan higher)   3 missing in ledger (no line, no legs)
    1 fee mismatch (platform service fee 0.50 higher)               4 missing in bill (no bill line)
    2 commission mismatch (commission 0.70 higher)                 5 duplicate in bill (billed twice)

so each kind is 1% of the orders and the bill still has N lines. It then times
`reconcile(period, source="douyin")` (the set-based match, the results and the exceptions
upsert), prints lines/s, and checks that the reported (order, outcome) pairs are exactly the
planted ones — every planted difference and nothing else. Last line: a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_reconcile"
PERIOD = "2026-10"
CUTOFF = date(2026, 10, 20)
GROSS, FEE, COMMISSION = 29_900, 1_495, 5_980
KINDS = {
    0: "amount_mismatch",
    1: "fee_mismatch",
    2: "commission_mismatch",
    3: "missing_in_ledger",
    4: "missing_in_bill",
    5: "duplicate_in_bill",
}


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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def copy_rows(table: str, columns: list[str], rows: object) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for row in rows:  # type: ignore[attr-defined]
                buffer.append("\t".join(row) + "\n")
                if len(buffer) >= 50_000:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))


def build(lines: int) -> None:
    from django.db import connection, transaction

    from shuxuan.orders.models import ImportBatch, OrderLine
    from shuxuan.reconciliation.models import BillImport, BillLine
    from shuxuan.settlement.models import SettledLeg, SettlementRun

    shanghai = ZoneInfo("Asia/Shanghai")
    paid_at = datetime(2026, 10, 1, 20, 0, tzinfo=shanghai).isoformat()
    with transaction.atomic():
        batch = ImportBatch.objects.create(source="douyin", file_name="bench.csv", sha256="0" * 64, state="done")
        run = SettlementRun.objects.create(cutoff=CUTOFF, state="done")
        bill_import = BillImport.objects.create(source="douyin", sha256="1" * 64, filename="bench-bill.csv")
        ledger_orders = [i for i in range(lines) if i % 100 != 3]
        started = time.monotonic()
        _copy_order_lines(ledger_orders, batch_id=batch.pk, paid_at=paid_at)
        _copy_legs(ledger_orders, run_id=run.pk)
        _copy_bill_lines(lines, bill_import_id=bill_import.pk)
        print(
            f"wrote {len(ledger_orders):,} order lines, {3 * len(ledger_orders):,} legs and {lines:,} bill lines "
            f"in {time.monotonic() - started:.1f}s",
            flush=True,
        )
    with connection.cursor() as cursor:
        for table in (OrderLine, SettledLeg, BillLine):
            cursor.execute(f"VACUUM ANALYZE {table._meta.db_table}")


def _copy_order_lines(ledger_orders: list[int], *, batch_id: int, paid_at: str) -> None:
    """One confirmed order line per order the ledger knows (B<i>), COPYed."""

    from shuxuan.orders.models import OrderLine

    copy_rows(
        OrderLine._meta.db_table,
        [
            "platform",
            "platform_order_id",
            "platform_line_id",
            "currency",
            "platform_author_id",
            "platform_product_id",
            "product_name",
            "media_type",
            "quantity",
            "pay_amount_minor",
            "refunded_minor",
            "platform_subsidy_minor",
            "status",
            "paid_at",
            "fingerprint",
            "unattributed",
            "attribution_issues",
            "first_batch_id",
            "last_batch_id",
            "created_at",
            "updated_at",
        ],
        (
            [
                "douyin",
                f"B{i}",
                "",
                "CNY",
                "",
                "",
                "",
                "",
                "1",
                str(GROSS),
                "0",
                "0",
                "confirmed",
                paid_at,
                "x",
                "t",
                "{}",
                str(batch_id),
                str(batch_id),
                paid_at,
                paid_at,
            ]
            for i in ledger_orders
        ),
    )


def _copy_legs(ledger_orders: list[int], *, run_id: int) -> None:
    """The settled legs of each order line: platform fee, anchor commission, the producer's rest."""
    from django.db import connection

    from shuxuan.orders.models import OrderLine
    from shuxuan.settlement.models import SettledLeg

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT platform_order_id, id FROM {OrderLine._meta.db_table}")
        line_ids = {order: pk for order, pk in cursor.fetchall()}
    legs = (
        ("platform_fee", "platform", FEE),
        ("anchor_commission", "platform", COMMISSION),
        ("producer", "operator", GROSS - FEE - COMMISSION),
    )
    copy_rows(
        SettledLeg._meta.db_table,
        [
            "run_id",
            "line_id",
            "kind",
            "settled_by",
            "payee_platform",
            "account_id",
            "amount_minor",
            "basis_minor",
            "currency",
            "entry_id",
        ],
        (
            [str(run_id), str(line_ids[f"B{i}"]), kind, by, "", "1", str(amount), str(GROSS), "CNY", "1"]
            for i in ledger_orders
            for kind, by, amount in legs
        ),
    )


def _copy_bill_lines(lines: int, *, bill_import_id: int) -> None:
    """The platform's bill: one line per order (some planted mismatches, a missing one and a
    duplicate every hundred), COPYed."""
    from shuxuan.reconciliation.models import BillLine
    from shuxuan.reconciliation.parsers import LINE_FIELDS

    def bill_rows() -> object:
        for i in range(lines):
            plant = i % 100
            if plant == 4:
                continue
            gross, fee, commission = (
                GROSS + (100 if plant == 0 else 0),
                FEE + (50 if plant == 1 else 0),
                COMMISSION + (70 if plant == 2 else 0),
            )
            net = gross - fee - commission
            copies = 2 if plant == 5 else 1
            for copy in range(copies):
                day = 12 + copy
                yield [
                    "douyin",
                    f"R{i}-{copy}:B{i}:0",
                    str(bill_import_id),
                    str(i + 2),
                    f"2026-10-{day}",
                    PERIOD,
                    f"B{i}",
                    f"R{i}-{copy}",
                    "",
                    "0",
                    "",
                    "精选联盟",
                    "CNY",
                    str(gross),
                    str(fee),
                    str(commission),
                    str(net),
                    "x",
                    "{}",
                ]

    copy_rows(
        BillLine._meta.db_table,
        [*LINE_FIELDS[:2], "bill_import_id", *LINE_FIELDS[2:]],
        bill_rows(),
    )


def expected(lines: int) -> set[tuple[str, str]]:
    return {(f"B{i}", KINDS[i % 100]) for i in range(lines) if i % 100 in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2, help="reconcile this many times (the second shows a re-run)")
    args = parser.parse_args()
    admin_url, bench_url = database_urls()
    fresh_database(admin_url)
    setup_django(bench_url)
    build(args.lines)

    from shuxuan.reconciliation.matching import reconcile
    from shuxuan.reconciliation.models import MatchResult, ReconException

    timings = []
    for attempt in range(args.runs):
        started = time.monotonic()
        run = reconcile(period=PERIOD, source="douyin")
        seconds = time.monotonic() - started
        timings.append(seconds)
        print(
            f"reconcile #{attempt + 1}: {run.lines:,} bill lines, {run.groups:,} orders compared, {run.matched:,} matched, "
            f"{run.exceptions:,} exceptions in {seconds:.1f}s = {run.lines / seconds:,.0f} lines/s",
            flush=True,
        )
    found = set(MatchResult.objects.filter(period=PERIOD, source="douyin").values_list("match_key", "outcome"))
    planted = expected(args.lines)
    missed, extra = planted - found, found - planted
    by_kind = {kind: sum(1 for _, outcome in found if outcome == kind) for kind in KINDS.values()}
    exceptions = ReconException.objects.filter(source="douyin").count()
    ok = not missed and not extra and exceptions == len(planted)
    print(f"planted {len(planted):,}, reported {len(found):,}: missed {len(missed)}, extra {len(extra)}; {by_kind}")
    best = min(timings)
    print(
        json.dumps(
            {
                "ok": ok,
                "lines": args.lines,
                "seconds": [round(t, 2) for t in timings],
                "lines_per_s": round(args.lines / best),
                "planted": len(planted),
                "reported": len(found),
                "missed": len(missed),
                "extra": len(extra),
                "by_kind": by_kind,
            }
        )
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
