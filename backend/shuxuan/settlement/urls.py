from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.settlement import apis

router = DefaultRouter()
router.register("runs", apis.RunViewSet, basename="settlement-run")
router.register("statements", apis.StatementViewSet, basename="settlement-statement")
router.register("payouts", apis.PayoutViewSet, basename="settlement-payout")
router.register("payout-batches", apis.PayoutBatchViewSet, basename="settlement-payout-batch")
router.register("advances", apis.AdvanceViewSet, basename="settlement-advance")
router.register("payees", apis.PayeeViewSet, basename="settlement-payee")
router.register("contracts", apis.ContractViewSet, basename="settlement-contract")
router.register("problem-lines", apis.ProblemLineViewSet, basename="settlement-problem-line")
router.register("platform-terms", apis.PlatformTermsViewSet, basename="settlement-platform-terms")

urlpatterns = [
    path("earnings/", apis.EarningsView.as_view(), name="settlement-earnings"),
    path("lines/<int:line_id>/phases/", apis.LinePhasesView.as_view(), name="settlement-line-phases"),
    path("", include(router.urls)),
]
