from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from shuxuan.audit.apis import AuditEntryViewSet
from shuxuan.common.apis import HealthView
from shuxuan.common.media import public_media
from shuxuan.common.spa import spa_index
from shuxuan.insights.apis import HomeView
from shuxuan.parties import apis as parties
from shuxuan.parties.admin_login import guarded_admin_login

router = DefaultRouter()
router.register("parties/organizations", parties.OrganizationViewSet, basename="organization")
router.register("parties/users", parties.UserViewSet, basename="user")
router.register("parties/anchors", parties.AnchorViewSet, basename="anchor")
router.register("parties/bindings", parties.McnBindingViewSet, basename="mcn-binding")
router.register("parties/invitations", parties.InvitationViewSet, basename="invitation")
router.register("audit/entries", AuditEntryViewSet, basename="audit-entry")

api: list[URLPattern | URLResolver] = [
    path("health/", HealthView.as_view(), name="health"),
    path("auth/csrf/", parties.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", parties.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", parties.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", parties.MeView.as_view(), name="auth-me"),
    path("auth/token/", parties.TokenView.as_view(), name="auth-token"),
    path("public/invitations/<str:token>/", parties.PublicInvitationView.as_view(), name="public-invitation"),
    path("home/", HomeView.as_view(), name="home"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("catalog/", include("shuxuan.catalog.urls")),
    path("ledger/", include("shuxuan.ledger.urls")),
    path("orders/", include("shuxuan.orders.urls")),
    path("payments/", include("shuxuan.payments.urls")),
    path("settlement/", include("shuxuan.settlement.urls")),
    path("reconciliation/", include("shuxuan.reconciliation.urls")),
    path("selection/", include("shuxuan.selection.urls")),
    path("supply/", include("shuxuan.supply.urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    # Ahead of the admin's own login: the same attempt rule as the API's (ADR 0014).
    path("admin/login/", guarded_admin_login),
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    # Only public uploads (product images); other media paths answer 404 (shuxuan/common/media.py).
    re_path(r"^media/(?P<path>.+)$", public_media, name="public-media"),
    re_path(r"^(?!api/|admin/|static/|media/)(?P<path>.*)$", spa_index, name="spa"),
]

handler404 = "shuxuan.common.errors.not_found"
handler400 = "shuxuan.common.errors.bad_request"
