from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.supply import services
from shuxuan.supply.models import (
    CountState,
    Location,
    LocationKind,
    MovementKind,
    Ownership,
    ReservationState,
    ReturnDisposition,
    Shipment,
    ShipmentKind,
    StockBalance,
    StockCost,
    StockMovement,
    TransferState,
)
from shuxuan.supply.tests.conftest import balance_of, stock_in

pytestmark = pytest.mark.django_db


def ship(clerk, warehouse, lines, *, kind=ShipmentKind.SALE, day=None, tracking="SF100"):
    return services.shipment_create(
        actor=clerk,
        warehouse=warehouse,
        kind=kind,
        carrier="顺丰",
        tracking_number=tracking,
        reference="order-1",
        lines=[services.PickInput(**line) for line in lines],
        effective_date=day,
    )


def on_hand(item, **filters):
    return sum(StockBalance.objects.filter(stock_item=item, **filters).values_list("on_hand", flat=True))


def test_fefo_takes_the_earliest_expiry_first_across_lots(clerk, brand, chengdu, liquor):
    stock_in(clerk, brand, chengdu, liquor, 5, 1000, batch="LATE", expiry=date(2027, 12, 31))
    stock_in(clerk, brand, chengdu, liquor, 3, 1000, batch="EARLY", expiry=date(2026, 3, 31))
    stock_in(clerk, brand, chengdu, liquor, 4, 1000, batch="MID", expiry=date(2026, 9, 30))

    shipment = ship(clerk, chengdu, [{"stock_item_id": liquor.pk, "quantity": 5}])
    picked = [(line.lot.batch_number, line.quantity) for line in shipment.lines.order_by("id")]
    assert picked == [("EARLY", 3), ("MID", 2)]
    assert on_hand(liquor, lot__batch_number="MID") == 2
    assert on_hand(liquor, lot__batch_number="LATE") == 5

    named = ship(
        clerk,
        chengdu,
        [{"stock_item_id": liquor.pk, "quantity": 1, "lot_id": StockBalance.objects.get(lot__batch_number="LATE").lot_id}],
    )
    assert named.lines.get().lot.batch_number == "LATE"


def test_a_shortage_names_the_line_and_writes_nothing(clerk, brand, other_brand, chengdu, liquor, tea):
    stock_in(clerk, brand, chengdu, liquor, 2, 1000, batch="A", expiry=date(2027, 1, 1))
    stock_in(clerk, other_brand, chengdu, tea, 9, 500)
    before = (StockMovement.objects.count(), Shipment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as short:
        ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 1}, {"stock_item_id": liquor.pk, "quantity": 3}])
    assert short.value.field == "lines[1].quantity" and short.value.code == "insufficient_stock"
    assert "JIU-500" in short.value.message
    assert (StockMovement.objects.count(), Shipment.objects.count(), AuditEntry.objects.count()) == before
    assert on_hand(tea) == 9 and on_hand(liquor) == 2


def test_moving_average_cost_and_buy_out_sale_posts_cost_of_goods(clerk, operator, other_brand, chengdu, tea):
    # 3 boxes at 10.00 then 4 at 11.00: pool 7 boxes, 74.00; average 74.00 / 7 = 10.571… → 10.57.
    stock_in(clerk, other_brand, chengdu, tea, 3, 1000)
    stock_in(clerk, other_brand, chengdu, tea, 4, 1100)
    pool = StockCost.objects.get(stock_item=tea, owner=operator)
    assert (pool.quantity, pool.value) == (7, 7400)

    # Ship 2: round_half_up(7400 × 2 / 7 = 2114.28…) = 2114 fen.
    shipment = ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 2}])
    assert shipment.lines.get().value == 2114
    assert balance_of(operator, "cost_of_goods") == 2114
    assert balance_of(operator, "inventory") == 7400 - 2114
    # Ship the last 5: the pool's remaining 5286 fen, so the pool empties to exactly zero.
    last = ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 5}], tracking="SF101")
    assert last.lines.get().value == 5286
    pool.refresh_from_db()
    assert (pool.quantity, pool.value, pool.last_unit_cost) == (0, 0, 1057)
    assert balance_of(operator, "inventory") == 0
    assert balance_of(operator, "cost_of_goods") == 7400


def test_consignment_sale_posts_the_payable_at_supply_price(clerk, operator, brand, chengdu, liquor):
    stock_in(clerk, brand, chengdu, liquor, 4, 9_900, ownership=Ownership.CONSIGNMENT, batch="C", expiry=date(2027, 1, 1))
    ship(clerk, chengdu, [{"stock_item_id": liquor.pk, "quantity": 3}])
    assert balance_of(operator, "inventory") == 0
    assert balance_of(operator, "cost_of_goods") == 29_700
    assert balance_of(brand, "payable_to_party") == -29_700
    # Consignment samples are the brand's gift: stock leaves, no money moves.
    ship(clerk, chengdu, [{"stock_item_id": liquor.pk, "quantity": 1}], kind=ShipmentKind.SAMPLE, tracking="SF2")
    assert balance_of(brand, "payable_to_party") == -29_700
    assert on_hand(liquor) == 0


