"""Reads of the catalog: management querysets, the review queue, and the selection-center search.

The search reads one table, catalog_sku_search (one row per SKU; docs/decisions/0003-search-design.md):
text through the jieba/n-gram tsvector (GIN) or, for 3+ characters, pg_trgm substrings (GIN); filters
on plain columns; keyset pagination on (sort key, sku_id) with an opaque cursor.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
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
    # How the page was read ("probe", "bitmap", "walk") and the statements run, for the benchmark.
    strategy: str = ""
    statements: list[Any] = field(default_factory=list)


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


# ---------------------------------------------------------------------------------------------
# Plan choice from an estimated match count (docs/decisions/0003-search-design.md, "Plans").
#
# A page costs, roughly, the heap rows it reads (each one a random page: ~3 µs from the OS cache,
# shared_buffers being far smaller than the table). Two ways to read a page of N matches, sorted:
# - walk the sort key's btree and filter: about need × rows / N heap rows if the match is spread
#   evenly along the key, but up to the whole table when it is not (cheap goods sorted by earnings);
# - bitmap: read every row that the most selective indexed predicate matches (GIN for text, btree for
#   category, origin, brand, price, commission) and keep the top `need` in a heap sort.
# The walk is therefore always run as a *probe* capped at a number of rows; if the cap runs out
# before a full page is found, the bitmap runs instead. Worst case: probe cap + bitmap, both bounded.

# Below this many rows in the table, every plan is cheap: the bitmap is used.
SMALL_TABLE_ROWS = 20_000
# The first probe walks PROBE_FACTOR × the expected rows (at least PROBE_MIN_ROWS), at most
# FIRST_PROBE_BUDGET × the bitmap's heap rows; each further probe walks PROBE_GROWTH times more,
# restarting from the top (its first rows are then in shared buffers), while the probes together stay
# within PROBE_BUDGET × the bitmap's heap rows and each within PROBE_MAX_ROWS. Then the bitmap runs.
# Worst case: (1 + max(FIRST_PROBE_BUDGET, PROBE_BUDGET)) × the bitmap.
PROBE_FACTOR = 4
PROBE_GROWTH = 4
FIRST_PROBE_BUDGET = 0.5
PROBE_BUDGET = 0.15
PROBE_MIN_ROWS = 200
PROBE_MAX_ROWS = 40_000
# A probe is worth trying only if its cap is at least this many times its expected walk.
PROBE_MARGIN = 1.5
STATS_TTL_SECONDS = 600.0
# Planner settings for the search statements (SET LOCAL, in the search's own transaction):
# no sequential scan of the search table (every statement has an index path), and no JIT, which
# costs 10–40 ms of compilation on the bitmap plans whose estimated cost passes jit_above_cost.
SEARCH_SETTINGS = {"enable_seqscan": "off", "jit": "off"}


@dataclass(frozen=True)
class _Estimate:
    """How a predicate is estimated: ("eq", column, value), ("in", column, values),
    ("range", column, low, high) or ("text", terms)."""

    kind: str
    column: str
    value: Any = None
    high: Any = None
    indexed: bool = True
    # The probe's walk applies this predicate through a composite (predicate, sort key) index.
    scope: bool = False


@dataclass
class _ColumnStats:
    null_frac: float
    n_distinct: float
    mcv: dict[str, float]
    histogram: list[str]
    mce: dict[str, float]


@dataclass
class TableStats:
    """pg_class.reltuples and pg_stats of catalog_sku_search, cached per process for STATS_TTL_SECONDS."""

    rows: float
    columns: dict[str, _ColumnStats]

    def column(self, name: str) -> _ColumnStats | None:
        return self.columns.get(name)


_stats_cache: dict[str, tuple[float, TableStats]] = {}


def _pg_array(text: str | None) -> list[str]:
    if not text:
        return []
    # Values of these columns contain no commas or quotes except the tsvector lexemes, which pg_stats
    # gives as text[] directly (see table_stats).
    return [item.strip('"') for item in text.strip("{}").split(",")] if text != "{}" else []


def table_stats(*, refresh: bool = False) -> TableStats:
    """The search table's planner statistics (rows and per-column MCVs, histograms, lexeme frequencies)."""
    key = connection.alias
    now = time.monotonic()
    cached = _stats_cache.get(key)
    if cached and not refresh and now - cached[0] < STATS_TTL_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        # One statement: the search's query budget allows one extra query per process and TTL.
        cursor.execute(
            "SELECT c.reltuples, s.attname, s.null_frac, s.n_distinct, s.most_common_vals::text, s.most_common_freqs,"
            " s.histogram_bounds::text, s.most_common_elems::text::text[], s.most_common_elem_freqs"
            " FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname"
            " WHERE c.oid = 'catalog_sku_search'::regclass"
        )
        rows = 0.0
        columns = {}
        for reltuples, name, null_frac, n_distinct, mcv, mcv_freqs, histogram, mce, mce_freqs in cursor.fetchall():
            rows = float(reltuples)
            if name is None:
                continue
            values = _pg_array(mcv)
            columns[name] = _ColumnStats(
                null_frac=null_frac or 0.0,
                n_distinct=n_distinct or 0.0,
                mcv=dict(zip(values, mcv_freqs or [], strict=False)),
                histogram=_pg_array(histogram),
                mce=dict(zip(mce or [], mce_freqs or [], strict=False)),
            )
    stats = TableStats(rows=rows, columns=columns)
    _stats_cache[key] = (now, stats)
    return stats


