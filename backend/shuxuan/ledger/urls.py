from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shuxuan.ledger import apis

router = DefaultRouter()
router.register("accounts", apis.AccountViewSet, basename="ledger-account")
router.register("entries", apis.JournalEntryViewSet, basename="ledger-entry")
router.register("trial-balance", apis.TrialBalanceViewSet, basename="ledger-trial-balance")
router.register("periods", apis.PeriodViewSet, basename="ledger-period")

urlpatterns = [path("", include(router.urls))]
