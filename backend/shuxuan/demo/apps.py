from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shuxuan.demo"
    label = "demo"
    verbose_name = "Demo world 演示数据"
