"""The selection API: tenancy (another organization's object answers 404) walked over the demo
world with the OWNERSHIP rules handed to tests/test_tenancy.py, query counts of the lists, the rate
quote, the brand's view of sessions, the demo's idempotence, and one run with real transactions."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict
from shuxuan.parties.models import Anchor, McnBinding, OrganizationKind, User
from shuxuan.parties.selectors import binding_in_force_q
from shuxuan.selection import models as sel
from shuxuan.selection import services
from shuxuan.selection.demo import seed_selection_demo
from shuxuan.selection.services import LineupInput
from shuxuan.selection.tests.conftest import at, client_for, stock

BASE = "/api/selection"


def _anchors_of(org):
    return Anchor.objects.filter(
        Q(organization=org) | Q(pk__in=McnBinding.objects.filter(binding_in_force_q(), mcn=org).values("anchor_id"))
    )


# The rules for tests/test_tenancy.py OWNERSHIP (basename -> model, objects organization `org` owns).
OWNERSHIP: dict[str, tuple[Any, Any]] = {
    "selection-plan": (sel.CommissionPlan, lambda org: sel.CommissionPlan.objects.filter(brand=org)),
    "selection-application": (
        sel.PlanApplication,
        lambda org: sel.PlanApplication.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org))),
    ),
    "selection-pick": (sel.Pick, lambda org: sel.Pick.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org)))),
    "selection-sample-rule": (sel.SampleRule, lambda org: sel.SampleRule.objects.filter(brand=org)),
    "selection-sample": (
        sel.SampleRequest,
        lambda org: sel.SampleRequest.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org))),
    ),
    "selection-session": (
        sel.LiveSession,
        lambda org: sel.LiveSession.objects.filter(Q(items__brand=org) | Q(anchor__in=_anchors_of(org))).distinct(),
    ),
}
ROUTES = {
    "selection-plan": ("plans", []),
    "selection-application": ("applications", ["approve", "reject"]),
    "selection-pick": ("picks", []),
    "selection-sample-rule": ("sample-rules", []),
    "selection-sample": ("samples", ["approve", "reject", "cancel", "content", "extend"]),
    "selection-session": ("sessions", ["cancel"]),
}


@pytest.fixture
def demo_selection(demo_world):
    seed_selection_demo()


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return {row["id"] for row in body["results"]}


WALKERS = [
    "op_admin",
    "brand_jiu",
    "brand_tea",
    "brand_tech_finance",
    "mcn_owner",
    "mcn2_owner",
    "anchor_xiaoman",
    "anchor_meizhuang",
    "sp_owner",
    "observer_gov",
]


def test_tenancy_walk_over_the_demo_world(demo_selection):
    """One user of every kind (and two anchors' own logins) against every selection viewset; then
    the demo is run again and creates nothing."""
    rng = random.Random(3)
    users = list(User.objects.filter(username__in=WALKERS).select_related("organization").order_by("id"))
    assert len(users) == len(WALKERS)
    reads = writes = 0
    for user in users:
        client = client_for(user)
        org = user.organization
        for basename, (model, owned) in OWNERSHIP.items():
            path, actions = ROUTES[basename]
            response = client.get(f"{BASE}/{path}/", {"page_size": 500})
            if org.kind == OrganizationKind.OPERATOR:
                assert _ids(response) == set(model.objects.values_list("pk", flat=True)), (user.username, basename)
                continue
            owned_ids = set(owned(org).values_list("pk", flat=True))
            leaked = _ids(response) - owned_ids
            assert not leaked, (user.username, basename, leaked)
            foreign = sorted(set(model.objects.exclude(pk__in=owned_ids).values_list("pk", flat=True)))
            for pk in rng.sample(foreign, min(3, len(foreign))):
                assert client.get(f"{BASE}/{path}/{pk}/").status_code == 404, (user.username, basename, pk)
                reads += 1
                before = (list(model.objects.filter(pk=pk).values()), AuditEntry.objects.count())
                for method, url in [("patch", f"{BASE}/{path}/{pk}/"), ("delete", f"{BASE}/{path}/{pk}/")] + [
                    ("post", f"{BASE}/{path}/{pk}/{a}/") for a in actions
                ]:
                    status = getattr(client, method)(url, {"reason": "hijack", "note": "x"}, format="json").status_code
                    assert status in (403, 404, 405), (user.username, method, url, status)
                    writes += 1
                assert (list(model.objects.filter(pk=pk).values()), AuditEntry.objects.count()) == before
    assert reads > 50 and writes > 150, (reads, writes)
    counts = {
        m: m.objects.count() for m in (sel.CommissionPlan, sel.Pick, sel.SampleRequest, sel.LiveSession, sel.AnchorProductSales)
    }
    assert seed_selection_demo() == dict.fromkeys(
        ["plans", "picks", "applications", "sample_rules", "samples", "sessions", "sales_rows"], 0
    )
    assert {m: m.objects.count() for m in counts} == counts
    assert set(sel.SampleRequest.objects.values_list("state", flat=True)) >= {"pending", "approved", "fulfilled", "rejected"}
    assert sel.Pick.objects.filter(anchor__name="茶仙阿蒙", plan_type="targeted", state="active").exists()
    assert sel.Pick.objects.filter(anchor__name="蜀中小满", plan_type="exclusive").exists()
    assert sel.StockHold.objects.filter(reservation__isnull=False, state="active").count() >= 3


def test_list_endpoints_have_no_n_plus_one(world, django_assert_max_num_queries):
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    services.sample_rule_set(actor=world.brand_owner, product=world.product, data={"monthly_cap_per_anchor": 9})
    for anchor, actor in ((world.xiaoman, world.xiaoman_user), (world.amon, world.mcn_owner)):
        picks = [services.pick_add(actor=actor, anchor=anchor, sku=sku) for sku in (world.sku, world.sku2)]
        for day in range(1, 6):
            services.session_create(
                actor=actor,
                anchor=anchor,
                platform="douyin",
                title=f"场次{day}",
                starts_at=at(2030, 5, day, 20),
                ends_at=at(2030, 5, day, 22),
                lineup=[LineupInput(pick_id=p.pk, live_price_minor=2500, stock_quantity=1) for p in picks],
            )
            services.sample_request_create(actor=actor, anchor=anchor, sku=world.sku, platform="douyin", ship_to="成都")
    for user in (world.mcn_owner, world.brand_owner):
        client = client_for(user)
        for path, count in [
            ("plans", 1),
            ("picks", 4),
            ("samples", 10),
            ("sessions", 10),
            ("applications", 0),
            ("sample-rules", 1),
        ]:
            if user == world.mcn_owner and path in ("plans", "sample-rules"):
                continue
            with django_assert_max_num_queries(7):
                response = client.get(f"{BASE}/{path}/")
            assert response.status_code == 200
            assert response.json()["count"] == count, (user.username, path)
    with CaptureQueriesContext(connection) as queries:
        client_for(world.mcn_owner).get(f"{BASE}/sessions/calendar/", {"start": "2030-05-01", "end": "2030-05-31"})
    assert len(queries) <= 6


def test_quote_and_pick_over_the_api(world):
    plan = services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000, min_fans=500_000)
    anchor_client = client_for(world.xiaoman_user)
    response = anchor_client.get(f"{BASE}/picks/quote/", {"product": world.product.pk})
    assert response.status_code == 200
    assert [(q["sku_id"], q["rate_bps"], q["plan_id"]) for q in response.json()] == [
        (world.sku.pk, 2000, plan.pk),
        (world.sku2.pk, 2000, plan.pk),
    ]
    # The MCN asks for amon (120k / 310k fans): the reason is named.
    body = client_for(world.mcn_owner).get(f"{BASE}/picks/quote/", {"anchor": world.amon.pk, "sku": world.sku.pk}).json()
    assert body[0]["rate_bps"] is None
    assert body[0]["considered"][0]["reasons"][0]["code"] == "fans_below_minimum"
    # Another MCN's anchor, a brand, an unlisted SKU: 404 / 403.
    assert (
        client_for(world.other_mcn_owner).get(f"{BASE}/picks/quote/", {"anchor": world.amon.pk, "sku": world.sku.pk}).status_code
        == 404
    )
    assert (
        client_for(world.brand_owner).get(f"{BASE}/picks/quote/", {"anchor": world.amon.pk, "sku": world.sku.pk}).status_code
        == 403
    )
    assert anchor_client.get(f"{BASE}/picks/quote/", {"sku": 999_999}).status_code == 404

    response = anchor_client.post(f"{BASE}/picks/", {"sku": world.sku.pk}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["rate_bps"], response.json()["anchor"], response.json()["retail_price"]) == (
        2000,
        world.xiaoman.pk,
        {"amount": "29.90", "currency": "CNY"},
    )
    response = anchor_client.post(f"{BASE}/picks/", {"sku": world.sku.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == {"sku": [response.json()["detail"]]}


def test_brand_plan_crud_and_queues_over_the_api(world):
    brand = client_for(world.brand_owner)
    response = brand.post(
        f"{BASE}/plans/", {"product": world.product.pk, "plan_type": "targeted", "rate_bps": 3000}, format="json"
    )
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    assert response.json()["current"]["rate_bps"] == 3000
    response = brand.patch(f"{BASE}/plans/{plan_id}/", {"rate_bps": 3500, "min_fans": 1000}, format="json")
    assert response.status_code == 200
    assert [v["rate_bps"] for v in response.json()["versions"]] == [3000, 3500]
    assert response.json()["current"]["rate_bps"] == 3500
    bad = brand.patch(f"{BASE}/plans/{plan_id}/", {"rate_bps": 9000}, format="json")
    assert bad.status_code == 400 and "rate_bps" in bad.json()["errors"]
    assert client_for(world.other_owner).patch(f"{BASE}/plans/{plan_id}/", {"rate_bps": 1}, format="json").status_code == 404

    client_for(world.xiaoman_user).post(f"{BASE}/picks/", {"sku": world.sku.pk}, format="json")
    [application] = brand.get(f"{BASE}/applications/", {"state": "pending"}).json()["results"]
    assert client_for(world.other_owner).post(f"{BASE}/applications/{application['id']}/approve/").status_code == 404
    assert client_for(world.mcn_owner).post(f"{BASE}/applications/{application['id']}/approve/").status_code == 403
    assert brand.post(f"{BASE}/applications/{application['id']}/approve/", {}, format="json").json()["state"] == "approved"
    assert client_for(world.xiaoman_user).get(f"{BASE}/picks/").json()["results"][0]["rate_bps"] == 3500

    response = brand.post(f"{BASE}/sample-rules/", {"product": world.product.pk, "monthly_cap_per_anchor": 1}, format="json")
    assert response.status_code == 201 and response.json()["id"] == world.product.pk
    response = client_for(world.xiaoman_user).post(
        f"{BASE}/samples/", {"sku": world.sku.pk, "platform": "douyin", "ship_to": "成都"}, format="json"
    )
    assert response.status_code == 201, response.content
    sample_id = response.json()["id"]
    assert brand.post(f"{BASE}/samples/{sample_id}/approve/").json()["state"] == "approved"
    anchor = client_for(world.xiaoman_user)
    response = anchor.post(f"{BASE}/samples/{sample_id}/extend/", {"reason": "档期调整"}, format="json")
    assert response.json()["extension_count"] == 1
    assert anchor.post(f"{BASE}/samples/{sample_id}/extend/", {"reason": "again"}, format="json").status_code == 409
    response = anchor.post(
        f"{BASE}/samples/{sample_id}/content/",
        {"content_kind": "video", "content_url": "https://v.douyin.com/abc"},
        format="json",
    )
    assert response.json()["state"] == "fulfilled"
    assert anchor.get(f"{BASE}/samples/fulfilment/").json()[0]["rate"] == "1.00"
    roi = brand.get(f"{BASE}/samples/roi/").json()
    assert roi == [
        {
            "product_id": world.product.pk,
            "product_name": world.product.name,
            "samples": 1,
            "anchors": 1,
            "cost": {"amount": "9.80", "currency": "CNY"},
            "gmv": {"amount": "0.00", "currency": "CNY"},
            "roi": "0.00",
        }
    ]
    assert client_for(world.mcn_owner).get(f"{BASE}/samples/roi/").status_code == 403
    assert brand.delete(f"{BASE}/plans/{plan_id}/").json()["valid_to"] is not None


def test_brand_sees_sessions_featuring_its_products_with_its_own_items_only(world):
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    services.plan_create(actor=world.other_owner, product=world.other_product, plan_type="open", rate_bps=2000)
    ours = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
    theirs = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.other_product.skus.get())
    mixed = services.session_create(
        actor=world.xiaoman_user,
        anchor=world.xiaoman,
        platform="douyin",
        title="混合专场",
        starts_at=at(2030, 5, 1, 20),
        ends_at=at(2030, 5, 1, 22),
        lineup=[
            LineupInput(pick_id=ours.pk, live_price_minor=2500, slot_fee_minor=10_000),
            LineupInput(pick_id=theirs.pk, live_price_minor=2500, slot_fee_minor=99_900),
        ],
    )
    only_theirs = services.session_create(
        actor=world.xiaoman_user,
        anchor=world.xiaoman,
        platform="douyin",
        title="冷吃兔专场",
        starts_at=at(2030, 5, 2, 20),
        ends_at=at(2030, 5, 2, 22),
        lineup=[LineupInput(pick_id=theirs.pk, live_price_minor=2500)],
    )
    brand = client_for(world.brand_owner)
    [row] = brand.get(f"{BASE}/sessions/").json()["results"]
    assert row["id"] == mixed.pk
    assert [(i["sku"], i["slot_fee"]) for i in row["items"]] == [(world.sku.pk, {"amount": "100.00", "currency": "CNY"})]
    assert brand.get(f"{BASE}/sessions/{only_theirs.pk}/").status_code == 404
    assert brand.post(f"{BASE}/sessions/{mixed.pk}/cancel/").status_code == 403
    calendar = client_for(world.mcn_owner).get(f"{BASE}/sessions/calendar/", {"start": "2030-05-02", "end": "2030-05-02"}).json()
    assert [s["id"] for s in calendar] == [only_theirs.pk]
    response = client_for(world.xiaoman_user).post(f"{BASE}/sessions/{mixed.pk}/cancel/", {"reason": "改期"}, format="json")
    assert response.json()["state"] == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_supply_reservations_run_outside_selection_transactions(world):
    """With real transactions (supply's durable blocks would refuse to nest), approve a sample and
    schedule and cancel a session whose SKUs hold supply stock."""
    item = stock(world, world.sku, 10)
    services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000)
    services.sample_rule_set(actor=world.brand_owner, product=world.product, data={})
    sample = services.sample_request_create(
        actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku, platform="douyin", ship_to="成都"
    )
    services.sample_request_approve(actor=world.brand_owner, sample=sample)
    pick = services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
    session = services.session_create(
        actor=world.xiaoman_user,
        anchor=world.xiaoman,
        platform="douyin",
        title="专场",
        starts_at=at(2030, 5, 1, 20),
        ends_at=at(2030, 5, 1, 22),
        lineup=[LineupInput(pick_id=pick.pk, live_price_minor=2500, stock_quantity=4)],
    )
    from shuxuan.supply.models import StockBalance

    assert StockBalance.objects.get(stock_item=item, location__kind="storage").reserved == 5
    with pytest.raises(Conflict):
        services.session_create(
            actor=world.xiaoman_user,
            anchor=world.xiaoman,
            platform="douyin",
            title="撞档",
            starts_at=at(2030, 5, 1, 21),
            ends_at=at(2030, 5, 1, 23),
            lineup=[LineupInput(pick_id=pick.pk, live_price_minor=2500, stock_quantity=4)],
        )
    services.session_cancel(actor=world.xiaoman_user, session=session)
    assert StockBalance.objects.get(stock_item=item, location__kind="storage").reserved == 1


def test_roi_refuses_a_brand_that_is_not_a_number_with_a_400(demo_parties, login):
    """Found by the API contract test: the operator's ?brand= was read with int() and a word was a 500."""
    response = login("op_finance").get(f"{BASE}/samples/roi/", {"brand": "abc"})
    assert response.status_code == 400, response.content
    assert response.json() == {"brand": ["请填写合法的整数值。"]}
