"""Benchmark of the order import: a Douyin-shaped export of N lines through `import_path`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/orders_import.py --lines 1000000

Creates a fresh database `shuxuan_bench_orders` on DATABASE_URL's server and migrates it, registers
200 anchors (Douyin accounts, MCN bindings that change mid-month) and 500 mapped products, writes a
GB18030 CSV shaped like the 联盟订单明细 export (ids with a trailing tab, `¥` amounts, `32.00%`
rates; 1 row in 1000 bad, 1 in 50 from an unknown anchor). Every anchor has picked the SKUs it sells
(frozen before the file starts, with an ads rate; every tenth line is 千川 traffic) and streams every
evening 19:00–23:00, so attribution finds a pick for each attributed line and a session for a
sixth of them; the anchors' daily sales are recomputed at the end of each import. Then
1. imports it (every line new: attribution, COPY of lines and events, progress per chunk);
2. imports it again (every line unchanged);
3. imports a second file where every tenth line is settled (updates + events).
Prints lines/s and the process's peak RSS for each step, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_orders"
ANCHORS = 200
PRODUCTS = 500
HEADER = (
    "订单id,商品id,商品名称,作者账号,抖音/火山号,支付金额,佣金率,预估佣金支出,结算金额,实际佣金支出,"
    "订单状态,付款时间,收货时间,订单结算时间,商品数量,流量来源\r\n"
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
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_world() -> None:
    from shuxuan.catalog.models import Category, Product, Sku
    from shuxuan.orders.models import PlatformProductMapping
    from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, User

    tz = ZoneInfo("Asia/Shanghai")
    operator = Organization.objects.create(name="压测运营方", kind="operator", credit_code="91510100MA00000001")
    user = User.objects.create(username="bench", organization=operator)
    mcns = [Organization.objects.create(name=f"压测MCN{i}", kind="mcn", credit_code=f"91510100MA0000010{i}") for i in range(2)]
    brand = Organization.objects.create(name="压测品牌", kind="brand", credit_code="91510100MA00000200")
    for n in range(ANCHORS):
        anchor = Anchor.objects.create(organization=mcns[0], name=f"主播{n}")
        AnchorAccount.objects.create(anchor=anchor, platform="douyin", platform_uid=f"{60_000_000 + n}", nickname=f"主播{n}")
        switch = datetime(2025, 6, 15, tzinfo=tz)
        McnBinding.objects.create(
            anchor=anchor,
            mcn=mcns[0],
            split_bps=3000,
            valid_from=datetime(2025, 1, 1, tzinfo=tz),
            valid_to=switch,
            created_by=user,
        )
        McnBinding.objects.create(anchor=anchor, mcn=mcns[1], split_bps=2000, valid_from=switch, created_by=user)
    category = Category.objects.create(code="bench.food", name="压测类目")
    product = Product.objects.create(brand=brand, category=category, name="压测商品", origin_city="成都市", status="approved")
    for n in range(PRODUCTS):
        sku = Sku.objects.create(
            product=product,
            brand=brand,
            code=f"B-{n}",
            spec="500g",
            supply_price_minor=1000,
            retail_price_minor=2000,
            min_live_price_minor=1500,
            max_live_price_minor=2500,
        )
        PlatformProductMapping.objects.create(platform="douyin", platform_product_id=f"{3_500_000_000_000_000_000 + n}", sku=sku)
    make_selection(user, product, tz)


def make_selection(user: Any, product: Any, tz: ZoneInfo) -> None:
    """A frozen pick of every (anchor, SKU) pair the file sells, and an evening session a day."""
    from shuxuan.catalog.models import Sku
    from shuxuan.parties.models import Anchor
    from shuxuan.selection.models import CommissionPlan, LiveSession, Pick, PlanRateVersion

    start = datetime(2025, 5, 1, tzinfo=tz)
    plan = CommissionPlan.objects.create(
        brand=product.brand,
        product=product,
        plan_type="open",
        valid_from=start,
        created_by=user,
    )
    version = PlanRateVersion.objects.create(plan=plan, rate_bps=3200, ads_rate_bps=2500, effective_from=start, created_by=user)
    anchors = list(Anchor.objects.order_by("id").values_list("id", flat=True))
    skus = list(Sku.objects.order_by("id").values_list("id", flat=True))
    pairs = {(anchors[n % ANCHORS], skus[n % PRODUCTS]) for n in range(ANCHORS * PRODUCTS)}
    Pick.objects.bulk_create(
        Pick(
            anchor_id=anchor,
            sku_id=sku,
            product=product,
            brand=product.brand,
            state="active",
            plan=plan,
            version=version,
            plan_type="open",
            rate_bps=3200,
            ads_rate_bps=2500,
            frozen_at=start,
            added_by=user,
        )
        for anchor, sku in sorted(pairs)
    )
    evening = datetime(2025, 5, 25, 19, 0, tzinfo=tz)
    LiveSession.objects.bulk_create(
        LiveSession(
            anchor_id=anchor,
            platform="douyin",
            title="压测直播",
            starts_at=evening + timedelta(days=day),
            ends_at=evening + timedelta(days=day, hours=4),
            created_by=user,
        )
        for anchor in anchors
        for day in range(60)
    )


def write_file(path: Path, lines: int, *, settle_every: int = 0) -> None:
    start = datetime(2025, 6, 1, 8, 0, 0)
    with path.open("w", encoding="gb18030", newline="") as out:
        out.write(HEADER)
        for n in range(lines):
            author = f"{60_000_000 + n % ANCHORS}" if n % 50 else "99999999"
            product = 3_500_000_000_000_000_000 + n % PRODUCTS
            pay = 990 + (n * 37) % 50_000
            paid = start + timedelta(seconds=n * 2)
            amount = f"¥{pay // 100:,}.{pay % 100:02d}" if n % 1000 else "¥abc"
            commission = f"¥{pay * 32 // 10000}.{pay * 32 // 100 % 100:02d}"
            settled = settle_every and n % settle_every == 0
            source = "千川" if n % 10 == 0 else "直播"
            status, settle_time = (
                ("订单结算", (paid + timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")) if settled else ("订单付款", "-")
            )
            out.write(
                f'"{6_900_000_000_000_000_000 + n}\t","{product}\t",郫县豆瓣酱 500g,主播,"{author}\t",'
                f"{amount.replace(',', '')},32.00%,"
                f"{commission},-,{commission if settled else '-'},{status},{paid:%Y-%m-%d %H:%M:%S},-,{settle_time},1,"
                f"{source}\r\n"
            )


def step(label: str, path: Path, lines: int) -> dict[str, object]:
    from shuxuan.orders.services import import_path

    started = time.perf_counter()
    report = import_path(source="douyin", path=path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parser_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the parse-ahead process
    result = {
        "step": label,
        "lines": lines,
        "seconds": round(seconds, 1),
        "lines_per_s": round(lines / seconds),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected_count,
        "unattributed": report.unattributed,
        "peak_rss_mb": round(peak_mb),
        "parser_peak_rss_mb": round(parser_mb),
    }
    print(
        f"{label:10} {lines:>10,} lines in {seconds:7.1f} s = {lines / seconds:>9,.0f} lines/s; "
        f"created {report.created:,}, updated {report.updated:,}, unchanged {report.unchanged:,}, "
        f"rejected {report.rejected_count:,}; peak RSS {peak_mb:,.0f} MB (parse process {parser_mb:,.0f} MB)",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="order lines in the file (default 1,000,000)")
    args = parser.parse_args()
    admin_url, bench_url = database_urls()
    fresh_database(admin_url)
    setup_django(bench_url)
    make_world()
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "douyin_export.csv", Path(tmp) / "douyin_export_settled.csv"
        started = time.perf_counter()
        write_file(first, args.lines)
        write_file(second, args.lines, settle_every=10)
        print(f"fresh database {BENCH_DB}; wrote 2 files of {args.lines:,} lines in {time.perf_counter() - started:.1f} s "
              f"({first.stat().st_size / 1e6:.0f} MB each)", flush=True)  # fmt: skip
        results = [
            step("import", first, args.lines),
            step("re-import", first, args.lines),
            step("settle 10%", second, args.lines),
        ]
    print(json.dumps({"bench": "orders_import", "results": results}))


if __name__ == "__main__":
    main()
