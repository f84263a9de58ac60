"""The Douyin alliance connector against a local stub of `/buyin/instituteOrderMCN` serving pages."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from shuxuan.orders.connectors import DouyinAllianceConnector, connector_pull
from shuxuan.orders.models import BatchKind, ConnectorState, ImportBatch, OrderLine, OrderLineEvent
from shuxuan.orders.tasks import connector_pull_all
from shuxuan.orders.tests.conftest import DY_DOUBAN, DY_XIAOMAN, at

pytestmark = pytest.mark.django_db


def order(n: int, flow_point: str = "PAY_SUCC", settle_time: str = "") -> dict[str, Any]:
    return {
        "order_id": f"50000000000000{n:05d}",
        "product_id": DY_DOUBAN,
        "product_name": "郫县豆瓣酱 500g",
        "author_short_id": DY_XIAOMAN,
        "total_pay_amount": 16900,
        "pay_goods_amount": 16900,
        "commission_rate": 3200,
        "estimated_commission": 5408,
        "real_commission": 5408 if settle_time else 0,
        "tech_service_fee_rate": 1000,
        "estimated_tech_service_fee": 1690,
        "settled_tech_service_fee": 1690 if settle_time else 0,
        "flow_point": flow_point,
        "pay_success_time": "2025-06-20 20:00:00",
        "settle_time": settle_time,
        "refund_time": "",
        "update_time": "2025-06-20 20:00:00",
        "item_num": 1,
        "media_type": "live",
    }


class Stub:
    """Pages of orders by cursor; records every request's query."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, str]] = []
        self.fail = False

    def serve(self, cursor: str) -> tuple[int, dict[str, Any]]:
        if self.fail:
            return 200, {"code": 50002, "msg": "access_token 已过期"}
        page = self.pages.get(cursor, {"orders": [], "cursor": ""})
        return 200, {"code": 10000, "msg": "success", "data": page}


@pytest.fixture
def stub() -> Iterator[tuple[Stub, str]]:
    state = Stub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            state.requests.append({"path": parts.path, **query})
            status, body = state.serve(query.get("cursor", ""))
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def connector(base_url: str, now: str) -> DouyinAllianceConnector:
    return DouyinAllianceConnector(base_url=base_url, app_key="k", access_token="t", page_size=2, now=at(now))


def test_pulls_every_page_stores_the_cursor_and_imports_by_the_file_path(world, stub):
    state, base_url = stub
    state.pages = {
        "0": {"orders": [order(1), order(2)], "cursor": "c2"},
        "c2": {"orders": [order(3), {"order_id": "", "flow_point": "PAY_SUCC"}], "cursor": "c3"},
        "c3": {"orders": [order(4)], "cursor": "0"},
    }
    report = connector_pull(platform="douyin", connector=connector(base_url, "2025-06-21 12:00:00"))
    assert (report["ok"], report["created"], report["unchanged"]) == (True, 4, 0)
    assert report["rejected"] == [{"line": 4, "reason": "order_id 为空 / order_id is empty"}]
    assert [r["cursor"] for r in state.requests] == ["0", "c2", "c3"]
    first = state.requests[0]
    assert first["path"] == "/buyin/instituteOrderMCN" and first["time_type"] == "update" and first["size"] == "2"
    assert (first["start_time"], first["end_time"], first["app_key"]) == ("2025-06-20 12:00:00", "2025-06-21 12:00:00", "k")
    assert ConnectorState.objects.get(platform="douyin").cursor == {"update_time": "2025-06-21 12:00:00"}
    batch = ImportBatch.objects.get(pk=report["batch"])
    assert (batch.kind, batch.state, len(batch.sha256)) == (BatchKind.CONNECTOR, "done", 64)
    line = OrderLine.objects.get(platform_order_id="5000000000000000001")
    assert (line.anchor_id, line.mcn_id, line.sku_id, line.status) == (world.anchor.pk, world.mcn.pk, world.douban.pk, "paid")

    # The next pull starts from the stored cursor (less the overlap) and records what changed.
    state.requests.clear()
    state.pages = {"0": {"orders": [order(1, "SETTLE", "2025-06-28 10:00:00"), order(2)], "cursor": ""}}
    again = connector_pull(platform="douyin", connector=connector(base_url, "2025-06-28 12:00:00"))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 1)
    assert state.requests[0]["start_time"] == "2025-06-21 11:50:00"
    assert line.events.filter(kind="status", to_status="settled").count() == 1  # type: ignore[attr-defined]


def test_a_failed_pull_keeps_the_cursor(world, stub):
    state, base_url = stub
    ConnectorState.objects.create(platform="douyin", cursor={"update_time": "2025-06-21 12:00:00"})
    state.fail = True
    report = connector_pull(platform="douyin", connector=connector(base_url, "2025-06-22 12:00:00"))
    assert report["ok"] is False and "50002" in report["error"]
    saved = ConnectorState.objects.get(platform="douyin")
    assert saved.cursor == {"update_time": "2025-06-21 12:00:00"} and "50002" in saved.last_error
    assert OrderLine.objects.count() == 0 and OrderLineEvent.objects.count() == 0


def test_unreachable_platform_fails_cleanly(world):
    report = connector_pull(platform="douyin", connector=connector("http://127.0.0.1:9", "2025-06-22 12:00:00"))
    assert report["ok"] is False and "request failed" in report["error"]


def test_beat_task_enqueues_a_pull_per_configured_platform(world, stub, settings):
    state, base_url = stub
    state.pages = {"0": {"orders": [order(7)], "cursor": ""}}
    settings.SHUXUAN_ORDER_CONNECTORS = {"douyin": {"base_url": base_url, "page_size": 50}}
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        assert connector_pull_all.delay().get() == ["douyin"]
    finally:
        app.conf.task_always_eager = previous
    assert OrderLine.objects.filter(platform_order_id="5000000000000000007").exists()
    assert ConnectorState.objects.get(platform="douyin").last_run_at is not None
    assert isinstance(ConnectorState.objects.get(platform="douyin").last_run_at, datetime)
