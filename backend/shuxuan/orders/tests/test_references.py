"""Order lines and events check their references per statement (migration 0004), not per row:
the database still refuses a reference that does not resolve, whichever way the row arrives, and
verify_ledger finds one that has gone missing since."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from shuxuan.orders.checks import references_resolve
from shuxuan.orders.models import OrderLine, OrderLineEvent
from shuxuan.orders.services import import_path

from .conftest import fixture

MISSING = 987_654_321


@pytest.fixture
def imported(world):
    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    line = OrderLine.objects.filter(sku__isnull=False, anchor__isnull=False).order_by("id").first()
    assert line is not None
    return line


def copy_line_sql(line_id: int, column: str) -> str:
    """An INSERT copying a line under a new order id, with `column` pointing nowhere."""
    columns = [f.column for f in OrderLine._meta.concrete_fields if f.column != "id"]
    values = [
        f"{MISSING}" if c == column else ("platform_order_id || '-copy'" if c == "platform_order_id" else c) for c in columns
    ]
    select = f"SELECT {', '.join(values)} FROM orders_orderline WHERE id = {line_id}"
    return f"INSERT INTO orders_orderline ({', '.join(columns)}) {select}"


@pytest.mark.parametrize(
    "column", ["anchor_account_id", "anchor_id", "mcn_binding_id", "mcn_id", "sku_id", "first_batch_id", "last_batch_id"]
)
def test_a_line_pointing_nowhere_is_refused_on_insert_and_on_update(imported, column):
    before = OrderLine.objects.count()
    refused = pytest.raises(IntegrityError, match=rf"order line \d+: {column} = {MISSING} does not exist")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(copy_line_sql(imported.pk, column))
    assert OrderLine.objects.count() == before
    refused = pytest.raises(IntegrityError, match=rf"order line {imported.pk}: {column} = {MISSING} does not exist")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE orders_orderline SET {column} = %s WHERE id = %s", [MISSING, imported.pk])
    imported.refresh_from_db()
    assert getattr(imported, column) != MISSING


def test_a_good_line_still_goes_in_and_an_event_needs_its_line(imported):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(copy_line_sql(imported.pk, "none"))
    assert OrderLine.objects.filter(platform_order_id=f"{imported.platform_order_id}-copy").exists()
    refused = pytest.raises(IntegrityError, match=rf"order line event of line {MISSING}: line_id = {MISSING} does not exist")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orders_orderlineevent (line_id, kind, from_status, to_status, recorded_at, changes)"
            " VALUES (%s, 'status', 'paid', 'confirmed', now(), '{}')",
            [MISSING],
        )
    assert not OrderLineEvent.objects.filter(line_id=MISSING).exists()


@pytest.mark.django_db(transaction=True)
def test_verify_finds_a_reference_gone_missing_and_a_disabled_check(world):
    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    assert references_resolve() is None
    line = OrderLine.objects.filter(sku__isnull=False).order_by("id").first()
    assert line is not None
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE orders_orderline DISABLE TRIGGER orders_orderline_references_update")
    assert references_resolve() == "trigger orders_orderline_references_update on orders_orderline is disabled"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders_orderline SET sku_id = %s WHERE id = %s", [MISSING, line.pk])
        cursor.execute("ALTER TABLE orders_orderline ENABLE TRIGGER orders_orderline_references_update")
    assert references_resolve() == f"order line {line.pk}: sku_id = {MISSING} does not exist in catalog_sku"
