"""The demo's orders: imported once through the real importer, attributed, with a sales history."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F, Sum

from shuxuan.orders.demo import DEMO_FILE, SELECTION_SERIES, SESSIONS
from shuxuan.orders.models import ImportBatch, OrderLine, OrderLineEvent, PlatformProductMapping
from shuxuan.orders.tests.conftest import SHANGHAI
from shuxuan.selection.models import AnchorProductSales, LiveSession

pytestmark = pytest.mark.django_db


def _seed() -> dict:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@time_machine.travel(datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_seed_demo_imports_the_demo_orders_once():
    first = _seed()
    created = {key: value for key, value in first["created"].items() if key.startswith("orders_")}
    lines = OrderLine.objects.all()
    assert created == {
        "orders_mappings": PlatformProductMapping.objects.count(),
        "orders_sessions": 3,
        "orders_order_lines": lines.count(),
    }
    assert 150 <= lines.count() <= 260
    batch = ImportBatch.objects.get(file_name=DEMO_FILE)
    assert (batch.state, batch.rejected, batch.unattributed) == ("done", 0, 0)
    assert set(lines.values_list("platform", flat=True)) == {"douyin", "kuaishou"}
    statuses = set(lines.values_list("status", flat=True))
    assert statuses == {"paid", "confirmed", "settled", "refunded"}
    assert lines.filter(status="refunded", refunded_minor=F("pay_amount_minor")).count() == 1
    assert lines.exclude(status="refunded").filter(refunded_minor__gt=0).count() >= 3
    assert lines.filter(platform_subsidy_minor__gt=0, platform="douyin").exists()
    assert not lines.filter(paid_at__gte=datetime(2026, 3, 15, tzinfo=SHANGHAI)).exists()
    assert lines.earliest("paid_at").paid_at >= datetime(2026, 2, 13, tzinfo=SHANGHAI)
    # Every line is in one of the past sessions or outside all of them, by the attribution rule.
    sessions = LiveSession.objects.filter(title__in=[title for title, *_ in SESSIONS])
    # Titles are what a person reads on the sessions screen: no internal marker.
    assert not LiveSession.objects.filter(title__startswith="demo:").exists()
    assert lines.filter(live_session_id__in=sessions.values("id")).count() >= 30
    for session in sessions:
        inside = lines.filter(live_session_id=session.pk)
        assert all(session.starts_at <= line.paid_at <= session.ends_at for line in inside)
    # The selection demo's own sales series are left alone; the others are the lines' totals.
    assert not any((line.anchor.name, line.sku.code) in SELECTION_SERIES for line in lines.select_related("anchor", "sku"))
    live = lines.exclude(status__in=["refunded", "invalid"])
    gmv = live.aggregate(total=Sum(F("pay_amount_minor") - F("refunded_minor")))["total"]
    pairs = set(lines.values_list("anchor_id", "sku_id"))
    demo_sales = [row for row in AnchorProductSales.objects.all() if (row.anchor_id, row.sku_id) in pairs]
    assert sum(row.gmv_minor for row in demo_sales) == gmv

    snapshot = (list(lines.order_by("id").values()), OrderLineEvent.objects.count(), LiveSession.objects.count())
    second = _seed()
    assert second["created"] == {}
    assert snapshot == (list(lines.order_by("id").values()), OrderLineEvent.objects.count(), LiveSession.objects.count())
