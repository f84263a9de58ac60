"""Writes of the supply context. Each service owns a durable transaction in which it moves stock,
posts the money (see `postings.py`) and writes its audit row: all of it or nothing.

Bad input raises DomainError naming the field, e.g. `lines[1].quantity`; it is checked before
anything is written, and whatever a later check refuses is rolled back with the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.money import part_of
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    CountState,
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
    Reservation,
    ReservationLine,
    ReservationPurpose,
    ReservationState,
    ReturnDisposition,
    Shipment,
    ShipmentKind,
    ShipmentLine,
    StockBalance,
    StockCount,
    StockCountLine,
    StockItem,
    StockReturn,
    StockReturnLine,
    Transfer,
    TransferLine,
    TransferState,
    Warehouse,
)
from shuxuan.supply.postings import COST_OF_GOODS, INVENTORY, PAYABLE, EntryBuilder

STOCK_CODE = "STOCK"
TRANSIT_CODE = "TRANSIT"


def _today(effective_date: date | None) -> date:
    return effective_date or timezone.localdate()


def _operator_of(actor: User) -> Organization:
    org = actor.organization
    if org is None or org.kind != OrganizationKind.OPERATOR:
        raise DomainError("只有运营方可操作库存 / only the operator runs supply", field="actor")
    return org


def _positive(quantity: int, field: str) -> None:
    if quantity <= 0:
        raise DomainError(f"数量必须为正 / {field} must be positive", field=field)


def _line_label(index: int, item: StockItem) -> str:
    return f"第{index + 1}行 / line {index + 1} ({item.sku_code})"


# Master data ----------------------------------------------------------------------------------


def warehouse_create(*, actor: User, code: str, name: str, city: str = "", county: str = "") -> Warehouse:
    """A warehouse with its default storage location and its in-transit location."""
    operator = _operator_of(actor)
    code = code.strip().upper()
    if not code:
        raise DomainError("仓库编码不能为空 / code is required", field="code")
    if Warehouse.objects.filter(code=code).exists():
        raise Conflict("仓库编码已存在 / a warehouse with this code exists", field="code")
    with transaction.atomic(durable=True):
        warehouse = Warehouse.objects.create(organization=operator, code=code, name=name.strip(), city=city, county=county)
        Location.objects.create(warehouse=warehouse, kind=LocationKind.STORAGE, code=STOCK_CODE, name="默认库位 Stock")
        Location.objects.create(warehouse=warehouse, kind=LocationKind.IN_TRANSIT, code=TRANSIT_CODE, name="在途 In transit")
        audit_record(
            actor=actor, action="supply.warehouse.create", obj=warehouse, organization_id=operator.pk, changes={"code": code}
        )
    return warehouse


def location_create(*, actor: User, warehouse: Warehouse, code: str, name: str) -> Location:
    _operator_of(actor)
    code = code.strip().upper()
    if not code:
        raise DomainError("库位编码不能为空 / code is required", field="code")
    if Location.objects.filter(warehouse=warehouse, code=code).exists():
        raise Conflict("库位编码已存在 / a location with this code exists in the warehouse", field="code")
    with transaction.atomic(durable=True):
        location = Location.objects.create(warehouse=warehouse, kind=LocationKind.STORAGE, code=code, name=name.strip())
        audit_record(actor=actor, action="supply.location.create", obj=location, organization_id=warehouse.organization_id)
    return location


def stock_item_create(
    *, actor: User, sku_code: str, name: str, brand: Organization, unit: str = "件", requires_lot: bool = False
) -> StockItem:
    _operator_of(actor)
    sku_code = sku_code.strip()
    if not sku_code:
        raise DomainError("SKU 编码不能为空 / sku_code is required", field="sku_code")
    if brand.kind != OrganizationKind.BRAND:
        raise DomainError("SKU 必须属于品牌商 / the producer must be a brand", field="brand")
    if StockItem.objects.filter(sku_code=sku_code).exists():
        raise Conflict("SKU 编码已存在 / a stock item with this SKU code exists", field="sku_code")
    with transaction.atomic(durable=True):
        item = StockItem.objects.create(sku_code=sku_code, name=name.strip(), unit=unit, brand=brand, requires_lot=requires_lot)
        audit_record(
            actor=actor, action="supply.stock_item.create", obj=item, organization_id=brand.pk, changes={"sku_code": sku_code}
        )
    return item


def _default_storage(warehouse_id: int) -> Location:
    return Location.objects.get(warehouse_id=warehouse_id, code=STOCK_CODE)


def _storage_in(location_id: int, *, warehouse_id: int | None, field: str) -> Location:
    location = Location.objects.filter(pk=location_id, kind=LocationKind.STORAGE).first()
    if location is None or (warehouse_id is not None and location.warehouse_id != warehouse_id):
        raise DomainError("库位不存在或不属于该仓库 / no such storage location in this warehouse", field=field)
    return location


# Purchase -------------------------------------------------------------------------------------


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
                destination=location,
                quantity=quantity,
                value=value,
                reason=f"采购入库 PO{order.pk}",
            )
            receipt_lines.append(
                ReceiptLine(receipt=receipt, purchase_order_line=po_line, lot=lot, quantity=quantity, value=value)
            )
            if order.ownership == Ownership.BUY_OUT:
                entry.move(debit=(order.buyer_id, INVENTORY), credit=(order.brand_id, PAYABLE), amount=value)
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


# Shipments and reservations -------------------------------------------------------------------


@dataclass(frozen=True)
class PickInput:
    """What to take from a warehouse. Without a lot, FEFO chooses; without an owner, any owner's
    stock may be taken (FEFO across owners); with a reservation, the held units are taken."""

    stock_item_id: int
    quantity: int
    lot_id: int | None = None
    owner_id: int | None = None
    location_id: int | None = None
    reservation_id: int | None = None


@dataclass
class _Pick:
    index: int
    item: StockItem
    row: StockBalance
    quantity: int
    reservation_line: ReservationLine | None = None


def _plan_picks(
    *, warehouse: Warehouse, lines: list[PickInput], mirror: Location | None = None
) -> tuple[list[_Pick], dict[stock.BalanceKey, StockBalance]]:
    """Validate, lock and allocate. Reservations are locked first, then all balances at once —
    with, for a transfer, the rows of the `mirror` location the picks will move into."""
    if not lines:
        raise DomainError("至少一行 / at least one line is required", field="lines")
    items = StockItem.objects.in_bulk([line.stock_item_id for line in lines])
    reservation_ids = sorted({line.reservation_id for line in lines if line.reservation_id})
    reservations = {
        r.pk: r
        for r in Reservation.objects.select_for_update().filter(pk__in=reservation_ids, warehouse=warehouse).order_by("pk")
    }
    reservation_lines: dict[int, list[ReservationLine]] = defaultdict(list)
    for rl in (
        ReservationLine.objects.filter(reservation_id__in=reservations, quantity__gt=0).select_related("balance").order_by("pk")
    ):
        reservation_lines[rl.reservation_id].append(rl)
    keys: set[stock.BalanceKey] = set()
    for index, line in enumerate(lines):
        item = items.get(line.stock_item_id)
        if item is None:
            raise DomainError(
                f"第{index + 1}行 / line {index + 1}: 未知 SKU / unknown stock item", field=f"lines[{index}].stock_item"
            )
        _positive(line.quantity, f"lines[{index}].quantity")
        if line.reservation_id:
            reservation = reservations.get(line.reservation_id)
            if reservation is None or reservation.stock_item_id != item.pk or reservation.state != ReservationState.ACTIVE:
                raise DomainError(
                    f"{_line_label(index, item)}: 预留不存在或已失效 / no active reservation of this item in this warehouse",
                    field=f"lines[{index}].reservation",
                )
            keys.update(stock.balance_key(rl.balance) for rl in reservation_lines[reservation.pk])
        else:
            if line.location_id:
                _storage_in(line.location_id, warehouse_id=warehouse.pk, field=f"lines[{index}].location")
            keys.update(
                stock.available_candidates(
                    warehouse_id=warehouse.pk,
                    stock_item_id=item.pk,
                    owner_id=line.owner_id,
                    lot_id=line.lot_id,
                    location_id=line.location_id,
                )
            )
    if mirror is not None:
        keys.update({(mirror.pk, item, lot, owner) for _, item, lot, owner in keys})
    balances = stock.balances_lock(keys)
    by_pk = {row.pk: row for row in balances.values()}
    taken: dict[int, int] = {}
    picks: list[_Pick] = []
    for index, line in enumerate(lines):
        item = items[line.stock_item_id]
        if line.reservation_id:
            remaining = line.quantity
            for rl in reservation_lines[line.reservation_id]:
                take = min(rl.quantity, remaining)
                if take:
                    picks.append(_Pick(index=index, item=item, row=by_pk[rl.balance_id], quantity=take, reservation_line=rl))
                    rl.quantity -= take
                    remaining -= take
            found = line.quantity - remaining
        else:
            rows = [
                row
                for row in balances.values()
                if row.stock_item_id == item.pk
                and row.warehouse_id == warehouse.pk
                and (line.owner_id is None or row.owner_id == line.owner_id)
                and (line.lot_id is None or row.lot_id == line.lot_id)
                and (line.location_id is None or row.location_id == line.location_id)
            ]
            allocated, found = stock.allocate(rows, line.quantity, taken=taken)
            picks.extend(_Pick(index=index, item=item, row=row, quantity=q) for row, q in allocated)
        if found < line.quantity:
            raise DomainError(
                f"{_line_label(index, item)}: 可用库存 {found}，不足 {line.quantity} / "
                f"only {found} available, {line.quantity} requested",
                field=f"lines[{index}].quantity",
                code="insufficient_stock",
            )
    return picks, balances


def shipment_create(
    *,
    actor: User,
    warehouse: Warehouse,
    kind: str,
    carrier: str,
    tracking_number: str,
    lines: list[PickInput],
    reference: str = "",
    effective_date: date | None = None,
) -> Shipment:
    """出库 for an order line (sale) or a sample. Lines without a lot are picked FEFO. Sale of
    buy-out stock: Dr cost_of_goods / Cr inventory at moving-average cost. Sale of consignment
    stock: the brand owns it until it sells, so nothing leaves the operator's inventory; the sale
    creates the operator's debt to the brand at supply price (the consignment pool's average):
    Dr cost_of_goods / Cr payable_to_party. Samples: see `postings.py`."""
    operator = _operator_of(actor)
    if kind not in ShipmentKind.values:
        raise DomainError(f"未知出库类型 / unknown shipment kind {kind!r}", field="kind")
    if not carrier.strip() or not tracking_number.strip():
        raise DomainError(
            "须填承运商和运单号 / carrier and tracking number are required",
            field="tracking_number" if carrier.strip() else "carrier",
        )
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        picks, balances = _plan_picks(warehouse=warehouse, lines=lines)
        shipment = Shipment.objects.create(
            kind=kind,
            warehouse=warehouse,
            carrier=carrier.strip(),
            tracking_number=tracking_number.strip(),
            reference=reference,
            effective_date=day,
            created_by=actor,
        )
        pools = stock.cost_pools_lock((p.row.stock_item_id, p.row.owner_id) for p in picks)
        writer = stock.MovementWriter(
            actor=actor, source_type="shipment", source_id=str(shipment.pk), effective_date=day, balances=balances, pools=pools
        )
        destination = stock.virtual_location(LocationKind.CUSTOMER if kind == ShipmentKind.SALE else LocationKind.SAMPLE)
        movement_kind = MovementKind.SALE_SHIPMENT if kind == ShipmentKind.SALE else MovementKind.SAMPLE_SHIPMENT
        entry = EntryBuilder()
        shipment_lines = []
        touched_reservations: set[int] = set()
        for pick in picks:
            row = pick.row
            pool = pools[(row.stock_item_id, row.owner_id)]
            value = stock.issue_value(pool, pick.quantity)
            if pick.reservation_line is not None:
                writer.reserve(row, -pick.quantity)
                touched_reservations.add(pick.reservation_line.reservation_id)
            writer.move(
                kind=movement_kind,
                stock_item_id=row.stock_item_id,
                lot_id=row.lot_id,
                owner_id=row.owner_id,
                source=row.location,
                destination=destination,
                quantity=pick.quantity,
                value=value,
                reason=f"{ShipmentKind(kind).label} {reference}".strip(),
            )
            shipment_lines.append(
                ShipmentLine(
                    shipment=shipment,
                    request_line=pick.index,
                    location_id=row.location_id,
                    stock_item_id=row.stock_item_id,
                    lot_id=row.lot_id,
                    owner_id=row.owner_id,
                    quantity=pick.quantity,
                    value=value,
                )
            )
            if pool.ownership == Ownership.BUY_OUT:
                entry.move(debit=(row.owner_id, COST_OF_GOODS), credit=(row.owner_id, INVENTORY), amount=value)
            elif kind == ShipmentKind.SALE:
                entry.move(debit=(operator.pk, COST_OF_GOODS), credit=(row.owner_id, PAYABLE), amount=value)
        writer.save()
        ShipmentLine.objects.bulk_create(shipment_lines)
        _save_reservation_lines(picks, touched_reservations)
        shipment.journal_entry_id = entry.post(
            key=f"supply:shipment:{shipment.pk}",
            source_type="supply.shipment",
            source_id=str(shipment.pk),
            effective_date=day,
            memo=f"出库 {kind} {tracking_number}",
            actor=actor,
        )
        if shipment.journal_entry_id:
            shipment.save(update_fields=["journal_entry_id"])
        audit_record(
            actor=actor,
            action="supply.shipment.create",
            obj=shipment,
            organization_id=operator.pk,
            changes={"kind": kind, "tracking_number": tracking_number, "units": sum(p.quantity for p in picks)},
        )
    return shipment


def _save_reservation_lines(picks: list[_Pick], reservation_ids: set[int]) -> None:
    lines = {p.reservation_line.pk: p.reservation_line for p in picks if p.reservation_line is not None}
    ReservationLine.objects.bulk_update(list(lines.values()), ["quantity"])
    for reservation_id in reservation_ids:
        if not ReservationLine.objects.filter(reservation_id=reservation_id, quantity__gt=0).exists():
            Reservation.objects.filter(pk=reservation_id).update(state=ReservationState.CONSUMED)


def reservation_create(
    *,
    actor: User,
    warehouse: Warehouse,
    stock_item_id: int,
    quantity: int,
    purpose: str,
    reference: str = "",
    owner_id: int | None = None,
    lot_id: int | None = None,
) -> Reservation:
    """Hold units for a live session or a sample (FEFO when no lot is named). Lowers available,
    not on hand; a shipment naming the reservation consumes it, or it is released."""
    operator = _operator_of(actor)
    if purpose not in ReservationPurpose.values:
        raise DomainError(f"未知预留用途 / unknown purpose {purpose!r}", field="purpose")
    with transaction.atomic(durable=True):
        picks, balances = _plan_picks(
            warehouse=warehouse,
            lines=[PickInput(stock_item_id=stock_item_id, quantity=quantity, owner_id=owner_id, lot_id=lot_id)],
        )
        reservation = Reservation.objects.create(
            warehouse=warehouse,
            stock_item_id=stock_item_id,
            purpose=purpose,
            reference=reference,
            quantity=quantity,
            created_by=actor,
        )
        writer = stock.MovementWriter(
            actor=actor,
            source_type="reservation",
            source_id=str(reservation.pk),
            effective_date=timezone.localdate(),
            balances=balances,
            pools={},
        )
        for pick in picks:
            writer.reserve(pick.row, pick.quantity)
        writer.save()
        ReservationLine.objects.bulk_create(
            [ReservationLine(reservation=reservation, balance=p.row, quantity=p.quantity) for p in picks]
        )
        audit_record(
            actor=actor,
            action="supply.reservation.create",
            obj=reservation,
            organization_id=operator.pk,
            changes={"stock_item": stock_item_id, "quantity": quantity, "purpose": purpose, "reference": reference},
        )
    return reservation


def reservation_release(*, actor: User, reservation_id: int) -> Reservation:
    operator = _operator_of(actor)
    with transaction.atomic(durable=True):
        reservation = Reservation.objects.select_for_update().get(pk=reservation_id)
        if reservation.state != ReservationState.ACTIVE:
            raise Conflict(f"预留状态为 {reservation.state} / the reservation is {reservation.state}", field="state")
        lines = list(reservation.lines.filter(quantity__gt=0).select_related("balance"))
        balances = stock.balances_lock(stock.balance_key(rl.balance) for rl in lines)
        writer = stock.MovementWriter(
            actor=actor,
            source_type="reservation",
            source_id=str(reservation.pk),
            effective_date=timezone.localdate(),
            balances=balances,
            pools={},
        )
        released = 0
        for rl in lines:
            writer.reserve(balances[stock.balance_key(rl.balance)], -rl.quantity)
            released += rl.quantity
            rl.quantity = 0
        writer.save()
        ReservationLine.objects.bulk_update(lines, ["quantity"])
        reservation.state = ReservationState.RELEASED
        reservation.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="supply.reservation.release",
            obj=reservation,
            organization_id=operator.pk,
            changes={"released": released},
        )
    return reservation


# Returns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnLineInput:
    shipment_line_id: int
    quantity: int


def _return_value(line: ShipmentLine, already: int, quantity: int) -> int:
    """The share of a shipped line's value coming back, computed on cumulative quantities so that
    returning a line piece by piece gives back exactly what shipped, to the fen."""
    before = part_of(line.value, already, line.quantity)
    after = part_of(line.value, already + quantity, line.quantity)
    return after - before


def return_create(
    *,
    actor: User,
    shipment_id: int,
    disposition: str,
    reason: str,
    lines: list[ReturnLineInput],
    location_id: int | None = None,
    effective_date: date | None = None,
) -> StockReturn:
    """退货: goods shipped come back into stock (at the value they left with, reversing the cost or
    the consignment payable) or go to scrap (stock unchanged; nothing posted, see `postings.py`)."""
    operator = _operator_of(actor)
    if disposition not in ReturnDisposition.values:
        raise DomainError(f"未知处理方式 / unknown disposition {disposition!r}", field="disposition")
    if not reason.strip():
        raise DomainError("须填退货原因 / a reason is required", field="reason")
    if not lines:
        raise DomainError("至少一行 / at least one line is required", field="lines")
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        shipped = {line.pk: line for line in shipment.lines.select_related("stock_item")}
        if disposition == ReturnDisposition.STOCK:
            location = (
                _storage_in(location_id, warehouse_id=None, field="location")
                if location_id
                else _default_storage(shipment.warehouse_id)
            )
        else:
            location = stock.virtual_location(LocationKind.SCRAP)
        returning: dict[int, int] = defaultdict(int)
        for index, line in enumerate(lines):
            shipped_line = shipped.get(line.shipment_line_id)
            if shipped_line is None:
                raise DomainError(
                    f"第{index + 1}行 / line {index + 1}: 不是本出库单的行 / not a line of this shipment",
                    field=f"lines[{index}].shipment_line",
                )
            _positive(line.quantity, f"lines[{index}].quantity")
            returning[shipped_line.pk] += line.quantity
            if shipped_line.returned_quantity + returning[shipped_line.pk] > shipped_line.quantity:
                raise DomainError(
                    f"{_line_label(index, shipped_line.stock_item)}: 退货超出发货 / returning more than shipped "
                    f"(shipped {shipped_line.quantity}, returned {shipped_line.returned_quantity})",
                    field=f"lines[{index}].quantity",
                )
        stock_return = StockReturn.objects.create(
            shipment=shipment,
            disposition=disposition,
            location=location,
            reason=reason.strip(),
            effective_date=day,
            created_by=actor,
        )
        held = disposition == ReturnDisposition.STOCK
        keys = (
            [(location.pk, shipped[i].stock_item_id, shipped[i].lot_id, shipped[i].owner_id) for i in returning] if held else []
        )
        writer = stock.MovementWriter(
            actor=actor,
            source_type="return",
            source_id=str(stock_return.pk),
            effective_date=day,
            balances=stock.balances_lock(keys),
            pools=stock.cost_pools_lock((shipped[i].stock_item_id, shipped[i].owner_id) for i in returning) if held else {},
        )
        origin = stock.virtual_location(LocationKind.CUSTOMER if shipment.kind == ShipmentKind.SALE else LocationKind.SAMPLE)
        entry = EntryBuilder()
        return_lines = []
        progress: dict[int, int] = {}
        for line in lines:
            shipped_line = shipped[line.shipment_line_id]
            already = progress.get(shipped_line.pk, shipped_line.returned_quantity)
            value = _return_value(shipped_line, already, line.quantity)
            progress[shipped_line.pk] = already + line.quantity
            writer.move(
                kind=MovementKind.RETURN,
                stock_item_id=shipped_line.stock_item_id,
                lot_id=shipped_line.lot_id,
                owner_id=shipped_line.owner_id,
                source=origin,
                destination=location,
                quantity=line.quantity,
                value=value,
                reason=reason.strip(),
            )
            return_lines.append(
                StockReturnLine(stock_return=stock_return, shipment_line=shipped_line, quantity=line.quantity, value=value)
            )
            if held:
                pool = writer.pools[(shipped_line.stock_item_id, shipped_line.owner_id)]
                if pool.ownership == Ownership.BUY_OUT:
                    entry.move(
                        debit=(shipped_line.owner_id, INVENTORY), credit=(shipped_line.owner_id, COST_OF_GOODS), amount=value
                    )
                elif shipment.kind == ShipmentKind.SALE:
                    entry.move(debit=(shipped_line.owner_id, PAYABLE), credit=(operator.pk, COST_OF_GOODS), amount=value)
        writer.save()
        StockReturnLine.objects.bulk_create(return_lines)
        for line_id, quantity in returning.items():
            ShipmentLine.objects.filter(pk=line_id).update(returned_quantity=F("returned_quantity") + quantity)
        stock_return.journal_entry_id = entry.post(
            key=f"supply:return:{stock_return.pk}",
            source_type="supply.return",
            source_id=str(stock_return.pk),
            effective_date=day,
            memo=f"退货 shipment {shipment.pk}: {reason.strip()}",
            actor=actor,
        )
        if stock_return.journal_entry_id:
            stock_return.save(update_fields=["journal_entry_id"])
        audit_record(
            actor=actor,
            action="supply.return.create",
            obj=stock_return,
            organization_id=operator.pk,
            changes={"shipment": shipment.pk, "disposition": disposition, "lines": {str(k): v for k, v in returning.items()}},
        )
    return stock_return


# Scrap ----------------------------------------------------------------------------------------


def stock_scrap(*, actor: User, balance_id: int, quantity: int, reason: str, effective_date: date | None = None) -> list[int]:
    """报废 units in storage (damaged, expired). Buy-out: Dr cost_of_goods / Cr inventory.
    Returns the ids of the movements written."""
    operator = _operator_of(actor)
    _positive(quantity, "quantity")
    if not reason.strip():
        raise DomainError("须填报废原因 / a reason is required", field="reason")
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        row = StockBalance.objects.select_related("location").filter(pk=balance_id).first()
        if row is None or row.location.kind != LocationKind.STORAGE:
            raise DomainError("库存行不存在 / no such stock in storage", field="balance")
        balances = stock.balances_lock([stock.balance_key(row)])
        locked = balances[stock.balance_key(row)]
        if locked.available < quantity:
            raise DomainError(
                f"可用库存 {locked.available}，不足 {quantity} / only {locked.available} available", field="quantity"
            )
        pools = stock.cost_pools_lock([(row.stock_item_id, row.owner_id)])
        pool = pools[(row.stock_item_id, row.owner_id)]
        writer = stock.MovementWriter(
            actor=actor, source_type="scrap", source_id=str(row.pk), effective_date=day, balances=balances, pools=pools
        )
        value = stock.issue_value(pool, quantity)
        writer.move(
            kind=MovementKind.SCRAP,
            stock_item_id=row.stock_item_id,
            lot_id=row.lot_id,
            owner_id=row.owner_id,
            source=row.location,
            destination=stock.virtual_location(LocationKind.SCRAP),
            quantity=quantity,
            value=value,
            reason=reason.strip(),
        )
        ownership = pool.ownership
        movements = writer.save()
        if ownership == Ownership.BUY_OUT:
            entry = EntryBuilder()
            entry.move(debit=(row.owner_id, COST_OF_GOODS), credit=(row.owner_id, INVENTORY), amount=value)
            entry.post(
                key=f"supply:scrap:{movements[0].pk}",
                source_type="supply.scrap",
                source_id=str(movements[0].pk),
                effective_date=day,
                memo=f"报废 {reason.strip()}",
                actor=actor,
            )
        audit_record(
            actor=actor,
            action="supply.stock.scrap",
            obj=movements[0],
            organization_id=operator.pk,
            changes={"balance": row.pk, "quantity": quantity, "value": value},
        )
    return [m.pk for m in movements]


# Transfers ------------------------------------------------------------------------------------


def transfer_ship(
    *,
    actor: User,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    lines: list[PickInput],
    carrier: str = "",
    tracking_number: str = "",
    effective_date: date | None = None,
) -> Transfer:
    """调拨出库: from storage of one warehouse into the other's in-transit location. The stock stays
    held and valued (in transit), so nothing is posted to money."""
    operator = _operator_of(actor)
    if from_warehouse.pk == to_warehouse.pk:
        raise DomainError("调出调入仓库不能相同 / choose another destination warehouse", field="to_warehouse")
    if any(line.reservation_id for line in lines):
        raise DomainError("调拨不能使用预留 / release the reservation before transferring", field="lines")
    transit = Location.objects.get(warehouse=to_warehouse, kind=LocationKind.IN_TRANSIT)
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        # The in-transit rows the picks will land in are locked in the same call as their sources.
        picks, balances = _plan_picks(warehouse=from_warehouse, lines=lines, mirror=transit)
        transfer = Transfer.objects.create(
            from_warehouse=from_warehouse,
            to_warehouse=to_warehouse,
            to_location=_default_storage(to_warehouse.pk),
            carrier=carrier,
            tracking_number=tracking_number,
            shipped_on=day,
            created_by=actor,
        )
        pools = stock.cost_pools_lock((p.row.stock_item_id, p.row.owner_id) for p in picks)
        writer = stock.MovementWriter(
            actor=actor, source_type="transfer", source_id=str(transfer.pk), effective_date=day, balances=balances, pools=pools
        )
        transfer_lines = []
        for pick in picks:
            row = pick.row
            value = stock.average_value(pools[(row.stock_item_id, row.owner_id)], pick.quantity)
            writer.move(
                kind=MovementKind.TRANSFER_OUT,
                stock_item_id=row.stock_item_id,
                lot_id=row.lot_id,
                owner_id=row.owner_id,
                source=row.location,
                destination=transit,
                quantity=pick.quantity,
                value=value,
                reason=f"调拨 {from_warehouse.code}→{to_warehouse.code}",
            )
            transfer_lines.append(
                TransferLine(
                    transfer=transfer,
                    from_location_id=row.location_id,
                    stock_item_id=row.stock_item_id,
                    lot_id=row.lot_id,
                    owner_id=row.owner_id,
                    quantity=pick.quantity,
                    value=value,
                )
            )
        writer.save()
        TransferLine.objects.bulk_create(transfer_lines)
        audit_record(
            actor=actor,
            action="supply.transfer.ship",
            obj=transfer,
            organization_id=operator.pk,
            changes={"from": from_warehouse.code, "to": to_warehouse.code, "units": sum(p.quantity for p in picks)},
        )
    return transfer


def transfer_receive(
    *, actor: User, transfer_id: int, location_id: int | None = None, effective_date: date | None = None
) -> Transfer:
    """调拨入库: everything in transit for this transfer moves into the destination's storage."""
    operator = _operator_of(actor)
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        transfer = Transfer.objects.select_for_update().get(pk=transfer_id)
        if transfer.state != TransferState.IN_TRANSIT:
            raise Conflict("调拨已收货 / the transfer was already received", field="state")
        destination = (
            _storage_in(location_id, warehouse_id=transfer.to_warehouse_id, field="location")
            if location_id
            else transfer.to_location
        )
        transit = Location.objects.get(warehouse_id=transfer.to_warehouse_id, kind=LocationKind.IN_TRANSIT)
        lines = list(transfer.lines.all())
        keys = [(loc, line.stock_item_id, line.lot_id, line.owner_id) for line in lines for loc in (transit.pk, destination.pk)]
        writer = stock.MovementWriter(
            actor=actor,
            source_type="transfer",
            source_id=str(transfer.pk),
            effective_date=day,
            balances=stock.balances_lock(keys),
            pools={},
        )
        for line in lines:
            writer.move(
                kind=MovementKind.TRANSFER_IN,
                stock_item_id=line.stock_item_id,
                lot_id=line.lot_id,
                owner_id=line.owner_id,
                source=transit,
                destination=destination,
                quantity=line.quantity,
                value=line.value,
                reason=f"调拨入库 transfer {transfer.pk}",
            )
        writer.save()
        transfer.state = TransferState.RECEIVED
        transfer.received_on = day
        transfer.to_location = destination
        transfer.save(update_fields=["state", "received_on", "to_location"])
        audit_record(actor=actor, action="supply.transfer.receive", obj=transfer, organization_id=operator.pk)
    return transfer


