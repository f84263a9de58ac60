"""The stock-ledger core every supply service writes through: row locks, FEFO allocation, the
moving-average cost pool and the movement writer. Not transactional on its own: callers are the
services in `services.py`, each inside its own `transaction.atomic(durable=True)`.

Lock order, always: the document row (purchase order, shipment, transfer, count, reservation),
then balance rows in primary-key order (`balances_lock`), then cost pools in primary-key order
(`cost_pools_lock`). Each service takes each kind of lock in one call, so two services never wait
on each other in a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from shuxuan.common.exceptions import Conflict
from shuxuan.common.money import part_of, round_half_up
from shuxuan.supply.models import (
    HELD_KINDS,
    Location,
    LocationKind,
    MovementKind,
    Ownership,
    StockBalance,
    StockCost,
    StockItem,
    StockMovement,
)

BalanceKey = tuple[int, int, int | None, int]  # location, stock item, lot, owner
PoolKey = tuple[int, int]  # stock item, owner


def balance_key(balance: StockBalance) -> BalanceKey:
    return (balance.location_id, balance.stock_item_id, balance.lot_id, balance.owner_id)


def virtual_location(kind: str) -> Location:
    """The one location of a virtual kind (supplier, customer, sample holder, scrap, adjustment)."""
    location, _ = Location.objects.get_or_create(
        warehouse=None, kind=kind, defaults={"code": kind.upper(), "name": LocationKind(kind).label}
    )
    return location


def balances_lock(keys: Iterable[BalanceKey]) -> dict[BalanceKey, StockBalance]:
    """The one way to lock balance rows (STYLE.md habit 5): create the missing rows, then lock them
    all with one SELECT … ORDER BY id FOR UPDATE, so concurrent writers queue in the same order."""
    wanted = set(keys)
    if not wanted:
        return {}
    warehouses = dict(Location.objects.filter(pk__in={k[0] for k in wanted}).values_list("pk", "warehouse_id"))
    StockBalance.objects.bulk_create(
        [
            StockBalance(location_id=loc, warehouse_id=warehouses[loc], stock_item_id=item, lot_id=lot, owner_id=owner)
            for loc, item, lot, owner in wanted
        ],
        ignore_conflicts=True,
    )
    match = Q()
    for loc, item, lot, owner in wanted:
        match |= Q(location_id=loc, stock_item_id=item, lot_id=lot, owner_id=owner)
    rows = StockBalance.objects.select_for_update(of=("self",)).select_related("lot", "location").filter(match).order_by("pk")
    return {balance_key(row): row for row in rows}


def cost_pools_lock(keys: Iterable[PoolKey]) -> dict[PoolKey, StockCost]:
    """Lock the cost pools of (item, owner) pairs in primary-key order, creating missing ones.
    A pool whose owner is the item's brand is consignment; any other owner bought the stock out."""
    wanted = set(keys)
    if not wanted:
        return {}
    brands = dict(StockItem.objects.filter(pk__in={k[0] for k in wanted}).values_list("pk", "brand_id"))
    StockCost.objects.bulk_create(
        [
            StockCost(
                stock_item_id=item,
                owner_id=owner,
                ownership=Ownership.CONSIGNMENT if brands[item] == owner else Ownership.BUY_OUT,
            )
            for item, owner in wanted
        ],
        ignore_conflicts=True,
    )
    match = Q()
    for item, owner in wanted:
        match |= Q(stock_item_id=item, owner_id=owner)
    return {(p.stock_item_id, p.owner_id): p for p in StockCost.objects.select_for_update().filter(match).order_by("pk")}


def available_candidates(
    *,
    warehouse_id: int,
    stock_item_id: int,
    owner_id: int | None = None,
    lot_id: int | None = None,
    location_id: int | None = None,
) -> list[BalanceKey]:
    """Balance rows in a warehouse's storage that had stock available when read (before locking)."""
    rows = StockBalance.objects.filter(
        warehouse_id=warehouse_id, stock_item_id=stock_item_id, location__kind=LocationKind.STORAGE, on_hand__gt=F("reserved")
    )
    if owner_id is not None:
        rows = rows.filter(owner_id=owner_id)
    if lot_id is not None:
        rows = rows.filter(lot_id=lot_id)
    if location_id is not None:
        rows = rows.filter(location_id=location_id)
    return [
        (loc, item, lot, owner)
        for loc, item, lot, owner in rows.values_list("location_id", "stock_item_id", "lot_id", "owner_id")
    ]


def fefo_order(balance: StockBalance) -> tuple[Any, ...]:
    """First expiry first out; then earliest production; stock without a lot or dates last."""
    lot = balance.lot
    expiry = lot.expiry_date if lot and lot.expiry_date else date.max
    produced = lot.production_date if lot and lot.production_date else date.max
    return (expiry, produced, balance.lot_id is None, balance.lot_id or 0, balance.pk)