def _as_stat_text(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _eq_selectivity(stats: _ColumnStats, value: Any, rows: float) -> float:
    key = _as_stat_text(value)
    if key in stats.mcv:
        return stats.mcv[key]
    rest = max(0.0, 1.0 - stats.null_frac - sum(stats.mcv.values()))
    distinct = stats.n_distinct if stats.n_distinct > 0 else -stats.n_distinct * rows
    others = distinct - len(stats.mcv)
    return rest / others if others >= 1 else rest


def _range_selectivity(stats: _ColumnStats, low: int | None, high: int | None) -> float:
    def inside(v: float) -> bool:
        return (low is None or v >= low) and (high is None or v <= high)

    selectivity = sum(freq for value, freq in stats.mcv.items() if inside(float(value)))
    bounds = [float(b) for b in stats.histogram]
    if len(bounds) >= 2:
        rest = max(0.0, 1.0 - stats.null_frac - sum(stats.mcv.values()))
        lo = bounds[0] if low is None else max(float(low), bounds[0])
        hi = bounds[-1] if high is None else min(float(high), bounds[-1])
        covered = 0.0
        for left, right in itertools.pairwise(bounds):
            if right <= left:
                covered += 1.0 if lo <= left <= hi else 0.0
                continue
            overlap = min(hi, right) - max(lo, left)
            if overlap > 0:
                covered += overlap / (right - left)
        selectivity += rest * covered / (len(bounds) - 1)
    return min(1.0, selectivity)


def _selectivity(estimate: _Estimate, stats: TableStats) -> float | None:
    column = stats.column(estimate.column)
    if column is None:
        return None
    if estimate.kind == "eq":
        return _eq_selectivity(column, estimate.value, stats.rows)
    if estimate.kind == "in":
        return min(1.0, sum(_eq_selectivity(column, v, stats.rows) for v in estimate.value))
    if estimate.kind == "range":
        return _range_selectivity(column, estimate.value, estimate.high)
    if estimate.kind == "text":
        if not column.mce:
            return None
        floor = min(column.mce.values()) / 2  # a lexeme outside the list is rarer than the rarest listed
        # All terms must match: the rarest one bounds the count.
        return min(column.mce.get(term, floor) for term in estimate.value)
    return None


@dataclass(frozen=True)
class SearchPlanChoice:
    strategy: str  # "probe" (capped walk, then bitmap), "bitmap", or "walk" (no indexed predicate)
    probe_rows: tuple[int, ...] = ()  # the probes' caps, in order
    estimated_matches: float | None = None  # upper bound: the most selective predicate's count
    bitmap_rows: float | None = None  # heap rows the bitmap reads (most selective indexed predicate)
    expected_walk_rows: float | None = None


def choose_plan(estimates: list[_Estimate], need: int, stats: TableStats) -> SearchPlanChoice:
    """Choose how to read the first `need` matches; see the comment above SMALL_TABLE_ROWS."""
    has_index = any(e.indexed for e in estimates)
    if stats.rows < SMALL_TABLE_ROWS:
        return SearchPlanChoice("bitmap" if has_index else "walk")
    rows = stats.rows
    selectivities = [(e, _selectivity(e, stats)) for e in estimates]
    known = [s for _, s in selectivities if s is not None]
    indexed = [1.0 if s is None else s for e, s in selectivities if e.indexed]
    upper = min(known, default=1.0) * rows
    # The walk reads the scope's rows only (a category, through its composite index).
    unscoped = 1.0
    for estimate, selectivity in selectivities:
        if selectivity is not None and not estimate.scope:
            unscoped *= selectivity
    walk = need / max(unscoped, 1.0 / rows)
    if not indexed:
        return SearchPlanChoice("walk", estimated_matches=upper, expected_walk_rows=walk)
    bitmap = min(indexed) * rows
    budget = max(bitmap * PROBE_BUDGET, PROBE_MIN_ROWS)
    probes: list[int] = []
    probe = int(min(max(walk * PROBE_FACTOR, PROBE_MIN_ROWS, need), bitmap * FIRST_PROBE_BUDGET, PROBE_MAX_ROWS))
    if probe >= walk * PROBE_MARGIN and probe >= need:
        probes.append(probe)
        probe *= PROBE_GROWTH
        while probe <= PROBE_MAX_ROWS and sum(probes) + probe <= budget:
            probes.append(probe)
            probe *= PROBE_GROWTH
    if not probes:
        return SearchPlanChoice("bitmap", estimated_matches=upper, bitmap_rows=bitmap, expected_walk_rows=walk)
    return SearchPlanChoice("probe", tuple(probes), upper, bitmap, walk)


# ---------------------------------------------------------------------------------------------
# Statements.


@dataclass
class _Where:
    clauses: list[str]
    params: list[Any]
    tsquery: str | None
    estimates: list[_Estimate] = field(default_factory=list)
    # The certification status and an equality on a category, kept apart: the probe's inner walk applies them.
    status_clauses: list[str] = field(default_factory=list)
    status_params: list[Any] = field(default_factory=list)

    def all(self) -> tuple[list[str], list[Any]]:
        return [*self.status_clauses, *self.clauses], [*self.status_params, *self.params]


def _category_filter(category_id: int) -> tuple[str, Any]:
    parents = dict(Category.objects.values_list("id", "parent_id"))
    if category_id not in parents:
        raise DomainError("类目不存在 / no such category", field="category")
    if parents[category_id] is None:
        return "top_category_id", category_id
    found = {category_id}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    ids = sorted(found)
    return "category_id", ids[0] if len(ids) == 1 else ids


def _where(params: SearchParams) -> _Where:
    clauses: list[str] = []
    values: list[Any] = []
    estimates: list[_Estimate] = []
    tsquery: str | None = None
    query = params.q.strip()
    if len(query) > 50:
        raise DomainError("搜索词不能超过 50 字 / query longer than 50 characters", field="q")
    if query:
        terms = query_terms(query)
        if terms:
            tsquery = tsquery_text(terms)
            estimates.append(_Estimate("text", "search_vector", terms))
        if tsquery and len(query) >= TRIGRAM_MIN_CHARS:
            clauses.append("(search_vector @@ to_tsquery('simple', %s) OR search_text LIKE %s)")
            values += [tsquery, _like_pattern(query)]
        elif tsquery:
            clauses.append("search_vector @@ to_tsquery('simple', %s)")
            values.append(tsquery)
        else:
            clauses.append("search_text LIKE %s")
            values.append(_like_pattern(query))
            # Without a lexeme, only pg_trgm (3+ characters) can serve the pattern.
            estimates.append(_Estimate("unknown", "search_text", indexed=len(query) >= TRIGRAM_MIN_CHARS))
    status_clauses: list[str] = []
    status_values: list[Any] = []
    scope_clauses: list[str] = []
    scope_values: list[Any] = []
    if len(params.statuses) == 1:
        status_clauses.append("status = %s")
        status_values.append(params.statuses[0])
        estimates.append(_Estimate("eq", "status", params.statuses[0], indexed=False))
    elif params.statuses:
        status_clauses.append("status = ANY(%s)")
        status_values.append(list(params.statuses))
        estimates.append(_Estimate("in", "status", list(params.statuses), indexed=False))
    if params.category_id is not None:
        column, value = _category_filter(params.category_id)
        if isinstance(value, list):
            clauses.append(f"{column} = ANY(%s)")
            estimates.append(_Estimate("in", column, value))
            values.append(value)
        else:
            # Equality on a category: the probe walks the (category, sort key, sku_id) index.
            scope_clauses.append(f"{column} = %s")
            scope_values.append(value)
            estimates.append(_Estimate("eq", column, value, scope=True))
    if params.origin_city:
        clauses.append("origin_city = %s")
        values.append(params.origin_city)
        estimates.append(_Estimate("eq", "origin_city", params.origin_city))
    if params.origin_county:
        clauses.append("origin_county = %s")
        values.append(params.origin_county)
        # The origin index leads with the city: the county alone does not use it.
        estimates.append(_Estimate("eq", "origin_county", params.origin_county, indexed=bool(params.origin_city)))
    for column, low, high in (
        ("retail_price_minor", params.price_min_minor, params.price_max_minor),
        ("commission_bps", params.commission_min_bps, params.commission_max_bps),
    ):
        if low is not None:
            clauses.append(f"{column} >= %s")
            values.append(low)
        if high is not None:
            clauses.append(f"{column} <= %s")
            values.append(high)
        if low is not None or high is not None:
            estimates.append(_Estimate("range", column, low, high))
    if params.in_stock is not None:
        clauses.append("in_stock = %s")
        values.append(params.in_stock)
        estimates.append(_Estimate("eq", "in_stock", params.in_stock, indexed=False))
    if params.is_geographic_indication is not None:
        clauses.append("is_geographic_indication = %s")
        values.append(params.is_geographic_indication)
        estimates.append(_Estimate("eq", "is_geographic_indication", params.is_geographic_indication, indexed=False))
    if params.brand_id is not None:
        clauses.append("brand_id = %s")
        values.append(params.brand_id)
        estimates.append(_Estimate("eq", "brand_id", params.brand_id))
    if params.plan_type:
        if params.plan_type not in PlanType.values:
            raise DomainError(f"未知计划类型 / unknown plan type {params.plan_type!r}", field="plan_type")
        clauses.append("plan_type = %s")
        values.append(params.plan_type)
        estimates.append(_Estimate("eq", "plan_type", params.plan_type, indexed=False))
    return _Where(clauses, values, tsquery, estimates, status_clauses + scope_clauses, status_values + scope_values)


@dataclass(frozen=True)
class SearchStatement:
    """One SQL statement of a search. A capped probe (`complete=False`) that returns less than
    `need` rows proves nothing: the next statement of the plan runs."""

    sql: str
    params: list[Any]
    strategy: str
    complete: bool = True


@dataclass
class SearchPlan:
    sort: str
    choice: SearchPlanChoice
    statements: list[SearchStatement]
    # Whether to run the statements under SEARCH_SETTINGS (not on small tables: no need, and it costs
    # a round trip or three).
    settings: bool = True


def _validated_sort(params: SearchParams) -> str:
    sort = params.effective_sort()
    if sort not in SORTS:
        raise DomainError(f"未知排序 / unknown sort {sort!r}; one of {', '.join(SORTS)}", field="sort")
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"page_size 须在 1–{MAX_PAGE_SIZE} / page_size must be 1–{MAX_PAGE_SIZE}", field="page_size")
    return sort


