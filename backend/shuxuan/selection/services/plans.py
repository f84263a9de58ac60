"""Commission plans and their rate versions: a cut takes effect the next day (Asia/Shanghai), a raise at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog.facade import CertificationStatus, PlanType, Product, Sku
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    ApprovalMode,
    CommissionPlan,
    PlanRateVersion,
)
from shuxuan.selection.services._shared import (
    PLAN_EDITABLE,
    RATE_FIELDS,
    _clean_tiers,
    _non_negative_int,
    _optional_rate,
    _platforms,
    _rate,
    _require_brand_owns,
)
from shuxuan.selection.services.signals import commission_signals_refresh


def _plan_lock(plan_id: int) -> CommissionPlan:
    """The one way to lock a plan row (and so its versions and applications) for a change."""
    plan = CommissionPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise DomainError("计划不存在 / no such plan", field="plan", code="not_found")
    return plan


def _check_plan_scope(
    *,
    product: Product,
    sku: Sku | None,
    plan_type: str,
    approval: str,
    target_anchor: Anchor | None,
    target_mcn: Organization | None,
) -> None:
    """What a new plan covers and whom it names: a submitted or approved product, a SKU of it, a known
    type and approval mode, and a target exactly when the plan is exclusive."""
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
    _check_plan_scope(
        product=product, sku=sku, plan_type=plan_type, approval=approval, target_anchor=target_anchor, target_mcn=target_mcn
    )
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
