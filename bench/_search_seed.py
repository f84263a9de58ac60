"""The search bench's seed: N SKUs (about three per product) of realistic Sichuan products — brand ×
product × spec × origin from `_search_vocab` — loaded into catalog_product, catalog_sku and
catalog_sku_search with COPY, the search columns (jieba terms, n-grams, tsvector) built exactly as the
services build them; the search table's indexes are built after the load; then ANALYZE.

Every random draw happens in one fixed order (brands, then product by product: the product, then its
SKUs), so the same seed gives the same rows.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from _search_vocab import BRAND_KINDS, BRAND_MIDDLES, BRAND_PREFIXES, SELLING_POINTS, VOCAB

PRODUCT_COLS = (
    "id, brand_id, category_id, name, description, selling_points, origin_city, origin_county, is_geographic_indication,"
    " shelf_life_days, ship_from, status, rejection_reason, first_approved_at, created_at, updated_at"
)
SKU_COLS = (
    "id, product_id, brand_id, code, spec, currency, supply_price_minor, retail_price_minor, min_live_price_minor,"
    " max_live_price_minor, created_at"
)
STAGE_COLS = (
    "sku_id, product_id, brand_id, brand_name, category_id, top_category_id, product_name, spec, cover_image, origin_city,"
    " origin_county, is_geographic_indication, status, currency, retail_price_minor, commission_bps, est_earnings_minor,"
    " sales_30d, in_stock, plan_type, listed_at, search_text, terms_a, terms_b, terms_c, terms_d"
)
STATUSES = ["approved"] * 92 + ["submitted"] * 3 + ["draft"] * 3 + ["rejected"] * 2
PLAN_TYPES = ["open"] * 16 + ["targeted"] * 3 + ["exclusive"]


@dataclass
class _World:
    """What every product is drawn from: the categories, the brands by top-level category, the clock."""

    categories: dict[str, Any]
    leaves: list[str]
    by_top: dict[str, list[tuple[int, str]]]
    all_brands: list[tuple[int, str]]
    now: datetime


@dataclass
class _Product:
    """One drawn product: what its SKUs and search rows repeat."""

    id: int
    brand_id: int
    brand_name: str
    leaf_category: Any
    root: Any
    name: str
    city: str
    county: str
    points: list[str]
    status: str
    created: datetime
    approved_at: datetime | None


def seed(n_skus: int, rng: random.Random) -> dict[str, float]:
    from django.db import connection

    from shuxuan.catalog.models import Category

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    categories = {c.code: c for c in Category.objects.select_related("parent")}
    leaves = [code for code in VOCAB if code in categories]
    by_top = _seed_brands(rng)
    all_brands = [item for items in by_top.values() for item in items]
    timings["brands"] = time.perf_counter() - t0

    world = _World(categories, leaves, by_top, all_brands, now=datetime.now(tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM catalog_product")
        product_id = cursor.fetchone()[0]
        index_defs = _prepare_load(cursor)

    t0 = time.perf_counter()
    product_id, sku_id = _copy_catalogue(n_skus, rng, world, product_id)
    timings["copy"] = time.perf_counter() - t0
    timings |= _finish_load(index_defs, product_id, sku_id)
    return timings


def _seed_brands(rng: random.Random) -> dict[str, list[tuple[int, str]]]:
    """Brands: a few hundred per top-level domain, named prefix + middle + kind; answers
    (id, name) pairs by top-level category code."""
    from shuxuan.common.credit_code import make_credit_code
    from shuxuan.parties.models import Organization, OrganizationKind

    orgs = []
    serial = 1
    for kind in BRAND_KINDS.values():
        for prefix in BRAND_PREFIXES:
            for middle in rng.sample(BRAND_MIDDLES, 6):
                orgs.append(
                    Organization(
                        name=f"四川{prefix}{middle}{kind}有限公司",
                        kind=OrganizationKind.BRAND,
                        credit_code=make_credit_code(division="510100", serial=serial),
                        city="成都市",
                    )
                )
                serial += 1
    Organization.objects.bulk_create(orgs, batch_size=2000)
    by_top: dict[str, list[tuple[int, str]]] = {}
    for org in Organization.objects.filter(kind=OrganizationKind.BRAND).values("id", "name"):
        for top, kind in BRAND_KINDS.items():
            if org["name"].endswith(f"{kind}有限公司"):
                by_top.setdefault(top, []).append((org["id"], org["name"]))
    return by_top


def _prepare_load(cursor: Any) -> list[tuple[str, str]]:
    """Drop the search table's secondary indexes for the load (answers their definitions, to rebuild
    them after) and create the unlogged stage table the COPY fills."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalog_sku_search' AND indexname NOT LIKE '%%pkey'"
    )
    index_defs = cursor.fetchall()
    for name, _ in index_defs:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(
        "CREATE UNLOGGED TABLE bench_search_stage (LIKE catalog_sku_search INCLUDING DEFAULTS,"
        " terms_a text, terms_b text, terms_c text, terms_d text)"
    )
    cursor.execute("ALTER TABLE bench_search_stage DROP COLUMN search_vector")
    return index_defs


