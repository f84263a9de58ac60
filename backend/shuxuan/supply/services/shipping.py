"""Sale and sample shipments from storage, and the reservations that hold stock for sessions and samples."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    LocationKind,
    MovementKind,
    Ownership,
    Reservation,
    ReservationLine,
    ReservationPurpose,
    ReservationState,
    Shipment,
    ShipmentKind,
    ShipmentLine,
    StockCost,
    Warehouse,
)
from shuxuan.supply.postings import COST_OF_GOODS, INVENTORY, PAYABLE, EntryBuilder
from shuxuan.supply.services._shared import (
    _operator_of,
    _today,
)
from shuxuan.supply.services.picking import PickInput, _Pick, _plan_picks


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
        entry, shipment_lines, touched_reservations = _move_out(
            shipment=shipment, kind=kind, reference=reference, picks=picks, pools=pools, writer=writer, operator_id=operator.pk
        )
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


def _move_out(
    *,
    shipment: Shipment,
    kind: str,
    reference: str,
    picks: list[_Pick],
    pools: dict[stock.PoolKey, StockCost],
    writer: stock.MovementWriter,
    operator_id: int,
) -> tuple[EntryBuilder, list[ShipmentLine], set[int]]:
    """Each pick moves out to the customer (or sample) location at the pool's issue value, releasing
    its reservation; buy-out posts Dr cost_of_goods / Cr inventory, consignment sold Dr cost_of_goods
    (operator) / Cr payable (brand). Answers the entry, the shipment lines and the reservations touched."""
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
            entry.move(debit=(operator_id, COST_OF_GOODS), credit=(row.owner_id, PAYABLE), amount=value)
    return entry, shipment_lines, touched_reservations


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
