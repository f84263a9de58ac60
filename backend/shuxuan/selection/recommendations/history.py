"""The history matching reads: what each anchor picked and sold before `as_of`, the category tree,
how many anchors took each product, and each anchor's profile (the signals' input)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from shuxuan.catalog import facade as catalog
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.selection.models import AnchorProductSales, Pick
from shuxuan.selection.selectors import local_day

MAX_NEIGHBOURS = 500  # anchors read for co-occurrence
PRICE_SIGMA_MIN = 0.35  # ln units: the narrowest price band
# Declared main categories that are not a node of the tree: the top-level codes they stand for.
CATEGORY_ALIASES = {
    "食品饮料": ("condiment", "hotpot", "snack", "fresh", "dried"),
    "食品": ("condiment", "hotpot", "snack", "fresh", "dried"),
    "美食": ("condiment", "hotpot", "snack", "fresh", "dried"),
}


@dataclass
class Item:
    product_id: int
    category_id: int
    top_id: int
    origin_city: str
    picked: bool = False
    units: int = 0
    gmv_minor: int = 0
    prices: list[int] = field(default_factory=list)  # retail of picked SKUs and average sold unit prices, fen

    @property
    def weight(self) -> float:
        return 1.0 + math.log1p(max(self.units, 0))


@dataclass
class Profile:
    anchor_id: int
    name: str = ""
    city: str = ""
    cities: set[str] = field(default_factory=set)
    declared: list[str] = field(default_factory=list)
    declared_tops: set[int] = field(default_factory=set)
    items: dict[int, Item] = field(default_factory=dict)

    # Derived by `finish()`.
    leaf: dict[int, float] = field(default_factory=dict)
    top: dict[int, float] = field(default_factory=dict)
    total: float = 0.0
    leaf_counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # leaf -> (items, sold items, units)
    top_counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)  # origin city -> sold items
    price_mu: float | None = None
    price_sigma: float = PRICE_SIGMA_MIN

    def finish(self) -> Profile:
        leaf: dict[int, float] = defaultdict(float)
        top: dict[int, float] = defaultdict(float)
        leaf_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        top_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        origins: dict[str, int] = defaultdict(int)
        logs: list[float] = []
        for item in self.items.values():
            w = item.weight
            leaf[item.category_id] += w
            top[item.top_id] += w
            for counts, key in ((leaf_counts, item.category_id), (top_counts, item.top_id)):
                counts[key][0] += 1
                counts[key][1] += int(item.units > 0)
                counts[key][2] += max(item.units, 0)
            if item.units > 0:
                origins[item.origin_city] += 1
            logs += [math.log(p) for p in item.prices if p > 0]
        self.leaf, self.top, self.total = dict(leaf), dict(top), sum(leaf.values())
        self.leaf_counts = {k: (v[0], v[1], v[2]) for k, v in leaf_counts.items()}
        self.top_counts = {k: (v[0], v[1], v[2]) for k, v in top_counts.items()}
        self.origins = dict(origins)
        if logs:
            self.price_mu = sum(logs) / len(logs)
            var = sum((x - self.price_mu) ** 2 for x in logs) / len(logs)
            self.price_sigma = max(PRICE_SIGMA_MIN, math.sqrt(var))
        return self


@dataclass
class Tree:
    names: dict[int, str]
    top_of: dict[int, int]
    top_by_name: dict[str, int]  # top or leaf name / code -> top id
    by_code: dict[str, int]


def _tree() -> Tree:
    rows = catalog.category_rows()
    names = {pk: name for pk, _, name, _ in rows}
    top_of = {pk: (parent or pk) for pk, _, _, parent in rows}
    by_code = {code: pk for pk, code, _, _ in rows}
    top_by_name: dict[str, int] = {}
    for pk, code, name, _ in rows:
        top_by_name.setdefault(name, top_of[pk])
        top_by_name.setdefault(code, top_of[pk])
    return Tree(names=names, top_of=top_of, top_by_name=top_by_name, by_code=by_code)


def _declared_tops(tree: Tree, declared: list[str]) -> set[int]:
    tops: set[int] = set()
    for name in declared:
        if name in CATEGORY_ALIASES:
            tops |= {tree.by_code[c] for c in CATEGORY_ALIASES[name] if c in tree.by_code}
        elif name in tree.top_by_name:
            tops.add(tree.top_by_name[name])
    return tops


def _window(as_of: datetime | None) -> tuple[datetime, Q, Q]:
    """(moment, pick filter, sales filter): events strictly before `as_of`; with no `as_of`, all up to now."""
    if as_of is None:
        now = timezone.now()
        return now, Q(created_at__lte=now), Q(day__lte=local_day(now))
    return as_of, Q(created_at__lt=as_of), Q(day__lt=local_day(as_of))


def _interactions(anchor_q: Q, picks_q: Q, sales_q: Q, tree: Tree) -> dict[int, dict[int, Item]]:
    """{anchor_id: {product_id: Item}} for the anchors matched by `anchor_q` (two queries)."""
    out: dict[int, dict[int, Item]] = defaultdict(dict)
    picks = Pick.objects.filter(anchor_q, picks_q).values_list(
        "anchor_id", "product_id", "product__category_id", "product__origin_city", "sku__retail_price_minor"
    )
    for anchor_id, product_id, category_id, origin, price in picks:
        item = out[anchor_id].get(product_id)
        if item is None:
            item = out[anchor_id][product_id] = Item(product_id, category_id, tree.top_of.get(category_id, category_id), origin)
        item.picked = True
        item.prices.append(int(price))
    sales = (
        AnchorProductSales.objects.filter(anchor_q, sales_q)
        .values("anchor_id", "product_id", "product__category_id", "product__origin_city")
        .annotate(units=Sum("units"), gmv=Sum("gmv_minor"))
        .order_by()
    )
    for row in sales:
        anchor_id, product_id, category_id = row["anchor_id"], row["product_id"], row["product__category_id"]
        item = out[anchor_id].get(product_id)
        if item is None:
            item = out[anchor_id][product_id] = Item(
                product_id, category_id, tree.top_of.get(category_id, category_id), row["product__origin_city"]
            )
        item.units += int(row["units"] or 0)
        item.gmv_minor += int(row["gmv"] or 0)
        if row["units"]:
            item.prices.append(int(row["gmv"] or 0) // int(row["units"]))
    return out


def _popularity(product_ids: set[int], picks_q: Q, sales_q: Q) -> dict[int, int]:
    """Distinct anchors that picked or sold each product (two queries)."""
    if not product_ids:
        return {}
    pairs = set(
        Pick.objects.filter(picks_q, product_id__in=product_ids).values_list("product_id", "anchor_id").distinct().order_by()
    )
    pairs |= set(
        AnchorProductSales.objects.filter(sales_q, product_id__in=product_ids)
        .values_list("product_id", "anchor_id")
        .distinct()
        .order_by()
    )
    counts: dict[int, int] = defaultdict(int)
    for product_id, _ in pairs:
        counts[product_id] += 1
    return dict(counts)


def _profiles(anchors: list[Anchor], items: dict[int, dict[int, Item]], tree: Tree) -> dict[int, Profile]:
    accounts: dict[int, list[tuple[list[str], str]]] = defaultdict(list)
    for anchor_id, cats, city in (
        parties.anchor_accounts().filter(anchor__in=[a.pk for a in anchors]).values_list("anchor_id", "main_categories", "city")
    ):
        accounts[anchor_id].append((list(cats or []), city))
    out: dict[int, Profile] = {}
    for anchor in anchors:
        declared = list(dict.fromkeys([*anchor.main_categories, *(c for cats, _ in accounts[anchor.pk] for c in cats)]))
        cities = {c for c in [anchor.city, *(city for _, city in accounts[anchor.pk])] if c}
        out[anchor.pk] = Profile(
            anchor_id=anchor.pk,
            name=anchor.name,
            city=anchor.city,
            cities=cities,
            declared=declared,
            declared_tops=_declared_tops(tree, declared),
            items=items.get(anchor.pk, {}),
        ).finish()
    return out


def _price_distance(profile: Profile, row: Mapping[str, Any]) -> float:
    """How far a SKU's price is from the anchor's band (the cheapest SKU for an anchor without one)."""
    price = max(int(row["retail_price_minor"]), 1)
    if profile.price_mu is None:
        return float(price)
    return abs(math.log(price) - profile.price_mu)


def _neighbour_ids(products: set[int], exclude_anchor: int, picks_q: Q, sales_q: Q) -> list[int]:
    """Up to MAX_NEIGHBOURS other anchors who picked or sold any of these products (two queries)."""
    ids = set(
        Pick.objects.filter(picks_q, product_id__in=products)
        .exclude(anchor_id=exclude_anchor)
        .values_list("anchor_id", flat=True)
        .distinct()
        .order_by("anchor_id")[:MAX_NEIGHBOURS]
    )
    if len(ids) < MAX_NEIGHBOURS:
        ids |= set(
            AnchorProductSales.objects.filter(sales_q, product_id__in=products)
            .exclude(anchor_id=exclude_anchor)
            .values_list("anchor_id", flat=True)
            .distinct()
            .order_by("anchor_id")[: MAX_NEIGHBOURS - len(ids)]
        )
    return sorted(ids)
