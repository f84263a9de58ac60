"""Writes of the selection context. Each service checks its input first (DomainError naming the
field), then owns one transaction in which it writes and audits; a failure leaves nothing behind.

Stock for samples and lineups is reserved through supply, whose services own durable transactions.
Those calls therefore run *outside* this context's transactions: the reservation is made first and
recorded afterwards; if recording fails the reservation is released again (a compensating release,
which supply keeps as history). Cancelling releases first and then records.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog.facade import search_row_set_signals
from shuxuan.catalog.models import CertificationStatus, PlanType, Product, Sku
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.money import MINOR_UNITS, to_major_str
from shuxuan.parties.models import Anchor, McnBinding, Organization, OrganizationKind, Platform, Role, User
from shuxuan.parties.selectors import binding_in_force_q
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    MAX_RATE_BPS,
    AnchorProductSales,
    ApplicationState,
    ApprovalMode,
    CommissionPlan,
    ContentKind,
    HoldPurpose,
    HoldState,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PickState,
    PlanApplication,
    PlanRateVersion,
    SampleRequest,
    SampleRule,
    SampleState,
    SkuStockLink,
    StockHold,
)
from shuxuan.supply import services as supply
from shuxuan.supply.models import (
    LocationKind,
    Reservation,
    ReservationPurpose,
    ReservationState,
    ShipmentKind,
    StockBalance,
    StockItem,
)

PLAN_EDITABLE = ("name", "min_fans", "platforms", "min_credit", "approval", "valid_to")
RATE_FIELDS = ("rate_bps", "ads_rate_bps", "tiers")
MAX_TIERS = 5


# ---------------------------------------------------------------------------------------------
# Checks shared by the services.


def _brand_of(actor: User) -> Organization:
    org = actor.organization
    if org is None or org.kind != OrganizationKind.BRAND:
        raise DomainError("只有品牌商可以操作 / only a brand may do this", field="brand", code="not_a_brand")
    return org


def _require_brand_owns(actor: User, brand_id: int, field: str) -> Organization:
    brand = _brand_of(actor)
    if brand.pk != brand_id:
        raise DomainError("不是本品牌的商品 / not this brand's product", field=field, code="not_found")
    return brand


def _require_manages(actor: User, anchor: Anchor) -> None:
    if not selectors.user_manages_anchor(actor, anchor):
        raise DomainError("无权代此主播操作 / you do not manage this anchor", field="anchor", code="not_found")


def _mcn_in_force(anchor: Anchor, at: datetime) -> int | None:
    return McnBinding.objects.filter(binding_in_force_q(at), anchor=anchor).values_list("mcn_id", flat=True).first()


def _rate(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_RATE_BPS:
        raise DomainError(f"佣金率须为 0–{MAX_RATE_BPS} 基点的整数 / a rate is an integer 0–{MAX_RATE_BPS} bp", field=field)
    return value


def _optional_rate(value: Any, field: str) -> int | None:
    return None if value is None else _rate(value, field)


def _clean_tiers(tiers: Any) -> list[dict[str, int]]:
    if tiers in (None, []):
        return []
    if not isinstance(tiers, list) or len(tiers) > MAX_TIERS:
        raise DomainError(f"阶梯最多 {MAX_TIERS} 档 / at most {MAX_TIERS} tiers", field="tiers")
    cleaned: list[dict[str, int]] = []
    for index, tier in enumerate(tiers):
        if not isinstance(tier, dict) or set(tier) != {"min_gmv_minor", "rate_bps"}:
            raise DomainError(
                "每档须有 min_gmv_minor 和 rate_bps / each tier has min_gmv_minor and rate_bps", field=f"tiers[{index}]"
            )
        threshold = tier["min_gmv_minor"]
        if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold <= 0:
            raise DomainError(
                "GMV 门槛须为正整数（分）/ min_gmv_minor is a positive integer", field=f"tiers[{index}].min_gmv_minor"
            )
        rate = _rate(tier["rate_bps"], f"tiers[{index}].rate_bps")
        if cleaned and threshold <= cleaned[-1]["min_gmv_minor"]:
            raise DomainError("GMV 门槛须递增 / thresholds must increase", field=f"tiers[{index}].min_gmv_minor")
        cleaned.append({"min_gmv_minor": threshold, "rate_bps": rate})
    return cleaned


def _platforms(value: Any, field: str = "platforms") -> list[str]:
    platforms = list(value or [])
    unknown = sorted(set(platforms) - set(Platform.values))
    if unknown:
        raise DomainError(f"未知平台 / unknown platform {unknown[0]!r}", field=field)
    return sorted(set(platforms))


def _non_negative_int(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError("须为非负整数 / must be a non-negative integer", field=field)
    return value


def _supply_agent() -> User:
    """The operator user in whose name selection reserves stock: supply's services are the operator's
    (see the report: supply has no on-behalf-of entry point yet). The requesting user is in the reference."""
    agent = (
        User.objects.filter(
            organization__kind=OrganizationKind.OPERATOR, roles__overlap=[Role.SUPPLY, Role.OWNER], is_active=True
        )
        .select_related("organization")
        .order_by("id")
        .first()
    )
    if agent is None:
        raise DomainError("运营方没有供应链人员，无法预留库存 / no operator supply staff to hold stock", field="stock_quantity")
    return agent


# ---------------------------------------------------------------------------------------------
# Search-row signals.


def commission_signals_refresh(*, product_ids: list[int], at: datetime | None = None) -> int:
    """Write commission_bps / plan_type of these products' search rows through catalog.facade."""
    signals = selectors.commission_signals(product_ids=product_ids, at=at)
    for sku_id, (bps, plan_type) in sorted(signals.items()):
        search_row_set_signals(sku_id=sku_id, commission_bps=bps, plan_type=plan_type)
    return len(signals)


def commission_signals_recompute_all(*, at: datetime | None = None, batch: int = 500) -> int:
    """Recompute the columns for every product (management command `selection_recompute_commission`)."""
    ids = list(Product.objects.order_by("id").values_list("pk", flat=True))
    count = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            count += commission_signals_refresh(product_ids=ids[start : start + batch], at=at)
    return count


