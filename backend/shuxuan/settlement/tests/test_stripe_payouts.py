"""Payouts over Stripe Connect against the local Connect stub: a transfer per attempt, a refused
transfer stored as a failed payout, and a transfer Stripe later reports failed (signed webhook)
undoing the payout's posting so it can be retried."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from shuxuan.ledger.facade import AccountType, account_balance, account_get_or_create
from shuxuan.payments.models import WebhookEvent
from shuxuan.payments.testing.connect_stub import ConnectStub
from shuxuan.payments.testing.fixtures import connect_stub, event_payload, signed_webhook, stripe_stub  # noqa: F401
from shuxuan.payments.webhooks import webhook_event_process
from shuxuan.settlement import payouts, statements
from shuxuan.settlement.models import Payee, PayoutState, Statement

from .conftest import World
from .test_runs import D1, settle


def owed(world: World) -> int:
    account = account_get_or_create(organization_id=world.brand.pk, type=AccountType.PAYABLE_TO_PARTY)
    return -account_balance(account_id=account.pk)


def _approved_payout(world: World, account_id: str) -> Any:
    world.import_lines([D1])
    settle()
    Payee.objects.create(payee_kind="organization", organization=world.brand, rail="stripe", stripe_account_id=account_id)
    statement = Statement.objects.get(organization=world.brand)
    statements.statement_approve(statement_id=statement.pk, actor=world.finance)
    plan = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance)
    assert plan.skipped == []
    return plan.created[0]


def test_a_stripe_payout_is_a_transfer_with_the_attempts_key(world: World, stripe_stub: ConnectStub) -> None:  # noqa: F811
    stripe_stub.add_account("acct_1BrandJiu0000001")
    payout = _approved_payout(world, "acct_1BrandJiu0000001")
    paid = payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance)
    assert paid.state == PayoutState.PAID
    transfer = stripe_stub.transfer(paid.external_id)
    assert (transfer["amount"], transfer["transfer_group"]) == (20930, f"statement-{payout.statement_id}")
    [request] = stripe_stub.requests_to("POST", "/v1/transfers")
    assert request.idempotency_key == payout.idempotency_key
    # Sending again posts nothing and calls Stripe no more.
    assert payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance).entry_id == paid.entry_id
    assert len(stripe_stub.requests_to("POST", "/v1/transfers")) == 1
    assert owed(world) == 0
    call_command("verify_ledger")


def test_a_refused_transfer_is_a_failed_payout_and_a_retry_is_a_new_attempt(world: World, stripe_stub: ConnectStub) -> None:  # noqa: F811
    payout = _approved_payout(world, "acct_insufficient")
    failed = payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance)
    assert failed.state == PayoutState.FAILED and failed.entry_id is None
    assert failed.failure_reason
    assert owed(world) == 20930
    retry = payouts.payout_retry(payout_id=payout.pk, actor=world.finance)
    assert (retry.attempt, retry.state, retry.idempotency_key) == (
        2,
        PayoutState.PENDING,
        f"payout:statement:{payout.statement_id}:attempt:2",
    )


def test_a_transfer_stripe_reports_failed_later_undoes_the_payout(
    world: World,
    stripe_stub: ConnectStub,  # noqa: F811
    api_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_stub.add_account("acct_1BrandJiu0000002")
    payout = _approved_payout(world, "acct_1BrandJiu0000002")
    paid = payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance)
    assert owed(world) == 0
    failed_transfer = stripe_stub.transfer(paid.external_id) | {"status": "failed"}
    payload = event_payload(event_type="transfer.failed", obj=failed_transfer, event_id="evt_transfer_failed_1")
    response = api_client.generic(
        "POST",
        "/api/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_webhook(payload),
    )
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(webhook_event_id=WebhookEvent.objects.get(event_id="evt_transfer_failed_1").pk)
    paid.refresh_from_db()
    assert paid.state == PayoutState.FAILED
    assert owed(world) == 20930  # the payout's posting was reversed: the brand is owed again
    assert payouts.payout_retry(payout_id=paid.pk, actor=world.finance).attempt == 2
    call_command("verify_ledger")
