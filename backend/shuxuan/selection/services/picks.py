"""The pick list (货盘): a pick freezes the plan and rate in force; targeted plans go through an application."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, Sku
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import User
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    ApplicationState,
    ApprovalMode,
    CommissionPlan,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PickState,
    PlanApplication,
    PlanRateVersion,
)
from shuxuan.selection.services._shared import _mcn_in_force, _require_brand_owns, _require_manages
from shuxuan.selection.services.plans import _plan_lock


def _freeze(pick: Pick, quote: selectors.RateQuote, now: datetime) -> None:
    assert quote.plan_id is not None and quote.version_id is not None and quote.rate_bps is not None
    version = PlanRateVersion.objects.get(pk=quote.version_id)
    pick.plan_id = quote.plan_id
    pick.version_id = quote.version_id
    pick.plan_type = quote.plan_type or ""
    pick.rate_bps = quote.rate_bps
    pick.ads_rate_bps = version.ads_rate_bps
    pick.frozen_at = now
    pick.state = PickState.ACTIVE


def _terms(pick: Pick) -> dict[str, Any]:
    return {"plan": pick.plan_id, "version": pick.version_id, "plan_type": pick.plan_type, "rate_bps": pick.rate_bps}


def pick_add(*, actor: User, anchor: Anchor, sku: Sku, note: str = "", at: datetime | None = None) -> Pick:
    """Put a SKU on an anchor's pick list. The plan, version and rate that apply now are frozen on
    the pick. If a targeted plan would give more and the anchor is eligible, an application goes to
    the brand (approved at once when the plan approves automatically) and the pick waits for it.

    `at` records a pick made earlier (bringing over a pick list kept elsewhere, the demo world):
    the terms in force then are frozen. It is never in the future."""
    _require_manages(actor, anchor)
    sku = catalog.skus().select_related("product").get(pk=sku.pk)
    if sku.product.status != CertificationStatus.APPROVED:
        raise DomainError("商品未上架 / the product is not listed", field="sku")
    now = timezone.now()
    if at is not None:
        if at > now:
            raise DomainError("选品时间不能晚于现在 / a pick cannot be dated in the future", field="at")
        now = at
    quote = selectors.rate_for(anchor=anchor, sku=sku, at=now)
    if quote.rate_bps is None and quote.can_apply_plan_id is None:
        reasons = "; ".join(r.message for v in quote.considered for r in v.reasons) or "; ".join(r.message for r in quote.reasons)
        raise DomainError(f"没有适用的佣金计划 / no plan applies: {reasons}", field="sku", code="no_plan")
    try:
        with transaction.atomic():
            parties.anchors().select_for_update().filter(pk=anchor.pk).first()  # one pick-list change per anchor at a time
            Pick.objects.filter(anchor=anchor, sku=sku, state=PickState.REJECTED, removed_at__isnull=True).update(
                state=PickState.REMOVED, removed_at=now
            )
            pick = Pick(
                anchor=anchor,
                sku=sku,
                product=sku.product,
                brand_id=sku.brand_id,
                mcn_id=_mcn_in_force(anchor, now),
                note=note.strip()[:200],
                added_by=actor,
            )
            application = None
            if quote.can_apply_plan_id is not None:
                plan = _plan_lock(quote.can_apply_plan_id)
                application = PlanApplication.objects.filter(plan=plan, anchor=anchor, state=ApplicationState.PENDING).first()
                if application is None:
                    application = _application_create(actor=actor, plan=plan, anchor=anchor, now=now)
                pick.application = application
            if application is not None and application.state == ApplicationState.APPROVED:
                _freeze(pick, selectors.rate_for(anchor=anchor, sku=sku, at=now), now)
            elif application is not None:
                pick.state = PickState.PENDING
            else:
                _freeze(pick, quote, now)
            pick.save()
            audit_record(
                actor=actor,
                action="selection.pick.add",
                obj=pick,
                organization_id=anchor.organization_id,
                changes={
                    "anchor": anchor.pk,
                    "sku": sku.pk,
                    "state": pick.state,
                    "application": application.pk if application else None,
                    **_terms(pick),
                },
            )
    except IntegrityError as exc:
        if "selection_pick_one_per_sku" in str(exc):
            raise Conflict("该 SKU 已在货盘中 / the SKU is already on the pick list", field="sku") from None
        raise
    return pick


def _application_create(*, actor: User, plan: CommissionPlan, anchor: Anchor, now: datetime) -> PlanApplication:
    auto = plan.approval == ApprovalMode.AUTO
    application = PlanApplication.objects.create(
        plan=plan,
        anchor=anchor,
        brand_id=plan.brand_id,
        requested_by=actor,
        state=ApplicationState.APPROVED if auto else ApplicationState.PENDING,
        decided_at=now if auto else None,
        reason="自动通过 / approved automatically" if auto else "",
    )
    audit_record(
        actor=actor,
        action="selection.application.create",
        obj=application,
        organization_id=plan.brand_id,
        changes={"plan": plan.pk, "anchor": anchor.pk, "state": application.state},
    )
    return application


def application_decide(*, actor: User, application: PlanApplication, approve: bool, reason: str = "") -> PlanApplication:
    """The brand approves or rejects a targeted-plan application. Approval freezes the plan's rate on
    the anchor's waiting picks at that moment; rejection freezes on them whatever applies then, or
    marks them not approved when nothing does."""
    _require_brand_owns(actor, application.brand_id, "application")
    reason = (reason or "").strip()[:200]
    if not approve and not reason:
        raise DomainError("拒绝须填写原因 / a rejection needs a reason", field="reason")
    now = timezone.now()
    with transaction.atomic():
        _plan_lock(application.plan_id)
        application = PlanApplication.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.PENDING:
            raise Conflict(f"申请已处理（{application.state}）/ the application is already {application.state}", field="state")
        application.state = ApplicationState.APPROVED if approve else ApplicationState.REJECTED
        application.decided_by = actor
        application.decided_at = now
        application.reason = reason
        application.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        picks = list(
            Pick.objects.select_for_update()
            .select_related("sku", "anchor")
            .filter(application=application, state=PickState.PENDING)
            .order_by("pk")
        )
        outcomes = {}
        for pick in picks:
            quote = selectors.rate_for(anchor=pick.anchor, sku=pick.sku, at=now)
            if quote.rate_bps is not None:
                _freeze(pick, quote, now)
            else:
                pick.state = PickState.REJECTED
            pick.save(update_fields=["state", "plan", "version", "plan_type", "rate_bps", "ads_rate_bps", "frozen_at"])
            outcomes[pick.pk] = _terms(pick) | {"state": pick.state}
        audit_record(
            actor=actor,
            action="selection.application." + ("approve" if approve else "reject"),
            obj=application,
            organization_id=application.brand_id,
            changes={"reason": reason, "picks": outcomes},
        )
    return application


def _scheduled_item_exists(pick: Pick, now: datetime) -> bool:
    return LiveSessionItem.objects.filter(pick=pick, session__state=LiveSessionState.SCHEDULED, session__ends_at__gt=now).exists()


def pick_remove(*, actor: User, pick: Pick) -> Pick:
    _require_manages(actor, pick.anchor)
    now = timezone.now()
    with transaction.atomic():
        pick = Pick.objects.select_for_update().get(pk=pick.pk)
        if pick.state == PickState.REMOVED:
            raise Conflict("已移除 / already removed", field="state")
        if _scheduled_item_exists(pick, now):
            raise Conflict("该商品在已排期的直播中 / the pick is in a scheduled live session", field="pick")
        previous = pick.state
        pick.state = PickState.REMOVED
        pick.removed_at = now
        pick.save(update_fields=["state", "removed_at"])
        audit_record(
            actor=actor,
            action="selection.pick.remove",
            obj=pick,
            organization_id=pick.anchor.organization_id,
            changes={"from": previous},
        )
    return pick


def pick_set_note(*, actor: User, pick: Pick, note: str) -> Pick:
    _require_manages(actor, pick.anchor)
    note = (note or "").strip()[:200]
    with transaction.atomic():
        pick = Pick.objects.select_for_update().get(pk=pick.pk)
        if pick.note != note:
            audit_record(
                actor=actor,
                action="selection.pick.note",
                obj=pick,
                organization_id=pick.anchor.organization_id,
                changes={"from": pick.note, "to": note},
            )
            pick.note = note
            pick.save(update_fields=["note"])
    return pick
