"""Samples: who may ask for one (寄样资格), the monthly cap and the refusals, one wording for the read and the write."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from shuxuan.parties import facade as parties
from shuxuan.parties.models import Platform, User
from shuxuan.selection.models import (
    SampleRequest,
    SampleRule,
    SampleState,
)
from shuxuan.selection.selectors.clock import month_bounds, month_start
from shuxuan.selection.selectors.managers import managed_anchor_ids_q
from shuxuan.selection.selectors.rates import Reason, eligibility_reasons

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
    for anchor_id, platform, fans in (
        parties.anchor_accounts().filter(anchor_id__in=anchor_ids).values_list("anchor_id", "platform", "fans")
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
