"""The selection center's search-row signals (catalog.facade.search_row_set_signals): each product's best public rate."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import PlanType
from shuxuan.selection.models import (
    CommissionPlan,
)
from shuxuan.selection.selectors.rates import versions_in_force


def commission_signals(*, product_ids: list[int], at: datetime | None = None) -> dict[int, tuple[int, str]]:
    """{sku_id: (commission_bps, plan_type)} for every SKU of these products: the best open plan's rate
    (a SKU plan beats a product plan); with no open plan, the best targeted plan's rate (anchors may
    apply); with only an exclusive plan, 0 and "exclusive" (its rate is not public); else (0, "open")."""
    at = at or timezone.now()
    skus = list(catalog.skus().filter(product_id__in=product_ids).values_list("pk", "product_id"))
    plans = [
        p
        for p in CommissionPlan.objects.filter(product_id__in=product_ids, valid_from__lte=at).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=at)
        )
    ]
    versions = versions_in_force([p.pk for p in plans], at)
    signals: dict[int, tuple[int, str]] = {}
    for sku_id, product_id in skus:
        best: dict[str, tuple[int, int]] = {}
        for plan in plans:
            version = versions.get(plan.pk)
            if version is None or plan.product_id != product_id or plan.sku_id not in (None, sku_id):
                continue
            key = (int(plan.sku_id is not None), version.rate_bps)
            if plan.plan_type not in best or key > best[plan.plan_type]:
                best[plan.plan_type] = key
        if PlanType.OPEN in best:
            signals[sku_id] = (best[PlanType.OPEN][1], PlanType.OPEN)
        elif PlanType.TARGETED in best:
            signals[sku_id] = (best[PlanType.TARGETED][1], PlanType.TARGETED)
        elif PlanType.EXCLUSIVE in best:
            signals[sku_id] = (0, PlanType.EXCLUSIVE)
        else:
            signals[sku_id] = (0, PlanType.OPEN)
    return signals


def products_with_plan_changes(*, since: datetime, until: datetime) -> list[int]:
    """Products whose plans started, ended or had a version take effect in (since, until]."""
    changed = CommissionPlan.objects.filter(
        Q(valid_from__gt=since, valid_from__lte=until)
        | Q(valid_to__gt=since, valid_to__lte=until)
        | Q(versions__effective_from__gt=since, versions__effective_from__lte=until)
    )
    return sorted(set(changed.values_list("product_id", flat=True)))
