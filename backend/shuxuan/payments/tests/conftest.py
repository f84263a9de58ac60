"""Fixtures of the payments tests: the operator with a finance clerk, a brand with an approved SKU,
another brand, an MCN with an anchor, a live session tomorrow whose lineup has the brand's SKU, and
the local Stripe servers (the Connect stub, and localstripe behind it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from celery import current_app
from django.utils import timezone
from rest_framework.test import APIClient

from shuxuan.catalog import services as catalog
from shuxuan.catalog.categories import categories_ensure
from shuxuan.catalog.models import Category, Sku
from shuxuan.ledger.models import JournalEntry
from shuxuan.parties.models import Anchor, Organization, OrganizationKind, Role, User
from shuxuan.payments.testing.fixtures import connect_stub, localstripe_url, stripe_local, stripe_stub  # noqa: F401
from shuxuan.selection.models import LiveSession, LiveSessionItem, Pick, PickState
from shuxuan.testing.factories import AnchorFactory, OrganizationFactory, UserFactory


@dataclass
class World:
    operator: Organization
    finance: User
    reviewer: User
    brand: Organization
    brand_owner: User
    other_brand: Organization
    other_owner: User
    mcn: Organization
    mcn_owner: User
    anchor: Anchor
    sku: Sku
    session: LiveSession


def session_for(world_brand: Organization, anchor: Anchor, sku: Sku, user: User, *, starts_at: datetime) -> LiveSession:
    pick = Pick.objects.create(
        anchor=anchor, sku=sku, product=sku.product, brand=world_brand, state=PickState.PENDING, added_by=user
    )
    session = LiveSession.objects.create(
        anchor=anchor,
        mcn=anchor.organization,
        platform="douyin",
        title="川味好物夜场",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        created_by=user,
    )
    LiveSessionItem.objects.create(
        session=session, pick=pick, sku=sku, brand=world_brand, position=1, live_price_minor=2590, slot_fee_minor=50_000
    )
    return session


@pytest.fixture
def world(db: Any) -> World:
    categories_ensure(Category)
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
    brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="郫都豆香坊食品有限公司")
    other_brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="自贡盐帮冷吃食品有限公司")
    mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="熊猫星选")
    finance = UserFactory(organization=operator, roles=[Role.FINANCE], username="pay_finance")
    reviewer = UserFactory(organization=operator, roles=[Role.REVIEWER], username="pay_reviewer")
    brand_owner = UserFactory(organization=brand, username="pay_brand")
    other_owner = UserFactory(organization=other_brand, username="pay_brand_other")
    mcn_owner = UserFactory(organization=mcn, username="pay_mcn")
    anchor = AnchorFactory(organization=mcn, name="蜀中小满")
    product = catalog.product_create(
        actor=brand_owner,
        data={
            "category": Category.objects.get(code="condiment.doubanjiang").pk,
            "name": "郫县豆瓣 一级 500g",
            "origin_city": "成都市",
        },
        skus=[
            {
                "code": "PX-500",
                "spec": "500g",
                "currency": "CNY",
                "supply_price_minor": 980,
                "retail_price_minor": 2990,
                "min_live_price_minor": 2390,
                "max_live_price_minor": 2990,
            }
        ],
    )
    sku = product.skus.get()
    session = session_for(brand, anchor, sku, mcn_owner, starts_at=timezone.now() + timedelta(days=1))
    return World(
        operator=operator,
        finance=finance,
        reviewer=reviewer,
        brand=brand,
        brand_owner=brand_owner,
        other_brand=other_brand,
        other_owner=other_owner,
        mcn=mcn,
        mcn_owner=mcn_owner,
        anchor=anchor,
        sku=sku,
        session=session,
    )


@pytest.fixture
def eager() -> Iterator[None]:
    """Celery tasks run in the test's process (the enqueue still waits for the commit)."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def legs(key: str) -> list[tuple[str, int]]:
    """The postings of the entry with idempotency key `key`, as (account code, signed amount)."""
    entry = JournalEntry.objects.get(idempotency_key=key)
    return [(p.account.code, p.amount) for p in entry.postings.select_related("account").order_by("line_no")]
