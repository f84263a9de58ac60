"""Anchor → products: the candidates (co-occurrence with similar anchors, search rows in the anchor's
categories, the most sold), scored, and the leading few quoted at the anchor's exact rate."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, Sku
from shuxuan.parties.facade import Anchor
from shuxuan.selection.models import Pick
from shuxuan.selection.recommendations.history import (
    Item,
    Profile,
    Tree,
    _interactions,
    _neighbour_ids,
    _popularity,
    _price_distance,
    _profiles,
    _tree,
    _window,
)
from shuxuan.selection.recommendations.scoring import (
    WEIGHTS,
    MatchReason,
    Said,
    _blend,
    _category_signal,
    _commission_signal,
    _conversion_signal,
    _popularity_signal,
    _price_signal,
    _region_signal,
    _similar_signal,
)
from shuxuan.selection.selectors import rate_quotes

MAX_CANDIDATE_ROWS = 3000  # search rows considered for one anchor
POPULAR_FALLBACK = 200
QUOTED = 60  # candidates whose exact commission is quoted through rate_quotes


@dataclass
class ProductMatch:
    product_id: int
    product_name: str
    sku_id: int
    spec: str
    brand_id: int
    brand_name: str
    category_id: int
    origin_city: str
    retail_price_minor: int
    currency: str
    commission_bps: int
    commission_exact: bool  # True: from rate_quotes for this anchor; False: the public rate of the search row
    score: float
    signals: dict[str, float]
    reasons: list[MatchReason]


def recommend_products_for_anchor(*, anchor: Anchor, limit: int = 10, as_of: datetime | None = None) -> list[ProductMatch]:
    """The approved products that best suit `anchor`, best first, with the reasons."""
    at, picks_q, sales_q = _window(as_of)
    tree = _tree()
    own = _interactions(Q(anchor_id=anchor.pk), picks_q, sales_q, tree).get(anchor.pk, {})
    profile = _profiles([anchor], {anchor.pk: own}, tree)[anchor.pk]
    # Never recommend a product the anchor has a pick of (any state; made before `as_of` when given).
    excluded = set(Pick.objects.filter(picks_q, anchor_id=anchor.pk).values_list("product_id", flat=True)) | set(own)
    cooc, pop = _cooccurrence(anchor.pk, own, excluded, picks_q, sales_q, tree)
    by_product = _candidate_rows(profile, excluded, cooc)
    missing = set(by_product) - set(pop)
    if missing:
        pop |= _popularity(missing, picks_q, sales_q)
    scored = _scored(profile, by_product, cooc, pop, tree)
    # The exact rate for this anchor (exclusive and targeted plans, eligibility) on the leading few.
    results = _quoted(anchor, scored[: max(QUOTED, limit)], by_product, at)
    results.sort(key=lambda m: (-m.score, m.product_id))
    return results[:limit]


@dataclass
class Cooccurrence:
    """What anchors who took this anchor's products also took: a score, the strongest shared product
    (the example a reason names) and the neighbours who took it, per product."""

    score: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    example: dict[int, tuple[float, int]] = field(default_factory=dict)
    anchors: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def _cooccurrence(
    anchor_id: int, own: dict[int, Item], excluded: set[int], picks_q: Q, sales_q: Q, tree: Tree
) -> tuple[Cooccurrence, dict[int, int]]:
    """Co-occurrence: anchors who took any of this anchor's products, and everything they took; with
    the popularity of those products and the anchor's own."""
    cooc = Cooccurrence()
    neighbour_items: dict[int, dict[int, Item]] = {}
    if own:
        neighbour_ids = _neighbour_ids(set(own), anchor_id, picks_q, sales_q)
        if neighbour_ids:
            neighbour_items = _interactions(Q(anchor_id__in=neighbour_ids), picks_q, sales_q, tree)
    candidate_ids = {p for items in neighbour_items.values() for p in items} - excluded
    pop = _popularity(candidate_ids | set(own), picks_q, sales_q)
    for neighbour_id, items in neighbour_items.items():
        shared = [p for p in items if p in own]
        for q in items:
            if q in excluded:
                continue
            for p in shared:
                s = own[p].weight / math.sqrt(max(pop.get(p, 1), 1) * max(pop.get(q, 1), 1))
                cooc.score[q] += s
                cooc.anchors[q].add(neighbour_id)
                if s > cooc.example.get(q, (0.0, 0))[0]:
                    cooc.example[q] = (s, p)
    return cooc, pop


CANDIDATE_FIELDS = (
    "sku_id",
    "product_id",
    "product_name",
    "spec",
    "brand_id",
    "brand_name",
    "category_id",
    "top_category_id",
    "origin_city",
    "retail_price_minor",
    "currency",
    "commission_bps",
    "sales_30d",
)


