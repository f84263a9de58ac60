"""Reads of the selection context: which commission applies and why (`rate_for`), the search-row
signals, scoped querysets for the API, the calendar, the sample fulfilment rate and sample ROI.

Which plan applies to an anchor on a SKU at a moment (docs/domain.md section 5, step 2):
1. Only plans whose validity window contains the moment and that have a rate version in force.
2. The anchor must be eligible: an account on one of the plan's platforms (any, if none listed) with at
   least `min_fans` fans on such an account. Exclusive plans apply only to the named anchor or to
   anchors bound to the named MCN at that moment; targeted plans only with an approved application.
3. Of the plans that apply: exclusive > targeted > open; within a type a SKU plan beats a product plan;
   then the higher rate; then the older plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from shuxuan.catalog.models import CertificationStatus, PlanType, Product, Sku
from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, OrganizationKind, Platform, User
from shuxuan.parties.selectors import anchors_visible_q, binding_in_force_q
from shuxuan.selection.models import (
    AnchorProductSales,
    ApplicationState,
    CommissionPlan,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PlanApplication,
    PlanRateVersion,
    SampleRequest,
    SampleRule,
    SampleState,
    SkuStockLink,
)
from shuxuan.supply.models import StockItem

SHANGHAI = ZoneInfo("Asia/Shanghai")
TYPE_RANK = {PlanType.EXCLUSIVE: 3, PlanType.TARGETED: 2, PlanType.OPEN: 1}


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def _shown(at: datetime) -> str:
    """An instant as a person reads it: Asia/Shanghai wall clock to the minute."""
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def next_local_midnight(at: datetime) -> datetime:
    """The start of the next natural day in Asia/Shanghai after `at`."""
    return datetime.combine(local_day(at) + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def month_start(at: datetime) -> date:
    return local_day(at).replace(day=1)


def month_bounds(at: datetime) -> tuple[datetime, datetime]:
    """[first instant of the Asia/Shanghai month of `at`, first instant of the next month)."""
    first = month_start(at)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time.min, tzinfo=SHANGHAI), datetime.combine(following, time.min, tzinfo=SHANGHAI)


# ---------------------------------------------------------------------------------------------
# Rates.


def rate_of_version(version: PlanRateVersion, *, gmv_minor: int = 0, ads: bool = False) -> tuple[int, int | None]:
    """(rate in bp, the tier threshold that gave it or None). Ads-driven orders use the ads rate when
    the version has one (tiers do not step it)."""
    if ads and version.ads_rate_bps is not None:
        return version.ads_rate_bps, None
    rate, threshold = version.rate_bps, None
    for tier in sorted(version.tiers or [], key=lambda t: t["min_gmv_minor"]):
        if gmv_minor >= tier["min_gmv_minor"]:
            rate, threshold = tier["rate_bps"], tier["min_gmv_minor"]
    return rate, threshold


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


@dataclass
class AnchorFacts:
    anchor: Anchor
    accounts: list[tuple[str, int]]  # (platform, fans)
    mcn_id: int | None


def anchor_facts(anchor: Anchor, at: datetime) -> AnchorFacts:
    accounts = list(AnchorAccount.objects.filter(anchor=anchor).values_list("platform", "fans"))
    binding = McnBinding.objects.filter(binding_in_force_q(at), anchor=anchor).values_list("mcn_id", flat=True).first()
    return AnchorFacts(anchor=anchor, accounts=accounts, mcn_id=binding)


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


def rate_quotes(*, anchor: Anchor, skus: list[Sku], at: datetime | None = None, ads: bool = False) -> list[RateQuote]:
    """`rate_for` for several SKUs at once, in a fixed number of queries."""
    at = at or timezone.now()
    facts = anchor_facts(anchor, at)
    product_ids = sorted({s.product_id for s in skus})
    plans = _candidate_plans(product_ids, at)
    versions = versions_in_force([p.pk for p in plans], at)
    applications = {
        a.plan_id: a
        for a in PlanApplication.objects.filter(
            anchor=anchor, plan_id__in=[p.pk for p in plans if p.plan_type == PlanType.TARGETED]
        ).order_by("id")
    }  # the latest per plan wins (ordered by id)
    tiered = any(v.tiers for v in versions.values())
    gmv = _month_gmv(anchor.pk, product_ids, at) if tiered else {}
    statuses = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "status"))
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


def rate_for(*, anchor: Anchor, sku: Sku, at: datetime | None = None, ads: bool = False) -> RateQuote:
    """The rate that would apply to `anchor` on `sku` at `at` (default now), which plan gives it, and
    why each other plan on the SKU does not."""
    return rate_quotes(anchor=anchor, skus=[sku], at=at, ads=ads)[0]


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
        rate = None
        if version is not None:
            rate, _ = rate_of_version(version, gmv_minor=quote.month_gmv_minor, ads=ads)
        verdict = PlanVerdict(
            plan_id=plan.pk,
            plan_type=plan.plan_type,
            scope="sku" if plan.sku_id else "product",
            version_id=version.pk if version else None,
            rate_bps=rate,
        )
        quote.considered.append(verdict)
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


# ---------------------------------------------------------------------------------------------
# The selection center's search-row signals (catalog.facade.search_row_set_signals).


def commission_signals(*, product_ids: list[int], at: datetime | None = None) -> dict[int, tuple[int, str]]:
    """{sku_id: (commission_bps, plan_type)} for every SKU of these products: the best open plan's rate
    (a SKU plan beats a product plan); with no open plan, the best targeted plan's rate (anchors may
    apply); with only an exclusive plan, 0 and "exclusive" (its rate is not public); else (0, "open")."""
    at = at or timezone.now()
    skus = list(Sku.objects.filter(product_id__in=product_ids).values_list("pk", "product_id"))
    plans = [
        p
        for p in CommissionPlan.objects.filter(product_id__in=product_ids, valid_from__lte=at).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=at)
        )
    ]
    versions = versions_in_force([p.pk for p in plans], at)
    signals: dict[int, tuple[int, str]] = {}
    for sku_id, product_id in skus:
        best: dict[str, tuple[int, int]] = {}
        for plan in plans:
            version = versions.get(plan.pk)
            if version is None or plan.product_id != product_id or plan.sku_id not in (None, sku_id):
                continue
            key = (int(plan.sku_id is not None), version.rate_bps)
            if plan.plan_type not in best or key > best[plan.plan_type]:
                best[plan.plan_type] = key
        if PlanType.OPEN in best:
            signals[sku_id] = (best[PlanType.OPEN][1], PlanType.OPEN)
        elif PlanType.TARGETED in best:
            signals[sku_id] = (best[PlanType.TARGETED][1], PlanType.TARGETED)
        elif PlanType.EXCLUSIVE in best:
            signals[sku_id] = (0, PlanType.EXCLUSIVE)
        else:
            signals[sku_id] = (0, PlanType.OPEN)
    return signals


def products_with_plan_changes(*, since: datetime, until: datetime) -> list[int]:
    """Products whose plans started, ended or had a version take effect in (since, until]."""
    changed = CommissionPlan.objects.filter(
        Q(valid_from__gt=since, valid_from__lte=until)
        | Q(valid_to__gt=since, valid_to__lte=until)
        | Q(versions__effective_from__gt=since, versions__effective_from__lte=until)
    )
    return sorted(set(changed.values_list("product_id", flat=True)))


# ---------------------------------------------------------------------------------------------
# Who manages which anchor.


def managed_anchor_ids_q(user: User, prefix: str = "anchor__") -> Q:
    """Objects of anchors the user may act for: an anchor's own login sees only that anchor; other
    users of an MCN or of the operator see the anchors their organization registered or has bound now."""
    own = Anchor.objects.filter(user=user).values_list("pk", flat=True).first()
    if own is not None:
        return Q(**{f"{prefix}pk": own})
    assert user.organization_id is not None
    visible = Anchor.objects.filter(anchors_visible_q(user.organization_id)).values("pk")
    return Q(**{f"{prefix}pk__in": visible})


def user_manages_anchor(user: User, anchor: Anchor) -> bool:
    if user.organization_id is None or user.org_kind not in (OrganizationKind.MCN, OrganizationKind.OPERATOR):
        return False
    return Anchor.objects.filter(managed_anchor_ids_q(user, prefix=""), pk=anchor.pk).exists()


# ---------------------------------------------------------------------------------------------
# API querysets.


def plan_queryset() -> QuerySet[CommissionPlan]:
    return CommissionPlan.objects.select_related("product", "sku", "target_anchor", "target_mcn").prefetch_related(
        Prefetch("versions", queryset=PlanRateVersion.objects.order_by("id"))
    )


def application_queryset() -> QuerySet[PlanApplication]:
    return PlanApplication.objects.select_related("plan__product", "plan__sku", "anchor")


def pick_queryset() -> QuerySet[Pick]:
    return Pick.objects.select_related("anchor", "sku", "product", "brand")


def sample_rule_queryset() -> QuerySet[SampleRule]:
    return SampleRule.objects.select_related("product")


def sample_queryset() -> QuerySet[SampleRequest]:
    return SampleRequest.objects.select_related("anchor", "sku", "product", "hold")


def session_queryset(*, brand_id: int | None = None) -> QuerySet[LiveSession]:
    """Sessions with their lineup; a brand sees only its own lineup items (others' slot fees are private)."""
    items = LiveSessionItem.objects.select_related("sku__product", "hold").order_by("position", "id")
    if brand_id is not None:
        items = items.filter(brand_id=brand_id)
    return LiveSession.objects.select_related("anchor").prefetch_related(Prefetch("items", queryset=items))


def sessions_in_range(queryset: QuerySet[LiveSession], *, start: datetime, end: datetime) -> QuerySet[LiveSession]:
    """Sessions overlapping [start, end), scheduled ones only, in start order."""
    return queryset.filter(state=LiveSessionState.SCHEDULED, starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")


def stock_item_for(sku: Sku) -> StockItem | None:
    """The supply StockItem holding this SKU's goods (see SkuStockLink for the lookup order)."""
    link = SkuStockLink.objects.select_related("stock_item").filter(sku=sku).first()
    if link is not None:
        return link.stock_item
    return StockItem.objects.filter(brand_id=sku.brand_id, sku_code__iexact=sku.code).first()


# ---------------------------------------------------------------------------------------------
# Samples: who may ask for one (寄样资格).

# The requests that take a place in the month: not rejected, expired or cancelled.
SAMPLE_COUNTED_STATES = [SampleState.PENDING, SampleState.APPROVED, SampleState.FULFILLED]
# The input each refusal is about, as `sample_request_create` names it.
SAMPLE_REFUSAL_FIELD = {
    "no_sample_rule": "sku",
    "platform_not_accepted": "platform",
    "platform": "platform",
    "fans_below_minimum": "anchor",
    "monthly_cap": "sku",
}


def sample_refusals(*, rule: SampleRule | None, platform: str, accounts: list[tuple[str, int]], used: int) -> list[Reason]:
    """Why this anchor may not ask for a sample of the rule's product on `platform` now (empty: it may).
    `accounts` are the anchor's (platform, fans), `used` its requests of the product counted this
    Asia/Shanghai month. The one place the refusals are worded: `sample_request_create` refuses with
    the first, the eligibility read shows them all, so the two cannot disagree."""
    if rule is None or not rule.is_active:
        return [Reason("no_sample_rule", "该商品不接受寄样申请 / this product takes no sample requests")]
    reasons: list[Reason] = []
    if rule.platforms and platform not in rule.platforms:
        reasons.append(
            Reason("platform_not_accepted", f"只接受 {'/'.join(rule.platforms)} 平台 / only {', '.join(rule.platforms)}")
        )
    else:
        reasons.extend(eligibility_reasons(min_fans=rule.min_fans, platforms=[platform], accounts=accounts, of="the sample rule"))
    if used >= rule.monthly_cap_per_anchor:
        reasons.append(
            Reason(
                "monthly_cap",
                f"本月已申请 {used} 次，达到上限 {rule.monthly_cap_per_anchor} / "
                f"monthly cap of {rule.monthly_cap_per_anchor} reached",
            )
        )
    return reasons


def samples_used(anchor_product_ids: list[tuple[int, int]], at: datetime) -> dict[tuple[int, int], int]:
    """Requests counted against the monthly cap per (anchor, product) in the Asia/Shanghai month of `at`."""
    if not anchor_product_ids:
        return {}
    start, end = month_bounds(at)
    pairs = Q()
    for anchor_id, product_id in set(anchor_product_ids):
        pairs |= Q(anchor_id=anchor_id, product_id=product_id)
    rows = (
        SampleRequest.objects.filter(pairs, created_at__gte=start, created_at__lt=end, state__in=SAMPLE_COUNTED_STATES)
        .values("anchor_id", "product_id")
        .annotate(n=Count("id"))
    )
    return {(r["anchor_id"], r["product_id"]): r["n"] for r in rows}


@dataclass(frozen=True)
class PlatformEligibility:
    platform: str
    eligible: bool
    reasons: list[Reason]


@dataclass(frozen=True)
class SampleEligibility:
    """Whether an anchor may ask for a sample of a product now, before any form is filled in."""

    anchor_id: int
    product_id: int
    rule: SampleRule | None  # the active rule; None: the product takes no samples
    month: str  # the Asia/Shanghai month the cap counts, "2026-03"
    used: int
    left: int
    platforms: list[PlatformEligibility]  # every platform, in Platform order
    ship_to: str  # the address to start the form with ("" when none is known)

    reasons: list[Reason]  # when eligible on no platform: why, in short (empty when eligible)

    @property
    def takes_samples(self) -> bool:
        return self.rule is not None

    @property
    def eligible(self) -> bool:
        return any(p.eligible for p in self.platforms)


def _summary(rule: SampleRule | None, platforms: list[PlatformEligibility], accounts: list[tuple[str, int]]) -> list[Reason]:
    """Why an anchor is eligible on no platform, in short: what stops every platform alike (no rule,
    the cap), else the fans or accounts on the platforms the rule accepts."""
    if any(p.eligible for p in platforms):
        return []
    shared = [r for r in platforms[0].reasons if all(r in p.reasons for p in platforms)]
    if shared or rule is None:
        return shared
    return eligibility_reasons(min_fans=rule.min_fans, platforms=rule.platforms, accounts=accounts, of="the sample rule")


def last_ship_to(*, user: User, anchor_ids: list[int]) -> dict[int, str]:
    """The address each anchor's last sample request went to; an anchor that never asked gets the
    address of the last request of any anchor the user manages (an MCN ships to one office). The
    result has a key for every anchor; "" when nothing is known."""
    if not anchor_ids:
        return {}
    own = dict(
        SampleRequest.objects.filter(anchor_id__in=anchor_ids)
        .order_by("anchor_id", "-created_at", "-id")
        .distinct("anchor_id")
        .values_list("anchor_id", "ship_to")
    )
    fallback = ""
    if len(own) < len(set(anchor_ids)):
        fallback = (
            SampleRequest.objects.filter(managed_anchor_ids_q(user))
            .order_by("-created_at", "-id")
            .values_list("ship_to", flat=True)
            .first()
            or ""
        )
    return {anchor_id: own.get(anchor_id, fallback) for anchor_id in anchor_ids}


def sample_eligibilities(
    *, user: User, anchor_product_ids: list[tuple[int, int]], at: datetime | None = None
) -> dict[tuple[int, int], SampleEligibility]:
    """The sample eligibility of each (anchor, product), in a fixed number of queries whatever the
    number of pairs. The caller has already scoped the anchors to those `user` manages."""
    at = at or timezone.now()
    pairs = list(dict.fromkeys(anchor_product_ids))
    if not pairs:
        return {}
    anchor_ids = sorted({a for a, _ in pairs})
    rules = {r.product_id: r for r in SampleRule.objects.filter(product_id__in={p for _, p in pairs}, is_active=True)}
    accounts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for anchor_id, platform, fans in AnchorAccount.objects.filter(anchor_id__in=anchor_ids).values_list(
        "anchor_id", "platform", "fans"
    ):
        accounts[anchor_id].append((platform, fans))
    used = samples_used([pair for pair in pairs if pair[1] in rules], at)
    addresses = last_ship_to(user=user, anchor_ids=anchor_ids)
    month = f"{month_start(at):%Y-%m}"
    result: dict[tuple[int, int], SampleEligibility] = {}
    for anchor_id, product_id in pairs:
        rule = rules.get(product_id)
        count = used.get((anchor_id, product_id), 0)
        platforms = []
        for platform in Platform.values:
            reasons = sample_refusals(rule=rule, platform=platform, accounts=accounts[anchor_id], used=count)
            platforms.append(PlatformEligibility(platform=platform, eligible=not reasons, reasons=reasons))
        result[(anchor_id, product_id)] = SampleEligibility(
            anchor_id=anchor_id,
            product_id=product_id,
            rule=rule,
            month=month,
            used=count,
            left=max(rule.monthly_cap_per_anchor - count, 0) if rule else 0,
            platforms=platforms,
            ship_to=addresses.get(anchor_id, ""),
            reasons=_summary(rule, platforms, accounts[anchor_id]),
        )
    return result


# ---------------------------------------------------------------------------------------------
# Samples: fulfilment and ROI.


@dataclass(frozen=True)
class Fulfilment:
    anchor_id: int
    anchor_name: str
    approved: int  # samples approved (including delivered)
    delivered: int  # content recorded
    overdue: int  # approved, deadline passed, no content
    open: int  # approved, still within the deadline
    rate: str | None  # delivered / (delivered + overdue), "0.75"; None when nothing is due yet


def fulfilment_rates(
    *, anchor_ids: list[int] | None = None, brand_id: int | None = None, at: datetime | None = None
) -> list[Fulfilment]:
    """Each anchor's sample fulfilment rate: content delivered out of the samples whose content is due."""
    at = at or timezone.now()
    rows = SampleRequest.objects.filter(state__in=[SampleState.APPROVED, SampleState.FULFILLED])
    if anchor_ids is not None:
        rows = rows.filter(anchor_id__in=anchor_ids)
    if brand_id is not None:
        rows = rows.filter(brand_id=brand_id)
    stats = (
        rows.values("anchor_id", "anchor__name")
        .annotate(
            approved=Count("id"),
            delivered=Count("id", filter=Q(state=SampleState.FULFILLED)),
            overdue=Count("id", filter=Q(state=SampleState.APPROVED, content_due_at__lte=at)),
        )
        .order_by("anchor_id")
    )
    result = []
    for row in stats:
        due = row["delivered"] + row["overdue"]
        rate = None if due == 0 else str((Decimal(row["delivered"]) / Decimal(due)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        result.append(
            Fulfilment(
                anchor_id=row["anchor_id"],
                anchor_name=row["anchor__name"],
                approved=row["approved"],
                delivered=row["delivered"],
                overdue=row["overdue"],
                open=row["approved"] - row["delivered"] - row["overdue"],
                rate=rate,
            )
        )
    return result


@dataclass(frozen=True)
class SampleRoiRow:
    product_id: int
    product_name: str
    samples: int
    anchors: int
    cost_minor: int
    gmv_minor: int
    currency: str
    roi: str | None  # GMV / cost, two decimals; None when the cost is 0


def sample_roi(*, brand_id: int, since: date | None = None, until: date | None = None) -> list[SampleRoiRow]:
    """A brand's sample ROI per product: what its approved samples cost against the GMV the sampled
    anchors later sold of that product.

    Per (anchor, product): cost is the sum of the frozen costs of its approved samples (approved or
    delivered; `since`/`until` filter the approval day); GMV is that anchor's sales of any SKU of the
    product (AnchorProductSales) from the day of its first such approval (Asia/Shanghai) on — counted
    once however many samples the anchor had. ROI = GMV / cost.
    """
    samples = SampleRequest.objects.filter(brand_id=brand_id, state__in=[SampleState.APPROVED, SampleState.FULFILLED])
    if since is not None:
        samples = samples.filter(decided_at__gte=datetime.combine(since, time.min, tzinfo=SHANGHAI))
    if until is not None:
        samples = samples.filter(decided_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=SHANGHAI))
    pairs = list(
        samples.values("anchor_id", "product_id", "product__name", "currency")
        .annotate(first=Min("decided_at"), cost=Sum("cost_minor"), n=Count("id"))
        .order_by("product_id", "anchor_id")
    )
    if not pairs:
        return []
    match = Q()
    for pair in pairs:
        match |= Q(anchor_id=pair["anchor_id"], product_id=pair["product_id"], day__gte=local_day(pair["first"]))
    sales_rows = AnchorProductSales.objects.filter(match)
    if until is not None:
        sales_rows = sales_rows.filter(day__lte=until)
    gmv = {
        (r["anchor_id"], r["product_id"]): int(r["gmv"])
        for r in sales_rows.values("anchor_id", "product_id").annotate(gmv=Sum("gmv_minor"))
    }
    by_product: dict[int, dict[str, Any]] = defaultdict(lambda: {"samples": 0, "anchors": 0, "cost": 0, "gmv": 0})
    for pair in pairs:
        row = by_product[pair["product_id"]]
        row.update(name=pair["product__name"], currency=pair["currency"])
        row["samples"] += pair["n"]
        row["anchors"] += 1
        row["cost"] += int(pair["cost"] or 0)
        row["gmv"] += gmv.get((pair["anchor_id"], pair["product_id"]), 0)
    return [
        SampleRoiRow(
            product_id=product_id,
            product_name=row["name"],
            samples=row["samples"],
            anchors=row["anchors"],
            cost_minor=row["cost"],
            gmv_minor=row["gmv"],
            currency=row["currency"],
            roi=None
            if row["cost"] == 0
            else str((Decimal(row["gmv"]) / Decimal(row["cost"])).quantize(Decimal("0.01"), ROUND_HALF_UP)),
        )
        for product_id, row in sorted(by_product.items())
    ]