def _copy_catalogue(n_skus: int, rng: random.Random, world: _World, product_id: int) -> tuple[int, int]:
    """COPY products as they are drawn, then their SKUs and stage rows; answers the last product and
    SKU ids."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    sku_id = 0
    made = 0
    with raw.cursor() as cur:
        with (
            cur.copy(f"COPY catalog_product ({PRODUCT_COLS}) FROM STDIN") as products,
        ):
            sku_rows: list[tuple[Any, ...]] = []
            stage_rows: list[tuple[Any, ...]] = []
            while made < n_skus:
                product_id += 1
                product, product_row = _draw_product(rng, world, product_id)
                products.write_row(product_row)
                for sku_row, stage_row in _draw_skus(rng, product, first_sku_id=sku_id + 1, room=n_skus - made):
                    sku_rows.append(sku_row)
                    stage_rows.append(stage_row)
                    sku_id += 1
                    made += 1
        with cur.copy(f"COPY catalog_sku ({SKU_COLS}) FROM STDIN") as copy:
            for row in sku_rows:
                copy.write_row(row)
        with cur.copy(f"COPY bench_search_stage ({STAGE_COLS}) FROM STDIN") as copy:
            for row in stage_rows:
                copy.write_row(row)
    raw.commit()
    return product_id, sku_id


def _draw_product(rng: random.Random, world: _World, product_id: int) -> tuple[_Product, tuple[Any, ...]]:
    """One product of a random leaf category and a brand of its domain; answers it and its
    catalog_product row."""
    leaf = rng.choice(world.leaves)
    nouns, qualifiers, _specs, origins, _prices = VOCAB[leaf]
    leaf_category = world.categories[leaf]
    root = leaf_category.parent or leaf_category
    brand_id, brand_name = rng.choice(world.by_top.get(root.code) or world.all_brands)
    noun = rng.choice(nouns)
    name = f"{noun} {rng.choice(qualifiers)}" if rng.random() < 0.7 else f"{rng.choice(qualifiers)}{noun}"
    city, county = rng.choice(origins)
    status = rng.choice(STATUSES)
    created = world.now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    approved_at = created + timedelta(days=1) if status in ("approved", "submitted") else None
    points = rng.sample(SELLING_POINTS, 2)
    row = (
        product_id,
        brand_id,
        leaf_category.pk,
        name,
        "",
        points,
        city,
        county,
        rng.random() < 0.3,
        365,
        f"{city}仓",
        status,
        "资料不全" if status == "rejected" else "",
        approved_at,
        created,
        created,
    )
    product = _Product(
        product_id, brand_id, brand_name, leaf_category, root, name, city, county, points, status, created, approved_at
    )
    return product, row


def _draw_skus(
    rng: random.Random, product: _Product, *, first_sku_id: int, room: int
) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Two to four specs of the product (at most `room`), each a catalog_sku row and a stage row with
    its search document, commission, sales and stock."""
    from shuxuan.catalog.services import search_document

    _nouns, _qualifiers, specs, _origins, (low, high) = VOCAB[product.leaf_category.code]
    leaf_category, root = product.leaf_category, product.root
    category_names = [root.name, leaf_category.name] if leaf_category.parent_id else [leaf_category.name]
    chosen_specs = rng.sample(specs, min(len(specs), rng.choice([2, 3, 3, 4])))
    base_retail = rng.randint(low, high) * 100 - rng.choice([0, 10, 100])
    base_retail = max(base_retail, 500)
    rows = []
    for index, spec in enumerate(chosen_specs):
        if index >= room:
            break
        sku_id = first_sku_id + index
        retail = base_retail + index * base_retail // 2
        supply = retail * rng.randint(45, 70) // 100
        sku_row = (
            sku_id,
            product.id,
            product.brand_id,
            f"B{product.id}-{index}",
            spec,
            "CNY",
            supply,
            retail,
            retail * 8 // 10,
            retail,
            product.created,
        )
        doc = search_document(
            name=product.name,
            spec=spec,
            brand_name=product.brand_name,
            origin_city=product.city,
            origin_county=product.county,
            category_names=category_names,
            selling_points=product.points,
        )
        commission = rng.randrange(500, 5001, 100)
        sales = int(rng.paretovariate(1.2) * 10) - 10
        stage_row = (
            sku_id,
            product.id,
            product.brand_id,
            product.brand_name,
            leaf_category.pk,
            root.pk,
            product.name,
            spec,
            "",
            product.city,
            product.county,
            rng.random() < 0.3,
            product.status,
            "CNY",
            retail,
            commission,
            (retail * commission + 5000) // 10000,
            min(sales, 2_000_000),
            rng.random() < 0.85,
            rng.choice(PLAN_TYPES),
            product.approved_at or product.created,
            doc.search_text,
            doc.terms_a,
            doc.terms_b,
            doc.terms_c,
            doc.terms_d,
        )
        rows.append((sku_row, stage_row))
    return rows


def _finish_load(index_defs: list[tuple[str, str]], product_id: int, sku_id: int) -> dict[str, float]:
    """Build the search rows' tsvectors from the stage table, rebuild the indexes, move the id
    sequences past the load, and analyze; answers the timings of each step."""
    from django.db import connection

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        base_cols = STAGE_COLS.rsplit(", terms_a", 1)[0]
        cursor.execute(
            f"INSERT INTO catalog_sku_search ({base_cols}, search_vector) SELECT {base_cols},"
            " setweight(to_tsvector('simple', terms_a), 'A') || setweight(to_tsvector('simple', terms_b), 'B')"
            " || setweight(to_tsvector('simple', terms_c), 'C') || setweight(to_tsvector('simple', terms_d), 'D')"
            " FROM bench_search_stage"
        )
        cursor.execute("DROP TABLE bench_search_stage")
        timings["vectors"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _, definition in index_defs:
            cursor.execute(definition)
        timings["indexes"] = time.perf_counter() - t0
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_product', 'id'), %s)", [product_id])
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_sku', 'id'), %s)", [sku_id])
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalog_sku_search")
        cursor.execute("ANALYZE catalog_product")
        cursor.execute("ANALYZE catalog_sku")
    timings["analyze"] = time.perf_counter() - t0
    return timings
