"""Connect transfers to payees and their reversals (docs/domain.md section 5 step 9).

These services move money at Stripe only; they post nothing to the ledger. The caller (settlement)
posts its payout entries and listens to `transfer_status_changed` for what Stripe reports later (a
transfer whose response was lost, a reversal, the pre-2017 `transfer.failed`). A transfer is `paid`
once Stripe created it (ADR 0011). The row is
written before the call, under the caller's idempotency key, and the same key goes to Stripe in the
Idempotency-Key header, so a retry after a lost response makes no second transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.payments.common import check_amount, check_key, logger
from shuxuan.payments.models import ConnectedAccount, StripeTransfer, StripeTransferReversal, TransferStatus
from shuxuan.payments.rail import rail_error, stripe_client
from shuxuan.payments.signals import transfer_status_changed

# Metadata keys Shuxuan adds, so that an event about a transfer whose response was lost still finds its row.
KEY_METADATA = "shuxuan_key"
REFERENCE_METADATA = "shuxuan_reference"


@dataclass(frozen=True, slots=True)
class TransferRecord:
    id: int
    stripe_transfer_id: str | None
    reference: str
    destination: str
    amount_minor: int
    amount_reversed_minor: int
    currency: str
    transfer_group: str
    status: str
    failure_code: str
    failure_message: str
    idempotency_key: str

    @classmethod
    def of(cls, transfer: StripeTransfer) -> TransferRecord:
        return cls(
            id=transfer.pk,
            stripe_transfer_id=transfer.stripe_transfer_id,
            reference=transfer.reference,
            destination=transfer.destination,
            amount_minor=transfer.amount_minor,
            amount_reversed_minor=transfer.amount_reversed_minor,
            currency=transfer.currency,
            transfer_group=transfer.transfer_group,
            status=transfer.status,
            failure_code=transfer.failure_code,
            failure_message=transfer.failure_message,
            idempotency_key=transfer.idempotency_key,
        )


@dataclass(frozen=True, slots=True)
class ReversalRecord:
    id: int
    stripe_reversal_id: str | None
    stripe_transfer_id: str
    reference: str
    amount_minor: int
    currency: str
    status: str
    failure_code: str
    failure_message: str
    idempotency_key: str | None

    @classmethod
    def of(cls, reversal: StripeTransferReversal) -> ReversalRecord:
        return cls(
            id=reversal.pk,
            stripe_reversal_id=reversal.stripe_reversal_id,
            stripe_transfer_id=reversal.transfer.stripe_transfer_id or "",
            reference=reversal.reference,
            amount_minor=reversal.amount_minor,
            currency=reversal.currency,
            status=reversal.status,
            failure_code=reversal.failure_code,
            failure_message=reversal.failure_message,
            idempotency_key=reversal.idempotency_key,
        )


def payee_organization_id(destination: str) -> int | None:
    """The organization that owns a connected account (an anchor's managing organization), if known."""
    account = ConnectedAccount.objects.filter(stripe_account_id=destination).select_related("anchor").first()
    if account is None:
        return None
    return account.organization_id if account.organization_id else account.anchor.organization_id  # type: ignore[union-attr]


def connect_transfer_create(
    *,
    reference: str,
    destination: str,
    amount_minor: int,
    currency: str,
    transfer_group: str,
    idempotency_key: str,
    metadata: dict[str, str],
) -> TransferRecord:
    """Transfer `amount_minor` of `currency` from the platform's Stripe balance to `destination`.

    The same key again answers the same transfer without a second one (with other arguments it is a
    409). Stripe refusing or unreachable: the row is stored `failed` and PaymentRailError is raised.
    A transfer Stripe created is `paid`: Stripe moves the funds to the connected account's balance
    when it answers (transfers have no pending state; ADR 0011). `pending` is a transfer asked for
    whose answer has not come (a lost response: the `transfer.created` event, matched by our key
    in the metadata, makes it paid)."""
    key = check_key(idempotency_key)
    check_amount(amount_minor, currency)
    if not isinstance(destination, str) or not destination.startswith("acct_"):
        raise DomainError("收款方须为 Stripe 关联账户 acct_… / destination must be a connected account id", field="destination")
    if not reference or len(reference) > 200:
        raise DomainError("reference 须为 1–200 个字符 / reference must be 1–200 characters", field="reference")
    if any(not isinstance(k, str) or not isinstance(v, str) for k, v in metadata.items()):
        raise DomainError("metadata 的键和值须为字符串 / metadata keys and values must be strings", field="metadata")
    wanted = {
        "reference": reference,
        "destination": destination,
        "amount_minor": amount_minor,
        "currency": currency,
        "transfer_group": transfer_group or "",
    }
    with transaction.atomic(durable=True):
        transfer, created = _get_or_create(StripeTransfer, key, {**wanted, "metadata": metadata})
        if not created:
            _same_request(transfer, wanted, key)
            if transfer.stripe_transfer_id:
                return TransferRecord.of(transfer)
        else:
            audit_record(
                actor=None,
                action="payments.transfer.request",
                obj=transfer,
                organization_id=payee_organization_id(destination),
                changes={"reference": reference, "amount_minor": amount_minor, "currency": currency, "destination": destination},
            )
    params: dict[str, Any] = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "destination": destination,
        "metadata": {**metadata, KEY_METADATA: key, REFERENCE_METADATA: reference},
    }
    if transfer_group:
        params["transfer_group"] = transfer_group
    try:
        result = stripe_client().v1.transfers.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        error = rail_error(exc)
        _mark_failed(StripeTransfer, transfer.pk, code=error.code, message=error.message, action="payments.transfer.fail")
        raise error from exc
    with transaction.atomic(durable=True):
        transfer = StripeTransfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.stripe_transfer_id is None:  # an event may have matched it first
            transfer.stripe_transfer_id = result.id
            if transfer.status in (TransferStatus.PENDING, TransferStatus.FAILED):
                transfer.status = TransferStatus.PAID
            transfer.failure_code = transfer.failure_message = ""
            transfer.save(update_fields=["stripe_transfer_id", "status", "failure_code", "failure_message", "updated_at"])
            audit_record(
                actor=None,
                action="payments.transfer.create",
                obj=transfer,
                organization_id=payee_organization_id(destination),
                changes={"stripe_transfer_id": result.id, "status": transfer.status},
            )
    return TransferRecord.of(transfer)


