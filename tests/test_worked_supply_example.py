"""Worked example of the stock ledger (进销存), June 2025, with every number checked by hand.

The operator (蜀选) buys 叙府窖 500ml from the brand 叙府酒业 (buy-out, 经销), sells some, takes a
return, counts the shelf, and sells consignment tea (代销) of 蒙顶茶业. Values are fen.

    step                              units  pool value  avg (half-up)   inventory   cost_of_goods   payable 叙府
    receive 12 @ 128.00 (lot A)       12     153 600     12 800          153 600     0               −153 600
    receive  8 @ 128.00 (lot B)       20     256 000     12 800          256 000                     −256 000
    receive 10 @ 131.50 (lot C)       30     387 500     12 916.67→12 917 387 500                    −387 500
    sell 7 (FEFO: lot B expires first)
        387 500 × 7 / 30 = 90 416.67 → 90 417
                                      23     297 083                     297 083     90 417
    return 2 of the 7 into stock (lot B)
        90 417 × 2 / 7 = 25 833.43 → 25 833
                                      25     322 916                     322 916     64 584
    count: lot A has 11, not 12
        322 916 × 1 / 25 = 12 916.64 → 12 917
                                      24     309 999     12 916.625→12 917 309 999   77 501

Consignment: receive 10 tea @ 58.00 — nothing posted (the brand owns it); sell 3 — the operator now
owes the brand 3 × 58.00 = 174.00: Dr cost_of_goods 17 400 / Cr payable 蒙顶 17 400.
"""

from datetime import date

import pytest

from shuxuan.ledger import facade as ledger
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.supply import services
from shuxuan.supply.models import Location, Ownership, ReturnDisposition, ShipmentKind, StockBalance, StockCost
from shuxuan.supply.selectors import Flow, stock_report, stock_value_check
from shuxuan.supply.stock import unit_cost
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def balance(org, account_type, as_of=None):
    account = ledger.account_get_or_create(organization_id=org.pk, type=account_type)
    return ledger.account_balance(account_id=account.pk, as_of=as_of)


def order_and_receive(clerk, brand, warehouse, item, quantity, price, ownership, receipts):
    order = services.purchase_order_create(
        actor=clerk,
        brand=brand,
        warehouse=warehouse,
        ownership=ownership,
        lines=[services.PurchaseLineInput(stock_item_id=item.pk, quantity=quantity, unit_price=price)],
    )
    services.purchase_order_confirm(actor=clerk, order_id=order.pk)
    line = order.lines.get()
    for day, qty, batch, expiry in receipts:
        services.receipt_create(
            actor=clerk,
            order_id=order.pk,
            effective_date=day,
            lines=[
                services.ReceiptLineInput(
                    purchase_order_line_id=line.pk,
                    quantity=qty,
                    batch_number=batch,
                    production_date=date(2025, 5, 1),
                    expiry_date=expiry,
                )
            ],
        )
    order.refresh_from_db()
    return order


