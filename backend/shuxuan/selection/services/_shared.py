"""Checks and helpers the selection services share (package-private)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shuxuan.common.exceptions import DomainError
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import Organization, OrganizationKind, Platform, Role, User
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    MAX_RATE_BPS,
)

PLAN_EDITABLE = ("name", "min_fans", "platforms", "min_credit", "approval", "valid_to")
RATE_FIELDS = ("rate_bps", "ads_rate_bps", "tiers")
MAX_TIERS = 5


def _brand_of(actor: User) -> Organization:
    org = actor.organization
    if org is None or org.kind != OrganizationKind.BRAND:
        raise DomainError("只有品牌商可以操作 / only a brand may do this", field="brand", code="not_a_brand")
    return org


def _require_brand_owns(actor: User, brand_id: int, field: str) -> Organization:
    brand = _brand_of(actor)
    if brand.pk != brand_id:
        raise DomainError("不是本品牌的商品 / not this brand's product", field=field, code="not_found")
    return brand


def _require_manages(actor: User, anchor: Anchor) -> None:
    if not selectors.user_manages_anchor(actor, anchor):
        raise DomainError("无权代此主播操作 / you do not manage this anchor", field="anchor", code="not_found")


def _mcn_in_force(anchor: Anchor, at: datetime) -> int | None:
    return parties.mcn_in_force(anchor_id=anchor.pk, at=at)


def _rate(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_RATE_BPS:
        raise DomainError(f"佣金率须为 0–{MAX_RATE_BPS} 基点的整数 / a rate is an integer 0–{MAX_RATE_BPS} bp", field=field)
    return value


def _optional_rate(value: Any, field: str) -> int | None:
    return None if value is None else _rate(value, field)


def _clean_tiers(tiers: Any) -> list[dict[str, int]]:
    if tiers in (None, []):
        return []
    if not isinstance(tiers, list) or len(tiers) > MAX_TIERS:
        raise DomainError(f"阶梯最多 {MAX_TIERS} 档 / at most {MAX_TIERS} tiers", field="tiers")
    cleaned: list[dict[str, int]] = []
    for index, tier in enumerate(tiers):
        if not isinstance(tier, dict) or set(tier) != {"min_gmv_minor", "rate_bps"}:
            raise DomainError(
                "每档须有 min_gmv_minor 和 rate_bps / each tier has min_gmv_minor and rate_bps", field=f"tiers[{index}]"
            )
        threshold = tier["min_gmv_minor"]
        if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold <= 0:
            raise DomainError(
                "GMV 门槛须为正整数（分）/ min_gmv_minor is a positive integer", field=f"tiers[{index}].min_gmv_minor"
            )
        rate = _rate(tier["rate_bps"], f"tiers[{index}].rate_bps")
        if cleaned and threshold <= cleaned[-1]["min_gmv_minor"]:
            raise DomainError("GMV 门槛须递增 / thresholds must increase", field=f"tiers[{index}].min_gmv_minor")
        cleaned.append({"min_gmv_minor": threshold, "rate_bps": rate})
    return cleaned


def _platforms(value: Any, field: str = "platforms") -> list[str]:
    platforms = list(value or [])
    unknown = sorted(set(platforms) - set(Platform.values))
    if unknown:
        raise DomainError(f"未知平台 / unknown platform {unknown[0]!r}", field=field)
    return sorted(set(platforms))


def _non_negative_int(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError("须为非负整数 / must be a non-negative integer", field=field)
    return value


def _supply_agent() -> User:
    """The operator user in whose name selection reserves stock: supply's services are the operator's
    (see the report: supply has no on-behalf-of entry point yet). The requesting user is in the reference."""
    agent = (
        User.objects.filter(
            organization__kind=OrganizationKind.OPERATOR, roles__overlap=[Role.SUPPLY, Role.OWNER], is_active=True
        )
        .select_related("organization")
        .order_by("id")
        .first()
    )
    if agent is None:
        raise DomainError("运营方没有供应链人员，无法预留库存 / no operator supply staff to hold stock", field="stock_quantity")
    return agent
