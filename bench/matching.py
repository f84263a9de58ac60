"""Offline evaluation of people–goods matching (selection.recommendations) on a time split.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/matching.py

Creates a fresh database `shuxuan_bench_matching` on DATABASE_URL's server, migrates it, loads the
demo world (`seed_demo --scale 3`), adds synthetic approved products over every leaf category with
Sichuan origins and log-normal prices, then several hundred anchors whose pick and sales histories
over ~6 months are driven by latent preferences: a few favourite top categories (and leaves within
them), a home city whose goods they favour, a price band, and each product's hidden appeal. Half of
the anchors declare their favourite top categories as main categories; the rest declare nothing.

Split by time: everything before the cut-off (30 days before the end) trains; for each anchor with
history before the cut-off, the test set is its first 3 products picked after it. The recommender
(`recommend_products_for_anchor(as_of=cut-off)`) and a popularity baseline (most anchors before the
cut-off, minus what the anchor already took) each return 10 products; the bench prints hit-rate@10
and NDCG@10 for both side by side, and one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "shuxuan_bench_matching"
DAYS = 180
TEST_DAYS = 30
K = 10
TRUTH = 3


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


def setup_django(bench_url: str, settings_module: str) -> None:
    sys.path.insert(0, str(REPO / "backend"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# The synthetic world.

PRICE_CENTRE_YUAN = {
    "liquor": 199,
    "tea": 129,
    "condiment": 29,
    "hotpot": 39,
    "snack": 35,
    "fresh": 59,
    "dried": 79,
    "shoes": 259,
    "apparel": 199,
    "beauty": 149,
    "digital": 299,
    "craft": 159,
}


def add_products(rng: random.Random, per_leaf: int) -> int:
    from shuxuan.catalog import services as catalog
    from shuxuan.catalog.models import Category
    from shuxuan.catalog.origins import PREFECTURES
    from shuxuan.parties.models import Organization, OrganizationKind, User

    reviewer = User.objects.filter(organization__kind=OrganizationKind.OPERATOR, roles__contains=["reviewer"]).first()
    brands = list(Organization.objects.filter(kind=OrganizationKind.BRAND).order_by("id"))
    owners = {u.organization_id: u for u in User.objects.filter(organization__in=brands, roles__contains=["owner"])}
    brands = [b for b in brands if b.pk in owners]
    cities = sorted({name for name, _ in PREFECTURES.values()})
    made = 0
    for leaf in Category.objects.filter(parent__isnull=False).select_related("parent").order_by("id"):
        centre = PRICE_CENTRE_YUAN.get(leaf.parent.code, 99)  # type: ignore[union-attr]
        home = rng.sample(cities, 3)  # a leaf's goods come mostly from a few prefectures
        for i in range(per_leaf):
            owner = owners[rng.choice(brands).pk]
            price = max(500, int(centre * 100 * math.exp(rng.gauss(0, 0.6))))
            city = rng.choice(home) if rng.random() < 0.7 else rng.choice(cities)
            product = catalog.product_create(
                actor=owner,
                data={"category": leaf.pk, "name": f"{city[:2]}{leaf.name} {i + 1}号", "origin_city": city},
                skus=[
                    {
                        "code": f"BM-{leaf.pk}-{i}",
                        "spec": "标准装",
                        "currency": "CNY",
                        "supply_price_minor": price // 2,
                        "retail_price_minor": price,
                        "min_live_price_minor": price * 4 // 5,
                        "max_live_price_minor": price,
                    }
                ],
            )
            catalog.product_submit(actor=owner, product=product)
            catalog.product_approve(actor=reviewer, product=product)
            made += 1
    return made


def add_history(rng: random.Random, n_anchors: int, start: datetime) -> dict[str, int]:
    """Anchors with latent tastes and their picks and daily sales from `start` over DAYS days."""
    from django.db import connection

    from shuxuan.catalog.models import CertificationStatus, Sku
    from shuxuan.parties.models import Organization, OrganizationKind, User
    from shuxuan.selection.models import AnchorProductSales, Pick, PickState

    mcn = Organization.objects.filter(kind=OrganizationKind.MCN).order_by("id").first()
    actor = User.objects.filter(organization=mcn).order_by("id").first()
    skus = list(
        Sku.objects.filter(product__status=CertificationStatus.APPROVED)
        .select_related("product__category__parent")
        .order_by("product_id", "id")
    )
    by_product: dict[int, Sku] = {}
    for sku in skus:
        by_product.setdefault(sku.product_id, sku)
    products = list(by_product.values())
    tops = sorted({(s.product.category.parent or s.product.category).name for s in products})
    leaves = sorted({s.product.category_id for s in products})
    appeal = {s.product_id: rng.gauss(0, 0.7) for s in products}
    anchors, tastes = _make_anchors(rng, n_anchors, mcn=mcn, tops=tops, leaves=leaves)

    median_log = {}
    for top in tops:
        logs = sorted(
            math.log(s.retail_price_minor) for s in products if (s.product.category.parent or s.product.category).name == top
        )
        median_log[top] = logs[len(logs) // 2]

    picks, when, sales = [], [], []
    for anchor, (favourite, fav_leaves, city, shift, activity) in zip(anchors, tastes, strict=True):
        n = max(4, int(rng.gauss(14, 5) * activity))
        days = sorted(rng.randrange(DAYS) for _ in range(n))
        taken: set[int] = set()
        for day in days:
            sku, u = _choose(rng, products, taken, (favourite, fav_leaves, city, shift), median_log, appeal)
            taken.add(sku.product_id)
            moment = start + timedelta(days=day, hours=rng.randrange(9, 22))
            picks.append(
                Pick(
                    anchor=anchor,
                    sku=sku,
                    product_id=sku.product_id,
                    brand_id=sku.brand_id,
                    mcn=mcn,
                    state=PickState.PENDING,
                    added_by=actor,
                )
            )
            when.append(moment)
            sales += _sales_after(rng, anchor, sku, u, moment, start)
    created = Pick.objects.bulk_create(picks, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE selection_pick SET created_at = %s WHERE id = %s", [(w, p.pk) for p, w in zip(created, when, strict=True)]
        )
    AnchorProductSales.objects.bulk_create(sales, batch_size=2000, ignore_conflicts=True)
    return {"anchors": len(anchors), "products": len(products), "picks": len(created), "sales_rows": len(sales)}


def _make_anchors(
    rng: random.Random, n_anchors: int, *, mcn: Any, tops: list[str], leaves: list[int]
) -> tuple[list[Any], list[tuple[list[str], set[int], str, float, float]]]:
    """The MCN's anchors, each with a latent taste: (favourite tops, favourite leaves, city, price
    shift, activity)."""
    from shuxuan.catalog.origins import PREFECTURES
    from shuxuan.parties.models import Anchor

    cities = sorted({name for name, _ in PREFECTURES.values()})
    weights_city = [6 if c == "成都市" else 1 for c in cities]
    anchors = []
    tastes = []
    for i in range(n_anchors):
        favourite = rng.sample(tops, rng.choice([1, 1, 2, 2, 3]))
        fav_leaves = {leaf for leaf in leaves if rng.random() < 0.35}
        city = rng.choices(cities, weights=weights_city)[0]
        declared = favourite if rng.random() < 0.5 else []
        anchors.append(Anchor(organization=mcn, name=f"基准主播{i:04d}", city=city, main_categories=declared))
        # price centre: near the median price of the favourite categories, shifted per anchor
        tastes.append((favourite, fav_leaves, city, rng.gauss(0, 0.5), rng.uniform(0.5, 2.0)))
    return Anchor.objects.bulk_create(anchors), tastes


def _choose(
    rng: random.Random,
    products: list[Any],
    taken: set[int],
    taste: tuple[list[str], set[int], str, float],
    median_log: dict[str, float],
    appeal: dict[int, float],
) -> tuple[Any, float]:
    """The product an anchor of this taste picks next (Gumbel-max over the utilities), and its utility."""
    favourite, fav_leaves, city, shift = taste
    scored = []
    for sku in products:
        if sku.product_id in taken:
            continue
        top = (sku.product.category.parent or sku.product.category).name
        u = 2.6 if top in favourite else 0.0
        u += 1.0 if sku.product.category_id in fav_leaves and top in favourite else 0.0
        u += 1.2 if sku.product.origin_city == city else 0.0
        z = (math.log(sku.retail_price_minor) - median_log[top] - shift) / 0.6
        u += -0.5 * z * z + appeal[sku.product_id]
        scored.append((u - math.log(-math.log(rng.random() or 1e-12)), sku, u))
    _, sku, u = max(scored, key=lambda t: t[0])
    return sku, u


def _sales_after(rng: random.Random, anchor: Any, sku: Any, u: float, moment: datetime, start: datetime) -> list[Any]:
    """A pick sells with a probability rising with its utility: a few days of daily sales after it,
    within the DAYS window."""
    from shuxuan.selection.models import AnchorProductSales

    sales = []
    if rng.random() < 1 / (1 + math.exp(-(u - 2.0))):
        units = max(1, int(math.exp(rng.gauss(2.5 + 0.3 * u, 0.8))))
        for offset in range(1, 1 + rng.randint(1, 4)):
            sale_day = (moment + timedelta(days=offset)).date()
            if (sale_day - start.date()).days >= DAYS:
                break
            sales.append(
                AnchorProductSales(
                    anchor=anchor,
                    sku=sku,
                    product_id=sku.product_id,
                    day=sale_day,
                    units=units,
                    gmv_minor=units * sku.retail_price_minor,
                )
            )
    return sales


# ---------------------------------------------------------------------------------------------
# Evaluation.


def ndcg(ranked: list[int], truth: set[int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, p in enumerate(ranked[:K]) if p in truth)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(truth), K)))
    return dcg / ideal if ideal else 0.0


def evaluate(cut: datetime, bench_anchor_prefix: str) -> dict[str, object]:
    from collections import defaultdict

    from shuxuan.parties.models import Anchor
    from shuxuan.selection import recommendations
    from shuxuan.selection.models import Pick

    train: dict[int, set[int]] = defaultdict(set)
    for anchor_id, product_id in Pick.objects.filter(created_at__lt=cut).values_list("anchor_id", "product_id"):
        train[anchor_id].add(product_id)
    truth: dict[int, list[int]] = defaultdict(list)
    for anchor_id, product_id in (
        Pick.objects.filter(created_at__gte=cut).order_by("created_at", "id").values_list("anchor_id", "product_id")
    ):
        if product_id not in train[anchor_id] and product_id not in truth[anchor_id] and len(truth[anchor_id]) < TRUTH:
            truth[anchor_id].append(product_id)
    anchors = list(
        Anchor.objects.filter(pk__in=[a for a in truth if train.get(a)], name__startswith=bench_anchor_prefix).order_by("id")
    )
    popular = recommendations.popular_products(limit=K + 60, as_of=cut)
    scores = {"matching": {"hits": 0, "ndcg": 0.0}, "popularity": {"hits": 0, "ndcg": 0.0}}
    latencies = []
    for anchor in anchors:
        relevant = set(truth[anchor.pk])
        t0 = time.perf_counter()
        ranked = [m.product_id for m in recommendations.recommend_products_for_anchor(anchor=anchor, limit=K, as_of=cut)]
        latencies.append(time.perf_counter() - t0)
        baseline = [p for p in popular if p not in train[anchor.pk]][:K]
        for name, ranking in (("matching", ranked), ("popularity", baseline)):
            scores[name]["hits"] += int(bool(relevant & set(ranking[:K])))
            scores[name]["ndcg"] += ndcg(ranking, relevant)
    n = max(len(anchors), 1)
    latencies.sort()
    return {
        "test_anchors": len(anchors),
        "hit_rate_at_10": {k: round(v["hits"] / n, 4) for k, v in scores.items()},
        "ndcg_at_10": {k: round(v["ndcg"] / n, 4) for k, v in scores.items()},
        "latency_ms_p50": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anchors", type=int, default=400)
    parser.add_argument("--per-leaf", type=int, default=8, help="synthetic products per leaf category")
    parser.add_argument("--scale", type=int, default=3, help="seed_demo --scale")
    parser.add_argument("--settings", default="config.settings.local")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    admin_url, bench_url = database_urls()
    fresh_database(admin_url)
    setup_django(bench_url, args.settings)
    from django.core.management import call_command

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=args.scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
    made = add_products(rng, args.per_leaf)
    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    start = end - timedelta(days=DAYS)
    world = add_history(rng, args.anchors, start) | {"synthetic_products": made}
    print("seeded", world, f"in {time.perf_counter() - t0:.0f}s", flush=True)
    cut = start + timedelta(days=DAYS - TEST_DAYS)
    t1 = time.perf_counter()
    result = evaluate(cut, "基准主播")
    print(f"time split at {cut:%Y-%m-%d}: train {DAYS - TEST_DAYS} days, test {TEST_DAYS} days; {result['test_anchors']} anchors")
    print(f"{'':12}{'hit@10':>10}{'NDCG@10':>10}")
    for name in ("matching", "popularity"):
        print(f"{name:12}{result['hit_rate_at_10'][name]:>10.4f}{result['ndcg_at_10'][name]:>10.4f}")  # type: ignore[index]
    print(
        json.dumps({"world": world, "cut": cut.date().isoformat(), **result, "eval_seconds": round(time.perf_counter() - t1, 1)})
    )


if __name__ == "__main__":
    main()
