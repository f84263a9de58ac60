from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "shuxuan.ledger"
    label = "ledger"
