from django.urls import path
from rest_framework.routers import DefaultRouter

from shuxuan.selection import apis, recommendation_apis

router = DefaultRouter()
router.register("plans", apis.PlanViewSet, basename="selection-plan")
router.register("applications", apis.ApplicationViewSet, basename="selection-application")
router.register("picks", apis.PickViewSet, basename="selection-pick")
router.register("sample-rules", apis.SampleRuleViewSet, basename="selection-sample-rule")
router.register("samples", apis.SampleViewSet, basename="selection-sample")
router.register("sessions", apis.SessionViewSet, basename="selection-session")

urlpatterns = [
    path(
        "anchors/<int:anchor_id>/recommendations/",
        recommendation_apis.AnchorRecommendationsView.as_view(),
        name="selection-anchor-recommendations",
    ),
    path(
        "products/<int:product_id>/recommended-anchors/",
        recommendation_apis.ProductRecommendedAnchorsView.as_view(),
        name="selection-product-recommended-anchors",
    ),
    *router.urls,
]
