"""Which plan and rate apply to an anchor and a SKU at a moment: precedence, eligibility, tiers, the ads rate
(the rate rule itself, from a version to the rate a line settles at, is selection/line_rate.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db.models import Q, Sum
from django.utils import timezone

from shuxuan.catalog.facade import CertificationStatus, PlanType, Sku, product_statuses
from shuxuan.parties.facade import anchor_platform_fans, mcn_in_force
from shuxuan.selection.line_rate import rate_of_version
from shuxuan.selection.models import (
    AnchorProductSales,
    ApplicationState,
    CommissionPlan,
    PlanApplication,
    PlanRateVersion,
)
from shuxuan.selection.selectors.clock import TYPE_RANK, _shown, local_day, month_start


def versions_in_force(plan_ids: list[int], at: datetime) -> dict[int, PlanRateVersion]:
    """For each plan, the latest-created version whose effective_from has passed (one query)."""
    if not plan_ids:
        return {}
    rows = (
        PlanRateVersion.objects.filter(plan_id__in=plan_ids, effective_from__lte=at)
        .order_by("plan_id", "-id")
        .distinct("plan_id")
    )
    return {v.plan_id: v for v in rows}


def version_in_force(plan_id: int, at: datetime) -> PlanRateVersion | None:
    return versions_in_force([plan_id], at).get(plan_id)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass
class PlanVerdict:
    """One plan considered for the quote, and why it does or does not apply."""

    plan_id: int
    plan_type: str
    scope: str  # "sku" or "product"
    version_id: int | None
    rate_bps: int | None
    applies: bool = False
    chosen: bool = False
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class RateQuote:
    anchor_id: int
    sku_id: int
    at: datetime
    ads: bool
    rate_bps: int | None = None
    plan_id: int | None = None
    plan_type: str | None = None
    version_id: int | None = None
    tier_min_gmv_minor: int | None = None
    month_gmv_minor: int = 0
    # A targeted plan the anchor is eligible for and would outrank what applies now, if approved.
    can_apply_plan_id: int | None = None
    pending_application_id: int | None = None
    reasons: list[Reason] = field(default_factory=list)
    considered: list[PlanVerdict] = field(default_factory=list)


class AnchorRef(Protocol):
    """An anchor as the quote reads it (a parties Anchor): its id."""

    @property
    def pk(self) -> Any: ...


@dataclass
class AnchorFacts:
    anchor: AnchorRef
    accounts: list[tuple[str, int]]  # (platform, fans)
    mcn_id: int | None


def anchor_facts(anchor: AnchorRef, at: datetime) -> AnchorFacts:
    return AnchorFacts(anchor=anchor, accounts=anchor_platform_fans(anchor.pk), mcn_id=mcn_in_force(anchor_id=anchor.pk, at=at))


def eligibility_reasons(
    *, min_fans: int, platforms: list[str], accounts: list[tuple[str, int]], of: str = "the plan"
) -> list[Reason]:
    """Why an anchor with these accounts is not eligible (empty when eligible); `of` names what
    sets the minimum in the English wording."""
    allowed = [(p, fans) for p, fans in accounts if not platforms or p in platforms]
    if not allowed:
        return [
            Reason(
                "platform",
                f"没有 {'/'.join(platforms) or '任何'} 平台账号 / no account on {', '.join(platforms) or 'any platform'}",
            )
        ]
    best = max(fans for _, fans in allowed)
    if best < min_fans:
        return [Reason("fans_below_minimum", f"粉丝 {best} 少于要求的 {min_fans} / {best} fans, {of} requires {min_fans}")]
    return []


def _candidate_plans(product_ids: list[int], at: datetime) -> list[CommissionPlan]:
    """Plans of these products whose window has not ended more than 30 days before `at`."""
    return list(
        CommissionPlan.objects.filter(product_id__in=product_ids)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at - timedelta(days=30)))
        .order_by("id")
    )


def _month_gmv(anchor_id: int, product_ids: list[int], at: datetime) -> dict[int, int]:
    rows = (
        AnchorProductSales.objects.filter(
            anchor_id=anchor_id, product_id__in=product_ids, day__gte=month_start(at), day__lte=local_day(at)
        )
        .values("product_id")
        .annotate(gmv=Sum("gmv_minor"))
    )
    return {r["product_id"]: int(r["gmv"] or 0) for r in rows}


def rate_quotes(*, anchor: AnchorRef, skus: list[Sku], at: datetime | None = None, ads: bool = False) -> list[RateQuote]:
    """`rate_for` for several SKUs at once, in a fixed number of queries."""
    at = at or timezone.now()
    facts = anchor_facts(anchor, at)
    product_ids = sorted({s.product_id for s in skus})
    plans = _candidate_plans(product_ids, at)
    versions = versions_in_force([p.pk for p in plans], at)
    applications = {
        a.plan_id: a
        for a in PlanApplication.objects.filter(
            anchor_id=anchor.pk, plan_id__in=[p.pk for p in plans if p.plan_type == PlanType.TARGETED]
        ).order_by("id")
    }  # the latest per plan wins (ordered by id)
    tiered = any(v.tiers for v in versions.values())
    gmv = _month_gmv(anchor.pk, product_ids, at) if tiered else {}
    statuses = product_statuses(product_ids)
    return [
        _quote(
            facts=facts,
            sku=sku,
            plans=plans,
            versions=versions,
            applications=applications,
            gmv=gmv,
            statuses=statuses,
            at=at,
            ads=ads,
        )
        for sku in skus
    ]


def rate_for(*, anchor: AnchorRef, sku: Sku, at: datetime | None = None, ads: bool = False) -> RateQuote:
    """The rate that would apply to `anchor` on `sku` at `at` (default now), which plan gives it, and
    why each other plan on the SKU does not."""
    return rate_quotes(anchor=anchor, skus=[sku], at=at, ads=ads)[0]


def _plan_verdict(
    *,
    plan: CommissionPlan,
    version: PlanRateVersion | None,
    facts: AnchorFacts,
    gmv_minor: int,
    at: datetime,
    ads: bool,
) -> PlanVerdict:
    """One plan on the SKU: the rate its version in force gives, and why it does not apply (its
    window, no rate yet, exclusive to someone else, eligibility); a targeted plan's application is
    `_quote`'s to judge."""
    rate = None
    if version is not None:
        rate, _ = rate_of_version(version, gmv_minor=gmv_minor, ads=ads)
    verdict = PlanVerdict(
        plan_id=plan.pk,
        plan_type=plan.plan_type,
        scope="sku" if plan.sku_id else "product",
        version_id=version.pk if version else None,
        rate_bps=rate,
    )
    if plan.valid_from > at:
        verdict.reasons.append(
            Reason(
                "not_yet_valid",
                f"计划 {_shown(plan.valid_from)} 起生效 / valid from {_shown(plan.valid_from)} (UTC+8)",
            )
        )
    if plan.valid_to is not None and plan.valid_to <= at:
        verdict.reasons.append(
            Reason("expired", f"计划已于 {_shown(plan.valid_to)} 结束 / ended {_shown(plan.valid_to)} (UTC+8)")
        )
    if version is None:
        verdict.reasons.append(Reason("no_rate_yet", "尚无生效的佣金率 / no rate in force yet"))
    if plan.plan_type == PlanType.EXCLUSIVE and not (
        plan.target_anchor_id == facts.anchor.pk or (plan.target_mcn_id is not None and plan.target_mcn_id == facts.mcn_id)
    ):
        verdict.reasons.append(Reason("not_named", "专属计划指定了其他主播或机构 / exclusive to another anchor or MCN"))
    verdict.reasons += eligibility_reasons(min_fans=plan.min_fans, platforms=list(plan.platforms), accounts=facts.accounts)
    return verdict


