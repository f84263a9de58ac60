"""An order import's rejected rows as CSV and XLSX: every row (the detail shows the first 500), in
line order, the operator's only, read in one query."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shuxuan.orders.exports import REJECTED_HEADER
from shuxuan.orders.models import ImportBatch, RejectedRow
from shuxuan.orders.services import import_path
from shuxuan.orders.tests.conftest import fixture

pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def url(batch_id: int) -> str:
    return f"/api/orders/batches/{batch_id}/rejected-rows/export/"


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def batch(world: Any) -> ImportBatch:
    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    return ImportBatch.objects.get()


def test_the_export_is_every_rejected_row_of_the_detail_with_its_reason(world: Any, batch: ImportBatch) -> None:
    api = client(world.finance)
    detail = api.get(f"/api/orders/batches/{batch.pk}/").json()
    rows = csv_rows(api.get(url(batch.pk)))
    assert rows[0] == REJECTED_HEADER
    assert rows[1:] == [[str(row["line"]), row["reason"]] for row in detail["rejected_rows"]]
    assert [row[0] for row in rows[1:]] == ["4", "6", "7"] and all(row[1] for row in rows[1:])
    response = api.get(url(batch.pk), {"fmt": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="import-{batch.pk}-rejected.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [REJECTED_HEADER] + [
        [int(line), reason] for line, reason in rows[1:]
    ]
    bad = api.get(url(batch.pk), {"fmt": "json"})
    assert bad.status_code == 400 and "fmt" in bad.json()["errors"]


def test_past_the_details_500_the_export_has_them_all_in_one_query(
    world: Any, batch: ImportBatch, django_assert_num_queries: Any
) -> None:
    RejectedRow.objects.bulk_create(RejectedRow(batch=batch, line=1_000 + n, reason=f"第 {n} 行 bad") for n in range(600))
    api = client(world.finance)
    assert len(api.get(f"/api/orders/batches/{batch.pk}/").json()["rejected_rows"]) == 500
    with django_assert_num_queries(2):  # the batch, then one cursor over its rejected rows
        rows = csv_rows(api.get(url(batch.pk)))
    assert len(rows) == 1 + 3 + 600
    assert rows[-1] == ["1599", "第 599 行 bad"]


@pytest.mark.parametrize("who", ["mcn_user", "brand_user", "op_reviewer", "observer_user"])
def test_only_the_operators_order_roles_export_rejected_rows(world: Any, batch: ImportBatch, who: str) -> None:
    response = client(getattr(world, who)).get(url(batch.pk))
    assert response.status_code in (403, 404), who
    assert REJECTED_HEADER[0].encode() not in response.content
    assert len(csv_rows(client(world.op_staff).get(url(batch.pk)))) == 1 + 3
    assert client(world.finance).get(url(batch.pk + 1_000)).status_code == 404
