"""The 进销存 report as CSV and XLSX: the report endpoint's rows and figures to the fen, a total per
ownership that ties to the inventory account, the report's filters and scope, one query."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.supply.exports import REPORT_FLOWS, REPORT_HEADER, SUBTOTAL_LABEL, TOTAL_LABEL
from shuxuan.supply.tests.conftest import balance_of, client_for, stock_in
from shuxuan.supply.tests.test_report import april  # noqa: F401  (fixture)
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/supply/report/export/"
APRIL = {"date_from": "2025-04-01", "date_to": "2025-04-30"}


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def as_report(row: list[str]) -> dict[str, Any]:
    """An exported row in the report endpoint's shape."""
    cells = row[5:]
    return {
        "sku_code": row[0],
        "name": row[1],
        "owner_name": row[2],
        **{
            name: {"quantity": int(cells[2 * i]), "value": {"amount": cells[2 * i + 1], "currency": row[4]}}
            for i, (name, _) in enumerate(REPORT_FLOWS)
        },
    }


def report_of(client: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get("/api/supply/report/", query)
    assert response.status_code == 200, response.content[:300]
    keys = ["sku_code", "name", "owner_name", *(name for name, _ in REPORT_FLOWS)]
    return [{key: row[key] for key in keys} for row in response.json()]


def test_the_export_is_the_reports_rows_to_the_fen_with_totals_that_tie_to_the_ledger(april, clerk, operator):  # noqa: F811
    staff = client_for(clerk)
    rows = csv_rows(staff.get(URL, APRIL))
    assert rows[0] == REPORT_HEADER
    body = [row for row in rows[1:] if row[0] not in (SUBTOTAL_LABEL, TOTAL_LABEL)]
    subtotals = {row[3]: row for row in rows[1:] if row[0] == SUBTOTAL_LABEL}
    assert [as_report(row) for row in body] == report_of(staff, APRIL)
    tea = next(row for row in body if row[0] == "TEA-100")
    assert tea[3:7] == ["经销 Buy-out", "CNY", "10", "50.00"] and tea[-2:] == ["8", "43.20"]

    report = staff.get("/api/supply/report/", APRIL).json()
    for ownership, label in (("buy_out", "经销 Buy-out"), ("consignment", "代销 Consignment")):
        subtotal = as_report(subtotals[label])
        for name, _ in REPORT_FLOWS:
            mine = [r[name] for r in report if r["ownership"] == ownership]
            assert Decimal(subtotal[name]["value"]["amount"]) == sum(Decimal(f["value"]["amount"]) for f in mine)
            assert subtotal[name]["quantity"] == sum(f["quantity"] for f in mine)
    total = as_report(rows[-1])
    assert rows[-1][:5] == [TOTAL_LABEL, "", "", "", "CNY"]
    for name, _ in REPORT_FLOWS:  # the report screen's totals line: every row summed
        assert Decimal(total[name]["value"]["amount"]) == sum(Decimal(r[name]["value"]["amount"]) for r in report)
        assert total[name]["quantity"] == sum(r[name]["quantity"] for r in report)
    assert Decimal(subtotals["经销 Buy-out"][-1]) * 100 == balance_of(operator, "inventory", as_of=date(2025, 4, 30)) == 4320
    assert subtotals["代销 Consignment"][-1] == "270.00" and rows[-1][-2:] == ["11", "313.20"]
    assert list(subtotals) == ["经销 Buy-out", "代销 Consignment"]  # ordered by the ownership's code


def test_the_xlsx_has_the_same_cells(april, clerk):  # noqa: F811
    staff = client_for(clerk)
    as_csv = csv_rows(staff.get(URL, APRIL))
    response = staff.get(URL, {**APRIL, "fmt": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="jinxiaocun-2025-04-01-2025-04-30.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    as_xlsx = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert as_xlsx == as_csv and len(as_csv) == 1 + 2 + 2 + 1


def test_the_export_takes_the_reports_filters(april, clerk, operator, brand):  # noqa: F811
    staff = client_for(clerk)
    for query in (
        APRIL,
        {**APRIL, "owner": operator.pk},
        {**APRIL, "owner": brand.pk},
        {"date_from": "2025-03-01", "date_to": "2025-03-31"},
        {"date_from": "2025-05-01", "date_to": "2025-05-31"},
        {"date_from": "2024-01-01", "date_to": "2024-01-31"},
    ):
        body = [row for row in csv_rows(staff.get(URL, query))[1:] if row[0] not in (SUBTOTAL_LABEL, TOTAL_LABEL)]
        assert [as_report(row) for row in body] == report_of(staff, query), query
    owned = csv_rows(staff.get(URL, {**APRIL, "owner": brand.pk}))[1:]
    assert [row[0] for row in owned] == ["JIU-500", SUBTOTAL_LABEL, TOTAL_LABEL]
    bad = staff.get(URL, {"date_from": "2025-04-30", "date_to": "2025-04-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()
    assert "date_from" in staff.get(URL, {"date_to": "2025-04-01"}).json()
    bad = staff.get(URL, {**APRIL, "fmt": "pdf"})
    assert bad.status_code == 400 and "fmt" in bad.json()["errors"]


def test_a_brand_exports_its_own_goods_and_others_nothing(april, brand, other_brand):  # noqa: F811
    own = client_for(UserFactory(organization=brand, roles=[Role.OWNER]))
    assert [(r[0], r[3]) for r in csv_rows(own.get(URL, APRIL))[1:]] == [
        ("JIU-500", "代销 Consignment"),
        (SUBTOTAL_LABEL, "代销 Consignment"),
        (TOTAL_LABEL, ""),
    ]
    tea_brand = client_for(UserFactory(organization=other_brand, roles=[Role.OWNER]))
    bought = csv_rows(tea_brand.get(URL, APRIL))[1:]  # what the operator bought of its tea
    assert [r[0] for r in bought] == ["TEA-100", SUBTOTAL_LABEL, TOTAL_LABEL]
    mcn = client_for(UserFactory(organization=OrganizationFactory(kind=OrganizationKind.MCN)))
    assert csv_rows(mcn.get(URL, APRIL)) == [REPORT_HEADER]
    assert client_for(None).get(URL, APRIL).status_code in (401, 403)


def test_the_export_is_one_query_however_many_skus(clerk, brand, chengdu, django_assert_num_queries):
    from shuxuan.supply import services

    staff = client_for(clerk)
    query = {"date_from": "2025-01-01", "date_to": "2025-12-31"}

    def export() -> int:
        with django_assert_num_queries(1):  # the report's one aggregate over the movements
            return len(csv_rows(staff.get(URL, query)))

    assert export() == 1
    for n in range(12):
        item = services.stock_item_create(actor=clerk, sku_code=f"SKU-{n:02}", name=f"货品 {n}", brand=brand, unit="件")
        stock_in(clerk, brand, chengdu, item, 1, 100 + n, day=date(2025, 6, 1))
    assert export() == 1 + 12 + 2
