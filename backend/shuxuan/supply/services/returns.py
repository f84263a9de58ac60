"""Returns against a shipment: back to stock or to scrap, at the value it left with."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import part_of
from shuxuan.parties.models import User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    Location,
    LocationKind,
    MovementKind,
    Ownership,
    ReturnDisposition,
    Shipment,
    ShipmentKind,
    ShipmentLine,
    StockReturn,
    StockReturnLine,
)
from shuxuan.supply.postings import COST_OF_GOODS, INVENTORY, PAYABLE, EntryBuilder
from shuxuan.supply.services._shared import (
    _default_storage,
    _line_label,
    _operator_of,
    _positive,
    _storage_in,
    _today,
)


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
        location = _return_location(shipment, disposition, location_id)
        returning = _returning(lines, shipped)
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
        entry, return_lines = _move_back(
            lines=lines,
            shipped=shipped,
            writer=writer,
            stock_return=stock_return,
            origin=origin,
            held=held,
            shipment_kind=shipment.kind,
            operator_id=operator.pk,
        )
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


def _return_location(shipment: Shipment, disposition: str, location_id: int | None) -> Location:
    """Into stock: the location named, or the shipment's warehouse's default storage; to scrap: the
    scrap location."""
    if disposition == ReturnDisposition.STOCK:
        return (
            _storage_in(location_id, warehouse_id=None, field="location")
            if location_id
            else _default_storage(shipment.warehouse_id)
        )
    return stock.virtual_location(LocationKind.SCRAP)


def _returning(lines: list[ReturnLineInput], shipped: dict[int, ShipmentLine]) -> dict[int, int]:
    """The quantity returned per shipment line; each line is of this shipment, positive, and no line
    comes back more than it was shipped."""
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
    return returning


def _move_back(
    *,
    lines: list[ReturnLineInput],
    shipped: dict[int, ShipmentLine],
    writer: stock.MovementWriter,
    stock_return: StockReturn,
    origin: Location,
    held: bool,
    shipment_kind: str,
    operator_id: int,
) -> tuple[EntryBuilder, list[StockReturnLine]]:
    """Each line moves back from the customer (or sample) location at the value it left with; held
    stock reverses its cost (buy-out) or the consignment payable of a sale. Answers the entry to post
    and the return lines to save."""
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
            destination=stock_return.location,
            quantity=line.quantity,
            value=value,
            reason=stock_return.reason,
        )
        return_lines.append(
            StockReturnLine(stock_return=stock_return, shipment_line=shipped_line, quantity=line.quantity, value=value)
        )
        if held:
            pool = writer.pools[(shipped_line.stock_item_id, shipped_line.owner_id)]
            if pool.ownership == Ownership.BUY_OUT:
                entry.move(debit=(shipped_line.owner_id, INVENTORY), credit=(shipped_line.owner_id, COST_OF_GOODS), amount=value)
            elif shipment_kind == ShipmentKind.SALE:
                entry.move(debit=(shipped_line.owner_id, PAYABLE), credit=(operator_id, COST_OF_GOODS), amount=value)
    return entry, return_lines
