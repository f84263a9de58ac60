"""The search bench's query mix and its measurements: 200 queries, timed through the service layer
and the HTTP endpoint, then EXPLAINed (`bench/search.py` prints the figures)."""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from _search_vocab import LONG, ONE_CHAR, SORTS, TWO_CHAR, VOCAB


def query_mix(rng: random.Random) -> list[dict[str, Any]]:
    """200 query-string dicts. About a third carry no text; a quarter ask for a second page."""
    from shuxuan.catalog.models import Category

    roots = list(Category.objects.filter(parent__isnull=True).values_list("id", flat=True))
    leaves = list(Category.objects.filter(parent__isnull=False, code__in=list(VOCAB)).values_list("id", flat=True))
    cities = sorted({city for v in VOCAB.values() for city, _ in v[3]})
    counties = sorted({pair for v in VOCAB.values() for pair in v[3]})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT brand_id FROM catalog_sku_search TABLESAMPLE SYSTEM (1) LIMIT 50")
        brand_ids = [row[0] for row in cursor.fetchall()]
    mix: list[dict[str, Any]] = []
    texts = ONE_CHAR + TWO_CHAR + LONG
    while len(mix) < 200:
        params: dict[str, Any] = {}
        kind = rng.random()
        if kind < 0.22:
            params["q"] = rng.choice(ONE_CHAR)
        elif kind < 0.44:
            params["q"] = rng.choice(TWO_CHAR)
        elif kind < 0.70:
            params["q"] = rng.choice(LONG)
        if rng.random() < 0.55:
            for _ in range(rng.choice([1, 1, 2, 3])):
                which = rng.choice(
                    ["category", "category_leaf", "city", "county", "price", "commission", "in_stock", "brand", "plan", "gi"]
                )
                if which == "category":
                    params["category"] = rng.choice(roots)
                elif which == "category_leaf":
                    params["category"] = rng.choice(leaves)
                elif which == "city":
                    params["origin_city"] = rng.choice(cities)
                elif which == "county":
                    params["origin_city"], params["origin_county"] = rng.choice(counties)
                elif which == "price":
                    low = rng.choice([0, 50, 100, 200])
                    params["price_min"], params["price_max"] = str(low), str(low * 2 + 50)
                elif which == "commission":
                    params["commission_min"] = rng.choice([1000, 2000, 3000, 4000])
                elif which == "in_stock":
                    params["in_stock"] = "true"
                elif which == "brand" and brand_ids:
                    params["brand"] = rng.choice(brand_ids)
                elif which == "plan":
                    params["plan_type"] = rng.choice(["open", "targeted"])
                else:
                    params["is_geographic_indication"] = "true"
        params["sort"] = rng.choice(SORTS) if "q" in params else rng.choice(SORTS[1:])
        params["second_page"] = rng.random() < 0.25
        mix.append(params)
    _ = texts
    return mix


def to_search_params(query: dict[str, Any], cursor: str = "") -> Any:
    from shuxuan.catalog.search import SearchParams
    from shuxuan.common.money import to_minor

    return SearchParams(
        q=query.get("q", ""),
        category_id=query.get("category"),
        origin_city=query.get("origin_city", ""),
        origin_county=query.get("origin_county", ""),
        price_min_minor=to_minor(query["price_min"], "CNY") if "price_min" in query else None,
        price_max_minor=to_minor(query["price_max"], "CNY") if "price_max" in query else None,
        commission_min_bps=query.get("commission_min"),
        in_stock=True if query.get("in_stock") == "true" else None,
        is_geographic_indication=True if query.get("is_geographic_indication") == "true" else None,
        brand_id=query.get("brand"),
        plan_type=query.get("plan_type", ""),
        sort=query["sort"],
        cursor=cursor,
        page_size=20,
    )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
        "mean_ms": round(statistics.fmean(values) * 1000, 2),
    }


def run_service(mix: list[dict[str, Any]]) -> tuple[list[float], list[tuple[float, dict[str, Any], Any]]]:
    from shuxuan.catalog.search import selection_search

    timings: list[float] = []
    detail: list[tuple[float, dict[str, Any], Any]] = []
    for query in mix:
        cursor = ""
        if query["second_page"]:
            cursor = selection_search(to_search_params(query)).next_cursor or ""
        params = to_search_params(query, cursor)
        t0 = time.perf_counter()
        page = selection_search(params)
        elapsed = time.perf_counter() - t0
        timings.append(elapsed)
        detail.append((elapsed, query, page))
    return timings, detail


def run_http(mix: list[dict[str, Any]], client: Any, url: str) -> list[float]:
    timings: list[float] = []
    for query in mix:
        qs = {k: v for k, v in query.items() if k != "second_page"}
        if query["second_page"]:
            first = client.get(url + "?" + urlencode(qs))
            assert first.status_code == 200, first.content[:300]
            if first.json()["next"]:
                qs["cursor"] = first.json()["next"]
        t0 = time.perf_counter()
        response = client.get(url + "?" + urlencode(qs))
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, (qs, response.status_code, response.content[:300])
    return timings


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += plan_nodes(child)
    return nodes


def plan_shape(plan: dict[str, Any]) -> str:
    parts = []
    for node in plan_nodes(plan):
        label = node["Node Type"]
        if node.get("Index Name"):
            label += f"[{node['Index Name']}]"
        elif node.get("Relation Name"):
            label += f"[{node['Relation Name']}]"
        parts.append(label)
    return " > ".join(parts)


def explain_all(detail: list[tuple[float, dict[str, Any], Any]]) -> tuple[Counter[str], list[str], list[tuple[float, str, Any]]]:
    """EXPLAIN every statement the search ran (a capped probe, then possibly the bitmap), under the
    search's own planner settings (search.search_settings)."""
    from django.db import connection

    from shuxuan.catalog.search import search_settings

    shapes: Counter[str] = Counter()
    seq_scans: list[str] = []
    slowest: list[tuple[float, str, Any]] = []
    for elapsed, query, page in detail:
        for statement in page.statements:
            with search_settings(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (FORMAT JSON) " + statement.sql, statement.params)
                plan = cursor.fetchone()[0][0]["Plan"]
            shape = f"{statement.strategy}: {plan_shape(plan)}"
            shapes[shape] += 1
            if any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "catalog_sku_search" for n in plan_nodes(plan)):
                seq_scans.append(json.dumps({k: v for k, v in query.items()}, ensure_ascii=False))
        slowest.append((elapsed, json.dumps(query, ensure_ascii=False), page))
    slowest.sort(key=lambda item: -item[0])
    return shapes, seq_scans, slowest[:5]


def explain_analyze(sql: str, values: list[Any]) -> str:
    from django.db import connection

    from shuxuan.catalog.search import search_settings

    with search_settings(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, values)
        return "\n".join(row[0] for row in cursor.fetchall())
