"""What other contexts may import from the catalog.

`search_row_set_signals` is how selection/plans (commission_bps, plan_type), supply (in_stock) and
orders (sales_30d) keep their denormalised columns of the selection-center search row current.
"""

from shuxuan.catalog.models import Sku
from shuxuan.catalog.services import search_row_set_signals

__all__ = ["Sku", "search_row_set_signals"]
