"""What other contexts may import from the catalog.

Functions return plain values, frozen dataclasses, or querysets documented as such. `Product` and
`Sku` are the model types selection's services receive and annotate with; the enums are the
values its plans and picks store.

`search_row_set_signals` is how selection/plans (commission_bps, plan_type), supply (in_stock) and
orders (sales_30d) keep their denormalised columns of the selection-center search row current.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from shuxuan.catalog.models import Category, CertificationStatus, PlanType, Product, Sku, SkuSearchRow
from shuxuan.catalog.origins import PREFECTURES
from shuxuan.catalog.selectors import review_queue_queryset
from shuxuan.catalog.services import search_row_set_signals


def products() -> QuerySet[Product]:
    """Every product: a queryset of `catalog.Product` for the caller to filter (by `status`, `brand_id`, …)."""
    return Product.objects.all()


def skus() -> QuerySet[Sku]:
    """Every SKU: a queryset of `catalog.Sku` for the caller to filter (`product__status` for listed ones)."""
    return Sku.objects.all()


def search_rows() -> QuerySet[SkuSearchRow]:
    """The selection center's search rows: a queryset of `catalog.SkuSearchRow` (one per SKU, its
    product's status, category, top category, origin, price, public commission and 30-day sales)."""
    return SkuSearchRow.objects.all()


def product_names(product_ids: list[int]) -> dict[int, str]:
    """{product id: name} for these products (one query)."""
    return dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "name"))


def product_statuses(product_ids: list[int]) -> dict[int, str]:
    """{product id: certification status} for these products (one query)."""
    return dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "status"))


def category_rows() -> list[tuple[int, str, str, int | None]]:
    """The category tree as (id, code, name, parent id) rows (one query)."""
    return list(Category.objects.values_list("pk", "code", "name", "parent_id"))


def sichuan_city_names() -> frozenset[str]:
    """The names of Sichuan's 21 prefecture-level divisions (成都市, …)."""
    return frozenset(name for name, _ in PREFECTURES.values())


@dataclass(frozen=True)
class CatalogRelations:
    """The tables other contexts' set-based SQL may read (settlement's terms freeze joins a line's
    SKU, product and category; selection's sales sweep joins the SKU): the relation names, owned
    here (ADR 0017, cross-context SQL)."""

    sku: str
    product: str
    category: str


def catalog_relations() -> CatalogRelations:
    return CatalogRelations(sku=Sku._meta.db_table, product=Product._meta.db_table, category=Category._meta.db_table)


__all__ = [
    "CatalogRelations",
    "CertificationStatus",
    "PlanType",
    "Product",
    "Sku",
    "catalog_relations",
    "category_rows",
    "product_names",
    "product_statuses",
    "products",
    "search_row_set_signals",
    "search_rows",
    "sichuan_city_names",
    "skus",
]


# for insights (the review queue's counts on the homes)


def review_queue_counts(*, statuses: tuple[str, ...], brand_id: int | None = None) -> dict[str, int]:
    """Products of the review queue (the reviews page's `review_queue_queryset`) in these
    certification statuses, status → count, in one query; a brand's own when `brand_id` is given.
    A status with none is absent."""
    queue = review_queue_queryset()
    if brand_id is not None:
        queue = queue.filter(brand_id=brand_id)
    rows = queue.filter(status__in=statuses).values("status").annotate(n=Count("id")).values_list("status", "n")
    return dict(rows)


__all__ += ["CertificationStatus", "review_queue_counts"]
