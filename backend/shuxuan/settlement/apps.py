from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "shuxuan.settlement"
    label = "settlement"
    verbose_name = "结算 Settlement"
