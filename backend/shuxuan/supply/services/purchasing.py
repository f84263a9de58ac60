"""Purchase orders: create, confirm, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.supply.models import (
    Ownership,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    StockItem,
    Warehouse,
)
from shuxuan.supply.services._shared import (
    _line_label,
    _operator_of,
    _positive,
)


@dataclass(frozen=True)
class PurchaseLineInput:
    stock_item_id: int
    quantity: int
    unit_price: int  # fen
    expected_date: date | None = None


def purchase_order_create(
    *,
    actor: User,
    brand: Organization,
    warehouse: Warehouse,
    ownership: str,
    lines: list[PurchaseLineInput],
    note: str = "",
) -> PurchaseOrder:
    buyer = _operator_of(actor)
    if brand.kind != OrganizationKind.BRAND:
        raise DomainError("采购对象必须是品牌商 / purchase orders go to a brand", field="brand")
    if ownership not in Ownership.values:
        raise DomainError(f"未知经营方式 / unknown ownership {ownership!r}", field="ownership")
    if not lines:
        raise DomainError("采购单至少一行 / a purchase order needs at least one line", field="lines")
    items = StockItem.objects.in_bulk([line.stock_item_id for line in lines])
    for index, line in enumerate(lines):
        item = items.get(line.stock_item_id)
        if item is None:
            raise DomainError(
                f"第{index + 1}行 / line {index + 1}: 未知 SKU / unknown stock item", field=f"lines[{index}].stock_item"
            )
        if item.brand_id != brand.pk:
            raise DomainError(
                f"{_line_label(index, item)}: SKU 不属于该品牌 / the item is not this brand's", field=f"lines[{index}].stock_item"
            )
        _positive(line.quantity, f"lines[{index}].quantity")
        if line.unit_price < 0:
            raise DomainError(
                f"{_line_label(index, item)}: 单价不能为负 / unit price cannot be negative", field=f"lines[{index}].unit_price"
            )
    with transaction.atomic(durable=True):
        order = PurchaseOrder.objects.create(
            buyer=buyer, brand=brand, warehouse=warehouse, ownership=ownership, note=note, created_by=actor
        )
        PurchaseOrderLine.objects.bulk_create(
            [
                PurchaseOrderLine(
                    purchase_order=order,
                    line_no=index + 1,
                    stock_item_id=line.stock_item_id,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    expected_date=line.expected_date,
                )
                for index, line in enumerate(lines)
            ]
        )
        audit_record(
            actor=actor,
            action="supply.purchase_order.create",
            obj=order,
            organization_id=buyer.pk,
            changes={"brand": brand.pk, "ownership": ownership, "lines": len(lines)},
        )
    return order


def _transition(*, actor: User, order_id: int, allowed: set[str], to: str, action: str) -> PurchaseOrder:
    with transaction.atomic(durable=True):
        order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
        if order.state not in allowed:
            raise Conflict(
                f"采购单状态为 {order.state}，不能{action} / cannot {action} a {order.state} purchase order", field="state"
            )
        before = order.state
        order.state = to
        if to == PurchaseOrderState.CONFIRMED:
            order.confirmed_at = timezone.now()
        order.save(update_fields=["state", "confirmed_at"])
        audit_record(
            actor=actor,
            action=f"supply.purchase_order.{action}",
            obj=order,
            organization_id=order.buyer_id,
            changes={"from": before, "to": to},
        )
    return order


def purchase_order_confirm(*, actor: User, order_id: int) -> PurchaseOrder:
    _operator_of(actor)
    return _transition(
        actor=actor, order_id=order_id, allowed={PurchaseOrderState.DRAFT}, to=PurchaseOrderState.CONFIRMED, action="confirm"
    )


def purchase_order_cancel(*, actor: User, order_id: int) -> PurchaseOrder:
    """Only an order with nothing received can be cancelled; received goods are returned, not undone."""
    _operator_of(actor)
    return _transition(
        actor=actor,
        order_id=order_id,
        allowed={PurchaseOrderState.DRAFT, PurchaseOrderState.CONFIRMED},
        to=PurchaseOrderState.CANCELLED,
        action="cancel",
    )
