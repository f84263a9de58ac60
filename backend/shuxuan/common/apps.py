from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shuxuan.common"
    label = "common"
