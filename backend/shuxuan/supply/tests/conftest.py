"""Fixtures for supply tests: an operator with supply staff, two brands, two warehouses, items."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from shuxuan.ledger import facade as ledger
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.supply import services
from shuxuan.supply.models import Ownership, PurchaseOrder
from shuxuan.testing.factories import OrganizationFactory, UserFactory


def balance_of(organization, account_type: str, as_of: date | None = None) -> int:
    account = ledger.account_get_or_create(organization_id=organization.pk, type=account_type)
    return ledger.account_balance(account_id=account.pk, as_of=as_of)


@pytest.fixture
def operator(db):
    return OrganizationFactory(kind=OrganizationKind.OPERATOR, name="蜀选运营")


@pytest.fixture
def clerk(operator):
    return UserFactory(organization=operator, roles=[Role.SUPPLY], username="op_supply_t")


@pytest.fixture
def brand(db):
    return OrganizationFactory(kind=OrganizationKind.BRAND, name="叙府酒业")


@pytest.fixture
def other_brand(db):
    return OrganizationFactory(kind=OrganizationKind.BRAND, name="蒙顶茶业")


@pytest.fixture
def chengdu(clerk):
    return services.warehouse_create(actor=clerk, code="CD", name="成都双流仓", city="成都市", county="双流区")


@pytest.fixture
def yibin(clerk):
    return services.warehouse_create(actor=clerk, code="YB", name="宜宾仓", city="宜宾市")


@pytest.fixture
def liquor(clerk, brand):
    return services.stock_item_create(
        actor=clerk, sku_code="JIU-500", name="叙府窖 500ml", brand=brand, unit="瓶", requires_lot=True
    )


@pytest.fixture
def tea(clerk, other_brand):
    return services.stock_item_create(actor=clerk, sku_code="TEA-100", name="蒙顶甘露 100g", brand=other_brand, unit="盒")


def place_order(clerk, brand, warehouse, lines, *, ownership=Ownership.BUY_OUT) -> PurchaseOrder:
    order = services.purchase_order_create(
        actor=clerk,
        brand=brand,
        warehouse=warehouse,
        ownership=ownership,
        lines=[services.PurchaseLineInput(stock_item_id=item.pk, quantity=q, unit_price=price) for item, q, price in lines],
    )
    return services.purchase_order_confirm(actor=clerk, order_id=order.pk)


def receive(clerk, order, quantities, *, batch="", expiry=None, produced=None, day=None, location_id=None):
    """quantities: per order line (in line order); 0 skips the line."""
    lines = [
        services.ReceiptLineInput(
            purchase_order_line_id=line.pk, quantity=q, batch_number=batch, production_date=produced, expiry_date=expiry
        )
        for line, q in zip(order.lines.order_by("line_no"), quantities, strict=True)
        if q
    ]
    return services.receipt_create(actor=clerk, order_id=order.pk, lines=lines, effective_date=day, location_id=location_id)


def stock_in(clerk, brand, warehouse, item, quantity, price, *, ownership=Ownership.BUY_OUT, batch="", expiry=None, day=None):
    order = place_order(clerk, brand, warehouse, [(item, quantity, price)], ownership=ownership)
    return receive(clerk, order, [quantity], batch=batch, expiry=expiry, day=day, produced=date(2025, 1, 1) if batch else None)


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    """An API client authenticated as `user`."""
    client = APIClient()
    client.force_authenticate(user)
    return client
