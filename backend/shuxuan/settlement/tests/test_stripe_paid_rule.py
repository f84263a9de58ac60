"""What "paid" means on the Stripe rail (ADR 0011): a payout is paid when Stripe made the transfer
(its answer, or its transfer.created event after a lost answer), payments and settlement agree on
it, and a reversal Stripe reports later unwinds exactly once however often it is reported."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command

from shuxuan.audit.models import AuditEntry
from shuxuan.ledger.models import JournalEntry
from shuxuan.payments.models import StripeTransfer, TransferStatus, WebhookEvent
from shuxuan.payments.testing.connect_stub import ConnectStub, reversal_object, transfer_object
from shuxuan.payments.testing.fixtures import connect_stub, event_payload, signed_webhook, stripe_stub  # noqa: F401
from shuxuan.payments.webhooks import webhook_event_process
from shuxuan.settlement import payouts
from shuxuan.settlement.models import Payout, PayoutState

from .conftest import World
from .test_runs import D1, settle
from .test_stripe_payouts import _approved_payout, owed

ACCOUNT = "acct_1BrandJiu0000009"


def _deliver(api_client: Any, capture: Any, *, event_type: str, obj: dict[str, Any], event_id: str) -> None:
    """One signed delivery of an event, processed as the worker would (receivers after commit)."""
    payload = event_payload(event_type=event_type, obj=obj, event_id=event_id)
    response = api_client.generic(
        "POST",
        "/api/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_webhook(payload),
    )
    assert response.status_code == 200, response.content
    with capture(execute=True):
        webhook_event_process(webhook_event_id=WebhookEvent.objects.get(event_id=event_id).pk)


def _reversed_at_stripe(stub: ConnectStub, transfer_id: str, amount: int, shown: dict[str, Any] | None = None) -> dict[str, Any]:
    """The transfer as Stripe shows it (as `shown`, or as the stub has it) after someone reversed
    `amount` more of it in the dashboard."""
    transfer = shown or stub.transfer(transfer_id)
    reversal = reversal_object(transfer_id=transfer_id, amount=amount, currency=transfer["currency"])
    reversed_minor = transfer["amount_reversed"] + amount
    return transfer | {
        "amount_reversed": reversed_minor,
        "reversed": reversed_minor == transfer["amount"],
        "reversals": {**transfer["reversals"], "data": [reversal, *transfer["reversals"]["data"]]},
    }


def _entries(source_type: str) -> list[tuple[int, int]]:
    return [
        (entry.pk, sum(p.amount for p in entry.postings.all() if p.amount > 0))
        for entry in JournalEntry.objects.filter(source_type=source_type).prefetch_related("postings").order_by("id")
    ]


def test_a_transfer_stripe_created_is_paid_in_payments_and_in_the_ledger(world: World, stripe_stub: ConnectStub) -> None:  # noqa: F811
    stripe_stub.add_account(ACCOUNT)
    payout = payouts.payout_send_stripe(payout_id=_approved_payout(world, ACCOUNT).pk, actor=world.finance)
    assert payout.state == PayoutState.PAID and payout.entry_id is not None
    transfer = StripeTransfer.objects.get(reference=payout.idempotency_key)
    assert (transfer.status, transfer.stripe_transfer_id) == (TransferStatus.PAID, payout.external_id)
    assert owed(world) == 0


def test_a_full_reversal_at_stripe_unwinds_the_payout_once_and_it_can_be_retried(
    world: World,
    stripe_stub: ConnectStub,  # noqa: F811
    api_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_stub.add_account(ACCOUNT)
    paid = payouts.payout_send_stripe(payout_id=_approved_payout(world, ACCOUNT).pk, actor=world.finance)
    reversed_transfer = _reversed_at_stripe(stripe_stub, paid.external_id, 20930)
    for event_type, event_id in (("transfer.reversed", "evt_rev_1"), ("transfer.updated", "evt_rev_2")):
        _deliver(api_client, django_capture_on_commit_callbacks, event_type=event_type, obj=reversed_transfer, event_id=event_id)
    _deliver(
        api_client,
        django_capture_on_commit_callbacks,
        event_type="transfer.reversed",
        obj=reversed_transfer,
        event_id="evt_rev_1",
    )
    [(_entry, amount)] = _entries("settlement.payout_reversal")
    assert amount == 20930
    assert owed(world) == 20930  # the money came back: the brand is owed again
    paid.refresh_from_db()
    assert (paid.state, paid.failure_reason) == (PayoutState.FAILED, "Stripe 转账已冲回 / the transfer was reversed at Stripe")
    assert payouts.payout_retry(payout_id=paid.pk, actor=world.finance).attempt == 2
    call_command("verify_ledger")


def test_a_partial_reversal_at_stripe_unwinds_its_amount_once_and_the_payout_stays_paid(
    world: World,
    stripe_stub: ConnectStub,  # noqa: F811
    api_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_stub.add_account(ACCOUNT)
    paid = payouts.payout_send_stripe(payout_id=_approved_payout(world, ACCOUNT).pk, actor=world.finance)
    partly = _reversed_at_stripe(stripe_stub, paid.external_id, 5000)
    _deliver(api_client, django_capture_on_commit_callbacks, event_type="transfer.updated", obj=partly, event_id="evt_part_1")
    _deliver(api_client, django_capture_on_commit_callbacks, event_type="transfer.updated", obj=partly, event_id="evt_part_2")
    assert [amount for _entry, amount in _entries("settlement.payout_reversal")] == [5000]
    assert owed(world) == 5000
    more = _reversed_at_stripe(stripe_stub, paid.external_id, 3000, shown=partly)
    _deliver(api_client, django_capture_on_commit_callbacks, event_type="transfer.reversed", obj=more, event_id="evt_part_3")
    assert [amount for _entry, amount in _entries("settlement.payout_reversal")] == [5000, 3000]
    assert owed(world) == 8000
    assert AuditEntry.objects.filter(action="settlement.payout_reversed", object_id=str(paid.pk)).count() == 2
    paid.refresh_from_db()
    assert paid.state == PayoutState.PAID
    call_command("verify_ledger")


def test_a_clawback_reversal_reported_back_by_stripe_posts_nothing_more(
    world: World,
    stripe_stub: ConnectStub,  # noqa: F811
    api_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_stub.add_account(ACCOUNT)
    paid = payouts.payout_send_stripe(payout_id=_approved_payout(world, ACCOUNT).pk, actor=world.finance)
    world.import_lines([D1 | {"status": "refunded", "refund_amount": "299.00"}], name="refund.csv")
    run = settle(date(2026, 11, 11))
    assert payouts.clawbacks_recover(run_id=run.pk, actor=world.finance) == {"reversed": 1, "advanced": 0}
    assert [amount for _entry, amount in _entries("settlement.clawback")] == [20930]
    assert owed(world) == 0
    reported = stripe_stub.transfer(paid.external_id)
    assert reported["reversed"] is True
    _deliver(api_client, django_capture_on_commit_callbacks, event_type="transfer.reversed", obj=reported, event_id="evt_claw")
    assert [amount for _entry, amount in _entries("settlement.clawback")] == [20930]
    assert _entries("settlement.payout_reversal") == []
    assert owed(world) == 0
    paid.refresh_from_db()
    assert paid.state == PayoutState.PAID  # a clawback is not a failed payout: nothing to pay again
    call_command("verify_ledger")


def test_a_lost_answer_leaves_the_payout_sent_and_stripes_event_makes_it_paid_once(
    world: World,
    stripe_stub: ConnectStub,  # noqa: F811
    api_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_stub.add_account(ACCOUNT)
    payout = _approved_payout(world, ACCOUNT)
    for _ in range(2):  # the call and the client's one retry
        stripe_stub.fail_next(500, "api_error", "Stripe had a moment.")
    sent = payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance)
    assert (sent.state, sent.entry_id) == (PayoutState.SENT, None)
    assert sent.failure_reason.startswith("结果未知，可再次发送 / outcome unknown, send again: Stripe")
    assert owed(world) == 20930
    # Stripe did make the transfer; its event names our key in the metadata.
    made = transfer_object(
        transfer_id="tr_1LostAnswer0000001",
        amount=20930,
        currency="cny",
        destination=ACCOUNT,
        metadata={"shuxuan_key": payout.idempotency_key, "shuxuan_reference": payout.idempotency_key},
        transfer_group=f"statement-{payout.statement_id}",
    )
    for event_id in ("evt_lost_1", "evt_lost_2"):
        _deliver(api_client, django_capture_on_commit_callbacks, event_type="transfer.created", obj=made, event_id=event_id)
    sent.refresh_from_db()
    assert (sent.state, sent.external_id) == (PayoutState.PAID, "tr_1LostAnswer0000001")
    assert JournalEntry.objects.filter(idempotency_key=f"{payout.idempotency_key}:paid").count() == 1
    assert owed(world) == 0
    # Sending it again is harmless: nothing more is posted or paid.
    assert payouts.payout_send_stripe(payout_id=payout.pk, actor=world.finance).entry_id == sent.entry_id
    assert Payout.objects.filter(statement_id=payout.statement_id).count() == 1
    call_command("verify_ledger")
