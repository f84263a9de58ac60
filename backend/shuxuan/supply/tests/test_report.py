from datetime import date

import pytest

from shuxuan.supply import services
from shuxuan.supply.models import Location, Ownership, ReturnDisposition, ShipmentKind, StockCost
from shuxuan.supply.selectors import Flow, stock_report, stock_value_check
from shuxuan.supply.tests.conftest import balance_of, stock_in

pytestmark = pytest.mark.django_db


def _ship(clerk, warehouse, item, quantity, day, kind=ShipmentKind.SALE):
    return services.shipment_create(
        actor=clerk,
        warehouse=warehouse,
        kind=kind,
        carrier="EMS",
        tracking_number=f"E{day:%m%d}{quantity}",
        lines=[services.PickInput(stock_item_id=item.pk, quantity=quantity)],
        effective_date=day,
    )


@pytest.fixture
def april(clerk, operator, brand, other_brand, chengdu, yibin, tea, liquor):
    """March: 10 tea at 5.00. April: 5 more at 6.20, sell 6, sample 1, 1 comes back, count finds 1 short;
    consignment liquor 4 in, 1 sold; a transfer that must not show as a flow."""
    stock_in(clerk, other_brand, chengdu, tea, 10, 500, day=date(2025, 3, 5))
    stock_in(clerk, other_brand, chengdu, tea, 5, 620, day=date(2025, 4, 2))  # pool 15 / 8100
    sold = _ship(clerk, chengdu, tea, 6, date(2025, 4, 10))  # 8100 × 6/15 = 3240
    _ship(clerk, chengdu, tea, 1, date(2025, 4, 11), kind=ShipmentKind.SAMPLE)  # 4860 × 1/9 = 540
    services.return_create(
        actor=clerk,
        shipment_id=sold.pk,
        disposition=ReturnDisposition.STOCK,
        reason="退货",
        effective_date=date(2025, 4, 15),
        lines=[services.ReturnLineInput(shipment_line_id=sold.lines.get().pk, quantity=1)],
    )  # 3240 / 6 = 540 back: pool 9 / 4860
    services.transfer_ship(
        actor=clerk,
        from_warehouse=chengdu,
        to_warehouse=yibin,
        lines=[services.PickInput(stock_item_id=tea.pk, quantity=2)],
        effective_date=date(2025, 4, 20),
    )
    storage = Location.objects.get(warehouse=chengdu, code="STOCK")
    count = services.count_create(
        actor=clerk,
        warehouse=chengdu,
        reason="月末",
        lines=[services.CountLineInput(location_id=storage.pk, stock_item_id=tea.pk, owner_id=operator.pk, counted_quantity=6)],
    )
    services.count_post(actor=clerk, count_id=count.pk, effective_date=date(2025, 4, 30))  # 7 → 6: 4860 / 9 = 540
    stock_in(
        clerk,
        brand,
        chengdu,
        liquor,
        4,
        9000,
        ownership=Ownership.CONSIGNMENT,
        batch="L1",
        expiry=date(2027, 1, 1),
        day=date(2025, 4, 3),
    )
    _ship(clerk, chengdu, liquor, 1, date(2025, 4, 25))
    _ship(clerk, chengdu, tea, 1, date(2025, 5, 2))  # after the period


def test_report_columns_add_up_and_value_ties_to_the_inventory_account(april, operator, brand, tea, liquor):
    rows = {(r.sku_code, r.ownership): r for r in stock_report(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))}
    tea_row = rows[("TEA-100", Ownership.BUY_OUT)]
    assert tea_row.opening == Flow(10, 5000)
    assert tea_row.purchased == Flow(5, 3100)
    assert tea_row.sold == Flow(6, 3240)
    assert tea_row.sampled == Flow(1, 540)
    assert tea_row.returned == Flow(1, 540)
    assert tea_row.adjusted == Flow(-1, -540)
    assert tea_row.closing == Flow(8, 4320)
    for measure in ("quantity", "value"):
        flows = [
            getattr(getattr(tea_row, c), measure) for c in ("opening", "purchased", "sold", "sampled", "returned", "adjusted")
        ]
        assert flows[0] + flows[1] - flows[2] - flows[3] + flows[4] + flows[5] == getattr(tea_row.closing, measure)

    liquor_row = rows[("JIU-500", Ownership.CONSIGNMENT)]
    assert (liquor_row.owner_id, liquor_row.purchased, liquor_row.sold, liquor_row.closing) == (
        brand.pk,
        Flow(4, 36_000),
        Flow(1, 9000),
        Flow(3, 27_000),
    )

    buy_out_closing = sum(
        r.closing.value for r in rows.values() if r.ownership == Ownership.BUY_OUT and r.owner_id == operator.pk
    )
    assert buy_out_closing == balance_of(operator, "inventory", as_of=date(2025, 4, 30)) == 4320
    assert balance_of(operator, "inventory", as_of=date(2025, 3, 31)) == 5000
    assert stock_value_check() is None


def test_brand_sees_only_rows_of_its_goods(april, brand):
    rows = stock_report(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30), visible_to_brand_id=brand.pk)
    assert [r.sku_code for r in rows] == ["JIU-500"]


def test_the_check_names_a_breach(april, operator, tea):
    assert stock_value_check() is None
    StockCost.objects.filter(stock_item=tea, owner=operator).update(value=1)
    breach = stock_value_check()
    assert breach is not None and f"organization {operator.pk}" in breach and "by cost pools" in breach


def test_verify_ledger_runs_the_stock_value_check(april, operator, tea):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    checks = {c["name"]: c for c in json.loads(out.getvalue().strip().splitlines()[-1])["checks"]}
    assert checks["stock value equals the inventory account balance"]["ok"] is True

    StockCost.objects.filter(stock_item=tea, owner=operator).update(value=1)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("verify_ledger", stdout=out)
    assert exited.value.code == 1
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["breach"].startswith("stock value equals the inventory account balance")
