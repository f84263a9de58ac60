"""Connect transfers and reversals against the local Connect stub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict
from shuxuan.ledger.models import JournalEntry
from shuxuan.payments.facade import (
    PaymentRailError,
    StripeTransfer,
    StripeTransferReversal,
    TransferStatus,
    connect_transfer_create,
    connect_transfer_reverse,
)
from shuxuan.payments.rail import stripe_client
from shuxuan.payments.testing.fixtures import free_port

pytestmark = pytest.mark.django_db

# Stripe's own example objects (transfer, transfer_reversal, account), extracted from the stripe/openapi
# repository's fixtures3.json so the test runs wherever the repository is cloned.
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stripe_objects.json"


def create(key: str = "payout:7:1", *, destination: str = "acct_1PgafTB7WZ01zgkW", amount: int = 123_456, **extra):
    return connect_transfer_create(
        reference=extra.pop("reference", "payout-7"),
        destination=destination,
        amount_minor=amount,
        currency="CNY",
        transfer_group=extra.pop("transfer_group", "run-3"),
        idempotency_key=key,
        metadata=extra.pop("metadata", {"statement": "42"}),
    )


def test_transfer_sends_the_idempotency_key_and_a_repeat_makes_no_second_transfer(stripe_stub):
    first = create()
    again = create()

    assert first == again
    assert first.status == TransferStatus.PAID  # Stripe moved the funds when it made the transfer
    assert first.stripe_transfer_id and first.stripe_transfer_id.startswith("tr_")
    assert (first.amount_minor, first.currency, first.reference) == (123_456, "CNY", "payout-7")
    assert StripeTransfer.objects.count() == 1
    calls = stripe_stub.requests_to("POST", "/v1/transfers")
    assert len(calls) == 1
    assert calls[0].idempotency_key == "payout:7:1"
    assert calls[0].params["amount"] == "123456"
    assert calls[0].params["currency"] == "cny"
    assert calls[0].params["transfer_group"] == "run-3"
    assert calls[0].params["metadata"] == {"statement": "42", "shuxuan_key": "payout:7:1", "shuxuan_reference": "payout-7"}
    assert stripe_stub.transfer(first.stripe_transfer_id)["amount"] == 123_456
    assert JournalEntry.objects.count() == 0  # the caller posts, not payments


def test_a_lost_response_is_retried_with_the_same_key_and_stripe_makes_one_transfer(stripe_stub):
    first = create()
    # As if the process died after Stripe made the transfer but before its answer was stored.
    StripeTransfer.objects.filter(pk=first.id).update(stripe_transfer_id=None)

    again = create()

    assert again.stripe_transfer_id == first.stripe_transfer_id
    assert len(stripe_stub.requests_to("POST", "/v1/transfers")) == 2
    assert len(stripe_stub.state.transfers) == 1
    assert StripeTransfer.objects.count() == 1


def test_the_same_key_with_another_amount_is_a_conflict_and_calls_nothing(stripe_stub):
    create()
    with pytest.raises(Conflict):
        create(amount=1)
    assert len(stripe_stub.requests_to("POST", "/v1/transfers")) == 1
    assert StripeTransfer.objects.get().amount_minor == 123_456


def test_insufficient_balance_is_stored_failed_and_raised_with_stripes_message(stripe_stub):
    with pytest.raises(PaymentRailError) as raised:
        create("payout:9:1", destination="acct_insufficient")

    assert raised.value.code == "balance_insufficient"
    assert raised.value.status_code == 400
    assert "insufficient available funds" in raised.value.message
    row = StripeTransfer.objects.get(idempotency_key="payout:9:1")
    assert row.status == TransferStatus.FAILED
    assert row.stripe_transfer_id is None
    assert row.failure_code == "balance_insufficient"
    assert "insufficient available funds" in row.failure_message
    assert list(
        AuditEntry.objects.filter(object_id=str(row.pk), object_type="payments.stripetransfer")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "payments.transfer.request",
        "payments.transfer.fail",
    ]


def test_a_retry_after_a_failure_gets_stripes_same_answer_and_keeps_one_row(stripe_stub):
    for _ in range(2):
        with pytest.raises(PaymentRailError):
            create("payout:9:2", destination="acct_insufficient")
    assert StripeTransfer.objects.filter(idempotency_key="payout:9:2").count() == 1
    assert stripe_stub.state.transfers == {}


def test_stripe_unreachable_is_stored_failed_not_a_500(stripe_stub, settings):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PaymentRailError) as raised:
        create("payout:10:1")
    assert raised.value.status_code == 502
    assert raised.value.code == "stripe_unreachable"
    assert StripeTransfer.objects.get(idempotency_key="payout:10:1").status == TransferStatus.FAILED


def test_a_server_error_then_a_retry_succeeds_with_one_row(stripe_stub):
    stripe_stub.fail_next(500, "api_error", "Stripe had a moment.")
    stripe_stub.fail_next(500, "api_error", "Stripe had a moment.")
    with pytest.raises(PaymentRailError) as raised:
        create("payout:11:1")
    assert raised.value.status_code == 502
    assert StripeTransfer.objects.get().status == TransferStatus.FAILED

    record = create("payout:11:1")
    assert record.status == TransferStatus.PAID
    assert record.stripe_transfer_id
    assert record.failure_message == ""
    assert StripeTransfer.objects.count() == 1


def test_reversal_in_two_parts_reverses_the_transfer(stripe_stub):
    transfer = create()
    StripeTransfer.objects.filter(pk=transfer.id).update(status=TransferStatus.PAID)
    part = connect_transfer_reverse(
        transfer_id=transfer.stripe_transfer_id, amount_minor=23_456, idempotency_key="clawback:1", reference="clawback-1"
    )
    again = connect_transfer_reverse(
        transfer_id=transfer.stripe_transfer_id, amount_minor=23_456, idempotency_key="clawback:1", reference="clawback-1"
    )
    assert part == again
    assert part.status == TransferStatus.REVERSED
    assert part.stripe_reversal_id and part.stripe_reversal_id.startswith("trr_")
    row = StripeTransfer.objects.get(pk=transfer.id)
    assert (row.amount_reversed_minor, row.status) == (23_456, TransferStatus.PAID)
    call = stripe_stub.requests_to("POST", f"/v1/transfers/{transfer.stripe_transfer_id}/reversals")
    assert len(call) == 1 and call[0].idempotency_key == "clawback:1" and call[0].params["amount"] == "23456"

    rest = connect_transfer_reverse(
        transfer_id=transfer.stripe_transfer_id, amount_minor=100_000, idempotency_key="clawback:2", reference="clawback-2"
    )
    row.refresh_from_db()
    assert (row.amount_reversed_minor, row.status) == (123_456, TransferStatus.REVERSED)
    assert rest.amount_minor == 100_000
    assert stripe_stub.transfer(transfer.stripe_transfer_id)["reversed"] is True


def test_reversing_more_than_remains_is_refused_before_calling_stripe(stripe_stub):
    transfer = create()
    with pytest.raises(Conflict):
        connect_transfer_reverse(
            transfer_id=transfer.stripe_transfer_id, amount_minor=123_457, idempotency_key="clawback:3", reference="c3"
        )
    assert StripeTransferReversal.objects.count() == 0
    assert stripe_stub.requests_to("POST", f"/v1/transfers/{transfer.stripe_transfer_id}/reversals") == []


def test_a_reversal_stripe_refuses_is_stored_failed(stripe_stub):
    transfer = create()
    stripe_stub.fail_next(
        400, "transfer_reversal_amount_exceeds_remaining", "You cannot reverse more than remains.", "invalid_request_error"
    )
    with pytest.raises(PaymentRailError) as raised:
        connect_transfer_reverse(
            transfer_id=transfer.stripe_transfer_id, amount_minor=1, idempotency_key="clawback:4", reference="c4"
        )
    assert raised.value.code == "transfer_reversal_amount_exceeds_remaining"
    reversal = StripeTransferReversal.objects.get(idempotency_key="clawback:4")
    assert (reversal.status, reversal.failure_message) == (TransferStatus.FAILED, "Stripe: You cannot reverse more than remains.")
    assert StripeTransfer.objects.get(pk=transfer.id).amount_reversed_minor == 0


def test_the_stub_answers_stripes_documented_shapes(stripe_stub):
    resources = json.loads(FIXTURES.read_text())["resources"]
    transfer = create()
    stub_transfer = stripe_stub.transfer(transfer.stripe_transfer_id)
    assert set(stub_transfer) == set(resources["transfer"])
    assert set(stub_transfer["reversals"]) == set(resources["transfer"]["reversals"])
    reversal = connect_transfer_reverse(
        transfer_id=transfer.stripe_transfer_id, amount_minor=1, idempotency_key="r", reference="r"
    )
    assert set(stripe_stub.transfer(transfer.stripe_transfer_id)["reversals"]["data"][0]) == set(resources["transfer_reversal"])
    assert reversal.amount_minor == 1
    status, account = stripe_stub.handle("GET", "/v1/accounts/acct_1", None, {})
    assert status == 200
    assert set(account) <= set(resources["account"])
    assert {"id", "object", "charges_enabled", "payouts_enabled", "details_submitted", "capabilities"} <= set(account)


def test_refresh_reads_the_transfer_back_when_a_webhook_was_missed(stripe_stub, django_capture_on_commit_callbacks):
    from shuxuan.payments.facade import connect_transfer_refresh, transfer_status_changed

    seen: list[tuple[str, str]] = []

    def receiver(sender, transfer, event_type, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((transfer.status, event_type))

    transfer_status_changed.connect(receiver, dispatch_uid="refresh-test")
    try:
        record = create()
        # Someone reverses it in Stripe's dashboard, and the webhook is missed.
        stripe_client().v1.transfers.reversals.create(record.stripe_transfer_id or "", params={"amount": 123_456})
        with django_capture_on_commit_callbacks(execute=True):
            refreshed = connect_transfer_refresh(transfer_id=record.stripe_transfer_id or "")
        with django_capture_on_commit_callbacks(execute=True):
            connect_transfer_refresh(transfer_id=record.stripe_transfer_id or "")
    finally:
        transfer_status_changed.disconnect(dispatch_uid="refresh-test")
    assert (refreshed.status, refreshed.amount_reversed_minor) == (TransferStatus.REVERSED, 123_456)
    assert seen == [(TransferStatus.REVERSED, "transfer.refreshed")]
    assert len(stripe_stub.requests_to("GET", f"/v1/transfers/{record.stripe_transfer_id}")) == 2
