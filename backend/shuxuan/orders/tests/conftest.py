"""The orders tests' world: an operator, two brands with mapped SKUs, an MCN with a bound anchor
(accounts on four platforms), an unbound second MCN, and the fixture files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from shuxuan.catalog.models import Category, Product, Sku
from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import PlatformProductMapping
from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, OrganizationKind, Role, User
from shuxuan.testing.factories import OrganizationFactory, UserFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DY_XIAOMAN = "58213907"
DY_DOUBAN = "3587421906512345678"
DY_HOTPOT = "3587421906512340001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class World:
    operator: Organization
    finance: User
    op_staff: User
    op_reviewer: User
    brand: Organization
    brand_user: User
    other_brand: Organization
    other_brand_user: User
    mcn: Organization
    mcn_user: User
    other_mcn: Organization
    other_mcn_user: User
    observer_user: User
    anchor: Anchor
    binding: McnBinding
    douban: Sku
    hotpot: Sku
    tea: Sku


def _sku(brand: Organization, code: str, name: str) -> Sku:
    category = Category.objects.filter(children__isnull=True).order_by("id").first() or Category.objects.create(
        code=f"test.{code}", name=name[:8]
    )
    product = Product.objects.create(brand=brand, category=category, name=name, origin_city="成都市", status="approved")
    return Sku.objects.create(
        product=product,
        brand=brand,
        code=code,
        spec="500g",
        supply_price_minor=1000,
        retail_price_minor=2000,
        min_live_price_minor=1500,
        max_live_price_minor=2500,
    )


@pytest.fixture
def world(db: Any) -> World:
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
    brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="郫都豆香坊食品有限公司")
    other_brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="蒙顶山茶业有限公司")
    mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="成都熊猫星选文化传媒有限公司")
    other_mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="绵阳星河传媒有限公司")
    observer = OrganizationFactory(kind=OrganizationKind.OBSERVER, name="四川省商务厅")
    finance = UserFactory(organization=operator, roles=[Role.FINANCE], username="op_fin_t")
    anchor = Anchor.objects.create(organization=mcn, name="蜀中小满")
    for platform, uid in (("douyin", DY_XIAOMAN), ("kuaishou", "3390217"), ("taobao", "2800001"), ("wechat", "ofd_chashan01")):
        AnchorAccount.objects.create(anchor=anchor, platform=platform, platform_uid=uid, nickname="蜀中小满")
    binding = McnBinding.objects.create(
        anchor=anchor, mcn=mcn, split_bps=3000, valid_from=at("2025-01-01 00:00:00"), created_by=finance
    )
    douban = _sku(brand, "DB-500", "郫县豆瓣酱")
    hotpot = _sku(brand, "HG-400", "老火锅底料")
    tea = _sku(other_brand, "TEA-100", "蒙顶甘露")
    for platform, product_id, sku in (
        ("douyin", DY_DOUBAN, douban),
        ("douyin", DY_HOTPOT, hotpot),
        ("kuaishou", "22001", douban),
        ("taobao", "680000111", tea),
        ("wechat", "10000088", tea),
    ):
        PlatformProductMapping.objects.create(platform=platform, platform_product_id=product_id, sku=sku)
    return World(
        operator=operator,
        finance=finance,
        op_staff=UserFactory(organization=operator, roles=[Role.STAFF], username="op_staff_t"),
        op_reviewer=UserFactory(organization=operator, roles=[Role.REVIEWER], username="op_rev_t"),
        brand=brand,
        brand_user=UserFactory(organization=brand, username="brand_t"),
        other_brand=other_brand,
        other_brand_user=UserFactory(organization=other_brand, username="brand2_t"),
        mcn=mcn,
        mcn_user=UserFactory(organization=mcn, username="mcn_t"),
        other_mcn=other_mcn,
        other_mcn_user=UserFactory(organization=other_mcn, username="mcn2_t"),
        observer_user=UserFactory(organization=observer, username="obs_t"),
        anchor=anchor,
        binding=binding,
        douban=douban,
        hotpot=hotpot,
        tea=tea,
    )


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fixture(name: str) -> Path:
    return FIXTURES / name
