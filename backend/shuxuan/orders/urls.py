from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.orders import apis

router = DefaultRouter()
router.register("batches", apis.ImportBatchViewSet, basename="orders-batch")
router.register("lines", apis.OrderLineViewSet, basename="orders-line")
router.register("product-mappings", apis.ProductMappingViewSet, basename="orders-product-mapping")

urlpatterns = [path("", include(router.urls))]
