"""Celery entry points: thin, take ids, idempotent (STYLE.md habit 4)."""

from __future__ import annotations

from celery import shared_task

from shuxuan.payments import charges, webhooks


@shared_task(name="payments.webhook_event_process", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def webhook_event_process(webhook_event_id: int) -> str:
    """Apply a stored Stripe event; an event already processed is not applied again."""
    return webhooks.webhook_event_process(webhook_event_id=webhook_event_id)


@shared_task(name="payments.slot_fees_release_due")
def slot_fees_release_due() -> dict[str, int]:
    """Beat: release held slot fees of sessions that aired to their anchors; refund those of
    cancelled sessions. Running it twice changes nothing the second time."""
    return charges.slot_fees_release_due()
