"""Sample requests (寄样): rules and monthly caps, the brand's deadline and the expiry task, stock
held on approval, content with one extension, the fulfilment rate and the brand's sample ROI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.selection import services, tasks
from shuxuan.selection.models import SampleRequest, SampleState, StockHold
from shuxuan.selection.selectors import fulfilment_rates, sample_roi
from shuxuan.selection.tests.conftest import at, stock
from shuxuan.supply import services as supply
from shuxuan.supply.models import Reservation, Shipment, StockBalance

pytestmark = pytest.mark.django_db


def ask(world, anchor=None, sku=None, platform="douyin", quantity=1):
    anchor = anchor or world.xiaoman
    actor = world.xiaoman_user if anchor == world.xiaoman else world.mcn_owner
    return services.sample_request_create(
        actor=actor, anchor=anchor, sku=sku or world.sku, platform=platform, quantity=quantity, ship_to="成都市武侯区"
    )


@pytest.fixture
def rule(world):
    return services.sample_rule_set(
        actor=world.brand_owner,
        product=world.product,
        data={
            "min_fans": 200_000,
            "platforms": ["douyin", "xiaohongshu"],
            "monthly_cap_per_anchor": 2,
            "shipping_cost_minor": 1200,
        },
    )


def test_eligibility_and_monthly_cap(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        with pytest.raises(DomainError) as error:  # amon has 120k on douyin
            ask(world, anchor=world.amon, platform="douyin")
        assert error.value.code == "fans_below_minimum"
        assert ask(world, anchor=world.amon, platform="xiaohongshu").state == "pending"  # 310k there
        with pytest.raises(DomainError) as error:
            ask(world, platform="kuaishou")
        assert error.value.field == "platform"
        with pytest.raises(DomainError) as error:
            ask(world, quantity=3)
        assert error.value.field == "quantity"
        first = ask(world)
        ask(world, sku=world.sku2)  # the cap is per product, across its SKUs
        before = (SampleRequest.objects.count(), AuditEntry.objects.count())
        with pytest.raises(DomainError) as error:
            ask(world)
        assert (error.value.field, error.value.code) == ("sku", "monthly_cap")
        assert (SampleRequest.objects.count(), AuditEntry.objects.count()) == before
        # A rejected request frees its place in the month.
        services.sample_request_reject(actor=world.brand_owner, sample=first, reason="名额已满")
        ask(world)
    with time_machine.travel(at(2026, 4, 1, 0, 5), tick=False):  # a new Shanghai month
        ask(world)
    with pytest.raises(DomainError) as error:
        ask(world, sku=world.other_product.skus.get())
    assert error.value.code == "no_sample_rule"


def test_decision_deadline_and_idempotent_expiry_task(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        late = ask(world)
        decided = ask(world, sku=world.sku2)
        assert late.decide_by == at(2026, 3, 13, 10)  # decision_days = 3
        services.sample_request_reject(actor=world.brand_owner, sample=decided, reason="不合作")
    with time_machine.travel(at(2026, 3, 13, 9, 59), tick=False):
        assert tasks.sample_requests_expire() == []
    with time_machine.travel(at(2026, 3, 13, 10, 1), tick=False):
        assert tasks.sample_requests_expire() == [late.pk]
        audit = AuditEntry.objects.count()
        assert tasks.sample_requests_expire() == []  # a second run writes nothing
        assert AuditEntry.objects.count() == audit
        late.refresh_from_db()
        assert late.state == SampleState.EXPIRED
        with pytest.raises(Conflict):
            services.sample_request_approve(actor=world.brand_owner, sample=late)
    assert SampleRequest.objects.get(pk=decided.pk).state == SampleState.REJECTED


def test_approval_holds_stock_in_supply_when_mapped_else_in_selection(world, rule):
    item = stock(world, world.sku, 5)
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        mapped = ask(world, quantity=2)
        unmapped = ask(world, sku=world.sku2)
        services.sample_request_approve(actor=world.brand_owner, sample=mapped)
        services.sample_request_approve(actor=world.brand_owner, sample=unmapped)
    mapped.refresh_from_db()
    assert mapped.state == SampleState.APPROVED
    assert mapped.cost_minor == 2 * 980 + 1200
    assert mapped.content_due_at == at(2026, 3, 24, 10)
    reservation = Reservation.objects.get(pk=mapped.hold.reservation_id)
    assert (reservation.stock_item_id, reservation.quantity, reservation.purpose, reservation.state) == (
        item.pk,
        2,
        "sample",
        "active",
    )
    assert StockBalance.objects.get(stock_item=item, location__kind="storage").reserved == 2
    hold = StockHold.objects.get(sample=unmapped)
    assert (hold.reservation_id, hold.quantity, hold.state) == (None, 1, "active")


def test_approval_without_enough_stock_writes_nothing(world, rule):
    item = stock(world, world.sku, 1)
    sample = ask(world, quantity=2)
    before = (AuditEntry.objects.count(), StockHold.objects.count(), Reservation.objects.count())
    with pytest.raises(DomainError) as error:
        services.sample_request_approve(actor=world.brand_owner, sample=sample)
    assert (error.value.field, error.value.code) == ("quantity", "insufficient_stock")
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleState.PENDING
    assert (AuditEntry.objects.count(), StockHold.objects.count(), Reservation.objects.count()) == before
    assert StockBalance.objects.get(stock_item=item, location__kind="storage").reserved == 0


def test_content_and_one_extension(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        sample = ask(world)
        with pytest.raises(Conflict):  # not approved yet
            services.sample_content_record(actor=world.xiaoman_user, sample=sample, kind="video", url="https://v.douyin.com/x")
        services.sample_request_approve(actor=world.brand_owner, sample=sample)
    with time_machine.travel(at(2026, 3, 20), tick=False):
        with pytest.raises(DomainError) as error:
            services.sample_extension_request(actor=world.xiaoman_user, sample=sample, reason="")
        assert error.value.field == "reason"
        services.sample_extension_request(actor=world.xiaoman_user, sample=sample, reason="直播档期调整")
        sample.refresh_from_db()
        assert (sample.content_due_at, sample.extension_count) == (at(2026, 3, 31, 10), 1)  # + extension_days 7
        with pytest.raises(Conflict) as conflict:
            services.sample_extension_request(actor=world.xiaoman_user, sample=sample, reason="再延一次")
        assert conflict.value.field == "extension"
        with pytest.raises(DomainError) as error:
            services.sample_content_record(actor=world.xiaoman_user, sample=sample, kind="video", url="javascript:alert(1)")
        assert error.value.field == "url"
        services.sample_content_record(actor=world.xiaoman_user, sample=sample, kind="stream", url="https://live.douyin.com/123")
    sample.refresh_from_db()
    assert (sample.state, sample.content_kind, sample.content_recorded_at) == ("fulfilled", "stream", at(2026, 3, 20))


def test_fulfilment_rate(world, rule):
    services.sample_rule_set(actor=world.brand_owner, product=world.product, data={"monthly_cap_per_anchor": 5})
    with time_machine.travel(at(2026, 3, 1, 10), tick=False):
        samples = [ask(world) for _ in range(4)]
        for sample in samples:
            services.sample_request_approve(actor=world.brand_owner, sample=sample)
        services.sample_content_record(actor=world.xiaoman_user, sample=samples[0], kind="video", url="https://v.douyin.com/1")
    with time_machine.travel(at(2026, 3, 16), tick=False):  # due 15 March 10:00
        services.sample_content_record(actor=world.xiaoman_user, sample=samples[1], kind="video", url="https://v.douyin.com/2")
        [row] = fulfilment_rates(anchor_ids=[world.xiaoman.pk])
        # delivered 2 (one late), overdue 2: 2 / 4
        assert (row.approved, row.delivered, row.overdue, row.open, row.rate) == (4, 2, 2, 0, "0.50")
    with time_machine.travel(at(2026, 3, 2), tick=False):
        [row] = fulfilment_rates(anchor_ids=[world.xiaoman.pk])
        # Read earlier, nothing was due yet: delivered (as recorded now) 2, overdue 0, open 2.
        assert (row.delivered, row.overdue, row.open, row.rate) == (2, 0, 2, "1.00")


def test_sample_roi_hand_checked(world, rule):
    services.sample_rule_set(actor=world.brand_owner, product=world.product, data={"monthly_cap_per_anchor": 5})
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        a = ask(world, quantity=2)  # cost 2 × 9.80 + 12.00 = 31.60
        b = ask(world, anchor=world.amon, platform="xiaohongshu")  # cost 9.80 + 12.00 = 21.80
        services.sample_request_approve(actor=world.brand_owner, sample=a)
        services.sample_request_approve(actor=world.brand_owner, sample=b)
        pending = ask(world)  # not approved: no cost, no GMV
    with time_machine.travel(at(2026, 3, 8, 10), tick=False):
        c = ask(world)  # a second sample for xiaoman: cost 21.80, GMV still counted once from 5 March
        services.sample_request_approve(actor=world.brand_owner, sample=c)
    record = services.anchor_sales_record
    record(anchor_id=world.xiaoman.pk, sku_id=world.sku.pk, day=date(2026, 3, 4), gmv_minor=99_999, units=1)  # before: ignored
    record(anchor_id=world.xiaoman.pk, sku_id=world.sku.pk, day=date(2026, 3, 5), gmv_minor=29_900, units=10)
    record(anchor_id=world.xiaoman.pk, sku_id=world.sku2.pk, day=date(2026, 3, 9), gmv_minor=59_800, units=20)
    record(anchor_id=world.amon.pk, sku_id=world.sku.pk, day=date(2026, 3, 6), gmv_minor=2_990, units=1)
    record(anchor_id=world.stranger.pk, sku_id=world.sku.pk, day=date(2026, 3, 6), gmv_minor=500_000, units=100)  # no sample
    record(anchor_id=world.xiaoman.pk, sku_id=world.other_product.skus.get().pk, day=date(2026, 3, 6), gmv_minor=7_777, units=1)
    # Idempotent upsert: the orders context rewrites a day's totals.
    record(anchor_id=world.amon.pk, sku_id=world.sku.pk, day=date(2026, 3, 6), gmv_minor=5_980, units=2)

    [row] = sample_roi(brand_id=world.brand.pk)
    # cost 3160 + 2180 + 2180 = 7520; GMV 29900 + 59800 (xiaoman) + 5980 (amon) = 95680; ROI 95680 / 7520 = 12.72
    assert (row.product_id, row.samples, row.anchors, row.cost_minor, row.gmv_minor, row.roi) == (
        world.product.pk,
        3,
        2,
        7520,
        95680,
        "12.72",
    )
    [row] = sample_roi(brand_id=world.brand.pk, since=date(2026, 3, 6))  # only sample c (xiaoman, from 8 March)
    assert (row.samples, row.cost_minor, row.gmv_minor, row.roi) == (1, 2180, 59_800, "27.43")
    assert sample_roi(brand_id=world.other_brand.pk) == []
    assert pending.state == "pending"


def test_only_the_brand_decides_and_deadlines_count(world, rule):
    sample = ask(world)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.sample_request_approve(actor=world.other_owner, sample=sample)
    with pytest.raises(DomainError):
        services.sample_request_approve(actor=world.mcn_owner, sample=sample)
    assert AuditEntry.objects.count() == before
    with time_machine.travel(sample.decide_by + timedelta(seconds=1), tick=False), pytest.raises(Conflict) as error:
        services.sample_request_approve(actor=world.brand_owner, sample=sample)
    assert error.value.field == "decide_by"
    services.sample_request_cancel(actor=world.xiaoman_user, sample=sample)
    assert SampleRequest.objects.get(pk=sample.pk).state == "cancelled"


def _approved(world, sku, quantity=1):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        sample = ask(world, sku=sku, quantity=quantity)
        services.sample_request_approve(actor=world.brand_owner, sample=sample)
    return sample


def test_shipping_a_held_sample_through_selection_consumes_the_reservation_and_ends_the_hold(world, rule):
    item = stock(world, world.sku, 5)
    sample = _approved(world, world.sku, quantity=2)
    balance = StockBalance.objects.get(stock_item=item, location__kind="storage")
    assert (balance.on_hand, balance.reserved) == (5, 2)
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        services.sample_request_ship(actor=world.clerk, sample=sample, carrier="顺丰", tracking_number="SF1001")
    hold = StockHold.objects.get(sample=sample)
    assert (hold.state, hold.released_at) == ("released", at(2026, 3, 11, 9))
    assert Reservation.objects.get(pk=hold.reservation_id).state == "consumed"
    shipment = Shipment.objects.get(reference=f"selection.sample:{sample.pk}")
    assert (shipment.kind, shipment.tracking_number, shipment.lines.get().quantity) == ("sample", "SF1001", 2)
    balance.refresh_from_db()
    assert (balance.on_hand, balance.reserved) == (3, 0)  # shipped once, held no longer
    audit = AuditEntry.objects.get(action="selection.sample.ship")
    assert audit.changes["shipment"] == shipment.pk
    # Shipping again ships nothing and changes nothing.
    before = (Shipment.objects.count(), AuditEntry.objects.count(), balance.on_hand, balance.reserved)
    with pytest.raises(Conflict) as error:
        services.sample_request_ship(actor=world.clerk, sample=sample, carrier="顺丰", tracking_number="SF1002")
    assert error.value.code == "already_shipped"
    balance.refresh_from_db()
    assert (Shipment.objects.count(), AuditEntry.objects.count(), balance.on_hand, balance.reserved) == before
    assert services.sample_holds_settle() == []


def test_a_sample_shipped_from_the_supply_screen_ends_its_hold_once(world, rule):
    item = stock(world, world.sku, 5)
    sample = _approved(world, world.sku, quantity=2)
    hold = StockHold.objects.get(sample=sample)
    reservation = Reservation.objects.get(pk=hold.reservation_id)
    supply.shipment_create(
        actor=world.clerk,
        warehouse=reservation.warehouse,
        kind="sample",
        carrier="顺丰",
        tracking_number="SF2001",
        lines=[supply.PickInput(stock_item_id=item.pk, quantity=2, reservation_id=reservation.pk)],
        reference=f"selection.sample:{sample.pk}",
    )
    assert StockHold.objects.get(pk=hold.pk).state == "active"  # supply cannot reach selection: the sweep follows
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        assert tasks.sample_holds_settle() == [sample.pk]  # the beat task
        assert services.sample_holds_settle() == []  # once
    hold.refresh_from_db()
    assert (hold.state, hold.released_at) == ("released", at(2026, 3, 11, 9))
    assert AuditEntry.objects.filter(action="selection.sample.ship").count() == 1
    balance = StockBalance.objects.get(stock_item=item, location__kind="storage")
    assert (balance.on_hand, balance.reserved) == (3, 0)
    # Marking it shipped in selection afterwards ends nothing twice and ships nothing.
    shipments = Shipment.objects.count()
    with pytest.raises(Conflict):
        services.sample_request_ship(actor=world.clerk, sample=sample, carrier="顺丰", tracking_number="SF2001")
    assert Shipment.objects.count() == shipments


def test_a_sample_held_only_in_selection_is_shipped_by_its_brand(world, rule):
    sample = _approved(world, world.sku2)  # sku2 maps to no stock item
    with pytest.raises(DomainError):
        services.sample_request_ship(actor=world.other_owner, sample=sample, carrier="顺丰", tracking_number="SF3001")
    with pytest.raises(DomainError) as error:
        services.sample_request_ship(actor=world.brand_owner, sample=sample, carrier="顺丰", tracking_number=" ")
    assert error.value.field == "tracking_number"
    assert StockHold.objects.get(sample=sample).state == "active"
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        services.sample_request_ship(actor=world.brand_owner, sample=sample, carrier="顺丰", tracking_number="SF3001")
    hold = StockHold.objects.get(sample=sample)
    assert (hold.state, hold.released_at, hold.reservation_id) == ("released", at(2026, 3, 11, 9), None)
    assert not Shipment.objects.exists()


def test_a_pending_sample_does_not_ship(world, rule):
    stock(world, world.sku, 5)
    sample = ask(world)
    with pytest.raises(Conflict) as error:
        services.sample_request_ship(actor=world.clerk, sample=sample, carrier="顺丰", tracking_number="SF4001")
    assert error.value.field == "state"
    assert not Shipment.objects.exists()


def test_a_sample_reservation_released_in_supply_ends_the_hold_as_a_release(world, rule):
    item = stock(world, world.sku, 5)
    sample = _approved(world, world.sku)
    hold = StockHold.objects.get(sample=sample)
    supply.reservation_release(actor=world.clerk, reservation_id=hold.reservation_id)
    assert services.sample_holds_settle() == [sample.pk]
    assert StockHold.objects.get(pk=hold.pk).state == "released"
    assert AuditEntry.objects.filter(action="selection.sample.hold_release").count() == 1
    assert not AuditEntry.objects.filter(action="selection.sample.ship").exists()
    balance = StockBalance.objects.get(stock_item=item, location__kind="storage")
    assert (balance.on_hand, balance.reserved) == (5, 0)


def test_shipping_over_the_api_names_a_missing_field_and_ships_once(world, rule):
    from shuxuan.selection.tests.conftest import client_for

    item = stock(world, world.sku, 5)
    sample = _approved(world, world.sku, quantity=2)
    url = f"/api/selection/samples/{sample.pk}/ship/"
    clerk = client_for(world.clerk)
    missing = clerk.post(url, {"carrier": "顺丰"}, format="json")
    assert missing.status_code == 400 and "tracking_number" in str(missing.json())
    anchor = client_for(world.xiaoman_user)
    assert anchor.post(url, {"carrier": "顺丰", "tracking_number": "SF5001"}, format="json").status_code == 403
    other_brand = client_for(world.other_owner)  # another brand does not see the sample at all
    assert other_brand.post(url, {"carrier": "顺丰", "tracking_number": "SF5001"}, format="json").status_code == 404
    assert StockHold.objects.get(sample=sample).state == "active"
    shipped = clerk.post(url, {"carrier": "顺丰", "tracking_number": "SF5001"}, format="json")
    assert shipped.status_code == 200, shipped.json()
    assert StockHold.objects.get(sample=sample).state == "released"
    balance = StockBalance.objects.get(stock_item=item, location__kind="storage")
    assert (balance.on_hand, balance.reserved) == (3, 0)
    again = clerk.post(url, {"carrier": "顺丰", "tracking_number": "SF5002"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_shipped"
    assert Shipment.objects.filter(reference=f"selection.sample:{sample.pk}").count() == 1
