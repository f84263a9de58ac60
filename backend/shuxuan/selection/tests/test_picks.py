"""Pick list (货盘): a pick freezes the plan, version and rate of its moment; targeted plans go
through the brand's application queue and approval freezes the rate then."""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.selection import services
from shuxuan.selection.models import ApplicationState, Pick, PickState, PlanApplication
from shuxuan.selection.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_pick_freezes_rate_and_a_later_change_never_rewrites_it(world):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        plan = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2500, ads_rate_bps=1800
        )
        pick = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
        version = plan.versions.get()
        assert (pick.state, pick.plan_id, pick.version_id, pick.rate_bps, pick.ads_rate_bps, pick.plan_type) == (
            PickState.ACTIVE,
            plan.pk,
            version.pk,
            2500,
            1800,
            "open",
        )
        assert pick.mcn_id == world.mcn.pk
        assert pick.frozen_at == at(2026, 3, 10, 10)
        services.plan_update(actor=world.brand_owner, plan=plan, data={"rate_bps": 3000})  # raise, at once
    with time_machine.travel(at(2026, 3, 12), tick=False):
        pick.refresh_from_db()
        assert (pick.rate_bps, pick.version_id) == (2500, version.pk)
        # A new pick of the other SKU freezes today's rate.
        later = services.pick_add(actor=world.mcn_owner, anchor=world.xiaoman, sku=world.sku2)
        assert later.rate_bps == 3000
    # The database refuses to change frozen terms.
    with pytest.raises(IntegrityError, match="frozen terms"), transaction.atomic():
        Pick.objects.filter(pk=pick.pk).update(rate_bps=3000)
    with pytest.raises(IntegrityError, match="history"), transaction.atomic():
        Pick.objects.filter(pk=pick.pk).delete()


def test_pick_refusals_name_the_field_and_write_nothing(world):
    before = (Pick.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as error:  # no plan at all
        services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
    assert (error.value.field, error.value.code) == ("sku", "no_plan")
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    before = (Pick.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as error:  # the anchor's own login acts for that anchor only
        services.pick_add(actor=world.xiaoman_user, anchor=world.amon, sku=world.sku)
    assert error.value.field == "anchor"
    with pytest.raises(DomainError) as error:  # another MCN's anchor
        services.pick_add(actor=world.mcn_owner, anchor=world.stranger, sku=world.sku)
    assert error.value.field == "anchor"
    with pytest.raises(DomainError):  # a brand does not pick
        services.pick_add(actor=world.brand_owner, anchor=world.amon, sku=world.sku)
    assert (Pick.objects.count(), AuditEntry.objects.count()) == before
    services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    with pytest.raises(Conflict) as error:
        services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    assert error.value.field == "sku"


def test_targeted_pick_waits_for_the_brand_and_approval_freezes_the_rate_then(world):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        open_plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
        targeted = services.plan_create(
            actor=world.brand_owner, product=world.product, plan_type="targeted", rate_bps=3000, min_fans=1_000_000
        )
        # amon (310k fans) is not eligible: the open plan is frozen at once, no application.
        amon_pick = services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
        assert (amon_pick.state, amon_pick.plan_id, amon_pick.application_id) == (PickState.ACTIVE, open_plan.pk, None)
        # xiaoman is eligible: an application goes to the brand's queue and the pick waits.
        pick = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
        second = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku2)
        application = PlanApplication.objects.get()
        assert (pick.state, pick.rate_bps, pick.application_id) == (PickState.PENDING, None, application.pk)
        assert second.application_id == application.pk  # one application per plan and anchor
        assert (application.state, application.brand_id, application.anchor_id) == ("pending", world.brand.pk, world.xiaoman.pk)
    with time_machine.travel(at(2026, 3, 11, 15), tick=False):
        services.plan_update(actor=world.brand_owner, plan=targeted, data={"rate_bps": 3300})  # raise before approval
        with pytest.raises(DomainError):
            services.application_decide(actor=world.other_owner, application=application, approve=True)
        services.application_decide(actor=world.brand_owner, application=application, approve=True)
        for p in (pick, second):
            p.refresh_from_db()
            assert (p.state, p.plan_id, p.rate_bps, p.frozen_at) == (PickState.ACTIVE, targeted.pk, 3300, at(2026, 3, 11, 15))
        with pytest.raises(Conflict):
            services.application_decide(actor=world.brand_owner, application=application, approve=False, reason="x")


def test_rejected_application_falls_back_to_what_applies_then(world):
    targeted = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="targeted", rate_bps=3000)
    pick = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
    application = PlanApplication.objects.get(plan=targeted)
    with pytest.raises(DomainError) as error:
        services.application_decide(actor=world.brand_owner, application=application, approve=False, reason=" ")
    assert error.value.field == "reason"
    assert PlanApplication.objects.get(pk=application.pk).state == "pending"
    services.application_decide(actor=world.brand_owner, application=application, approve=False, reason="粉丝画像不符")
    pick.refresh_from_db()
    assert (pick.state, pick.rate_bps) == (PickState.REJECTED, None)
    # With an open plan now, re-picking replaces the rejected pick and freezes the open rate.
    open_plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=1800)
    again = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
    assert (again.state, again.plan_id, again.rate_bps) == (PickState.ACTIVE, open_plan.pk, 1800)
    pick.refresh_from_db()
    assert pick.state == PickState.REMOVED


def test_auto_approved_targeted_plan_freezes_at_once(world):
    targeted = services.plan_create(
        actor=world.brand_owner, product=world.product, plan_type="targeted", rate_bps=3000, approval="auto"
    )
    pick = services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    assert (pick.state, pick.plan_id, pick.rate_bps) == (PickState.ACTIVE, targeted.pk, 3000)
    assert PlanApplication.objects.get().state == ApplicationState.APPROVED


def test_remove_pick_keeps_history(world):
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    pick = services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    services.pick_remove(actor=world.mcn_owner, pick=pick)
    pick.refresh_from_db()
    assert pick.state == PickState.REMOVED and pick.removed_at is not None and pick.rate_bps == 2000
    assert services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku).pk != pick.pk
