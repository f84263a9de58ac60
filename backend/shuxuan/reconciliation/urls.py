from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.reconciliation import apis

router = DefaultRouter()
router.register("imports", apis.BillImportViewSet, basename="reconciliation-import")
router.register("imports", apis.BillImportRejectedViewSet, basename="reconciliation-import-rejected")
router.register("bill-lines", apis.BillLineViewSet, basename="reconciliation-bill-line")
router.register("rules", apis.MatchRuleViewSet, basename="reconciliation-rule")
router.register("runs", apis.ReconRunViewSet, basename="reconciliation-run")
router.register("exceptions", apis.ExceptionViewSet, basename="reconciliation-exception")
router.register("closes", apis.PeriodCloseViewSet, basename="reconciliation-close")

urlpatterns = [path("", include(router.urls))]
