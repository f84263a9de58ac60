from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "shuxuan.selection"
    label = "selection"
    verbose_name = "选品 Selection"