def commission_signals_refresh_due(*, now: datetime | None = None, window: timedelta = timedelta(hours=2)) -> int:
    """Beat task body: products whose plans or versions started or ended within `window` before now.
    Idempotent (a recompute writes the same values); the window overlaps the previous run."""
    now = now or timezone.now()
    products = selectors.products_with_plan_changes(since=now - window, until=now)
    with transaction.atomic():
        return commission_signals_refresh(product_ids=products, at=now) if products else 0


# ---------------------------------------------------------------------------------------------
# Plans and rate versions.


def _plan_lock(plan_id: int) -> CommissionPlan:
    """The one way to lock a plan row (and so its versions and applications) for a change."""
    plan = CommissionPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise DomainError("计划不存在 / no such plan", field="plan", code="not_found")
    return plan


def plan_create(
    *,
    actor: User,
    product: Product,
    plan_type: str,
    rate_bps: int,
    sku: Sku | None = None,
    ads_rate_bps: int | None = None,
    tiers: list[dict[str, int]] | None = None,
    name: str = "",
    target_anchor: Anchor | None = None,
    target_mcn: Organization | None = None,
    approval: str = ApprovalMode.MANUAL,
    min_fans: int = 0,
    platforms: list[str] | None = None,
    min_credit: int | None = None,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
) -> CommissionPlan:
    brand = _require_brand_owns(actor, product.brand_id, "product")
    if product.status not in (CertificationStatus.SUBMITTED, CertificationStatus.APPROVED):
        raise DomainError("商品须已提交审核或已上架 / the product must be submitted or approved", field="product")
    if sku is not None and sku.product_id != product.pk:
        raise DomainError("SKU 不属于该商品 / the SKU is not of this product", field="sku")
    if plan_type not in PlanType.values:
        raise DomainError(f"未知计划类型 / unknown plan type {plan_type!r}", field="plan_type")
    if approval not in ApprovalMode.values:
        raise DomainError(f"未知审核方式 / unknown approval {approval!r}", field="approval")
    if plan_type == PlanType.EXCLUSIVE:
        if (target_anchor is None) == (target_mcn is None):
            raise DomainError("专属计划须指定一个主播或一个 MCN / name one anchor or one MCN", field="target_anchor")
        if target_mcn is not None and target_mcn.kind != OrganizationKind.MCN:
            raise DomainError("指定的机构不是 MCN / the named organization is not an MCN", field="target_mcn")
    elif target_anchor is not None or target_mcn is not None:
        raise DomainError("只有专属计划指定主播或机构 / only exclusive plans name an anchor or MCN", field="target_anchor")
    fields = {
        "rate_bps": _rate(rate_bps, "rate_bps"),
        "ads_rate_bps": _optional_rate(ads_rate_bps, "ads_rate_bps"),
        "tiers": _clean_tiers(tiers),
    }
    now = timezone.now()
    valid_from = valid_from or now
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError("结束时间须晚于开始时间 / valid_to must be after valid_from", field="valid_to")
    try:
        with transaction.atomic():
            plan = CommissionPlan.objects.create(
                brand=brand,
                product=product,
                sku=sku,
                plan_type=plan_type,
                name=name.strip()[:60],
                target_anchor=target_anchor,
                target_mcn=target_mcn,
                approval=approval,
                min_fans=_non_negative_int(min_fans, "min_fans"),
                platforms=_platforms(platforms),
                min_credit=None if min_credit is None else _non_negative_int(min_credit, "min_credit"),
                valid_from=valid_from,
                valid_to=valid_to,
                created_by=actor,
            )
            # The first rate is in force from the plan's start when the plan is recorded after it
            # began (a plan brought over from elsewhere); rate changes later are never backdated.
            version = PlanRateVersion.objects.create(plan=plan, effective_from=min(valid_from, now), created_by=actor, **fields)
            audit_record(
                actor=actor,
                action="selection.plan.create",
                obj=plan,
                organization_id=brand.pk,
                changes={
                    "plan_type": plan_type,
                    "product": product.pk,
                    "sku": sku.pk if sku else None,
                    "version": version.pk,
                    **fields,
                },
            )
            commission_signals_refresh(product_ids=[product.pk])
    except IntegrityError as exc:
        if "selection_plan_one_open_per_scope" in str(exc):
            raise Conflict(
                "该商品/SKU 在此期间已有公开计划，请改佣金率 / an open plan already covers this period; change its rate instead",
                field="valid_from",
            ) from None
        raise
    return plan


def _is_cut(new: dict[str, Any], current: PlanRateVersion) -> bool:
    """True when the new terms pay less than the current ones anywhere: at any GMV step of either
    version, or for ads-driven orders (a missing ads rate means the base rate applies)."""
    candidate = PlanRateVersion(rate_bps=new["rate_bps"], ads_rate_bps=new["ads_rate_bps"], tiers=new["tiers"])
    thresholds = {0} | {t["min_gmv_minor"] for t in [*new["tiers"], *(current.tiers or [])]}
    for gmv in thresholds:
        for ads in (False, True):
            if (
                selectors.rate_of_version(candidate, gmv_minor=gmv, ads=ads)[0]
                < selectors.rate_of_version(current, gmv_minor=gmv, ads=ads)[0]
            ):
                return True
    return False


def _rate_change(*, actor: User, plan: CommissionPlan, data: dict[str, Any], now: datetime) -> PlanRateVersion | None:
    current = selectors.version_in_force(plan.pk, now)
    latest = plan.versions.order_by("-id").first()
    base = latest or current
    new = {
        "rate_bps": _rate(data.get("rate_bps", base.rate_bps if base else None), "rate_bps"),
        "ads_rate_bps": _optional_rate(data.get("ads_rate_bps", base.ads_rate_bps if base else None), "ads_rate_bps"),
        "tiers": _clean_tiers(data.get("tiers", base.tiers if base else [])),
    }
    if latest is not None and all(new[k] == getattr(latest, k) for k in RATE_FIELDS):
        return None
    # A cut waits for the next Asia/Shanghai midnight; a raise (or the first rate) applies at once.
    effective_from = selectors.next_local_midnight(now) if current is not None and _is_cut(new, current) else now
    version = PlanRateVersion.objects.create(plan=plan, effective_from=effective_from, created_by=actor, **new)
    audit_record(
        actor=actor,
        action="selection.plan.rate_change",
        obj=plan,
        organization_id=plan.brand_id,
        changes={
            "version": version.pk,
            "from": {k: getattr(current, k) for k in RATE_FIELDS} if current else None,
            "to": new,
            "effective_from": effective_from.isoformat(),
        },
    )
    return version


