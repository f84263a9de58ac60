from __future__ import annotations

import pytest
from django.urls import reverse

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog import services
from shuxuan.catalog.models import Category, Product, ProductImage, Sku, SkuSearchRow
from shuxuan.catalog.tests.conftest import client_for, make_product, sku_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "CNY"}


def test_brand_creates_a_product_with_money_objects_and_submits_it(cast):
    client = client_for(cast.owner)
    response = client.post(
        reverse("catalog-product-list"),
        {
            "category": Category.objects.get(code="snack.rabbit").pk,
            "name": "冷吃兔 麻辣 200g",
            "origin_city": "自贡市",
            "origin_county": "自流井区",
            "selling_points": ["鲜兔现做", "香辣入味"],
            "skus": [
                {
                    "code": "LCT-200",
                    "spec": "麻辣 200g",
                    "supply_price": money("15.00"),
                    "retail_price": money("29.90"),
                    "min_live_price": money("22.90"),
                    "max_live_price": money("29.90"),
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["brand"]["id"] == cast.brand.pk
    assert body["skus"][0]["retail_price"] == {"amount": "29.90", "currency": "CNY"}
    assert Sku.objects.get(code="LCT-200").retail_price_minor == 2990

    response = client.post(reverse("catalog-product-submit", args=[body["id"]]))
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_bad_input_names_the_field_and_writes_nothing(cast):
    client = client_for(cast.owner)
    product = make_product(cast.owner)
    before = (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count())
    response = client.post(
        reverse("catalog-sku-list"),
        {
            "product": product.pk,
            "code": "X-1",
            "spec": "1kg",
            "supply_price": money("30.00"),
            "retail_price": money("19.90"),
            "min_live_price": money("15.00"),
            "max_live_price": money("19.90"),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "retail_price_minor" in response.json()["errors"]
    response = client.patch(
        reverse("catalog-product-detail", args=[product.pk]), {"origin_city": "成都市", "origin_county": "江阳区"}, format="json"
    )
    assert response.status_code == 400 and "origin_county" in response.json()["errors"]
    assert (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count()) == before


def test_another_brands_product_answers_404(cast):
    theirs = make_product(cast.other_owner, name="冷吃兔", category_code="snack.rabbit", city="自贡市", county="自流井区")
    sku = theirs.skus.get()
    client = client_for(cast.owner)
    assert client.get(reverse("catalog-product-detail", args=[theirs.pk])).status_code == 404
    assert client.patch(reverse("catalog-product-detail", args=[theirs.pk]), {"name": "hijack"}, format="json").status_code == 404
    assert client.delete(reverse("catalog-product-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("catalog-product-submit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("catalog-sku-detail", args=[sku.pk])).status_code == 404
    assert client.patch(reverse("catalog-sku-detail", args=[sku.pk]), {"spec": "hijack"}, format="json").status_code == 404
    response = client.post(
        reverse("catalog-sku-list"),
        {
            "product": theirs.pk,
            "code": "X",
            "spec": "x",
            **{f: money("1.00") for f in ("supply_price", "retail_price", "min_live_price", "max_live_price")},
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"] == {"product": ["商品不存在 / no such product"]}
    assert client.get(reverse("catalog-product-list")).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.name == "冷吃兔" and theirs.skus.count() == 1
    # Anchors and MCNs do not manage products at all.
    assert client_for(cast.mcn_user).get(reverse("catalog-product-list")).json()["count"] == 0


def test_review_queue_is_the_operators(cast):
    product = make_product(cast.owner, state="submitted")
    assert client_for(cast.owner).get(reverse("catalog-review-list")).json()["count"] == 0
    assert client_for(cast.owner).get(reverse("catalog-review-detail", args=[product.pk])).status_code == 404
    assert client_for(cast.owner).post(reverse("catalog-review-approve", args=[product.pk])).status_code == 403
    assert client_for(cast.op_staff).post(reverse("catalog-review-approve", args=[product.pk])).status_code == 403

    reviewer = client_for(cast.reviewer)
    queue = reviewer.get(reverse("catalog-review-list")).json()
    assert [p["id"] for p in queue["results"]] == [product.pk]
    response = reviewer.post(reverse("catalog-review-reject", args=[product.pk]), {"reason": ""}, format="json")
    assert response.status_code == 400
    response = reviewer.post(reverse("catalog-review-approve", args=[product.pk]))
    assert response.status_code == 200
    assert [d["action"] for d in response.json()["decisions"]] == ["submit", "approve"]
    assert reviewer.get(reverse("catalog-review-list")).json()["count"] == 0
    assert reviewer.get(reverse("catalog-review-list"), {"status": "approved"}).json()["count"] == 1


def test_selection_center_is_for_everyone_logged_in_and_shows_approved_only(cast, api_client):
    approved = make_product(cast.owner, reviewer=cast.reviewer, state="approved")
    draft = make_product(cast.owner, name="郫县豆瓣 草稿")
    anchor = client_for(cast.mcn_user)
    body = anchor.get(reverse("catalog-selection-list"), {"q": "豆瓣"}).json()
    assert [row["product_id"] for row in body["results"]] == [approved.pk] and body["next"] is None
    row = body["results"][0]
    assert row["retail_price"] == {"amount": "19.90", "currency": "CNY"}
    assert row["estimated_earnings"] == {"amount": "0.00", "currency": "CNY"}
    assert row["category"]["name"] == "豆瓣酱"
    detail = anchor.get(reverse("catalog-selection-detail", args=[row["id"]])).json()
    assert detail["id"] == approved.pk and "supply_price" not in detail["skus"][0]
    assert anchor.get(reverse("catalog-selection-detail", args=[draft.skus.get().pk])).status_code == 404
    # The status filter is the operator's: others still see approved only.
    assert anchor.get(reverse("catalog-selection-list"), {"status": "draft"}).json()["results"][0]["status"] == "approved"
    operator = client_for(cast.op_staff).get(reverse("catalog-selection-list"), {"status": "draft"}).json()
    assert [r["product_id"] for r in operator["results"]] == [draft.pk]
    facets = anchor.get(reverse("catalog-selection-facets")).json()
    assert facets["category"] == [{"id": Category.objects.get(code="condiment.doubanjiang").pk, "name": "豆瓣酱", "count": 1}]
    assert api_client.get(reverse("catalog-selection-list")).status_code in (401, 403)


def test_image_upload_checks_type_and_size(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = make_product(cast.owner)
    client = client_for(cast.owner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("catalog-product-images", args=[product.pk]),
        {"file": SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert ProductImage.objects.count() == 0
    response = client.post(
        reverse("catalog-product-images", args=[product.pk]),
        {"file": SimpleUploadedFile("cover.png", PNG, content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"
    assert SkuSearchRow.objects.get(product_id=product.pk).cover_image.endswith("cover.png")


def _products(owner, reviewer, n):
    for i in range(n):
        make_product(
            owner,
            name=f"郫县豆瓣 {i}",
            skus=[sku_data(f"Q{i}-A"), sku_data(f"Q{i}-B", spec="1kg")],
            reviewer=reviewer,
            state="approved",
        )


@pytest.mark.parametrize("n", [2, 8])
def test_list_endpoints_do_not_grow_queries_with_rows(cast, n, django_assert_max_num_queries):
    _products(cast.owner, cast.reviewer, n)
    services.product_submit  # noqa: B018 - imported for the fixture's side effects only
    owner, reviewer, anchor = client_for(cast.owner), client_for(cast.reviewer), client_for(cast.mcn_user)
    with django_assert_max_num_queries(5):  # count, products, skus, images (+ slack)
        assert owner.get(reverse("catalog-product-list")).json()["count"] == n
    with django_assert_max_num_queries(6):
        assert len(reviewer.get(reverse("catalog-review-list"), {"status": "approved"}).json()["results"]) == n
    with django_assert_max_num_queries(3):  # search, category names
        assert len(anchor.get(reverse("catalog-selection-list"), {"q": "豆瓣"}).json()["results"]) == 2 * n
    with django_assert_max_num_queries(4):
        assert len(anchor.get(reverse("catalog-sku-list")).json()["results"]) == 0
    with django_assert_max_num_queries(3):
        assert len(owner.get(reverse("catalog-sku-list")).json()["results"]) == 2 * n