def test_purchase_receipt_sale_return_count():  # long: worked example, the docstring table row by row
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="蜀选")
    jiu = OrganizationFactory(kind=OrganizationKind.BRAND, name="叙府酒业")
    tea_brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="蒙顶茶业")
    clerk = UserFactory(organization=operator, roles=[Role.SUPPLY])
    chengdu = services.warehouse_create(actor=clerk, code="CD-SL", name="成都双流仓")
    storage = Location.objects.get(warehouse=chengdu, code="STOCK")
    baijiu = services.stock_item_create(
        actor=clerk, sku_code="XFJ-500", name="叙府窖 500ml", brand=jiu, unit="瓶", requires_lot=True
    )
    tea = services.stock_item_create(actor=clerk, sku_code="MD-100", name="蒙顶甘露 100g", brand=tea_brand, requires_lot=True)

    # Purchase and receipt: 20 @ 128.00 in two deliveries, then 10 @ 131.50.
    first = order_and_receive(
        clerk,
        jiu,
        chengdu,
        baijiu,
        20,
        12_800,
        Ownership.BUY_OUT,
        [
            (date(2025, 6, 2), 12, "A", date(2030, 3, 31)),
            (date(2025, 6, 4), 8, "B", date(2029, 12, 31)),
        ],
    )
    assert first.state == "received"
    order_and_receive(
        clerk, jiu, chengdu, baijiu, 10, 13_150, Ownership.BUY_OUT, [(date(2025, 6, 6), 10, "C", date(2030, 6, 30))]
    )
    pool = StockCost.objects.get(stock_item=baijiu, owner=operator)
    assert (pool.quantity, pool.value, unit_cost(pool)) == (30, 387_500, 12_917)
    assert balance(operator, "inventory") == 387_500
    assert balance(jiu, "payable_to_party") == -387_500

    # Sale shipment of 7, no lot named: FEFO takes lot B (expires 2029-12-31).
    sale = services.shipment_create(
        actor=clerk,
        warehouse=chengdu,
        kind=ShipmentKind.SALE,
        carrier="顺丰",
        tracking_number="SF1001",
        reference="DY-88",
        lines=[services.PickInput(stock_item_id=baijiu.pk, quantity=7)],
        effective_date=date(2025, 6, 10),
    )
    sold = sale.lines.get()
    assert (sold.lot.batch_number, sold.quantity, sold.value) == ("B", 7, 90_417)
    assert balance(operator, "inventory") == 297_083
    assert balance(operator, "cost_of_goods") == 90_417

    # Return of 2 into stock, at the value they left with.
    services.return_create(
        actor=clerk,
        shipment_id=sale.pk,
        disposition=ReturnDisposition.STOCK,
        reason="七天无理由退货",
        lines=[services.ReturnLineInput(shipment_line_id=sold.pk, quantity=2)],
        effective_date=date(2025, 6, 12),
    )
    assert balance(operator, "inventory") == 322_916
    assert balance(operator, "cost_of_goods") == 64_584

    # Count: lot A shelf holds 11, not 12.
    lots = {row.lot.batch_number: row for row in StockBalance.objects.filter(stock_item=baijiu).select_related("lot")}
    assert {k: v.on_hand for k, v in lots.items()} == {"A": 12, "B": 3, "C": 10}
    count = services.count_create(
        actor=clerk,
        warehouse=chengdu,
        reason="6月月末盘点",
        lines=[
            services.CountLineInput(
                location_id=storage.pk,
                stock_item_id=baijiu.pk,
                owner_id=operator.pk,
                lot_id=lots["A"].lot_id,
                counted_quantity=11,
            )
        ],
    )
    services.count_post(actor=clerk, count_id=count.pk, effective_date=date(2025, 6, 30))
    assert count.lines.get().difference_value == -12_917
    pool.refresh_from_db()
    assert (pool.quantity, pool.value, unit_cost(pool)) == (24, 309_999, 12_917)
    assert balance(operator, "inventory") == 309_999
    assert balance(operator, "cost_of_goods") == 77_501
    assert balance(jiu, "payable_to_party") == -387_500

    # Consignment tea: received without posting, sold at supply price into the brand's payable.
    order_and_receive(
        clerk, tea_brand, chengdu, tea, 10, 5_800, Ownership.CONSIGNMENT, [(date(2025, 6, 15), 10, "T1", date(2026, 12, 31))]
    )
    assert balance(tea_brand, "payable_to_party") == 0
    services.shipment_create(
        actor=clerk,
        warehouse=chengdu,
        kind=ShipmentKind.SALE,
        carrier="中通",
        tracking_number="ZT2001",
        lines=[services.PickInput(stock_item_id=tea.pk, quantity=3)],
        effective_date=date(2025, 6, 20),
    )
    assert balance(tea_brand, "payable_to_party") == -17_400
    assert balance(operator, "cost_of_goods") == 77_501 + 17_400
    assert balance(operator, "inventory") == 309_999

    # 进销存 for June: the buy-out row ties to the inventory account at 30 June.
    report = {r.sku_code: r for r in stock_report(date_from=date(2025, 6, 1), date_to=date(2025, 6, 30))}
    row = report["XFJ-500"]
    assert (row.ownership, row.opening, row.purchased, row.sold, row.sampled, row.returned, row.adjusted, row.closing) == (
        Ownership.BUY_OUT,
        Flow(0, 0),
        Flow(30, 387_500),
        Flow(7, 90_417),
        Flow(0, 0),
        Flow(2, 25_833),
        Flow(-1, -12_917),
        Flow(24, 309_999),
    )
    assert row.closing.value == balance(operator, "inventory", as_of=date(2025, 6, 30))
    assert report["MD-100"].ownership == Ownership.CONSIGNMENT
    assert (report["MD-100"].purchased, report["MD-100"].sold, report["MD-100"].closing) == (
        Flow(10, 58_000),
        Flow(3, 17_400),
        Flow(7, 40_600),
    )
    assert stock_value_check() is None
