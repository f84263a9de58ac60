import csv
import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shuxuan.common import spreadsheets
from shuxuan.parties.models import Role
from shuxuan.supply import postings
from shuxuan.supply.exports import STOCK_HEADER
from shuxuan.supply.models import Ownership
from shuxuan.supply.tests.conftest import client_for, stock_in
from shuxuan.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/supply/stock/export/"


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def stocked(clerk, brand, other_brand, chengdu, liquor, tea):
    stock_in(clerk, brand, chengdu, liquor, 2, 12_850, batch="A", expiry=date(2027, 1, 1))
    stock_in(clerk, brand, chengdu, liquor, 1, 13_000, batch="B", expiry=date(2027, 6, 1))
    stock_in(clerk, brand, chengdu, liquor, 3, 9_000, batch="C", expiry=date(2027, 1, 1), ownership=Ownership.CONSIGNMENT)
    stock_in(clerk, other_brand, chengdu, tea, 5, 4_000)


def test_stock_export_has_the_list_filters_unit_cost_and_value(stocked, clerk, operator, brand):
    rows = rows_of(client_for(clerk).get(URL, {"sku": "JIU-500", "owner": operator.pk}))
    assert rows[0] == STOCK_HEADER
    # Buy-out liquor: 3 bottles at a moving average of (2 x 128.50 + 130.00) / 3 = 129.00.
    assert [(r[5], r[6], r[7], r[8], r[9], r[11], r[12], r[13]) for r in rows[1:]] == [
        ("A", "2025-01-01", "2027-01-01", operator.name, "2", "2", "129.00", "258.00"),
        ("B", "2025-01-01", "2027-06-01", operator.name, "1", "1", "129.00", "129.00"),
    ]
    everything = rows_of(client_for(clerk).get(URL))
    assert len(everything) == 1 + 4


def test_a_brand_exports_only_its_stock_and_bad_formats_are_named(stocked, brand, operator):
    brand_client = client_for(UserFactory(organization=brand, roles=[Role.OWNER]))
    rows = rows_of(brand_client.get(URL))
    assert sorted((r[2], r[5], r[8]) for r in rows[1:]) == [
        ("JIU-500", "A", operator.name),
        ("JIU-500", "B", operator.name),
        ("JIU-500", "C", brand.name),
    ]
    response = brand_client.get(URL, {"fmt": "pdf"})
    assert response.status_code == 400 and "fmt" in response.json()["errors"]


def test_stock_export_as_xlsx_and_its_row_limit(stocked, clerk, monkeypatch):
    staff = client_for(clerk)
    response = staff.get(URL, {"fmt": "xlsx", "sku": "TEA-100"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == STOCK_HEADER
    assert [(v[2], v[9], v[12], v[13]) for v in values[1:]] == [("TEA-100", 5, "40.00", "200.00")]
    monkeypatch.setattr("shuxuan.supply.apis.XLSX_MAX_ROWS", 4)
    assert spreadsheets.XLSX_MAX_ROWS > 4  # the module's own limit is untouched
    response = staff.get(URL, {"fmt": "xlsx"})
    assert response.status_code == 400 and "CSV" in response.json()["errors"]["fmt"][0]
    assert staff.get(URL, {"fmt": "xlsx", "sku": "JIU-500"}).status_code == 200  # 3 rows and a header fit


def test_stock_export_reads_in_constant_queries(stocked, clerk, brand, chengdu, liquor, django_assert_num_queries):
    staff = client_for(clerk)

    def export() -> int:
        # one cursor over the balances with their joins and cost pools; the pools' values and held rows
        with django_assert_num_queries(3):
            return len(rows_of(staff.get(URL)))

    before = export()
    for n in range(5):
        stock_in(clerk, brand, chengdu, liquor, 1, 10_000, batch=f"N{n}", expiry=date(2028, 1, 1))
    assert export() == before + 5


def test_list_export_report_and_ledger_show_one_stock_value_to_the_fen(clerk, operator, brand, chengdu, liquor):
    """3 bottles costing 100.01 in all (33.33 + 2 × 33.34): the unit cost 33.3367 rounds to 33.34,
    and 3 × 33.34 = 100.02 would be a fen more than the inventory account holds. Every screen shows
    the ledger's 100.01, the pool's value allocated over its rows."""
    stock_in(clerk, brand, chengdu, liquor, 1, 3_333, batch="A", expiry=date(2027, 1, 1))
    stock_in(clerk, brand, chengdu, liquor, 2, 3_334, batch="B", expiry=date(2027, 6, 1))
    assert postings.inventory_balance(organization_id=operator.pk) == 10_001

    listed = client_for(clerk).get("/api/supply/stock/", {"sku": "JIU-500"}).json()
    assert [(r["lot"]["batch_number"], r["unit_cost"]["amount"], r["value"]["amount"]) for r in listed["results"]] == [
        ("A", "33.34", "33.34"),
        ("B", "33.34", "66.67"),
    ]
    assert listed["total_value"] == {"amount": "100.01", "currency": "CNY"}
    # One row a page: each row keeps its value, and the total is still of every row the filters select.
    paged = client_for(clerk).get("/api/supply/stock/", {"sku": "JIU-500", "page_size": 1}).json()
    assert [r["value"]["amount"] for r in paged["results"]] == ["33.34"]
    assert paged["total_value"]["amount"] == "100.01"
    single = client_for(clerk).get(f"/api/supply/stock/{listed['results'][1]['id']}/").json()
    assert single["value"]["amount"] == "66.67"

    exported = rows_of(client_for(clerk).get(URL, {"sku": "JIU-500"}))
    assert [(r[5], r[13]) for r in exported[1:]] == [("A", "33.34"), ("B", "66.67")]

    report = (
        client_for(clerk)
        .get("/api/supply/report/", {"date_from": "2025-01-01", "date_to": timezone.localdate().isoformat()})
        .json()
    )
    assert [(r["sku_code"], r["closing"]["value"]["amount"]) for r in report] == [("JIU-500", "100.01")]