def _quote(
    *,
    facts: AnchorFacts,
    sku: Sku,
    plans: list[CommissionPlan],
    versions: dict[int, PlanRateVersion],
    applications: dict[int, PlanApplication],
    gmv: dict[int, int],
    statuses: dict[int, str],
    at: datetime,
    ads: bool,
) -> RateQuote:
    quote = RateQuote(anchor_id=facts.anchor.pk, sku_id=sku.pk, at=at, ads=ads, month_gmv_minor=gmv.get(sku.product_id, 0))
    if statuses.get(sku.product_id) != CertificationStatus.APPROVED:
        quote.reasons.append(
            Reason("product_not_listed", "商品未在选品中心上架 / the product is not listed in the selection center")
        )
    applicable: list[tuple[tuple[int, int, int, int], PlanVerdict]] = []
    could_apply: list[tuple[tuple[int, int, int, int], PlanVerdict, PlanApplication | None]] = []
    for plan in plans:
        if plan.product_id != sku.product_id or (plan.sku_id is not None and plan.sku_id != sku.pk):
            continue
        version = versions.get(plan.pk)
        verdict = _plan_verdict(plan=plan, version=version, facts=facts, gmv_minor=quote.month_gmv_minor, at=at, ads=ads)
        quote.considered.append(verdict)
        rate = verdict.rate_bps
        key = (TYPE_RANK[PlanType(plan.plan_type)], int(plan.sku_id is not None), rate or 0, -plan.pk)
        application = applications.get(plan.pk) if plan.plan_type == PlanType.TARGETED else None
        if plan.plan_type == PlanType.TARGETED and not verdict.reasons:
            if application is None:
                verdict.reasons.append(
                    Reason("no_application", "定向计划需向品牌申请 / a targeted plan needs the brand's approval")
                )
                could_apply.append((key, verdict, None))
            elif application.state == ApplicationState.PENDING:
                verdict.reasons.append(Reason("application_pending", "申请待品牌审核 / application awaiting the brand"))
                could_apply.append((key, verdict, application))
            elif application.state == ApplicationState.REJECTED:
                verdict.reasons.append(Reason("application_rejected", f"申请被拒绝：{application.reason} / application rejected"))
        if not verdict.reasons:
            verdict.applies = True
            applicable.append((key, verdict))
    best_key = None
    if applicable:
        best_key, best = max(applicable, key=lambda kv: kv[0])
        best.chosen = True
        version = versions[best.plan_id]
        quote.rate_bps = best.rate_bps
        quote.plan_id = best.plan_id
        quote.plan_type = best.plan_type
        quote.version_id = version.pk
        quote.tier_min_gmv_minor = rate_of_version(version, gmv_minor=quote.month_gmv_minor, ads=ads)[1]
        for _, verdict in applicable:
            if verdict is not best:
                verdict.reasons.append(Reason("outranked", f"计划 {best.plan_id} 优先 / plan {best.plan_id} takes precedence"))
                verdict.applies = False
    elif not quote.reasons:
        quote.reasons.append(Reason("no_plan", "没有适用的佣金计划 / no plan applies to this anchor"))
    if could_apply:
        key, verdict, application = max(could_apply, key=lambda kv: kv[0])
        if best_key is None or key > best_key:
            quote.can_apply_plan_id = verdict.plan_id
            quote.pending_application_id = application.pk if application else None
    return quote
