"""Working the exceptions queue: assign, annotate (with evidence), resolve, approve.

Resolutions (docs/decisions/0006-reconciliation.md):
- accept the bill's figure: an adjusting entry in the open period (today's), so the ledger says
  what the platform (or bank) actually did. Above RECONCILIATION_APPROVAL_THRESHOLD_MINOR it waits
  for a second, different finance user to approve; the database refuses the same person twice.
- write off: the same entry, when the difference is not worth pursuing; same approval rule.
- timing difference: nothing posted; expected to clear in the next period.
- dispute: nothing posted; raised with the platform, carried forward until settled.
Every action writes an audit row in its own transaction.

The adjusting entry: platform bills move the platform receivable by (bill net − ledger net)
against the operator's fee income (the operator bears a platform's extra deduction, or keeps an
extra payment); bank and Stripe lines (signed cash movements) move the operator's cash by the
difference against suspense, where finance clears it to its cause.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import AccountType, PostingSpec, account_get_or_create, entry_post_within, period_is_closed
from shuxuan.parties.facade import operator_organization_id
from shuxuan.parties.models import OrganizationKind, Role, User
from shuxuan.reconciliation.models import (
    PLATFORM_SOURCES,
    ExceptionNote,
    ExceptionState,
    MatchRule,
    ReconException,
    Resolution,
)
from shuxuan.reconciliation.periods import period_window
from shuxuan.reconciliation.thresholds import approval_threshold

RESOLUTION_STATE = {
    Resolution.ACCEPT: ExceptionState.ACCEPTED,
    Resolution.WRITE_OFF: ExceptionState.WRITTEN_OFF,
    Resolution.TIMING: ExceptionState.TIMING,
    Resolution.DISPUTE: ExceptionState.DISPUTED,
}
POSTING_RESOLUTIONS = (Resolution.ACCEPT, Resolution.WRITE_OFF)


def next_period(period: str) -> str:
    end = period_window(period).end
    return f"{end.year + end.month // 12:04d}-{end.month % 12 + 1:02d}"


def _require_finance(user: Any) -> None:
    organization = getattr(user, "organization", None)
    if not isinstance(user, User) or organization is None or organization.kind != OrganizationKind.OPERATOR:
        raise DomainError("只有运营方财务可以处理差异 / only the operator's finance users may do this", field="user")
    if not user.has_role(Role.FINANCE, Role.OWNER):
        raise DomainError("只有财务或负责人可以处理差异 / only finance or owners may do this", field="user")


def _lock(exception_id: int) -> ReconException:
    exception = ReconException.objects.select_for_update().filter(pk=exception_id).first()
    if exception is None:
        raise DomainError(f"差异 {exception_id} 不存在 / no such exception", field="exception_id", code="not_found")
    return exception


def adjustment_amount(exception: ReconException) -> int:
    """What the adjusting entry moves: bill − ledger, in the terms of the account it corrects."""
    detail = exception.detail or {}
    bill, ledger = detail.get("bill", {}), detail.get("ledger", {})
    if exception.source == "wechat":
        return -(int(bill.get("commission", 0)) - int(ledger.get("commission", 0)))
    return int(bill.get("net", exception.bill_net_minor)) - int(ledger.get("net", exception.ledger_net_minor))


def _postings(exception: ReconException, amount: int) -> list[PostingSpec]:
    currency = exception.currency
    operator_id = operator_organization_id()
    if exception.source in PLATFORM_SOURCES:
        receivable = account_get_or_create(platform=exception.source, type=AccountType.PLATFORM_RECEIVABLE, currency=currency)
        income = account_get_or_create(organization_id=operator_id, type=AccountType.FEE_INCOME, currency=currency)
        return [PostingSpec(receivable.pk, amount, currency), PostingSpec(income.pk, -amount, currency)]
    cash = account_get_or_create(organization_id=operator_id, type=AccountType.CASH, currency=currency)
    suspense = account_get_or_create(organization_id=operator_id, type=AccountType.SUSPENSE, currency=currency)
    return [PostingSpec(cash.pk, amount, currency), PostingSpec(suspense.pk, -amount, currency)]


def _post_adjustment(exception: ReconException, resolution: str, actor: Any) -> int | None:
    amount = adjustment_amount(exception)
    if amount == 0:
        return None
    today = timezone.localdate()
    if period_is_closed(today):
        raise DomainError("本期已关账，无法过账调整分录 / today's period is closed; reopen it to post", field="period")
    entry = entry_post_within(
        idempotency_key=f"recon:exception:{exception.pk}:{resolution}",
        source_type="reconciliation.exception",
        source_id=str(exception.pk),
        effective_date=today,
        memo=f"对账调整 {exception.get_reason_display()} {exception.source} {exception.match_key} ({resolution})"[:200],
        postings=_postings(exception, amount),
        actor=actor,
    )
    return int(entry.pk)


def _audit(actor: Any, action: str, exception: ReconException, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=f"reconciliation.exception_{action}",
        obj=exception,
        organization_id=getattr(actor, "organization_id", None),
        changes={"source": exception.source, "key": exception.match_key, "reason": exception.reason, **changes},
    )


def exception_assign(*, exception_id: int, owner_id: int | None, actor: User) -> ReconException:
    _require_finance(actor)
    with transaction.atomic():
        exception = _lock(exception_id)
        owner = None
        if owner_id is not None:
            owner = User.objects.filter(pk=owner_id).select_related("organization").first()
            if owner is None:
                raise DomainError(f"用户 {owner_id} 不存在 / no such user", field="owner")
            _require_finance(owner)
        previous = exception.owner_id
        exception.owner = owner
        exception.save(update_fields=["owner"])
        _audit(actor, "assign", exception, {"owner": owner_id, "previous_owner": previous})
    return exception


def exception_note_add(*, exception_id: int, text: str, attachment: Any = None, actor: User) -> ExceptionNote:
    _require_finance(actor)
    if not (text or "").strip() and attachment is None:
        raise DomainError("备注或附件至少填写一项 / give a note or an attachment", field="text")
    with transaction.atomic():
        exception = _lock(exception_id)
        note = ExceptionNote(exception=exception, author=actor, text=(text or "").strip())
        if attachment is not None:
            note.attachment.save(getattr(attachment, "name", "evidence"), attachment, save=False)
        note.save()
        _audit(actor, "note", exception, {"note": note.pk, "attachment": note.attachment.name or None})
    return note


def exception_resolve(*, exception_id: int, resolution: str, note: str, actor: User) -> ReconException:
    """Resolve an open exception. Accept / write-off above the threshold wait for approval."""
    _require_finance(actor)
    if resolution not in Resolution.values:
        raise DomainError(f"未知处理方式 {resolution!r} / unknown resolution", field="resolution")
    if not (note or "").strip():
        raise DomainError("请说明处理理由 / say why (note)", field="note")
    with transaction.atomic(durable=True):
        exception = _lock(exception_id)
        if exception.state != ExceptionState.OPEN:
            raise Conflict(f"差异状态为 {exception.get_state_display()}，不可处理 / not open", field="state")
        previous = exception.state
        exception.resolution = resolution
        exception.resolution_note = note.strip()
        exception.requested_by = actor
        if resolution in POSTING_RESOLUTIONS and abs(adjustment_amount(exception)) > approval_threshold():
            exception.state = ExceptionState.PENDING_APPROVAL
        else:
            if resolution in POSTING_RESOLUTIONS:
                exception.entry_id = _post_adjustment(exception, resolution, actor)
            if resolution == Resolution.TIMING:
                exception.expected_period = next_period(exception.last_period)
            exception.state = RESOLUTION_STATE[Resolution(resolution)]
            exception.resolved_at = timezone.now()
        exception.save()
        _audit(
            actor,
            "resolve",
            exception,
            {"resolution": resolution, "from": previous, "to": exception.state, "entry": exception.entry_id, "note": note},
        )
    return exception


def exception_approve(*, exception_id: int, approve: bool, note: str = "", actor: User) -> ReconException:
    """A second finance user approves (posts) or rejects (back to open) a pending adjustment."""
    _require_finance(actor)
    with transaction.atomic(durable=True):
        exception = _lock(exception_id)
        if exception.state != ExceptionState.PENDING_APPROVAL:
            raise Conflict("差异不在待复核状态 / the exception is not waiting for approval", field="state")
        if exception.requested_by_id == actor.pk:
            raise DomainError("复核人须为另一位财务 / a second, different finance user must approve", field="user")
        if approve:
            exception.approved_by = actor
            exception.entry_id = _post_adjustment(exception, exception.resolution, actor)
            exception.state = RESOLUTION_STATE[Resolution(exception.resolution)]
            exception.resolved_at = timezone.now()
        else:
            exception.state = ExceptionState.OPEN
            exception.resolution = ""
            exception.requested_by = None
        exception.save()
        _audit(actor, "approve" if approve else "reject", exception, {"entry": exception.entry_id, "note": note})
    return exception


def exceptions_bulk_resolve(*, exception_ids: list[int], resolution: str, note: str, actor: User) -> dict[str, Any]:
    """Resolve many; each in its own transaction, so one refusal leaves the others done."""
    done: list[int] = []
    refused: list[dict[str, Any]] = []
    for exception_id in sorted(set(exception_ids)):
        try:
            exception_resolve(exception_id=exception_id, resolution=resolution, note=note, actor=actor)
            done.append(exception_id)
        except DomainError as exc:
            refused.append({"id": exception_id, "reason": exc.message})
    return {"resolved": done, "refused": refused}


RULE_FIELDS = ("priority", "amount_tolerance_minor", "date_tolerance_days", "active")


def rule_update(*, rule_id: int, changes: dict[str, Any], actor: User) -> MatchRule:
    """Change a matching rule's priority, tolerances or whether it runs; audited. Two rules of a
    source cannot share a priority (refused naming the field)."""
    _require_finance(actor)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(
            f"不可修改 {', '.join(sorted(unknown))} / only {', '.join(RULE_FIELDS)} may change", field=sorted(unknown)[0]
        )
    with transaction.atomic():
        rule = MatchRule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise DomainError(f"规则 {rule_id} 不存在 / no such rule", field="rule_id", code="not_found")
        priority = changes.get("priority", rule.priority)
        if MatchRule.objects.filter(source=rule.source, priority=priority).exclude(pk=rule.pk).exists():
            raise Conflict(
                f"{rule.source} 已有优先级 {priority} 的规则 / another {rule.source} rule has priority {priority}",
                field="priority",
            )
        before = {name: getattr(rule, name) for name in RULE_FIELDS}
        for name, value in changes.items():
            setattr(rule, name, value)
        rule.save(update_fields=list(changes) or None)
        audit_record(
            actor=actor,
            action="reconciliation.rule_update",
            obj=rule,
            organization_id=actor.organization_id,
            changes={"before": before, "after": {name: getattr(rule, name) for name in RULE_FIELDS}},
        )
    return rule
