"""Benchmark of settlement end to end: N order lines imported, then settled, against the COPY floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/settlement.py --lines 1000000

Creates a fresh database `shuxuan_bench_settlement` on DATABASE_URL's server and migrates it; a world
of 12 brands (consignment contracts with an 8% margin and a per-unit logistics fee; two brands
buy-out), 2 MCNs, 100 anchors with Douyin and Kuaishou accounts and 200 mapped products. It writes a
generic order CSV of N lines (Douyin lines with the platform's commission and fee rates, Kuaishou
lines with the commission only; 1 in 20 partially refunded, 1 in 50 refunded in full, all confirmed
long enough ago to be settleable), then
1. imports it through `import_path` (attribution, COPY of lines and events);
2. settles it: `run_create` + `run_execute` — terms frozen, every line split, legs COPYed, one
   ledger entry per chunk, statements written;
3. times a raw COPY of the rows the run wrote (line terms, settled legs, the run's entries and
   postings) into plain tables of the same columns — no index, constraint or trigger — the floor
   any write path can reach.
Prints lines/s for each step and the ratio of the settlement to the floor, then a JSON line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_settlement"
BRANDS = 12
ANCHORS = 100
PRODUCTS = 200
COLUMNS = (
    "platform,order_id,status,paid_at,pay_amount,quantity,author_id,product_id,commission_rate,service_fee_rate,"
    "refund_amount,confirmed_at\n"
)


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


def make_world() -> tuple[list[tuple[str, tuple[str, str]]], list[tuple[str, tuple[str, str]]]]:
    """Returns (douyin (author, product) pairs, kuaishou pairs) to draw lines from."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from shuxuan.catalog.models import Category, Product, Sku
    from shuxuan.orders.models import PlatformProductMapping
    from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, User
    from shuxuan.settlement.models import Contract, ContractFee

    tz = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 1, 1, tzinfo=tz)
    operator = Organization.objects.create(name="压测运营方", kind="operator", credit_code="91510100MA00000001")
    user = User.objects.create(username="bench", organization=operator)
    logistics = Organization.objects.create(name="压测物流", kind="service_provider", credit_code="91510100MA00000002")
    mcns = [Organization.objects.create(name=f"压测MCN{i}", kind="mcn", credit_code=f"91510100MA0000010{i}") for i in range(2)]
    category = Category.objects.filter(children__isnull=True).order_by("id").first()
    assert category is not None
    douyin_products, kuaishou_products = [], []
    for b in range(BRANDS):
        brand = Organization.objects.create(name=f"压测品牌{b}", kind="brand", credit_code=f"9151010{b:04d}BENCH01")
        contract = Contract.objects.create(
            brand=brand, mode="buyout" if b < 2 else "consignment", operator_margin_bps=800, valid_from=start
        )
        ContractFee.objects.create(contract=contract, payee=logistics, kind="logistics", basis="per_unit", value=300)
        for p in range(PRODUCTS // BRANDS + 1):
            product = Product.objects.create(brand=brand, category=category, name=f"压测商品{b}-{p}", status="approved")
            price = 1_990 + 1_000 * ((b * 7 + p) % 30)
            sku = Sku.objects.create(
                product=product, brand=brand, code=f"B{b}-P{p}", spec="500g", supply_price_minor=price // 3,
                retail_price_minor=price, min_live_price_minor=price // 2, max_live_price_minor=price,
            )  # fmt: skip
            dy, ks = f"36{b:03d}{p:05d}", f"ks{b:03d}{p:05d}"
            PlatformProductMapping.objects.create(platform="douyin", platform_product_id=dy, sku=sku)
            PlatformProductMapping.objects.create(platform="kuaishou", platform_product_id=ks, sku=sku)
            douyin_products.append((dy, str(price)))
            kuaishou_products.append((ks, str(price)))
    douyin, kuaishou = [], []
    for a in range(ANCHORS):
        anchor = Anchor.objects.create(organization=mcns[a % 2], name=f"压测主播{a}")
        AnchorAccount.objects.create(anchor=anchor, platform="douyin", platform_uid=f"dy_b{a}", nickname=f"主播{a}")
        AnchorAccount.objects.create(anchor=anchor, platform="kuaishou", platform_uid=f"ks_b{a}", nickname=f"主播{a}")
        McnBinding.objects.create(anchor=anchor, mcn=mcns[a % 2], split_bps=3000, valid_from=start, created_by=user)
        douyin.append(f"dy_b{a}")
        kuaishou.append(f"ks_b{a}")
    return (
        [(author, product) for author in douyin for product in random.Random(1).sample(douyin_products, 5)],
        [(author, product) for author in kuaishou for product in random.Random(2).sample(kuaishou_products, 5)],
    )


def write_orders(path: Path, lines: int, douyin: list, kuaishou: list) -> None:  # type: ignore[type-arg]
    rng = random.Random(2026)
    with path.open("w", encoding="utf-8") as out:
        out.write(COLUMNS)
        for i in range(lines):
            if i % 3 == 2:
                platform, (author, (product, price)) = "kuaishou", rng.choice(kuaishou)
                fee = ""
            else:
                platform, (author, (product, price)) = "douyin", rng.choice(douyin)
                fee = "5%"
            quantity = 1 + (i % 4 == 0)
            pay = int(price) * quantity
            refund, status = "", "confirmed"
            if i % 50 == 7:
                refund, status = f"{pay // 100}.{pay % 100:02d}", "refunded"
            elif i % 20 == 3:
                part = pay // 3
                refund = f"{part // 100}.{part % 100:02d}"
            day = 1 + i % 28
            out.write(
                f"{platform},B{i},{status},2026-10-{day:02d} 20:{i % 60:02d}:00,{pay // 100}.{pay % 100:02d},{quantity},"
                f"{author},{product},{(10, 20, 25)[i % 3]}%,{fee},{refund},2026-11-01 10:00:00\n"
            )


def copy_floor(run_id: int) -> tuple[float, int]:
    """COPY the rows the run wrote into plain tables of the same columns; returns (seconds, rows)."""
    from django.db import connection

    tables = {
        "settlement_lineterms": "SELECT * FROM settlement_lineterms",
        "settlement_settledleg": f"SELECT * FROM settlement_settledleg WHERE run_id = {run_id}",
        "ledger_journalentry": "SELECT * FROM ledger_journalentry"
        f" WHERE source_type = 'settlement.run' AND source_id = '{run_id}'",
        "ledger_posting": "SELECT p.* FROM ledger_posting p JOIN ledger_journalentry e ON e.id = p.entry_id"
        f" WHERE e.source_type = 'settlement.run' AND e.source_id = '{run_id}'",
    }
    dumps: dict[str, bytes] = {}
    rows = 0
    with connection.cursor() as cursor:
        for table, select in tables.items():
            buffer = io.BytesIO()
            with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
            dumps[table] = buffer.getvalue()
            rows += dumps[table].count(b"\n")
            cursor.execute(f"DROP TABLE IF EXISTS bench_plain_{table}")
            cursor.execute(f"CREATE TABLE bench_plain_{table} (LIKE {table})")
    checkpoint()
    started = time.perf_counter()
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in dumps.items():
            with cursor.copy(f"COPY bench_plain_{table} FROM STDIN") as copy:
                for offset in range(0, len(data), 1 << 20):
                    copy.write(data[offset : offset + (1 << 20)])
    return time.perf_counter() - started, rows


def checkpoint() -> None:
    """Start each timed step from a clean checkpoint (as bench/ledger.py does), so that no step
    pays for writing out the pages the one before it dirtied."""
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("CHECKPOINT")
        except Exception as error:  # e.g. a role without pg_checkpoint: measure anyway, say so
            print(f"  (no CHECKPOINT between steps: {error})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    admin_url, bench_url = database_urls()
    fresh_database(admin_url)
    setup_django(bench_url)
    import logging
    from datetime import date

    from django.utils import timezone

    from shuxuan.orders.services import import_path
    from shuxuan.settlement.models import RunState, SettledLeg
    from shuxuan.settlement.runs import run_create, run_execute

    logging.getLogger("shuxuan.settlement.runs").setLevel(logging.INFO)  # the run's phases, as it logs them
    douyin, kuaishou = make_world()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        write_orders(path, args.lines, douyin, kuaishou)
        print(f"settlement bench: {args.lines:,} order lines", flush=True)
        checkpoint()
        started = time.perf_counter()
        report = import_path(source="generic", path=path)
        import_seconds = time.perf_counter() - started
    print(f"  import:    {import_seconds:7.1f} s  {args.lines / import_seconds:9,.0f} lines/s  (created {report.created:,})")

    cutoff = min(date(2026, 11, 20), timezone.localdate())
    checkpoint()
    started = time.perf_counter()
    run = run_execute(run_id=run_create(cutoff=cutoff, actor=None).pk)
    settle_seconds = time.perf_counter() - started
    assert run.state == RunState.DONE, run.error
    legs = SettledLeg.objects.filter(run=run).count()
    print(
        f"  settle:    {settle_seconds:7.1f} s  {args.lines / settle_seconds:9,.0f} lines/s  "
        f"({run.lines_settled:,} settled, {run.lines_problem:,} problems, {legs:,} legs, {run.statements} statements)"
    )
    floor_seconds, floor_rows = copy_floor(run.pk)
    print(f"  COPY floor:{floor_seconds:7.1f} s  {floor_rows:,} rows the run wrote")
    ratio = settle_seconds / floor_seconds
    print(f"  ratio to the COPY floor: {ratio:.2f}x", flush=True)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("verify_ledger", verbosity=0)
    verify_seconds = time.perf_counter() - started
    figures = {
        "lines": args.lines,
        "import_lines_per_s": round(args.lines / import_seconds),
        "settle_lines_per_s": round(args.lines / settle_seconds),
        "end_to_end_lines_per_s": round(args.lines / (import_seconds + settle_seconds)),
        "settle_seconds": round(settle_seconds, 2),
        "copy_floor_seconds": round(floor_seconds, 2),
        "copy_floor_rows": floor_rows,
        "ratio_to_copy_floor": round(ratio, 2),
        "legs": legs,
        "statements": run.statements,
        "verify_ledger_seconds": round(verify_seconds, 1),
        "load": os.getloadavg()[0],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