def plan_update(*, actor: User, plan: CommissionPlan, data: dict[str, Any]) -> CommissionPlan:
    """Edit a plan's terms. Rate fields (rate_bps, ads_rate_bps, tiers) append a version: a cut takes
    effect the next natural day (Asia/Shanghai), a raise at once. Type, product, SKU and the named
    anchor/MCN are fixed: publish a new plan instead."""
    _require_brand_owns(actor, plan.brand_id, "plan")
    unknown = sorted(set(data) - set(PLAN_EDITABLE) - set(RATE_FIELDS))
    if unknown:
        raise DomainError(f"不可修改的字段 / field cannot be changed: {unknown[0]}", field=unknown[0])
    changes: dict[str, Any] = {}
    if "name" in data:
        changes["name"] = str(data["name"] or "").strip()[:60]
    if "min_fans" in data:
        changes["min_fans"] = _non_negative_int(data["min_fans"], "min_fans")
    if "platforms" in data:
        changes["platforms"] = _platforms(data["platforms"])
    if "min_credit" in data:
        changes["min_credit"] = None if data["min_credit"] is None else _non_negative_int(data["min_credit"], "min_credit")
    if "approval" in data:
        if data["approval"] not in ApprovalMode.values:
            raise DomainError(f"未知审核方式 / unknown approval {data['approval']!r}", field="approval")
        changes["approval"] = data["approval"]
    if "valid_to" in data and data["valid_to"] is not None and data["valid_to"] <= plan.valid_from:
        raise DomainError("结束时间须晚于开始时间 / valid_to must be after valid_from", field="valid_to")
    if "valid_to" in data:
        changes["valid_to"] = data["valid_to"]
    now = timezone.now()
    try:
        with transaction.atomic():
            plan = _plan_lock(plan.pk)
            changed = {k: v for k, v in changes.items() if getattr(plan, k) != v}
            for name, value in changed.items():
                setattr(plan, name, value)
            if changed:
                plan.save(update_fields=[*changed, "updated_at"])
                audit_record(
                    actor=actor,
                    action="selection.plan.update",
                    obj=plan,
                    organization_id=plan.brand_id,
                    changes={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in changed.items()},
                )
            if any(k in data for k in RATE_FIELDS):
                _rate_change(actor=actor, plan=plan, data=data, now=now)
            commission_signals_refresh(product_ids=[plan.product_id])
    except IntegrityError as exc:
        if "selection_plan_one_open_per_scope" in str(exc):
            raise Conflict("与另一公开计划时间重叠 / overlaps another open plan", field="valid_to") from None
        raise
    return plan


def plan_end(*, actor: User, plan: CommissionPlan) -> CommissionPlan:
    """End a plan now (DELETE over the API). Picks keep their frozen terms; history stays."""
    _require_brand_owns(actor, plan.brand_id, "plan")
    now = timezone.now()
    with transaction.atomic():
        plan = _plan_lock(plan.pk)
        if plan.valid_to is not None and plan.valid_to <= now:
            raise Conflict("计划已结束 / the plan has already ended", field="valid_to")
        plan.valid_to = max(now, plan.valid_from + timedelta(microseconds=1))
        plan.save(update_fields=["valid_to", "updated_at"])
        audit_record(
            actor=actor,
            action="selection.plan.end",
            obj=plan,
            organization_id=plan.brand_id,
            changes={"valid_to": now.isoformat()},
        )
        commission_signals_refresh(product_ids=[plan.product_id])
    return plan


# ---------------------------------------------------------------------------------------------
# Pick list (货盘) and targeted-plan applications.


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
    sku = Sku.objects.select_related("product").get(pk=sku.pk)
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
            Anchor.objects.select_for_update().filter(pk=anchor.pk).first()  # one pick-list change per anchor at a time
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


# ---------------------------------------------------------------------------------------------
# Stock holds: supply reservations when the SKU maps to a StockItem, else a record here.


def sku_stock_link_set(*, actor: User, sku: Sku, stock_item: StockItem) -> SkuStockLink:
    """Point a catalog SKU at the supply StockItem that holds its goods (operator supply staff)."""
    org = actor.organization
    if org is None or org.kind != OrganizationKind.OPERATOR or not actor.has_role(Role.SUPPLY, Role.OWNER):
        raise DomainError("只有运营方供应链人员可以关联库存 / only operator supply staff link stock", field="actor")
    if stock_item.brand_id != sku.brand_id:
        raise DomainError("库存品与 SKU 不属于同一品牌 / the stock item is another brand's", field="stock_item")
    with transaction.atomic():
        link, _ = SkuStockLink.objects.update_or_create(sku=sku, defaults={"stock_item": stock_item})
        audit_record(
            actor=actor,
            action="selection.stock_link.set",
            obj=link,
            organization_id=sku.brand_id,
            changes={"stock_item": stock_item.pk},
        )
    return link


def _warehouse_with(item: StockItem, quantity: int) -> int | None:
    rows = (
        StockBalance.objects.filter(stock_item=item, location__kind=LocationKind.STORAGE)
        .values("warehouse_id")
        .annotate(free=Sum(F("on_hand") - F("reserved")))
        .order_by("-free", "warehouse_id")
    )
    best = rows.first()
    return best["warehouse_id"] if best and best["free"] >= quantity else None


def _supply_reserve(*, sku: Sku, quantity: int, purpose: str, reference: str, field: str) -> Reservation | None:
    """Reserve in supply (its own durable transaction) or return None when the SKU is not mapped.
    Must not run inside an open transaction."""
    item = selectors.stock_item_for(sku)
    if item is None:
        return None
    warehouse_id = _warehouse_with(item, quantity)
    if warehouse_id is None:
        raise DomainError(
            f"库存不足，无法预留 {quantity} / not enough stock to hold {quantity} ({item.sku_code})",
            field=field,
            code="insufficient_stock",
        )
    from shuxuan.supply.models import Warehouse

    try:
        return supply.reservation_create(
            actor=_supply_agent(),
            warehouse=Warehouse.objects.get(pk=warehouse_id),
            stock_item_id=item.pk,
            quantity=quantity,
            purpose=purpose,
            reference=reference,
        )
    except DomainError as exc:
        raise DomainError(exc.message, field=field, code=exc.code) from None