def connect_transfer_reverse(*, transfer_id: str, amount_minor: int, idempotency_key: str, reference: str) -> ReversalRecord:
    """Reverse `amount_minor` of transfer `transfer_id` (tr_…) back to the platform's balance.

    Idempotent by key like `connect_transfer_create`; Stripe's refusal is stored `failed` and raised
    as PaymentRailError. The transfer is `reversed` once nothing of it remains."""
    key = check_key(idempotency_key)
    transfer = StripeTransfer.objects.filter(stripe_transfer_id=transfer_id).first()
    if transfer is None:
        raise DomainError(f"没有这笔转账 / no transfer {transfer_id!r} was made here", field="transfer_id", code="not_found")
    check_amount(amount_minor, transfer.currency)
    wanted = {"transfer_id": transfer.pk, "amount_minor": amount_minor, "currency": transfer.currency, "reference": reference}
    with transaction.atomic(durable=True):
        reversal, created = _get_or_create(StripeTransferReversal, key, wanted)
        if not created:
            _same_request(reversal, wanted, key)
            if reversal.stripe_reversal_id:
                return ReversalRecord.of(reversal)
        else:
            transfer = StripeTransfer.objects.select_for_update().get(pk=transfer.pk)
            if amount_minor > transfer.amount_minor - transfer.amount_reversed_minor:
                remaining = transfer.amount_minor - transfer.amount_reversed_minor
                raise Conflict(
                    f"冲回金额超过转账余额 / only {remaining} of the transfer remains",
                    field="amount_minor",
                )
            audit_record(
                actor=None,
                action="payments.transfer_reversal.request",
                obj=reversal,
                organization_id=payee_organization_id(transfer.destination),
                changes={"transfer": transfer_id, "amount_minor": amount_minor, "reference": reference},
            )
    try:
        result = stripe_client().v1.transfers.reversals.create(
            transfer_id,
            params={"amount": amount_minor, "metadata": {KEY_METADATA: key, REFERENCE_METADATA: reference}},
            options={"idempotency_key": key},
        )
    except stripe.StripeError as exc:
        error = rail_error(exc)
        _mark_failed(
            StripeTransferReversal, reversal.pk, code=error.code, message=error.message, action="payments.transfer_reversal.fail"
        )
        raise error from exc
    with transaction.atomic(durable=True):
        transfer = StripeTransfer.objects.select_for_update().get(pk=transfer.pk)
        reversal = StripeTransferReversal.objects.select_for_update().get(pk=reversal.pk)
        if reversal.stripe_reversal_id is None:
            reversal.stripe_reversal_id = result.id
            reversal.status = TransferStatus.REVERSED
            reversal.failure_code = reversal.failure_message = ""
            reversal.save(update_fields=["stripe_reversal_id", "status", "failure_code", "failure_message", "updated_at"])
            audit_record(
                actor=None,
                action="payments.transfer_reversal.create",
                obj=reversal,
                organization_id=payee_organization_id(transfer.destination),
                changes={"stripe_reversal_id": result.id},
            )
            _sync_reversed_amount(transfer)
    return ReversalRecord.of(reversal)


