"""What brands pay the platform through Stripe PaymentIntents, and its ledger effects.

    paid slot fee       Dr operator cash          / Cr deposits held (brand)    -> held
    paid service fee    Dr operator cash          / Cr operator fee income      -> succeeded
    session aired       Dr deposits held (brand)  / Cr payable to party (anchor) -> released
    session cancelled   Stripe refund, then Dr deposits held (brand) / Cr operator cash -> refunded

Each posting has the key `payments:charge:<id>:<step>`, so the API path and the webhook path of the
same step post once between them. Stripe calls happen outside the database transaction; the row
that records a call is written before it under the charge's idempotency key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import AccountType, PostingSpec, account_get_or_create, entry_post_within
from shuxuan.parties.facade import operator_organization_id
from shuxuan.parties.models import Organization, OrganizationKind
from shuxuan.payments.common import check_amount, check_key, logger
from shuxuan.payments.models import BrandCharge, ChargeKind, ChargeState
from shuxuan.payments.rail import PaymentRailError, rail_error, stripe_client
from shuxuan.selection.facade import LiveSession

# selection's LiveSessionState values (a session is scheduled until cancelled; it has aired once its end passed).
SESSION_SCHEDULED = "scheduled"
SESSION_CANCELLED = "cancelled"
SOURCE_TYPE = "payments.brand_charge"
TEST_PAYMENT_METHOD = "pm_card_visa"


def charge_lock(charge_id: int) -> BrandCharge:
    """The one way to lock a charge row (inside the caller's transaction)."""
    charge = BrandCharge.objects.select_for_update().filter(pk=charge_id).first()
    if charge is None:
        raise DomainError(f"收费 {charge_id} 不存在 / charge {charge_id} does not exist", field="charge_id", code="not_found")
    return charge


def charge_create(
    *,
    actor: Any,
    brand_id: int,
    kind: str,
    amount_minor: int,
    currency: str,
    idempotency_key: str,
    live_session_id: int | None = None,
    description: str = "",
) -> BrandCharge:
    """Open a PaymentIntent for a brand to pay the platform. The same key answers the same charge
    (another amount or brand under it is a 409); Stripe's refusal stores `failed` and raises."""
    key = check_key(idempotency_key)
    check_amount(amount_minor, currency)
    if kind not in ChargeKind.values:
        raise DomainError(f"未知收费类型 / unknown charge kind {kind!r}", field="kind")
    if not Organization.objects.filter(pk=brand_id, kind=OrganizationKind.BRAND).exists():
        raise DomainError("付款方须为品牌商 / the payer must be a brand", field="brand_id")
    _check_session(kind=kind, brand_id=brand_id, live_session_id=live_session_id)
    wanted = {
        "brand_id": brand_id,
        "kind": kind,
        "amount_minor": amount_minor,
        "currency": currency,
        "live_session_id": live_session_id,
    }
    with transaction.atomic(durable=True):
        charge = BrandCharge.objects.select_for_update().filter(idempotency_key=key).first()
        if charge is None:
            try:
                with transaction.atomic():
                    charge = BrandCharge.objects.create(
                        idempotency_key=key, description=description[:200], created_by=_user(actor), **wanted
                    )
            except IntegrityError:
                charge = BrandCharge.objects.select_for_update().get(idempotency_key=key)
            else:
                audit_record(
                    actor=actor,
                    action="payments.charge.create",
                    obj=charge,
                    organization_id=brand_id,
                    changes={**wanted, "idempotency_key": key},
                )
        differing = sorted(name for name, value in wanted.items() if getattr(charge, name) != value)
        if differing:
            raise Conflict(
                f"幂等键 {key} 已用于不同的收费 / idempotency key already used with other {', '.join(differing)}",
                field="idempotency_key",
                code="idempotency_conflict",
            )
        if charge.payment_intent_id:
            return charge
    params: dict[str, Any] = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "payment_method_types": ["card"],
        "metadata": {"shuxuan_charge_id": str(charge.pk), "kind": kind, "brand_id": str(brand_id)},
    }
    try:
        intent = stripe_client().v1.payment_intents.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        error = rail_error(exc)
        _charge_fail(charge.pk, message=error.message, actor=actor)
        raise error from exc
    return _intent_store(charge.pk, intent=intent, brand_id=brand_id, actor=actor)


