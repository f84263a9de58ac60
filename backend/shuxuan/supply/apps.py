from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "shuxuan.supply"
    label = "supply"
    verbose_name = "供应链 Supply"

    def ready(self) -> None:
        from shuxuan.ledger.facade import register_check
        from shuxuan.supply.selectors import stock_value_check

        register_check("stock value equals the inventory account balance", stock_value_check)
