"""Receipts against a purchase order: lots, stock in, the inventory and payable postings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    Location,
    LocationKind,
    Lot,
    MovementKind,
    Ownership,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    Receipt,
    ReceiptLine,
    StockItem,
)
from shuxuan.supply.postings import INVENTORY, PAYABLE, EntryBuilder
from shuxuan.supply.services._shared import (
    _default_storage,
    _line_label,
    _operator_of,
    _positive,
    _storage_in,
    _today,
)


@dataclass(frozen=True)
class ReceiptLineInput:
    purchase_order_line_id: int
    quantity: int
    batch_number: str = ""
    production_date: date | None = None
    expiry_date: date | None = None


def _lot_for(*, item: StockItem, line: ReceiptLineInput, index: int) -> Lot | None:
    batch = line.batch_number.strip()
    if not batch:
        if item.requires_lot:
            raise DomainError(
                f"{_line_label(index, item)}: 该 SKU 须填批次号 / a batch number is required",
                field=f"lines[{index}].batch_number",
            )
        if line.production_date or line.expiry_date:
            raise DomainError(
                f"{_line_label(index, item)}: 有日期须填批次号 / dates need a batch number", field=f"lines[{index}].batch_number"
            )
        return None
    if item.requires_lot and line.expiry_date is None:
        raise DomainError(
            f"{_line_label(index, item)}: 食品酒类须填保质期 / an expiry date is required", field=f"lines[{index}].expiry_date"
        )
    if line.production_date and line.expiry_date and line.expiry_date < line.production_date:
        raise DomainError(
            f"{_line_label(index, item)}: 到期日早于生产日 / expiry before production", field=f"lines[{index}].expiry_date"
        )
    lot, created = Lot.objects.get_or_create(
        stock_item=item, batch_number=batch, defaults={"production_date": line.production_date, "expiry_date": line.expiry_date}
    )
    if not created and (lot.production_date, lot.expiry_date) != (line.production_date, line.expiry_date):
        raise DomainError(
            f"{_line_label(index, item)}: 批次 {batch} 已登记不同日期 / batch {batch} is on record with other dates",
            field=f"lines[{index}].batch_number",
        )
    return lot


def receipt_create(
    *,
    actor: User,
    order_id: int,
    lines: list[ReceiptLineInput],
    location_id: int | None = None,
    effective_date: date | None = None,
    note: str = "",
) -> Receipt:
    """入库 against a purchase order; partial receipts allowed, over-receipt refused per line.
    Buy-out: Dr inventory (buyer) / Cr payable_to_party (brand) at the order's unit price."""
    _operator_of(actor)
    if not lines:
        raise DomainError("入库单至少一行 / a receipt needs at least one line", field="lines")
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        order = PurchaseOrder.objects.select_for_update().select_related("brand").get(pk=order_id)
        if order.state not in (PurchaseOrderState.CONFIRMED, PurchaseOrderState.PARTIALLY_RECEIVED):
            raise Conflict(f"采购单状态为 {order.state}，不能入库 / cannot receive a {order.state} purchase order", field="state")
        location = (
            _storage_in(location_id, warehouse_id=order.warehouse_id, field="location")
            if location_id
            else _default_storage(order.warehouse_id)
        )
        order_lines = {line.pk: line for line in order.lines.select_related("stock_item")}
        owner_id = order.buyer_id if order.ownership == Ownership.BUY_OUT else order.brand_id
        receiving, planned = _planned_receipt(lines, order_lines)
        receipt = Receipt.objects.create(purchase_order=order, location=location, effective_date=day, note=note, created_by=actor)
        writer = stock.MovementWriter(
            actor=actor,
            source_type="receipt",
            source_id=str(receipt.pk),
            effective_date=day,
            balances=stock.balances_lock(
                (location.pk, po_line.stock_item_id, lot.pk if lot else None, owner_id) for po_line, lot, _ in planned
            ),
            pools=stock.cost_pools_lock((po_line.stock_item_id, owner_id) for po_line, _, _ in planned),
        )
        supplier = stock.virtual_location(LocationKind.SUPPLIER)
        entry, receipt_lines = _move_in(
            order=order, receipt=receipt, planned=planned, writer=writer, supplier=supplier, owner_id=owner_id
        )
        writer.save()
        ReceiptLine.objects.bulk_create(receipt_lines)
        for line_id, quantity in receiving.items():
            PurchaseOrderLine.objects.filter(pk=line_id).update(received_quantity=F("received_quantity") + quantity)
        fully = all(line.received_quantity + receiving.get(line.pk, 0) == line.quantity for line in order_lines.values())
        order.state = PurchaseOrderState.RECEIVED if fully else PurchaseOrderState.PARTIALLY_RECEIVED
        order.save(update_fields=["state"])
        receipt.journal_entry_id = entry.post(
            key=f"supply:receipt:{receipt.pk}",
            source_type="supply.receipt",
            source_id=str(receipt.pk),
            effective_date=day,
            memo=f"采购入库 PO{order.pk} {order.brand.name}",
            actor=actor,
        )
        if receipt.journal_entry_id:
            receipt.save(update_fields=["journal_entry_id"])
        audit_record(
            actor=actor,
            action="supply.receipt.create",
            obj=receipt,
            organization_id=order.buyer_id,
            changes={"purchase_order": order.pk, "lines": {str(k): v for k, v in receiving.items()}, "state": order.state},
        )
    return receipt


