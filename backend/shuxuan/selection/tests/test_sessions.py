"""Live sessions (直播排期): overlap refused by the database, live price bounds, stock held per
lineup item through supply where mapped and released on cancel or lineup change."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.selection import services
from shuxuan.selection.models import LiveSession, LiveSessionItem, StockHold
from shuxuan.selection.services import LineupInput
from shuxuan.selection.tests.conftest import at, stock
from shuxuan.supply.models import Reservation, StockBalance

pytestmark = pytest.mark.django_db


@pytest.fixture
def picks(world):
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    return [services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=sku) for sku in (world.sku, world.sku2)]


def schedule(world, lineup, start=(2030, 6, 1, 20), end=(2030, 6, 1, 23), anchor=None):
    return services.session_create(
        actor=world.xiaoman_user,
        anchor=anchor or world.xiaoman,
        platform="douyin",
        title="小满川味专场",
        starts_at=at(*start),
        ends_at=at(*end),
        lineup=lineup,
    )


def reserved(item) -> int:
    return StockBalance.objects.get(stock_item=item, location__kind="storage").reserved


def test_overlapping_sessions_of_one_anchor_are_refused_by_the_database(world, picks):
    session = schedule(world, [])
    with pytest.raises(IntegrityError, match="selection_session_no_overlap"), transaction.atomic():
        LiveSession.objects.create(
            anchor=world.xiaoman,
            platform="kuaishou",
            title="x",
            starts_at=at(2030, 6, 1, 22),
            ends_at=at(2030, 6, 2, 1),
            created_by=world.mcn_owner,
        )
    with pytest.raises(Conflict) as error:
        schedule(world, [], start=(2030, 6, 1, 22, 59), end=(2030, 6, 2, 1))
    assert error.value.code == "overlap"
    # The message names the session in the way, in Asia/Shanghai time.
    assert str(error.value).startswith("该主播此时段已有直播「小满川味专场」（2030-06-01 20:00–23:00）")
    # Moving another session onto it names it too (the database's refusal, not only the pre-check).
    later = schedule(world, [], start=(2030, 6, 2, 20), end=(2030, 6, 2, 22))
    with pytest.raises(Conflict) as moved:
        services.session_update(
            actor=world.mcn_owner, session=later, data={"starts_at": at(2030, 6, 1, 21), "ends_at": at(2030, 6, 1, 22)}
        )
    assert "「小满川味专场」（2030-06-01 20:00–23:00）" in str(moved.value)
    services.session_cancel(actor=world.mcn_owner, session=later)
    # Back to back is fine, another anchor at the same time is fine, and a cancelled session frees its slot.
    schedule(world, [], start=(2030, 6, 1, 23), end=(2030, 6, 2, 1))
    services.session_create(
        actor=world.mcn_owner,
        anchor=world.amon,
        platform="douyin",
        title="阿蒙",
        starts_at=at(2030, 6, 1, 20),
        ends_at=at(2030, 6, 1, 22),
        lineup=[],
    )
    services.session_cancel(actor=world.mcn_owner, session=session)
    schedule(world, [], start=(2030, 6, 1, 20), end=(2030, 6, 1, 22))


def test_live_price_within_the_skus_bounds_and_lineup_from_the_pick_list(world, picks):
    amon_pick = services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    before = (LiveSession.objects.count(), AuditEntry.objects.count())
    for lineup, field in [
        ([LineupInput(pick_id=picks[0].pk, live_price_minor=2389)], "lineup[0].live_price_minor"),
        (
            [LineupInput(pick_id=picks[0].pk, live_price_minor=2390), LineupInput(pick_id=picks[1].pk, live_price_minor=2991)],
            "lineup[1].live_price_minor",
        ),
        (
            [LineupInput(pick_id=picks[0].pk, live_price_minor=2390), LineupInput(pick_id=picks[0].pk, live_price_minor=2390)],
            "lineup[1].pick",
        ),
    ]:
        with pytest.raises(DomainError) as error:
            schedule(world, lineup)
        assert error.value.field == field
    with pytest.raises(DomainError) as error:
        schedule(world, [LineupInput(pick_id=amon_pick.pk, live_price_minor=2500)])
    assert error.value.field == "lineup[0].pick"
    with pytest.raises(DomainError) as error:
        schedule(world, [], start=(2030, 6, 1, 20), end=(2030, 6, 1, 20))
    assert error.value.field == "ends_at"
    assert (LiveSession.objects.count(), AuditEntry.objects.count()) == before
    session = schedule(
        world,
        [
            LineupInput(pick_id=picks[0].pk, live_price_minor=2390, slot_fee_minor=300_000),
            LineupInput(pick_id=picks[1].pk, live_price_minor=2990),
        ],
    )
    assert [(i.sku_id, i.live_price_minor, i.slot_fee_minor) for i in session.items.order_by("position")] == [
        (world.sku.pk, 2390, 300_000),
        (world.sku2.pk, 2990, None),
    ]


def test_stock_is_held_per_item_and_released_on_cancel(world, picks):
    item = stock(world, world.sku, 50)
    session = schedule(
        world,
        [
            LineupInput(pick_id=picks[0].pk, live_price_minor=2500, stock_quantity=30),
            LineupInput(pick_id=picks[1].pk, live_price_minor=2500, stock_quantity=5),
        ],
    )
    holds = {h.sku_id: h for h in StockHold.objects.filter(session=session)}
    assert reserved(item) == 30
    supply_reservation = Reservation.objects.get(pk=holds[world.sku.pk].reservation_id)
    assert (supply_reservation.purpose, supply_reservation.quantity, supply_reservation.state) == ("live_session", 30, "active")
    assert holds[world.sku2.pk].reservation_id is None  # sku2 has no stock item: held in selection only
    # Not enough left for a second session: refused, nothing written, nothing left reserved.
    before = (LiveSession.objects.count(), StockHold.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as error:
        schedule(
            world,
            [LineupInput(pick_id=picks[0].pk, live_price_minor=2500, stock_quantity=21)],
            start=(2030, 6, 2, 20),
            end=(2030, 6, 2, 22),
        )
    assert (error.value.field, error.value.code) == ("lineup[0].stock_quantity", "insufficient_stock")
    assert (LiveSession.objects.count(), StockHold.objects.count(), AuditEntry.objects.count()) == before
    assert reserved(item) == 30

    services.session_cancel(actor=world.mcn_owner, session=session, reason="主播生病")
    session.refresh_from_db()
    assert session.state == "cancelled"
    assert reserved(item) == 0
    assert Reservation.objects.get(pk=supply_reservation.pk).state == "released"
    assert set(StockHold.objects.filter(session=session).values_list("state", flat=True)) == {"released"}
    with pytest.raises(Conflict):
        services.session_cancel(actor=world.mcn_owner, session=session)


def test_replacing_the_lineup_moves_the_holds(world, picks):
    item = stock(world, world.sku, 50)
    session = schedule(world, [LineupInput(pick_id=picks[0].pk, live_price_minor=2500, stock_quantity=30)])
    old = StockHold.objects.get(session=session)
    # Same SKU and units: the hold stays as it is (no second reservation is needed).
    services.session_update(
        actor=world.mcn_owner,
        session=session,
        data={},
        lineup=[LineupInput(pick_id=picks[0].pk, live_price_minor=2400, stock_quantity=30)],
    )
    assert reserved(item) == 30
    old.refresh_from_db()
    assert old.state == "active" and old.session_item.live_price_minor == 2400
    # Other units: reserved first (30 + 15 <= 50), then the old hold is released.
    services.session_update(
        actor=world.mcn_owner,
        session=session,
        data={"title": "改期", "starts_at": at(2030, 6, 3, 20), "ends_at": at(2030, 6, 3, 22)},
        lineup=[LineupInput(pick_id=picks[0].pk, live_price_minor=2600, stock_quantity=15)],
    )
    assert reserved(item) == 15
    old.refresh_from_db()
    assert (old.state, old.session_item_id) == ("released", None)
    assert Reservation.objects.get(pk=old.reservation_id).state == "released"
    [current] = LiveSessionItem.objects.filter(session=session)
    assert (current.live_price_minor, current.hold.quantity, current.hold.state) == (2600, 15, "active")
    session.refresh_from_db()
    assert (session.title, session.starts_at) == ("改期", at(2030, 6, 3, 20))
    # A pick in a scheduled session cannot leave the pick list.
    with pytest.raises(Conflict):
        services.pick_remove(actor=world.mcn_owner, pick=picks[0])


def test_a_session_that_has_ended_is_history_and_cannot_be_changed_or_cancelled(world, picks, time_machine):
    session = schedule(world, [])
    time_machine.move_to(at(2030, 6, 2, 0))  # the stream ended at 23:00
    with pytest.raises(Conflict) as changed:
        services.session_update(actor=world.mcn_owner, session=session, data={"title": "改名"})
    assert changed.value.field == "state"
    with pytest.raises(Conflict):
        services.session_cancel(actor=world.mcn_owner, session=session, reason="too late")
    title = session.title
    session.refresh_from_db()
    assert (session.title, session.state) == (title, "scheduled")
    assert title != "改名"
