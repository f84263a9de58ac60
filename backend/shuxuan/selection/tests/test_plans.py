"""Commission plans: precedence and eligibility with reasons, rate history (a cut from the next
Asia/Shanghai day, a raise at once), the append-only versions, and the search-row columns."""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog.models import PlanType, SkuSearchRow
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.selection import services
from shuxuan.selection.models import CommissionPlan, PlanApplication, PlanRateVersion
from shuxuan.selection.selectors import rate_for
from shuxuan.selection.tests.conftest import at

pytestmark = pytest.mark.django_db


def codes(quote, plan_id):
    verdict = next(v for v in quote.considered if v.plan_id == plan_id)
    return [r.code for r in verdict.reasons]


def messages(quote, plan_id):
    verdict = next(v for v in quote.considered if v.plan_id == plan_id)
    return [r.message for r in verdict.reasons]


def test_precedence_exclusive_over_targeted_over_open_with_reasons(world):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        open_plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
        targeted = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="targeted", rate_bps=2500, approval="auto"
        )
        exclusive = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="exclusive", rate_bps=1800, target_mcn=world.mcn
        )
        PlanApplication.objects.create(
            plan=targeted, anchor=world.xiaoman, brand=world.brand, state="approved", requested_by=world.xiaoman_user
        )

        quote = rate_for(anchor=world.xiaoman, sku=world.sku)
        # Exclusive wins even at a lower rate: precedence is by type first.
        assert (quote.rate_bps, quote.plan_id, quote.plan_type) == (1800, exclusive.pk, "exclusive")
        assert codes(quote, targeted.pk) == ["outranked"]
        assert codes(quote, open_plan.pk) == ["outranked"]

        # The stranger is bound to another MCN: not named, no application -> the open plan; may apply.
        quote = rate_for(anchor=world.stranger, sku=world.sku)
        assert (quote.rate_bps, quote.plan_id) == (2000, open_plan.pk)
        assert codes(quote, exclusive.pk) == ["not_named"]
        assert codes(quote, targeted.pk) == ["no_application"]
        assert quote.can_apply_plan_id == targeted.pk


def test_sku_plan_beats_product_plan_of_the_same_type_and_ads_rate(world):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        product_plan = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=3000, ads_rate_bps=2000
        )
        sku_plan = services.plan_create(
            actor=world.brand_owner, product=world.product, sku=world.sku, plan_type="open", rate_bps=1500
        )
        assert rate_for(anchor=world.amon, sku=world.sku).plan_id == sku_plan.pk
        other = rate_for(anchor=world.amon, sku=world.sku2)
        assert (other.plan_id, other.rate_bps) == (product_plan.pk, 3000)
        assert rate_for(anchor=world.amon, sku=world.sku2, ads=True).rate_bps == 2000
        assert [v.plan_id for v in rate_for(anchor=world.amon, sku=world.sku2).considered] == [product_plan.pk]


def test_eligibility_reasons_fans_platform_validity_pending(world):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        fans = services.plan_create(
            actor=world.brand_owner, product=world.product, sku=world.sku, plan_type="open", rate_bps=2000, min_fans=500_000
        )
        platform = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=1000, platforms=["taobao"]
        )
        later = services.plan_create(
            actor=world.brand_owner,
            product=world.product,
            plan_type="targeted",
            rate_bps=3000,
            valid_from=at(2026, 4, 1),
        )
        pending = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="targeted", rate_bps=2800)
        PlanApplication.objects.create(plan=pending, anchor=world.amon, brand=world.brand, requested_by=world.mcn_owner)

        quote = rate_for(anchor=world.amon, sku=world.sku)
        assert quote.rate_bps is None
        assert codes(quote, fans.pk) == ["fans_below_minimum"]  # 310k < 500k
        assert "310000" in next(r.message for v in quote.considered if v.plan_id == fans.pk for r in v.reasons)
        assert codes(quote, platform.pk) == ["platform"]
        assert codes(quote, later.pk) == ["not_yet_valid"]
        # Times a person reads are Asia/Shanghai in both languages, never UTC or raw ISO.
        assert messages(quote, later.pk) == ["计划 2026-04-01 00:00 起生效 / valid from 2026-04-01 00:00 (UTC+8)"]
        assert codes(quote, pending.pk) == ["application_pending"]
        assert quote.pending_application_id is not None
        assert [r.code for r in quote.reasons] == ["no_plan"]

        # The same anchor counts only accounts on the plan's platforms toward min_fans.
        services.plan_update(actor=world.brand_owner, plan=fans, data={"platforms": ["xiaohongshu"], "min_fans": 300_000})
        assert rate_for(anchor=world.amon, sku=world.sku).plan_id == fans.pk

    with time_machine.travel(at(2026, 4, 2, 10), tick=False):
        services.plan_end(actor=world.brand_owner, plan=fans)
        quote = rate_for(anchor=world.amon, sku=world.sku)
        assert codes(quote, fans.pk) == ["expired"]
        assert messages(quote, fans.pk) == ["计划已于 2026-04-02 10:00 结束 / ended 2026-04-02 10:00 (UTC+8)"]
        assert codes(quote, later.pk) == ["no_application"]


