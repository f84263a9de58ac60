"""Payouts of approved statements, over a rail: a bank batch-transfer file, or Stripe Connect.

A payout pays what the operator owes the party now (never more than the statement's closing), if
that reaches the minimum and the payee is not on hold. It is posted to the ledger only when the
rail confirms the money moved (Dr the party's payable, Cr the operator's cash; ADR 0011): for the
bank, when the bank's result file says 成功; for Stripe, when the transfer exists — Stripe's answer
to the create call, or, if that answer was lost, its `transfer.created` event. Until then a payout
is pending (not sent) or sent (in flight). A failed payout posts nothing and can be retried as a
new attempt with its own idempotency key.

What Stripe reports later unwinds exactly once: each reversal of a paid transfer posts Dr cash,
Cr the party's payable under a key of its own (the reversal's), and the pre-2017 `transfer.failed`
reverses the payout's entry (key "reverse:<entry>"); once reversals not made by a clawback reach the
whole amount, or the transfer failed, the payout is failed and can be retried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.money import to_major_str
from shuxuan.ledger.facade import AccountType, PostingSpec, account_balance, account_get_or_create, entry_post_within
from shuxuan.parties.models import User
from shuxuan.payments.facade import StripeTransfer, StripeTransferReversal, TransferStatus
from shuxuan.settlement.accounts import operator_organization_id
from shuxuan.settlement.models import (
    Payee,
    PayeeKind,
    Payout,
    PayoutState,
    Rail,
    Statement,
    StatementState,
)
from shuxuan.settlement.selectors import live_payout_of
from shuxuan.settlement.statements import advance_open


def payee_for(statement: Statement) -> Payee | None:
    if statement.anchor_id is not None:
        return Payee.objects.filter(anchor_id=statement.anchor_id).first()
    if statement.organization_id is not None:
        return Payee.objects.filter(organization_id=statement.organization_id).first()
    return None


def payee_set(*, actor: User, data: dict[str, Any]) -> Payee:
    """Create or change how a party is paid (operator finance)."""
    org_id, anchor_id = data.get("organization"), data.get("anchor")
    if (org_id is None) == (anchor_id is None):
        raise DomainError("请指定机构或主播之一 / give exactly one of organization and anchor", field="organization")
    rail = data.get("rail", Rail.BANK)
    if rail not in Rail.values:
        raise DomainError(f"未知支付通道 {rail!r} / unknown rail", field="rail")
    if rail == Rail.BANK and not (data.get("bank_account_number") and data.get("bank_account_name")):
        raise DomainError(
            "银行代付须填写户名和账号 / the bank rail needs an account name and number", field="bank_account_number"
        )
    if rail == Rail.STRIPE and not str(data.get("stripe_account_id", "")).startswith("acct_"):
        raise DomainError(
            "Stripe 收款账户须为 acct_… / the Stripe rail needs a connected account acct_…", field="stripe_account_id"
        )
    fields = {
        key: data.get(key, "")
        for key in ("bank_account_name", "bank_account_number", "bank_name", "stripe_account_id", "hold_reason")
    }
    with transaction.atomic():
        payee, created = Payee.objects.update_or_create(
            organization_id=org_id,
            anchor_id=anchor_id,
            defaults={
                "payee_kind": PayeeKind.ORGANIZATION if org_id else PayeeKind.ANCHOR,
                "rail": rail,
                "on_hold": bool(data.get("on_hold", False)),
                **fields,
            },
        )
        audit_record(
            actor=actor,
            action="settlement.payee_set",
            obj=payee,
            organization_id=actor.organization_id,
            changes={"rail": rail, "on_hold": payee.on_hold, "created": created},
        )
    return payee


def _in_flight(account_id: int) -> int:
    total = Payout.objects.filter(account_id=account_id, state__in=[PayoutState.PENDING, PayoutState.SENT]).aggregate(
        total=Sum("amount_minor")
    )["total"]
    return int(total or 0)


@dataclass
class PayoutPlan:
    created: list[Payout] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def payouts_create(*, statement_ids: list[int], actor: User) -> PayoutPlan:
    """Create pending payouts for approved statements; say why each other statement was skipped."""
    plan = PayoutPlan()
    minimum = settings.SETTLEMENT_MIN_PAYOUT_MINOR
    with transaction.atomic(durable=True):
        statements = list(Statement.objects.select_for_update().filter(pk__in=statement_ids).order_by("id"))
        found = {s.pk for s in statements}
        for missing in sorted(set(statement_ids) - found):
            plan.skipped.append({"statement": missing, "reason": "结算单不存在 / no such statement"})
        for statement in statements:
            reason = ""
            payee = payee_for(statement)
            owed = -account_balance(account_id=statement.account_id) - _in_flight(statement.account_id)
            amount = min(owed, statement.closing_minor)
            if statement.state != StatementState.APPROVED:
                reason = "结算单未审批 / the statement is not approved"
            elif live := live_payout_of(statement.pk):
                state = PayoutState(live.state)
                reason = f"已有付款 #{live.pk}（{state.label}）/ the statement already has payout #{live.pk} ({state.value})"
            elif payee is None:
                reason = "未登记收款方式 / no payee details (bank account or Stripe account)"
            elif payee.on_hold:
                reason = f"收款方已冻结 / the payee is on hold: {payee.hold_reason}"
            elif amount < minimum:
                reason = (
                    f"应付 {to_major_str(max(amount, 0), statement.currency)} 低于最低付款额 "
                    f"{to_major_str(minimum, statement.currency)} / below the minimum payout"
                )
            if reason:
                plan.skipped.append({"statement": statement.pk, "reason": reason})
                continue
            assert payee is not None
            attempt = Payout.objects.filter(statement=statement).count() + 1
            payout = Payout.objects.create(
                statement=statement,
                account_id=statement.account_id,
                rail=payee.rail,
                amount_minor=amount,
                currency=statement.currency,
                attempt=attempt,
                idempotency_key=f"payout:statement:{statement.pk}:attempt:{attempt}",
            )
            audit_record(
                actor=actor,
                action="settlement.payout_created",
                obj=payout,
                organization_id=actor.organization_id,
                changes={"amount_minor": amount, "rail": payee.rail, "statement": statement.pk},
            )
            plan.created.append(payout)
    return plan


def payout_retry(*, payout_id: int, actor: User) -> Payout:
    """A failed payout again, as a new attempt."""
    failed = Payout.objects.filter(pk=payout_id).first()
    if failed is None:
        raise DomainError("付款不存在 / no such payout", field="payout")
    if failed.state != PayoutState.FAILED:
        raise Conflict("只有失败的付款可以重试 / only a failed payout can be retried", field="payout")
    plan = payouts_create(statement_ids=[failed.statement_id], actor=actor)
    if not plan.created:
        raise Conflict(plan.skipped[0]["reason"], field="payout")
    return plan.created[0]


def _post_paid(payout: Payout, actor: User | None) -> int:
    """Dr the party's payable, Cr the operator's cash."""

    cash = account_get_or_create(organization_id=operator_organization_id(), type=AccountType.CASH, currency=payout.currency)
    entry = entry_post_within(
        idempotency_key=f"{payout.idempotency_key}:paid",
        source_type="settlement.payout",
        source_id=str(payout.pk),
        effective_date=timezone.localdate(),
        memo=f"付款 #{payout.pk}（{Rail(payout.rail).label}）/ payout #{payout.pk}",
        postings=[
            PostingSpec(account_id=payout.account_id, amount=payout.amount_minor, currency=payout.currency),
            PostingSpec(account_id=cash.pk, amount=-payout.amount_minor, currency=payout.currency),
        ],
        actor=actor,
    )
    return entry.pk


def payout_mark(*, payout: Payout, paid: bool, external_id: str = "", reason: str = "", actor: User | None) -> Payout:
    """Record a rail's answer for a sent payout (inside the caller's transaction)."""
    if payout.state in (PayoutState.PAID, PayoutState.FAILED):
        return payout
    if paid:
        payout.entry_id = _post_paid(payout, actor)
        payout.state = PayoutState.PAID
    else:
        payout.state = PayoutState.FAILED
        payout.failure_reason = (reason or "失败 / failed")[:300]
    payout.external_id = external_id[:64] or payout.external_id
    payout.save(update_fields=["entry_id", "state", "failure_reason", "external_id", "updated_at"])
    audit_record(
        actor=actor,
        action="settlement.payout_paid" if paid else "settlement.payout_failed",
        obj=payout,
        organization_id=getattr(actor, "organization_id", None),
        changes={"amount_minor": payout.amount_minor, "external_id": payout.external_id, "reason": payout.failure_reason},
    )
    return payout


# The bank batch-transfer rail ---------------------------------------------------------------------


def payout_send_stripe(*, payout_id: int, actor: User | None) -> Payout:
    """Send a pending Stripe payout as a Connect transfer (idempotency key = the payout's key,
    transfer group = the statement). The payout is `sent` while the call is out; the call is made
    outside any transaction and its answer recorded in one: paid (posted) when Stripe made the
    transfer, failed with Stripe's message when it refused. When Stripe could not be reached or
    failed (a 502), the transfer may exist: the payout stays `sent`, and sending it again (same key,
    so never a second transfer) or Stripe's `transfer.created` event settles it."""
    from shuxuan.payments.facade import PaymentRailError, connect_transfer_create

    payout = Payout.objects.select_related("statement").filter(pk=payout_id).first()
    if payout is None:
        raise DomainError("付款不存在 / no such payout", field="payout")
    if payout.rail != Rail.STRIPE:
        raise DomainError("银行付款通过批量文件发送 / bank payouts go out in a batch file", field="payout")
    if payout.state not in (PayoutState.PENDING, PayoutState.SENT):
        return payout
    payee = payee_for(payout.statement)
    if payee is None or not payee.stripe_account_id:
        raise DomainError("收款方没有 Stripe 账户 / the payee has no connected account", field="payout")
    with transaction.atomic(durable=True):
        Payout.objects.filter(pk=payout.pk, state=PayoutState.PENDING).update(state=PayoutState.SENT, updated_at=timezone.now())
    try:
        record = connect_transfer_create(
            reference=payout.idempotency_key,
            destination=payee.stripe_account_id,
            amount_minor=payout.amount_minor,
            currency=payout.currency,
            transfer_group=f"statement-{payout.statement_id}",
            idempotency_key=payout.idempotency_key,
            metadata={"payout": str(payout.pk), "statement": str(payout.statement_id)},
        )
    except PaymentRailError as exc:
        with transaction.atomic(durable=True):
            locked = Payout.objects.select_for_update().get(pk=payout.pk)
            if exc.status_code == 502:  # no answer we can trust: the transfer may have been made
                return _outcome_unknown(locked, str(exc.message), actor)
            return payout_mark(payout=locked, paid=False, reason=str(exc.message), actor=actor)
    with transaction.atomic(durable=True):
        locked = Payout.objects.select_for_update().get(pk=payout.pk)
        return payout_mark(payout=locked, paid=True, external_id=record.stripe_transfer_id or "", actor=actor)


