"""Stripe webhooks: signature, dedupe, processing after commit, transfer events and the signal."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from shuxuan.audit.models import AuditEntry
from shuxuan.payments.facade import (
    StripeTransfer,
    StripeTransferReversal,
    TransferStatus,
    connect_transfer_create,
    transfer_status_changed,
)
from shuxuan.payments.models import StripePayout, WebhookEvent
from shuxuan.payments.testing.connect_stub import reversal_object
from shuxuan.payments.testing.fixtures import TEST_WEBHOOK_SECRET, event_payload, signed_webhook
from shuxuan.payments.webhooks import webhook_event_process

pytestmark = pytest.mark.django_db

URL = "/api/payments/stripe/webhook/"


def deliver(client: Any, payload: str, signature: str | None) -> Any:
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.generic("POST", URL, payload, content_type="application/json", **headers)


@pytest.fixture
def received() -> Iterator[list[tuple[int, str, str]]]:
    seen: list[tuple[int, str, str]] = []

    def receiver(sender: Any, transfer: StripeTransfer, event_type: str, **kwargs: Any) -> None:
        seen.append((transfer.pk, transfer.status, event_type))

    transfer_status_changed.connect(receiver, dispatch_uid="payments-test-receiver")
    yield seen
    transfer_status_changed.disconnect(dispatch_uid="payments-test-receiver")


@pytest.fixture
def transfer(stripe_stub) -> dict[str, Any]:
    record = connect_transfer_create(
        reference="payout-7",
        destination="acct_1PgafTB7WZ01zgkW",
        amount_minor=88_800,
        currency="CNY",
        transfer_group="run-3",
        idempotency_key="payout:7:1",
        metadata={},
    )
    assert record.stripe_transfer_id
    return stripe_stub.transfer(record.stripe_transfer_id)


def test_a_bad_signature_is_refused_and_nothing_is_stored(stripe_stub, api_client):
    payload = event_payload(event_type="payout.paid", obj={"id": "po_1", "object": "payout"}, event_id="evt_bad")
    response = deliver(api_client, payload, signed_webhook(payload, secret="whsec_someone_else"))
    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    tampered = deliver(api_client, payload.replace("po_1", "po_2"), signed_webhook(payload))
    assert tampered.status_code == 400
    stale = deliver(api_client, payload, signed_webhook(payload, timestamp=int(time.time()) - 3600))
    assert stale.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_missing_signature_is_refused(stripe_stub, api_client):
    payload = event_payload(event_type="payout.paid", obj={"id": "po_1", "object": "payout"}, event_id="evt_nosig")
    response = deliver(api_client, payload, None)
    assert response.status_code == 400
    assert response.json()["code"] == "signature_missing"
    assert WebhookEvent.objects.count() == 0


def test_without_a_webhook_secret_every_event_is_refused_with_a_clear_message(stripe_stub, api_client, settings):
    settings.STRIPE_WEBHOOK_SECRET = None
    payload = event_payload(event_type="payout.paid", obj={"id": "po_1", "object": "payout"}, event_id="evt_nosecret")
    response = deliver(api_client, payload, signed_webhook(payload))
    assert response.status_code == 503
    assert "STRIPE_WEBHOOK_SECRET" in response.json()["detail"]
    assert WebhookEvent.objects.count() == 0


def test_the_same_event_twice_is_stored_and_processed_once(stripe_stub, api_client, eager, django_capture_on_commit_callbacks):
    obj = {"id": "po_9", "object": "payout", "amount": 1_000_000, "currency": "cny", "status": "paid", "arrival_date": 1767225600}
    payload = event_payload(event_type="payout.paid", obj=obj, event_id="evt_twice")
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = deliver(api_client, payload, signed_webhook(payload))
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = deliver(api_client, payload, signed_webhook(payload))

    assert (first.status_code, first.json()) == (200, {"received": True, "event": "evt_twice", "duplicate": False})
    assert (second.status_code, second.json()["duplicate"]) == (200, True)
    assert (len(first_callbacks), len(second_callbacks)) == (1, 0)
    event = WebhookEvent.objects.get()
    assert (event.type, event.attempts, event.payload["data"]["object"]["id"]) == ("payout.paid", 1, "po_9")
    assert event.processed_at is not None
    payout = StripePayout.objects.get()
    assert (payout.stripe_payout_id, payout.amount_minor, payout.currency, payout.status) == ("po_9", 1_000_000, "CNY", "paid")
    assert str(payout.arrival_date) == "2026-01-01"
    # Processing the stored event again changes nothing.
    assert webhook_event_process(webhook_event_id=event.pk) == event.result
    assert WebhookEvent.objects.get().attempts == 1


def test_transfer_created_is_applied_after_commit_and_fires_the_signal(
    transfer, api_client, eager, received, django_capture_on_commit_callbacks
):
    # The create call's answer was lost: our row has no Stripe id yet and waits for the event.
    StripeTransfer.objects.update(status=TransferStatus.PENDING, stripe_transfer_id=None)
    payload = event_payload(event_type="transfer.created", obj=transfer, event_id="evt_tr_created", account=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = deliver(api_client, payload, signed_webhook(payload))
    assert response.status_code == 200
    assert len(callbacks) == 1
    row = StripeTransfer.objects.get()
    assert row.status == TransferStatus.PENDING  # stored, not yet processed: the task waits for the commit
    assert WebhookEvent.objects.get().processed_at is None
    assert received == []

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()

    row.refresh_from_db()
    assert row.status == TransferStatus.PAID
    assert received == [(row.pk, TransferStatus.PAID, "transfer.created")]
    assert WebhookEvent.objects.get().result == f"transfer {row.pk}: pending -> paid"
    assert AuditEntry.objects.filter(action="payments.transfer.paid", object_id=str(row.pk)).count() == 1


def test_an_event_that_changes_nothing_does_not_fire_the_signal(transfer, received, django_capture_on_commit_callbacks, eager):
    StripeTransfer.objects.update(status=TransferStatus.PAID)
    _process(transfer, "transfer.updated", "evt_same", django_capture_on_commit_callbacks)
    assert received == []


def test_a_reversal_made_in_stripes_dashboard_is_recorded_and_reverses_the_transfer(
    transfer, received, django_capture_on_commit_callbacks, eager
):
    StripeTransfer.objects.update(status=TransferStatus.PAID)
    reversal = reversal_object(transfer_id=transfer["id"], amount=88_800, currency="cny")
    reversed_transfer = {**transfer, "amount_reversed": 88_800, "reversed": True}
    reversed_transfer["reversals"] = {**transfer["reversals"], "data": [reversal]}

    _process(reversed_transfer, "transfer.reversed", "evt_reversed", django_capture_on_commit_callbacks)

    row = StripeTransfer.objects.get()
    assert (row.status, row.amount_reversed_minor) == (TransferStatus.REVERSED, 88_800)
    recorded = StripeTransferReversal.objects.get()
    assert (recorded.stripe_reversal_id, recorded.amount_minor, recorded.status) == (
        reversal["id"],
        88_800,
        TransferStatus.REVERSED,
    )
    assert received == [(row.pk, TransferStatus.REVERSED, "transfer.reversed")]


def test_the_older_transfer_failed_event_marks_the_transfer_failed(transfer, received, django_capture_on_commit_callbacks, eager):
    failed = {
        **transfer,
        "status": "failed",
        "failure_code": "account_closed",
        "failure_message": "The bank account has been closed.",
    }
    _process(failed, "transfer.failed", "evt_failed", django_capture_on_commit_callbacks)
    row = StripeTransfer.objects.get()
    assert (row.status, row.failure_code, row.failure_message) == (
        TransferStatus.FAILED,
        "account_closed",
        "The bank account has been closed.",
    )
    assert received == [(row.pk, TransferStatus.FAILED, "transfer.failed")]


def test_an_event_finds_a_transfer_whose_response_was_lost_by_its_key(
    transfer, received, django_capture_on_commit_callbacks, eager
):
    StripeTransfer.objects.update(stripe_transfer_id=None, status=TransferStatus.FAILED, failure_message="Stripe: timed out")
    _process(transfer, "transfer.created", "evt_lost", django_capture_on_commit_callbacks)
    row = StripeTransfer.objects.get()
    assert (row.stripe_transfer_id, row.status, row.failure_message) == (transfer["id"], TransferStatus.PAID, "")
    assert received == [(row.pk, TransferStatus.PAID, "transfer.created")]


def test_an_event_about_a_transfer_made_elsewhere_is_stored_and_ignored(stripe_stub, django_capture_on_commit_callbacks, eager):
    obj = {"id": "tr_elsewhere", "object": "transfer", "amount": 5, "amount_reversed": 0, "metadata": {}, "reversed": False}
    _process(obj, "transfer.created", "evt_elsewhere", django_capture_on_commit_callbacks)
    assert WebhookEvent.objects.get().result == "unknown transfer tr_elsewhere"
    assert StripeTransfer.objects.count() == 0


def _process(obj: dict[str, Any], event_type: str, event_id: str, capture: Any) -> None:
    from rest_framework.test import APIClient

    payload = event_payload(event_type=event_type, obj=obj, event_id=event_id)
    with capture(execute=True):
        response = deliver(APIClient(), payload, signed_webhook(payload, secret=TEST_WEBHOOK_SECRET))
    assert response.status_code == 200, response.content


def test_the_webhook_needs_no_csrf_token_and_no_login(stripe_stub, eager, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    payload = event_payload(
        event_type="payout.failed",
        obj={
            "id": "po_f",
            "object": "payout",
            "amount": 1,
            "currency": "cny",
            "status": "failed",
            "failure_code": "account_closed",
        },
        event_id="evt_csrf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(APIClient(enforce_csrf_checks=True), payload, signed_webhook(payload))
    assert response.status_code == 200
    assert (StripePayout.objects.get().status, StripePayout.objects.get().failure_code) == ("failed", "account_closed")