def test_rate_cut_takes_effect_next_natural_day_and_raise_at_once(world):
    with time_machine.travel(at(2026, 3, 10, 23, 30), tick=False):  # 15:30 UTC: still the 10th in Shanghai
        plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=3000)
        services.plan_update(actor=world.brand_owner, plan=plan, data={"rate_bps": 2000})
        cut = PlanRateVersion.objects.filter(plan=plan).latest("id")
        assert cut.effective_from == at(2026, 3, 11)
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 3000
        assert SkuSearchRow.objects.get(pk=world.sku.pk).commission_bps == 3000
    with time_machine.travel(at(2026, 3, 11, 0, 0, 1), tick=False):
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 2000
        # The beat task brings the search row in step at midnight.
        assert services.commission_signals_refresh_due() == 2
        assert SkuSearchRow.objects.get(pk=world.sku.pk).commission_bps == 2000
        assert SkuSearchRow.objects.get(pk=world.sku.pk).est_earnings_minor == 598  # 2990 × 20%
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        services.plan_update(actor=world.brand_owner, plan=plan, data={"rate_bps": 2600})
        raise_ = PlanRateVersion.objects.filter(plan=plan).latest("id")
        assert raise_.effective_from == at(2026, 3, 11, 9)
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 2600
        assert SkuSearchRow.objects.get(pk=world.sku.pk).commission_bps == 2600
        # A cut waiting for midnight, then a raise the same day: the later decision wins from midnight too.
        services.plan_update(actor=world.brand_owner, plan=plan, data={"rate_bps": 1000})
        services.plan_update(actor=world.brand_owner, plan=plan, data={"rate_bps": 2700})
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 2700
    with time_machine.travel(at(2026, 3, 12, 8), tick=False):
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 2700
    assert [a.action for a in AuditEntry.objects.filter(object_id=str(plan.pk), action__startswith="selection.plan")] == [
        "selection.plan.rate_change",
        "selection.plan.rate_change",
        "selection.plan.rate_change",
        "selection.plan.rate_change",
        "selection.plan.create",
    ]


def test_lowering_the_ads_rate_or_a_tier_is_a_cut(world):
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        plan = services.plan_create(
            actor=world.brand_owner,
            product=world.product,
            plan_type="open",
            rate_bps=2000,
            tiers=[{"min_gmv_minor": 100_000, "rate_bps": 2500}],
        )
        services.plan_update(
            actor=world.brand_owner, plan=plan, data={"rate_bps": 2100, "tiers": [{"min_gmv_minor": 100_000, "rate_bps": 2400}]}
        )
        assert PlanRateVersion.objects.filter(plan=plan).latest("id").effective_from == at(2026, 3, 11)
        services.plan_update(actor=world.brand_owner, plan=plan, data={"ads_rate_bps": 1000})
        assert PlanRateVersion.objects.filter(plan=plan).latest("id").effective_from == at(2026, 3, 11)


