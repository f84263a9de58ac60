from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuxuan.audit.models import AuditEntry
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.supply.models import Ownership, PurchaseOrder, Receipt, StockBalance, StockMovement
from shuxuan.supply.tests.conftest import client_for, place_order, receive, stock_in
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/supply"


@pytest.fixture
def staff(clerk):
    return client_for(clerk)


def test_purchase_order_create_confirm_receive_over_http(staff, operator, brand, chengdu, liquor):
    created = staff.post(
        f"{BASE}/purchase-orders/",
        {
            "brand": brand.pk,
            "warehouse": chengdu.pk,
            "ownership": "buy_out",
            "lines": [
                {
                    "stock_item": liquor.pk,
                    "quantity": 12,
                    "unit_price": {"amount": "128.50", "currency": "CNY"},
                    "expected_date": "2025-05-01",
                }
            ],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft"
    assert body["lines"][0]["unit_price"] == {"amount": "128.50", "currency": "CNY"}
    order_id, line_id = body["id"], body["lines"][0]["id"]

    assert staff.post(f"{BASE}/purchase-orders/{order_id}/confirm/").json()["state"] == "confirmed"
    receipt = staff.post(
        f"{BASE}/purchase-orders/{order_id}/receive/",
        {
            "effective_date": "2025-05-02",
            "lines": [
                {
                    "purchase_order_line": line_id,
                    "quantity": 5,
                    "batch_number": "B1",
                    "production_date": "2025-01-01",
                    "expiry_date": "2027-01-01",
                },
            ],
        },
    )
    assert receipt.status_code == 201, receipt.json()
    assert receipt.json()["lines"][0]["value"] == {"amount": "642.50", "currency": "CNY"}

    over = staff.post(
        f"{BASE}/purchase-orders/{order_id}/receive/",
        {
            "lines": [
                {
                    "purchase_order_line": line_id,
                    "quantity": 8,
                    "batch_number": "B1",
                    "production_date": "2025-01-01",
                    "expiry_date": "2027-01-01",
                }
            ]
        },
    )
    assert over.status_code == 400
    assert over.json()["code"] == "over_receipt"
    assert "lines[0].quantity" in over.json()["errors"]
    assert Receipt.objects.count() == 1

    stock = staff.get(f"{BASE}/stock/", {"sku": "JIU-500"}).json()["results"]
    assert [(r["on_hand"], r["available"], r["lot"]["batch_number"], r["unit_cost"]["amount"]) for r in stock] == [
        (5, 5, "B1", "128.50")
    ]


def test_bad_input_is_refused_with_the_field_named(staff, brand, chengdu, liquor):
    response = staff.post(
        f"{BASE}/purchase-orders/",
        {
            "brand": brand.pk,
            "warehouse": chengdu.pk,
            "ownership": "buy_out",
            "lines": [{"stock_item": liquor.pk, "quantity": 1, "unit_price": 12.5}],
        },
    )
    assert response.status_code == 400
    assert "lines" in response.json()
    assert PurchaseOrder.objects.count() == 0


def test_a_price_with_sub_fen_digits_is_refused_and_a_blank_note_accepted(staff, brand, chengdu, liquor):
    order = {"brand": brand.pk, "warehouse": chengdu.pk, "ownership": "buy_out", "note": ""}
    too_precise = staff.post(
        f"{BASE}/purchase-orders/",
        {**order, "lines": [{"stock_item": liquor.pk, "quantity": 1, "unit_price": {"amount": "1.234", "currency": "CNY"}}]},
    )
    assert too_precise.status_code == 400
    assert "more than 2 decimal places" in str(too_precise.json()["lines"])
    assert PurchaseOrder.objects.count() == 0
    exact = staff.post(
        f"{BASE}/purchase-orders/",
        {**order, "lines": [{"stock_item": liquor.pk, "quantity": 1, "unit_price": {"amount": "1.23", "currency": "CNY"}}]},
    )
    assert exact.status_code == 201, exact.json()
    assert exact.json()["lines"][0]["unit_price"] == {"amount": "1.23", "currency": "CNY"}


def test_shipment_return_transfer_count_and_reservation_over_http(staff, clerk, operator, other_brand, chengdu, yibin, tea):
    stock_in(clerk, other_brand, chengdu, tea, 10, 500)
    reserved = staff.post(
        f"{BASE}/reservations/", {"warehouse": chengdu.pk, "stock_item": tea.pk, "quantity": 2, "purpose": "live_session"}
    )
    assert reserved.status_code == 201 and reserved.json()["held"] == 2
    shipped = staff.post(
        f"{BASE}/shipments/",
        {
            "warehouse": chengdu.pk,
            "kind": "sale",
            "carrier": "顺丰",
            "tracking_number": "SF1",
            "reference": "DY-1",
            "lines": [{"stock_item": tea.pk, "quantity": 3}],
        },
    )
    assert shipped.status_code == 201, shipped.json()
    line = shipped.json()["lines"][0]
    assert line["value"] == {"amount": "15.00", "currency": "CNY"}
    returned = staff.post(
        f"{BASE}/shipments/{shipped.json()['id']}/returns/",
        {"disposition": "stock", "reason": "七天无理由", "lines": [{"shipment_line": line["id"], "quantity": 1}]},
    )
    assert returned.status_code == 201, returned.json()
    moved = staff.post(
        f"{BASE}/transfers/",
        {"from_warehouse": chengdu.pk, "to_warehouse": yibin.pk, "lines": [{"stock_item": tea.pk, "quantity": 2}]},
    )
    assert moved.status_code == 201, moved.json()
    assert staff.post(f"{BASE}/transfers/{moved.json()['id']}/receive/", {}).json()["state"] == "received"
    storage = chengdu.locations.get(code="STOCK")
    count = staff.post(
        f"{BASE}/counts/",
        {
            "warehouse": chengdu.pk,
            "reason": "抽盘",
            "lines": [{"location": storage.pk, "stock_item": tea.pk, "owner": operator.pk, "counted_quantity": 6}],
        },
    )
    assert count.status_code == 201, count.json()
    posted = staff.post(f"{BASE}/counts/{count.json()['id']}/post/", {})
    assert posted.json()["state"] == "posted"
    assert posted.json()["lines"][0]["system_quantity"] == 6
    released = staff.post(f"{BASE}/reservations/{reserved.json()['id']}/release/")
    assert released.json()["state"] == "released"
    report = staff.get(f"{BASE}/report/", {"date_from": "2020-01-01", "date_to": "2099-12-31"}).json()
    assert report[0]["closing"] == {"quantity": 8, "value": {"amount": "40.00", "currency": "CNY"}}
    assert AuditEntry.objects.filter(action__startswith="supply.").count() >= 8


def test_expiring_before_and_owner_filters(staff, clerk, operator, brand, chengdu, liquor):
    stock_in(clerk, brand, chengdu, liquor, 2, 100, batch="SOON", expiry=date(2025, 12, 31))
    stock_in(clerk, brand, chengdu, liquor, 3, 100, batch="LATER", expiry=date(2027, 12, 31))
    stock_in(clerk, brand, chengdu, liquor, 4, 100, batch="CONS", expiry=date(2027, 12, 31), ownership=Ownership.CONSIGNMENT)
    soon = staff.get(f"{BASE}/stock/", {"expiring_before": "2026-01-01"}).json()["results"]
    assert [r["lot"]["batch_number"] for r in soon] == ["SOON"]
    mine = staff.get(f"{BASE}/stock/", {"owner": brand.pk}).json()["results"]
    assert [r["lot"]["batch_number"] for r in mine] == ["CONS"]
    assert staff.get(f"{BASE}/stock/", {"warehouse": chengdu.pk, "batch_number": "LATER"}).json()["count"] == 1


def test_brand_reads_its_stock_and_inbound_orders_only(clerk, operator, brand, other_brand, chengdu, liquor, tea):
    stock_in(clerk, brand, chengdu, liquor, 2, 100, batch="A", expiry=date(2027, 1, 1))
    stock_in(clerk, brand, chengdu, liquor, 3, 100, batch="B", expiry=date(2027, 1, 1), ownership=Ownership.CONSIGNMENT)
    stock_in(clerk, other_brand, chengdu, tea, 5, 100)
    brand_client = client_for(UserFactory(organization=brand, roles=[Role.OWNER]))

    rows = brand_client.get(f"{BASE}/stock/").json()["results"]
    assert sorted((r["owner"]["id"], r["on_hand"]) for r in rows) == sorted([(operator.pk, 2), (brand.pk, 3)])
    orders = brand_client.get(f"{BASE}/purchase-orders/").json()["results"]
    assert {o["brand"]["id"] for o in orders} == {brand.pk} and len(orders) == 2
    tea_row = StockBalance.objects.get(stock_item=tea)
    tea_order = PurchaseOrder.objects.get(brand=other_brand)
    assert brand_client.get(f"{BASE}/stock/{tea_row.pk}/").status_code == 404
    assert brand_client.get(f"{BASE}/purchase-orders/{tea_order.pk}/").status_code == 404
    own_order = PurchaseOrder.objects.filter(brand=brand).first()
    assert brand_client.post(f"{BASE}/purchase-orders/{own_order.pk}/confirm/").status_code == 403
    report = brand_client.get(f"{BASE}/report/", {"date_from": "2020-01-01", "date_to": "2099-12-31"}).json()
    assert {r["sku_code"] for r in report} == {"JIU-500"}

    mcn_client = client_for(UserFactory(organization=OrganizationFactory(kind=OrganizationKind.MCN)))
    assert mcn_client.get(f"{BASE}/stock/").json()["count"] == 0
    assert mcn_client.get(f"{BASE}/stock/{tea_row.pk}/").status_code == 404
    assert mcn_client.get(f"{BASE}/purchase-orders/{tea_order.pk}/").status_code == 404
    assert mcn_client.get(f"{BASE}/report/", {"date_from": "2020-01-01", "date_to": "2099-12-31"}).json() == []


def test_only_supply_staff_write(operator, brand, chengdu, liquor):
    finance = client_for(UserFactory(organization=operator, roles=[Role.FINANCE]))
    assert finance.get(f"{BASE}/purchase-orders/").status_code == 200
    response = finance.post(
        f"{BASE}/purchase-orders/",
        {
            "brand": brand.pk,
            "warehouse": chengdu.pk,
            "ownership": "buy_out",
            "lines": [{"stock_item": liquor.pk, "quantity": 1, "unit_price": {"amount": "1.00"}}],
        },
    )
    assert response.status_code == 403
    assert PurchaseOrder.objects.count() == 0


def _grow(clerk, brand, other_brand, chengdu, liquor, tea, n):
    for i in range(n):
        stock_in(clerk, brand, chengdu, liquor, 2, 100, batch=f"N{n}-{i}", expiry=date(2027, 1, 1))
        stock_in(clerk, other_brand, chengdu, tea, 3, 100)
        order = place_order(clerk, brand, chengdu, [(liquor, 3, 100)])
        receive(clerk, order, [1], batch=f"P{n}-{i}", expiry=date(2027, 1, 1))


LISTS = [
    "stock",
    "purchase-orders",
    "receipts",
    "movements",
    "shipments",
    "transfers",
    "counts",
    "reservations",
    "returns",
    "warehouses",
    "stock-items",
]


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_endpoints_do_not_grow_queries_with_rows(
    staff, clerk, brand, other_brand, chengdu, yibin, liquor, tea, endpoint, django_assert_num_queries
):
    def populate(n):
        _grow(clerk, brand, other_brand, chengdu, liquor, tea, n)
        ship = staff.post(
            f"{BASE}/shipments/",
            {
                "warehouse": chengdu.pk,
                "kind": "sale",
                "carrier": "EMS",
                "tracking_number": f"E{n}",
                "lines": [{"stock_item": tea.pk, "quantity": 1}],
            },
        ).json()
        staff.post(
            f"{BASE}/shipments/{ship['id']}/returns/",
            {"disposition": "stock", "reason": "r", "lines": [{"shipment_line": ship["lines"][0]["id"], "quantity": 1}]},
        )
        staff.post(
            f"{BASE}/transfers/",
            {"from_warehouse": chengdu.pk, "to_warehouse": yibin.pk, "lines": [{"stock_item": tea.pk, "quantity": 1}]},
        )
        assert (
            staff.post(
                f"{BASE}/reservations/", {"warehouse": chengdu.pk, "stock_item": tea.pk, "quantity": 1, "purpose": "sample"}
            ).status_code
            == 201
        )
        staff.post(
            f"{BASE}/counts/",
            {
                "warehouse": chengdu.pk,
                "reason": "c",
                "lines": [
                    {
                        "location": chengdu.locations.get(code="STOCK").pk,
                        "stock_item": liquor.pk,
                        "owner": clerk.organization_id,
                        "counted_quantity": 1,
                        "lot": StockBalance.objects.filter(stock_item=liquor).first().lot_id,
                    }
                ],
            },
        )

    populate(1)

    with CaptureQueriesContext(connection) as small:
        assert staff.get(f"{BASE}/{endpoint}/").json()["count"] >= 1
    queries_for_few_rows = len(small.captured_queries)  # read now: the next request resets the log
    populate(3)
    with django_assert_num_queries(queries_for_few_rows):
        response = staff.get(f"{BASE}/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] >= 1
    assert StockMovement.objects.exists()
