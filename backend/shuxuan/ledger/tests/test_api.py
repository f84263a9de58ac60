from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from shuxuan.ledger.facade import AccountType, account_get_or_create
from shuxuan.ledger.models import Period


@pytest.fixture
def posted(book):
    book.sale("s1", 10_000, day=date(2025, 3, 1))
    book.sale("s2", 2_050, day=date(2025, 3, 2))
    book.post("s3", (book.douyin, 5_000), (book.other_payable, -5_000), day=date(2025, 3, 3))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return book


def test_finance_sees_chart_of_accounts_with_balances_in_constant_queries(posted, api_client, django_assert_num_queries):
    book = posted
    api_client.force_authenticate(book.finance)
    with django_assert_num_queries(2):  # the count, the page with balances
        body = api_client.get("/api/ledger/accounts/").json()
    assert body["count"] == 5
    balances = {row["code"]: row["balance"] for row in body["results"]}
    assert balances[book.cash.code] == {"amount": "120.50", "currency": "CNY"}
    assert balances[book.payable.code] == {"amount": "-108.45", "currency": "CNY"}
    for n in range(6):
        account_get_or_create(
            platform=["kuaishou", "taobao", "wechat", "xiaohongshu", "douyin", "kuaishou"][n],
            type=[AccountType.PLATFORM_RECEIVABLE, AccountType.SUSPENSE][n % 2],
        )
    with django_assert_num_queries(2):
        body = api_client.get("/api/ledger/accounts/", {"as_of": "2025-03-01"}).json()
    assert body["count"] == 10  # douyin receivable existed already
    assert {row["code"]: row["balance"]["amount"] for row in body["results"]}[book.cash.code] == "100.00"


def test_other_organizations_see_only_their_accounts_and_entries(posted, api_client):
    book = posted
    api_client.force_authenticate(book.brand_user)
    body = api_client.get("/api/ledger/accounts/").json()
    assert [row["id"] for row in body["results"]] == [book.payable.pk]
    assert api_client.get(f"/api/ledger/accounts/{book.other_payable.pk}/").status_code == 404
    assert api_client.get(f"/api/ledger/accounts/{book.cash.pk}/").status_code == 404
    assert api_client.get(f"/api/ledger/accounts/{book.cash.pk}/postings/").status_code == 404
    entries = api_client.get("/api/ledger/entries/").json()
    assert [row["source_type"] for row in entries["results"]] == ["test.order_line", "test.order_line"]
    # Only the brand's own leg of each entry is shown.
    assert [[leg["account_id"] for leg in row["postings"]] for row in entries["results"]] == [[book.payable.pk]] * 2
    other_entry = entries["results"][0]["id"] + 1
    assert api_client.get(f"/api/ledger/entries/{other_entry}/").status_code == 404
    assert api_client.get("/api/ledger/trial-balance/").status_code == 403
    assert api_client.post("/api/ledger/periods/close/", {"period": "2025-02"}).status_code == 403


def test_operator_staff_without_finance_role_cannot_read_the_ledger(posted, api_client):
    api_client.force_authenticate(posted.reviewer)
    assert api_client.get("/api/ledger/accounts/").status_code == 403


def test_account_ledger_has_running_balance_date_filters_and_pages(posted, api_client, django_assert_num_queries):
    book = posted
    book.sale("s4", 1_000, day=date(2025, 3, 4))
    api_client.force_authenticate(book.finance)
    url = f"/api/ledger/accounts/{book.cash.pk}/postings/"
    body = api_client.get(url).json()
    assert [(r["effective_date"], r["amount"]["amount"], r["running_balance"]["amount"]) for r in body["results"]] == [
        ("2025-03-01", "100.00", "100.00"),
        ("2025-03-02", "20.50", "120.50"),
        ("2025-03-04", "10.00", "130.50"),
    ]
    assert body["results"][0]["source_type"] == "test.order_line"
    with django_assert_num_queries(4):  # account, opening balance, count, page
        body = api_client.get(url, {"date_from": "2025-03-02", "page_size": 1, "page": 2}).json()
    assert body["count"] == 2
    assert [(r["effective_date"], r["running_balance"]["amount"]) for r in body["results"]] == [("2025-03-04", "130.50")]
    body = api_client.get(url, {"date_to": "2025-03-01"}).json()
    assert [r["running_balance"]["amount"] for r in body["results"]] == ["100.00"]