def test_gmv_tiers_step_the_rate_on_the_month_to_date_gmv(world):
    with time_machine.travel(at(2026, 3, 20, 12), tick=False):
        services.plan_create(
            actor=world.brand_owner,
            product=world.product,
            plan_type="open",
            rate_bps=2000,
            tiers=[{"min_gmv_minor": 100_000, "rate_bps": 2500}, {"min_gmv_minor": 500_000, "rate_bps": 3000}],
        )
        assert rate_for(anchor=world.amon, sku=world.sku).rate_bps == 2000
        services.anchor_sales_record(
            anchor_id=world.amon.pk, sku_id=world.sku.pk, day=at(2026, 2, 28).date(), gmv_minor=900_000, units=300
        )
        services.anchor_sales_record(
            anchor_id=world.amon.pk, sku_id=world.sku.pk, day=at(2026, 3, 1).date(), gmv_minor=60_000, units=20
        )
        services.anchor_sales_record(
            anchor_id=world.amon.pk, sku_id=world.sku2.pk, day=at(2026, 3, 5).date(), gmv_minor=40_000, units=10
        )
        quote = rate_for(anchor=world.amon, sku=world.sku)  # February does not count; 60k + 40k = 100k this month
        assert (quote.rate_bps, quote.tier_min_gmv_minor, quote.month_gmv_minor) == (2500, 100_000, 100_000)


def test_versions_are_append_only_in_the_database(world):
    plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    version = plan.versions.get()
    for statement in (
        "UPDATE selection_planrateversion SET rate_bps = 1 WHERE id = %s",
        "DELETE FROM selection_planrateversion WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [version.pk])
    assert PlanRateVersion.objects.get(pk=version.pk).rate_bps == 2000


def test_rate_range_is_checked_by_the_database_too(world):
    plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    with pytest.raises(IntegrityError, match="selection_version_rate_range"), transaction.atomic():
        PlanRateVersion.objects.create(plan=plan, rate_bps=8001, effective_from=plan.valid_from, created_by=world.brand_owner)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate_bps": 8001}, "rate_bps"),
        ({"rate_bps": 2000, "ads_rate_bps": -1}, "ads_rate_bps"),
        (
            {"rate_bps": 2000, "tiers": [{"min_gmv_minor": 500, "rate_bps": 2100}, {"min_gmv_minor": 400, "rate_bps": 2200}]},
            "tiers[1].min_gmv_minor",
        ),
        ({"rate_bps": 2000, "platforms": ["myspace"]}, "platforms"),
        ({"rate_bps": 2000, "plan_type": "exclusive"}, "target_anchor"),
    ],
)
def test_bad_plan_input_names_the_field_and_writes_nothing(world, kwargs, field):
    before = (CommissionPlan.objects.count(), PlanRateVersion.objects.count(), AuditEntry.objects.count())
    kwargs = {"plan_type": "open", **kwargs}
    with pytest.raises(DomainError) as error:
        services.plan_create(actor=world.brand_owner, product=world.product, **kwargs)
    assert error.value.field == field
    assert (CommissionPlan.objects.count(), PlanRateVersion.objects.count(), AuditEntry.objects.count()) == before


def test_one_open_plan_per_scope_and_only_the_brand(world):
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    before = (
        CommissionPlan.objects.count(),
        AuditEntry.objects.count(),
        SkuSearchRow.objects.get(pk=world.sku.pk).commission_bps,
    )
    with pytest.raises(Conflict) as error:
        services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2500)
    assert error.value.field == "valid_from"
    with pytest.raises(DomainError):
        services.plan_create(actor=world.other_owner, product=world.product, plan_type="open", rate_bps=2500, sku=world.sku)
    after = (CommissionPlan.objects.count(), AuditEntry.objects.count(), SkuSearchRow.objects.get(pk=world.sku.pk).commission_bps)
    assert after == before == (1, before[1], 2000)


def test_search_row_signals_follow_the_plans(world):
    row = lambda sku: SkuSearchRow.objects.values_list("commission_bps", "plan_type").get(pk=sku.pk)  # noqa: E731
    exclusive = services.plan_create(
        actor=world.brand_owner, product=world.product, plan_type="exclusive", rate_bps=4000, target_anchor=world.xiaoman
    )
    assert row(world.sku) == (0, PlanType.EXCLUSIVE)
    services.plan_create(actor=world.brand_owner, product=world.product, sku=world.sku2, plan_type="targeted", rate_bps=3500)
    assert row(world.sku2) == (3500, PlanType.TARGETED)
    open_plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2200)
    assert row(world.sku) == row(world.sku2) == (2200, PlanType.OPEN)
    services.plan_end(actor=world.brand_owner, plan=open_plan)
    services.plan_end(actor=world.brand_owner, plan=exclusive)
    assert row(world.sku) == (0, PlanType.OPEN)
    # The recompute-all command writes the same values.
    services.commission_signals_recompute_all()
    assert row(world.sku2) == (3500, PlanType.TARGETED)
