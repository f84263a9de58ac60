"""Planning what a shipment or a transfer takes: validate its lines, lock their reservations and balances, allocate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shuxuan.common.exceptions import DomainError
from shuxuan.supply import stock
from shuxuan.supply.models import (
    Location,
    Reservation,
    ReservationLine,
    ReservationState,
    StockBalance,
    StockItem,
    Warehouse,
)
from shuxuan.supply.services._shared import (
    _line_label,
    _positive,
    _storage_in,
)


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
    picks = _allocate(lines=lines, items=items, reservation_lines=reservation_lines, balances=balances, warehouse=warehouse)
    return picks, balances


def _allocate(
    *,
    lines: list[PickInput],
    items: dict[int, StockItem],
    reservation_lines: dict[int, list[ReservationLine]],
    balances: dict[stock.BalanceKey, StockBalance],
    warehouse: Warehouse,
) -> list[_Pick]:
    """The picks of each line from the locked balances: a reserved line takes its reservation's
    rows, any other line the rows that match it (FEFO, `stock.allocate`); short stock is refused
    (insufficient_stock)."""
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
    return picks