def _candidate_rows(profile: Profile, excluded: set[int], cooc: Cooccurrence) -> dict[int, dict[str, Any]]:
    """Candidates: search rows in the anchor's categories or from co-occurrence, and the most sold;
    per product the SKU nearest the anchor's price band (two queries)."""
    rows_q = Q(status=CertificationStatus.APPROVED) & ~Q(product_id__in=excluded)
    interest = set(profile.top) | profile.declared_tops
    rows = list(
        catalog.search_rows()
        .filter(rows_q & (Q(top_category_id__in=interest) | Q(product_id__in=list(cooc.score))))
        .order_by("-sales_30d", "sku_id")
        .values(*CANDIDATE_FIELDS)[:MAX_CANDIDATE_ROWS]
    )
    rows += list(
        catalog.search_rows().filter(rows_q).order_by("-sales_30d", "sku_id").values(*CANDIDATE_FIELDS)[:POPULAR_FALLBACK]
    )
    by_product: dict[int, dict[str, Any]] = {}
    for row in rows:
        current = by_product.get(row["product_id"])
        if current is None or _price_distance(profile, row) < _price_distance(profile, current):
            by_product[row["product_id"]] = row
    return by_product


def _scored(
    profile: Profile, by_product: dict[int, dict[str, Any]], cooc: Cooccurrence, pop: dict[int, int], tree: Tree
) -> list[tuple[float, int, dict[str, tuple[float, Said]]]]:
    """Every candidate's signals and blended score at its public rate, best first (one query: the
    names of the co-occurrence examples)."""
    best_pop = max((pop.get(p, 0) for p in by_product), default=0)
    best_cooc = max(cooc.score.values(), default=0.0)
    names = catalog.product_names([e[1] for e in cooc.example.values()])

    scored: list[tuple[float, int, dict[str, tuple[float, Said]]]] = []
    for product_id, row in by_product.items():
        top_id = row["top_category_id"]
        example = cooc.example.get(product_id)
        parts = {
            "category": _category_signal(profile, row["category_id"], top_id, tree),
            "similar": _similar_signal(
                cooc.score.get(product_id, 0.0),
                best_cooc,
                names.get(example[1]) if example else None,
                len(cooc.anchors.get(product_id, ())),
            ),
            "conversion": _conversion_signal(profile, row["category_id"], top_id, tree),
            "price": _price_signal(profile, row["retail_price_minor"]),
            "region": _region_signal(profile, row["origin_city"]),
            "commission": _commission_signal(row["commission_bps"], False),
            "popularity": _popularity_signal(pop.get(product_id, 0), best_pop),
        }
        score = sum(WEIGHTS[n] * v for n, (v, _) in parts.items())
        scored.append((score, product_id, parts))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return scored


def _quoted(
    anchor: Anchor,
    head: list[tuple[float, int, dict[str, tuple[float, Said]]]],
    by_product: dict[int, dict[str, Any]],
    at: datetime,
) -> list[ProductMatch]:
    """The leading candidates re-scored at the rate `rate_quotes` gives this anchor."""
    quotes = rate_quotes(
        anchor=anchor,
        skus=[Sku(pk=by_product[pid]["sku_id"], product_id=pid) for _, pid, _ in head],
        at=at,
    )
    exact = {q.sku_id: q.rate_bps or 0 for q in quotes}
    results: list[ProductMatch] = []
    for _, product_id, parts in head:
        row = by_product[product_id]
        bps = exact.get(row["sku_id"], row["commission_bps"])
        parts["commission"] = _commission_signal(bps, True)
        score, signals, reasons = _blend(parts)
        results.append(
            ProductMatch(
                product_id=product_id,
                product_name=row["product_name"],
                sku_id=row["sku_id"],
                spec=row["spec"],
                brand_id=row["brand_id"],
                brand_name=row["brand_name"],
                category_id=row["category_id"],
                origin_city=row["origin_city"],
                retail_price_minor=row["retail_price_minor"],
                currency=row["currency"],
                commission_bps=bps,
                commission_exact=True,
                score=score,
                signals=signals,
                reasons=reasons,
            )
        )
    return results


# ---------------------------------------------------------------------------------------------
# The evaluation's baseline.


def popular_products(*, limit: int = 10, as_of: datetime | None = None, exclude: set[int] | None = None) -> list[int]:
    """Approved products by how many anchors picked or sold them before `as_of` (then by id)."""
    _, picks_q, sales_q = _window(as_of)
    approved = set(catalog.products().filter(status=CertificationStatus.APPROVED).values_list("pk", flat=True))
    pop = _popularity(approved, picks_q, sales_q)
    ranked = sorted(approved - (exclude or set()), key=lambda p: (-pop.get(p, 0), p))
    return ranked[:limit]
