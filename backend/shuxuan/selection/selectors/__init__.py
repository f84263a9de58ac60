"""Reads of the selection context: which commission applies and why (`rate_for`), the search-row
signals, scoped querysets for the API, the calendar, the sample fulfilment rate and sample ROI.

Which plan applies to an anchor on a SKU at a moment (docs/domain.md section 5, step 2):
1. Only plans whose validity window contains the moment and that have a rate version in force.
2. The anchor must be eligible: an account on one of the plan's platforms (any, if none listed) with at
   least `min_fans` fans on such an account. Exclusive plans apply only to the named anchor or to
   anchors bound to the named MCN at that moment; targeted plans only with an approved application.
3. Of the plans that apply: exclusive > targeted > open; within a type a SKU plan beats a product plan;
   then the higher rate; then the older plan.

One module per business process; this package re-exports their public names.
"""

from __future__ import annotations

from shuxuan.selection.selectors.clock import SHANGHAI, TYPE_RANK, local_day, month_bounds, month_start, next_local_midnight
from shuxuan.selection.selectors.eligibility import (
    SAMPLE_COUNTED_STATES,
    SAMPLE_REFUSAL_FIELD,
    PlatformEligibility,
    SampleEligibility,
    last_ship_to,
    sample_eligibilities,
    sample_refusals,
    samples_used,
)
from shuxuan.selection.selectors.fulfilment import Fulfilment, SampleRoiRow, fulfilment_rates, sample_roi
from shuxuan.selection.selectors.managers import managed_anchor_ids_q, user_manages_anchor
from shuxuan.selection.selectors.querysets import (
    application_queryset,
    pick_queryset,
    plan_queryset,
    sample_queryset,
    sample_rule_queryset,
    session_queryset,
    sessions_in_range,
    stock_item_for,
)
from shuxuan.selection.selectors.rates import (
    AnchorFacts,
    PlanVerdict,
    RateQuote,
    Reason,
    anchor_facts,
    eligibility_reasons,
    rate_for,
    rate_of_version,
    rate_quotes,
    version_in_force,
    versions_in_force,
)
from shuxuan.selection.selectors.signals import commission_signals, products_with_plan_changes

__all__ = [
    "SAMPLE_COUNTED_STATES",
    "SAMPLE_REFUSAL_FIELD",
    "SHANGHAI",
    "TYPE_RANK",
    "AnchorFacts",
    "Fulfilment",
    "PlanVerdict",
    "PlatformEligibility",
    "RateQuote",
    "Reason",
    "SampleEligibility",
    "SampleRoiRow",
    "anchor_facts",
    "application_queryset",
    "commission_signals",
    "eligibility_reasons",
    "fulfilment_rates",
    "last_ship_to",
    "local_day",
    "managed_anchor_ids_q",
    "month_bounds",
    "month_start",
    "next_local_midnight",
    "pick_queryset",
    "plan_queryset",
    "products_with_plan_changes",
    "rate_for",
    "rate_of_version",
    "rate_quotes",
    "sample_eligibilities",
    "sample_queryset",
    "sample_refusals",
    "sample_roi",
    "sample_rule_queryset",
    "samples_used",
    "session_queryset",
    "sessions_in_range",
    "stock_item_for",
    "user_manages_anchor",
    "version_in_force",
    "versions_in_force",
]
