"""The HTTP side: upload through Celery (eager), batches with progress, lines with filters and
events, tenancy (404, never another organization's line), and query counts that do not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from config.celery import app as celery_app
from shuxuan.audit.models import AuditEntry
from shuxuan.orders.models import ImportBatch, OrderLine
from shuxuan.orders.services import import_path
from shuxuan.orders.tests.conftest import fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager() -> Any:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def upload(api: APIClient, platform: str, name: str) -> Any:
    data = fixture(name).read_bytes()
    return api.post(
        reverse("orders-batch-list"),
        {"platform": platform, "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


@pytest.mark.parametrize("parse_ahead_from", [0, 1], ids=["in-process", "parsed-ahead"])
def test_upload_runs_the_import_after_commit_as_a_task(
    world, media_root, eager, django_capture_on_commit_callbacks, settings, parse_ahead_from
):
    settings.ORDERS_PARSE_AHEAD_MIN_ROWS = parse_ahead_from  # 1: the stored file is parsed by a child process
    api = client(world.finance)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(api, "douyin", "douyin_export_gb18030.csv")
    assert response.status_code == 201, response.content
    assert len(callbacks) == 1
    batch_id = response.json()["id"]
    detail = api.get(reverse("orders-batch-detail", args=[batch_id])).json()
    assert (detail["state"], detail["progress"], detail["rows_total"], detail["rows_done"]) == ("done", 1.0, 7, 7)
    assert (detail["created"], detail["rejected"], detail["unattributed"], detail["uploaded_by"]) == (4, 3, 1, "op_fin_t")
    assert [row["line"] for row in detail["rejected_rows"]] == [4, 6, 7]
    assert AuditEntry.objects.filter(action__in=["orders.import_uploaded", "orders.import_finished"]).count() == 2
    # The task is idempotent: running it again for the same batch reports and writes nothing.
    from shuxuan.orders.tasks import import_batch_run

    before = list(OrderLine.objects.values())
    assert import_batch_run.delay(batch_id).get()["created"] == 4
    assert list(OrderLine.objects.values()) == before


def test_upload_enqueues_once_while_the_same_file_is_pending(world, media_root, django_capture_on_commit_callbacks):
    api = client(world.finance)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = upload(api, "generic", "generic_day1.csv")
        again = upload(api, "generic", "generic_day1.csv")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and len(callbacks) == 1
    assert first.json()["state"] == "pending" and first.json()["rows_total"] == 2


def test_upload_in_the_wrong_format_is_refused_and_stores_nothing(world, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client(world.finance), "douyin", "wrong_headers.csv")
    assert response.status_code == 400
    assert "missing columns" in response.json()["detail"]
    assert (ImportBatch.objects.count(), len(callbacks), list(media_root.rglob("*.*")) if media_root.exists() else []) == (
        0,
        0,
        [],
    )


def test_upload_whose_first_line_is_not_text_is_refused_and_stores_nothing(world, media_root, django_capture_on_commit_callbacks):
    """Found by the API contract test: bytes that are neither UTF-8 nor GB18030 on the header line were a 500."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client(world.finance).post(
            reverse("orders-batch-list"),
            {"platform": "wechat", "file": SimpleUploadedFile("bad.csv", b"\x84\x31,a\n1,2\n")},
            format="multipart",
        )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"].startswith("文件编码错误 (gb18030) / the file is not valid gb18030")
    assert (ImportBatch.objects.count(), len(callbacks), list(media_root.rglob("*.*")) if media_root.exists() else []) == (
        0,
        0,
        [],
    )


@pytest.mark.parametrize("who", ["mcn_user", "brand_user", "op_reviewer", "observer_user"])
def test_only_operator_staff_and_finance_upload(world, media_root, who):
    response = upload(client(getattr(world, who)), "generic", "generic_day1.csv")
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def _import_world(world: Any) -> None:
    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))  # mcn + brand (douban, hotpot), 1 stranger
    import_path(source="taobao", path=fixture("taobao_tbk.csv"))  # mcn + other brand (tea)
    import_path(source="generic", path=fixture("generic_day1.csv"))


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_lines_are_scoped_by_frozen_binding_and_by_brand(world):
    _import_world(world)
    url = reverse("orders-line-list")
    everything = set(OrderLine.objects.values_list("id", flat=True))
    assert ids(client(world.finance).get(url)) == everything
    assert ids(client(world.op_staff).get(url)) == everything
    assert client(world.op_reviewer).get(url).status_code == 403
    mcn_lines = set(OrderLine.objects.filter(mcn=world.mcn).values_list("id", flat=True))
    assert ids(client(world.mcn_user).get(url)) == mcn_lines and len(mcn_lines) == len(everything) - 1
    brand_lines = set(OrderLine.objects.filter(sku__brand=world.brand).values_list("id", flat=True))
    assert ids(client(world.brand_user).get(url)) == brand_lines and brand_lines
    assert ids(client(world.other_brand_user).get(url)) == set(
        OrderLine.objects.filter(sku=world.tea).values_list("id", flat=True)
    )
    assert ids(client(world.other_mcn_user).get(url)) == set()
    assert ids(client(world.observer_user).get(url)) == set()
    tea_line = OrderLine.objects.filter(sku=world.tea).first()
    douban_line = OrderLine.objects.filter(sku=world.douban).first()
    assert tea_line and douban_line
    for user, foreign in (
        (world.brand_user, tea_line),
        (world.other_brand_user, douban_line),
        (world.other_mcn_user, douban_line),
    ):
        assert client(user).get(reverse("orders-line-detail", args=[foreign.pk])).status_code == 404
    for user in (world.mcn_user, world.brand_user):
        batch = ImportBatch.objects.first()
        assert batch is not None
        assert client(user).get(reverse("orders-batch-detail", args=[batch.pk])).status_code == 404
        assert ids(client(user).get(reverse("orders-batch-list"))) == set()