def test_entry_detail_trial_balance_and_period_close(posted, api_client, django_assert_num_queries):
    book = posted
    api_client.force_authenticate(book.finance)
    entries = api_client.get("/api/ledger/entries/", {"source_id": "1"}).json()["results"]
    entry_id = entries[-1]["id"]
    with django_assert_num_queries(2):  # the entry, its postings with their accounts
        detail = api_client.get(f"/api/ledger/entries/{entry_id}/").json()
    assert (detail["idempotency_key"], detail["source_type"], detail["created_by"]) == ("s1", "test.order_line", "fin")
    assert [(leg["line_no"], leg["account_code"], leg["amount"]) for leg in detail["postings"]] == [
        (1, book.cash.code, {"amount": "100.00", "currency": "CNY"}),
        (2, book.payable.code, {"amount": "-90.00", "currency": "CNY"}),
        (3, book.fees.code, {"amount": "-10.00", "currency": "CNY"}),
    ]
    tb = api_client.get("/api/ledger/trial-balance/", {"as_of": "2025-03-02"}).json()
    assert tb["balanced"] is True and tb["totals"] == [{"amount": "0.00", "currency": "CNY"}]
    assert [(line["code"], line["balance"]["amount"]) for line in tb["lines"]] == [
        (book.cash.code, "120.50"),
        (book.fees.code, "-12.05"),
        (book.payable.code, "-108.45"),
    ]
    response = api_client.post("/api/ledger/periods/close/", {"period": "2025-02"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert api_client.post("/api/ledger/periods/close/", {"period": "2025-13"}).status_code == 400
    assert api_client.get("/api/ledger/periods/").json()["results"][0]["period"] == "2025-02"
    assert api_client.post("/api/ledger/periods/reopen/", {"period": "2025-02"}).json()["status"] == "open"
    assert Period.objects.get(period="2025-02").closed_at is None


def test_accounts_entries_and_trial_balance_name_each_accounts_owner_in_the_same_queries(
    posted, api_client, django_assert_num_queries
):
    """The SPA labels an account as owner · type · currency (never the raw `org2:payable_to_party:CNY`): the
    owner's name comes with the account, in the queries the lists already make."""
    book = posted
    api_client.force_authenticate(book.finance)
    with django_assert_num_queries(2):  # the count, the page with balances and owners
        rows = api_client.get("/api/ledger/accounts/").json()["results"]
    owners = {row["code"]: (row["owner_name"], row["owner_platform"], row["type"], row["currency"]) for row in rows}
    assert owners[book.payable.code] == ("宜宾叙府窖酒业有限公司", None, "payable_to_party", "CNY")
    assert owners[book.cash.code] == ("四川蜀选供应链管理有限公司", None, "cash", "CNY")
    assert owners[book.douyin.code] == (None, "douyin", "platform_receivable", "CNY")

    entry_id = api_client.get("/api/ledger/entries/", {"source_id": "1"}).json()["results"][-1]["id"]
    with django_assert_num_queries(2):  # the entry, its postings with their accounts and owners
        legs = api_client.get(f"/api/ledger/entries/{entry_id}/").json()["postings"]
    assert [(leg["account_code"], leg["owner_name"], leg["account_type"]) for leg in legs] == [
        (book.cash.code, "四川蜀选供应链管理有限公司", "cash"),
        (book.payable.code, "宜宾叙府窖酒业有限公司", "payable_to_party"),
        (book.fees.code, "四川蜀选供应链管理有限公司", "fee_income"),
    ]
    api_client.force_authenticate(book.brand_user)
    with django_assert_num_queries(3):  # the count, the page, the brand's own legs with their owners
        own = api_client.get("/api/ledger/entries/").json()["results"]
    assert {leg["owner_name"] for entry in own for leg in entry["postings"]} == {"宜宾叙府窖酒业有限公司"}

    api_client.force_authenticate(book.finance)
    with django_assert_num_queries(1):
        lines = api_client.get("/api/ledger/trial-balance/").json()["lines"]
    by_code = {line["code"]: (line["owner_name"], line["owner_platform"]) for line in lines}
    assert by_code[book.payable.code] == ("宜宾叙府窖酒业有限公司", None)
    assert by_code[book.douyin.code] == (None, "douyin")
