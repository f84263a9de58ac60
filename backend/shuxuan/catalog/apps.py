from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shuxuan.catalog"
    label = "catalog"
    verbose_name = "商品库 Catalog"
