from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.payments import apis

router = DefaultRouter()
router.register("connected-accounts", apis.ConnectedAccountViewSet, basename="payments-connected-account")
router.register("charges", apis.BrandChargeViewSet, basename="payments-charge")
router.register("transfers", apis.StripeTransferViewSet, basename="payments-transfer")

urlpatterns = [
    path("stripe/webhook/", apis.StripeWebhookView.as_view(), name="payments-stripe-webhook"),
    path("", include(router.urls)),
]
