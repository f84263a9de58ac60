from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "shuxuan.parties"
    label = "parties"
    verbose_name = "Parties 参与方"
