"""Stock holds: a supply reservation when the SKU maps to a stock item, else a hold recorded here."""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.catalog.facade import Sku
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import OrganizationKind, Role, User
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    HoldState,
    SkuStockLink,
    StockHold,
)
from shuxuan.selection.services._shared import _supply_agent
from shuxuan.supply import facade as supply
from shuxuan.supply.facade import StockItem


def sku_stock_link_set(*, actor: User, sku: Sku, stock_item: StockItem) -> SkuStockLink:
    """Point a catalog SKU at the supply StockItem that holds its goods (operator supply staff)."""
    org = actor.organization
    if org is None or org.kind != OrganizationKind.OPERATOR or not actor.has_role(Role.SUPPLY, Role.OWNER):
        raise DomainError("只有运营方供应链人员可以关联库存 / only operator supply staff link stock", field="actor")
    if stock_item.brand_id != sku.brand_id:
        raise DomainError("库存品与 SKU 不属于同一品牌 / the stock item is another brand's", field="stock_item")
    with transaction.atomic():
        link, _ = SkuStockLink.objects.update_or_create(sku=sku, defaults={"stock_item": stock_item})
        audit_record(
            actor=actor,
            action="selection.stock_link.set",
            obj=link,
            organization_id=sku.brand_id,
            changes={"stock_item": stock_item.pk},
        )
    return link


def _supply_reserve(*, sku: Sku, quantity: int, purpose: str, reference: str, field: str) -> int | None:
    """Reserve in supply (its own durable transaction) and return the reservation's id, or None when
    the SKU is not mapped. Must not run inside an open transaction."""
    item = selectors.stock_item_for(sku)
    if item is None:
        return None
    warehouse_id = supply.warehouse_with_free_stock(stock_item_id=item.pk, quantity=quantity)
    if warehouse_id is None:
        raise DomainError(
            f"库存不足，无法预留 {quantity} / not enough stock to hold {quantity} ({item.sku_code})",
            field=field,
            code="insufficient_stock",
        )
    try:
        return supply.reserve(
            actor=_supply_agent(),
            warehouse_id=warehouse_id,
            stock_item_id=item.pk,
            quantity=quantity,
            purpose=purpose,
            reference=reference,
        )
    except DomainError as exc:
        raise DomainError(exc.message, field=field, code=exc.code) from None


def _supply_release(reservation_ids: list[int]) -> None:
    """Release supply reservations (each its own durable transaction); already released ones are skipped."""
    for reservation_id in reservation_ids:
        if supply.reservation_is_active(reservation_id):
            with contextlib.suppress(Conflict):  # released concurrently
                supply.release(actor=_supply_agent(), reservation_id=reservation_id)


def _holds_release(holds: list[StockHold], now: datetime) -> list[int]:
    for hold in holds:
        hold.state = HoldState.RELEASED
        hold.released_at = now
    StockHold.objects.bulk_update(holds, ["state", "released_at"])
    return [h.pk for h in holds]
