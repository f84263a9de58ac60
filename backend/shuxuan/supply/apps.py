from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "shuxuan.supply"
    label = "supply"
    verbose_name = "供应链 Supply"

    def ready(self) -> None:
        from shuxuan.ledger.facade import register_check, triggers_missing
        from shuxuan.supply.selectors import stock_value_check

        register_check("stock value equals the inventory account balance", stock_value_check)
        register_check(
            "stock movements refuse UPDATE, DELETE and TRUNCATE (triggers present and enabled)",
            lambda: triggers_missing(STOCK_HISTORY_TRIGGERS),
        )


STOCK_HISTORY_TRIGGERS = {
    ("supply_stockmovement", "supply_stockmovement_append_only"),
    ("supply_stockmovement", "supply_stockmovement_no_truncate"),
}