def allocate(rows: Iterable[StockBalance], quantity: int, *, taken: dict[int, int]) -> tuple[list[tuple[StockBalance, int]], int]:
    """Take `quantity` from locked rows in FEFO order. `taken` counts what earlier lines of the same
    document already took from each row. Returns the picks and the quantity that could be found."""
    picks: list[tuple[StockBalance, int]] = []
    remaining = quantity
    for row in sorted(rows, key=fefo_order):
        free = row.on_hand - row.reserved - taken.get(row.pk, 0)
        if free <= 0 or remaining == 0:
            continue
        take = min(free, remaining)
        picks.append((row, take))
        taken[row.pk] = taken.get(row.pk, 0) + take
        remaining -= take
    return picks, quantity - remaining


def issue_value(pool: StockCost, quantity: int) -> int:
    """The value of `quantity` units leaving a pool at moving average, half-up; all of it when the
    pool empties, so the pool never keeps a stray fen."""
    if quantity >= pool.quantity:
        return pool.value
    return part_of(pool.value, quantity, pool.quantity)


def average_value(pool: StockCost, quantity: int) -> int:
    """The value of `quantity` extra units at the pool's moving average (or its last average if empty)."""
    if pool.quantity == 0:
        return pool.last_unit_cost * quantity
    return round_half_up(Decimal(pool.value) * quantity / pool.quantity)


def unit_cost(pool: StockCost) -> int:
    if pool.quantity == 0:
        return pool.last_unit_cost
    return round_half_up(Decimal(pool.value) / pool.quantity)


@dataclass
class MovementWriter:
    """Applies movements to locked balances and pools in memory, then saves them in one go."""

    actor: Any
    source_type: str
    source_id: str
    effective_date: date
    balances: dict[BalanceKey, StockBalance]
    pools: dict[PoolKey, StockCost]
    movements: list[StockMovement] = field(default_factory=list)
    touched_balances: dict[int, StockBalance] = field(default_factory=dict)
    touched_pools: dict[int, StockCost] = field(default_factory=dict)

    def move(
        self,
        *,
        kind: MovementKind,
        stock_item_id: int,
        lot_id: int | None,
        owner_id: int,
        source: Location,
        destination: Location,
        quantity: int,
        value: int,
        reason: str,
    ) -> StockMovement:
        from_held = source.kind in HELD_KINDS
        to_held = destination.kind in HELD_KINDS
        if from_held:
            row = self.balances[(source.pk, stock_item_id, lot_id, owner_id)]
            row.on_hand -= quantity
            self.touched_balances[row.pk] = row
        if to_held:
            row = self.balances[(destination.pk, stock_item_id, lot_id, owner_id)]
            row.on_hand += quantity
            self.touched_balances[row.pk] = row
        sign = int(to_held) - int(from_held)
        if sign:
            pool = self.pools[(stock_item_id, owner_id)]
            if pool.quantity:
                pool.last_unit_cost = unit_cost(pool)
            pool.quantity += sign * quantity
            pool.value += sign * value
            if pool.quantity:
                pool.last_unit_cost = unit_cost(pool)
            self.touched_pools[pool.pk] = pool
        movement = StockMovement(
            kind=kind,
            stock_item_id=stock_item_id,
            lot_id=lot_id,
            owner_id=owner_id,
            from_location=source,
            to_location=destination,
            quantity=quantity,
            value=value,
            held_quantity=sign * quantity,
            held_value=sign * value,
            reason=reason,
            actor=self.actor,
            source_type=self.source_type,
            source_id=self.source_id,
            effective_date=self.effective_date,
        )
        self.movements.append(movement)
        return movement

    def reserve(self, row: StockBalance, quantity: int) -> None:
        """Positive to hold units, negative to let them go."""
        row.reserved += quantity
        self.touched_balances[row.pk] = row

    def save(self) -> list[StockMovement]:
        for row in self.touched_balances.values():
            if row.on_hand < 0 or not 0 <= row.reserved <= row.on_hand:
                # The services check availability before they move; this is the last fence before the
                # database's own CHECK constraints.
                raise Conflict("库存不足 / stock changed under this request; nothing was written", field="quantity")
        now = timezone.now()
        for row in self.touched_balances.values():
            row.updated_at = now
        StockBalance.objects.bulk_update(list(self.touched_balances.values()), ["on_hand", "reserved", "updated_at"])
        StockCost.objects.bulk_update(list(self.touched_pools.values()), ["quantity", "value", "last_unit_cost"])
        return StockMovement.objects.bulk_create(self.movements)
