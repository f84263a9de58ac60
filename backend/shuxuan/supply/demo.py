"""Supply's part of the demo world: two warehouses, a few SKUs of the demo brands, one received
buy-out purchase order and one partly received consignment order. Idempotent: a second run finds
everything by its code or note and creates nothing.

Call it after the parties' demo world exists, outside any open transaction (each supply service
owns a durable transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.supply import services
from shuxuan.supply.models import Ownership, PurchaseOrder, PurchaseOrderState, StockItem, Warehouse

ACTOR = "op_supply"


@dataclass(frozen=True)
class ItemSeed:
    brand_username: str
    sku_code: str
    name: str
    unit: str
    requires_lot: bool


WAREHOUSES = [
    ("CD-SL", "成都双流仓", "成都市", "双流区"),
    ("YB-CP", "宜宾翠屏仓", "宜宾市", "翠屏区"),
]

ITEMS = [
    ItemSeed("brand_jiu", "XFJ-NX52-500", "叙府窖 浓香型 52度 500ml", "瓶", True),
    ItemSeed("brand_jiu", "XFJ-NX52-GIFT", "叙府窖 浓香型 52度 礼盒 2×500ml", "盒", True),
    ItemSeed("brand_tea", "MD-GL-100", "蒙顶甘露 明前特级 100g", "罐", True),
    ItemSeed("brand_hotpot", "CWF-NY-500", "川味坊 牛油火锅底料 500g", "袋", True),
    ItemSeed("brand_shoes", "SL-BX-39", "蜀履 手工布鞋 39码", "双", False),
]

# (note that identifies the order, brand username, warehouse code, ownership, lines, received per line, batch)
ORDERS = [
    (
        "叙府窖 浓香型首批经销进货",
        "brand_jiu",
        "CD-SL",
        Ownership.BUY_OUT,
        [("XFJ-NX52-500", 120, 16_800), ("XFJ-NX52-GIFT", 40, 39_800)],
        [120, 40],
        ("XFJ2505A", date(2025, 5, 8), date(2030, 5, 7)),
    ),
    (
        "蒙顶甘露 明前特级代销备货",
        "brand_tea",
        "CD-SL",
        Ownership.CONSIGNMENT,
        [("MD-GL-100", 200, 5_800)],
        [150],
        ("MD2504-MQ", date(2025, 4, 2), date(2026, 10, 1)),
    ),
]
RECEIVED_ON = date(2025, 6, 3)


def _brand(username: str) -> Organization | None:
    user = User.objects.select_related("organization").filter(username=username).first()
    if user is None or user.organization is None or user.organization.kind != OrganizationKind.BRAND:
        return None
    return user.organization


def seed_supply_demo() -> dict[str, int]:
    """Returns how many of each thing this run created."""
    created = {"warehouses": 0, "stock_items": 0, "purchase_orders": 0, "receipts": 0}
    actor = User.objects.select_related("organization").filter(username=ACTOR).first()
    if actor is None:
        return created
    warehouses = {}
    for code, name, city, county in WAREHOUSES:
        warehouse = Warehouse.objects.filter(code=code).first()
        if warehouse is None:
            warehouse = services.warehouse_create(actor=actor, code=code, name=name, city=city, county=county)
            created["warehouses"] += 1
        warehouses[code] = warehouse
    items = {}
    for seed in ITEMS:
        brand = _brand(seed.brand_username)
        if brand is None:
            continue
        item = StockItem.objects.filter(sku_code=seed.sku_code).first()
        if item is None:
            item = services.stock_item_create(
                actor=actor, sku_code=seed.sku_code, name=seed.name, brand=brand, unit=seed.unit, requires_lot=seed.requires_lot
            )
            created["stock_items"] += 1
        items[seed.sku_code] = item
    for note, brand_username, warehouse_code, ownership, lines, received, (batch, produced, expiry) in ORDERS:
        brand = _brand(brand_username)
        if brand is None or any(sku not in items for sku, _, _ in lines):
            continue
        order = PurchaseOrder.objects.filter(note=note).first()
        if order is None:
            order = services.purchase_order_create(
                actor=actor,
                brand=brand,
                warehouse=warehouses[warehouse_code],
                ownership=ownership,
                note=note,
                lines=[
                    services.PurchaseLineInput(stock_item_id=items[sku].pk, quantity=quantity, unit_price=price)
                    for sku, quantity, price in lines
                ],
            )
            created["purchase_orders"] += 1
        if order.state == PurchaseOrderState.DRAFT:
            order = services.purchase_order_confirm(actor=actor, order_id=order.pk)
        if order.state == PurchaseOrderState.CONFIRMED:
            services.receipt_create(
                actor=actor,
                order_id=order.pk,
                effective_date=RECEIVED_ON,
                lines=[
                    services.ReceiptLineInput(
                        purchase_order_line_id=line.pk,
                        quantity=quantity,
                        batch_number=batch if line.stock_item.requires_lot else "",
                        production_date=produced if line.stock_item.requires_lot else None,
                        expiry_date=expiry if line.stock_item.requires_lot else None,
                    )
                    for line, quantity in zip(order.lines.select_related("stock_item").order_by("line_no"), received, strict=True)
                    if quantity
                ],
            )
            created["receipts"] += 1
    _seed_due_and_expiring(actor, warehouses, items, created)
    return created


# Dated from the day the world is seeded, so the supply desk always has something to act on: an
# order expected this week and a lot of hotpot base that expires within the month.
DUE_NOTE = "本周到货：叙府窖 52度 补货"
EXPIRING_NOTE = "临期批次：川味坊 牛油火锅底料"
DUE_IN_DAYS = 5
EXPIRES_IN_DAYS = 20


def _seed_due_and_expiring(
    actor: User, warehouses: dict[str, Warehouse], items: dict[str, StockItem], created: dict[str, int]
) -> None:
    today = timezone.localdate()
    due_item, lot_item = items.get("XFJ-NX52-500"), items.get("CWF-NY-500")
    if due_item is not None and not PurchaseOrder.objects.filter(note=DUE_NOTE).exists():
        order = services.purchase_order_create(
            actor=actor, brand=due_item.brand, warehouse=warehouses["CD-SL"], ownership=Ownership.BUY_OUT, note=DUE_NOTE,
            lines=[services.PurchaseLineInput(stock_item_id=due_item.pk, quantity=48, unit_price=16_800,
                                              expected_date=today + timedelta(days=DUE_IN_DAYS))],
        )  # fmt: skip
        services.purchase_order_confirm(actor=actor, order_id=order.pk)
        created["purchase_orders"] += 1
    if lot_item is not None and not PurchaseOrder.objects.filter(note=EXPIRING_NOTE).exists():
        order = services.purchase_order_create(
            actor=actor, brand=lot_item.brand, warehouse=warehouses["YB-CP"], ownership=Ownership.BUY_OUT,
            note=EXPIRING_NOTE,
            lines=[services.PurchaseLineInput(stock_item_id=lot_item.pk, quantity=30, unit_price=1_200)],
        )  # fmt: skip
        created["purchase_orders"] += 1
        order = services.purchase_order_confirm(actor=actor, order_id=order.pk)
        expiry = today + timedelta(days=EXPIRES_IN_DAYS)
        services.receipt_create(
            actor=actor,
            order_id=order.pk,
            lines=[
                services.ReceiptLineInput(
                    purchase_order_line_id=order.lines.get().pk, quantity=30, batch_number=f"CWF{today:%y%m}-LQ",
                    production_date=expiry - timedelta(days=365), expiry_date=expiry,
                )
            ],
        )  # fmt: skip
        created["receipts"] += 1
