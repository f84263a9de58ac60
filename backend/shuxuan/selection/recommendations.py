"""People–goods matching (人货匹配, action plan 三(一)5): which products suit an anchor, which anchors
suit a product, and why.

The score is a fixed blend of explainable signals in [0, 1], each learned from the history of
picks (`Pick`, implicit interest) and daily sales (`AnchorProductSales`, implicit conversion) before
`as_of` — nothing after it is read, so an evaluation on a time split is honest:

| signal | weight | what it measures |
|---|---|---|
| category | 0.30 | share of the anchor's picks/sales in the product's leaf and top category, plus the declared main categories |
| similar anchors | 0.25 | item–item co-occurrence: anchors who took what this anchor took also took this (cosine) |
| conversion | 0.15 | how the anchor's earlier picks in the same category sold (sold share × units per product) |
| price band | 0.12 | the product's retail price against the anchor's log-price band of picked and sold goods |
| region | 0.08 | origin city = anchor's city, or the anchor already sells goods of that origin, or both in Sichuan |
| commission | 0.07 | the rate `rate_quotes` would give the anchor now (anchor → products), the public rate otherwise |
| popularity | 0.03 | how many anchors took the product (a tie-breaker, and the evaluation's baseline on its own) |

An interaction's weight is 1 + ln(1 + units sold). Only approved products are recommended; a
product the anchor already has a pick of (any state) is never recommended to it. Each call runs a
fixed number of queries whatever the number of candidates (neighbours and candidates are capped).
Scores are floats: they are rankings, never money. Reasons carry Chinese and English text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from shuxuan.catalog.models import Category, CertificationStatus, Product, Sku, SkuSearchRow
from shuxuan.catalog.origins import PREFECTURES
from shuxuan.parties.models import Anchor, AnchorAccount
from shuxuan.selection.models import AnchorProductSales, Pick
from shuxuan.selection.selectors import local_day, rate_quotes

WEIGHTS = {
    "category": 0.30,
    "similar": 0.25,
    "conversion": 0.15,
    "price": 0.12,
    "region": 0.08,
    "commission": 0.07,
    "popularity": 0.03,
}
MAX_NEIGHBOURS = 500  # anchors read for co-occurrence
MAX_CANDIDATE_ROWS = 3000  # search rows considered for one anchor
MAX_CANDIDATE_ANCHORS = 1000  # anchors considered for one product
POPULAR_FALLBACK = 200
QUOTED = 60  # candidates whose exact commission is quoted through rate_quotes
COMMISSION_FULL_BPS = 3000  # a 30% rate scores 1
PRICE_SIGMA_MIN = 0.35  # ln units: the narrowest price band
SICHUAN_CITIES = {name for name, _ in PREFECTURES.values()}
# Declared main categories that are not a node of the tree: the top-level codes they stand for.
CATEGORY_ALIASES = {
    "食品饮料": ("condiment", "hotpot", "snack", "fresh", "dried"),
    "食品": ("condiment", "hotpot", "snack", "fresh", "dried"),
    "美食": ("condiment", "hotpot", "snack", "fresh", "dried"),
}


@dataclass(frozen=True)
class MatchReason:
    code: str
    zh: str
    en: str
    contribution: float  # weight × signal: how much of the score this reason explains

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "contribution": round(self.contribution, 4)}


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


# ---------------------------------------------------------------------------------------------
# History: what each anchor picked and sold before `as_of`.


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
    rows = list(Category.objects.values_list("pk", "code", "name", "parent_id"))
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
    for anchor_id, cats, city in AnchorAccount.objects.filter(anchor__in=[a.pk for a in anchors]).values_list(
        "anchor_id", "main_categories", "city"
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


# ---------------------------------------------------------------------------------------------
# Signals. Each returns (value in [0, 1], reasons without contribution yet as (code, zh, en)).

Said = list[tuple[str, str, str]]


def _yuan(minor: int) -> str:
    return f"{minor // 100}" if minor % 100 == 0 else f"{minor // 100}.{minor % 100:02d}"


def _pct(bps: int) -> str:
    return f"{bps // 100}.{bps % 100:02d}%"


def _category_signal(profile: Profile, category_id: int, top_id: int, tree: Tree) -> tuple[float, Said]:
    said: Said = []
    leaf_name, top_name = tree.names.get(category_id, ""), tree.names.get(top_id, "")
    history = 0.0
    if profile.total > 0:
        leaf_share = profile.leaf.get(category_id, 0.0) / profile.total
        top_share = profile.top.get(top_id, 0.0) / profile.total
        history = min(1.0, 1.5 * leaf_share + 0.75 * top_share)
        n_leaf = profile.leaf_counts.get(category_id, (0, 0, 0))[0]
        n_top = profile.top_counts.get(top_id, (0, 0, 0))[0]
        if n_leaf:
            said.append(
                (
                    "category_history",
                    f"过往选品/出单 {len(profile.items)} 款中有 {n_leaf} 款属于「{leaf_name}」",
                    f"{n_leaf} of {len(profile.items)} products picked or sold before are in {leaf_name}",
                )
            )
        elif n_top:
            said.append(
                (
                    "category_history",
                    f"过往选品/出单 {len(profile.items)} 款中有 {n_top} 款属于「{top_name}」",
                    f"{n_top} of {len(profile.items)} products picked or sold before are in {top_name}",
                )
            )
    declared = top_id in profile.declared_tops
    if declared:
        said.append(("main_category", f"「{top_name}」是主营类目", f"{top_name} is one of the anchor's main categories"))
    return min(1.0, history + (0.4 if declared else 0.0)), said


def _similar_signal(score: float, best: float, example: str | None, neighbours: int) -> tuple[float, Said]:
    if score <= 0 or best <= 0:
        return 0.0, []
    value = min(1.0, score / best)
    zh = f"与你选品相似的 {neighbours} 位主播也选了它" + (f"（如同选「{example}」）" if example else "")
    en = f"{neighbours} anchors with picks like yours also took it" + (f" (e.g. alongside {example})" if example else "")
    return value, [("similar_anchors", zh, en)]


def _conversion_signal(profile: Profile, category_id: int, top_id: int, tree: Tree) -> tuple[float, Said]:
    for key, counts, factor in (
        (category_id, profile.leaf_counts, 1.0),
        (top_id, profile.top_counts, 0.6),
    ):
        n, sold, units = counts.get(key, (0, 0, 0))
        if n == 0:
            continue
        name = tree.names.get(key, "")
        if sold == 0:
            return 0.0, [
                (
                    "conversion_none",
                    f"「{name}」类过往 {n} 款尚未出单",
                    f"none of the {n} earlier products in {name} has sold yet",
                )
            ]
        value = factor * (sold / n) * min(1.0, math.log1p(units / sold) / math.log1p(500))
        return value, [
            (
                "conversion",
                f"「{name}」类过往 {n} 款中 {sold} 款出单，共售 {units} 件",
                f"{sold} of {n} earlier products in {name} sold, {units} units in all",
            )
        ]
    return 0.0, []


def _price_signal(profile: Profile, price_minor: int) -> tuple[float, Said]:
    if profile.price_mu is None or price_minor <= 0:
        return 0.5, []
    z = (math.log(price_minor) - profile.price_mu) / profile.price_sigma
    value = math.exp(-0.5 * z * z)
    low = int(math.exp(profile.price_mu - profile.price_sigma))
    high = int(math.exp(profile.price_mu + profile.price_sigma))
    band_zh, band_en = f"¥{_yuan(low)}–¥{_yuan(high)}", f"¥{_yuan(low)}–{_yuan(high)}"
    price = _yuan(price_minor)
    if abs(z) <= 1:
        return value, [("price_band", f"¥{price} 在常卖价格带 {band_zh} 内", f"¥{price} is within the usual band {band_en}")]
    side_zh, side_en = ("高于", "above") if z > 0 else ("低于", "below")
    zh, en = f"¥{price} {side_zh}常卖价格带 {band_zh}", f"¥{price} is {side_en} the usual band {band_en}"
    return value, [("price_band_off", zh, en)]


def _region_signal(profile: Profile, origin_city: str) -> tuple[float, Said]:
    if origin_city and origin_city in profile.cities:
        zh, en = f"产地{origin_city}与主播同城，本地粉丝认同度高", f"made in {origin_city}, the anchor's own city"
        return 1.0, [("region_same_city", zh, en)]
    sold = profile.origins.get(origin_city, 0)
    if sold:
        return 0.7, [
            ("region_history", f"已卖过 {sold} 款{origin_city}产品", f"has sold {sold} products from {origin_city} before")
        ]
    if origin_city in SICHUAN_CITIES and profile.cities & SICHUAN_CITIES:
        zh, en = f"产地{origin_city}，川货川播", f"made in {origin_city}, Sichuan goods for a Sichuan anchor"
        return 0.3, [("region_province", zh, en)]
    return 0.0, []


def _commission_signal(bps: int, exact: bool) -> tuple[float, Said]:
    if bps <= 0:
        return 0.0, [("commission_none", "暂无适用的佣金计划", "no commission plan applies yet")]
    value = min(1.0, bps / COMMISSION_FULL_BPS)
    if exact:
        return value, [("commission", f"可得佣金率 {_pct(bps)}", f"commission {_pct(bps)} would apply")]
    return value, [("commission_public", f"公开佣金率 {_pct(bps)}", f"public commission {_pct(bps)}")]


def _popularity_signal(count: int, best: int) -> tuple[float, Said]:
    if count <= 0 or best <= 0:
        return 0.0, []
    return math.log1p(count) / math.log1p(best), [
        ("popular", f"已有 {count} 位主播选品或带货", f"{count} anchors have picked or sold it")
    ]


def _blend(parts: dict[str, tuple[float, Said]]) -> tuple[float, dict[str, float], list[MatchReason]]:
    signals = {name: round(value, 4) for name, (value, _) in parts.items()}
    score = sum(WEIGHTS[name] * value for name, (value, _) in parts.items())
    reasons = [MatchReason(code, zh, en, WEIGHTS[name] * value) for name, (value, said) in parts.items() for code, zh, en in said]
    reasons.sort(key=lambda r: -r.contribution)
    return round(score, 6), signals, reasons


# ---------------------------------------------------------------------------------------------
# Anchor → products.


def recommend_products_for_anchor(*, anchor: Anchor, limit: int = 10, as_of: datetime | None = None) -> list[ProductMatch]:
    """The approved products that best suit `anchor`, best first, with the reasons."""
    at, picks_q, sales_q = _window(as_of)
    tree = _tree()
    own = _interactions(Q(anchor_id=anchor.pk), picks_q, sales_q, tree).get(anchor.pk, {})
    profile = _profiles([anchor], {anchor.pk: own}, tree)[anchor.pk]
    # Never recommend a product the anchor has a pick of (any state; made before `as_of` when given).
    excluded = set(Pick.objects.filter(picks_q, anchor_id=anchor.pk).values_list("product_id", flat=True)) | set(own)

    # Co-occurrence: anchors who took any of this anchor's products, and everything they took.
    cooc: dict[int, float] = defaultdict(float)
    cooc_example: dict[int, tuple[float, int]] = {}
    cooc_anchors: dict[int, set[int]] = defaultdict(set)
    neighbour_items: dict[int, dict[int, Item]] = {}
    if own:
        neighbour_ids = _neighbour_ids(set(own), anchor.pk, picks_q, sales_q)
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
                cooc[q] += s
                cooc_anchors[q].add(neighbour_id)
                if s > cooc_example.get(q, (0.0, 0))[0]:
                    cooc_example[q] = (s, p)

    # Candidates: search rows in the anchor's categories or from co-occurrence, and the most sold.
    rows_q = Q(status=CertificationStatus.APPROVED) & ~Q(product_id__in=excluded)
    interest = set(profile.top) | profile.declared_tops
    fields = (
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
    rows = list(
        SkuSearchRow.objects.filter(rows_q & (Q(top_category_id__in=interest) | Q(product_id__in=list(cooc))))
        .order_by("-sales_30d", "sku_id")
        .values(*fields)[:MAX_CANDIDATE_ROWS]
    )
    rows += list(SkuSearchRow.objects.filter(rows_q).order_by("-sales_30d", "sku_id").values(*fields)[:POPULAR_FALLBACK])
    by_product: dict[int, dict[str, Any]] = {}
    for row in rows:
        current = by_product.get(row["product_id"])
        if current is None or _price_distance(profile, row) < _price_distance(profile, current):
            by_product[row["product_id"]] = row
    missing = set(by_product) - set(pop)
    if missing:
        pop |= _popularity(missing, picks_q, sales_q)
    best_pop = max((pop.get(p, 0) for p in by_product), default=0)
    best_cooc = max(cooc.values(), default=0.0)
    names = dict(Product.objects.filter(pk__in=[e[1] for e in cooc_example.values()]).values_list("pk", "name"))

    scored: list[tuple[float, int, dict[str, tuple[float, Said]]]] = []
    for product_id, row in by_product.items():
        top_id = row["top_category_id"]
        example = cooc_example.get(product_id)
        parts = {
            "category": _category_signal(profile, row["category_id"], top_id, tree),
            "similar": _similar_signal(
                cooc.get(product_id, 0.0),
                best_cooc,
                names.get(example[1]) if example else None,
                len(cooc_anchors.get(product_id, ())),
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

    # The exact rate for this anchor (exclusive and targeted plans, eligibility) on the leading few.
    head = scored[: max(QUOTED, limit)]
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
    results.sort(key=lambda m: (-m.score, m.product_id))
    return results[:limit]


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


# ---------------------------------------------------------------------------------------------
# Product → anchors.


def recommend_anchors_for_product(
    *, product: Product | None = None, sku: Sku | None = None, limit: int = 10, as_of: datetime | None = None
) -> list[AnchorMatch]:
    """The anchors that best suit a product (or one SKU of it), best first, with the reasons.
    Anchors that already have a pick of the product are left out."""
    if product is None:
        assert sku is not None, "give a product or a SKU"
        product = Product.objects.get(pk=sku.product_id)
    _, picks_q, sales_q = _window(as_of)
    tree = _tree()
    rows = list(
        SkuSearchRow.objects.filter(product_id=product.pk)
        .filter(Q(sku_id=sku.pk) if sku is not None else Q())
        .values("sku_id", "category_id", "top_category_id", "origin_city", "retail_price_minor", "commission_bps")
        .order_by("sku_id")
    )
    if product.status != CertificationStatus.APPROVED or not rows:
        return []
    category_id, top_id = rows[0]["category_id"], rows[0]["top_category_id"]
    origin_city = rows[0]["origin_city"]

    holders_all = set(Pick.objects.filter(picks_q, product_id=product.pk).values_list("anchor_id", flat=True))
    # Anchors who took this product before as_of, and what else they took: the co-occurrence.
    holder_ids = _neighbour_ids({product.pk}, 0, picks_q, sales_q)
    holder_items = _interactions(Q(anchor_id__in=holder_ids), picks_q, sales_q, tree) if holder_ids else {}
    co_counts: dict[int, int] = defaultdict(int)
    for anchor_items in holder_items.values():
        for q in anchor_items:
            if q != product.pk:
                co_counts[q] += 1
    excluded = holders_all | set(holder_items)

    # Candidate anchors: history in the product's top category or with co-taken products, or declared.
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
    anchors = list(
        Anchor.objects.filter(Q(pk__in=candidate_ids) | declared_q)
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("id")[: 2 * MAX_CANDIDATE_ANCHORS]
    )
    items = _interactions(Q(anchor_id__in=[a.pk for a in anchors]), picks_q, sales_q, tree) if anchors else {}
    profiles = _profiles(anchors, items, tree)
    pop = _popularity(set(co_counts) | {product.pk}, picks_q, sales_q)
    own_pop = max(pop.get(product.pk, 0), 1)
    names = dict(Product.objects.filter(pk__in=list(co_counts)).values_list("pk", "name")) if co_counts else {}

    best_row = max(rows, key=lambda r: (r["commission_bps"], -r["sku_id"]))
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
    best_similar = max((s for s, _, _ in similar.values()), default=0.0)

    results: list[AnchorMatch] = []
    for anchor in anchors:
        profile = profiles[anchor.pk]
        row = min(rows, key=lambda r: _price_distance(profile, r))
        s, example, _ = similar[anchor.pk]
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
                        f"选过本品的 {len(holder_items)} 位主播也选了你卖过的「{names.get(example or 0, '')}」",
                        f"anchors who took this product also took {names.get(example or 0, '')}, which you have sold",
                    )
                ],
            )
        score, signals, reasons = _blend(parts)
        results.append(
            AnchorMatch(
                anchor_id=anchor.pk,
                anchor_name=anchor.name,
                city=anchor.city,
                sku_id=row["sku_id"],
                commission_bps=best_row["commission_bps"],
                score=score,
                signals=signals,
                reasons=reasons,
            )
        )
    results.sort(key=lambda m: (-m.score, m.anchor_id))
    return results[:limit]


# ---------------------------------------------------------------------------------------------
# The evaluation's baseline.


def popular_products(*, limit: int = 10, as_of: datetime | None = None, exclude: set[int] | None = None) -> list[int]:
    """Approved products by how many anchors picked or sold them before `as_of` (then by id)."""
    _, picks_q, sales_q = _window(as_of)
    approved = set(Product.objects.filter(status=CertificationStatus.APPROVED).values_list("pk", flat=True))
    pop = _popularity(approved, picks_q, sales_q)
    ranked = sorted(approved - (exclude or set()), key=lambda p: (-pop.get(p, 0), p))
    return ranked[:limit]
