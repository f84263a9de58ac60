"""Fixtures of the catalog tests: two brands, an operator with a reviewer and a non-reviewer, an MCN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from shuxuan.catalog import services
from shuxuan.catalog.categories import categories_ensure
from shuxuan.catalog.models import Category, Product
from shuxuan.parties.models import Organization, OrganizationKind, Role, User
from shuxuan.testing.factories import OrganizationFactory, UserFactory


@dataclass
class Cast:
    brand: Organization
    owner: User
    other_brand: Organization
    other_owner: User
    reviewer: User
    op_staff: User
    mcn_user: User


@pytest.fixture(autouse=True)
def _category_tree(db: Any) -> None:
    # Tests elsewhere that flush the database (transaction=True) remove what the migration seeded.
    categories_ensure(Category)


@pytest.fixture
def cast(db: Any) -> Cast:
    brand = OrganizationFactory(name="郫都豆香坊食品有限公司", kind=OrganizationKind.BRAND)
    other = OrganizationFactory(name="自贡盐帮冷吃食品有限公司", kind=OrganizationKind.BRAND)
    operator = OrganizationFactory(name="四川蜀选供应链管理有限公司", kind=OrganizationKind.OPERATOR)
    mcn = OrganizationFactory(name="成都熊猫星选文化传媒有限公司", kind=OrganizationKind.MCN)
    return Cast(
        brand=brand,
        owner=UserFactory(organization=brand, roles=[Role.OWNER]),
        other_brand=other,
        other_owner=UserFactory(organization=other, roles=[Role.OWNER]),
        reviewer=UserFactory(organization=operator, roles=[Role.REVIEWER]),
        op_staff=UserFactory(organization=operator, roles=[Role.STAFF]),
        mcn_user=UserFactory(organization=mcn, roles=[Role.OWNER]),
    )


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def sku_data(code: str, *, spec: str = "500g 袋装", supply: int = 980, retail: int = 1990, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "spec": spec,
        "currency": "CNY",
        "supply_price_minor": supply,
        "retail_price_minor": retail,
        "min_live_price_minor": extra.pop("min_live", retail * 8 // 10),
        "max_live_price_minor": extra.pop("max_live", retail),
        **extra,
    }


def make_product(
    owner: User,
    *,
    name: str = "郫县豆瓣酱 特级 500g",
    category_code: str = "condiment.doubanjiang",
    city: str = "成都市",
    county: str = "郫都区",
    skus: list[dict[str, Any]] | None = None,
    selling_points: list[str] | None = None,
    reviewer: User | None = None,
    state: str = "draft",
) -> Product:
    product = services.product_create(
        actor=owner,
        data={
            "category": category(category_code).pk,
            "name": name,
            "description": "二荆条辣椒与蚕豆瓣翻晒发酵。",
            "selling_points": selling_points if selling_points is not None else ["三年陈酿", "川菜之魂"],
            "origin_city": city,
            "origin_county": county,
            "is_geographic_indication": True,
            "shelf_life_days": 720,
            "ship_from": "成都仓",
        },
        skus=skus if skus is not None else [sku_data(f"{name[:4]}-{Product.objects.count()}-A")],
    )
    if state in ("submitted", "approved", "rejected"):
        services.product_submit(actor=owner, product=product)
    if state == "approved":
        assert reviewer is not None
        services.product_approve(actor=reviewer, product=product)
    if state == "rejected":
        assert reviewer is not None
        services.product_reject(actor=reviewer, product=product, reason="资料不全")
    product.refresh_from_db()
    return product


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
