"""Payees' Stripe Connect accounts, registered by operator finance and kept in step by events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe
from django.db import IntegrityError, transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.facade import anchor_exists, anchor_organization_id
from shuxuan.parties.models import Organization
from shuxuan.payments.models import ConnectedAccount, StripePayout
from shuxuan.payments.rail import rail_error, stripe_client

FLAGS = ("charges_enabled", "payouts_enabled", "details_submitted")


def connected_account_register(
    *, actor: Any, stripe_account_id: str, organization_id: int | None = None, anchor_id: int | None = None
) -> ConnectedAccount:
    """Link a payee to its Stripe account after Stripe confirms the account exists (its flags come
    from Stripe). An account id is linked to one payee only."""
    if (organization_id is None) == (anchor_id is None):
        raise DomainError("须指定机构或主播之一 / give exactly one of organization_id and anchor_id", field="organization_id")
    if not isinstance(stripe_account_id, str) or not stripe_account_id.startswith("acct_") or len(stripe_account_id) > 64:
        raise DomainError("Stripe 账户号形如 acct_… / a Stripe account id looks like acct_…", field="stripe_account_id")
    if organization_id is not None and not Organization.objects.filter(pk=organization_id).exists():
        raise DomainError(f"机构 {organization_id} 不存在 / unknown organization", field="organization_id")
    if anchor_id is not None and not anchor_exists(anchor_id):
        raise DomainError(f"主播 {anchor_id} 不存在 / unknown anchor", field="anchor_id")
    if ConnectedAccount.objects.filter(stripe_account_id=stripe_account_id).exists():
        raise Conflict("该 Stripe 账户已登记 / this Stripe account is already registered", field="stripe_account_id")
    try:
        account = stripe_client().v1.accounts.retrieve(stripe_account_id)
    except stripe.StripeError as exc:
        raise rail_error(exc) from exc
    data = account.to_dict()
    try:
        with transaction.atomic(durable=True):
            row = ConnectedAccount.objects.create(
                organization_id=organization_id,
                anchor_id=anchor_id,
                stripe_account_id=stripe_account_id,
                country=str(data.get("country") or "")[:2],
                default_currency=str(data.get("default_currency") or "").upper()[:3],
                created_by=actor if getattr(actor, "pk", None) else None,
                **{flag: bool(data.get(flag)) for flag in FLAGS},
            )
            audit_record(
                actor=actor,
                action="payments.connected_account.register",
                obj=row,
                organization_id=organization_id if organization_id is not None else _anchor_org(anchor_id),
                changes={"stripe_account_id": stripe_account_id, **{flag: getattr(row, flag) for flag in FLAGS}},
            )
    except IntegrityError:
        raise Conflict("该 Stripe 账户已登记 / this Stripe account is already registered", field="stripe_account_id") from None
    return row


def _anchor_org(anchor_id: int | None) -> int | None:
    if anchor_id is None:
        return None
    return anchor_organization_id(anchor_id)


def connected_account_apply_event(*, obj: dict[str, Any]) -> str:
    """`account.updated`: copy the flags (inside the event's transaction)."""
    row = ConnectedAccount.objects.select_for_update().filter(stripe_account_id=obj.get("id")).first()
    if row is None:
        return f"unknown account {obj.get('id')}"
    changes = {flag: [getattr(row, flag), bool(obj.get(flag))] for flag in FLAGS if getattr(row, flag) != bool(obj.get(flag))}
    if not changes:
        return f"account {row.pk}: unchanged"
    for flag, (_before, after) in changes.items():
        setattr(row, flag, after)
    row.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=None,
        action="payments.connected_account.update",
        obj=row,
        organization_id=row.organization_id if row.organization_id else _anchor_org(row.anchor_id),
        changes=changes,
    )
    return f"account {row.pk}: {', '.join(changes)}"


def payout_apply_event(*, obj: dict[str, Any]) -> str:
    """`payout.*` of the operator's own Stripe balance to its bank: recorded for reconciliation."""
    arrival = obj.get("arrival_date")
    values = {
        "amount_minor": int(obj.get("amount") or 0),
        "currency": str(obj.get("currency") or "").upper()[:3],
        "status": str(obj.get("status") or "")[:16],
        "arrival_date": datetime.fromtimestamp(int(arrival), tz=UTC).date() if arrival else None,
        "failure_code": str(obj.get("failure_code") or "")[:64],
        "failure_message": str(obj.get("failure_message") or ""),
    }
    payout, created = StripePayout.objects.select_for_update().get_or_create(stripe_payout_id=obj["id"], defaults=values)
    before = None if created else payout.status
    if not created:
        for name, value in values.items():
            setattr(payout, name, value)
        payout.save()
    audit_record(
        actor=None,
        action=f"payments.payout.{payout.status or 'seen'}",
        obj=payout,
        organization_id=None,
        changes={"status": [before, payout.status]},
    )
    return f"payout {payout.stripe_payout_id}: {before} -> {payout.status}"