def test_reservations_lower_available_not_on_hand_and_are_consumed_or_released(clerk, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 10, 500)
    live = services.reservation_create(
        actor=clerk, warehouse=chengdu, stock_item_id=tea.pk, quantity=6, purpose="live_session", reference="live-0618"
    )
    row = StockBalance.objects.get(stock_item=tea)
    assert (row.on_hand, row.reserved, row.available) == (10, 6, 4)
    with pytest.raises(DomainError):
        ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 5}])

    ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 4, "reservation_id": live.pk}])
    row.refresh_from_db()
    assert (row.on_hand, row.reserved) == (6, 2)
    live.refresh_from_db()
    assert live.state == ReservationState.ACTIVE

    services.reservation_release(actor=clerk, reservation_id=live.pk)
    row.refresh_from_db()
    live.refresh_from_db()
    assert (row.on_hand, row.reserved, live.state) == (6, 0, ReservationState.RELEASED)
    with pytest.raises(Conflict):
        services.reservation_release(actor=clerk, reservation_id=live.pk)

    sample = services.reservation_create(actor=clerk, warehouse=chengdu, stock_item_id=tea.pk, quantity=1, purpose="sample")
    ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 1, "reservation_id": sample.pk}], kind=ShipmentKind.SAMPLE)
    sample.refresh_from_db()
    assert sample.state == ReservationState.CONSUMED
    with pytest.raises(DomainError) as too_much:
        services.reservation_create(actor=clerk, warehouse=chengdu, stock_item_id=tea.pk, quantity=6, purpose="sample")
    assert too_much.value.field == "lines[0].quantity"


def test_returns_go_back_into_stock_at_their_shipped_value_or_to_scrap(clerk, operator, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 3, 1000)
    stock_in(clerk, other_brand, chengdu, tea, 4, 1100)
    shipment = ship(clerk, chengdu, [{"stock_item_id": tea.pk, "quantity": 3}])
    line = shipment.lines.get()
    # round_half_up(7400 × 3 / 7 = 3171.43) = 3171.
    assert line.value == 3171

    # One back: round(3171 × 1/3 = 1057) − 0 = 1057. Then the other two: 3171 − 1057 = 2114.
    services.return_create(
        actor=clerk,
        shipment_id=shipment.pk,
        disposition=ReturnDisposition.STOCK,
        reason="七天无理由",
        lines=[services.ReturnLineInput(shipment_line_id=line.pk, quantity=1)],
    )
    assert balance_of(operator, "inventory") == 7400 - 3171 + 1057
    scrapped = services.return_create(
        actor=clerk,
        shipment_id=shipment.pk,
        disposition=ReturnDisposition.SCRAP,
        reason="破损",
        lines=[services.ReturnLineInput(shipment_line_id=line.pk, quantity=2)],
    )
    assert scrapped.journal_entry_id is None
    assert scrapped.lines.get().value == 2114
    assert on_hand(tea) == 5
    assert balance_of(operator, "inventory") == 7400 - 3171 + 1057
    line.refresh_from_db()
    assert line.returned_quantity == 3
    with pytest.raises(DomainError) as too_many:
        services.return_create(
            actor=clerk,
            shipment_id=shipment.pk,
            disposition=ReturnDisposition.STOCK,
            reason="x",
            lines=[services.ReturnLineInput(shipment_line_id=line.pk, quantity=1)],
        )
    assert too_many.value.field == "lines[0].quantity"


def test_transfer_goes_through_in_transit_and_keeps_the_value(clerk, operator, other_brand, chengdu, yibin, tea):
    stock_in(clerk, other_brand, chengdu, tea, 8, 700)
    transfer = services.transfer_ship(
        actor=clerk,
        from_warehouse=chengdu,
        to_warehouse=yibin,
        carrier="德邦",
        tracking_number="DB1",
        lines=[services.PickInput(stock_item_id=tea.pk, quantity=5)],
    )
    transit = Location.objects.get(warehouse=yibin, kind=LocationKind.IN_TRANSIT)
    assert on_hand(tea, warehouse=chengdu) == 3
    assert on_hand(tea, location=transit) == 5
    assert balance_of(operator, "inventory") == 5600
    services.transfer_receive(actor=clerk, transfer_id=transfer.pk)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RECEIVED
    assert on_hand(tea, location=transit) == 0
    assert on_hand(tea, warehouse=yibin, location__kind=LocationKind.STORAGE) == 5
    kinds = list(StockMovement.objects.filter(source_type="transfer").values_list("kind", "held_quantity", "value"))
    assert kinds == [(MovementKind.TRANSFER_OUT, 0, 3500), (MovementKind.TRANSFER_IN, 0, 3500)]
    with pytest.raises(Conflict):
        services.transfer_receive(actor=clerk, transfer_id=transfer.pk)
    pool = StockCost.objects.get(stock_item=tea)
    assert (pool.quantity, pool.value) == (8, 5600)


