"""The order lines waiting for review (they cannot be split) as CSV and XLSX: the list's filters,
every page, the basis in yuan with its currency, the freeze in Asia/Shanghai, operator finance only."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shuxuan.parties.models import Role, User
from shuxuan.settlement.exports import PROBLEM_HEADER
from shuxuan.settlement.models import LineTerms
from shuxuan.testing.factories import UserFactory

from .conftest import World
from .test_runs import D1, settle

pytestmark = pytest.mark.django_db
URL = "/api/settlement/problem-lines/export/"
LIST = "/api/settlement/problem-lines/"


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


def unmapped(order_id: str, platform: str = "douyin", amount: str = "299.00") -> dict[str, str]:
    author = {"platform": platform, "author_id": "ks_3390217"} if platform == "kuaishou" else {}
    return D1 | {"order_id": order_id, "product_id": f"unknown-{order_id}", "pay_amount": amount} | author


@pytest.fixture
def problems(world: World) -> World:
    world.import_lines([D1, unmapped("NOSKU1", amount="0.01"), unmapped("NOSKU2", "kuaishou", "1234.56"), unmapped("NOSKU3")])
    settle()
    LineTerms.objects.exclude(problem="").update(frozen_at=datetime(2026, 11, 9, 17, 5, tzinfo=UTC))
    return world


def test_the_export_states_each_line_for_review_in_yuan_and_shanghai_time(problems: World) -> None:
    rows = csv_rows(client_for(problems.finance).get(URL))
    assert rows[0] == PROBLEM_HEADER
    # The list's order: newest line first.
    assert [(r[2], r[1], r[3], r[4], r[6]) for r in rows[1:]] == [
        ("NOSKU3", "抖音 Douyin", "CNY", "299.00", "2026-11-10 01:05:00"),
        ("NOSKU2", "快手 Kuaishou", "CNY", "1234.56", "2026-11-10 01:05:00"),
        ("NOSKU1", "抖音 Douyin", "CNY", "0.01", "2026-11-10 01:05:00"),
    ]
    assert all("SKU" in r[5] for r in rows[1:])
    assert [int(r[0]) for r in rows[1:]] == [problems.line(o).pk for o in ("NOSKU3", "NOSKU2", "NOSKU1")]


def test_the_export_is_the_filtered_list_of_every_page(problems: World) -> None:
    finance = client_for(problems.finance)
    for filters in ({}, {"platform": "douyin"}, {"platform": "kuaishou"}, {"platform": "taobao"}):
        listed, page = [], 1
        while True:
            body = finance.get(LIST, {**filters, "page_size": 1, "page": page}).json()
            listed += [(row["id"], row["basis"]["amount"]) for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        exported = [(int(r[0]), r[4]) for r in csv_rows(finance.get(URL, filters))[1:]]
        assert exported == listed, filters
        response = finance.get(URL, {**filters, "fmt": "xlsx"})
        assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == PROBLEM_HEADER
        assert [(v[0], v[4]) for v in values[1:]] == listed, filters
    bad = finance.get(URL, {"platform": "myspace"})
    assert bad.status_code == 400 and "platform" in bad.json()
    bad = finance.get(URL, {"fmt": "ods"})
    assert bad.status_code == 400 and "fmt" in bad.json()["errors"]


def test_only_operator_finance_exports_the_lines_for_review(problems: World) -> None:
    staff = UserFactory(organization=problems.operator, roles=[Role.STAFF], username="op_staff_p")
    for user in (problems.brand_user, problems.mcn_user, staff):
        response = client_for(user).get(URL)
        assert response.status_code == 403, user.username
        assert b"NOSKU" not in response.content


def test_the_export_reads_in_constant_queries(problems: World, django_assert_num_queries: Any) -> None:
    finance = client_for(problems.finance)

    def export() -> int:
        with django_assert_num_queries(1):  # one cursor over the lines with their order ids
            return len(csv_rows(finance.get(URL)))

    before = export()
    problems.import_lines([unmapped(f"MORE{n}") for n in range(40)], name="more.csv")
    settle()
    assert export() == before + 40
