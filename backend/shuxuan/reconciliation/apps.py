from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "shuxuan.reconciliation"
    label = "reconciliation"
    verbose_name = "对账 Reconciliation"
