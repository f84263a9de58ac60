"""Reads of the catalog: management querysets, the review queue, and the selection-center search.

The search reads one table, catalog_sku_search (one row per SKU; docs/decisions/0003-search-design.md):
text through the jieba/n-gram tsvector (GIN) or, for 3+ characters, pg_trgm substrings (GIN); filters
on plain columns; keyset pagination on (sort key, sku_id) with an opaque cursor.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import itertools
import json
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from shuxuan.catalog.models import (
    SEARCH_KEY_BUCKETS,
    Category,
    CertificationStatus,
    PlanType,
    Product,
    ProductImage,
    Sku,
)
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
    strategy: str  # "probe" (capped walk, then bitmap), "band" (key bands, then bitmap), "bitmap", or "walk"
    probe_rows: tuple[int, ...] = ()  # the probes' caps, in order
    estimated_matches: float | None = None  # upper bound: the most selective predicate's count
    bitmap_rows: float | None = None  # heap rows the bitmap reads (most selective indexed predicate)
    expected_walk_rows: float | None = None
    band_buckets: tuple[int, ...] = ()  # the key bands' lowest buckets, in order


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


# Key bands (docs/decisions/0003-search-design.md, "Key bands"). search_keys holds, per row, the bucket
# of each sort key as a lexeme, in the same GIN index as search_vector: "the term's matches whose
# earnings are in buckets b and above" is an intersection of posting lists inside the index, and the heap
# reads only those rows, however the term's matches lie along the key (cheap goods sorted by earnings).
# Buckets are monotone in the key, so the band is exactly `key >= lower bound of b`: if it holds `need`
# matches, they are the first `need` of all matches. A band that holds fewer proves nothing.
#
# Where the band starts comes from the matches themselves, not from the table's key distribution (the
# two differ exactly when the term is sorted against the grain): a first statement reads the key of
# SAMPLE_ROWS matches (one GIN bitmap, SAMPLE_ROWS heap rows); with N matches estimated, the k-th largest
# sampled key, k = margin × need × (SAMPLE_ROWS + 1) / N, has about margin × need matches above it.
# The sample also says how far a walk of the key's btree would go (the table's rows above that key): a
# short walk runs as the capped probe instead.
SAMPLE_ROWS = 200
# The band is expected to hold BAND_MARGIN times `need` matches (a page), or BAND_MARGIN_LARGE times
# (relevance's 1,000 candidates: the count varies less, and the band's rows cost more).
BAND_MARGIN = 4
BAND_MARGIN_LARGE = 1.5
# A band that falls short is retried BAND_GROWTH times wider (once), then the bitmap runs.
BAND_GROWTH = 4
# Below this many estimated text matches the bitmap reads them all quickly; above this share of the
# table the term's own posting list is long and a walk finds a page sooner: no bands.
BAND_MIN_MATCHES = 3_000
BAND_MAX_TEXT = 0.15
# With an expected walk this short, the probe (a walk of the key's btree) is cheaper than a band.
BAND_PROBE_WALK = 2_000


def key_bucket(column: str, value: int) -> int:
    """The bucket of a sort-key value, as PostgreSQL's width_bucket(value, bounds) computes it."""
    return bisect.bisect_right(SEARCH_KEY_BUCKETS[column][1], value)


def band_query(column: str, lowest: int, highest: int | None = None) -> str:
    """The tsquery on search_keys for the buckets lowest..highest (default: the top one) of `column`."""
    prefix, bounds, _ = SEARCH_KEY_BUCKETS[column]
    top = len(bounds) if highest is None else min(highest, len(bounds))
    return " | ".join(f"'{prefix}{bucket}'" for bucket in range(lowest, top + 1))


def bands_worth_sampling(estimates: list[_Estimate], stats: TableStats) -> bool:
    """Whether the text's matches are many enough (and no filter's index few enough) for key bands."""
    if stats.rows < SMALL_TABLE_ROWS:
        return False
    text = [e for e in estimates if e.kind == "text"]
    selectivity = _selectivity(text[0], stats) if text else None
    if selectivity is None or not BAND_MIN_MATCHES <= selectivity * stats.rows <= BAND_MAX_TEXT * stats.rows:
        return False
    indexed = [s for e in estimates if e.indexed and e.kind != "text" and (s := _selectivity(e, stats)) is not None]
    return not (indexed and min(indexed) * stats.rows < BAND_MIN_MATCHES)


