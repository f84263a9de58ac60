"""Reads of the catalog: management querysets, the review queue, and the selection-center search.

The search reads one table, catalog_sku_search (one row per SKU; docs/decisions/0003-search-design.md):
text through the jieba/n-gram tsvector (GIN) or, for 3+ characters, pg_trgm substrings (GIN); filters
on plain columns; keyset pagination on (sort key, sku_id) with an opaque cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet

from shuxuan.catalog.models import Category, CertificationStatus, PlanType, Product, ProductImage, Sku
from shuxuan.catalog.text import query_terms, tsquery_text
from shuxuan.common.exceptions import DomainError

SORTS = ("relevance", "commission", "earnings", "sales", "newest")
SORT_COLUMNS = {
    "commission": "commission_bps",
    "earnings": "est_earnings_minor",
    "sales": "sales_30d",
    "newest": "listed_at",
}
MAX_PAGE_SIZE = 500
# Retail-price bands of the facet, in minor units (fen): [lower, upper).
PRICE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-50", 0, 5_000),
    ("50-100", 5_000, 10_000),
    ("100-200", 10_000, 20_000),
    ("200-500", 20_000, 50_000),
    ("500+", 50_000, None),
]
TRIGRAM_MIN_CHARS = 3
# Relevance ranks at most this many matches (the best-selling ones); see search_sql.
RELEVANCE_CANDIDATES = 1_000


# ---------------------------------------------------------------------------------------------
# Management reads.


def product_queryset() -> QuerySet[Product]:
    return Product.objects.select_related("brand", "category__parent").prefetch_related(
        Prefetch("skus", queryset=Sku.objects.order_by("id")),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
    )


def review_queue_queryset() -> QuerySet[Product]:
    return product_queryset().exclude(status=CertificationStatus.DRAFT).prefetch_related("decisions")


def category_descendant_ids(category_id: int) -> list[int]:
    parents = dict(Category.objects.values_list("id", "parent_id"))
    if category_id not in parents:
        raise DomainError("类目不存在 / no such category", field="category")
    found = {category_id}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# Selection-center search.


@dataclass
class SearchParams:
    q: str = ""
    category_id: int | None = None
    origin_city: str = ""
    origin_county: str = ""
    price_min_minor: int | None = None
    price_max_minor: int | None = None
    commission_min_bps: int | None = None
    commission_max_bps: int | None = None
    in_stock: bool | None = None
    brand_id: int | None = None
    plan_type: str = ""
    is_geographic_indication: bool | None = None
    statuses: list[str] = field(default_factory=lambda: [CertificationStatus.APPROVED])
    sort: str = ""
    cursor: str = ""
    page_size: int = 20

    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"


@dataclass
class SearchPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None


ROW_COLUMNS = (
    "sku_id",
    "product_id",
    "brand_id",
    "brand_name",
    "category_id",
    "product_name",
    "spec",
    "cover_image",
    "origin_city",
    "origin_county",
    "is_geographic_indication",
    "status",
    "currency",
    "retail_price_minor",
    "commission_bps",
    "est_earnings_minor",
    "sales_30d",
    "in_stock",
    "plan_type",
    "listed_at",
)


def encode_cursor(sort: str, key: Any, sku_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    raw = json.dumps([sort, key, sku_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, sku_id = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise DomainError("无效的游标 / invalid cursor", field="cursor") from None
    if cursor_sort != sort or not isinstance(sku_id, int):
        raise DomainError("游标与排序不符 / cursor belongs to another sort", field="cursor")
    if sort == "newest":
        try:
            key = datetime.fromisoformat(key)
        except (TypeError, ValueError):
            raise DomainError("无效的游标 / invalid cursor", field="cursor") from None
    elif sort == "relevance":
        if not isinstance(key, (int, float)):
            raise DomainError("无效的游标 / invalid cursor", field="cursor")
    elif not isinstance(key, int):
        raise DomainError("无效的游标 / invalid cursor", field="cursor")
    return key, sku_id


def _like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class _Where:
    clauses: list[str]
    params: list[Any]
    tsquery: str | None


def _where(params: SearchParams) -> _Where:
    clauses: list[str] = []
    values: list[Any] = []
    tsquery: str | None = None
    query = params.q.strip()
    if len(query) > 50:
        raise DomainError("搜索词不能超过 50 字 / query longer than 50 characters", field="q")
    if query:
        terms = query_terms(query)
        if terms:
            tsquery = tsquery_text(terms)
        if tsquery and len(query) >= TRIGRAM_MIN_CHARS:
            clauses.append("(search_vector @@ to_tsquery('simple', %s) OR search_text LIKE %s)")
            values += [tsquery, _like_pattern(query)]
        elif tsquery:
            clauses.append("search_vector @@ to_tsquery('simple', %s)")
            values.append(tsquery)
        else:
            clauses.append("search_text LIKE %s")
            values.append(_like_pattern(query))
    if len(params.statuses) == 1:
        clauses.append("status = %s")
        values.append(params.statuses[0])
    elif params.statuses:
        clauses.append("status = ANY(%s)")
        values.append(list(params.statuses))
    if params.category_id is not None:
        ids = category_descendant_ids(params.category_id)
        if _is_root_category(params.category_id):
            clauses.append("top_category_id = %s")
            values.append(params.category_id)
        elif len(ids) == 1:
            clauses.append("category_id = %s")
            values.append(ids[0])
        else:
            clauses.append("category_id = ANY(%s)")
            values.append(ids)
    if params.origin_city:
        clauses.append("origin_city = %s")
        values.append(params.origin_city)
    if params.origin_county:
        clauses.append("origin_county = %s")
        values.append(params.origin_county)
    for column, op, value in (
        ("retail_price_minor", ">=", params.price_min_minor),
        ("retail_price_minor", "<=", params.price_max_minor),
        ("commission_bps", ">=", params.commission_min_bps),
        ("commission_bps", "<=", params.commission_max_bps),
    ):
        if value is not None:
            clauses.append(f"{column} {op} %s")
            values.append(value)
    if params.in_stock is not None:
        clauses.append("in_stock = %s")
        values.append(params.in_stock)
    if params.is_geographic_indication is not None:
        clauses.append("is_geographic_indication = %s")
        values.append(params.is_geographic_indication)
    if params.brand_id is not None:
        clauses.append("brand_id = %s")
        values.append(params.brand_id)
    if params.plan_type:
        if params.plan_type not in PlanType.values:
            raise DomainError(f"未知计划类型 / unknown plan type {params.plan_type!r}", field="plan_type")
        clauses.append("plan_type = %s")
        values.append(params.plan_type)
    return _Where(clauses, values, tsquery)


def _is_root_category(category_id: int) -> bool:
    return Category.objects.filter(pk=category_id, parent__isnull=True).exists()


def search_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page of results (exposed for the benchmark's EXPLAIN).

    Two plans, chosen here rather than left to the planner's independence assumption:
    - one predicate besides status: walk the sort key's btree backwards and filter (stops after a page);
    - two or more predicates (text + filter, filter + filter): the sort key is wrapped (`+ 0`) so the
      planner ANDs the predicates' bitmap indexes and sorts the few rows that survive, instead of
      walking the sort index through rows that a correlated filter rejects.
    Relevance reranks a bounded candidate set: the RELEVANCE_CANDIDATES best-selling matches are
    ranked with ts_rank, so a one-character query that matches 200,000 rows ranks 1,000, not 200,000.
    """
    sort = params.effective_sort()
    if sort not in SORTS:
        raise DomainError(f"未知排序 / unknown sort {sort!r}; one of {', '.join(SORTS)}", field="sort")
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"page_size 须在 1–{MAX_PAGE_SIZE} / page_size must be 1–{MAX_PAGE_SIZE}", field="page_size")
    where = _where(params)
    clauses, values = list(where.clauses), list(where.params)
    selective = len([c for c in clauses if not c.startswith("status ")]) >= 2
    if sort == "relevance" and where.tsquery is None:
        sort = "newest"  # without words there is nothing to rank
    cursor_key: tuple[Any, int] | None = decode_cursor(params.cursor, sort) if params.cursor else None
    where_sql = " AND ".join(clauses) or "true"
    columns = ", ".join(ROW_COLUMNS)
    if sort == "relevance":
        order = "(sales_30d + 0)" if selective else "sales_30d"
        inner = (
            f"SELECT {columns}, search_vector FROM catalog_sku_search WHERE {where_sql}"
            f" ORDER BY {order} DESC, sku_id DESC LIMIT {RELEVANCE_CANDIDATES}"
        )
        rank = "ts_rank(search_vector, to_tsquery('simple', %s))"
        outer_where, outer_values = "", []
        if cursor_key:
            outer_where = f" WHERE ({rank}, sku_id) < (%s::real, %s)"
            outer_values = [where.tsquery, *cursor_key]
        sql = (
            f"SELECT {columns}, {rank} AS sort_key FROM ({inner}) candidates{outer_where}"
            " ORDER BY sort_key DESC, sku_id DESC LIMIT %s"
        )
        return sql, [where.tsquery, *values, *outer_values, params.page_size + 1]
    column = SORT_COLUMNS[sort]
    zero = "interval '0 s'" if sort == "newest" else "0"
    sort_expr = f"({column} + {zero})" if selective else column
    if cursor_key:
        cast = "::timestamptz" if sort == "newest" else "::bigint"
        clauses.append(f"({sort_expr}, sku_id) < (%s{cast}, %s)")
        values += list(cursor_key)
        where_sql = " AND ".join(clauses)
    sql = (
        f"SELECT {columns}, {sort_expr} AS sort_key FROM catalog_sku_search"
        f" WHERE {where_sql} ORDER BY sort_key DESC, sku_id DESC LIMIT %s"
    )
    return sql, [*values, params.page_size + 1]


