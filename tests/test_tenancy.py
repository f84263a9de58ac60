"""Generated tenancy test: walks every API route as every demo user and proves that no
organization reads or writes another organization's objects (docs/domain.md section 2).

The walk is generated from the URL configuration, so a new viewset is covered the day it is
added — and this test fails until the viewset is declared in OWNERSHIP below with an
independent statement of which objects an organization owns.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model, Q, QuerySet
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSetMixin

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog.models import Category, Product, ProductImport, Sku, SkuSearchRow
from shuxuan.common.tenancy import OrgScopedViewSet
from shuxuan.ledger.models import Account, JournalEntry, Period
from shuxuan.orders.models import ImportBatch, OrderLine, PlatformProductMapping
from shuxuan.parties.models import Anchor, Invitation, McnBinding, Organization, OrganizationKind, User
from shuxuan.parties.selectors import binding_in_force_q
from shuxuan.payments.models import BrandCharge, ConnectedAccount, StripeTransfer
from shuxuan.selection import models as sel
from shuxuan.settlement import models as st
from shuxuan.supply import models as sm

pytestmark = pytest.mark.django_db

# basename -> (model, objects that organization `org` owns), written independently of the views.


def _anchors_of(org: Organization) -> QuerySet[Anchor]:
    return Anchor.objects.filter(
        Q(organization=org) | Q(pk__in=McnBinding.objects.filter(binding_in_force_q(), mcn=org).values("anchor_id"))
    )


# A report computed for the caller (no objects of its own) is declared in REPORTS instead.
OWNERSHIP: dict[str, tuple[type[Model], Callable[[Organization], QuerySet[Any]]]] = {
    "organization": (Organization, lambda org: Organization.objects.filter(pk=org.pk)),
    "user": (User, lambda org: User.objects.filter(organization=org)),
    "anchor": (Anchor, _anchors_of),
    "mcn-binding": (McnBinding, lambda org: McnBinding.objects.filter(Q(mcn=org) | Q(anchor__organization=org))),
    "invitation": (Invitation, lambda org: Invitation.objects.none()),
    "audit-entry": (AuditEntry, lambda org: AuditEntry.objects.filter(organization=org)),
    # Supply: brands read their own goods and the purchase orders sent to them; the rest is the operator's.
    "supply-stock-item": (sm.StockItem, lambda org: sm.StockItem.objects.filter(brand=org)),
    "supply-purchase-order": (sm.PurchaseOrder, lambda org: sm.PurchaseOrder.objects.filter(brand=org)),
    "supply-receipt": (sm.Receipt, lambda org: sm.Receipt.objects.filter(purchase_order__brand=org)),
    "supply-balance": (sm.StockBalance, lambda org: sm.StockBalance.objects.filter(Q(owner=org) | Q(stock_item__brand=org))),
    "supply-movement": (sm.StockMovement, lambda org: sm.StockMovement.objects.filter(Q(owner=org) | Q(stock_item__brand=org))),
    "supply-warehouse": (sm.Warehouse, lambda org: sm.Warehouse.objects.none()),
    "supply-shipment": (sm.Shipment, lambda org: sm.Shipment.objects.none()),
    "supply-return": (sm.StockReturn, lambda org: sm.StockReturn.objects.none()),
    "supply-transfer": (sm.Transfer, lambda org: sm.Transfer.objects.none()),
    "supply-count": (sm.StockCount, lambda org: sm.StockCount.objects.none()),
    "supply-reservation": (sm.Reservation, lambda org: sm.Reservation.objects.none()),
    # Catalog: brands manage their own products; the selection center shows approved SKUs to everyone.
    "catalog-category": (Category, lambda org: Category.objects.all()),
    "catalog-product": (Product, lambda org: Product.objects.filter(brand=org)),
    "catalog-import": (ProductImport, lambda org: ProductImport.objects.filter(brand=org)),
    "catalog-sku": (Sku, lambda org: Sku.objects.filter(product__brand=org)),
    "catalog-review": (Product, lambda org: Product.objects.none()),
    "catalog-selection": (SkuSearchRow, lambda org: SkuSearchRow.objects.filter(sku__product__status="approved")),
    # Selection: brands see their plans, rules and the picks/samples/sessions of their goods;
    # anchors and MCNs see those of their anchors.
    "selection-plan": (sel.CommissionPlan, lambda org: sel.CommissionPlan.objects.filter(brand=org)),
    "selection-application": (
        sel.PlanApplication,
        lambda org: sel.PlanApplication.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org))),
    ),
    "selection-pick": (sel.Pick, lambda org: sel.Pick.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org)))),
    "selection-sample-rule": (sel.SampleRule, lambda org: sel.SampleRule.objects.filter(brand=org)),
    "selection-sample": (
        sel.SampleRequest,
        lambda org: sel.SampleRequest.objects.filter(Q(brand=org) | Q(anchor__in=_anchors_of(org))),
    ),
    "selection-session": (
        sel.LiveSession,
        lambda org: sel.LiveSession.objects.filter(Q(items__brand=org) | Q(anchor__in=_anchors_of(org))).distinct(),
    ),
    # Orders: an MCN reads the lines of its anchors (the binding frozen at pay time), a brand those
    # of its SKUs; import batches are the operator's.
    "orders-batch": (ImportBatch, lambda org: ImportBatch.objects.none()),
    "orders-line": (OrderLine, lambda org: OrderLine.objects.filter(Q(mcn=org) | Q(sku__brand=org))),
    "orders-product-mapping": (PlatformProductMapping, lambda org: PlatformProductMapping.objects.filter(sku__brand=org)),
    # Ledger: an organization reads its own accounts and the entries that touch them.
    "ledger-account": (Account, lambda org: Account.objects.filter(organization=org)),
    "ledger-entry": (JournalEntry, lambda org: JournalEntry.objects.filter(postings__account__organization=org).distinct()),
    "ledger-period": (Period, lambda org: Period.objects.none()),
    # Payments: a payee reads its own connected accounts (its own, its anchors') and the transfers paid
    # into them; a brand reads the charges it pays.
    "payments-connected-account": (
        ConnectedAccount,
        lambda org: ConnectedAccount.objects.filter(Q(organization=org) | Q(anchor__organization=org)),
    ),
    "payments-charge": (BrandCharge, lambda org: BrandCharge.objects.filter(brand=org)),
    "payments-transfer": (
        StripeTransfer,
        lambda org: StripeTransfer.objects.filter(
            destination__in=ConnectedAccount.objects.filter(Q(organization=org) | Q(anchor__organization=org)).values(
                "stripe_account_id"
            )
        ),
    ),
    # Settlement: a party reads its own statements, payouts, advances and payee details, and an MCN
    # (or studio) those of the anchors it manages; runs and bank batches are in REPORTS.
    "settlement-statement": (
        st.Statement,
        lambda org: st.Statement.objects.filter(Q(organization=org) | Q(anchor__organization=org)),
    ),
    "settlement-payout": (
        st.Payout,
        lambda org: st.Payout.objects.filter(Q(statement__organization=org) | Q(statement__anchor__organization=org)),
    ),
    "settlement-advance": (
        st.Advance,
        lambda org: st.Advance.objects.filter(Q(statement__organization=org) | Q(statement__anchor__organization=org)),
    ),
    "settlement-payee": (st.Payee, lambda org: st.Payee.objects.filter(Q(organization=org) | Q(anchor__organization=org))),
    "settlement-platform-terms": (st.PlatformTerms, lambda org: st.PlatformTerms.objects.all()),
    "settlement-contract": (st.Contract, lambda org: st.Contract.objects.filter(brand=org)),
}

# Viewsets that serve a computed report only to the operator: everyone else must be refused.
REPORTS = {
    "ledger-trial-balance": "trial balance across every account: operator finance and owners only",
    "settlement-run": "settlement runs across every party: operator finance and owners only",
    "settlement-payout-batch": "bank batch files of every payee: operator finance and owners only",
    "settlement-problem-line": "order lines waiting for review, of every party: operator finance and owners only",
    # Reconciliation compares the operator's books with the platforms', bank's and Stripe's statements.
    "reconciliation-import": "imported statement files: operator finance and owners only",
    "reconciliation-bill-line": "statement lines of the operator's platform shops, bank and Stripe: operator finance only",
    "reconciliation-rule": "matching rules: operator finance and owners only",
    "reconciliation-run": "reconcile runs and the status board: operator finance and owners only",
    "reconciliation-exception": "differences between the statements and the ledger: operator finance and owners only",
    "reconciliation-close": "month closes and the close report: operator finance and owners only",
}

# Views that are not organization-scoped viewsets, and why that is safe.
NOT_SCOPED = {
    "HealthView": "public; reports only that the database answers",
    "CsrfView": "public; sets the CSRF cookie",
    "LoginView": "public; login",
    "TokenView": "public; exchanges credentials for a token",
    "LogoutView": "acts on the caller's own session",
    "MeView": "returns the caller",
    "PublicInvitationView": "public; the unguessable token is the credential",
    "HomeView": "figures computed for the caller's organization (insights.selectors.home_summary)",
    "SpectacularAPIView": "the API schema (authenticated)",
    "SpectacularSwaggerView": "API docs page (authenticated)",
    "SpectacularRedocView": "API docs page (authenticated)",
    "APIRootView": "DRF router index: links only",
    "AnchorRecommendationsView": "computed for an anchor the caller manages (own login, its MCN, the operator); others 404",
    "ProductRecommendedAnchorsView": "computed for a product of the caller's brand (or the operator); others 404",
    "StockReportView": "进销存 rows computed for the caller: the operator all, a brand its own goods, others none",
    "StockReportExportView": "the 进销存 rows of StockReportView as a file, computed for the caller the same way",
    "EarningsView": "computed for the caller's own organization and the anchors it manages; operator finance any party",
    "LinePhasesView": "operator finance only (any line); everyone else 403",
    "StripeWebhookView": "public; Stripe's HMAC signature (STRIPE_WEBHOOK_SECRET) is the credential",
}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def api_routes() -> dict[str, dict[str, Any]]:
    """basename -> {"list": url, "detail": url template, "actions": [detail action urls], "cls": viewset}."""
    routes: dict[str, dict[str, Any]] = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        callback = pattern.callback
        cls = getattr(callback, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        if not issubclass(cls, ViewSetMixin):
            assert cls.__name__ in NOT_SCOPED, (
                f"{route}: {cls.__name__} is an APIView outside the tenancy walk; scope it or declare why not"
            )
            continue
        if cls.__name__ in NOT_SCOPED:
            continue
        assert issubclass(cls, OrgScopedViewSet), f"{route}: {cls.__name__} must subclass OrgScopedViewSet"
        name = pattern.name or ""
        basename = name.rsplit("-", 1)[0] if name.endswith(("-list", "-detail")) else None
        if "(?P<format>" in route:
            continue
        # "api/" + "^parties/anchors/(?P<pk>[^/.]+)/$" -> "/api/parties/anchors/(?P<pk>[^/.]+)/"
        clean = "/" + route.replace("/^", "/").removesuffix("$")
        entry = None
        if name.endswith("-list"):
            entry = routes.setdefault(basename, {"actions": [], "cls": cls})
            entry["list"] = clean
        elif name.endswith("-detail"):
            entry = routes.setdefault(basename, {"actions": [], "cls": cls})
            entry["detail"] = clean
        elif "(?P<pk>" in route:
            action_basename = max((b for b in [*OWNERSHIP, *REPORTS] if name.startswith(b + "-")), key=len, default=None)
            assert action_basename, f"{route}: detail action of an undeclared viewset {cls.__name__}"
            routes.setdefault(action_basename, {"actions": [], "cls": cls})["actions"].append(clean)
    return routes


def url_for(template: str, pk: Any) -> str:
    return template.replace("(?P<pk>[^/.]+)", str(pk))


def test_every_viewset_is_declared():
    routes = api_routes()
    assert routes, "no routes found"
    undeclared = sorted(set(routes) - set(OWNERSHIP) - set(REPORTS))
    assert not undeclared, f"declare the ownership rule of {undeclared} in OWNERSHIP"


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _list_ids(client: APIClient, url: str) -> set[Any] | None:
    response = client.get(url, {"page_size": 500})
    if response.status_code in (403, 404):
        return None
    assert response.status_code == 200, (url, response.status_code)
    body = response.json()
    results = body["results"] if isinstance(body, dict) and "results" in body else body
    assert not (isinstance(body, dict) and body.get("next")), f"{url}: demo data should fit one page"
    return {row["id"] for row in results}


def test_no_cross_organization_read_or_write(demo_world):
    from shuxuan.orders.demo import seed_orders_demo
    from shuxuan.settlement.demo import seed_settlement_demo

    seed_orders_demo()
    assert seed_settlement_demo()["statements"] > 10  # statements of brands, MCNs, anchors and a provider to walk
    routes = api_routes()
    users = list(User.objects.filter(organization__isnull=False).select_related("organization").order_by("id"))
    assert len({u.organization.kind for u in users}) == 5
    rng = random.Random(2026)
    checked_reads = checked_writes = 0
    for user in users:
        client = _client(user)
        org = user.organization
        for basename, route in sorted(routes.items()):
            if basename in REPORTS:
                if org.kind != OrganizationKind.OPERATOR:
                    status = client.get(route["list"]).status_code
                    assert status in (403, 404), f"{user.username} reads the operator report {basename}: {status}"
                continue
            model, owned = OWNERSHIP[basename]
            visible = _list_ids(client, route["list"]) if "list" in route else set()
            if org.kind == OrganizationKind.OPERATOR:
                if visible is not None and route["cls"].operator_sees_all:
                    assert visible == set(model.objects.values_list("pk", flat=True)), (user.username, basename)
                continue
            owned_ids = set(owned(org).values_list("pk", flat=True))
            if visible is not None:
                leaked = visible - owned_ids
                assert not leaked, f"{user.username} ({org.kind}) lists {basename} of other organizations: {sorted(leaked)[:5]}"
            foreign = sorted(set(model.objects.exclude(pk__in=owned_ids).values_list("pk", flat=True)))
            for pk in rng.sample(foreign, min(4, len(foreign))):
                if "detail" in route:
                    response = client.get(url_for(route["detail"], pk))
                    assert response.status_code == 404, f"{user.username} read {basename} {pk}: {response.status_code}"
                    checked_reads += 1
                before_rows = list(model.objects.filter(pk=pk).values())
                before_audit = AuditEntry.objects.count()
                targets = (
                    [
                        ("patch", url_for(route["detail"], pk)),
                        ("put", url_for(route["detail"], pk)),
                        ("delete", url_for(route["detail"], pk)),
                    ]
                    if "detail" in route
                    else []
                )
                targets += [("post", url_for(action, pk)) for action in route["actions"]]
                for method, url in targets:
                    response = getattr(client, method)(url, {"name": "hijack", "split_bps": 1}, format="json")
                    assert response.status_code in (403, 404, 405), f"{user.username} {method} {url}: {response.status_code}"
                    assert str(pk) not in response.content.decode() or response.status_code == 405
                    checked_writes += 1
                assert list(model.objects.filter(pk=pk).values()) == before_rows
                assert AuditEntry.objects.count() == before_audit
    assert checked_reads > 50 and checked_writes > 50, (checked_reads, checked_writes)
