from rest_framework.routers import DefaultRouter

from shuxuan.selection import apis

router = DefaultRouter()
router.register("plans", apis.PlanViewSet, basename="selection-plan")
router.register("applications", apis.ApplicationViewSet, basename="selection-application")
router.register("picks", apis.PickViewSet, basename="selection-pick")
router.register("sample-rules", apis.SampleRuleViewSet, basename="selection-sample-rule")
router.register("samples", apis.SampleViewSet, basename="selection-sample")
router.register("sessions", apis.SessionViewSet, basename="selection-session")

urlpatterns = router.urls