def connect_transfer_refresh(*, transfer_id: str) -> TransferRecord:
    """Read transfer `transfer_id` (tr_…) from Stripe and apply it as an event would (for a missed
    webhook). Fires `transfer_status_changed` with event_type "transfer.refreshed" if it changed."""
    if not StripeTransfer.objects.filter(stripe_transfer_id=transfer_id).exists():
        raise DomainError(f"没有这笔转账 / no transfer {transfer_id!r} was made here", field="transfer_id", code="not_found")
    try:
        obj = stripe_client().v1.transfers.retrieve(transfer_id).to_dict()
    except stripe.StripeError as exc:
        raise rail_error(exc) from exc
    with transaction.atomic(durable=True):
        transfer_apply_event(obj=obj, event_type=REFRESHED)
    return TransferRecord.of(StripeTransfer.objects.get(stripe_transfer_id=transfer_id))


def _get_or_create(model: Any, key: str, values: dict[str, Any]) -> tuple[Any, bool]:
    row = model.objects.select_for_update().filter(idempotency_key=key).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return model.objects.create(idempotency_key=key, **values), True
    except IntegrityError:
        return model.objects.select_for_update().get(idempotency_key=key), False


def _same_request(row: Any, wanted: dict[str, Any], key: str) -> None:
    differing = sorted(name for name, value in wanted.items() if getattr(row, name) != value)
    if differing:
        raise Conflict(
            f"幂等键 {key} 已用于不同的请求 / idempotency key already used with other {', '.join(differing)}",
            field="idempotency_key",
            code="idempotency_conflict",
        )


def _mark_failed(model: Any, pk: int, *, code: str, message: str, action: str) -> None:
    with transaction.atomic(durable=True):
        row = model.objects.select_for_update().get(pk=pk)
        if _stripe_id(row):
            return  # Stripe made it after all (an event told us); a late error does not undo that
        row.status = TransferStatus.FAILED
        row.failure_code = code[:64]
        row.failure_message = message
        row.save(update_fields=["status", "failure_code", "failure_message", "updated_at"])
        transfer = row if isinstance(row, StripeTransfer) else row.transfer
        audit_record(
            actor=None,
            action=action,
            obj=row,
            organization_id=payee_organization_id(transfer.destination),
            changes={"status": TransferStatus.FAILED, "failure_code": code, "failure_message": message},
        )


def _stripe_id(row: Any) -> str | None:
    return row.stripe_transfer_id if isinstance(row, StripeTransfer) else row.stripe_reversal_id


def _sync_reversed_amount(transfer: StripeTransfer) -> bool:
    """Recompute the reversed amount from the reversals Stripe made; `reversed` once nothing remains.
    Runs with the transfer row locked. True when the transfer changed."""
    reversed_minor = transfer.reversals.filter(status=TransferStatus.REVERSED).aggregate(total=Sum("amount_minor"))["total"] or 0
    status = TransferStatus.REVERSED if reversed_minor >= transfer.amount_minor else transfer.status
    if reversed_minor == transfer.amount_reversed_minor and status == transfer.status:
        return False
    before = transfer.status
    transfer.amount_reversed_minor = min(reversed_minor, transfer.amount_minor)
    transfer.status = status
    transfer.save(update_fields=["amount_reversed_minor", "status", "updated_at"])
    audit_record(
        actor=None,
        action="payments.transfer.reversed_amount",
        obj=transfer,
        organization_id=payee_organization_id(transfer.destination),
        changes={"amount_reversed_minor": transfer.amount_reversed_minor, "status": [before, transfer.status]},
    )
    return True


# Webhooks -----------------------------------------------------------------------------------------

TERMINAL = {TransferStatus.REVERSED}
REFRESHED = "transfer.refreshed"  # not a Stripe event: our own read of the transfer


