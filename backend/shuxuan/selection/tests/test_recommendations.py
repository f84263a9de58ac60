"""People–goods matching: reasons, ranking, exclusions, tenancy and query count on a hand-built world."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path

from shuxuan.catalog import services as catalog
from shuxuan.catalog.models import Category, Product
from shuxuan.selection import recommendation_apis, recommendations, services
from shuxuan.selection.tests.conftest import at, client_for

pytestmark = pytest.mark.django_db

urlpatterns = [
    path("api/selection/anchors/<int:anchor_id>/recommendations/", recommendation_apis.AnchorRecommendationsView.as_view()),
    path(
        "api/selection/products/<int:product_id>/recommended-anchors/",
        recommendation_apis.ProductRecommendedAnchorsView.as_view(),
    ),
]


def _product(world, name: str, category: str, city: str, price: int, rate: int, *, owner=None) -> Product:
    owner = owner or world.brand_owner
    product = catalog.product_create(
        actor=owner,
        data={"category": Category.objects.get(code=category).pk, "name": name, "origin_city": city},
        skus=[
            {
                "code": f"M{abs(hash(name)) % 10**9}",
                "spec": "标准装",
                "currency": "CNY",
                "supply_price_minor": price // 3,
                "retail_price_minor": price,
                "min_live_price_minor": price * 4 // 5,
                "max_live_price_minor": price,
            }
        ],
    )
    catalog.product_submit(actor=owner, product=product)
    catalog.product_approve(actor=world.reviewer, product=product)
    product.refresh_from_db()
    services.plan_create(actor=owner, product=product, plan_type="open", rate_bps=rate, approval="auto")
    return product


def _sell(anchor, product, units: int, first: date) -> None:
    sku = product.skus.order_by("id").first()
    for offset in range(3):
        services.anchor_sales_record(
            anchor_id=anchor.pk,
            sku_id=sku.pk,
            day=first + timedelta(days=offset),
            gmv_minor=units * sku.retail_price_minor,
            units=units,
        )


@pytest.fixture
def small(world):
    """xiaoman (成都市, main category 调味品) picked and sold 郫县豆瓣; amon picked a green tea that never sold.
    Candidates: a second 豆瓣酱 from 成都, a 雅安 green tea, an expensive 宜宾 baijiu."""
    world.xiaoman.city = "成都市"
    world.xiaoman.main_categories = ["调味品"]
    world.xiaoman.save(update_fields=["city", "main_categories"])
    with time_machine.travel(at(2026, 3, 1, 10), tick=False):
        services.plan_create(actor=world.brand_owner, product=world.product, plan_type="open", rate_bps=2000, approval="auto")
        dbj2 = _product(world, "鹃城牌豆瓣 红油 300g", "condiment.doubanjiang", "成都市", 2590, 2200)
        tea = _product(world, "蒙顶甘露 特级 100g", "tea.green", "雅安市", 2990, 3000)
        tea_old = _product(world, "峨眉雪芽 一级 100g", "tea.green", "乐山市", 2990, 2000)
        baijiu = _product(world, "五粮浓香 52度 500ml", "liquor.baijiu", "宜宾市", 59900, 2500)
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=world.sku)
        services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=tea_old.skus.get())
    _sell(world.xiaoman, world.product, 100, date(2026, 3, 12))
    return {"dbj2": dbj2, "tea": tea, "tea_old": tea_old, "baijiu": baijiu}


def _codes(match) -> set[str]:
    return {r.code for r in match.reasons}


def test_reasons_are_present_and_correct(world, small):
    found = recommendations.recommend_products_for_anchor(anchor=world.xiaoman)
    by_product = {m.product_id: m for m in found}
    dbj2 = by_product[small["dbj2"].pk]
    texts = {r.code: (r.zh, r.en) for r in dbj2.reasons}
    assert texts["category_history"] == (
        "过往选品/出单 1 款中有 1 款属于「豆瓣酱」",
        "1 of 1 products picked or sold before are in 豆瓣酱",
    )
    assert texts["main_category"] == ("「调味品」是主营类目", "调味品 is one of the anchor's main categories")
    assert texts["conversion"] == (
        "「豆瓣酱」类过往 1 款中 1 款出单，共售 300 件",
        "1 of 1 earlier products in 豆瓣酱 sold, 300 units in all",
    )
    assert texts["region_same_city"][1] == "made in 成都市, the anchor's own city"
    assert texts["commission"] == ("可得佣金率 22.00%", "commission 22.00% would apply")
    assert texts["price_band"][1].startswith("¥25.90 is within the usual band")
    assert dbj2.commission_bps == 2200
    assert all(r.zh and r.en and r.contribution >= 0 for m in found for r in m.reasons)
    # Contributions explain the score: they are sorted and none exceeds it.
    assert [r.contribution for r in dbj2.reasons] == sorted((r.contribution for r in dbj2.reasons), reverse=True)
    baijiu = by_product[small["baijiu"].pk]
    assert "price_band_off" in _codes(baijiu)
    assert "region_province" in _codes(baijiu)


def test_ranking_prefers_category_fit_and_excludes_picked(world, small):
    found = recommendations.recommend_products_for_anchor(anchor=world.xiaoman)
    ids = [m.product_id for m in found]
    assert world.product.pk not in ids  # already picked
    assert ids[0] == small["dbj2"].pk
    assert ids.index(small["dbj2"].pk) < ids.index(small["tea"].pk) < ids.index(small["baijiu"].pk)
    assert found == sorted(found, key=lambda m: -m.score)


def test_ranking_prefers_past_conversion(world, small):
    """amon has one 豆瓣酱 that sold well and one green tea that never sold: at equal price, and with the
    tea paying more, the 豆瓣酱 candidate still ranks first."""
    with time_machine.travel(at(2026, 3, 11, 10), tick=False):
        services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=world.sku2)
    _sell(world.amon, world.product, 80, date(2026, 3, 12))
    found = recommendations.recommend_products_for_anchor(anchor=world.amon)
    by_product = {m.product_id: m for m in found}
    assert by_product[small["dbj2"].pk].signals["conversion"] > 0
    assert by_product[small["tea"].pk].signals["conversion"] == 0
    assert "conversion_none" in _codes(by_product[small["tea"].pk])
    assert [m.product_id for m in found].index(small["dbj2"].pk) < [m.product_id for m in found].index(small["tea"].pk)
    assert small["tea_old"].pk not in by_product


def test_co_occurrence_and_time_split(world, small):
    """The stranger took 郫县豆瓣 and the baijiu: for xiaoman the baijiu gains a similar-anchors reason;
    with as_of before those picks it does not."""
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=world.sku)
        services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=small["baijiu"].skus.get())
    now = {m.product_id: m for m in recommendations.recommend_products_for_anchor(anchor=world.xiaoman)}
    assert now[small["baijiu"].pk].signals["similar"] == 1.0
    assert "similar_anchors" in _codes(now[small["baijiu"].pk])
    before = {m.product_id: m for m in recommendations.recommend_products_for_anchor(anchor=world.xiaoman, as_of=at(2026, 3, 20))}
    assert before[small["baijiu"].pk].signals["similar"] == 0.0
    # Sales after as_of are not read either.
    assert "conversion" not in _codes(
        {m.product_id: m for m in recommendations.recommend_products_for_anchor(anchor=world.xiaoman, as_of=at(2026, 3, 11))}[
            small["dbj2"].pk
        ]
    )


def test_anchors_for_product(world, small):
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=small["dbj2"].skus.get())
    found = recommendations.recommend_anchors_for_product(product=small["dbj2"])
    ids = [m.anchor_id for m in found]
    assert world.stranger.pk not in ids  # already picked it
    assert ids[0] == world.xiaoman.pk
    top = found[0]
    assert {"category_history", "main_category", "conversion", "region_same_city"} <= _codes(top)
    assert top.commission_bps == 2200
    by_sku = recommendations.recommend_anchors_for_product(sku=small["dbj2"].skus.get())
    assert [m.anchor_id for m in by_sku] == ids


@pytest.mark.urls(__name__)
def test_api_tenancy(world, small):
    anchor_url = f"/api/selection/anchors/{world.xiaoman.pk}/recommendations/"
    product_url = f"/api/selection/products/{small['dbj2'].pk}/recommended-anchors/"
    response = client_for(world.mcn_owner).get(anchor_url, {"limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert first["product"] == small["dbj2"].pk
    assert first["retail_price"] == {"amount": "25.90", "currency": "CNY"}
    assert {"code", "zh", "en", "contribution"} <= set(first["reasons"][0])
    assert client_for(world.xiaoman_user).get(anchor_url).status_code == 200
    assert client_for(world.xiaoman_user).get(f"/api/selection/anchors/{world.amon.pk}/recommendations/").status_code == 404
    assert client_for(world.other_mcn_owner).get(anchor_url).status_code == 404
    assert client_for(world.brand_owner).get(anchor_url).status_code == 404
    assert client_for(world.reviewer).get(anchor_url).status_code == 200  # the operator
    assert client_for(world.mcn_owner).get(anchor_url, {"limit": 0}).status_code == 400

    assert client_for(world.brand_owner).get(product_url).status_code == 200
    assert client_for(world.brand_owner).get(product_url).json()["results"][0]["anchor"] == world.xiaoman.pk
    assert client_for(world.other_owner).get(product_url).status_code == 404
    assert client_for(world.mcn_owner).get(product_url).status_code == 404
    assert client_for(world.brand_owner).get("/api/selection/products/999999/recommended-anchors/").status_code == 404


def test_query_count_does_not_grow_with_the_world(world, small):
    def count(fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    def both() -> int:
        a = count(lambda: recommendations.recommend_products_for_anchor(anchor=world.xiaoman))
        b = count(lambda: recommendations.recommend_anchors_for_product(product=small["dbj2"]))
        return a + b

    def grow(products, day: int) -> None:
        with time_machine.travel(at(2026, 3, day, 10), tick=False):
            for product in products:
                services.pick_add(actor=world.xiaoman_user, anchor=world.xiaoman, sku=product.skus.get())
                services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=product.skus.get())
                services.pick_add(actor=world.mcn_owner, anchor=world.amon, sku=product.skus.get())
        for product in products:
            _sell(world.xiaoman, product, 10, date(2026, 3, day + 1))
            _sell(world.stranger, product, 5, date(2026, 3, day + 1))

    with time_machine.travel(at(2026, 3, 1, 10), tick=False):
        extra = [
            _product(world, f"冷吃兔 {i}", "snack.rabbit", "自贡市", 1990 + i, 2000, owner=world.other_owner) for i in range(8)
        ]
    with time_machine.travel(at(2026, 3, 15, 10), tick=False):
        services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=small["dbj2"].skus.get())
        services.pick_add(actor=world.other_mcn_owner, anchor=world.stranger, sku=world.sku)
    grow(extra[:2], 16)
    before = both()
    grow(extra[2:6], 20)
    after = both()
    assert after == before, (before, after)
    assert after <= 40
