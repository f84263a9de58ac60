"""What other contexts may import from the catalog.

`search_row_set_signals` is how selection/plans (commission_bps, plan_type), supply (in_stock) and
orders (sales_30d) keep their denormalised columns of the selection-center search row current.
"""

from shuxuan.catalog.models import Sku
from shuxuan.catalog.services import search_row_set_signals

__all__ = ["Sku", "search_row_set_signals"]

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