def _matches_sql(
    where: _Where, column: str, strategy: str, limit: int, probe_rows: int, extra: list[tuple[str, list[Any]]]
) -> tuple[str, list[Any]]:
    """SELECT * of the first `limit` matches in (column DESC, sku_id DESC) order, read by `strategy`.
    `extra` are further (clause, params) on the sort key (the keyset cursor), in terms of `column`."""
    if strategy == "probe":
        # The inner walk reads at most probe_rows rows of the status in key order; the outer filter
        # keeps the matches. The subquery's order is the index's: no sort node.
        inner = [*where.status_clauses, *(c for c, _ in extra)]
        inner_params = [*where.status_params, *(p for _, ps in extra for p in ps)]
        sql = (
            f"SELECT * FROM (SELECT * FROM catalog_sku_search WHERE {' AND '.join(inner) or 'true'}"
            f" ORDER BY {column} DESC, sku_id DESC LIMIT {int(probe_rows)}) probe"
            f" WHERE {' AND '.join(where.clauses) or 'true'} ORDER BY {column} DESC, sku_id DESC LIMIT {int(limit)}"
        )
        return sql, [*inner_params, *where.params]
    clauses, values = where.all()
    # The bitmap hides the sort key from the planner (`+ 0`) so that it cannot walk the key's index.
    zero = "interval '0 s'" if column == "listed_at" else "0"
    key = column if strategy == "walk" else f"({column} + {zero})"
    clauses = [*clauses, *(c.replace(column, key) for c, _ in extra)]
    values = [*values, *(p for _, ps in extra for p in ps)]
    sql = (
        f"SELECT * FROM catalog_sku_search WHERE {' AND '.join(clauses) or 'true'}"
        f" ORDER BY {key} DESC, sku_id DESC LIMIT {int(limit)}"
    )
    return sql, values