def transfer_apply_event(*, obj: dict[str, Any], event_type: str) -> str:
    """Bring our row in step with the transfer object of a Stripe event (inside the event's
    transaction). Fires `transfer_status_changed` after commit when the status changed or a
    reversal was recorded."""
    transfer = (
        StripeTransfer.objects.select_for_update()
        .filter(_by_id_or_key("stripe_transfer_id", obj["id"], (obj.get("metadata") or {}).get(KEY_METADATA)))
        .order_by("id")
        .first()
    )
    if transfer is None:
        return f"unknown transfer {obj['id']}"
    changed = False
    before = transfer.status
    if transfer.stripe_transfer_id is None:
        transfer.stripe_transfer_id = obj["id"]
        transfer.save(update_fields=["stripe_transfer_id", "updated_at"])
    for data in (obj.get("reversals") or {}).get("data") or []:
        changed |= _record_reversal(transfer, data)
    if changed:
        _sync_reversed_amount(transfer)
    current = transfer.status
    target = _status_from(obj, event_type, current=current)
    if target != current:
        transfer.status = target
        if target == TransferStatus.FAILED:
            transfer.failure_code = str(obj.get("failure_code") or "transfer_failed")[:64]
            transfer.failure_message = str(obj.get("failure_message") or "Stripe reported the transfer failed")
        elif target == TransferStatus.PAID:
            transfer.failure_code = transfer.failure_message = ""
        transfer.save(update_fields=["status", "failure_code", "failure_message", "updated_at"])
        audit_record(
            actor=None,
            action=f"payments.transfer.{target}",
            obj=transfer,
            organization_id=payee_organization_id(transfer.destination),
            changes={"status": [current, target], "event": event_type},
        )
        changed = True
    if changed:
        _notify_after_commit(transfer.pk, event_type)
        return f"transfer {transfer.pk}: {before} -> {transfer.status}"
    return f"transfer {transfer.pk}: unchanged ({transfer.status})"


def _by_id_or_key(id_field: str, stripe_id: str, key: str | None) -> Q:
    """Our row for a Stripe object: by its id, or by the key we put in its metadata (lost response)."""
    match = Q(**{id_field: stripe_id})
    return match | Q(idempotency_key=key) if key else match


def _status_from(obj: dict[str, Any], event_type: str, *, current: str) -> str:
    if current in TERMINAL:
        return current
    amount = int(obj.get("amount") or 0)
    if obj.get("reversed") or (amount and int(obj.get("amount_reversed") or 0) >= amount):
        return TransferStatus.REVERSED
    if event_type == "transfer.failed" or obj.get("status") == "failed":
        return TransferStatus.FAILED
    if current == TransferStatus.FAILED and event_type not in {"transfer.created", "transfer.paid"}:
        return current
    return TransferStatus.PAID


def _record_reversal(transfer: StripeTransfer, data: dict[str, Any]) -> bool:
    """A reversal listed on the transfer: match ours by key or id, or record one made elsewhere."""
    key = (data.get("metadata") or {}).get(KEY_METADATA)
    reversal = (
        StripeTransferReversal.objects.select_for_update()
        .filter(_by_id_or_key("stripe_reversal_id", data["id"], key))
        .order_by("id")
        .first()
    )
    if reversal is None:
        reversal = StripeTransferReversal.objects.create(
            transfer=transfer,
            stripe_reversal_id=data["id"],
            amount_minor=int(data["amount"]),
            currency=str(data.get("currency") or transfer.currency).upper(),
            status=TransferStatus.REVERSED,
            reference="stripe",
        )
        audit_record(
            actor=None,
            action="payments.transfer_reversal.seen",
            obj=reversal,
            organization_id=payee_organization_id(transfer.destination),
            changes={"stripe_reversal_id": data["id"], "amount_minor": reversal.amount_minor},
        )
        return True
    if reversal.status == TransferStatus.REVERSED and reversal.stripe_reversal_id == data["id"]:
        return False
    before = reversal.status
    reversal.stripe_reversal_id = data["id"]
    reversal.status = TransferStatus.REVERSED
    reversal.failure_code = reversal.failure_message = ""
    reversal.save(update_fields=["stripe_reversal_id", "status", "failure_code", "failure_message", "updated_at"])
    audit_record(
        actor=None,
        action="payments.transfer_reversal.reversed",
        obj=reversal,
        organization_id=payee_organization_id(transfer.destination),
        changes={"status": [before, reversal.status], "stripe_reversal_id": data["id"]},
    )
    return True


def _notify_after_commit(transfer_pk: int, event_type: str) -> None:
    def send() -> None:
        transfer = StripeTransfer.objects.get(pk=transfer_pk)
        for receiver, response in transfer_status_changed.send_robust(
            sender=StripeTransfer, transfer=transfer, event_type=event_type
        ):
            if isinstance(response, Exception):
                logger.error(
                    "transfer_status_changed receiver %r failed for transfer %s", receiver, transfer_pk, exc_info=response
                )

    transaction.on_commit(send)
