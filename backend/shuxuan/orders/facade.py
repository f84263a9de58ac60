"""What other contexts may import from orders: the lines (read-only for them) and their statuses."""

from shuxuan.orders.models import OrderLine, OrderStatus

__all__ = ["OrderLine", "OrderStatus"]


# For reconciliation: the relation its set-based platform match (reconciliation/matching.py) joins
# settled legs to. The statement names this, not the table, so the table stays orders' to reshape.


def order_line_keys_sql() -> str:
    """A relation to select FROM or JOIN: every order line's (id, platform, platform_order_id)."""
    return f"(SELECT id, platform, platform_order_id FROM {OrderLine._meta.db_table})"


__all__ += ["order_line_keys_sql"]
