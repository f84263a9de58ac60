"""Running a search: the chosen plan's statements in order until a page is found, and the facets."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.db import connection

from shuxuan.catalog.search.cursor import encode_cursor
from shuxuan.catalog.search.params import PRICE_BANDS, RELEVANCE_CANDIDATES, SearchPage, SearchParams
from shuxuan.catalog.search.sql import SearchStatement, _where, search_plan, search_settings
from shuxuan.catalog.selectors import category_names


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
