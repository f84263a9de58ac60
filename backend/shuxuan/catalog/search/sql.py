"""The search statements: WHERE clauses from the parameters, the plan's statements, and the
planner settings they run under."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from shuxuan.catalog.models import (
    SEARCH_KEY_BUCKETS,
    Category,
    PlanType,
)
from shuxuan.catalog.search.cursor import decode_cursor
from shuxuan.catalog.search.params import (
    MAX_PAGE_SIZE,
    RELEVANCE_CANDIDATES,
    ROW_COLUMNS,
    SORT_COLUMNS,
    SORTS,
    TRIGRAM_MIN_CHARS,
    SearchParams,
    _like_pattern,
)
from shuxuan.catalog.search.planner import (
    PROBE_MIN_ROWS,
    SAMPLE_ROWS,
    SEARCH_SETTINGS,
    SMALL_TABLE_ROWS,
    SearchPlanChoice,
    TableStats,
    _Estimate,
    _selectivity,
    band_query,
    bands_worth_sampling,
    choose_after_sample,
    choose_plan,
    key_bucket,
    table_stats,
)
from shuxuan.catalog.text import query_terms, tsquery_text
from shuxuan.common.exceptions import DomainError

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
    query = params.q.strip()
    if len(query) > 50:
        raise DomainError("搜索词不能超过 50 字 / query longer than 50 characters", field="q")
    clauses, values, estimates, tsquery = _text_where(query)
    status_clauses, status_values = _status_where(params, estimates)
    scope_clauses, scope_values = _category_where(params, clauses, values, estimates)
    _filter_where(params, clauses, values, estimates)
    return _Where(
        clauses,
        values,
        tsquery,
        estimates,
        status_clauses + scope_clauses,
        status_values + scope_values,
        substring=bool(query) and len(query) >= TRIGRAM_MIN_CHARS,
    )


def _text_where(query: str) -> tuple[list[str], list[Any], list[_Estimate], str | None]:
    """The text clause (first of the clauses: the key bands rewrite it), its values and estimate, and
    the tsquery of its words (None without a lexeme)."""
    clauses: list[str] = []
    values: list[Any] = []
    estimates: list[_Estimate] = []
    tsquery: str | None = None
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
    return clauses, values, estimates, tsquery


def _status_where(params: SearchParams, estimates: list[_Estimate]) -> tuple[list[str], list[Any]]:
    """The certification status clause (kept apart: the probe's inner walk applies it)."""
    status_clauses: list[str] = []
    status_values: list[Any] = []
    if len(params.statuses) == 1:
        status_clauses.append("status = %s")
        status_values.append(params.statuses[0])
        estimates.append(_Estimate("eq", "status", params.statuses[0], indexed=False))
    elif params.statuses:
        status_clauses.append("status = ANY(%s)")
        status_values.append(list(params.statuses))
        estimates.append(_Estimate("in", "status", list(params.statuses), indexed=False))
    return status_clauses, status_values


def _category_where(
    params: SearchParams, clauses: list[str], values: list[Any], estimates: list[_Estimate]
) -> tuple[list[str], list[Any]]:
    """A category with children is one more clause; a single category is answered as a scope clause
    for the probe's inner walk."""
    scope_clauses: list[str] = []
    scope_values: list[Any] = []
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
    return scope_clauses, scope_values


def _filter_where(params: SearchParams, clauses: list[str], values: list[Any], estimates: list[_Estimate]) -> None:
    """The other filters (origin, price and commission ranges, stock, geographic indication, brand,
    plan type), appended in that order."""
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
    extra: list[tuple[str, list[Any]]] = []
    if cursor_key and sort != "relevance":
        cast = "::timestamptz" if sort == "newest" else "::bigint"
        extra.append((f"({SORT_COLUMNS[sort]}, sku_id) < (%s{cast}, %s)", list(cursor_key)))

    page = _Page(params, sort, where, cursor_key, need, extra, ", ".join(ROW_COLUMNS))
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
        return SearchPlan(sort, choice, _statements_for(page, choice), settings=settings)
    return _sampled_plan(page, choice, strategy=strategy, stats=stats, band_column=band_column, settings=settings)


@dataclass(frozen=True)
class _Page:
    """One page's search: what every statement of its plan shares."""

    params: SearchParams
    sort: str
    where: _Where
    cursor_key: tuple[Any, int] | None
    need: int
    # Further (clause, params) on the sort key: the keyset cursor.
    extra: list[tuple[str, list[Any]]]
    columns: str


def _statements_for(page: _Page, choice: SearchPlanChoice) -> list[SearchStatement]:
    """The statements of `choice`: its probes, its key bands, then the bitmap (or the forced strategy)."""
    params = page.params
    sort, where, need, cursor_key, extra, columns = page.sort, page.where, page.need, page.cursor_key, page.extra, page.columns
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


def _sampled_plan(
    page: _Page, choice: SearchPlanChoice, *, strategy: str | None, stats: TableStats, band_column: str, settings: bool
) -> SearchPlan:
    """Key bands: a plan that first samples the matches' keys; the plan of the page is made from the
    sample (after_sample), or the page is the sample itself when it holds every match."""
    params = page.params
    sort, where, need, cursor_key, extra, columns = page.sort, page.where, page.need, page.cursor_key, page.extra, page.columns
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
        return SearchPlan(sort, chosen, _statements_for(page, chosen), settings=settings)

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
