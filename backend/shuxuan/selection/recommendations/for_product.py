"""Product → anchors: the candidates (anchors with history near the product's category or with
products its holders also took, and anchors who declare its category), scored."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, Product, Sku
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.selection.models import AnchorProductSales, Pick
from shuxuan.selection.recommendations.history import (
    CATEGORY_ALIASES,
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
    MatchReason,
    _blend,
    _category_signal,
    _commission_signal,
    _conversion_signal,
    _price_signal,
    _region_signal,
)

MAX_CANDIDATE_ANCHORS = 1000  # anchors considered for one product


@dataclass
class AnchorMatch:
    anchor_id: int
    anchor_name: str
    city: str
    sku_id: int
    commission_bps: int
    score: float
    signals: dict[str, float]
    reasons: list[MatchReason]


def recommend_anchors_for_product(
    *, product: Product | None = None, sku: Sku | None = None, limit: int = 10, as_of: datetime | None = None
) -> list[AnchorMatch]:
    """The anchors that best suit a product (or one SKU of it), best first, with the reasons.
    Anchors that already have a pick of the product are left out."""
    if product is None:
        assert sku is not None, "give a product or a SKU"
        product = catalog.products().get(pk=sku.product_id)
    _, picks_q, sales_q = _window(as_of)
    tree = _tree()
    rows = list(
        catalog.search_rows()
        .filter(product_id=product.pk)
        .filter(Q(sku_id=sku.pk) if sku is not None else Q())
        .values("sku_id", "category_id", "top_category_id", "origin_city", "retail_price_minor", "commission_bps")
        .order_by("sku_id")
    )
    if product.status != CertificationStatus.APPROVED or not rows:
        return []
    top_id = rows[0]["top_category_id"]
    holder_items, co_counts, excluded = _holders(product.pk, picks_q, sales_q, tree)
    anchors = _candidate_anchors(top_id, co_counts, excluded, picks_q, sales_q, tree)
    items = _interactions(Q(anchor_id__in=[a.pk for a in anchors]), picks_q, sales_q, tree) if anchors else {}
    profiles = _profiles(anchors, items, tree)
    pop = _popularity(set(co_counts) | {product.pk}, picks_q, sales_q)
    own_pop = max(pop.get(product.pk, 0), 1)
    names = catalog.product_names(list(co_counts)) if co_counts else {}
    similar = _similarity(anchors, profiles, co_counts, pop, own_pop)
    best_similar = max((s for s, _, _ in similar.values()), default=0.0)
    best_row = max(rows, key=lambda r: (r["commission_bps"], -r["sku_id"]))
    results = [
        _anchor_match(
            anchor, profiles[anchor.pk], rows, best_row, similar[anchor.pk], best_similar, len(holder_items), names, tree
        )
        for anchor in anchors
    ]
    results.sort(key=lambda m: (-m.score, m.anchor_id))
    return results[:limit]


def _holders(product_id: int, picks_q: Q, sales_q: Q, tree: Tree) -> tuple[dict[int, dict[int, Item]], dict[int, int], set[int]]:
    """(holders' items, co-taken product -> holders who took it, anchors to leave out): anchors who
    took this product before as_of, and what else they took — the co-occurrence."""
    holders_all = set(Pick.objects.filter(picks_q, product_id=product_id).values_list("anchor_id", flat=True))
    holder_ids = _neighbour_ids({product_id}, 0, picks_q, sales_q)
    holder_items = _interactions(Q(anchor_id__in=holder_ids), picks_q, sales_q, tree) if holder_ids else {}
    co_counts: dict[int, int] = defaultdict(int)
    for anchor_items in holder_items.values():
        for q in anchor_items:
            if q != product_id:
                co_counts[q] += 1
    return holder_items, co_counts, holders_all | set(holder_items)


def _candidate_anchors(
    top_id: int, co_counts: dict[int, int], excluded: set[int], picks_q: Q, sales_q: Q, tree: Tree
) -> list[Anchor]:
    """Candidate anchors: history in the product's top category or with co-taken products, or declared."""
    tops_names = [n for n, t in tree.top_by_name.items() if t == top_id]
    tops_names += [alias for alias, codes in CATEGORY_ALIASES.items() if any(tree.top_by_name.get(c) == top_id for c in codes)]
    near_products = Q(product__category__parent_id=top_id) | Q(product__category_id=top_id) | Q(product_id__in=list(co_counts))
    candidate_ids = set(
        Pick.objects.filter(picks_q, near_products)
        .exclude(anchor_id__in=excluded)
        .values_list("anchor_id", flat=True)
        .distinct()
        .order_by("anchor_id")[:MAX_CANDIDATE_ANCHORS]
    )
    candidate_ids |= set(
        AnchorProductSales.objects.filter(sales_q, near_products)
        .exclude(anchor_id__in=excluded)
        .values_list("anchor_id", flat=True)
        .distinct()
        .order_by("anchor_id")[:MAX_CANDIDATE_ANCHORS]
    )
    declared_q = Q(main_categories__overlap=tops_names) | Q(accounts__main_categories__overlap=tops_names)
    return list(
        parties.anchors()
        .filter(Q(pk__in=candidate_ids) | declared_q)
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("id")[: 2 * MAX_CANDIDATE_ANCHORS]
    )


def _similarity(
    anchors: list[Anchor], profiles: dict[int, Profile], co_counts: dict[int, int], pop: dict[int, int], own_pop: int
) -> dict[int, tuple[float, int | None, int]]:
    """{anchor id: (similarity, the product that contributes most, co-taken count)}."""
    similar: dict[int, tuple[float, int | None, int]] = {}
    for anchor in anchors:
        profile = profiles[anchor.pk]
        score, best, example = 0.0, 0.0, None
        for q, item in profile.items.items():
            c = co_counts.get(q, 0)
            if c:
                s = item.weight * c / math.sqrt(own_pop * max(pop.get(q, 1), 1))
                score += s
                if s > best:
                    best, example = s, q
        similar[anchor.pk] = (score, example, sum(co_counts.get(q, 0) for q in profile.items))
    return similar


def _anchor_match(
    anchor: Anchor,
    profile: Profile,
    rows: Sequence[Mapping[str, Any]],
    best_row: Mapping[str, Any],
    similar: tuple[float, int | None, int],
    best_similar: float,
    holders: int,
    names: dict[int, str],
    tree: Tree,
) -> AnchorMatch:
    """One anchor's signals, reasons and score for the product (the SKU nearest its price band)."""
    category_id, top_id = rows[0]["category_id"], rows[0]["top_category_id"]
    origin_city = rows[0]["origin_city"]
    row = min(rows, key=lambda r: _price_distance(profile, r))
    s, example, _ = similar
    parts = {
        "category": _category_signal(profile, category_id, top_id, tree),
        "similar": (0.0, []),
        "conversion": _conversion_signal(profile, category_id, top_id, tree),
        "price": _price_signal(profile, row["retail_price_minor"]),
        "region": _region_signal(profile, origin_city),
        "commission": _commission_signal(best_row["commission_bps"], False),
        "popularity": (0.0, []),
    }
    if s > 0 and best_similar > 0:
        parts["similar"] = (
            min(1.0, s / best_similar),
            [
                (
                    "similar_products",
                    f"选过本品的 {holders} 位主播也选了你卖过的「{names.get(example or 0, '')}」",
                    f"anchors who took this product also took {names.get(example or 0, '')}, which you have sold",
                )
            ],
        )
    score, signals, reasons = _blend(parts)
    return AnchorMatch(
        anchor_id=anchor.pk,
        anchor_name=anchor.name,
        city=anchor.city,
        sku_id=row["sku_id"],
        commission_bps=best_row["commission_bps"],
        score=score,
        signals=signals,
        reasons=reasons,
    )
