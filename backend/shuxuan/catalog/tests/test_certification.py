from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog import services
from shuxuan.catalog.models import CertificationDecision, Product, Sku, SkuSearchRow
from shuxuan.catalog.search import SearchParams, selection_search
from shuxuan.catalog.tests.conftest import category, make_product, sku_data
from shuxuan.common.exceptions import DomainError

pytestmark = pytest.mark.django_db


def visible_product_ids() -> set[int]:
    return {row["product_id"] for row in selection_search(SearchParams(page_size=500)).rows}


def test_draft_submit_approve_then_price_change_goes_back_to_review(cast):
    product = make_product(cast.owner)
    assert product.status == "draft" and product.pk not in visible_product_ids()

    services.product_submit(actor=cast.owner, product=product)
    assert product.pk not in visible_product_ids()
    services.product_approve(actor=cast.reviewer, product=product)
    product.refresh_from_db()
    assert product.status == "approved" and product.first_approved_at is not None
    assert product.pk in visible_product_ids()
    first_approved_at = product.first_approved_at

    sku = product.skus.get()
    services.sku_update(actor=cast.owner, sku=sku, data={"retail_price_minor": 2290, "max_live_price_minor": 2290})
    product.refresh_from_db()
    assert product.status == "submitted"
    assert product.pk not in visible_product_ids()
    assert SkuSearchRow.objects.get(pk=sku.pk).status == "submitted"

    services.product_approve(actor=cast.reviewer, product=product)
    product.refresh_from_db()
    assert product.status == "approved" and product.first_approved_at == first_approved_at
    row = next(r for r in selection_search(SearchParams(page_size=500)).rows if r["sku_id"] == sku.pk)
    assert row["retail_price_minor"] == 2290

    history = list(product.decisions.values_list("action", "from_status", "to_status", "actor_id"))
    assert history == [
        ("submit", "draft", "submitted", cast.owner.pk),
        ("approve", "submitted", "approved", cast.reviewer.pk),
        ("reopen", "approved", "submitted", cast.owner.pk),
        ("approve", "submitted", "approved", cast.reviewer.pk),
    ]
    reopen = product.decisions.get(action="reopen")
    assert reopen.changes == {f"sku:{sku.code}:retail_price_minor": 2290, f"sku:{sku.code}:max_live_price_minor": 2290}
    actions = list(
        AuditEntry.objects.filter(object_type="catalog.product", object_id=str(product.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "product.create",
        "product.certification.submit",
        "product.certification.approve",
        "product.certification.reopen",
        "product.certification.approve",
    ]


def test_description_change_reopens_but_shipping_warehouse_does_not(cast):
    product = make_product(cast.owner, reviewer=cast.reviewer, state="approved")
    services.product_update(actor=cast.owner, product=product, data={"ship_from": "双流仓", "shelf_life_days": 360})
    product.refresh_from_db()
    assert product.status == "approved"
    services.product_update(actor=cast.owner, product=product, data={"description": "新配方。"})
    product.refresh_from_db()
    assert product.status == "submitted"
    assert product.pk not in visible_product_ids()


def test_adding_a_sku_to_an_approved_product_reopens_it(cast):
    product = make_product(cast.owner, reviewer=cast.reviewer, state="approved")
    services.sku_create(actor=cast.owner, product=product, data=sku_data("NEW-1KG", spec="1kg 瓶装", supply=1850, retail=3690))
    product.refresh_from_db()
    assert product.status == "submitted"
    assert SkuSearchRow.objects.filter(product_id=product.pk).count() == 2


def test_reject_needs_a_reason_and_writes_nothing_without_one(cast):
    product = make_product(cast.owner, state="submitted")
    decisions, audits = CertificationDecision.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        services.product_reject(actor=cast.reviewer, product=product, reason="  ")
    assert error.value.field == "reason"
    product.refresh_from_db()
    assert product.status == "submitted"
    assert (CertificationDecision.objects.count(), AuditEntry.objects.count()) == (decisions, audits)

    services.product_reject(actor=cast.reviewer, product=product, reason="缺少产地证明")
    product.refresh_from_db()
    assert (product.status, product.rejection_reason) == ("rejected", "缺少产地证明")
    # A rejected product is fixed and submitted again.
    services.product_update(actor=cast.owner, product=product, data={"description": "补充了产地证明。"})
    services.product_submit(actor=cast.owner, product=product)
    product.refresh_from_db()
    assert (product.status, product.rejection_reason) == ("submitted", "")


def test_only_operator_reviewers_decide(cast):
    product = make_product(cast.owner, state="submitted")
    for actor in (cast.owner, cast.op_staff, cast.mcn_user):
        with pytest.raises(DomainError):
            services.product_approve(actor=actor, product=product)
    product.refresh_from_db()
    assert product.status == "submitted" and product.decisions.count() == 1


def test_cannot_approve_twice_or_submit_without_skus(cast):
    product = make_product(cast.owner, reviewer=cast.reviewer, state="approved")
    with pytest.raises(DomainError):
        services.product_approve(actor=cast.reviewer, product=product)
    empty = make_product(cast.owner, name="空商品", skus=[])
    with pytest.raises(DomainError) as error:
        services.product_submit(actor=cast.owner, product=empty)
    assert error.value.field == "skus"
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_certification_history_is_append_only(cast):
    product = make_product(cast.owner, state="submitted")
    decision = product.decisions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationDecision.objects.filter(pk=decision.pk).update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationDecision.objects.filter(pk=decision.pk).delete()


def test_origin_is_checked_against_sichuan_divisions(cast):
    before = (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as error:
        make_product(cast.owner, city="成都市", county="翠屏区")
    assert error.value.field == "origin_county"
    with pytest.raises(DomainError) as error:
        make_product(cast.owner, city="重庆市", county="")
    assert error.value.field == "origin_city"
    assert (Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count()) == before
    # Former names on labels map to today's county; short city names are accepted.
    product = make_product(cast.owner, city="成都", county="郫县")
    assert (product.origin_city, product.origin_county) == ("成都市", "郫都区")


def test_bad_sku_is_refused_whole_with_the_field_named(cast):
    before = (Product.objects.count(), Sku.objects.count())
    with pytest.raises(DomainError) as error:
        make_product(cast.owner, skus=[sku_data("OK-1"), sku_data("BAD-1", supply=2000, retail=1990)])
    assert error.value.field == "retail_price_minor"
    with pytest.raises(DomainError) as error:
        make_product(cast.owner, skus=[sku_data("DUP"), sku_data("dup")])
    assert error.value.field == "skus"
    assert (Product.objects.count(), Sku.objects.count()) == before


def test_sku_code_is_unique_per_brand_not_globally(cast):
    make_product(cast.owner, skus=[sku_data("PX-500")])
    make_product(
        cast.other_owner,
        name="冷吃兔 200g",
        category_code="snack.rabbit",
        city="自贡市",
        county="自流井区",
        skus=[sku_data("PX-500")],
    )
    product = make_product(cast.owner, name="另一个商品", skus=[sku_data("OTHER")])
    with pytest.raises(DomainError) as error:
        services.sku_create(actor=cast.owner, product=product, data=sku_data("px-500"))
    assert error.value.field == "code"
    assert product.skus.count() == 1


def test_category_must_exist(cast):
    with pytest.raises(DomainError) as error:
        services.product_create(
            actor=cast.owner, data={"category": 999_999, "name": "x", "origin_city": "成都市", "origin_county": ""}, skus=[]
        )
    assert error.value.field == "category"
    assert category("condiment").children.count() >= 3
