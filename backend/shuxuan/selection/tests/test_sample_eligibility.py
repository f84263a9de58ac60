"""Sample eligibility read before the form (issue 16): the rule, the cap used and left in the
Asia/Shanghai month, the reasons per platform — the very refusals `sample_request_create` answers
with —, the address to start with, who may read it, and its cost on the pick list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import Platform
from shuxuan.selection import selectors, services
from shuxuan.selection.models import SampleRequest
from shuxuan.selection.tests.conftest import _product, at, client_for

pytestmark = pytest.mark.django_db
BASE = "/api/selection"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def read(world, anchor, product=None, user=None):
    user = user or world.mcn_owner
    product = product or world.product
    return selectors.sample_eligibilities(user=user, anchor_product_ids=[(anchor.pk, product.pk)])[(anchor.pk, product.pk)]


def ask(world, anchor, platform, sku=None, ship_to="成都市武侯区天府大道 1 号"):
    return services.sample_request_create(
        actor=world.mcn_owner, anchor=anchor, sku=sku or world.sku, platform=platform, ship_to=ship_to
    )


def on(eligibility, platform):
    return next(p for p in eligibility.platforms if p.platform == platform)


def assert_read_is_write(world, anchor, product=None):
    """For every platform: the read says eligible and the request is taken, or the request is
    refused with the read's first reason — same code, same words, the field the code names."""
    eligibility = read(world, anchor, product)
    sku = (product or world.product).skus.order_by("id").first()
    for verdict in eligibility.platforms:
        if verdict.eligible:
            continue
        with pytest.raises(DomainError) as refused:
            ask(world, anchor, verdict.platform, sku=sku)
        first = verdict.reasons[0]
        assert (refused.value.code, refused.value.message) == (first.code, first.message), verdict.platform
        assert refused.value.field == selectors.SAMPLE_REFUSAL_FIELD[first.code]
    return eligibility


@pytest.fixture
def rule(world):
    for owner, product in ((world.brand_owner, world.product), (world.other_owner, world.other_product)):
        services.plan_create(actor=owner, product=product, plan_type="open", rate_bps=2000)
    return services.sample_rule_set(
        actor=world.brand_owner,
        product=world.product,
        data={"min_fans": 200_000, "platforms": ["douyin", "xiaohongshu"], "monthly_cap_per_anchor": 2, "max_quantity": 3},
    )


def test_no_rule_takes_no_samples_and_the_request_says_the_same(world):
    eligibility = assert_read_is_write(world, world.xiaoman, world.other_product)
    assert (eligibility.takes_samples, eligibility.eligible, eligibility.rule, eligibility.left) == (False, False, None, 0)
    assert [r.code for r in eligibility.reasons] == ["no_sample_rule"]
    assert {p.platform for p in eligibility.platforms} == set(Platform.values)
    # An inactive rule is no rule.
    services.sample_rule_set(actor=world.other_owner, product=world.other_product, data={"is_active": False})
    assert read(world, world.xiaoman, world.other_product).takes_samples is False
    assert not SampleRequest.objects.exists()


