"""Warehouses, their locations and stock items."""

from __future__ import annotations

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.supply.models import (
    Location,
    LocationKind,
    StockItem,
    Warehouse,
)
from shuxuan.supply.services._shared import (
    STOCK_CODE,
    TRANSIT_CODE,
    _operator_of,
)


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
