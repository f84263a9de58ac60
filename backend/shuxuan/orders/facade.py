"""What other contexts may import from orders: the lines (read-only for them) and their statuses."""

from shuxuan.orders.models import OrderLine, OrderStatus

__all__ = ["OrderLine", "OrderStatus"]
