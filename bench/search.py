"""Benchmark of the selection-center search (catalog_sku_search) at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/search.py --skus 1000000

Creates a fresh database `shuxuan_bench_search` on DATABASE_URL's server and migrates it, then
1. seeds N SKUs (about three per product) of realistic Sichuan products — brand × product × spec ×
   origin from the demo vocabulary — into catalog_product, catalog_sku and catalog_sku_search with
   COPY, the search columns (jieba terms, n-grams, tsvector) built exactly as the services build them;
   the search table's indexes are built after the load; then ANALYZE;
2. runs a fixed mix of 200 queries (1-, 2- and 3+-character queries, with and without filters, every
   sort, first pages and follow-on cursor pages) once to warm the cache, then times it against the
   service layer (`search.selection_search`) and against the HTTP endpoint (Django test Client,
   session-authenticated anchor user), printing p50/p95/p99 of each;
3. EXPLAINs every query of the mix, prints each distinct plan shape, and reports whether any plan
   read catalog_sku_search with a sequential scan.
The last line is one JSON object with the figures. `--reuse` skips the reseed when the database
already holds the requested number of SKUs.
The vocabulary is `_search_vocab.py`, the seed `_search_seed.py`, the query mix and its timing and
EXPLAINs `_search_queries.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _search_queries import explain_all, explain_analyze, query_mix, run_http, run_service, summary
from _search_seed import seed

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_search"


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


def database_exists(admin_url: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is not None


def setup_django(bench_url: str, settings_module: str) -> None:
    sys.path.insert(0, str(REPO / "backend"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--settings", default="config.settings.local", help="Django settings module (default %(default)s)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds --skus SKUs")
    args = parser.parse_args()

    seed_timings = open_database(args)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('catalog_sku_search')) FROM catalog_sku_search")
        rows, size = cursor.fetchone()
    print(f"catalog_sku_search: {rows} rows, {size} with indexes; load average {os.getloadavg()}", flush=True)

    client, url = anchor_client()
    mix = query_mix(random.Random(args.seed + 1))
    print("warm-up pass ...", flush=True)
    run_service(mix)
    service_times, detail = run_service(mix)
    http_times = run_http(mix, client, url)
    service_summary, http_summary = summary(service_times), summary(http_times)
    print("service layer (200 queries):", service_summary)
    print("HTTP endpoint (200 queries):", http_summary)
    print_by_kind(detail, http_times)
    seq_scans = print_plans(detail)
    result = {
        "skus": rows,
        "table_size": size,
        "seed_seconds": {k: round(v, 1) for k, v in seed_timings.items()},
        "service": service_summary,
        "http": http_summary,
        "seq_scans": len(seq_scans),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "target_p95_ms": 50,
        "ok": service_summary["p95_ms"] <= 50 and http_summary["p95_ms"] <= 50 and not seq_scans,
    }
    print(json.dumps(result, ensure_ascii=False))


def open_database(args: argparse.Namespace) -> dict[str, float]:
    """Reuse the bench database when `--reuse` finds it holding `--skus` SKUs; otherwise create it
    afresh, migrate and seed it. Sets Django up on it; answers the seed's timings (none on reuse)."""
    admin_url, bench_url = database_urls()
    reuse = False
    if args.reuse and database_exists(admin_url):
        import psycopg

        with psycopg.connect(bench_url) as conn:
            try:
                count = conn.execute("SELECT count(*) FROM catalog_sku_search").fetchone()[0]  # type: ignore[index]
                reuse = count == args.skus
            except psycopg.Error:
                reuse = False
    if not reuse:
        fresh_database(admin_url)
    setup_django(bench_url, args.settings)
    from django.core.management import call_command

    rng = random.Random(args.seed)
    seed_timings: dict[str, float] = {}
    if not reuse:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        seed_timings["migrate"] = time.perf_counter() - t0
        seed_timings |= seed(args.skus, rng)
        print("seeded", args.skus, "SKUs:", {k: round(v, 1) for k, v in seed_timings.items()}, "seconds", flush=True)
    return seed_timings


def anchor_client() -> tuple[Any, str]:
    """A test Client logged in as the bench's anchor user (an MCN owner), and the selection URL."""
    from django.test import Client
    from django.urls import reverse

    from shuxuan.common.credit_code import make_credit_code
    from shuxuan.parties.models import Organization, OrganizationKind, Role, User

    mcn, _ = Organization.objects.get_or_create(
        credit_code=make_credit_code(division="510100", serial=99_999_999),
        defaults={"name": "基准测试MCN", "kind": OrganizationKind.MCN},
    )
    user, _ = User.objects.get_or_create(username="bench_anchor", defaults={"organization": mcn, "roles": [Role.OWNER]})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client, reverse("catalog-selection-list")


def print_by_kind(detail: list[tuple[float, dict[str, Any], Any]], http_times: list[float]) -> None:
    """Service and HTTP figures by query length and by sort, and the strategies the search ran."""
    by_kind: dict[str, list[float]] = {}
    http_by_kind: dict[str, list[float]] = {}
    strategies: Counter[str] = Counter()
    for (elapsed, query, page), http_elapsed in zip(detail, http_times, strict=True):
        strategies[" then ".join(s.strategy for s in page.statements)] += 1
        q = query.get("q", "")
        kind = "no text" if not q else ("1 char" if len(q) == 1 else "2 chars" if len(q) == 2 else "3+ chars")
        by_kind.setdefault(kind, []).append(elapsed)
        by_kind.setdefault(f"sort={query['sort']}", []).append(elapsed)
        http_by_kind.setdefault(kind, []).append(http_elapsed)
        http_by_kind.setdefault(f"sort={query['sort']}", []).append(http_elapsed)
    for kind, values in sorted(by_kind.items()):
        print(f"  {kind:16s} n={len(values):3d} service", summary(values), "HTTP", summary(http_by_kind[kind]))
    print("statements run (count: strategies):", dict(strategies.most_common()))


def print_plans(detail: list[tuple[float, dict[str, Any], Any]]) -> list[str]:
    """Each distinct plan shape, the queries whose plan read catalog_sku_search sequentially (answered),
    and EXPLAIN ANALYZE of the slowest three."""
    shapes, seq_scans, slowest = explain_all(detail)
    print("\nplan shapes seen (count: shape):")
    for shape, count in shapes.most_common():
        print(f"  {count:3d}: {shape}")
    print(f"\nsequential scans of catalog_sku_search: {len(seq_scans)}")
    for seq_query in seq_scans[:10]:
        print("  ", seq_query)
    print("\nslowest 3 queries, EXPLAIN ANALYZE:")
    for elapsed, slow_query, page in slowest[:3]:
        print(f"--- {elapsed * 1000:.1f} ms  {slow_query}  ({' then '.join(s.strategy for s in page.statements)})")
        for statement in page.statements:
            print(explain_analyze(statement.sql, statement.params))
    return seq_scans


if __name__ == "__main__":
    main()