# Stock counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountLineInput:
    location_id: int
    stock_item_id: int
    owner_id: int
    counted_quantity: int
    lot_id: int | None = None


def count_create(*, actor: User, warehouse: Warehouse, reason: str, lines: list[CountLineInput]) -> StockCount:
    operator = _operator_of(actor)
    if not reason.strip():
        raise DomainError("须填盘点原因 / a reason is required", field="reason")
    if not lines:
        raise DomainError("至少一行 / at least one line is required", field="lines")
    items = StockItem.objects.in_bulk([line.stock_item_id for line in lines])
    owners = Organization.objects.in_bulk([line.owner_id for line in lines])
    lots = Lot.objects.in_bulk([line.lot_id for line in lines if line.lot_id])
    seen: set[tuple[int, int, int | None, int]] = set()
    for index, line in enumerate(lines):
        item = items.get(line.stock_item_id)
        if item is None:
            raise DomainError(
                f"第{index + 1}行 / line {index + 1}: 未知 SKU / unknown stock item", field=f"lines[{index}].stock_item"
            )
        _storage_in(line.location_id, warehouse_id=warehouse.pk, field=f"lines[{index}].location")
        if line.owner_id not in owners:
            raise DomainError(f"{_line_label(index, item)}: 未知货主 / unknown owner", field=f"lines[{index}].owner")
        if line.lot_id and (line.lot_id not in lots or lots[line.lot_id].stock_item_id != item.pk):
            raise DomainError(
                f"{_line_label(index, item)}: 批次不属于该 SKU / the lot is not of this item", field=f"lines[{index}].lot"
            )
        if line.counted_quantity < 0:
            raise DomainError(
                f"{_line_label(index, item)}: 盘点数不能为负 / counted quantity cannot be negative",
                field=f"lines[{index}].counted_quantity",
            )
        key = (line.location_id, line.stock_item_id, line.lot_id, line.owner_id)
        if key in seen:
            raise DomainError(f"{_line_label(index, item)}: 重复的盘点行 / counted twice", field=f"lines[{index}]")
        seen.add(key)
    with transaction.atomic(durable=True):
        count = StockCount.objects.create(warehouse=warehouse, reason=reason.strip(), created_by=actor)
        StockCountLine.objects.bulk_create(
            [
                StockCountLine(
                    count=count,
                    location_id=line.location_id,
                    stock_item_id=line.stock_item_id,
                    lot_id=line.lot_id,
                    owner_id=line.owner_id,
                    counted_quantity=line.counted_quantity,
                )
                for line in lines
            ]
        )
        audit_record(
            actor=actor, action="supply.count.create", obj=count, organization_id=operator.pk, changes={"lines": len(lines)}
        )
    return count