def _supply_release(reservation_ids: list[int]) -> None:
    """Release supply reservations (each its own durable transaction); already released ones are skipped."""
    for reservation_id in reservation_ids:
        if Reservation.objects.filter(pk=reservation_id, state=ReservationState.ACTIVE).exists():
            with contextlib.suppress(Conflict):  # released concurrently
                supply.reservation_release(actor=_supply_agent(), reservation_id=reservation_id)


def _holds_release(holds: list[StockHold], now: datetime) -> list[int]:
    for hold in holds:
        hold.state = HoldState.RELEASED
        hold.released_at = now
    StockHold.objects.bulk_update(holds, ["state", "released_at"])
    return [h.pk for h in holds]


# ---------------------------------------------------------------------------------------------
# Sample rules and requests (寄样).

RULE_FIELDS = (
    "is_active",
    "min_fans",
    "platforms",
    "monthly_cap_per_anchor",
    "max_quantity",
    "decision_days",
    "content_days",
    "extension_days",
    "shipping_cost_minor",
)


def sample_rule_set(*, actor: User, product: Product, data: dict[str, Any]) -> SampleRule:
    """Create or change the sample rule of a product (one per product)."""
    brand = _require_brand_owns(actor, product.brand_id, "product")
    unknown = sorted(set(data) - set(RULE_FIELDS))
    if unknown:
        raise DomainError(f"未知字段 / unknown field {unknown[0]}", field=unknown[0])
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if name == "is_active":
            cleaned[name] = bool(value)
        elif name == "platforms":
            cleaned[name] = _platforms(value)
        else:
            cleaned[name] = _non_negative_int(value, name)
    for name in ("monthly_cap_per_anchor", "max_quantity", "decision_days", "content_days"):
        if name in cleaned and not 1 <= cleaned[name] <= 365:
            raise DomainError("须在 1–365 之间 / must be within 1–365", field=name)
    with transaction.atomic():
        rule = SampleRule.objects.select_for_update().filter(product=product).first()
        if rule is None:
            rule = SampleRule(product=product, brand=brand, updated_by=actor)
            changed = {**{k: getattr(rule, k) for k in RULE_FIELDS}, **cleaned}
        else:
            changed = {k: v for k, v in cleaned.items() if getattr(rule, k) != v}
        for name, value in changed.items():
            setattr(rule, name, value)
        rule.updated_by = actor
        rule.save()
        audit_record(actor=actor, action="selection.sample_rule.set", obj=rule, organization_id=brand.pk, changes=changed)
    return rule


def sample_request_create(
    *, actor: User, anchor: Anchor, sku: Sku, platform: str, ship_to: str, quantity: int = 1, note: str = ""
) -> SampleRequest:
    """An anchor asks for a sample. Refused when the product has no active rule, the anchor is not
    eligible on `platform`, or the anchor reached the monthly cap for the product (Asia/Shanghai month,
    counting requests not rejected, expired or cancelled)."""
    _require_manages(actor, anchor)
    sku = Sku.objects.select_related("product").get(pk=sku.pk)
    if sku.product.status != CertificationStatus.APPROVED:
        raise DomainError("商品未上架 / the product is not listed", field="sku")
    if platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field="platform")
    ship_to = (ship_to or "").strip()
    if not ship_to:
        raise DomainError("须填写收货地址 / a shipping address is required", field="ship_to")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise DomainError("数量须为正整数 / quantity must be a positive integer", field="quantity")
    now = timezone.now()
    with transaction.atomic():
        # The rule row is the lock that makes the monthly count and the insert one step.
        rule = SampleRule.objects.select_for_update().filter(product_id=sku.product_id, is_active=True).first()
        if rule is not None and quantity > rule.max_quantity:
            raise DomainError(f"每次最多 {rule.max_quantity} 件 / at most {rule.max_quantity} per request", field="quantity")
        accounts = list(anchor.accounts.filter(platform=platform).values_list("platform", "fans"))
        used = selectors.samples_used([(anchor.pk, sku.product_id)], now).get((anchor.pk, sku.product_id), 0)
        # The same refusals, worded in the same place, as the eligibility read shows before the form.
        reasons = selectors.sample_refusals(rule=rule, platform=platform, accounts=accounts, used=used)
        if reasons:
            first = reasons[0]
            raise DomainError(first.message, field=selectors.SAMPLE_REFUSAL_FIELD[first.code], code=first.code)
        assert rule is not None
        sample = SampleRequest.objects.create(
            anchor=anchor,
            sku=sku,
            product_id=sku.product_id,
            brand_id=sku.brand_id,
            mcn_id=_mcn_in_force(anchor, now),
            platform=platform,
            quantity=quantity,
            ship_to=ship_to[:200],
            note=(note or "").strip()[:200],
            requested_by=actor,
            created_at=now,
            decide_by=now + timedelta(days=rule.decision_days),
            currency=sku.currency,
        )
        audit_record(
            actor=actor,
            action="selection.sample.create",
            obj=sample,
            organization_id=sku.brand_id,
            changes={"anchor": anchor.pk, "sku": sku.pk, "quantity": quantity, "decide_by": sample.decide_by.isoformat()},
        )
    return sample


def sample_request_approve(*, actor: User, sample: SampleRequest) -> SampleRequest:
    """The brand approves: the sample's cost is frozen, content falls due `content_days` later, and
    the units are held (in supply when the SKU is mapped; see module docstring for the order)."""
    _require_brand_owns(actor, sample.brand_id, "sample")
    if sample.state != SampleState.PENDING:
        raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
    now = timezone.now()
    if sample.decide_by <= now:
        raise Conflict("已超过审核期限 / the decision deadline has passed", field="decide_by")
    sku = Sku.objects.get(pk=sample.sku_id)
    reservation = _supply_reserve(
        sku=sku,
        quantity=sample.quantity,
        purpose=ReservationPurpose.SAMPLE,
        reference=f"selection.sample:{sample.pk}",
        field="quantity",
    )
    try:
        with transaction.atomic():
            sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
            if sample.state != SampleState.PENDING:
                raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
            rule = SampleRule.objects.get(product_id=sample.product_id)
            sample.state = SampleState.APPROVED
            sample.decided_by = actor
            sample.decided_at = now
            sample.cost_minor = sku.supply_price_minor * sample.quantity + rule.shipping_cost_minor
            sample.content_due_at = now + timedelta(days=rule.content_days)
            sample.save(update_fields=["state", "decided_by", "decided_at", "cost_minor", "content_due_at"])
            hold = StockHold.objects.create(
                purpose=HoldPurpose.SAMPLE, sku=sku, quantity=sample.quantity, reservation=reservation, sample=sample
            )
            audit_record(
                actor=actor,
                action="selection.sample.approve",
                obj=sample,
                organization_id=sample.brand_id,
                changes={
                    "cost_minor": sample.cost_minor,
                    "content_due_at": sample.content_due_at.isoformat(),
                    "hold": hold.pk,
                    "reservation": reservation.pk if reservation else None,
                },
            )
    except Exception:
        if reservation is not None:
            _supply_release([reservation.pk])
        raise
    return sample


