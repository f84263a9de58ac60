from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "shuxuan.orders"
    label = "orders"
    verbose_name = "订单 Orders"

    def ready(self) -> None:
        from shuxuan.ledger.facade import register_check
        from shuxuan.orders.checks import references_resolve

        register_check("order lines and their events reference rows that exist", references_resolve)