def _intent_store(charge_id: int, *, intent: Any, brand_id: int, actor: Any) -> BrandCharge:
    """Keep the PaymentIntent Stripe opened on the charge (once: a concurrent request may have kept
    it first); a charge that had failed is payable again."""
    with transaction.atomic(durable=True):
        charge = charge_lock(charge_id)
        if not charge.payment_intent_id:
            charge.payment_intent_id = intent.id
            charge.client_secret = intent.client_secret or ""
            if charge.state == ChargeState.FAILED:
                charge.state, charge.failure_message = ChargeState.REQUIRES_PAYMENT, ""
            charge.save(update_fields=["payment_intent_id", "client_secret", "state", "failure_message"])
            audit_record(
                actor=actor,
                action="payments.charge.intent",
                obj=charge,
                organization_id=brand_id,
                changes={"payment_intent": intent.id},
            )
    return charge


def _check_session(*, kind: str, brand_id: int, live_session_id: int | None) -> None:
    if kind != ChargeKind.SLOT_FEE:
        if live_session_id is not None:
            raise DomainError("只有坑位费关联直播 / only a slot fee names a live session", field="live_session_id")
        return
    if live_session_id is None:
        raise DomainError("坑位费须指定直播 / a slot fee names its live session", field="live_session_id")
    session = LiveSession.objects.filter(pk=live_session_id).first()
    if session is None:
        raise DomainError(f"直播 {live_session_id} 不存在 / unknown live session", field="live_session_id")
    if session.state != SESSION_SCHEDULED:
        raise Conflict("直播已取消 / the session is cancelled", field="live_session_id")
    if session.ends_at <= timezone.now():
        raise Conflict("直播已结束 / the session has already aired", field="live_session_id")
    if not session.items.filter(brand_id=brand_id).exists():
        raise DomainError("该直播的排品中没有此品牌 / the brand has no slot in this session's lineup", field="live_session_id")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _charge_fail(charge_id: int, *, message: str, actor: Any) -> None:
    with transaction.atomic(durable=True):
        charge = charge_lock(charge_id)
        if charge.state not in (ChargeState.REQUIRES_PAYMENT, ChargeState.FAILED):
            return
        _set_failed(charge, message=message, actor=actor)


def _set_failed(charge: BrandCharge, *, message: str, actor: Any) -> None:
    before = charge.state
    charge.state = ChargeState.FAILED
    charge.failure_message = message
    charge.save(update_fields=["state", "failure_message"])
    audit_record(
        actor=actor,
        action="payments.charge.fail",
        obj=charge,
        organization_id=charge.brand_id,
        changes={"state": [before, charge.state], "failure_message": message},
    )


def charge_confirm(*, actor: Any, charge_id: int, payment_method: str = TEST_PAYMENT_METHOD) -> BrandCharge:
    """Pay a charge with a Stripe test payment method (demo and tests; a brand's browser confirms with
    Stripe.js in production). Refused with a live key."""
    if (settings.STRIPE_SECRET_KEY or "").startswith("sk_live_"):
        raise Conflict("测试卡确认仅限测试模式 / confirming with a test card is for test mode only", code="live_mode")
    charge = BrandCharge.objects.filter(pk=charge_id).first()
    if charge is None:
        raise DomainError(f"收费 {charge_id} 不存在 / charge {charge_id} does not exist", field="charge_id", code="not_found")
    if charge.state not in (ChargeState.REQUIRES_PAYMENT, ChargeState.FAILED) or not charge.payment_intent_id:
        raise Conflict(f"此收费不待支付（{charge.state}）/ the charge is not awaiting payment", field="state")
    if charge.kind == ChargeKind.SLOT_FEE:
        # A slot fee is paid only for a session still to come (one paid anyway at Stripe is refunded by the beat).
        _check_session(kind=charge.kind, brand_id=charge.brand_id, live_session_id=charge.live_session_id)
    client = stripe_client()
    try:
        # Set the method, then confirm: the two-step form both Stripe and localstripe accept.
        client.v1.payment_intents.update(charge.payment_intent_id, params={"payment_method": payment_method})
        intent = client.v1.payment_intents.confirm(charge.payment_intent_id)
    except stripe.StripeError as exc:
        error = rail_error(exc)
        _charge_fail(charge.pk, message=error.message, actor=actor)
        raise error from exc
    with transaction.atomic(durable=True):
        charge = charge_lock(charge.pk)
        if intent.status == "succeeded":
            charge_mark_succeeded(charge=charge, actor=actor)
        elif intent.status == "requires_payment_method" and charge.state == ChargeState.REQUIRES_PAYMENT:
            error_message = getattr(intent.last_payment_error, "message", None) if intent.last_payment_error else None
            _set_failed(charge, message=error_message or "Stripe: payment failed", actor=actor)
    return charge


