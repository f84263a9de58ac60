"""The payments API: scoping, roles, money shapes, and errors from Stripe as answers (never a 500)."""

from __future__ import annotations

import pytest

from shuxuan.audit.models import AuditEntry
from shuxuan.payments.models import BrandCharge, ChargeState, ConnectedAccount, StripeTransfer
from shuxuan.payments.transfers import connect_transfer_create

from .conftest import client_for

pytestmark = pytest.mark.django_db

CHARGES = "/api/payments/charges/"
ACCOUNTS = "/api/payments/connected-accounts/"
TRANSFERS = "/api/payments/transfers/"


def test_a_brand_creates_and_pays_its_slot_fee_and_sees_only_its_own_charges(world, stripe_local):
    brand = client_for(world.brand_owner)
    body = {"kind": "slot_fee", "amount": {"amount": "500.00", "currency": "CNY"}, "live_session_id": world.session.pk}
    created = brand.post(CHARGES, body, format="json", HTTP_IDEMPOTENCY_KEY="slot-api-1")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["amount"] == {"amount": "500.00", "currency": "CNY"}
    assert (data["brand"], data["state"], data["idempotency_key"]) == (world.brand.pk, "requires_payment", "slot-api-1")
    again = brand.post(CHARGES, body, format="json", HTTP_IDEMPOTENCY_KEY="slot-api-1")
    assert again.json()["id"] == data["id"]
    assert BrandCharge.objects.count() == 1

    paid = brand.post(f"{CHARGES}{data['id']}/confirm/")
    assert (paid.status_code, paid.json()["state"]) == (200, ChargeState.HELD)

    other = client_for(world.other_owner)
    assert other.get(f"{CHARGES}{data['id']}/").status_code == 404
    assert other.get(CHARGES).json()["results"] == []
    assert other.post(f"{CHARGES}{data['id']}/confirm/").status_code == 404
    assert [row["id"] for row in brand.get(CHARGES).json()["results"]] == [data["id"]]
    # Who asked for the charge, by name: the brand reads its own staff's names, and so does the operator.
    owner_name = world.brand_owner.display_name or world.brand_owner.username
    assert data["created_by_name"] == owner_name
    assert [row["created_by_name"] for row in brand.get(CHARGES).json()["results"]] == [owner_name]
    assert client_for(world.finance).get(f"{CHARGES}{data['id']}/").json()["created_by_name"] == owner_name


def test_a_brand_cannot_charge_another_brand_or_refund(world, stripe_local):
    brand = client_for(world.brand_owner)
    response = brand.post(
        CHARGES,
        {"kind": "service_fee", "amount": {"amount": "1.00", "currency": "CNY"}, "brand_id": world.other_brand.pk},
        format="json",
    )
    assert response.status_code == 400
    assert BrandCharge.objects.count() == 0
    charge = brand.post(CHARGES, {"kind": "service_fee", "amount": {"amount": "1.00", "currency": "CNY"}}, format="json").json()
    assert brand.post(f"{CHARGES}{charge['id']}/refund/").status_code == 403