def test_line_filters(world):
    _import_world(world)
    api = client(world.finance)
    url = reverse("orders-line-list")

    def found(**params: Any) -> set[int]:
        return ids(api.get(url, params))

    assert found(platform="taobao") == set(OrderLine.objects.filter(platform="taobao").values_list("id", flat=True))
    assert found(status="settled") == set(OrderLine.objects.filter(status="settled").values_list("id", flat=True))
    assert found(anchor=world.anchor.pk) == set(OrderLine.objects.filter(anchor=world.anchor).values_list("id", flat=True))
    stranger = OrderLine.objects.get(platform_order_id="6953547102608758624")
    assert found(unattributed="true") == {stranger.pk}
    # Paid on 2025-06-10 and 2025-06-11 (Asia/Shanghai days, inclusive).
    assert {OrderLine.objects.get(pk=pk).platform_order_id for pk in found(paid_from="2025-06-10", paid_to="2025-06-11")} == {
        "6953547102608758622",
        "6953547102608758624",
    }
    assert api.get(url, {"status": "bogus"}).status_code == 400


def test_line_detail_has_money_objects_and_events(world):
    import_path(source="generic", path=fixture("generic_day1.csv"))
    import_path(source="generic", path=fixture("generic_day2.csv"))
    line = OrderLine.objects.get(platform_order_id="G-1001", platform_line_id="1")
    body = client(world.brand_user).get(reverse("orders-line-detail", args=[line.pk])).json()
    assert body["pay_amount"] == {"amount": "100.00", "currency": "CNY"}
    assert body["refunded"] == {"amount": "30.00", "currency": "CNY"}
    assert body["settled_commission"] is None and body["platform_commission_rate_bps"] == 2000
    assert body["anchor"] == {"id": world.anchor.pk, "name": "蜀中小满"} and body["mcn_split_bps"] == 3000
    assert body["sku"]["code"] == "DB-500" and body["pick_id"] is None
    assert [(e["kind"], e["amount"]) for e in body["events"]] == [
        ("created", None),
        ("refund", {"amount": "30.00", "currency": "CNY"}),
    ]


def test_product_mapping_api(world):
    api = client(world.op_staff)
    response = api.post(
        reverse("orders-product-mapping-list"),
        {"platform": "douyin", "platform_product_id": "3587421906599999999", "sku": world.hotpot.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    again = api.post(
        reverse("orders-product-mapping-list"),
        {"platform": "douyin", "platform_product_id": "3587421906599999999", "sku": world.douban.pk},
        format="json",
    )
    assert again.status_code == 409
    assert client(world.brand_user).post(reverse("orders-product-mapping-list"), {}, format="json").status_code == 403
    brand_view = {
        row["platform_product_id"]
        for row in client(world.other_brand_user).get(reverse("orders-product-mapping-list")).json()["results"]
    }
    assert brand_view == {"680000111", "10000088"}


@pytest.mark.parametrize("n", [1, 4])
def test_list_and_detail_queries_do_not_grow_with_rows(world, n, tmp_path, django_assert_max_num_queries):
    rows = "".join(
        f"douyin,Q-{i},{j},paid,2025-06-0{1 + i % 9} 10:00:00,10.00,{'58213907' if i % 2 else 'nobody'},3587421906512345678\n"
        for i in range(n * 5)
        for j in (1, 2)
    )
    path = tmp_path / "q.csv"
    path.write_text("platform,order_id,line_id,status,paid_at,pay_amount,author_id,product_id\n" + rows)
    import_path(source="generic", path=path)
    import_path(source="generic", path=path)
    finance, mcn, brand = client(world.finance), client(world.mcn_user), client(world.brand_user)
    with django_assert_max_num_queries(4):  # count + page (+ session-free auth slack)
        assert len(finance.get(reverse("orders-line-list")).json()["results"]) == n * 10
    with django_assert_max_num_queries(4):
        assert mcn.get(reverse("orders-line-list")).json()["count"] == OrderLine.objects.filter(mcn=world.mcn).count() > 0
    with django_assert_max_num_queries(4):
        assert brand.get(reverse("orders-line-list")).json()["count"] == n * 10
    with django_assert_max_num_queries(4):
        assert len(finance.get(reverse("orders-batch-list")).json()["results"]) == 2
    line = OrderLine.objects.first()
    assert line is not None
    with django_assert_max_num_queries(3):  # line, events
        assert finance.get(reverse("orders-line-detail", args=[line.pk])).status_code == 200
