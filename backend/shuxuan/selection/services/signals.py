"""The search rows' commission signals: refreshed when a plan's rate changes, and when a rate cut takes effect."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import search_row_set_signals
from shuxuan.selection import selectors


def commission_signals_refresh(*, product_ids: list[int], at: datetime | None = None) -> int:
    """Write commission_bps / plan_type of these products' search rows through catalog.facade."""
    signals = selectors.commission_signals(product_ids=product_ids, at=at)
    for sku_id, (bps, plan_type) in sorted(signals.items()):
        search_row_set_signals(sku_id=sku_id, commission_bps=bps, plan_type=plan_type)
    return len(signals)


def commission_signals_recompute_all(*, at: datetime | None = None, batch: int = 500) -> int:
    """Recompute the columns for every product (management command `selection_recompute_commission`)."""
    ids = list(catalog.products().order_by("id").values_list("pk", flat=True))
    count = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            count += commission_signals_refresh(product_ids=ids[start : start + batch], at=at)
    return count


def commission_signals_refresh_due(*, now: datetime | None = None, window: timedelta = timedelta(hours=2)) -> int:
    """Beat task body: products whose plans or versions started or ended within `window` before now.
    Idempotent (a recompute writes the same values); the window overlaps the previous run."""
    now = now or timezone.now()
    products = selectors.products_with_plan_changes(since=now - window, until=now)
    with transaction.atomic():
        return commission_signals_refresh(product_ids=products, at=now) if products else 0