def test_money_with_too_many_decimals_is_refused(world, stripe_local):
    response = client_for(world.brand_owner).post(
        CHARGES, {"kind": "service_fee", "amount": {"amount": "1.234", "currency": "CNY"}}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert BrandCharge.objects.count() == 0


def test_operator_finance_refunds_a_held_slot_fee(world, stripe_local):
    brand = client_for(world.brand_owner)
    charge = brand.post(
        CHARGES,
        {"kind": "slot_fee", "amount": {"amount": "500.00", "currency": "CNY"}, "live_session_id": world.session.pk},
        format="json",
    ).json()
    brand.post(f"{CHARGES}{charge['id']}/confirm/")
    assert client_for(world.reviewer).post(f"{CHARGES}{charge['id']}/refund/").status_code == 403
    refunded = client_for(world.finance).post(f"{CHARGES}{charge['id']}/refund/", {"reason": "品牌撤回"}, format="json")
    assert (refunded.status_code, refunded.json()["state"]) == (200, ChargeState.REFUNDED)


def test_stripe_without_a_key_is_a_503_with_a_message_not_a_500(world, stripe_local, settings):
    settings.STRIPE_SECRET_KEY = None
    response = client_for(world.brand_owner).post(
        CHARGES, {"kind": "service_fee", "amount": {"amount": "1.00", "currency": "CNY"}}, format="json"
    )
    assert response.status_code == 503
    assert "STRIPE_SECRET_KEY" in response.json()["detail"]


def test_operator_finance_registers_a_connected_account_and_the_payee_sees_it(world, stripe_stub):
    finance = client_for(world.finance)
    response = finance.post(ACCOUNTS, {"anchor_id": world.anchor.pk, "stripe_account_id": "acct_1PgafTB7WZ01zgkW"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["payouts_enabled"] is True
    assert response.json()["anchor_name"] == "蜀中小满"
    account = ConnectedAccount.objects.get()
    assert AuditEntry.objects.filter(action="payments.connected_account.register", organization_id=world.mcn.pk).count() == 1

    duplicate = finance.post(
        ACCOUNTS, {"organization_id": world.brand.pk, "stripe_account_id": "acct_1PgafTB7WZ01zgkW"}, format="json"
    )
    assert duplicate.status_code == 409
    missing = finance.post(ACCOUNTS, {"organization_id": world.brand.pk, "stripe_account_id": "acct_missing"}, format="json")
    assert missing.status_code == 400
    assert "No such account" in missing.json()["detail"]
    both = finance.post(
        ACCOUNTS, {"organization_id": world.brand.pk, "anchor_id": world.anchor.pk, "stripe_account_id": "acct_x"}, format="json"
    )
    assert both.status_code == 400
    assert ConnectedAccount.objects.count() == 1

    finance_name = world.finance.display_name or world.finance.username
    assert response.json()["created_by_name"] == finance_name
    assert [row["created_by_name"] for row in finance.get(ACCOUNTS).json()["results"]] == [finance_name]
    mcn = client_for(world.mcn_owner)
    assert [row["id"] for row in mcn.get(ACCOUNTS).json()["results"]] == [account.pk]
    # The payee reads its account, registered by the operator's finance: the operator's staff stay unnamed.
    assert [row["created_by_name"] for row in mcn.get(ACCOUNTS).json()["results"]] == [None]
    assert (
        mcn.post(ACCOUNTS, {"organization_id": world.mcn.pk, "stripe_account_id": "acct_mine"}, format="json").status_code == 403
    )
    assert client_for(world.brand_owner).get(f"{ACCOUNTS}{account.pk}/").status_code == 404


def test_a_payee_reads_the_transfers_into_its_account_only(world, stripe_stub):
    ConnectedAccount.objects.create(anchor=world.anchor, stripe_account_id="acct_anchor")
    mine = connect_transfer_create(
        reference="p1",
        destination="acct_anchor",
        amount_minor=1_000,
        currency="CNY",
        transfer_group="",
        idempotency_key="k1",
        metadata={},
    )
    connect_transfer_create(
        reference="p2",
        destination="acct_other",
        amount_minor=2_000,
        currency="CNY",
        transfer_group="",
        idempotency_key="k2",
        metadata={},
    )
    rows = client_for(world.mcn_owner).get(TRANSFERS).json()["results"]
    assert [(row["id"], row["amount"], row["status"]) for row in rows] == [
        (mine.id, {"amount": "10.00", "currency": "CNY"}, "paid")
    ]
    assert client_for(world.brand_owner).get(TRANSFERS).json()["results"] == []
    assert len(client_for(world.finance).get(TRANSFERS).json()["results"]) == StripeTransfer.objects.count() == 2
    assert client_for(world.reviewer).get(TRANSFERS).status_code == 403


def test_the_charge_list_does_not_grow_queries_with_rows_and_names_who_asked(world, stripe_stub):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    finance = client_for(world.finance)
    brand = client_for(world.brand_owner)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            rows = finance.get(path).json()["results"]
        return len(captured.captured_queries), rows

    body = {"kind": "service_fee", "amount": {"amount": "1.00", "currency": "CNY"}}
    brand.post(CHARGES, body, format="json", HTTP_IDEMPOTENCY_KEY="q-0")
    one, _ = queries(CHARGES)
    for n in range(1, 4):
        brand.post(CHARGES, body, format="json", HTTP_IDEMPOTENCY_KEY=f"q-{n}")
    finance.post(CHARGES, body | {"brand_id": world.other_brand.pk}, format="json")
    many, rows = queries(CHARGES)
    assert len(rows) == 5 and many == one
    assert {row["created_by_name"] for row in rows} == {
        world.brand_owner.display_name or world.brand_owner.username,
        world.finance.display_name or world.finance.username,
    }
