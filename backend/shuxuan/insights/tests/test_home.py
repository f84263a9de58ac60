"""Each role's home shows what it acts on, and every figure equals what the linked page's endpoint
answers for the same data (two computations compared, not a number written down)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shuxuan.common.money import to_minor_exact
from shuxuan.parties.models import Anchor, Organization, OrganizationKind, Role, User
from shuxuan.reconciliation.models import Outcome, ReconException
from shuxuan.selection.models import SampleRequest, SampleState
from shuxuan.supply import services as supply
from shuxuan.supply.models import Lot, PurchaseOrder, StockBalance, StockItem, Warehouse
from shuxuan.testing.factories import AnchorAccountFactory, AnchorFactory, OrganizationFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
at_now = time_machine.travel(NOW, tick=False)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The seeded demo world (orders imported, a settlement run, statements), loaded once."""
    with django_db_blocker.unblock(), at_now:
        call_command("seed_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def client_of(world, db):  # type: ignore[no-untyped-def]
    def _client(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=username))
        return client

    return _client


def _home(client: APIClient) -> dict[str, Any]:
    response = client.get("/api/home/")
    assert response.status_code == 200, response.content
    return response.json()


def _cards(home: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {card["key"]: card for card in home["cards"]}


def _org(username: str) -> Any:
    return User.objects.get(username=username).organization


def _fen(money: dict[str, str] | None) -> int:
    assert money is not None
    return to_minor_exact(money["amount"], money["currency"])


def _count(client: APIClient, path: str, **query: Any) -> int:
    response = client.get(path, {**query, "page_size": 1})
    assert response.status_code == 200, response.content
    return response.json()["count"]


def _all(client: APIClient, path: str, **query: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(path, {**query, "page": page, "page_size": 500}).json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


# What each linked list page asks its endpoint for: the page's path → the endpoint, and what the
# page adds to the link's filters by itself (the stock page lists balances in stock by default).
PAGE_API = {
    "/supply/purchase-orders": ("/api/supply/purchase-orders/", {}),
    "/supply/stock": ("/api/supply/stock/", {"in_stock": "true"}),
    "/settlement/statements": ("/api/settlement/statements/", {}),
    "/settlement/payouts": ("/api/settlement/payouts/", {}),
    "/reconciliation/exceptions": ("/api/reconciliation/exceptions/", {}),
    "/catalog/products": ("/api/catalog/products/", {}),
}


def _linked_rows(client: APIClient, card: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the list the card's link lands on: its URL's filters, sent to the page's endpoint."""
    link = urlsplit(card["link"])
    path, defaults = PAGE_API[link.path]
    return _all(client, path, **{**defaults, **dict(parse_qsl(link.query))})


def _assert_links_list_what_cards_count(client: APIClient, cards: dict[str, dict[str, Any]], keys: list[str]) -> None:
    for key in keys:
        card = cards[key]
        rows = _linked_rows(client, card)
        if card["count"] is not None:
            assert len(rows) == card["count"], (key, card["link"])
        else:
            field = "amount" if "amount" in rows[0] else "closing"
            assert sum(_fen(row[field]) for row in rows) == _fen(card["amount"]), (key, card["link"])


def _month(day: date, back: int) -> tuple[date, date]:
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _sales_from_lines(client: APIClient, start: date, end: date) -> tuple[int, int]:
    lines = [
        row
        for row in _all(client, "/api/orders/lines/", paid_from=start.isoformat(), paid_to=end.isoformat())
        if row["status"] != "invalid"
    ]
    return sum(row["quantity"] for row in lines), sum(_fen(row["pay_amount"]) for row in lines)


@at_now
def test_brand_home_sales_equal_its_order_lines_and_queues_equal_its_desk(client_of):
    jiu = client_of("brand_jiu")
    cards = _cards(_home(jiu))
    for back, key in ((0, "this_month"), (1, "last_month")):
        units, gmv = _sales_from_lines(jiu, *_month(TODAY, back))
        assert gmv > 0  # the demo world sells in both months: a real comparison
        assert (cards[f"units_{key}"]["count"], _fen(cards[f"gmv_{key}"]["amount"])) == (units, gmv)
    # The trend sums to the GMV of its 30 days, from the same lines.
    home = _home(jiu)
    trend = next(chart for chart in home["charts"] if chart["key"] == "gmv_by_day")
    assert trend["unit"] == "money" and all(p["count"] is None for p in trend["points"])
    start = TODAY - timedelta(days=29)
    assert trend["points"][0]["label"] == start.isoformat()
    assert sum(_fen(p["amount"]) for p in trend["points"]) == _sales_from_lines(jiu, start, TODAY)[1]

    # A pending sample request makes the queue non-empty; the desk's list says the same.
    sample = SampleRequest.objects.filter(brand=_org("brand_jiu")).first()
    assert sample is not None
    SampleRequest.objects.filter(pk=sample.pk).update(state=SampleState.PENDING)
    cards = _cards(_home(jiu))
    assert cards["pending_samples"]["count"] == _count(jiu, "/api/selection/samples/", state="pending") >= 1
    assert cards["pending_applications"]["count"] == _count(jiu, "/api/selection/applications/", state="pending")
    for status in ("submitted", "rejected"):
        assert cards[f"products_{status}"]["count"] == _count(jiu, "/api/catalog/products/", status=status)
        assert cards[f"products_{status}"]["link"] == f"/catalog/products?status={status}"
    _assert_links_list_what_cards_count(jiu, cards, ["products_submitted", "products_rejected"])


@at_now
def test_brand_home_never_counts_another_brands_sales_or_queue(client_of):
    jiu, tea = client_of("brand_jiu"), client_of("brand_tea")
    sample = SampleRequest.objects.filter(brand=_org("brand_tea")).first()
    assert sample is not None
    SampleRequest.objects.filter(pk=sample.pk).update(state=SampleState.PENDING)
    jiu_cards, tea_cards = _cards(_home(jiu)), _cards(_home(tea))
    start, end = _month(TODAY, 0)
    assert _fen(jiu_cards["gmv_this_month"]["amount"]) == _sales_from_lines(jiu, start, end)[1]
    assert _fen(tea_cards["gmv_this_month"]["amount"]) == _sales_from_lines(tea, start, end)[1]
    assert _fen(tea_cards["gmv_this_month"]["amount"]) > 0
    assert tea_cards["pending_samples"]["count"] >= 1
    assert jiu_cards["pending_samples"]["count"] == _count(jiu, "/api/selection/samples/", state="pending")
    assert jiu_cards["pending_samples"]["count"] < jiu_cards["pending_samples"]["count"] + tea_cards["pending_samples"]["count"]


@at_now
@pytest.mark.parametrize("username", ["anchor_xiaoman", "mcn_owner"])
def test_party_home_earnings_equal_the_earnings_page_and_sessions_are_the_next_seven_days(client_of, username):
    client = client_of(username)
    home = _home(client)
    cards = _cards(home)
    rows = client.get("/api/settlement/earnings/").json()
    assert rows
    assert _fen(cards["earnings_estimated"]["amount"]) == sum(_fen(r["estimated"]) for r in rows)
    assert _fen(cards["earnings_settled"]["amount"]) == sum(_fen(r["settled"]) for r in rows)
    at_source = sum(_fen(r["estimated_at_source"]) + _fen(r["settled_at_source"]) for r in rows)
    assert _fen(cards["earnings_at_source"]["amount"]) == at_source > 0

    sessions = [
        s
        for s in _all(client, "/api/selection/sessions/")
        if s["state"] == "scheduled" and NOW <= datetime.fromisoformat(s["starts_at"]) < NOW + timedelta(days=7)
    ]
    assert sessions
    assert sorted(s["id"] for s in home["sessions"]) == sorted(s["id"] for s in sessions)
    # One measure per chart: fans in one, account counts in another.
    charts = {chart["key"]: chart for chart in home["charts"]}
    assert set(charts) == {"fans_by_platform", "accounts_by_platform"}
    assert sum(p["count"] for p in charts["fans_by_platform"]["points"]) == cards["fans"]["count"]
    assert sum(p["count"] for p in charts["accounts_by_platform"]["points"]) == cards["accounts"]["count"]


@at_now
def test_finance_home_equals_the_statements_payouts_exceptions_and_close_pages(client_of):
    finance = client_of("op_finance")
    cards = _cards(_home(finance))
    drafts = _all(finance, "/api/settlement/statements/", state="draft")
    assert drafts  # the demo run leaves its statements for approval
    assert cards["statements_awaiting_approval"]["count"] == len(drafts)
    assert _fen(cards["statements_awaiting_approval_amount"]["amount"]) == sum(_fen(s["closing"]) for s in drafts)

    # Pay one approved statement: a payout in flight, on the payouts page too.
    statement_id = next(s["id"] for s in drafts if _fen(s["closing"]) > 0)
    assert finance.post(f"/api/settlement/statements/{statement_id}/approve/").status_code == 200
    created = finance.post("/api/settlement/payouts/", {"statements": [statement_id]}, format="json")
    assert created.status_code == 201 and created.json()["created"], created.content
    cards = _cards(_home(finance))
    in_flight = [p for state in ("pending", "sent") for p in _all(finance, "/api/settlement/payouts/", state=state)]
    assert len(in_flight) >= 1
    assert cards["payouts_in_flight"]["count"] == len(in_flight)
    assert _fen(cards["payouts_in_flight_amount"]["amount"]) == sum(_fen(p["amount"]) for p in in_flight)
    assert cards["payouts_pending"]["count"] == _count(finance, "/api/settlement/payouts/", state="pending")
    assert cards["statements_awaiting_approval"]["count"] == len(drafts) - 1
    money_cards = ["statements_awaiting_approval_amount", "payouts_in_flight_amount"]
    _assert_links_list_what_cards_count(
        finance, cards, ["statements_awaiting_approval", "payouts_in_flight", "payouts_pending", "payouts_sent", *money_cards]
    )

    # Open exceptions first seen 2, 12 and 45 days ago: one in each of the home's age buckets.
    for days, key in ((2, "a"), (12, "b"), (45, "c")):
        exception = ReconException.objects.create(
            source="douyin", match_key=f"home-{key}", reason=Outcome.values[1], period=f"{TODAY:%Y-%m}",
            last_period=f"{TODAY:%Y-%m}", difference_minor=100,
        )  # fmt: skip
        ReconException.objects.filter(pk=exception.pk).update(first_seen_at=NOW - timedelta(days=days))
    cards = _cards(_home(finance))
    assert [cards[k]["count"] for k in ("exceptions_0_7", "exceptions_8_30", "exceptions_over_30")] == [1, 1, 1]
    for key, age in (("exceptions_0_7", "0-7"), ("exceptions_8_30", "8-30")):
        unresolved = sum(
            _count(finance, "/api/reconciliation/exceptions/", age=age, state=state) for state in ("open", "pending_approval")
        )
        assert cards[key]["count"] == unresolved
    older = sum(_count(finance, "/api/reconciliation/exceptions/", age=age, state="open") for age in ("31-60", "60+"))
    assert cards["exceptions_over_30"]["count"] == older
    # Resolved ones and later periods are not counted, and the card's link lists none of them either.
    ReconException.objects.create(
        source="douyin", match_key="home-d", reason=Outcome.values[1], period=f"{TODAY:%Y-%m}",
        last_period=f"{TODAY:%Y-%m}", difference_minor=100, state="written_off",
    )  # fmt: skip
    next_month = f"{(TODAY.replace(day=28) + timedelta(days=7)):%Y-%m}"
    ReconException.objects.create(
        source="douyin", match_key="home-e", reason=Outcome.values[1], period=next_month, last_period=next_month,
        difference_minor=100,
    )  # fmt: skip
    cards = _cards(_home(finance))
    assert [cards[k]["count"] for k in ("exceptions_0_7", "exceptions_8_30", "exceptions_over_30")] == [1, 1, 1]
    _assert_links_list_what_cards_count(finance, cards, ["exceptions_0_7", "exceptions_8_30", "exceptions_over_30"])

    board = finance.get("/api/reconciliation/runs/board/", {"period": f"{TODAY:%Y-%m}"}).json()
    close = _home(finance)["close"]
    items = {item["key"]: item for item in close["items"]}
    assert close["period"] == f"{TODAY:%Y-%m}" and close["closed"] == board["closed"]
    assert items["bills"]["sources"] == sorted(s["source"] for s in board["sources"] if s["bill_missing"])
    assert items["bills"]["ok"] == ("fail" if items["bills"]["sources"] else "ok")
    assert items["blocking"]["count"] == sum(s["unresolved"] for s in board["sources"])
    with_lines = [s for s in board["sources"] if s["lines"] > 0]
    assert (items["reconciled"]["count"], items["reconciled"]["total"]) == (
        len([s for s in with_lines if s["reconciled_at"]]),
        len(with_lines),
    )
    assert items["pending"]["count"] == _count(finance, "/api/reconciliation/exceptions/", state="pending_approval")


@at_now
def test_supply_home_equals_the_purchase_order_and_stock_lists(client_of):
    clerk = User.objects.get(username="op_supply")
    warehouse = Warehouse.objects.order_by("id").first()
    item = StockItem.objects.filter(requires_lot=True).order_by("id").first()
    assert warehouse is not None and item is not None
    # An order due in a week, one overdue, and a small lot expiring in ten days.
    for expected in (TODAY + timedelta(days=7), TODAY - timedelta(days=3)):
        order = supply.purchase_order_create(
            actor=clerk, brand=item.brand, warehouse=warehouse, ownership="buy_out",
            lines=[supply.PurchaseLineInput(stock_item_id=item.pk, quantity=20, unit_price=1000, expected_date=expected)],
        )  # fmt: skip
        supply.purchase_order_confirm(actor=clerk, order_id=order.pk)
    received = supply.receipt_create(
        actor=clerk,
        order_id=order.pk,
        lines=[
            supply.ReceiptLineInput(
                purchase_order_line_id=order.lines.get().pk,
                quantity=5,
                batch_number="HOME-T1",
                production_date=date(2025, 1, 1),
                expiry_date=TODAY + timedelta(days=10),
            )
        ],
    )
    assert received is not None
    client = client_of("op_supply")
    cards = _cards(_home(client))
    due_by = TODAY + timedelta(days=14)
    assert cards["receipts_due"]["count"] == _count(client, "/api/supply/purchase-orders/", due_by=due_by.isoformat()) >= 2
    overdue = _count(client, "/api/supply/purchase-orders/", due_by=(TODAY - timedelta(days=1)).isoformat())
    assert cards["receipts_overdue"]["count"] == overdue >= 1
    low = _count(client, "/api/supply/stock/", in_stock="true", available_at_most=10)
    assert cards["low_stock"]["count"] == low >= 1
    expiring_by = TODAY + timedelta(days=31)
    expiring = _count(client, "/api/supply/stock/", in_stock="true", expiring_before=expiring_by.isoformat())
    assert cards["expiring_lots"]["count"] == expiring >= 1
    assert cards["expiring_lots"]["link"] == f"/supply/stock?expiring_before={expiring_by.isoformat()}"
    expired = _count(client, "/api/supply/stock/", in_stock="true", expiring_before=TODAY.isoformat())
    assert cards["expired_lots"]["count"] == expired
    _assert_links_list_what_cards_count(
        client, cards, ["receipts_due", "receipts_overdue", "low_stock", "expiring_lots", "expired_lots"]
    )
    assert Lot.objects.filter(batch_number="HOME-T1").exists()
    assert PurchaseOrder.objects.filter(lines__expected_date=TODAY - timedelta(days=3)).exists()
    assert StockBalance.objects.filter(lot__batch_number="HOME-T1", on_hand=5).exists()


@at_now
def test_reviewer_home_shows_the_review_queue(client_of):
    client = client_of("op_reviewer")
    cards = _cards(_home(client))
    assert cards["review_queue"]["count"] == _count(client, "/api/catalog/reviews/", status="submitted") >= 1
    assert "receipts_due" not in cards  # a reviewer does not run the warehouse


@at_now
@pytest.mark.parametrize(
    ("username", "home", "most"),
    [
        ("brand_jiu", "brand", 12),
        ("anchor_xiaoman", "mcn", 35),
        # 17 today: the earnings read is a fixed number of queries over the MCN and all its anchors.
        ("mcn_owner", "mcn", 25),
        ("op_finance", "finance", 65),
        ("op_supply", "operator", 15),
        ("observer_gov", "observer", 8),
    ],
)
def test_home_reads_in_a_bounded_number_of_queries(client_of, django_assert_max_num_queries, username, home, most):
    client = client_of(username)
    _home(client)  # warm what a first request loads once (the session, the user)
    with django_assert_max_num_queries(most):
        assert _home(client)["home"] == home


@at_now
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/reconciliation/exceptions/", {"unresolved_through": "2026-13"}),
        ("/api/reconciliation/exceptions/", {"age": "31-"}),
    ],
)
def test_the_linked_lists_reject_a_filter_that_is_not_one_naming_it(client_of, path, query):
    response = client_of("op_finance").get(path, query)
    assert response.status_code == 400, response.content
    assert next(iter(query)) in response.content.decode()


@at_now
def test_the_demo_world_gives_the_brand_and_supply_homes_something_to_act_on(client_of):
    brand = _cards(_home(client_of("brand_jiu")))
    assert brand["pending_applications"]["count"] >= 1
    assert brand["products_submitted"]["count"] >= 1
    supply_cards = _cards(_home(client_of("op_supply")))
    assert supply_cards["receipts_due"]["count"] >= 1
    assert supply_cards["expiring_lots"]["count"] >= 1


def _home_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _home(client)["home"] == "mcn"
    return len(queries)


def _register_anchors(org: Organization, up_to: int) -> None:
    for i in range(Anchor.objects.filter(organization=org).count(), up_to):
        AnchorAccountFactory(anchor=AnchorFactory(organization=org), fans=100 + i)


@at_now
@pytest.mark.parametrize("username", [None, "mcn_owner"])
def test_an_mcn_home_reads_as_many_queries_for_10_anchors_as_for_2(client_of, username):
    """A new MCN with 2 anchors, then 10; the demo's MCN with its own anchors, then 10."""
    if username is None:
        org: Any = OrganizationFactory(kind=OrganizationKind.MCN)
        _register_anchors(org, 2)
        client = APIClient()
        client.force_authenticate(UserFactory(organization=org, roles=[Role.OWNER]))
    else:
        client = client_of(username)
        org = User.objects.get(username=username).organization
    _home(client)  # warm what a first request loads once
    before = _home_queries(client)
    anchors_before = _cards(_home(client))["anchors"]["count"]
    _register_anchors(org, Anchor.objects.filter(organization=org).count() + 8)
    after = _home_queries(client)
    cards = _cards(_home(client))
    assert cards["anchors"]["count"] == anchors_before + 8 >= 10
    earnings_rows = client.get("/api/settlement/earnings/").json()
    assert len(earnings_rows) == 1 + Anchor.objects.filter(organization=org).count()
    assert before == after <= 25, (before, after)