def test_count_posts_adjustments_with_reason_and_money(clerk, operator, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 6, 1000)
    stock_in(clerk, other_brand, chengdu, tea, 3, 1333)  # pool 9 boxes, 9999 fen
    storage = Location.objects.get(warehouse=chengdu, code="STOCK")
    count = services.count_create(
        actor=clerk,
        warehouse=chengdu,
        reason="月末盘点",
        lines=[services.CountLineInput(location_id=storage.pk, stock_item_id=tea.pk, owner_id=operator.pk, counted_quantity=7)],
    )
    posted = services.count_post(actor=clerk, count_id=count.pk, effective_date=date(2025, 4, 30))
    assert posted.state == CountState.POSTED
    line = posted.lines.get()
    # Shortage 2: round_half_up(9999 × 2 / 9 = 2222) → −2222 fen.
    assert (line.system_quantity, line.difference_value) == (9, -2222)
    movement = StockMovement.objects.get(kind=MovementKind.ADJUSTMENT)
    assert (movement.held_quantity, movement.held_value, movement.reason) == (-2, -2222, "盘点 月末盘点")
    assert balance_of(operator, "inventory") == 9999 - 2222
    assert balance_of(operator, "cost_of_goods") == 2222
    with pytest.raises(Conflict):
        services.count_post(actor=clerk, count_id=count.pk)

    surplus = services.count_create(
        actor=clerk,
        warehouse=chengdu,
        reason="复盘",
        lines=[services.CountLineInput(location_id=storage.pk, stock_item_id=tea.pk, owner_id=operator.pk, counted_quantity=8)],
    )
    services.count_post(actor=clerk, count_id=surplus.pk)
    # Surplus 1 at the average 7777 / 7 = 1111 fen.
    assert balance_of(operator, "inventory") == 7777 + 1111


def test_count_below_reserved_is_refused(clerk, operator, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 5, 100)
    services.reservation_create(actor=clerk, warehouse=chengdu, stock_item_id=tea.pk, quantity=4, purpose="sample")
    storage = Location.objects.get(warehouse=chengdu, code="STOCK")
    count = services.count_create(
        actor=clerk,
        warehouse=chengdu,
        reason="抽盘",
        lines=[services.CountLineInput(location_id=storage.pk, stock_item_id=tea.pk, owner_id=operator.pk, counted_quantity=3)],
    )
    with pytest.raises(DomainError) as refused:
        services.count_post(actor=clerk, count_id=count.pk)
    assert refused.value.field == "lines[0].counted_quantity"
    count.refresh_from_db()
    assert count.state == CountState.DRAFT and on_hand(tea) == 5


def test_scrap_from_storage(clerk, operator, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 4, 250)
    row = StockBalance.objects.get(stock_item=tea)
    services.stock_scrap(actor=clerk, balance_id=row.pk, quantity=1, reason="受潮")
    assert on_hand(tea) == 3
    assert balance_of(operator, "inventory") == 750
    with pytest.raises(DomainError):
        services.stock_scrap(actor=clerk, balance_id=row.pk, quantity=4, reason="受潮")


def test_movements_are_append_only_and_on_hand_never_negative(clerk, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 1, 100)
    movement = StockMovement.objects.get()
    for sql in ("UPDATE supply_stockmovement SET quantity = 5 WHERE id = %s", "DELETE FROM supply_stockmovement WHERE id = %s"):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [movement.pk])
    refused = pytest.raises(IntegrityError, match="TRUNCATE on supply_stockmovement refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        # The test's own transaction has deferred checks pending, and PostgreSQL refuses any
        # TRUNCATE before those have run: run them now, so that it is the guard that refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL shuxuan.allow_truncate = ''")  # as an application session
        cursor.execute("TRUNCATE supply_stockmovement CASCADE")
    assert StockMovement.objects.count() == 1
    row = StockBalance.objects.get()
    with pytest.raises(IntegrityError, match="on_hand_not_negative"), transaction.atomic():
        StockBalance.objects.filter(pk=row.pk).update(on_hand=-1, reserved=0)
    with pytest.raises(IntegrityError, match="reserved_within_on_hand"), transaction.atomic():
        StockBalance.objects.filter(pk=row.pk).update(reserved=2)
    movement.refresh_from_db()
    assert movement.quantity == 1
