from datetime import timedelta

import pytest
from django.utils import timezone

from shuxuan.ledger import facade as ledger
from shuxuan.parties.models import Organization, OrganizationKind
from shuxuan.supply.demo import DUE_NOTE, seed_supply_demo
from shuxuan.supply.models import Lot, PurchaseOrder, PurchaseOrderState, StockMovement, Warehouse
from shuxuan.supply.selectors import stock_value_check


def test_seed_supply_demo_is_idempotent(demo_parties):
    first = seed_supply_demo()
    assert first == {"warehouses": 2, "stock_items": 5, "purchase_orders": 4, "receipts": 3}
    movements = StockMovement.objects.count()
    assert seed_supply_demo() == {"warehouses": 0, "stock_items": 0, "purchase_orders": 0, "receipts": 0}
    assert StockMovement.objects.count() == movements
    assert set(Warehouse.objects.values_list("code", flat=True)) == {"CD-SL", "YB-CP"}
    states = sorted(PurchaseOrder.objects.values_list("ownership", "state"))
    assert states == [
        ("buy_out", PurchaseOrderState.CONFIRMED),  # due this week
        ("buy_out", PurchaseOrderState.RECEIVED),
        ("buy_out", PurchaseOrderState.RECEIVED),  # the lot expiring this month
        ("consignment", PurchaseOrderState.PARTIALLY_RECEIVED),
    ]
    today = timezone.localdate()
    due = PurchaseOrder.objects.get(note=DUE_NOTE).lines.get()
    assert (due.expected_date, due.received_quantity) == (today + timedelta(days=5), 0)
    lot = Lot.objects.get(stock_item__sku_code="CWF-NY-500", batch_number__endswith="-LQ")
    assert lot.expiry_date is not None and today < lot.expiry_date <= today + timedelta(days=30)
    operator = Organization.objects.get(kind=OrganizationKind.OPERATOR)
    inventory = ledger.account_get_or_create(organization_id=operator.pk, type="inventory")
    # 120 × 168.00 + 40 × 398.00 + 30 × 12.00 = 20 160.00 + 15 920.00 + 360.00
    assert ledger.account_balance(account_id=inventory.pk) == 3_644_000
    assert stock_value_check() is None


@pytest.mark.django_db
def test_seed_supply_demo_without_the_world_does_nothing():
    assert seed_supply_demo() == {"warehouses": 0, "stock_items": 0, "purchase_orders": 0, "receipts": 0}
