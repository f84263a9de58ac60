"""Settlement tests' world: an operator, a brand with two SKUs mapped on Douyin and Kuaishou, an
MCN with a bound anchor (30% MCN split), a logistics provider, and a helper that imports order
lines through the real generic importer."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from shuxuan.catalog.models import Category, Product, Sku
from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import OrderLine, PlatformProductMapping
from shuxuan.orders.services import import_path
from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, OrganizationKind, Role, User
from shuxuan.testing.factories import OrganizationFactory, UserFactory

COLUMNS = [
    "platform",
    "order_id",
    "status",
    "paid_at",
    "pay_amount",
    "quantity",
    "author_id",
    "product_id",
    "commission_rate",
    "service_fee_rate",
    "refund_amount",
    "subsidy",
    "confirmed_at",
    "settled_at",
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class World:
    operator: Organization
    finance: User
    brand: Organization
    brand_user: User
    mcn: Organization
    mcn_user: User
    logistics: Organization
    anchor: Anchor
    jiu: Sku
    tea: Sku
    tmp: Path

    def import_lines(self, rows: list[dict[str, Any]], name: str = "orders.csv") -> dict[str, Any]:
        """Import rows (dicts of COLUMNS; missing = empty) as a generic CSV; returns the report."""
        path = self.tmp / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({key: row.get(key, "") for key in COLUMNS})
        report = import_path(source="generic", path=path).as_json()
        assert report["ok"], report
        assert not report["rejected"], report
        return report

    def line(self, order_id: str) -> OrderLine:
        return OrderLine.objects.get(platform_order_id=order_id)


def _sku(brand: Organization, code: str, name: str, supply: int, retail: int) -> Sku:
    category = Category.objects.filter(children__isnull=True).order_by("id").first() or Category.objects.create(
        code=f"test.{code}", name=name[:8]
    )
    product = Product.objects.create(brand=brand, category=category, name=name, origin_city="宜宾市", status="approved")
    return Sku.objects.create(
        product=product,
        brand=brand,
        code=code,
        spec="500ml",
        supply_price_minor=supply,
        retail_price_minor=retail,
        min_live_price_minor=supply,
        max_live_price_minor=retail,
    )


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs refuse future cut-offs; the tests' orders are from November 2026."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 25))


@pytest.fixture
def world(db: Any, tmp_path: Path, settings: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SETTLEMENT_DEFAULT_MARGIN_BPS = 500
    settings.SETTLEMENT_MIN_PAYOUT_MINOR = 10_000
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
    brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="宜宾叙府窖酒业有限公司")
    mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="成都熊猫星选文化传媒有限公司")
    logistics = OrganizationFactory(kind=OrganizationKind.SERVICE_PROVIDER, name="成都蜀运供应链物流有限公司")
    finance = UserFactory(organization=operator, roles=[Role.FINANCE], username="op_fin_s")
    anchor = Anchor.objects.create(organization=mcn, name="蜀中小满")
    AnchorAccount.objects.create(anchor=anchor, platform="douyin", platform_uid="dy_58213907", nickname="蜀中小满")
    AnchorAccount.objects.create(anchor=anchor, platform="kuaishou", platform_uid="ks_3390217", nickname="小满的川味厨房")
    McnBinding.objects.create(anchor=anchor, mcn=mcn, split_bps=3000, valid_from=at("2025-01-01 00:00:00"), created_by=finance)
    jiu = _sku(brand, "JIU-500", "叙府窖 浓香型白酒 52度 500ml", supply=12_000, retail=29_900)
    tea = _sku(brand, "JIU-125", "叙府窖 小酒 125ml", supply=2_000, retail=5_900)
    for platform, product_id, sku in (
        ("douyin", "3600000000000000001", jiu),
        ("douyin", "3600000000000000002", tea),
        ("kuaishou", "ks-jiu-500", jiu),
    ):
        PlatformProductMapping.objects.create(platform=platform, platform_product_id=product_id, sku=sku)
    return World(
        operator=operator,
        finance=finance,
        brand=brand,
        brand_user=UserFactory(organization=brand, username="brand_s"),
        mcn=mcn,
        mcn_user=UserFactory(organization=mcn, username="mcn_s"),
        logistics=logistics,
        anchor=anchor,
        jiu=jiu,
        tea=tea,
        tmp=tmp_path,
    )
