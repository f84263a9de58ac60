"""Closing a month: refuse while exceptions above the threshold are unresolved or a platform that
had lines settled in the month has no bill imported for it (unless an owner overrides with a
reason), snapshot the balances, stock value and reconciliation status, and lock the period in the
ledger (which then refuses any posting dated in it). Reopening is for owners only.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import period_close, period_reopen
from shuxuan.parties.models import OrganizationKind, Role, User
from shuxuan.reconciliation.models import CloseState, PeriodClose, Source
from shuxuan.reconciliation.periods import period_window
from shuxuan.reconciliation.selectors import blocking_exceptions, close_report, missing_bills
from shuxuan.reconciliation.thresholds import close_threshold


def _require(user: Any, *roles: str) -> None:
    organization = getattr(user, "organization", None)
    if (
        not isinstance(user, User)
        or organization is None
        or organization.kind != OrganizationKind.OPERATOR
        or not user.has_role(*roles)
    ):
        raise DomainError(f"需要运营方{'/'.join(roles)}角色 / needs the operator's {' or '.join(roles)} role", field="user")


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def month_close(*, period: str, actor: User | None, override_reason: str = "") -> PeriodClose:
    """Close `period`. Refused (409, naming the count) while exceptions whose difference exceeds
    RECONCILIATION_CLOSE_THRESHOLD_MINOR are open or waiting for approval, or (409, naming them)
    while a platform with lines settled in the period has no bill imported for it; an owner may
    close anyway by giving `override_reason`. `actor=None` is the CLI acting as the system."""
    period_window(period)
    if actor is not None:
        _require(actor, Role.FINANCE, Role.OWNER)
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        existing = PeriodClose.objects.select_for_update().filter(period=period).first()
        if existing is not None and existing.state == CloseState.CLOSED:
            return existing
        blocking = blocking_exceptions(period=period).count()
        if blocking and not override_reason:
            raise Conflict(
                f"{period} 尚有 {blocking} 条超过阈值 {close_threshold()} 分的未处理差异 / "
                f"{blocking} unresolved exceptions above the threshold remain; resolve them or override with a reason",
                field="override_reason",
                code="exceptions_open",
            )
        missing = missing_bills(period=period)
        if missing and not override_reason:
            labels = [dict(Source.choices)[source].split(" ", 1) for source in missing]
            raise Conflict(
                f"{period} 缺少账单：{'、'.join(zh for zh, _ in labels)} 有已结算订单但未导入账单 / bill missing: "
                f"{', '.join(en for _, en in labels)} — lines were settled but no bill was imported; "
                "import it or override with a reason",
                field="override_reason",
                code="bill_missing",
            )
        overridden = bool(blocking or missing)
        if overridden and (actor is None or not actor.has_role(Role.OWNER)):
            raise DomainError(
                "只有负责人可以强制关账 / only an owner may override (the CLI names one with --user)", field="override_reason"
            )
        snapshot = _jsonable(close_report(period=period))
        period_close(period=period, actor=actor)
        values = {
            "state": CloseState.CLOSED,
            "snapshot": snapshot,
            "open_exceptions": blocking,
            "override_reason": override_reason if overridden else "",
            "closed_by": actor,
            "closed_at": timezone.now(),
        }
        record, _ = PeriodClose.objects.update_or_create(period=period, defaults=values)
        audit_record(
            actor=actor,
            action="reconciliation.period_close",
            obj=record,
            organization_id=getattr(actor, "organization_id", None),
            changes={
                "period": period,
                "open_exceptions": blocking,
                "missing_bills": missing,
                "override_reason": record.override_reason,
            },
        )
    return record


def month_reopen(*, period: str, actor: User, reason: str) -> PeriodClose:
    """Reopen a closed month: owners only, with a reason; postings dated in it are allowed again."""
    period_window(period)
    _require(actor, Role.OWNER)
    if not (reason or "").strip():
        raise DomainError("请说明重开原因 / say why the period is reopened", field="reason")
    with transaction.atomic():
        record = PeriodClose.objects.select_for_update().filter(period=period).first()
        if record is None or record.state != CloseState.CLOSED:
            raise Conflict(f"{period} 未关账 / {period} is not closed", field="period")
        period_reopen(period=period, actor=actor)
        record.state = CloseState.REOPENED
        record.reopened_by = actor
        record.reopened_at = timezone.now()
        record.reopen_reason = reason.strip()
        record.save(update_fields=["state", "reopened_by", "reopened_at", "reopen_reason"])
        audit_record(
            actor=actor,
            action="reconciliation.period_reopen",
            obj=record,
            organization_id=actor.organization_id,
            changes={"period": period, "reason": record.reopen_reason},
        )
    return record
