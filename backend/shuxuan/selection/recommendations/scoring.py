"""Scoring: each signal in [0, 1] with the reasons it gives, and the fixed blend of them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shuxuan.catalog import facade as catalog
from shuxuan.selection.recommendations.history import Profile, Tree

WEIGHTS = {
    "category": 0.30,
    "similar": 0.25,
    "conversion": 0.15,
    "price": 0.12,
    "region": 0.08,
    "commission": 0.07,
    "popularity": 0.03,
}
COMMISSION_FULL_BPS = 3000  # a 30% rate scores 1
SICHUAN_CITIES = catalog.sichuan_city_names()


@dataclass(frozen=True)
class MatchReason:
    code: str
    zh: str
    en: str
    contribution: float  # weight × signal: how much of the score this reason explains

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "contribution": round(self.contribution, 4)}


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
