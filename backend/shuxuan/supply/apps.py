from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "shuxuan.supply"
    label = "supply"