def _outcome_unknown(payout: Payout, message: str, actor: User | None) -> Payout:
    payout.failure_reason = f"结果未知，可再次发送 / outcome unknown, send again: {message}"[:300]
    payout.save(update_fields=["failure_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="settlement.payout_outcome_unknown",
        obj=payout,
        organization_id=getattr(actor, "organization_id", None),
        changes={"reason": payout.failure_reason},
    )
    return payout


def stripe_transfer_changed(*, transfer: StripeTransfer) -> Payout | None:
    """Apply what Stripe reports about a payout's transfer (after the event's commit), once:

    - the transfer exists (paid or reversed) and the payout is still pending or sent (the create
      call's answer was lost): the payout is paid and posted;
    - each reversal Stripe made: Dr cash, Cr the party's payable, keyed by the reversal (our
      clawbacks' reversals carry the key their clawback entry was posted with, so they post once
      between the two paths); when the reversals other than clawbacks reach the whole amount the
      payout is failed, so it can be retried;
    - the pre-2017 `transfer.failed`: the payout's entry is reversed and the payout failed."""
    from shuxuan.ledger.facade import entry_reverse

    payout = Payout.objects.filter(idempotency_key=transfer.reference, rail=Rail.STRIPE).first()
    if payout is None:
        return None
    if transfer.status == TransferStatus.FAILED:
        if payout.entry_id and transfer.stripe_transfer_id:
            entry_reverse(
                entry_id=payout.entry_id, effective_date=timezone.localdate(), memo=f"付款 #{payout.pk} 失败冲回", actor=None
            )
        with transaction.atomic(durable=True):
            locked = Payout.objects.select_for_update().get(pk=payout.pk)
            return _payout_failed(locked, transfer.failure_message or "Stripe 转账失败 / the transfer failed")
    if transfer.status not in (TransferStatus.PAID, TransferStatus.REVERSED) or not transfer.stripe_transfer_id:
        return payout
    with transaction.atomic(durable=True):
        locked = Payout.objects.select_for_update().get(pk=payout.pk)
        if locked.state in (PayoutState.PENDING, PayoutState.SENT):
            payout_mark(payout=locked, paid=True, external_id=transfer.stripe_transfer_id, actor=None)
        if locked.entry_id is None:
            return locked  # failed before Stripe's word came, and never posted: nothing to unwind
        external = 0
        for reversal in transfer.reversals.filter(status=TransferStatus.REVERSED).order_by("id"):
            _post_reversal(locked, reversal)
            if not _is_clawback(locked, reversal):
                external += reversal.amount_minor
        if external >= locked.amount_minor and locked.state != PayoutState.FAILED:
            _payout_failed(locked, "Stripe 转账已冲回 / the transfer was reversed at Stripe")
        return locked


CLAWBACK_KEY = "{payout_key}:reverse:run:"


def _is_clawback(payout: Payout, reversal: StripeTransferReversal) -> bool:
    return (reversal.idempotency_key or "").startswith(CLAWBACK_KEY.format(payout_key=payout.idempotency_key))


def _post_reversal(payout: Payout, reversal: StripeTransferReversal) -> None:
    """Dr the operator's cash, Cr the party's payable, by the reversal's amount: the money came back.
    Keyed by the reversal, so every report of it posts once."""

    clawback = _is_clawback(payout, reversal)
    key = reversal.idempotency_key if clawback else f"{payout.idempotency_key}:reversal:{reversal.stripe_reversal_id}"
    cash = account_get_or_create(organization_id=operator_organization_id(), type=AccountType.CASH, currency=payout.currency)
    asked_at = timezone.now()
    entry = entry_post_within(
        idempotency_key=str(key),
        source_type="settlement.clawback" if clawback else "settlement.payout_reversal",
        source_id=reversal.reference.rsplit(":", 1)[-1] if clawback else str(payout.pk),
        effective_date=timezone.localdate(),
        memo=f"Stripe 冲回付款 #{payout.pk}（{reversal.stripe_reversal_id}）/ transfer reversal of payout #{payout.pk}",
        postings=[
            PostingSpec(account_id=cash.pk, amount=reversal.amount_minor, currency=payout.currency),
            PostingSpec(account_id=payout.account_id, amount=-reversal.amount_minor, currency=payout.currency),
        ],
        actor=None,
    )
    if not clawback and entry.created_at >= asked_at:  # posted now, not an earlier report's entry
        audit_record(
            actor=None,
            action="settlement.payout_reversed",
            obj=payout,
            organization_id=None,
            changes={"reversal": reversal.stripe_reversal_id, "amount_minor": reversal.amount_minor, "entry": entry.pk},
        )


def _payout_failed(payout: Payout, reason: str) -> Payout:
    if payout.state == PayoutState.FAILED:
        return payout
    payout.state = PayoutState.FAILED
    payout.failure_reason = reason[:300]
    payout.save(update_fields=["state", "failure_reason", "updated_at"])
    audit_record(
        actor=None,
        action="settlement.payout_failed",
        obj=payout,
        organization_id=None,
        changes={"reason": payout.failure_reason, "via": "stripe webhook"},
    )
    return payout


def clawbacks_recover(*, run_id: int, actor: User | None) -> dict[str, int]:
    """After a run: for each party that now owes the operator and was paid over Stripe, reverse
    (part of) its latest transfers; a reversal Stripe refuses becomes an advance (垫付)."""
    from shuxuan.payments.facade import PaymentRailError, connect_transfer_reverse

    result = {"reversed": 0, "advanced": 0}
    for statement in Statement.objects.filter(run_id=run_id, closing_minor__lt=0).order_by("id"):
        payee = payee_for(statement)
        owed_by_party = account_balance(account_id=statement.account_id)  # debit: the party owes
        if payee is None or payee.rail != Rail.STRIPE or owed_by_party <= 0:
            continue
        paid = Payout.objects.filter(account_id=statement.account_id, rail=Rail.STRIPE, state=PayoutState.PAID).order_by("-id")
        for payout in paid:
            if owed_by_party <= 0:
                break
            amount = min(owed_by_party, payout.amount_minor)
            try:
                connect_transfer_reverse(
                    transfer_id=payout.external_id,
                    amount_minor=amount,
                    idempotency_key=f"{payout.idempotency_key}:reverse:run:{run_id}",
                    reference=f"clawback:statement:{statement.pk}",
                )
            except PaymentRailError as exc:
                advance_open(statement_id=statement.pk, actor=actor, reason=f"Stripe 冲回失败 / reversal refused: {exc.message}")
                result["advanced"] += 1
                break
            with transaction.atomic(durable=True):
                cash = account_get_or_create(
                    organization_id=operator_organization_id(), type=AccountType.CASH, currency=statement.currency
                )
                entry_post_within(
                    idempotency_key=f"{payout.idempotency_key}:reverse:run:{run_id}",
                    source_type="settlement.clawback",
                    source_id=str(statement.pk),
                    effective_date=timezone.localdate(),
                    memo=f"Stripe 冲回付款 #{payout.pk} / transfer reversal for statement #{statement.pk}",
                    postings=[
                        PostingSpec(account_id=cash.pk, amount=amount, currency=statement.currency),
                        PostingSpec(account_id=statement.account_id, amount=-amount, currency=statement.currency),
                    ],
                    actor=actor,
                )
                audit_record(
                    actor=actor,
                    action="settlement.clawback_reversed",
                    obj=statement,
                    organization_id=None,
                    changes={"payout": payout.pk, "amount_minor": amount},
                )
            owed_by_party -= amount
            result["reversed"] += 1
    return result


__all__ = [
    "PayoutPlan",
    "clawbacks_recover",
    "payee_for",
    "payee_set",
    "payout_mark",
    "payout_retry",
    "payout_send_stripe",
    "payouts_create",
    "stripe_transfer_changed",
]
