import pytest

from shuxuan.ledger import facade as ledger
from shuxuan.parties.models import Organization, OrganizationKind
from shuxuan.supply.demo import seed_supply_demo
from shuxuan.supply.models import PurchaseOrder, PurchaseOrderState, StockMovement, Warehouse
from shuxuan.supply.selectors import stock_value_check


def test_seed_supply_demo_is_idempotent(demo_parties):
    first = seed_supply_demo()
    assert first == {"warehouses": 2, "stock_items": 5, "purchase_orders": 2, "receipts": 2}
    movements = StockMovement.objects.count()
    assert seed_supply_demo() == {"warehouses": 0, "stock_items": 0, "purchase_orders": 0, "receipts": 0}
    assert StockMovement.objects.count() == movements
    assert set(Warehouse.objects.values_list("code", flat=True)) == {"CD-SL", "YB-CP"}
    states = dict(PurchaseOrder.objects.values_list("ownership", "state"))
    assert states == {"buy_out": PurchaseOrderState.RECEIVED, "consignment": PurchaseOrderState.PARTIALLY_RECEIVED}
    operator = Organization.objects.get(kind=OrganizationKind.OPERATOR)
    inventory = ledger.account_get_or_create(organization_id=operator.pk, type="inventory")
    # 120 × 168.00 + 40 × 398.00 = 20 160.00 + 15 920.00
    assert ledger.account_balance(account_id=inventory.pk) == 3_608_000
    assert stock_value_check() is None


@pytest.mark.django_db
def test_seed_supply_demo_without_the_world_does_nothing():
    assert seed_supply_demo() == {"warehouses": 0, "stock_items": 0, "purchase_orders": 0, "receipts": 0}