def charge_mark_succeeded(*, charge: BrandCharge, actor: Any = None, at: datetime | None = None) -> bool:
    """Book a paid charge (charge locked, inside the caller's transaction). False if already booked."""
    if charge.state not in (ChargeState.REQUIRES_PAYMENT, ChargeState.FAILED):
        return False
    operator_id = operator_organization_id()
    cash = account_get_or_create(organization_id=operator_id, type=AccountType.CASH, currency=charge.currency)
    if charge.kind == ChargeKind.SLOT_FEE:
        credit = account_get_or_create(organization_id=charge.brand_id, type=AccountType.DEPOSITS_HELD, currency=charge.currency)
        target = ChargeState.HELD
    else:
        credit = account_get_or_create(organization_id=operator_id, type=AccountType.FEE_INCOME, currency=charge.currency)
        target = ChargeState.SUCCEEDED
    paid_at = at or timezone.now()
    _post(
        charge,
        step="succeeded",
        memo=f"{ChargeKind(charge.kind).label} 收款 / paid by {charge.brand_id}",
        debit=cash.pk,
        credit=credit.pk,
        day=timezone.localdate(paid_at),
        actor=actor,
    )
    before = charge.state
    charge.state = target
    charge.paid_at = paid_at
    charge.failure_message = ""
    charge.save(update_fields=["state", "paid_at", "failure_message"])
    audit_record(
        actor=actor,
        action="payments.charge.succeeded",
        obj=charge,
        organization_id=charge.brand_id,
        changes={"state": [before, target]},
    )
    return True


def charge_mark_payment_failed(*, charge: BrandCharge, message: str) -> bool:
    if charge.state != ChargeState.REQUIRES_PAYMENT:
        return False
    _set_failed(charge, message=message, actor=None)
    return True


def _post(charge: BrandCharge, *, step: str, memo: str, debit: int, credit: int, day: Any, actor: Any) -> None:
    entry_post_within(
        idempotency_key=f"payments:charge:{charge.pk}:{step}",
        source_type=SOURCE_TYPE,
        source_id=str(charge.pk),
        effective_date=day,
        memo=memo,
        postings=[
            PostingSpec(account_id=debit, amount=charge.amount_minor, currency=charge.currency),
            PostingSpec(account_id=credit, amount=-charge.amount_minor, currency=charge.currency),
        ],
        actor=_user(actor),
    )


def slot_fee_release(*, charge_id: int, actor: Any = None) -> BrandCharge:
    """A held slot fee goes to the anchor once the session has aired (ended, not cancelled)."""
    with transaction.atomic(durable=True):
        charge = charge_lock(charge_id)
        if charge.state == ChargeState.RELEASED:
            return charge
        if charge.kind != ChargeKind.SLOT_FEE or charge.state != ChargeState.HELD:
            raise Conflict(f"只有代收中的坑位费可结给主播（{charge.state}）/ only a held slot fee is released", field="state")
        assert charge.live_session_id is not None  # a slot fee always names its session (CHECK)
        session = LiveSession.objects.get(pk=charge.live_session_id)
        now = timezone.now()
        if session.state != SESSION_SCHEDULED or session.ends_at > now:
            raise Conflict("直播尚未播出 / the session has not aired", field="live_session_id")
        held = account_get_or_create(organization_id=charge.brand_id, type=AccountType.DEPOSITS_HELD, currency=charge.currency)
        payable = account_get_or_create(anchor_id=session.anchor_id, type=AccountType.PAYABLE_TO_PARTY, currency=charge.currency)
        _post(
            charge,
            step="released",
            memo=f"坑位费结给主播 / slot fee for session {session.pk} to anchor {session.anchor_id}",
            debit=held.pk,
            credit=payable.pk,
            day=timezone.localdate(now),
            actor=actor,
        )
        charge.state = ChargeState.RELEASED
        charge.closed_at = now
        charge.save(update_fields=["state", "closed_at"])
        audit_record(
            actor=actor,
            action="payments.charge.release",
            obj=charge,
            organization_id=charge.brand_id,
            changes={"state": [ChargeState.HELD, ChargeState.RELEASED], "anchor_id": session.anchor_id},
        )
    return charge