def search_plan(params: SearchParams, *, strategy: str | None = None, stats: TableStats | None = None) -> SearchPlan:
    """The statements of one page of results, in the order they are tried (exposed for the benchmark).

    `strategy` forces a plan ("probe", "bitmap", "walk"; tests use it to check that all of them
    return the same rows); otherwise it is chosen from the estimated match count (choose_plan).
    Relevance reranks a bounded candidate set: the RELEVANCE_CANDIDATES best-selling matches are
    ranked with ts_rank, so a one-character query that matches 200,000 rows ranks 1,000, not 200,000.
    """
    sort = _validated_sort(params)
    where = _where(params)
    if sort == "relevance" and where.tsquery is None:
        sort = "newest"  # without words there is nothing to rank
    cursor_key: tuple[Any, int] | None = decode_cursor(params.cursor, sort) if params.cursor else None
    need = RELEVANCE_CANDIDATES if sort == "relevance" else params.page_size + 1
    stats = stats if stats is not None else table_stats()
    if strategy is None:
        choice = choose_plan(where.estimates, need, stats)
    else:
        choice = SearchPlanChoice(strategy, (max(need, PROBE_MIN_ROWS),) if strategy == "probe" else ())
    steps = [("probe", rows) for rows in choice.probe_rows]
    steps.append(("bitmap", 0) if choice.strategy == "probe" else (choice.strategy, 0))
    columns = ", ".join(ROW_COLUMNS)
    statements: list[SearchStatement] = []
    for step, probe_rows in steps:
        complete = step != "probe"
        if sort == "relevance":
            inner, inner_params = _matches_sql(where, "sales_30d", step, need, probe_rows, [])
            rank = "ts_rank(search_vector, to_tsquery('simple', %s))"
            outer_where, outer_values = "", []
            if cursor_key:
                outer_where = f" WHERE ({rank}, sku_id) < (%s::real, %s)"
                outer_values = [where.tsquery, *cursor_key]
            sql = (
                f"WITH candidates AS MATERIALIZED ({inner})"
                f" SELECT {columns}, {rank} AS sort_key, (SELECT count(*) FROM candidates) AS candidates_found"
                f" FROM candidates{outer_where} ORDER BY sort_key DESC, sku_id DESC LIMIT %s"
            )
            sql_params = [*inner_params, where.tsquery, *outer_values, params.page_size + 1]
        else:
            column = SORT_COLUMNS[sort]
            extra = []
            if cursor_key:
                cast = "::timestamptz" if sort == "newest" else "::bigint"
                extra.append((f"({column}, sku_id) < (%s{cast}, %s)", list(cursor_key)))
            inner, inner_params = _matches_sql(where, column, step, need, probe_rows, extra)
            sql = f"SELECT {columns}, {column} AS sort_key FROM ({inner}) matches ORDER BY {column} DESC, sku_id DESC"
            sql_params = inner_params
        statements.append(SearchStatement(sql, sql_params, step, complete))
    return SearchPlan(sort, choice, statements, settings=stats.rows >= SMALL_TABLE_ROWS)


