"""The exceptions queue and a bill import's rejected rows as CSV and XLSX: the list's filters and
scope, every page, money in yuan from fen with the currency, times in Asia/Shanghai."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shuxuan.parties.models import Role, User
from shuxuan.reconciliation.exports import EXCEPTION_HEADER, REJECTED_HEADER
from shuxuan.reconciliation.models import BillImport, ReconException
from shuxuan.testing.factories import UserFactory

from .conftest import PERIOD, World

pytestmark = pytest.mark.django_db
URL = "/api/reconciliation/exceptions/export/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def make(n: int, **fields: Any) -> ReconException:
    values: dict[str, Any] = {
        "source": "douyin",
        "match_key": f"K{n}",
        "reason": "amount_mismatch",
        "period": PERIOD,
        "last_period": PERIOD,
        "bill_net_minor": 29_900,
        "ledger_net_minor": 29_600,
        "difference_minor": 300,
        **fields,
    }
    return ReconException.objects.create(**values)


@pytest.fixture
def queue(world: World) -> list[ReconException]:
    owner = UserFactory(organization=world.operator, roles=[Role.FINANCE], username="op_fin_owner")
    rows = [
        make(1, difference_minor=-1, bill_net_minor=0, ledger_net_minor=1, reason="missing_in_bill"),
        make(2, owner=owner),
        make(3, source="bank", reason="missing_in_ledger", state="disputed", resolution="dispute", resolution_note="已申诉"),
        make(4, period="2026-10", last_period=PERIOD, difference_minor=123_456_789),
        make(5, source="kuaishou", state="written_off", resolution="write_off", owner=owner),
    ]
    # First seen at 16:30 UTC on 1 Nov = 00:30 on 2 Nov in Shanghai; K4 70 days before.
    seen = datetime(2026, 11, 1, 16, 30, tzinfo=UTC)
    ReconException.objects.filter(pk__in=[r.pk for r in rows]).update(first_seen_at=seen)
    ReconException.objects.filter(pk=rows[3].pk).update(first_seen_at=timezone.now() - timedelta(days=70))
    ReconException.objects.filter(pk=rows[4].pk).update(resolved_at=datetime(2026, 11, 30, 23, 0, tzinfo=UTC))
    return rows


def test_the_exceptions_export_states_every_column_in_yuan_and_shanghai_time(world: World, queue: list[ReconException]) -> None:
    rows = csv_rows(client_for(world.finance).get(URL))
    assert rows[0] == EXCEPTION_HEADER
    by_key = {row[2]: row for row in rows[1:]}
    assert [row[2] for row in rows[1:]] == ["K4", "K1", "K2", "K3", "K5"]  # the queue's order: oldest first
    k1, k4, k5 = by_key["K1"], by_key["K4"], by_key["K5"]
    assert k1[:11] == [
        str(queue[0].pk),
        "抖店结算账单 Douyin settle bill",
        "K1",
        "账单缺失 Missing in bill",
        PERIOD,
        PERIOD,
        "CNY",
        "0.00",
        "0.01",
        "-0.01",
        "待处理 Open",
    ]
    assert k1[15:17] == ["2026-11-02 00:30:00", ""]
    assert k4[4] == "2026-10" and k4[9] == "1234567.89" and k4[17] == "70"
    assert k5[10:13] == ["已核销 Written off", "op_fin_owner", "核销 Write off"]
    assert k5[16] == "2026-12-01 07:00:00"
    assert by_key["K3"][13] == "已申诉"


def test_the_exceptions_export_is_the_filtered_list_of_every_page(world: World, queue: list[ReconException]) -> None:
    finance = client_for(world.finance)
    owner = queue[1].owner_id
    for filters in (
        {},
        {"source": "douyin"},
        {"state": "open"},
        {"reason": "amount_mismatch", "period": PERIOD},
        {"owner": str(owner)},
        {"age": "60+"},
        {"age": "0-7"},
        {"age": "31+", "unresolved_through": PERIOD},
        {"source": "wechat"},
    ):
        every = []  # the list's ids, page by page (two a page)
        page = 1
        while True:
            body = finance.get("/api/reconciliation/exceptions/", {**filters, "page_size": 2, "page": page}).json()
            every += [row["id"] for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        exported = [int(row[0]) for row in csv_rows(finance.get(URL, filters))[1:]]
        assert exported == every, filters
        in_xlsx = [row[0] for row in xlsx_rows(finance.get(URL, {**filters, "fmt": "xlsx"}))[1:]]
        assert in_xlsx == every, filters
    assert len(csv_rows(finance.get(URL, {"state": "open"}))) == 1 + 3


def test_the_xlsx_has_the_same_cells_and_bad_input_is_named(world: World, queue: list[ReconException]) -> None:
    finance = client_for(world.finance)
    as_csv = csv_rows(finance.get(URL, {"source": "douyin"}))
    as_xlsx = xlsx_rows(finance.get(URL, {"source": "douyin", "fmt": "xlsx"}))
    assert [[("" if cell is None else str(cell)) for cell in row] for row in as_xlsx] == as_csv
    bad = finance.get(URL, {"fmt": "pdf"})
    assert bad.status_code == 400 and "fmt" in bad.json()["errors"]
    bad = finance.get(URL, {"state": "nonsense"})  # the list's own filter error, naming the field
    assert bad.status_code == 400 and "state" in bad.json()
    assert finance.get("/api/reconciliation/exceptions/", {"state": "nonsense"}).json() == bad.json()


def test_only_operator_finance_exports_the_queue(world: World, queue: list[ReconException]) -> None:
    staff = UserFactory(organization=world.operator, roles=[Role.STAFF], username="op_staff_x")
    for user in (world.brand_user, world.mcn_user, staff):
        response = client_for(user).get(URL)
        assert response.status_code == 403, user.username
        assert b"K1" not in response.content
    owner = UserFactory(organization=world.operator, roles=[Role.OWNER], username="op_owner_x")
    assert len(csv_rows(client_for(owner).get(URL))) == 1 + 5


def test_the_exceptions_export_reads_in_constant_queries(
    world: World, queue: list[ReconException], django_assert_num_queries: Any
) -> None:
    finance = client_for(world.finance)

    def export() -> int:
        # the user's session and organization (2), then one cursor over the exceptions and owners
        with django_assert_num_queries(1):
            return len(csv_rows(finance.get(URL)))

    before = export()
    owner = queue[1].owner
    for n in range(10, 60):
        make(n, owner=owner)
    assert export() == before + 50


# A bill import's rejected rows --------------------------------------------------------------


def rejected_url(pk: int) -> str:
    return f"/api/reconciliation/imports/{pk}/rejected-rows/export/"


@pytest.fixture
def bill(world: World) -> BillImport:
    return BillImport.objects.create(
        source="douyin",
        sha256="a" * 64,
        filename="douyin.csv",
        created=3,
        rejected=[
            {"line": 12, "reason": "金额无法识别 amount 'abc' is not a number"},
            {"line": 3, "reason": '=HYPERLINK("x") 结算时间为空 settle time missing'},
        ],
    )


def test_a_bill_imports_rejected_rows_export_by_line(world: World, bill: BillImport) -> None:
    finance = client_for(world.finance)
    rows = csv_rows(finance.get(rejected_url(bill.pk)))
    assert rows == [
        REJECTED_HEADER,
        ["3", '\'=HYPERLINK("x") 结算时间为空 settle time missing'],
        ["12", "金额无法识别 amount 'abc' is not a number"],
    ]
    assert xlsx_rows(finance.get(rejected_url(bill.pk), {"fmt": "xlsx"}))[1:] == [
        [3, '\'=HYPERLINK("x") 结算时间为空 settle time missing'],
        [12, "金额无法识别 amount 'abc' is not a number"],
    ]
    clean = BillImport.objects.create(source="bank", sha256="b" * 64, filename="bank.csv")
    assert csv_rows(finance.get(rejected_url(clean.pk))) == [REJECTED_HEADER]
    assert finance.get(rejected_url(999_999)).status_code == 404


def test_only_operator_finance_exports_a_bill_imports_rejected_rows(world: World, bill: BillImport) -> None:
    for user in (world.brand_user, world.mcn_user):
        response = client_for(user).get(rejected_url(bill.pk))
        assert response.status_code in (403, 404), user.username
        assert b"HYPERLINK" not in response.content
