from datetime import date

import pytest

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.supply import services
from shuxuan.supply.models import (
    Lot,
    MovementKind,
    Ownership,
    PurchaseOrderLine,
    PurchaseOrderState,
    Receipt,
    StockBalance,
    StockCost,
    StockMovement,
)
from shuxuan.supply.tests.conftest import balance_of, place_order, receive

pytestmark = pytest.mark.django_db
EXPIRY = date(2027, 6, 30)


def test_buy_out_receipt_in_two_parts_posts_inventory_and_payable(clerk, operator, brand, chengdu, liquor, tea, other_brand):
    order = place_order(clerk, brand, chengdu, [(liquor, 10, 12_800)])
    assert order.state == PurchaseOrderState.CONFIRMED

    first = receive(clerk, order, [4], batch="B2501", produced=date(2025, 1, 10), expiry=EXPIRY, day=date(2025, 3, 1))
    order.refresh_from_db()
    assert order.state == PurchaseOrderState.PARTIALLY_RECEIVED
    assert first.journal_entry_id is not None
    # 4 × 128.00 = 512.00 into the operator's inventory, owed to the brand.
    assert balance_of(operator, "inventory") == 51_200
    assert balance_of(brand, "payable_to_party") == -51_200

    receive(clerk, order, [6], batch="B2502", produced=date(2025, 2, 1), expiry=EXPIRY, day=date(2025, 3, 2))
    order.refresh_from_db()
    assert order.state == PurchaseOrderState.RECEIVED
    assert order.lines.get().received_quantity == 10
    assert balance_of(operator, "inventory") == 128_000
    assert balance_of(brand, "payable_to_party") == -128_000
    assert balance_of(operator, "inventory", as_of=date(2025, 3, 1)) == 51_200

    rows = StockBalance.objects.filter(stock_item=liquor).order_by("lot__batch_number")
    assert [(r.lot.batch_number, r.on_hand, r.owner_id) for r in rows] == [("B2501", 4, operator.pk), ("B2502", 6, operator.pk)]
    pool = StockCost.objects.get(stock_item=liquor, owner=operator)
    assert (pool.ownership, pool.quantity, pool.value) == (Ownership.BUY_OUT, 10, 128_000)
    assert StockMovement.objects.filter(kind=MovementKind.RECEIPT, stock_item=liquor).count() == 2
    assert AuditEntry.objects.filter(action="supply.receipt.create").count() == 2


def test_consignment_receipt_posts_nothing_and_the_brand_owns_the_stock(clerk, operator, brand, chengdu, liquor):
    order = place_order(clerk, brand, chengdu, [(liquor, 5, 10_000)], ownership=Ownership.CONSIGNMENT)
    receipt = receive(clerk, order, [5], batch="C1", expiry=EXPIRY)
    assert receipt.journal_entry_id is None
    assert balance_of(operator, "inventory") == 0
    assert balance_of(brand, "payable_to_party") == 0
    row = StockBalance.objects.get(stock_item=liquor)
    assert (row.owner_id, row.on_hand) == (brand.pk, 5)
    pool = StockCost.objects.get(stock_item=liquor, owner=brand)
    assert (pool.ownership, pool.value) == (Ownership.CONSIGNMENT, 50_000)


def test_over_receipt_is_refused_naming_the_line_and_nothing_is_written(clerk, brand, chengdu, liquor):
    other = services.stock_item_create(actor=clerk, sku_code="JIU-1L", name="叙府窖 1L", brand=brand)
    order = place_order(clerk, brand, chengdu, [(liquor, 10, 100), (other, 3, 200)])
    receive(clerk, order, [2, 0], batch="B1", expiry=EXPIRY)
    before = (StockMovement.objects.count(), Receipt.objects.count(), AuditEntry.objects.count(), Lot.objects.count())

    with pytest.raises(DomainError) as refused:
        receive(clerk, order, [8, 4], batch="B9", expiry=EXPIRY)
    assert refused.value.field == "lines[1].quantity"
    assert "line 2" in refused.value.message and "JIU-1L" in refused.value.message
    assert refused.value.code == "over_receipt"

    after = (StockMovement.objects.count(), Receipt.objects.count(), AuditEntry.objects.count(), Lot.objects.count())
    assert after == before
    assert list(PurchaseOrderLine.objects.filter(purchase_order=order).values_list("received_quantity", flat=True)) == [2, 0]
    assert StockBalance.objects.get(stock_item=liquor).on_hand == 2


