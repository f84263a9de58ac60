"""Brand charges through PaymentIntents (localstripe) and their ledger effects, to the fen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import AccountType, account_balance, account_get_or_create
from shuxuan.ledger.models import JournalEntry
from shuxuan.payments import charges
from shuxuan.payments.models import BrandCharge, ChargeKind, ChargeState, WebhookEvent
from shuxuan.payments.rail import PaymentRailError
from shuxuan.payments.tasks import slot_fees_release_due
from shuxuan.payments.testing.fixtures import event_payload, signed_webhook
from shuxuan.selection.models import LiveSession

from .conftest import World, legs

pytestmark = pytest.mark.django_db


def slot_fee(world: World, key: str = "slot:1", amount: int = 50_000) -> BrandCharge:
    return charges.charge_create(
        actor=world.brand_owner,
        brand_id=world.brand.pk,
        kind=ChargeKind.SLOT_FEE,
        amount_minor=amount,
        currency="CNY",
        idempotency_key=key,
        live_session_id=world.session.pk,
    )


def codes(world: World) -> dict[str, str]:
    return {
        "cash": f"org{world.operator.pk}:cash:CNY",
        "fees": f"org{world.operator.pk}:fee_income:CNY",
        "held": f"org{world.brand.pk}:deposits_held:CNY",
        "anchor": f"anchor{world.anchor.pk}:payable_to_party:CNY",
    }


def balance(**owner: Any) -> int:
    return account_balance(account_id=account_get_or_create(**owner, currency="CNY").pk)


def test_a_service_fee_paid_books_cash_and_fee_income(world, stripe_local):
    charge = charges.charge_create(
        actor=world.brand_owner,
        brand_id=world.brand.pk,
        kind=ChargeKind.SERVICE_FEE,
        amount_minor=12_345,
        currency="CNY",
        idempotency_key="svc:1",
    )
    assert charge.state == ChargeState.REQUIRES_PAYMENT
    assert charge.payment_intent_id.startswith("pi_")
    assert JournalEntry.objects.count() == 0

    paid = charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)

    assert paid.state == ChargeState.SUCCEEDED
    c = codes(world)
    assert legs(f"payments:charge:{charge.pk}:succeeded") == [(c["cash"], 12_345), (c["fees"], -12_345)]
    assert balance(organization_id=world.operator.pk, type=AccountType.CASH) == 12_345
    assert balance(organization_id=world.operator.pk, type=AccountType.FEE_INCOME) == -12_345
    actions = list(AuditEntry.objects.filter(object_type="payments.brandcharge").order_by("id").values_list("action", flat=True))
    assert actions == ["payments.charge.create", "payments.charge.intent", "payments.charge.succeeded"]


def test_the_same_key_answers_the_same_charge_and_another_amount_under_it_is_a_conflict(world, stripe_local):
    first = slot_fee(world)
    again = slot_fee(world)
    assert first.pk == again.pk and first.payment_intent_id == again.payment_intent_id
    assert len(stripe_local.state.requests) == 0  # PaymentIntents go to localstripe, not the Connect stub
    with pytest.raises(Conflict):
        slot_fee(world, amount=1)
    assert BrandCharge.objects.count() == 1


def test_a_slot_fee_is_held_until_the_session_airs_then_goes_to_the_anchor(world, stripe_local):
    charge = slot_fee(world)
    charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)
    charge.refresh_from_db()
    c = codes(world)
    assert charge.state == ChargeState.HELD
    assert legs(f"payments:charge:{charge.pk}:succeeded") == [(c["cash"], 50_000), (c["held"], -50_000)]

    # Before the session ends nothing is released.
    assert slot_fees_release_due() == {"released": 0, "refunded": 0, "failed": 0}
    with pytest.raises(Conflict):
        charges.slot_fee_release(charge_id=charge.pk)

    with time_machine.travel(world.session.ends_at + timedelta(minutes=1), tick=False):
        assert slot_fees_release_due() == {"released": 1, "refunded": 0, "failed": 0}
        assert slot_fees_release_due() == {"released": 0, "refunded": 0, "failed": 0}

    charge.refresh_from_db()
    assert charge.state == ChargeState.RELEASED
    assert legs(f"payments:charge:{charge.pk}:released") == [(c["held"], 50_000), (c["anchor"], -50_000)]
    assert balance(organization_id=world.brand.pk, type=AccountType.DEPOSITS_HELD) == 0
    assert balance(anchor_id=world.anchor.pk, type=AccountType.PAYABLE_TO_PARTY) == -50_000
    assert balance(organization_id=world.operator.pk, type=AccountType.CASH) == 50_000
    # A released slot fee is the anchor's: it is not refunded.
    with pytest.raises(Conflict):
        charges.charge_refund(charge_id=charge.pk)


def test_a_slot_fee_of_a_cancelled_session_is_refunded_at_stripe_and_booked_back(world, stripe_local):
    charge = slot_fee(world)
    charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)
    LiveSession.objects.filter(pk=world.session.pk).update(state="cancelled", cancelled_at=timezone.now())

    assert slot_fees_release_due() == {"released": 0, "refunded": 1, "failed": 0}
    assert slot_fees_release_due() == {"released": 0, "refunded": 0, "failed": 0}

    charge.refresh_from_db()
    c = codes(world)
    assert charge.state == ChargeState.REFUNDED
    assert charge.refund_id.startswith("re_")
    assert legs(f"payments:charge:{charge.pk}:refunded") == [(c["held"], 50_000), (c["cash"], -50_000)]
    assert balance(organization_id=world.brand.pk, type=AccountType.DEPOSITS_HELD) == 0
    assert balance(organization_id=world.operator.pk, type=AccountType.CASH) == 0
    assert not JournalEntry.objects.filter(idempotency_key=f"payments:charge:{charge.pk}:released").exists()


def test_a_slot_fee_needs_a_scheduled_future_session_with_the_brands_slot(world, stripe_local):
    with pytest.raises(DomainError):
        charges.charge_create(
            actor=world.other_owner,
            brand_id=world.other_brand.pk,
            kind=ChargeKind.SLOT_FEE,
            amount_minor=100,
            currency="CNY",
            idempotency_key="slot:other",
            live_session_id=world.session.pk,
        )
    with pytest.raises(DomainError):
        charges.charge_create(
            actor=world.brand_owner,
            brand_id=world.brand.pk,
            kind=ChargeKind.SLOT_FEE,
            amount_minor=100,
            currency="CNY",
            idempotency_key="slot:none",
        )
    assert BrandCharge.objects.count() == 0


def _webhook(api_client: Any, event_type: str, obj: dict[str, Any], event_id: str, capture: Any) -> None:
    payload = event_payload(event_type=event_type, obj=obj, event_id=event_id)
    with capture(execute=True):
        response = api_client.generic(
            "POST",
            "/api/payments/stripe/webhook/",
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signed_webhook(payload),
        )
    assert response.status_code == 200, response.content


def test_payment_intent_succeeded_books_the_charge_once_whichever_path_comes_first(
    world, stripe_local, api_client, eager, django_capture_on_commit_callbacks
):
    from shuxuan.payments.rail import stripe_client

    charge = charges.charge_create(
        actor=world.brand_owner,
        brand_id=world.brand.pk,
        kind=ChargeKind.SAMPLE_SHIPPING,
        amount_minor=1_800,
        currency="CNY",
        idempotency_key="ship:1",
    )
    client = stripe_client()
    client.v1.payment_intents.update(charge.payment_intent_id, params={"payment_method": "pm_card_visa"})
    intent = client.v1.payment_intents.confirm(charge.payment_intent_id).to_dict()

    _webhook(api_client, "payment_intent.succeeded", intent, "evt_pi_ok", django_capture_on_commit_callbacks)
    _webhook(api_client, "payment_intent.succeeded", intent, "evt_pi_ok_resent", django_capture_on_commit_callbacks)

    charge.refresh_from_db()
    c = codes(world)
    assert charge.state == ChargeState.SUCCEEDED
    assert legs(f"payments:charge:{charge.pk}:succeeded") == [(c["cash"], 1_800), (c["fees"], -1_800)]
    assert JournalEntry.objects.count() == 1
    assert WebhookEvent.objects.get(event_id="evt_pi_ok_resent").result == f"charge {charge.pk}: already succeeded"


def test_payment_failed_marks_the_charge_failed_with_stripes_message(
    world, stripe_local, api_client, eager, django_capture_on_commit_callbacks
):
    charge = slot_fee(world)
    intent = {
        "id": charge.payment_intent_id,
        "object": "payment_intent",
        "status": "requires_payment_method",
        "last_payment_error": {"code": "card_declined", "message": "Your card was declined."},
    }
    _webhook(api_client, "payment_intent.payment_failed", intent, "evt_pi_fail", django_capture_on_commit_callbacks)
    charge.refresh_from_db()
    assert (charge.state, charge.failure_message) == (ChargeState.FAILED, "Stripe: Your card was declined.")
    assert JournalEntry.objects.count() == 0


def test_charge_refunded_at_stripe_books_the_refund_once(
    world, stripe_local, api_client, eager, django_capture_on_commit_callbacks
):
    from shuxuan.payments.rail import stripe_client

    charge = charges.charge_create(
        actor=world.brand_owner,
        brand_id=world.brand.pk,
        kind=ChargeKind.SERVICE_FEE,
        amount_minor=20_000,
        currency="CNY",
        idempotency_key="svc:refund",
    )
    charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)
    client = stripe_client()
    refund = client.v1.refunds.create(params={"payment_intent": charge.payment_intent_id})
    stripe_charge = client.v1.charges.retrieve(refund.charge).to_dict()
    stripe_charge.update(refunded=True, amount_refunded=20_000, refunds={"object": "list", "data": [refund.to_dict()]})

    _webhook(api_client, "charge.refunded", stripe_charge, "evt_refunded", django_capture_on_commit_callbacks)
    _webhook(api_client, "charge.refunded", stripe_charge, "evt_refunded_again", django_capture_on_commit_callbacks)

    charge.refresh_from_db()
    c = codes(world)
    assert (charge.state, charge.refund_id) == (ChargeState.REFUNDED, refund.id)
    assert legs(f"payments:charge:{charge.pk}:refunded") == [(c["fees"], 20_000), (c["cash"], -20_000)]
    assert balance(organization_id=world.operator.pk, type=AccountType.CASH) == 0
    assert balance(organization_id=world.operator.pk, type=AccountType.FEE_INCOME) == 0
    assert JournalEntry.objects.count() == 2
    # Refunding again through the API does nothing more.
    assert charges.charge_refund(charge_id=charge.pk).state == ChargeState.REFUNDED
    assert JournalEntry.objects.count() == 2


def test_a_declined_card_stores_the_charge_failed_and_answers_stripes_message(world, stripe_local):
    charge = slot_fee(world)
    stripe_local.fail_next(402, "card_declined", "Your card was declined.", "card_error")

    with pytest.raises(PaymentRailError) as raised:
        charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)

    assert (raised.value.status_code, raised.value.code) == (402, "card_declined")
    charge.refresh_from_db()
    assert (charge.state, charge.failure_message) == (ChargeState.FAILED, "Stripe: Your card was declined.")
    assert JournalEntry.objects.count() == 0
    # Paying again with a good card succeeds.
    assert charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk).state == ChargeState.HELD


def test_confirming_with_a_test_card_is_refused_under_a_live_key(world, stripe_local, settings):
    charge = slot_fee(world)
    settings.STRIPE_SECRET_KEY = "sk_live_not_really"
    with pytest.raises(Conflict):
        charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)
    charge.refresh_from_db()
    assert charge.state == ChargeState.REQUIRES_PAYMENT


def test_a_slot_fee_for_a_cancelled_session_cannot_be_paid(world, stripe_local):
    charge = slot_fee(world)
    LiveSession.objects.filter(pk=world.session.pk).update(state="cancelled", cancelled_at=timezone.now())
    with pytest.raises(Conflict):
        charges.charge_confirm(actor=world.brand_owner, charge_id=charge.pk)
    charge.refresh_from_db()
    assert charge.state == ChargeState.REQUIRES_PAYMENT
    assert JournalEntry.objects.count() == 0