def count_post(*, actor: User, count_id: int, effective_date: date | None = None) -> StockCount:
    """Post a count: every difference becomes an adjustment movement with the count's reason.
    Shortage leaves at moving-average cost; surplus enters at moving-average cost (the last average
    if the pool is empty). Buy-out differences post against cost of goods (see `postings.py`)."""
    operator = _operator_of(actor)
    day = _today(effective_date)
    with transaction.atomic(durable=True):
        count = StockCount.objects.select_for_update().get(pk=count_id)
        if count.state != CountState.DRAFT:
            raise Conflict("盘点单已过账 / the count was already posted", field="state")
        lines = list(count.lines.select_related("stock_item", "location"))
        keys = [(line.location_id, line.stock_item_id, line.lot_id, line.owner_id) for line in lines]
        balances = stock.balances_lock(keys)
        for index, line in enumerate(lines):
            row = balances[keys[index]]
            if line.counted_quantity < row.reserved:
                raise DomainError(
                    f"{_line_label(index, line.stock_item)}: 盘点数 {line.counted_quantity} 低于已预留 {row.reserved}，"
                    "请先释放预留 / "
                    f"counted below the {row.reserved} units reserved; release reservations first",
                    field=f"lines[{index}].counted_quantity",
                )
        pools = stock.cost_pools_lock((line.stock_item_id, line.owner_id) for line in lines)
        writer = stock.MovementWriter(
            actor=actor, source_type="count", source_id=str(count.pk), effective_date=day, balances=balances, pools=pools
        )
        adjustment = stock.virtual_location(LocationKind.ADJUSTMENT)
        entry = EntryBuilder()
        for index, line in enumerate(lines):
            row = balances[keys[index]]
            pool = pools[(line.stock_item_id, line.owner_id)]
            line.system_quantity = row.on_hand
            difference = line.counted_quantity - row.on_hand
            if difference == 0:
                line.difference_value = 0
                continue
            if difference < 0:
                value = stock.issue_value(pool, -difference)
                source, destination, signed = line.location, adjustment, -value
            else:
                value = stock.average_value(pool, difference)
                source, destination, signed = adjustment, line.location, value
            line.difference_value = signed
            writer.move(
                kind=MovementKind.ADJUSTMENT,
                stock_item_id=line.stock_item_id,
                lot_id=line.lot_id,
                owner_id=line.owner_id,
                source=source,
                destination=destination,
                quantity=abs(difference),
                value=value,
                reason=f"盘点 {count.reason}",
            )
            if pool.ownership == Ownership.BUY_OUT:
                if signed < 0:
                    entry.move(debit=(line.owner_id, COST_OF_GOODS), credit=(line.owner_id, INVENTORY), amount=value)
                else:
                    entry.move(debit=(line.owner_id, INVENTORY), credit=(line.owner_id, COST_OF_GOODS), amount=value)
        writer.save()
        StockCountLine.objects.bulk_update(lines, ["system_quantity", "difference_value"])
        count.state = CountState.POSTED
        count.effective_date = day
        count.posted_at = timezone.now()
        count.journal_entry_id = entry.post(
            key=f"supply:count:{count.pk}",
            source_type="supply.count",
            source_id=str(count.pk),
            effective_date=day,
            memo=f"盘点调整 {count.reason}",
            actor=actor,
        )
        count.save(update_fields=["state", "effective_date", "posted_at", "journal_entry_id"])
        audit_record(
            actor=actor,
            action="supply.count.post",
            obj=count,
            organization_id=operator.pk,
            changes={"differences": {str(line.pk): line.counted_quantity - (line.system_quantity or 0) for line in lines}},
        )
    return count