def choose_after_sample(
    keys: list[Any], *, column: str, need: int, estimated_matches: float, stats: TableStats, margin: float | None = None
) -> SearchPlanChoice:
    """The plan once the keys of (up to) SAMPLE_ROWS matches are known: "band" with its lowest buckets,
    "probe" with its cap when the walk to the sampled threshold is short, or "bitmap"."""
    if len(keys) < SAMPLE_ROWS and margin is None:
        return SearchPlanChoice("bitmap")  # the sample holds every match: there are few
    ordered = sorted(keys, reverse=True)
    margin = margin if margin is not None else (BAND_MARGIN if need < 100 else BAND_MARGIN_LARGE)
    matches = max(estimated_matches, float(len(ordered)))
    k = math.ceil(margin * need * (len(ordered) + 1) / matches)
    if not ordered or k > len(ordered):
        return SearchPlanChoice("bitmap")
    threshold = ordered[k - 1]
    key_stats = stats.column(column)
    if key_stats is not None and stats.rows >= SMALL_TABLE_ROWS:
        walk = _range_selectivity(key_stats, threshold, None) * stats.rows
        if walk <= BAND_PROBE_WALK:
            return SearchPlanChoice("probe", (int(max(walk * PROBE_FACTOR, PROBE_MIN_ROWS, need)),), matches)
    buckets = [key_bucket(column, threshold)]
    if k * BAND_GROWTH <= len(ordered):
        wider = key_bucket(column, ordered[k * BAND_GROWTH - 1])
        if wider < buckets[0]:
            buckets.append(wider)
    return SearchPlanChoice("band", estimated_matches=matches, band_buckets=tuple(buckets))


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
    # The text is also matched as a substring (pg_trgm): key bands cannot narrow that arm.
    substring: bool = False

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
    return _Where(
        clauses,
        values,
        tsquery,
        estimates,
        status_clauses + scope_clauses,
        status_values + scope_values,
        substring=bool(query) and len(query) >= TRIGRAM_MIN_CHARS,
    )


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
    # Key bands: the statement that samples the matches' keys, and what makes the plan of the sample.
    sample: SearchStatement | None = None
    after_sample: Callable[[list[Any]], SearchPlan] | None = None
    page_from_sample: Callable[[list[dict[str, Any]]], list[dict[str, Any]] | None] | None = None


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
    `extra` are further (clause, params) on the sort key (the keyset cursor), in terms of `column`.
    For "band", `probe_rows` is the band's lowest bucket."""
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
    if strategy == "band":
        highest = None
        for _, ps in extra:
            highest = key_bucket(column, ps[0])  # the cursor's bucket: nothing above it is wanted
        band = band_query(column, probe_rows, highest)
        # The text clause comes first in where.clauses; each of its arms is intersected with the band
        # inside its own GIN index (search_vector with search_keys; search_text's trigrams with search_keys).
        if where.substring:
            text = (
                "((search_vector @@ to_tsquery('simple', %s) AND search_keys @@ %s::tsquery)"
                " OR (search_text LIKE %s AND search_keys @@ %s::tsquery))"
            )
            text_values = [where.params[0], band, where.params[1], band]
        else:
            text = "search_vector @@ to_tsquery('simple', %s) AND search_keys @@ %s::tsquery"
            text_values = [where.params[0], band]
        taken = len(text_values) // 2
        clauses = [*where.status_clauses, text, *where.clauses[1:]]
        values = [*where.status_params, *text_values, *where.params[taken:]]
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
    band_column = "sales_30d" if sort == "relevance" else SORT_COLUMNS[sort]
    bands_apply = where.tsquery is not None and band_column in SEARCH_KEY_BUCKETS
    columns = ", ".join(ROW_COLUMNS)
    extra: list[tuple[str, list[Any]]] = []
    if cursor_key and sort != "relevance":
        cast = "::timestamptz" if sort == "newest" else "::bigint"
        extra.append((f"({SORT_COLUMNS[sort]}, sku_id) < (%s{cast}, %s)", list(cursor_key)))

    def statements_for(choice: SearchPlanChoice) -> list[SearchStatement]:
        steps = [("probe", rows) for rows in choice.probe_rows]
        steps += [("band", bucket) for bucket in choice.band_buckets]
        steps.append(("bitmap", 0) if choice.strategy in ("probe", "band") else (choice.strategy, 0))
        statements: list[SearchStatement] = []
        for step, probe_rows in steps:
            complete = step not in ("probe", "band")
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
                inner, inner_params = _matches_sql(where, column, step, need, probe_rows, extra)
                sql = f"SELECT {columns}, {column} AS sort_key FROM ({inner}) matches ORDER BY {column} DESC, sku_id DESC"
                sql_params = inner_params
            statements.append(SearchStatement(sql, sql_params, step, complete))
        return statements

    settings = stats.rows >= SMALL_TABLE_ROWS
    if strategy is None:
        choice = choose_plan(where.estimates, need, stats)
        sample = bands_apply and choice.strategy != "walk" and bands_worth_sampling(where.estimates, stats)
    else:
        choice = SearchPlanChoice(strategy, (max(need, PROBE_MIN_ROWS),) if strategy == "probe" else ())
        sample = strategy == "band" and bands_apply
    if not sample:
        if choice.strategy == "band":
            choice = SearchPlanChoice("bitmap")
        return SearchPlan(sort, choice, statements_for(choice), settings=settings)
    # The keys of some matches (any: the order the bitmap gives), below the cursor if there is one.
    clauses, values = where.all()
    clauses += [c for c, _ in extra]
    values += [p for _, ps in extra for p in ps]
    # Whole rows: when fewer than SAMPLE_ROWS come back they are every match, and the page is made of them.
    if sort == "relevance":
        sort_key, sort_values = "ts_rank(search_vector, to_tsquery('simple', %s))", [where.tsquery]
    else:
        sort_key, sort_values = SORT_COLUMNS[sort], []
    sample_sql = (
        f"SELECT {columns}, {band_column} AS sample_key, {sort_key} AS sort_key FROM catalog_sku_search"
        f" WHERE {' AND '.join(clauses)} LIMIT {SAMPLE_ROWS}"
    )
    estimated = stats.rows  # the matches, with the predicates independent
    for selectivity in (_selectivity(e, stats) for e in where.estimates):
        estimated *= 1.0 if selectivity is None else selectivity

    def after_sample(keys: list[Any]) -> SearchPlan:
        # Forced (tests): a band just wide enough by the sample itself.
        forced = {"margin": 1.0, "estimated_matches": float(len(keys))} if strategy == "band" else {}
        chosen = choose_after_sample(
            keys, column=band_column, need=need, stats=stats, **{"estimated_matches": estimated, **forced}
        )
        return SearchPlan(sort, chosen, statements_for(chosen), settings=settings)

    def page_from_sample(rows: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """The page, when the sample holds every match (fewer than SAMPLE_ROWS); else None."""
        if len(rows) >= SAMPLE_ROWS or strategy == "band":
            return None
        if sort == "relevance" and cursor_key:
            rows = [r for r in rows if (r["sort_key"], r["sku_id"]) < tuple(cursor_key)]
        rows.sort(key=lambda r: (r["sort_key"], r["sku_id"]), reverse=True)
        for row in rows:
            row.pop("sample_key")
        return rows[: params.page_size + 1]

    sample_statement = SearchStatement(sample_sql, [*sort_values, *values], "sample", complete=False)
    return SearchPlan(
        sort,
        choice,
        [],
        settings=settings,
        sample=sample_statement,
        after_sample=after_sample,
        page_from_sample=page_from_sample,
    )


def search_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """The first statement of the plan chosen for `params` (kept for callers that EXPLAIN one statement)."""
    plan = search_plan(params)
    statement = plan.sample or plan.statements[0]
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
        statements = plan.statements
        if plan.sample is not None and plan.after_sample is not None and plan.page_from_sample is not None:
            cursor.execute(plan.sample.sql, plan.sample.params)
            executed.append(plan.sample)
            names = [col.name for col in cursor.description]
            sampled = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            page_rows = plan.page_from_sample(sampled)
            if page_rows is not None:
                fetched, statements = page_rows, []
            else:
                statements = plan.after_sample([row["sample_key"] for row in sampled]).statements
        for statement in statements:
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


def selection_facets(params: SearchParams) -> dict[str, Any]:
    """Counts by category, origin city, brand and price band over the rows the filters select
    (in one scan, with GROUPING SETS), and their total. A facet does not exclude its own filter.
    The total is the price bands' sum: every row falls in exactly one band, so it costs no second scan."""
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
    return {**facets, "total": sum(item["count"] for item in facets["price_band"])}


def category_names() -> dict[int, str]:
    return dict(Category.objects.values_list("id", "name"))
