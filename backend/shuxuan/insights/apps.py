from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "shuxuan.insights"
    label = "insights"