def charge_refund(*, charge_id: int, actor: Any = None, reason: str = "") -> BrandCharge:
    """Refund a paid charge in full at Stripe, then book it back. A released slot fee is the anchor's
    and is not refunded here."""
    with transaction.atomic(durable=True):
        charge = charge_lock(charge_id)
        if charge.state == ChargeState.REFUNDED:
            return charge
        if charge.state not in (ChargeState.HELD, ChargeState.SUCCEEDED):
            raise Conflict(f"此收费不可退款（{charge.state}）/ only a paid, unreleased charge is refunded", field="state")
    try:
        refund = stripe_client().v1.refunds.create(
            params={"payment_intent": charge.payment_intent_id or "", "metadata": {"shuxuan_charge_id": str(charge.pk)}},
            options={"idempotency_key": f"payments:charge:{charge.pk}:refund"},
        )
    except stripe.StripeError as exc:
        error = rail_error(exc)
        with transaction.atomic(durable=True):
            charge = charge_lock(charge_id)
            charge.failure_message = error.message
            charge.save(update_fields=["failure_message"])
            audit_record(
                actor=actor,
                action="payments.charge.refund_fail",
                obj=charge,
                organization_id=charge.brand_id,
                changes={"error": error.message},
            )
        raise error from exc
    with transaction.atomic(durable=True):
        charge = charge_lock(charge_id)
        charge_mark_refunded(charge=charge, refund_id=refund.id, actor=actor, reason=reason)
    return charge


def charge_mark_refunded(*, charge: BrandCharge, refund_id: str | None, actor: Any = None, reason: str = "") -> bool:
    """Book a full refund (charge locked, inside the caller's transaction). False if already booked.

    Money that left a held slot fee comes out of deposits held; a fee's comes out of fee income; a
    refund Stripe reports for a slot fee already released to the anchor goes to suspense for finance."""
    if charge.state == ChargeState.REFUNDED:
        return False
    if charge.state not in (ChargeState.HELD, ChargeState.SUCCEEDED, ChargeState.RELEASED):
        raise Conflict(f"此收费未支付，不可退款（{charge.state}）/ the charge was not paid", field="state")
    operator_id = operator_organization_id()
    cash = account_get_or_create(organization_id=operator_id, type=AccountType.CASH, currency=charge.currency)
    if charge.state == ChargeState.HELD:
        debit = account_get_or_create(organization_id=charge.brand_id, type=AccountType.DEPOSITS_HELD, currency=charge.currency)
    elif charge.state == ChargeState.SUCCEEDED:
        debit = account_get_or_create(organization_id=operator_id, type=AccountType.FEE_INCOME, currency=charge.currency)
    else:
        debit = account_get_or_create(organization_id=operator_id, type=AccountType.SUSPENSE, currency=charge.currency)
        logger.warning("charge %s refunded at Stripe after its slot fee was released; booked to suspense", charge.pk)
    now = timezone.now()
    _post(
        charge,
        step="refunded",
        memo=f"退款 / refund {refund_id or ''} {reason}".strip()[:200],
        debit=debit.pk,
        credit=cash.pk,
        day=timezone.localdate(now),
        actor=actor,
    )
    before = charge.state
    charge.state = ChargeState.REFUNDED
    charge.refund_id = refund_id or charge.refund_id
    charge.closed_at = now
    charge.failure_message = ""
    charge.save(update_fields=["state", "refund_id", "closed_at", "failure_message"])
    audit_record(
        actor=actor,
        action="payments.charge.refund",
        obj=charge,
        organization_id=charge.brand_id,
        changes={"state": [before, ChargeState.REFUNDED], "refund_id": refund_id, "reason": reason},
    )
    return True


def slot_fees_release_due(*, now: datetime | None = None) -> dict[str, int]:
    """Beat task body: release the held slot fees of sessions that aired, refund those of cancelled
    sessions. Idempotent; one charge's failure does not stop the others."""
    now = now or timezone.now()
    held = BrandCharge.objects.filter(kind=ChargeKind.SLOT_FEE, state=ChargeState.HELD)
    due = list(
        held.filter(live_session__state=SESSION_SCHEDULED, live_session__ends_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    cancelled = list(held.filter(live_session__state=SESSION_CANCELLED).order_by("pk").values_list("pk", flat=True))
    counts = {"released": 0, "refunded": 0, "failed": 0}
    for charge_id in due:
        try:
            slot_fee_release(charge_id=charge_id)
            counts["released"] += 1
        except DomainError as exc:
            logger.warning("slot fee %s not released: %s", charge_id, exc.message)
            counts["failed"] += 1
    for charge_id in cancelled:
        try:
            charge_refund(charge_id=charge_id, reason="直播取消 / session cancelled")
            counts["refunded"] += 1
        except (DomainError, PaymentRailError) as exc:
            logger.warning("slot fee %s not refunded: %s", charge_id, exc)
            counts["failed"] += 1
    return counts
