from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.catalog import apis

router = DefaultRouter()
router.register("categories", apis.CategoryViewSet, basename="catalog-category")
router.register("products", apis.ProductViewSet, basename="catalog-product")
router.register("product-imports", apis.ProductImportViewSet, basename="catalog-import")
router.register("skus", apis.SkuViewSet, basename="catalog-sku")
router.register("reviews", apis.ReviewViewSet, basename="catalog-review")
router.register("selection", apis.SelectionViewSet, basename="catalog-selection")

urlpatterns = [path("", include(router.urls))]