def sample_request_reject(*, actor: User, sample: SampleRequest, reason: str) -> SampleRequest:
    _require_brand_owns(actor, sample.brand_id, "sample")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("拒绝须填写原因 / a rejection needs a reason", field="reason")
    return _sample_close(sample=sample, actor=actor, to=SampleState.REJECTED, reason=reason, action="reject")


def sample_request_cancel(*, actor: User, sample: SampleRequest) -> SampleRequest:
    """The anchor withdraws a request the brand has not decided yet."""
    _require_manages(actor, sample.anchor)
    return _sample_close(sample=sample, actor=actor, to=SampleState.CANCELLED, reason="", action="cancel")


def _sample_close(*, sample: SampleRequest, actor: User | None, to: str, reason: str, action: str) -> SampleRequest:
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.PENDING:
            raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
        sample.state = to
        sample.decided_by = actor
        sample.decided_at = now
        sample.reason = reason
        sample.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit_record(
            actor=actor,
            action=f"selection.sample.{action}",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"reason": reason},
        )
    return sample


def sample_requests_expire(*, now: datetime | None = None) -> list[int]:
    """Expire every pending request whose decision deadline has passed. Idempotent: a second run
    finds nothing pending past its deadline and writes nothing."""
    now = now or timezone.now()
    expired: list[int] = []
    due = list(
        SampleRequest.objects.filter(state=SampleState.PENDING, decide_by__lte=now).order_by("pk").values_list("pk", flat=True)
    )
    for sample_id in due:
        with transaction.atomic():
            sample = (
                SampleRequest.objects.select_for_update(skip_locked=True).filter(pk=sample_id, state=SampleState.PENDING).first()
            )
            if sample is None or sample.decide_by > now:
                continue
            sample.state = SampleState.EXPIRED
            sample.decided_at = now
            sample.reason = "品牌未在期限内处理 / not decided by the deadline"
            sample.save(update_fields=["state", "decided_at", "reason"])
            audit_record(
                actor=None,
                action="selection.sample.expire",
                obj=sample,
                organization_id=sample.brand_id,
                changes={"decide_by": sample.decide_by.isoformat()},
            )
            expired.append(sample.pk)
    return expired


def sample_content_record(*, actor: User, sample: SampleRequest, kind: str, url: str) -> SampleRequest:
    """The anchor records the stream or video that fulfils an approved sample (late is accepted and
    counted as delivered; the rate reads only delivered vs. overdue)."""
    _require_manages(actor, sample.anchor)
    if kind not in ContentKind.values:
        raise DomainError(f"未知内容类型 / unknown content kind {kind!r}", field="kind")
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise DomainError("须为 http(s) 链接 / an http(s) link is required", field="url")
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.APPROVED:
            raise Conflict(f"只有已通过的寄样可交付内容（{sample.state}）/ only approved samples take content", field="state")
        sample.state = SampleState.FULFILLED
        sample.content_kind = kind
        sample.content_url = url
        sample.content_recorded_at = now
        sample.save(update_fields=["state", "content_kind", "content_url", "content_recorded_at"])
        audit_record(
            actor=actor,
            action="selection.sample.content",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"kind": kind, "url": url, "late": now > sample.content_due_at if sample.content_due_at else False},
        )
    return sample


def sample_extension_request(*, actor: User, sample: SampleRequest, reason: str) -> SampleRequest:
    """One extension of the content deadline per sample, by the rule's extension_days, asked before the
    deadline passes. Granted at once (the brand set the length in its rule)."""
    _require_manages(actor, sample.anchor)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("须说明原因 / a reason is required", field="reason")
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.APPROVED:
            raise Conflict(f"只有待交付的寄样可延期（{sample.state}）/ only approved samples can be extended", field="state")
        if sample.extension_count >= 1:
            raise Conflict("只能延期一次 / only one extension is allowed", field="extension")
        assert sample.content_due_at is not None
        if sample.content_due_at <= now:
            raise Conflict("交付期限已过 / the content deadline has passed", field="content_due_at")
        days = SampleRule.objects.filter(product_id=sample.product_id).values_list("extension_days", flat=True).first() or 7
        before = sample.content_due_at
        sample.content_due_at = before + timedelta(days=days)
        sample.extension_count = 1
        sample.extension_reason = reason
        sample.save(update_fields=["content_due_at", "extension_count", "extension_reason"])
        audit_record(
            actor=actor,
            action="selection.sample.extend",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"from": before.isoformat(), "to": sample.content_due_at.isoformat(), "reason": reason},
        )
    return sample


def _sample_hold_end(
    *, sample_id: int, now: datetime, actor: User | None, changes: dict[str, Any], action: str = "selection.sample.ship"
) -> StockHold | None:
    """End the active hold of a sample (state released, released_at = now) and audit it; None when the
    hold has already ended. The hold row's lock makes this happen once however many callers race."""
    with transaction.atomic():
        hold = StockHold.objects.select_for_update().filter(sample_id=sample_id, state=HoldState.ACTIVE).first()
        if hold is None:
            return None
        _holds_release([hold], now)
        sample = SampleRequest.objects.get(pk=sample_id)
        audit_record(
            actor=actor,
            action=action,
            obj=sample,
            organization_id=sample.brand_id,
            changes={"hold": hold.pk, "reservation": hold.reservation_id, **changes},
        )
    return hold


