from __future__ import annotations

import pytest

from shuxuan.catalog import services
from shuxuan.catalog.models import Category
from shuxuan.catalog.search import SearchParams, selection_facets, selection_search
from shuxuan.catalog.tests.conftest import make_product, sku_data
from shuxuan.common.exceptions import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(cast):
    douban = make_product(
        cast.owner,
        name="郫县豆瓣酱 特级 500g",
        skus=[sku_data("PX-500", retail=1990), sku_data("PX-1000", spec="1kg 瓶装", supply=1850, retail=3690)],
        reviewer=cast.reviewer,
        state="approved",
    )
    rabbit = make_product(
        cast.other_owner,
        name="冷吃兔 麻辣 200g",
        category_code="snack.rabbit",
        city="自贡市",
        county="自流井区",
        selling_points=["自贡盐帮菜"],
        skus=[sku_data("ZG-200", spec="麻辣 200g", supply=1500, retail=2990)],
        reviewer=cast.reviewer,
        state="approved",
    )
    tea = make_product(
        cast.owner,
        name="蒙顶甘露 特级 100g",
        category_code="tea.green",
        city="雅安市",
        county="名山区",
        skus=[sku_data("MD-100", spec="100g 罐装", supply=8800, retail=16800)],
        reviewer=cast.reviewer,
        state="approved",
    )
    draft = make_product(cast.owner, name="郫县豆瓣 草稿款", skus=[sku_data("PX-DRAFT")])
    pending = make_product(cast.owner, name="郫县豆瓣 待审款", skus=[sku_data("PX-PENDING")], state="submitted")
    services.search_row_set_signals(
        sku_id=rabbit.skus.get().pk, commission_bps=3500, in_stock=True, sales_30d=900, plan_type="targeted"
    )
    services.search_row_set_signals(sku_id=tea.skus.get().pk, commission_bps=2000, in_stock=True, sales_30d=100)
    return {"douban": douban, "rabbit": rabbit, "tea": tea, "draft": draft, "pending": pending}


def names(**params):
    return [row["product_name"] for row in selection_search(SearchParams(page_size=100, **params)).rows]


def test_jieba_segmentation_finds_a_word_inside_a_compound(shelf):
    assert set(names(q="豆瓣")) == {"郫县豆瓣酱 特级 500g"}
    assert set(names(q="郫县豆瓣酱")) == {"郫县豆瓣酱 特级 500g"}
    assert set(names(q="豆瓣 郫县")) == {"郫县豆瓣酱 特级 500g"}  # words in any order
    assert set(names(q="蒙顶")) == {"蒙顶甘露 特级 100g"}


def test_one_and_two_character_queries_and_substrings(shelf):
    assert set(names(q="兔")) == {"冷吃兔 麻辣 200g"}
    assert set(names(q="甘露")) == {"蒙顶甘露 特级 100g"}
    assert set(names(q="县豆瓣")) == {"郫县豆瓣酱 特级 500g"}  # a substring jieba never produces: pg_trgm
    assert set(names(q="自贡")) == {"冷吃兔 麻辣 200g"}  # origin
    assert set(names(q="盐帮")) == {"冷吃兔 麻辣 200g"}  # brand and selling point
    assert names(q="火锅") == []


def test_only_approved_products_are_in_the_selection_center(shelf):
    everything = names()
    assert "郫县豆瓣 草稿款" not in everything and "郫县豆瓣 待审款" not in everything
    assert sorted(set(everything)) == sorted({"郫县豆瓣酱 特级 500g", "冷吃兔 麻辣 200g", "蒙顶甘露 特级 100g"})
    # The operator's view filters by certification status.
    assert names(statuses=["submitted"]) == ["郫县豆瓣 待审款"]
    assert len(names(statuses=[])) == 6


