"""Two shipments race for the last unit on real PostgreSQL: exactly one wins, stock never goes negative."""

import threading

import pytest
from django.db import connection

from shuxuan.common.exceptions import DomainError
from shuxuan.supply import services
from shuxuan.supply.models import Shipment, ShipmentKind, StockBalance, StockCost
from shuxuan.supply.tests.conftest import stock_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _race(worker, n: int) -> list[object]:
    barrier = threading.Barrier(n)
    outcomes: list[object] = [None] * n

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = worker(index)
        except Exception as exc:  # the loser's refusal is the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_shipments_race_for_the_last_unit(clerk, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 1, 1000)

    def ship(index: int) -> Shipment:
        return services.shipment_create(
            actor=clerk,
            warehouse=chengdu,
            kind=ShipmentKind.SALE,
            carrier="顺丰",
            tracking_number=f"SF-race-{index}",
            lines=[services.PickInput(stock_item_id=tea.pk, quantity=1)],
        )

    outcomes = _race(ship, 2)
    wins = [o for o in outcomes if isinstance(o, Shipment)]
    losses = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert losses[0].code == "insufficient_stock"
    assert StockBalance.objects.get(stock_item=tea).on_hand == 0
    assert Shipment.objects.count() == 1
    pool = StockCost.objects.get(stock_item=tea)
    assert (pool.quantity, pool.value) == (0, 0)


def test_many_reservations_and_shipments_never_oversell(clerk, other_brand, chengdu, tea):
    stock_in(clerk, other_brand, chengdu, tea, 5, 300)

    def act(index: int) -> object:
        if index % 2:
            return services.reservation_create(actor=clerk, warehouse=chengdu, stock_item_id=tea.pk, quantity=1, purpose="sample")
        return services.shipment_create(
            actor=clerk,
            warehouse=chengdu,
            kind=ShipmentKind.SALE,
            carrier="顺丰",
            tracking_number=f"SF-{index}",
            lines=[services.PickInput(stock_item_id=tea.pk, quantity=1)],
        )

    outcomes = _race(act, 8)
    successes = [o for o in outcomes if not isinstance(o, Exception)]
    assert all(isinstance(o, DomainError) for o in outcomes if isinstance(o, Exception)), outcomes
    assert len(successes) == 5
    row = StockBalance.objects.get(stock_item=tea)
    shipped = Shipment.objects.count()
    assert row.on_hand == 5 - shipped
    assert row.reserved == 5 - shipped