def sample_request_ship(
    *, actor: User, sample: SampleRequest, carrier: str, tracking_number: str, effective_date: date | None = None
) -> SampleRequest:
    """The approved sample leaves. Units held in supply go out through a supply sample shipment that
    takes the reserved units (operator supply staff; the reservation is consumed there); units held
    only here (the SKU maps to no stock item) are sent by the brand, which records the shipment. Either
    way the sample's hold ends once, so the units are no longer counted as held."""
    sample = SampleRequest.objects.get(pk=sample.pk)
    if sample.state not in (SampleState.APPROVED, SampleState.FULFILLED):
        raise Conflict(f"只有已通过的寄样可以发货（{sample.state}）/ only approved samples ship", field="state")
    hold = StockHold.objects.filter(sample=sample).select_related("reservation").first()
    if hold is None or hold.state != HoldState.ACTIVE:
        raise Conflict("样品已发出 / the sample has already shipped", field="state", code="already_shipped")
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise DomainError(
            "须填承运商和运单号 / carrier and tracking number are required",
            field="tracking_number" if carrier else "carrier",
        )
    changes: dict[str, Any] = {"carrier": carrier, "tracking_number": tracking_number}
    reservation = hold.reservation
    if reservation is None:
        _require_brand_owns(actor, sample.brand_id, "sample")
    elif reservation.state == ReservationState.ACTIVE:
        # Supply's durable transaction first (it locks the reservation: a second shipment of it is refused).
        shipment = supply.shipment_create(
            actor=actor,
            warehouse=reservation.warehouse,
            kind=ShipmentKind.SAMPLE,
            carrier=carrier,
            tracking_number=tracking_number,
            lines=[
                supply.PickInput(stock_item_id=reservation.stock_item_id, quantity=hold.quantity, reservation_id=reservation.pk)
            ],
            reference=f"selection.sample:{sample.pk}",
            effective_date=effective_date,
        )
        changes["shipment"] = shipment.pk
    else:
        # Already shipped (or released) in supply: only the hold here is left to end.
        changes["reservation_state"] = reservation.state
    if _sample_hold_end(sample_id=sample.pk, now=timezone.now(), actor=actor, changes=changes) is None:
        raise Conflict("样品已发出 / the sample has already shipped", field="state", code="already_shipped")
    return SampleRequest.objects.get(pk=sample.pk)


def sample_holds_settle() -> list[int]:
    """End the holds of samples whose supply reservation is no longer active: shipped from supply's own
    shipment screen (the reservation consumed) or released there. Idempotent: returns the samples
    whose hold it ended, and a second run ends nothing."""
    due = list(
        StockHold.objects.filter(
            purpose=HoldPurpose.SAMPLE, state=HoldState.ACTIVE, reservation__isnull=False, sample__isnull=False
        )
        .exclude(reservation__state=ReservationState.ACTIVE)
        .order_by("pk")
        .values_list("sample_id", "reservation__state")
    )
    ended = []
    for sample_id, reservation_state in due:
        assert sample_id is not None
        shipped = reservation_state == ReservationState.CONSUMED
        if _sample_hold_end(
            sample_id=sample_id,
            now=timezone.now(),
            actor=None,
            changes={"reservation_state": reservation_state},
            action="selection.sample.ship" if shipped else "selection.sample.hold_release",
        ):
            ended.append(sample_id)
    return ended


# ---------------------------------------------------------------------------------------------
# Live sessions (直播排期).


@dataclass(frozen=True)
class LineupInput:
    pick_id: int
    live_price_minor: int
    stock_quantity: int = 0
    slot_fee_minor: int | None = None


def _check_lineup(anchor: Anchor, lineup: list[LineupInput]) -> list[tuple[LineupInput, Pick]]:
    picks = Pick.objects.select_related("sku").in_bulk([line.pick_id for line in lineup])
    seen: set[int] = set()
    checked = []
    for index, line in enumerate(lineup):
        pick = picks.get(line.pick_id)
        if pick is None or pick.anchor_id != anchor.pk or pick.state != PickState.ACTIVE:
            raise DomainError("不是该主播货盘中的有效商品 / not an active pick of this anchor", field=f"lineup[{index}].pick")
        if pick.sku_id in seen:
            raise DomainError("同一 SKU 重复 / the SKU appears twice", field=f"lineup[{index}].pick")
        seen.add(pick.sku_id)
        sku = pick.sku
        price = line.live_price_minor
        if (
            not isinstance(price, int)
            or isinstance(price, bool)
            or not sku.min_live_price_minor <= price <= sku.max_live_price_minor
        ):
            low, high = (f"¥{to_major_str(v, sku.currency)}" for v in (sku.min_live_price_minor, sku.max_live_price_minor))
            raise DomainError(
                f"直播价须在该 SKU 的 {low}–{high} 之间 / the live price must be within the SKU's {low}–{high}",
                field=f"lineup[{index}].live_price_minor",
            )
        _non_negative_int(line.stock_quantity, f"lineup[{index}].stock_quantity")
        if line.slot_fee_minor is not None:
            _non_negative_int(line.slot_fee_minor, f"lineup[{index}].slot_fee_minor")
        checked.append((line, pick))
    return checked


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError("结束须晚于开始 / ends_at must be after starts_at", field="ends_at")
    if ends_at - starts_at > timedelta(hours=24):
        raise DomainError("单场直播不超过 24 小时 / a session lasts at most 24 hours", field="ends_at")


def _reserve_lineup(
    checked: list[tuple[LineupInput, Pick]], reference: str, skip_skus: set[int] | frozenset[int] = frozenset()
) -> dict[int, Reservation | None]:
    """Reserve supply stock for each line that asks for units (outside any transaction). On a failure
    the reservations already made are released and the error names the line."""
    made: dict[int, Reservation | None] = {}
    try:
        for index, (line, pick) in enumerate(checked):
            if line.stock_quantity > 0 and pick.sku_id not in skip_skus:
                made[index] = _supply_reserve(
                    sku=pick.sku,
                    quantity=line.stock_quantity,
                    purpose=ReservationPurpose.LIVE_SESSION,
                    reference=reference,
                    field=f"lineup[{index}].stock_quantity",
                )
    except Exception:
        _supply_release([r.pk for r in made.values() if r is not None])
        raise
    return made


