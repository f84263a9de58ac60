"""Stock counts: record what was counted, post the differences as adjustments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import Organization, User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    CountState,
    LocationKind,
    Lot,
    MovementKind,
    Ownership,
    StockBalance,
    StockCount,
    StockCountLine,
    StockItem,
    Warehouse,
)
from shuxuan.supply.postings import COST_OF_GOODS, INVENTORY, EntryBuilder
from shuxuan.supply.services._shared import (
    _line_label,
    _operator_of,
    _storage_in,
    _today,
)


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
        _refuse_below_reserved(lines, keys, balances)
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


def _refuse_below_reserved(
    lines: list[StockCountLine], keys: list[stock.BalanceKey], balances: dict[stock.BalanceKey, StockBalance]
) -> None:
    """A count cannot go below what is reserved: the reservations are released first."""
    for index, line in enumerate(lines):
        row = balances[keys[index]]
        if line.counted_quantity < row.reserved:
            raise DomainError(
                f"{_line_label(index, line.stock_item)}: 盘点数 {line.counted_quantity} 低于已预留 {row.reserved}，"
                "请先释放预留 / "
                f"counted below the {row.reserved} units reserved; release reservations first",
                field=f"lines[{index}].counted_quantity",
            )