def test_below_min_fans_on_that_platform_only(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        eligibility = assert_read_is_write(world, world.amon)  # 120k douyin, 310k xiaohongshu
        assert eligibility.eligible is True and eligibility.reasons == []
        assert [r.code for r in on(eligibility, "douyin").reasons] == ["fans_below_minimum"]
        assert on(eligibility, "douyin").reasons[0].message == (
            "粉丝 120000 少于要求的 200000 / 120000 fans, the sample rule requires 200000"
        )
        assert [r.code for r in on(eligibility, "kuaishou").reasons] == ["platform_not_accepted"]
        assert on(eligibility, "xiaohongshu").eligible is True
        assert ask(world, world.amon, "xiaohongshu").state == "pending"
        assert (read(world, world.amon).used, read(world, world.amon).left) == (1, 1)


def test_cap_counts_the_shanghai_month_not_the_utc_one(world, rule):
    services.sample_rule_set(actor=world.brand_owner, product=world.product, data={"monthly_cap_per_anchor": 1})
    # 31 March 23:30 in Shanghai is 15:30 UTC: the March place is taken.
    with time_machine.travel(utc(2026, 3, 31, 15, 30), tick=False):
        ask(world, world.xiaoman, "douyin")
        eligibility = assert_read_is_write(world, world.xiaoman)
        assert (eligibility.month, eligibility.used, eligibility.left, eligibility.eligible) == ("2026-03", 1, 0, False)
        assert [r.code for r in eligibility.reasons] == ["monthly_cap"]
        assert eligibility.reasons[0].message == "本月已申请 1 次，达到上限 1 / monthly cap of 1 reached"
    # 16:10 UTC is still 31 March in UTC but already 1 April in Shanghai: a fresh month.
    with time_machine.travel(utc(2026, 3, 31, 16, 10), tick=False):
        eligibility = read(world, world.xiaoman)
        assert (eligibility.month, eligibility.used, eligibility.left, eligibility.eligible) == ("2026-04", 0, 1, True)
        ask(world, world.xiaoman, "douyin", sku=world.sku2)  # the cap is per product, across its SKUs
        eligibility = assert_read_is_write(world, world.xiaoman)
        assert (eligibility.used, eligibility.left, eligibility.eligible) == (1, 0, False)
        # Under a UTC month both requests would sit in March; Shanghai counts one per month.
        assert SampleRequest.objects.filter(created_at__gte=utc(2026, 3, 1), created_at__lt=utc(2026, 4, 1)).count() == 2


def test_eligible_with_the_rule_the_cap_left_and_a_rejected_request_freeing_its_place(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        first = ask(world, world.xiaoman, "douyin")
        eligibility = assert_read_is_write(world, world.xiaoman)
        assert (eligibility.takes_samples, eligibility.eligible, eligibility.used, eligibility.left) == (True, True, 1, 1)
        assert eligibility.rule is not None and eligibility.rule.pk == rule.pk
        assert [p.platform for p in eligibility.platforms if p.eligible] == ["douyin"]  # kuaishou: not accepted
        services.sample_request_reject(actor=world.brand_owner, sample=first, reason="名额已满")
        assert read(world, world.xiaoman).left == 2


def test_the_address_starts_from_the_last_request_then_the_callers_anchors(world, rule):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        assert read(world, world.amon).ship_to == ""
        services.sample_rule_set(actor=world.brand_owner, product=world.product, data={"platforms": []})
        services.sample_request_create(
            actor=world.other_mcn_owner, anchor=world.stranger, sku=world.sku, platform="kuaishou", ship_to="天府好物仓库"
        )
        assert read(world, world.amon).ship_to == ""  # another MCN's address is not offered
        ask(world, world.xiaoman, "douyin", ship_to="熊猫星选办公室")
        assert read(world, world.amon).ship_to == "熊猫星选办公室"  # the MCN's last, amon never asked
        ask(world, world.amon, "xiaohongshu", ship_to="阿蒙的家")
        ask(world, world.xiaoman, "douyin", sku=world.sku2, ship_to="小满工作室")
        assert read(world, world.amon).ship_to == "阿蒙的家"
        assert read(world, world.xiaoman, user=world.xiaoman_user).ship_to == "小满工作室"


def test_the_endpoint_is_the_callers_anchors_only(world, rule):
    path = f"{BASE}/samples/eligibility/"
    body = client_for(world.mcn_owner).get(path, {"anchor": world.amon.pk, "product": world.product.pk})
    assert body.status_code == 200, body.content
    data = body.json()
    assert (data["anchor"], data["product"], data["takes_samples"], data["eligible"], data["left"]) == (
        world.amon.pk,
        world.product.pk,
        True,
        True,
        2,
    )
    assert data["rule"]["min_fans"] == 200_000 and data["rule"]["shipping_cost"] == {"amount": "0.00", "currency": "CNY"}
    assert {p["platform"]: p["eligible"] for p in data["platforms"]}["xiaohongshu"] is True
    # The anchor's own login: only itself (the default), not its MCN's other anchor.
    own = client_for(world.xiaoman_user).get(path, {"product": world.product.pk})
    assert own.status_code == 200 and own.json()["anchor"] == world.xiaoman.pk
    assert client_for(world.xiaoman_user).get(path, {"anchor": world.amon.pk, "product": world.product.pk}).status_code == 404
    # Another MCN: 404; a brand, even the product's own: 403; an unknown product: 404; no product: 400.
    assert client_for(world.other_mcn_owner).get(path, {"anchor": world.amon.pk, "product": world.product.pk}).status_code == 404
    assert client_for(world.brand_owner).get(path, {"anchor": world.amon.pk, "product": world.product.pk}).status_code == 403
    assert client_for(world.mcn_owner).get(path, {"anchor": world.amon.pk, "product": 999_999}).status_code == 404
    assert client_for(world.mcn_owner).get(path, {"anchor": world.amon.pk}).status_code == 400


def test_the_pick_list_carries_it_for_the_anchor_side_only(world, rule):
    services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    mine = client_for(world.mcn_owner).get(f"{BASE}/picks/").json()["results"]
    assert mine[0]["sample"]["takes_samples"] is True and mine[0]["sample"]["left"] == 2
    assert client_for(world.brand_owner).get(f"{BASE}/picks/").json()["results"][0]["sample"] is None


def test_pick_list_eligibility_costs_the_same_queries_for_many_picks(world, rule):
    products = [world.product, world.other_product] + [
        _product(world.brand_owner, world.reviewer, f"宜宾芽菜 {n}", [f"YC-{n}"]) for n in range(3)
    ]
    for product in products[2:]:
        services.plan_create(actor=world.brand_owner, product=product, plan_type="open", rate_bps=1500)
    services.sample_rule_set(actor=world.brand_owner, product=products[2], data={"monthly_cap_per_anchor": 3})

    def count() -> tuple[int, list[dict]]:
        with CaptureQueriesContext(connection) as queries:
            response = client_for(world.mcn_owner).get(f"{BASE}/picks/")
        assert response.status_code == 200
        return len(queries), response.json()["results"]

    services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku)
    ask(world, world.amon, "xiaohongshu")
    few, _ = count()
    for anchor in (world.xiaoman, world.amon):
        for product in products:
            if (anchor, product) != (world.amon, world.product):
                services.pick_add(actor=world.mcn_owner, anchor=anchor, sku=product.skus.first())
    ask(world, world.xiaoman, "douyin")
    many, rows = count()
    assert len(rows) == 10
    assert many == few <= 8
    by = {(r["anchor"], r["product"]): r["sample"] for r in rows}
    assert (by[(world.amon.pk, world.product.pk)]["used"], by[(world.xiaoman.pk, world.product.pk)]["used"]) == (1, 1)
    assert by[(world.xiaoman.pk, products[2].pk)]["left"] == 3
    assert by[(world.xiaoman.pk, products[3].pk)]["takes_samples"] is False
