"""The querysets the selection API lists."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from shuxuan.catalog.facade import Sku
from shuxuan.selection.models import (
    CommissionPlan,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PlanApplication,
    PlanRateVersion,
    SampleRequest,
    SampleRule,
    SkuStockLink,
)
from shuxuan.supply import facade as supply
from shuxuan.supply.facade import StockItem


def plan_queryset() -> QuerySet[CommissionPlan]:
    return CommissionPlan.objects.select_related("product", "sku", "target_anchor", "target_mcn").prefetch_related(
        Prefetch("versions", queryset=PlanRateVersion.objects.order_by("id"))
    )


def application_queryset() -> QuerySet[PlanApplication]:
    return PlanApplication.objects.select_related("plan__product", "plan__sku", "anchor")


def pick_queryset() -> QuerySet[Pick]:
    return Pick.objects.select_related("anchor", "sku", "product", "brand")


def sample_rule_queryset() -> QuerySet[SampleRule]:
    return SampleRule.objects.select_related("product")


def sample_queryset() -> QuerySet[SampleRequest]:
    return SampleRequest.objects.select_related("anchor", "sku", "product", "hold")


def session_queryset(*, brand_id: int | None = None) -> QuerySet[LiveSession]:
    """Sessions with their lineup; a brand sees only its own lineup items (others' slot fees are private)."""
    items = LiveSessionItem.objects.select_related("sku__product", "hold").order_by("position", "id")
    if brand_id is not None:
        items = items.filter(brand_id=brand_id)
    return LiveSession.objects.select_related("anchor").prefetch_related(Prefetch("items", queryset=items))


def sessions_in_range(queryset: QuerySet[LiveSession], *, start: datetime, end: datetime) -> QuerySet[LiveSession]:
    """Sessions overlapping [start, end), scheduled ones only, in start order."""
    return queryset.filter(state=LiveSessionState.SCHEDULED, starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")


def stock_item_for(sku: Sku) -> StockItem | None:
    """The supply StockItem holding this SKU's goods (see SkuStockLink for the lookup order)."""
    link = SkuStockLink.objects.select_related("stock_item").filter(sku=sku).first()
    if link is not None:
        return link.stock_item
    return supply.stock_item_by_code(brand_id=sku.brand_id, sku_code=sku.code)
