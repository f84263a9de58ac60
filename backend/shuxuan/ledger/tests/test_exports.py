from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from shuxuan.ledger import exports
from shuxuan.ledger.models import JournalEntry


@pytest.fixture
def posted(book):
    book.sale("s1", 10_000, day=date(2025, 3, 1))
    book.sale("s2", 2_050, day=date(2025, 3, 2))
    book.post("s3", (book.douyin, 5_000), (book.other_payable, -5_000), day=date(2025, 3, 3))
    book.sale("s4", 1_000, day=date(2025, 3, 4))
    return book


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())  # Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_account_ledger_csv_runs_from_the_opening_balance_to_the_closing_one(posted, api_client):
    book = posted
    api_client.force_authenticate(book.finance)
    response = api_client.get(f"/api/ledger/accounts/{book.cash.pk}/export/", {"date_from": "2025-03-02"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"ledger-{book.cash.code.replace(':', '-')}-2025-03-02_end.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = _csv(response)
    assert rows[0] == exports.ACCOUNT_LEDGER_HEADER
    entries = dict(JournalEntry.objects.values_list("idempotency_key", "id"))
    assert rows[1:] == [
        ["2025-03-02", "", "", "期初余额 Opening balance", "", "", "", "", "100.00"],
        ["2025-03-02", str(entries["s2"]), "1", "test.order_line", "1", "memo s2", "20.50", "", "120.50"],
        ["2025-03-04", str(entries["s4"]), "1", "test.order_line", "1", "memo s4", "10.00", "", "130.50"],
        ["", "", "", "期末余额 Closing balance", "", "", "30.50", "0.00", "130.50"],
    ]


def test_a_brand_exports_its_own_payable_with_credits_and_nothing_else(posted, api_client):
    book = posted
    api_client.force_authenticate(book.brand_user)
    rows = _csv(api_client.get(f"/api/ledger/accounts/{book.payable.pk}/export/", {"date_to": "2025-03-02"}))
    assert [(r[0], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("", "", "", "0.00"),
        ("2025-03-01", "", "90.00", "-90.00"),
        ("2025-03-02", "", "18.45", "-108.45"),
        ("2025-03-02", "0.00", "108.45", "-108.45"),
    ]
    assert api_client.get(f"/api/ledger/accounts/{book.cash.pk}/export/").status_code == 404
    assert api_client.get(f"/api/ledger/accounts/{book.other_payable.pk}/export/").status_code == 404
    assert api_client.get("/api/ledger/trial-balance/export/").status_code == 403
    api_client.force_authenticate(book.reviewer)  # operator staff without the finance role
    assert api_client.get(f"/api/ledger/accounts/{book.cash.pk}/export/").status_code == 403


def test_text_cells_cannot_run_as_spreadsheet_formulas(book, api_client):
    book.post("f1", (book.cash, 500), (book.fees, -500), day=date(2025, 3, 1), source_id="=HYPERLINK(1)")
    api_client.force_authenticate(book.finance)
    rows = _csv(api_client.get(f"/api/ledger/accounts/{book.cash.pk}/export/"))
    assert rows[2][4] == "'=HYPERLINK(1)" and rows[2][8] == "5.00"


def test_bad_export_parameters_are_named(posted, api_client):
    book = posted
    api_client.force_authenticate(book.finance)
    url = f"/api/ledger/accounts/{book.cash.pk}/export/"
    response = api_client.get(url, {"fmt": "pdf"})
    assert response.status_code == 400 and "fmt" in response.json()["errors"]
    response = api_client.get(url, {"date_from": "2025-13-01"})
    assert response.status_code == 400 and "date_from" in response.json()  # the serializer's own error body
    response = api_client.get("/api/ledger/trial-balance/export/", {"fmt": "ods"})
    assert response.status_code == 400 and "fmt" in response.json()["errors"]


def test_account_ledger_export_reads_in_constant_queries(posted, api_client, django_assert_num_queries):
    book = posted
    api_client.force_authenticate(book.finance)
    url = f"/api/ledger/accounts/{book.cash.pk}/export/"

    def export() -> int:
        with django_assert_num_queries(3):  # the account, the opening balance, the postings (one cursor)
            return len(_csv(api_client.get(url, {"date_from": "2025-03-01"})))

    before = export()
    for n in range(30):
        book.sale(f"more{n}", 100 + n, day=date(2025, 3, 5))
    assert export() == before + 30


def test_account_ledger_xlsx_and_its_row_limit(posted, api_client, monkeypatch):
    book = posted
    api_client.force_authenticate(book.finance)
    url = f"/api/ledger/accounts/{book.fees.pk}/export/"
    response = api_client.get(url, {"fmt": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == exports.ACCOUNT_LEDGER_HEADER
    assert [row[8] for row in values[1:]] == ["0.00", "-10.00", "-12.05", "-13.05", "-13.05"]
    monkeypatch.setattr(exports, "XLSX_MAX_POSTINGS", 2)
    response = api_client.get(url, {"fmt": "xlsx"})
    assert response.status_code == 400 and "CSV" in response.json()["errors"]["fmt"][0]
    assert api_client.get(url, {"fmt": "xlsx", "date_from": "2025-03-02"}).status_code == 200  # two postings fit


def test_trial_balance_export_puts_each_balance_on_its_side_and_totals_match(posted, api_client):
    book = posted
    api_client.force_authenticate(book.finance)
    response = api_client.get("/api/ledger/trial-balance/export/", {"as_of": "2025-03-02"})
    assert response["Content-Disposition"] == 'attachment; filename="trial-balance-2025-03-02.csv"'
    rows = _csv(response)
    assert rows[0] == exports.TRIAL_BALANCE_HEADER
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [
        (book.cash.code, "CNY", "120.50", ""),
        (book.fees.code, "CNY", "", "12.05"),
        (book.payable.code, "CNY", "", "108.45"),
        ("", "CNY", "120.50", "120.50"),
    ]
    workbook = load_workbook(io.BytesIO(api_client.get("/api/ledger/trial-balance/export/", {"fmt": "xlsx"}).content))
    last = list(workbook.active.iter_rows(values_only=True))[-1]
    assert last[1:] == ("合计 Total", None, "CNY", "180.50", "180.50")