def _planned_receipt(
    lines: list[ReceiptLineInput], order_lines: dict[int, PurchaseOrderLine]
) -> tuple[dict[int, int], list[tuple[PurchaseOrderLine, Lot | None, int]]]:
    """The quantity received per order line, and each line's (order line, lot, quantity); each line is
    of this order, positive, and within what is still open on its order line (else over_receipt)."""
    receiving: dict[int, int] = defaultdict(int)
    planned: list[tuple[PurchaseOrderLine, Lot | None, int]] = []
    for index, line in enumerate(lines):
        po_line = order_lines.get(line.purchase_order_line_id)
        if po_line is None:
            raise DomainError(
                f"第{index + 1}行 / line {index + 1}: 不是本采购单的行 / not a line of this purchase order",
                field=f"lines[{index}].purchase_order_line",
            )
        _positive(line.quantity, f"lines[{index}].quantity")
        receiving[po_line.pk] += line.quantity
        open_quantity = po_line.quantity - po_line.received_quantity
        if receiving[po_line.pk] > open_quantity:
            raise DomainError(
                f"采购单第{po_line.line_no}行 ({po_line.stock_item.sku_code}) 超收: 订购 {po_line.quantity}，已收 "
                f"{po_line.received_quantity}，本次 {receiving[po_line.pk]} / over-receipt on purchase order line "
                f"{po_line.line_no}: ordered {po_line.quantity}, received {po_line.received_quantity}, "
                f"now {receiving[po_line.pk]}",
                field=f"lines[{index}].quantity",
                code="over_receipt",
            )
        planned.append((po_line, _lot_for(item=po_line.stock_item, line=line, index=index), line.quantity))
    return receiving, planned


def _move_in(
    *,
    order: PurchaseOrder,
    receipt: Receipt,
    planned: list[tuple[PurchaseOrderLine, Lot | None, int]],
    writer: stock.MovementWriter,
    supplier: Location,
    owner_id: int,
) -> tuple[EntryBuilder, list[ReceiptLine]]:
    """Each planned line moves in from the supplier at the order's unit price; buy-out posts Dr
    inventory (buyer) / Cr payable (brand). Answers the entry to post and the receipt lines to save."""
    entry = EntryBuilder(order.currency)
    receipt_lines = []
    for po_line, lot, quantity in planned:
        value = quantity * po_line.unit_price
        writer.move(
            kind=MovementKind.RECEIPT,
            stock_item_id=po_line.stock_item_id,
            lot_id=lot.pk if lot else None,
            owner_id=owner_id,
            source=supplier,
            destination=receipt.location,
            quantity=quantity,
            value=value,
            reason=f"采购入库 PO{order.pk}",
        )
        receipt_lines.append(ReceiptLine(receipt=receipt, purchase_order_line=po_line, lot=lot, quantity=quantity, value=value))
        if order.ownership == Ownership.BUY_OUT:
            entry.move(debit=(order.buyer_id, INVENTORY), credit=(order.brand_id, PAYABLE), amount=value)
    return entry, receipt_lines