def selection_search(params: SearchParams) -> SearchPage:
    sql, values = search_sql(params)
    sort = params.effective_sort()
    if sort == "relevance" and not query_terms(params.q):
        sort = "newest"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        names = [col.name for col in cursor.description]
        fetched = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    rows = fetched[: params.page_size]
    next_cursor = None
    if len(fetched) > params.page_size:
        last = rows[-1]
        next_cursor = encode_cursor(sort, last["sort_key"], last["sku_id"])
    return SearchPage(rows=rows, next_cursor=next_cursor)


def selection_facets(params: SearchParams) -> dict[str, list[dict[str, Any]]]:
    """Counts by category, origin city, brand and price band over the rows the filters select
    (in one scan, with GROUPING SETS). A facet does not exclude its own filter."""
    where = _where(params)
    band_sql = (
        "CASE "
        + " ".join(f"WHEN retail_price_minor < {upper} THEN '{label}'" for label, _, upper in PRICE_BANDS if upper is not None)
        + f" ELSE '{PRICE_BANDS[-1][0]}' END"
    )
    sql = f"""
        SELECT GROUPING(category_id) = 0, GROUPING(origin_city) = 0, GROUPING(brand_id) = 0,
               category_id, origin_city, brand_id, max(brand_name), band, count(*)
        FROM (SELECT category_id, origin_city, brand_id, brand_name, {band_sql} AS band
              FROM catalog_sku_search WHERE {" AND ".join(where.clauses) or "true"}) rows
        GROUP BY GROUPING SETS ((category_id), (origin_city), (brand_id), (band))
    """
    facets: dict[str, list[dict[str, Any]]] = {"category": [], "origin_city": [], "brand": [], "price_band": []}
    names = category_names()
    with connection.cursor() as cursor:
        cursor.execute(sql, where.params)
        for by_category, by_city, by_brand, category_id, city, brand_id, brand_name, band, count in cursor.fetchall():
            if by_category:
                facets["category"].append({"id": category_id, "name": names.get(category_id, ""), "count": count})
            elif by_city:
                facets["origin_city"].append({"value": city, "count": count})
            elif by_brand:
                facets["brand"].append({"id": brand_id, "name": brand_name, "count": count})
            else:
                facets["price_band"].append({"value": band, "count": count})
    for key in ("category", "origin_city", "brand"):
        facets[key].sort(key=lambda item: (-item["count"], str(item.get("id", item.get("value")))))
    order = [label for label, _, _ in PRICE_BANDS]
    facets["price_band"].sort(key=lambda item: order.index(item["value"]))
    return facets


def category_names() -> dict[int, str]:
    return dict(Category.objects.values_list("id", "name"))
