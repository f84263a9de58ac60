"""Scrapping stock from a balance."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import User
from shuxuan.supply import stock
from shuxuan.supply.models import (
    LocationKind,
    MovementKind,
    Ownership,
    StockBalance,
)
from shuxuan.supply.postings import COST_OF_GOODS, INVENTORY, EntryBuilder
from shuxuan.supply.services._shared import (
    _operator_of,
    _positive,
    _today,
)


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
