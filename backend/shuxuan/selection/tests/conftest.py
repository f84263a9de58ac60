"""Fixtures of the selection tests: a brand with an approved product of two SKUs, an MCN with two
bound anchors (one with its own login), a second MCN with its anchor, the operator's supply clerk
and reviewer, and helpers to hold stock in supply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from shuxuan.catalog import services as catalog
from shuxuan.catalog.categories import categories_ensure
from shuxuan.catalog.models import Category, Product, Sku
from shuxuan.parties import services as parties
from shuxuan.parties.models import Anchor, Organization, OrganizationKind, Role, User
from shuxuan.supply import services as supply
from shuxuan.supply.models import Ownership, StockItem
from shuxuan.testing.factories import OrganizationFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    """A moment in Asia/Shanghai: at(2026, 3, 10, 15) is 10 March 2026 15:00 local."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@dataclass
class World:
    brand: Organization
    brand_owner: User
    other_brand: Organization
    other_owner: User
    operator: Organization
    reviewer: User
    clerk: User
    mcn: Organization
    mcn_owner: User
    other_mcn: Organization
    other_mcn_owner: User
    xiaoman: Anchor  # 2.35M douyin fans, own login `xiaoman_user`
    xiaoman_user: User
    amon: Anchor  # 120k douyin, 310k xiaohongshu
    stranger: Anchor  # bound to the other MCN, 3M kuaishou
    product: Product
    sku: Sku  # retail ¥29.90, live ¥23.90–29.90, supply ¥9.80
    sku2: Sku
    other_product: Product


def _product(owner: User, reviewer: User, name: str, codes: list[str]) -> Product:
    category = Category.objects.get(code="condiment.doubanjiang")
    product = catalog.product_create(
        actor=owner,
        data={"category": category.pk, "name": name, "origin_city": "成都市", "origin_county": "郫都区"},
        skus=[
            {
                "code": code,
                "spec": f"规格{index}",
                "currency": "CNY",
                "supply_price_minor": 980,
                "retail_price_minor": 2990,
                "min_live_price_minor": 2390,
                "max_live_price_minor": 2990,
            }
            for index, code in enumerate(codes)
        ],
    )
    catalog.product_submit(actor=owner, product=product)
    catalog.product_approve(actor=reviewer, product=product)
    product.refresh_from_db()
    return product


@pytest.fixture
def world(db: Any) -> World:
    categories_ensure(Category)
    brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="郫都豆香坊食品有限公司")
    other_brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="自贡盐帮冷吃食品有限公司")
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
    mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="熊猫星选")
    other_mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="天府好物")
    brand_owner = UserFactory(organization=brand, username="brand_t")
    other_owner = UserFactory(organization=other_brand, username="brand_other_t")
    reviewer = UserFactory(organization=operator, roles=[Role.REVIEWER], username="op_reviewer_t")
    clerk = UserFactory(organization=operator, roles=[Role.SUPPLY], username="op_supply_t")
    mcn_owner = UserFactory(organization=mcn, username="mcn_t")
    other_mcn_owner = UserFactory(organization=other_mcn, username="mcn_other_t")
    xiaoman_user = UserFactory(organization=mcn, roles=[Role.STAFF], username="xiaoman_user")
    start = at(2025, 1, 1)

    def anchor(org: Organization, name: str, accounts: list[tuple[str, int]], user: User | None = None) -> Anchor:
        a = parties.anchor_create(
            actor=None,
            organization=org,
            name=name,
            accounts=[{"platform": p, "platform_uid": f"{name}-{p}", "nickname": name, "fans": fans} for p, fans in accounts],
        )
        parties.anchor_bind_mcn(actor=clerk, anchor=a, mcn=org, split_bps=3000, valid_from=start)
        if user is not None:
            a.user = user
            a.save(update_fields=["user"])
        return a

    xiaoman = anchor(mcn, "蜀中小满", [("douyin", 2_350_000), ("kuaishou", 860_000)], xiaoman_user)
    amon = anchor(mcn, "茶仙阿蒙", [("douyin", 120_000), ("xiaohongshu", 310_000)])
    stranger = anchor(other_mcn, "川妹子辣辣", [("kuaishou", 3_000_000)])
    product = _product(brand_owner, reviewer, "郫县豆瓣 一级 500g", ["PX-500", "PX-1000"])
    skus = list(product.skus.order_by("id"))
    other_product = _product(other_owner, reviewer, "冷吃兔 麻辣 200g", ["LCT-200"])
    return World(
        brand=brand,
        brand_owner=brand_owner,
        other_brand=other_brand,
        other_owner=other_owner,
        operator=operator,
        reviewer=reviewer,
        clerk=clerk,
        mcn=mcn,
        mcn_owner=mcn_owner,
        other_mcn=other_mcn,
        other_mcn_owner=other_mcn_owner,
        xiaoman=xiaoman,
        xiaoman_user=xiaoman_user,
        amon=amon,
        stranger=stranger,
        product=product,
        sku=skus[0],
        sku2=skus[1],
        other_product=other_product,
    )


def stock(world: World, sku: Sku, quantity: int, *, code: str | None = None) -> StockItem:
    """Receive `quantity` units of `sku` into a warehouse; the stock item has the SKU's code (lookup by code)."""
    item = supply.stock_item_create(actor=world.clerk, sku_code=code or sku.code, name=sku.spec, brand=world.brand)
    warehouse = supply.warehouse_create(actor=world.clerk, code=f"W{item.pk}", name="成都双流仓")
    order = supply.purchase_order_create(
        actor=world.clerk,
        brand=world.brand,
        warehouse=warehouse,
        ownership=Ownership.BUY_OUT,
        lines=[supply.PurchaseLineInput(stock_item_id=item.pk, quantity=quantity, unit_price=sku.supply_price_minor)],
    )
    supply.purchase_order_confirm(actor=world.clerk, order_id=order.pk)
    line = order.lines.get()
    supply.receipt_create(
        actor=world.clerk, order_id=order.pk, lines=[supply.ReceiptLineInput(purchase_order_line_id=line.pk, quantity=quantity)]
    )
    return item


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