def test_the_same_line_twice_in_one_receipt_counts_together(clerk, brand, chengdu, tea, other_brand):
    order = place_order(clerk, other_brand, chengdu, [(tea, 5, 100)])
    line = order.lines.get()
    with pytest.raises(DomainError, match="over-receipt") as refused:
        services.receipt_create(
            actor=clerk,
            order_id=order.pk,
            lines=[services.ReceiptLineInput(purchase_order_line_id=line.pk, quantity=3)] * 2,
        )
    assert refused.value.field == "lines[1].quantity"


def test_food_and_liquor_need_a_lot_with_expiry(clerk, brand, chengdu, liquor):
    order = place_order(clerk, brand, chengdu, [(liquor, 5, 100)])
    with pytest.raises(DomainError) as missing:
        receive(clerk, order, [5])
    assert missing.value.field == "lines[0].batch_number"
    with pytest.raises(DomainError) as no_expiry:
        receive(clerk, order, [5], batch="B1")
    assert no_expiry.value.field == "lines[0].expiry_date"
    receive(clerk, order, [2], batch="B1", produced=date(2025, 1, 1), expiry=EXPIRY)
    with pytest.raises(DomainError, match="other dates"):
        receive(clerk, order, [2], batch="B1", produced=date(2025, 1, 1), expiry=date(2028, 1, 1))
    assert StockBalance.objects.get().on_hand == 2


def test_order_lines_must_be_the_brands_items_and_states_are_enforced(clerk, brand, other_brand, chengdu, liquor, tea):
    with pytest.raises(DomainError) as wrong_brand:
        services.purchase_order_create(
            actor=clerk,
            brand=brand,
            warehouse=chengdu,
            ownership=Ownership.BUY_OUT,
            lines=[
                services.PurchaseLineInput(stock_item_id=liquor.pk, quantity=1, unit_price=1),
                services.PurchaseLineInput(stock_item_id=tea.pk, quantity=1, unit_price=1),
            ],
        )
    assert wrong_brand.value.field == "lines[1].stock_item"

    order = services.purchase_order_create(
        actor=clerk,
        brand=brand,
        warehouse=chengdu,
        ownership=Ownership.BUY_OUT,
        lines=[services.PurchaseLineInput(stock_item_id=liquor.pk, quantity=1, unit_price=1)],
    )
    with pytest.raises(Conflict):
        receive(clerk, order, [1], batch="B", expiry=EXPIRY)  # still a draft
    services.purchase_order_confirm(actor=clerk, order_id=order.pk)
    with pytest.raises(Conflict):
        services.purchase_order_confirm(actor=clerk, order_id=order.pk)
    assert services.purchase_order_cancel(actor=clerk, order_id=order.pk).state == PurchaseOrderState.CANCELLED
    with pytest.raises(Conflict):
        receive(clerk, order, [1], batch="B", expiry=EXPIRY)


def test_a_partly_received_order_cannot_be_cancelled(clerk, other_brand, chengdu, tea):
    order = place_order(clerk, other_brand, chengdu, [(tea, 5, 100)])
    receive(clerk, order, [1])
    with pytest.raises(Conflict):
        services.purchase_order_cancel(actor=clerk, order_id=order.pk)


def test_only_the_operator_runs_supply(brand, chengdu, liquor):
    from shuxuan.testing.factories import UserFactory

    brand_user = UserFactory(organization=brand)
    with pytest.raises(DomainError):
        services.purchase_order_create(
            actor=brand_user,
            brand=brand,
            warehouse=chengdu,
            ownership=Ownership.BUY_OUT,
            lines=[services.PurchaseLineInput(stock_item_id=liquor.pk, quantity=1, unit_price=1)],
        )