def test_filters(shelf, cast):
    condiment = Category.objects.get(code="condiment")  # a root: its descendants match
    assert set(names(category_id=condiment.pk)) == {"郫县豆瓣酱 特级 500g"}
    assert set(names(category_id=Category.objects.get(code="tea.green").pk)) == {"蒙顶甘露 特级 100g"}
    assert set(names(origin_city="雅安市")) == {"蒙顶甘露 特级 100g"}
    assert names(origin_city="雅安市", origin_county="雨城区") == []
    assert names(price_min_minor=2000, price_max_minor=3000) == ["冷吃兔 麻辣 200g"]
    assert names(commission_min_bps=3000) == ["冷吃兔 麻辣 200g"]
    assert set(names(commission_max_bps=2500)) == {"蒙顶甘露 特级 100g", "郫县豆瓣酱 特级 500g"}
    assert set(names(in_stock=True)) == {"冷吃兔 麻辣 200g", "蒙顶甘露 特级 100g"}
    assert set(names(brand_id=cast.brand.pk)) == {"郫县豆瓣酱 特级 500g", "蒙顶甘露 特级 100g"}
    assert names(plan_type="targeted") == ["冷吃兔 麻辣 200g"]
    assert names(q="豆瓣", category_id=Category.objects.get(code="snack").pk) == []


def test_sorts_and_estimated_earnings(shelf):
    assert names(sort="commission")[:2] == ["冷吃兔 麻辣 200g", "蒙顶甘露 特级 100g"]
    assert names(sort="sales")[0] == "冷吃兔 麻辣 200g"
    rows = selection_search(SearchParams(sort="earnings")).rows
    # 168.00 × 20% = 33.60; 29.90 × 35% = 10.465 -> 10.47 (half-up)
    assert [(r["product_name"], r["est_earnings_minor"]) for r in rows[:2]] == [
        ("蒙顶甘露 特级 100g", 3360),
        ("冷吃兔 麻辣 200g", 1047),
    ]
    newest = names(sort="newest")
    assert newest[0] == "蒙顶甘露 特级 100g"


def test_facets(shelf, cast):
    facets = selection_facets(SearchParams())
    assert {f["name"]: f["count"] for f in facets["category"]} == {"豆瓣酱": 2, "冷吃兔/卤味": 1, "绿茶": 1}
    assert {f["value"]: f["count"] for f in facets["origin_city"]} == {"成都市": 2, "自贡市": 1, "雅安市": 1}
    assert {f["id"]: f["count"] for f in facets["brand"]} == {cast.brand.pk: 3, cast.other_brand.pk: 1}
    assert {f["value"]: f["count"] for f in facets["price_band"]} == {"0-50": 3, "100-200": 1}
    assert selection_facets(SearchParams(q="豆瓣"))["origin_city"] == [{"value": "成都市", "count": 2}]
    # The total the search page shows: every matching SKU falls in exactly one price band.
    assert facets["total"] == 4
    assert selection_facets(SearchParams(q="豆瓣"))["total"] == 2


@pytest.mark.parametrize("sort", ["relevance", "commission", "earnings", "sales", "newest"])
def test_keyset_pagination_is_complete_and_stable(cast, sort):
    product_ids = []
    for n in range(7):
        product = make_product(
            cast.owner,
            name=f"郫县豆瓣 {n}号",
            skus=[sku_data(f"P{n}-{i}", spec=f"{i + 1}kg", retail=1990 + (n % 3) * 100) for i in range(3)],
            reviewer=cast.reviewer,
            state="approved",
        )
        product_ids.append(product.pk)
        for i, sku in enumerate(product.skus.all()):
            # Many ties on every sort key: the sku id must break them.
            services.search_row_set_signals(sku_id=sku.pk, commission_bps=1000 * (i % 2), sales_30d=n % 2)
    expected = selection_search(SearchParams(q="豆瓣", sort=sort, page_size=500)).rows
    assert len(expected) == 21
    seen, cursor, pages = [], "", 0
    while True:
        page = selection_search(SearchParams(q="豆瓣", sort=sort, page_size=4, cursor=cursor))
        seen += [row["sku_id"] for row in page.rows]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert pages == 6
    assert seen == [row["sku_id"] for row in expected]
    assert len(set(seen)) == 21


def test_bad_cursor_and_sort_are_refused(shelf):
    page = selection_search(SearchParams(page_size=1, sort="sales"))
    with pytest.raises(DomainError) as error:
        selection_search(SearchParams(page_size=1, sort="newest", cursor=page.next_cursor or ""))
    assert error.value.field == "cursor"
    with pytest.raises(DomainError) as error:
        selection_search(SearchParams(cursor="not-a-cursor!!"))
    assert error.value.field == "cursor"
    with pytest.raises(DomainError) as error:
        selection_search(SearchParams(sort="cheapest"))
    assert error.value.field == "sort"
