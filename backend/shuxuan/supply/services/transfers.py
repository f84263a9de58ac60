"""Transfers between warehouses: ship into transit, receive out of it."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    Location,
    LocationKind,
    MovementKind,
    Transfer,
    TransferLine,
    TransferState,
    Warehouse,
)
from shuxuan.supply.services._shared import (
    _default_storage,
    _operator_of,
    _storage_in,
    _today,
)
from shuxuan.supply.services.picking import PickInput, _plan_picks


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