def search_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """The first statement of the plan chosen for `params` (kept for callers that EXPLAIN one statement)."""
    statement = search_plan(params).statements[0]
    return statement.sql, statement.params


@contextmanager
def search_settings() -> Iterator[None]:
    """SEARCH_SETTINGS for the statements run inside: SET LOCAL in a transaction of their own, or, when
    the caller already holds a transaction, set locally and restored afterwards."""
    names = list(SEARCH_SETTINGS)
    read = ", ".join(f"current_setting('{name}')" for name in names)
    write = ", ".join(f"set_config('{name}', %s, true)" for name in names)
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {read}, {write}", list(SEARCH_SETTINGS.values()))
            previous = cursor.fetchone()[: len(names)]
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {write}", list(previous))
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {write}", list(SEARCH_SETTINGS.values()))
        yield


def _probe_succeeded(statement: SearchStatement, fetched: list[dict[str, Any]], need: int, relevance: bool) -> bool:
    if statement.complete:
        return True
    if relevance:
        return bool(fetched) and fetched[0]["candidates_found"] >= need
    return len(fetched) >= need


def selection_search(params: SearchParams, *, strategy: str | None = None) -> SearchPage:
    plan = search_plan(params, strategy=strategy)
    relevance = plan.sort == "relevance"
    need = RELEVANCE_CANDIDATES if relevance else params.page_size + 1
    fetched: list[dict[str, Any]] = []
    executed: list[SearchStatement] = []
    with search_settings() if plan.settings else nullcontext(), connection.cursor() as cursor:
        for statement in plan.statements:
            cursor.execute(statement.sql, statement.params)
            executed.append(statement)
            names = [col.name for col in cursor.description]
            fetched = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if _probe_succeeded(statement, fetched, need, relevance):
                break
    for row in fetched:
        row.pop("candidates_found", None)
    rows = fetched[: params.page_size]
    next_cursor = None
    if len(fetched) > params.page_size:
        last = rows[-1]
        next_cursor = encode_cursor(plan.sort, last["sort_key"], last["sku_id"])
    return SearchPage(rows=rows, next_cursor=next_cursor, strategy=executed[-1].strategy, statements=executed)


def selection_facets(params: SearchParams) -> dict[str, list[dict[str, Any]]]:
    """Counts by category, origin city, brand and price band over the rows the filters select
    (in one scan, with GROUPING SETS). A facet does not exclude its own filter."""
    clauses, values = _where(params).all()
    band_sql = (
        "CASE "
        + " ".join(f"WHEN retail_price_minor < {upper} THEN '{label}'" for label, _, upper in PRICE_BANDS if upper is not None)
        + f" ELSE '{PRICE_BANDS[-1][0]}' END"
    )
    sql = f"""
        SELECT GROUPING(category_id) = 0, GROUPING(origin_city) = 0, GROUPING(brand_id) = 0,
               category_id, origin_city, brand_id, max(brand_name), band, count(*)
        FROM (SELECT category_id, origin_city, brand_id, brand_name, {band_sql} AS band
              FROM catalog_sku_search WHERE {" AND ".join(clauses) or "true"}) rows
        GROUP BY GROUPING SETS ((category_id), (origin_city), (brand_id), (band))
    """
    facets: dict[str, list[dict[str, Any]]] = {"category": [], "origin_city": [], "brand": [], "price_band": []}
    names = category_names()
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
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
