"""What other contexts may import from the catalog.

`search_row_set_signals` is how selection/plans (commission_bps, plan_type), supply (in_stock) and
orders (sales_30d) keep their denormalised columns of the selection-center search row current.
"""

from shuxuan.catalog.models import Sku
from shuxuan.catalog.services import search_row_set_signals

__all__ = ["Sku", "search_row_set_signals"]


# for selection
# `Product` and `Sku` are the model types selection's services receive and annotate with; the enums
# are the values its plans and picks store. Reads go through the functions below, each named for
# what it returns.
from django.db.models import QuerySet

from shuxuan.catalog.models import Category, CertificationStatus, PlanType, Product, SkuSearchRow
from shuxuan.catalog.origins import PREFECTURES


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


def category_rows() -> list[tuple[int, str, str, int | None]]:
    """The category tree as (id, code, name, parent id) rows (one query)."""
    return list(Category.objects.values_list("pk", "code", "name", "parent_id"))


def sichuan_city_names() -> frozenset[str]:
    """The names of Sichuan's 21 prefecture-level divisions (成都市, …)."""
    return frozenset(name for name, _ in PREFECTURES.values())


def sku_table() -> str:
    """The SKU table's name, for raw SQL that joins it."""
    return Sku._meta.db_table


__all__ += [
    "CertificationStatus",
    "PlanType",
    "Product",
    "category_rows",
    "product_names",
    "products",
    "search_rows",
    "sichuan_city_names",
    "sku_table",
    "skus",
]


# For selection's rate quote (issue 17, settlement's rate rule): a product's listing status and the
# plan types, without reaching into catalog.models.
from dataclasses import dataclass

from shuxuan.catalog.models import CertificationStatus, PlanType


def product_statuses(product_ids: list[int]) -> dict[int, str]:
    """{product id: certification status} for these products (one query)."""
    from shuxuan.catalog.models import Product

    return dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "status"))


@dataclass(frozen=True)
class CatalogRelations:
    """The tables other contexts' set-based SQL may read (settlement's terms freeze joins a line's
    SKU, product and category): the relation names, owned here (ADR 0017, cross-context SQL)."""

    sku: str
    product: str
    category: str


def catalog_relations() -> CatalogRelations:
    from shuxuan.catalog.models import Category, Product, Sku

    return CatalogRelations(sku=Sku._meta.db_table, product=Product._meta.db_table, category=Category._meta.db_table)


__all__ += ["CatalogRelations", "CertificationStatus", "PlanType", "catalog_relations", "product_statuses"]