def _write_lineup(
    session: LiveSession,
    checked: list[tuple[LineupInput, Pick]],
    reservations: dict[int, Reservation | None],
    kept: dict[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Create the lineup items and their holds; a hold in `kept` (sku -> hold) moves to the new item."""
    kept = kept or {}
    written = []
    for index, (line, pick) in enumerate(checked):
        item = LiveSessionItem.objects.create(
            session=session,
            pick=pick,
            sku=pick.sku,
            brand_id=pick.brand_id,
            position=index,
            live_price_minor=line.live_price_minor,
            currency=pick.sku.currency,
            stock_quantity=line.stock_quantity,
            slot_fee_minor=line.slot_fee_minor,
        )
        if line.stock_quantity > 0 and pick.sku_id in kept:
            StockHold.objects.filter(pk=kept[pick.sku_id]).update(session_item=item)
        elif line.stock_quantity > 0:
            reservation = reservations.get(index)
            StockHold.objects.create(
                purpose=HoldPurpose.LIVE_SESSION,
                sku=pick.sku,
                quantity=line.stock_quantity,
                reservation=reservation,
                session=session,
                session_item=item,
            )
        written.append(
            {"sku": pick.sku_id, "price": line.live_price_minor, "units": line.stock_quantity, "slot_fee": line.slot_fee_minor}
        )
    return written


def _overlap_conflict(*, anchor_id: int, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None) -> Conflict:
    """Names the session in the way, so the person can find it: its title and its times (Asia/Shanghai)."""
    overlapping = LiveSession.objects.filter(
        anchor_id=anchor_id, state=LiveSessionState.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    other = overlapping.order_by("starts_at", "id").first()
    if other is None:
        return Conflict("该主播此时段已有直播 / the anchor has another session at that time", field="starts_at", code="overlap")
    start, end = timezone.localtime(other.starts_at), timezone.localtime(other.ends_at)
    when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
    return Conflict(
        f"该主播此时段已有直播「{other.title}」（{when}）/ the anchor already has the session "
        f'"{other.title}" ({when}) at that time',
        field="starts_at",
        code="overlap",
    )


def session_create(
    *, actor: User, anchor: Anchor, platform: str, title: str, starts_at: datetime, ends_at: datetime, lineup: list[LineupInput]
) -> LiveSession:
    _require_manages(actor, anchor)
    if platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field="platform")
    title = (title or "").strip()
    if not title:
        raise DomainError("须填写标题 / a title is required", field="title")
    _check_times(starts_at, ends_at)
    checked = _check_lineup(anchor, lineup)
    overlapping = LiveSession.objects.filter(
        anchor=anchor, state=LiveSessionState.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlapping.exists():
        raise _overlap_conflict(anchor_id=anchor.pk, starts_at=starts_at, ends_at=ends_at)
    reservations = _reserve_lineup(checked, reference=f"selection.session:{anchor.pk}:{starts_at.isoformat()}")
    try:
        with transaction.atomic():
            session = LiveSession.objects.create(
                anchor=anchor,
                mcn_id=_mcn_in_force(anchor, starts_at),
                platform=platform,
                title=title[:80],
                starts_at=starts_at,
                ends_at=ends_at,
                created_by=actor,
            )
            written = _write_lineup(session, checked, reservations)
            audit_record(
                actor=actor,
                action="selection.session.create",
                obj=session,
                organization_id=anchor.organization_id,
                changes={
                    "starts_at": starts_at.isoformat(),
                    "ends_at": ends_at.isoformat(),
                    "platform": platform,
                    "lineup": written,
                },
            )
    except IntegrityError as exc:
        _supply_release([r.pk for r in reservations.values() if r is not None])
        if "selection_session_no_overlap" in str(exc):
            raise _overlap_conflict(anchor_id=anchor.pk, starts_at=starts_at, ends_at=ends_at) from None
        raise
    except Exception:
        _supply_release([r.pk for r in reservations.values() if r is not None])
        raise
    return session


def session_update(
    *,
    actor: User,
    session: LiveSession,
    data: dict[str, Any],
    lineup: list[LineupInput] | None = None,
) -> LiveSession:
    """Change title, platform or times, and/or replace the lineup. A line that keeps a SKU with the
    same number of units keeps its hold; the others reserve their stock first, and the old holds
    they replace are released once the change is recorded (so while switching, the new units must be
    available on top of the old ones)."""
    _require_manages(actor, session.anchor)
    if session.state != LiveSessionState.SCHEDULED:
        raise Conflict("直播已取消 / the session is cancelled", field="state")
    if session.ends_at <= timezone.now():
        # What aired is history: orders are attributed to it and its slot fees are released.
        raise Conflict("直播已结束，不能修改 / the session has ended and cannot be changed", field="state")
    unknown = sorted(set(data) - {"title", "platform", "starts_at", "ends_at"})
    if unknown:
        raise DomainError(f"不可修改的字段 / field cannot be changed: {unknown[0]}", field=unknown[0])
    if "platform" in data and data["platform"] not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {data['platform']!r}", field="platform")
    if "title" in data and not str(data["title"] or "").strip():
        raise DomainError("须填写标题 / a title is required", field="title")
    starts_at = data.get("starts_at", session.starts_at)
    ends_at = data.get("ends_at", session.ends_at)
    _check_times(starts_at, ends_at)
    checked = _check_lineup(session.anchor, lineup) if lineup is not None else None
    kept: dict[int, int] = {}  # sku -> hold kept as it is
    if checked is not None:
        wanted = {pick.sku_id: line.stock_quantity for line, pick in checked}
        for hold in StockHold.objects.filter(session=session, state=HoldState.ACTIVE):
            if wanted.get(hold.sku_id) == hold.quantity:
                kept[hold.sku_id] = hold.pk
    reservations = (
        _reserve_lineup(checked, reference=f"selection.session:{session.pk}", skip_skus=set(kept)) if checked is not None else {}
    )
    old_reservations: list[int] = []
    try:
        with transaction.atomic():
            session = LiveSession.objects.select_for_update().get(pk=session.pk)
            if session.state != LiveSessionState.SCHEDULED:
                raise Conflict("直播已取消 / the session is cancelled", field="state")
            changed = {k: v for k, v in data.items() if getattr(session, k) != v}
            if "title" in changed:
                changed["title"] = str(changed["title"]).strip()[:80]
            for name, value in changed.items():
                setattr(session, name, value)
            if changed:
                session.save(update_fields=list(changed))
            audit_changes: dict[str, Any] = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in changed.items()}
            if checked is not None:
                holds = list(StockHold.objects.select_for_update().filter(session=session, state=HoldState.ACTIVE).order_by("pk"))
                if set(kept.values()) - {h.pk for h in holds}:
                    raise Conflict("排期已被同时修改 / the session changed meanwhile; try again", field="lineup")
                replaced = [h for h in holds if h.pk not in kept.values()]
                old_reservations = [h.reservation_id for h in replaced if h.reservation_id]
                _holds_release(replaced, timezone.now())
                # The old items go (their released holds stay as history, no longer naming an item).
                LiveSessionItem.objects.filter(session=session).delete()
                audit_changes["lineup"] = _write_lineup(session, checked, reservations, kept=kept)
            if audit_changes:
                audit_record(
                    actor=actor,
                    action="selection.session.update",
                    obj=session,
                    organization_id=session.anchor.organization_id,
                    changes=audit_changes,
                )
    except IntegrityError as exc:
        _supply_release([r.pk for r in reservations.values() if r is not None])
        if "selection_session_no_overlap" in str(exc):
            raise _overlap_conflict(
                anchor_id=session.anchor_id, starts_at=starts_at, ends_at=ends_at, exclude_id=session.pk
            ) from None
        raise
    except Exception:
        _supply_release([r.pk for r in reservations.values() if r is not None])
        raise
    _supply_release(old_reservations)
    return session


def session_cancel(*, actor: User, session: LiveSession, reason: str = "") -> LiveSession:
    """Cancel a scheduled session and release every unit held for it."""
    _require_manages(actor, session.anchor)
    if session.state != LiveSessionState.SCHEDULED:
        raise Conflict("直播已取消 / the session is already cancelled", field="state")
    if session.ends_at <= timezone.now():
        raise Conflict("直播已结束，不能取消 / the session has ended and cannot be cancelled", field="state")
    reservation_ids = list(
        StockHold.objects.filter(session=session, state=HoldState.ACTIVE, reservation__isnull=False).values_list(
            "reservation_id", flat=True
        )
    )
    _supply_release(reservation_ids)
    now = timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.state != LiveSessionState.SCHEDULED:
            raise Conflict("直播已取消 / the session is already cancelled", field="state")
        holds = list(StockHold.objects.select_for_update().filter(session=session, state=HoldState.ACTIVE).order_by("pk"))
        released = _holds_release(holds, now)
        session.state = LiveSessionState.CANCELLED
        session.cancelled_at = now
        session.cancel_reason = (reason or "").strip()[:200]
        session.save(update_fields=["state", "cancelled_at", "cancel_reason"])
        audit_record(
            actor=actor,
            action="selection.session.cancel",
            obj=session,
            organization_id=session.anchor.organization_id,
            changes={"reason": session.cancel_reason, "holds_released": released, "reservations_released": reservation_ids},
        )
    return session


# ---------------------------------------------------------------------------------------------
# Sales, for the orders context to fill (selection.facade).


def anchor_sales_record(
    *, anchor_id: int, sku_id: int, day: date, gmv_minor: int, units: int, currency: str = "CNY"
) -> AnchorProductSales:
    """Set one anchor's sales of one SKU on one day (idempotent upsert: the orders context recomputes
    a day and writes its totals)."""
    if currency not in MINOR_UNITS:
        raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
    _non_negative_int(gmv_minor, "gmv_minor")
    _non_negative_int(units, "units")
    product_id = Sku.objects.filter(pk=sku_id).values_list("product_id", flat=True).first()
    if product_id is None:
        raise DomainError("SKU 不存在 / no such SKU", field="sku")
    row, _ = AnchorProductSales.objects.update_or_create(
        anchor_id=anchor_id,
        sku_id=sku_id,
        day=day,
        defaults={"product_id": product_id, "gmv_minor": gmv_minor, "units": units, "currency": currency},
    )
    return row


def anchor_sales_record_bulk(*, rows: list[tuple[int, int, date, int, int, str]]) -> int:
    """Set many days' sales at once: rows of (anchor, sku, day, gmv_minor, units, currency), the same
    upsert as `anchor_sales_record` in one INSERT … ON CONFLICT DO UPDATE. A row of zero totals only
    zeroes an existing day (no empty rows are created); an unchanged day is not rewritten; the same
    key twice keeps the last. Returns how many rows were written. Runs in the caller's transaction."""
    latest: dict[tuple[int, int, date], tuple[int, int, str]] = {}
    for anchor_id, sku_id, day, gmv_minor, units, currency in rows:
        if currency not in MINOR_UNITS:
            raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
        _non_negative_int(gmv_minor, "gmv_minor")
        _non_negative_int(units, "units")
        latest[(anchor_id, sku_id, day)] = (gmv_minor, units, currency)
    if not latest:
        return 0
    keys = list(latest)
    table = AnchorProductSales._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS t (anchor_id, sku_id, product_id, day, gmv_minor, units, currency)
            SELECT v.anchor_id, v.sku_id, s.product_id, v.day, v.gmv_minor, v.units, v.currency
            FROM unnest(%s::int8[], %s::int8[], %s::date[], %s::int8[], %s::int4[], %s::text[])
                 AS v(anchor_id, sku_id, day, gmv_minor, units, currency)
            JOIN {Sku._meta.db_table} s ON s.id = v.sku_id
            WHERE v.gmv_minor <> 0 OR v.units <> 0
               OR EXISTS (SELECT 1 FROM {table} x WHERE x.anchor_id = v.anchor_id AND x.sku_id = v.sku_id AND x.day = v.day)
            ON CONFLICT (anchor_id, sku_id, day) DO UPDATE
            SET gmv_minor = EXCLUDED.gmv_minor, units = EXCLUDED.units, currency = EXCLUDED.currency
            WHERE (t.gmv_minor, t.units, t.currency) IS DISTINCT FROM (EXCLUDED.gmv_minor, EXCLUDED.units, EXCLUDED.currency)
            """,
            [
                [k[0] for k in keys],
                [k[1] for k in keys],
                [k[2] for k in keys],
                [latest[k][0] for k in keys],
                [latest[k][1] for k in keys],
                [latest[k][2] for k in keys],
            ],
        )
        return cursor.rowcount
