"""Helpers the supply services share (package-private)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.supply.models import (
    Location,
    LocationKind,
    StockItem,
)

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


def _default_storage(warehouse_id: int) -> Location:
    return Location.objects.get(warehouse_id=warehouse_id, code=STOCK_CODE)


def _storage_in(location_id: int, *, warehouse_id: int | None, field: str) -> Location:
    location = Location.objects.filter(pk=location_id, kind=LocationKind.STORAGE).first()
    if location is None or (warehouse_id is not None and location.warehouse_id != warehouse_id):
        raise DomainError("库位不存在或不属于该仓库 / no such storage location in this warehouse", field=field)
    return location
