"""Reads of the catalog: management querysets, the review queue, category names.

The selection-center search is the `catalog.search` package (docs/decisions/0003-search-design.md).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from shuxuan.catalog.models import (
    Category,
    CertificationStatus,
    Product,
    ProductImage,
    Sku,
)


def product_queryset() -> QuerySet[Product]:
    return Product.objects.select_related("brand", "category__parent").prefetch_related(
        Prefetch("skus", queryset=Sku.objects.order_by("id")),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
    )


def review_queue_queryset() -> QuerySet[Product]:
    return product_queryset().exclude(status=CertificationStatus.DRAFT).prefetch_related("decisions")


def category_names() -> dict[int, str]:
    return dict(Category.objects.values_list("id", "name"))
