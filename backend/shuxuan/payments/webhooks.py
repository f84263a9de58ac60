"""Stripe webhooks: verified, stored once per event id, processed after commit by a Celery task.

Receiving only verifies the signature and stores the event; a duplicate delivery (Stripe retries)
answers 200 and enqueues nothing. Processing runs in one durable transaction per event, so what an
event changes and the mark that it was processed commit together.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework import status

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.payments.accounts import connected_account_apply_event, payout_apply_event
from shuxuan.payments.charges import charge_mark_payment_failed, charge_mark_refunded, charge_mark_succeeded
from shuxuan.payments.models import BrandCharge, WebhookEvent
from shuxuan.payments.transfers import transfer_apply_event


class WebhookNotConfigured(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE


def webhook_event_receive(*, payload: bytes, signature: str | None) -> tuple[WebhookEvent, bool]:
    """Verify and store one delivery. Returns the event and whether it was new (the caller queues
    a new one: `tasks.webhook_event_process`)."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookNotConfigured(
            "未配置 STRIPE_WEBHOOK_SECRET，拒收 Stripe 事件 / STRIPE_WEBHOOK_SECRET is not set: webhooks are refused",
            code="webhook_not_configured",
        )
    if not signature:
        raise DomainError("缺少 Stripe-Signature 头 / the Stripe-Signature header is missing", code="signature_missing")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as exc:
        raise DomainError(f"Stripe 签名无效 / invalid Stripe signature: {exc}", code="signature_invalid") from None
    except ValueError as exc:
        raise DomainError(f"事件不是有效的 JSON / the event is not valid JSON: {exc}", code="invalid_payload") from None
    data = json.loads(payload)
    event_id = data.get("id")
    if not isinstance(event_id, str) or not event_id or not isinstance(data.get("type"), str):
        raise DomainError("事件缺少 id 或 type / the event has no id or type", code="invalid_payload")
    with transaction.atomic(durable=True):
        existing = WebhookEvent.objects.filter(event_id=event_id).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    event_id=event_id,
                    type=data["type"][:64],
                    account=str(data.get("account") or "")[:64],
                    livemode=bool(data.get("livemode")),
                    payload=data,
                )
        except IntegrityError:
            return WebhookEvent.objects.get(event_id=event_id), False
        audit_record(actor=None, action="payments.webhook.receive", obj=event, organization_id=None, changes={"type": event.type})
    return event, True


def webhook_event_process(*, webhook_event_id: int) -> str:
    """Apply one stored event. Processing it again does nothing and returns the first result."""
    try:
        with transaction.atomic(durable=True):
            event = WebhookEvent.objects.select_for_update().get(pk=webhook_event_id)
            if event.processed_at is not None:
                return event.result
            handler = HANDLERS.get(event.type)
            obj = (event.payload.get("data") or {}).get("object") or {}
            result = handler(obj, event.type) if handler else "ignored"
            event.processed_at = timezone.now()
            event.result = result[:200]
            event.attempts += 1
            event.last_error = ""
            event.save(update_fields=["processed_at", "result", "attempts", "last_error"])
            audit_record(
                actor=None, action="payments.webhook.process", obj=event, organization_id=None, changes={"result": event.result}
            )
            return event.result
    except Exception as exc:
        with transaction.atomic(durable=True):
            WebhookEvent.objects.filter(pk=webhook_event_id, processed_at__isnull=True).update(
                attempts=F("attempts") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:2000]
            )
        raise


def _charge_for(obj: dict[str, Any]) -> BrandCharge | None:
    intent = obj.get("payment_intent") if obj.get("object") == "charge" else obj.get("id")
    if not intent:
        return None
    return BrandCharge.objects.select_for_update().filter(payment_intent_id=intent).first()


def _payment_intent_succeeded(obj: dict[str, Any], event_type: str) -> str:
    charge = _charge_for(obj)
    if charge is None:
        return f"unknown payment intent {obj.get('id')}"
    booked = charge_mark_succeeded(charge=charge)
    return f"charge {charge.pk}: {'booked' if booked else 'already ' + charge.state}"


def _payment_intent_failed(obj: dict[str, Any], event_type: str) -> str:
    charge = _charge_for(obj)
    if charge is None:
        return f"unknown payment intent {obj.get('id')}"
    message = ((obj.get("last_payment_error") or {}).get("message")) or "Stripe: payment failed"
    changed = charge_mark_payment_failed(charge=charge, message=f"Stripe: {message}")
    return f"charge {charge.pk}: {'failed' if changed else 'unchanged ' + charge.state}"


def _charge_refunded(obj: dict[str, Any], event_type: str) -> str:
    charge = _charge_for(obj)
    if charge is None:
        return f"unknown charge {obj.get('id')}"
    if not obj.get("refunded") and int(obj.get("amount_refunded") or 0) < charge.amount_minor:
        # A partial refund made at Stripe: the split between brand and platform is finance's call.
        audit_record(
            actor=None,
            action="payments.charge.partial_refund_seen",
            obj=charge,
            organization_id=charge.brand_id,
            changes={"amount_refunded": obj.get("amount_refunded")},
        )
        return f"charge {charge.pk}: partial refund of {obj.get('amount_refunded')} left to finance"
    refunds = ((obj.get("refunds") or {}).get("data")) or []
    refund_id = refunds[0].get("id") if refunds else None
    booked = charge_mark_refunded(charge=charge, refund_id=refund_id, reason="Stripe charge.refunded")
    return f"charge {charge.pk}: {'refunded' if booked else 'already refunded'}"


def _transfer(obj: dict[str, Any], event_type: str) -> str:
    return transfer_apply_event(obj=obj, event_type=event_type)


def _payout(obj: dict[str, Any], event_type: str) -> str:
    return payout_apply_event(obj=obj)


def _account(obj: dict[str, Any], event_type: str) -> str:
    return connected_account_apply_event(obj=obj)


HANDLERS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "transfer.created": _transfer,
    "transfer.updated": _transfer,
    "transfer.reversed": _transfer,
    # Dropped from Stripe's API in 2017 (payouts split from transfers); still handled if an old account sends them.
    "transfer.paid": _transfer,
    "transfer.failed": _transfer,
    "payout.paid": _payout,
    "payout.failed": _payout,
    "payment_intent.succeeded": _payment_intent_succeeded,
    "payment_intent.payment_failed": _payment_intent_failed,
    "charge.refunded": _charge_refunded,
    "account.updated": _account,
}
