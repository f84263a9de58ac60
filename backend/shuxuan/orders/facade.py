"""What other contexts may import from orders: the lines (read-only for them) and their statuses."""

from datetime import date

from shuxuan.orders import selectors as _selectors
from shuxuan.orders.models import OrderLine, OrderStatus
from shuxuan.orders.selectors import SalesTotals
from shuxuan.parties.models import Organization

__all__ = ["OrderLine", "OrderStatus"]


# For reconciliation: the relation its set-based platform match (reconciliation/matching.py) joins
# settled legs to. The statement names this, not the table, so the table stays orders' to reshape.


def order_line_keys_sql() -> str:
    """A relation to select FROM or JOIN: every order line's (id, platform, platform_order_id)."""
    return f"(SELECT id, platform, platform_order_id FROM {OrderLine._meta.db_table})"


__all__ += ["order_line_keys_sql"]


# for insights (a brand's sales on its home)


def sales_totals_between(organization: Organization, *, start: date, end: date) -> SalesTotals:
    """Lines, units and GMV of the order lines the organization may read (`lines_visible_to`)
    paid on the days start..end inclusive (Asia/Shanghai): the orders page's figures."""
    lines = _selectors.lines_visible_to(_selectors.line_queryset(), organization)
    return _selectors.sales_totals(_selectors.paid_between(lines, start=start, end=end))


def gmv_by_day(organization: Organization, *, start: date, end: date) -> list[tuple[date, int]]:
    """GMV (fen) per Asia/Shanghai day of payment of the lines the organization may read, start..end
    inclusive, days without sales as 0."""
    lines = _selectors.lines_visible_to(_selectors.line_queryset(), organization)
    return _selectors.gmv_by_day(lines, start=start, end=end)


__all__ += ["SalesTotals", "gmv_by_day", "sales_totals_between"]
