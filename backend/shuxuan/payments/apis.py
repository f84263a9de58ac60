"""HTTP for payments: connected accounts, brand charges, Connect transfers, and Stripe's webhook.

Tenancy (docs/domain.md section 2): within the operator only finance staff and owners see payments, and
they see everything; a brand sees its own charges; a payee sees its own connected accounts and the
transfers paid into them. Anything else answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.common.exceptions import DomainError
from shuxuan.common.tenancy import OrgScopedViewSet, current_organization, is_operator
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.payments import accounts, charges, selectors, tasks, webhooks
from shuxuan.payments.models import BrandCharge, ConnectedAccount, StripeTransfer
from shuxuan.payments.serializers import (
    BrandChargeCreateSerializer,
    BrandChargeSerializer,
    ChargeRefundSerializer,
    ConnectedAccountRegisterSerializer,
    ConnectedAccountSerializer,
    StripeTransferSerializer,
)

OPERATOR_FINANCE = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.FINANCE, Role.OWNER}}
PAYER = {"kinds": {OrganizationKind.BRAND, OrganizationKind.OPERATOR}, "roles": {Role.FINANCE, Role.OWNER}}
IDEMPOTENCY_HEADER = OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False)


class PaymentsReader(permissions.BasePermission):
    """Within the operator only finance staff and owners handle payments."""

    message = "只有财务人员可处理收付款 / only finance staff handle payments"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return not is_operator(user) or user.has_role(Role.FINANCE, Role.OWNER)  # type: ignore[union-attr]


class PaymentsViewSet(OrgScopedViewSet):
    permission_classes = [*OrgScopedViewSet.permission_classes, PaymentsReader]


class ConnectedAccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PaymentsViewSet):
    """Payees' Stripe Connect accounts. Operator finance registers them."""

    queryset = ConnectedAccount.objects.select_related("organization", "anchor", "created_by")
    serializer_class = ConnectedAccountSerializer
    filterset_fields = ["organization", "anchor", "payouts_enabled"]
    required_roles = {"create": OPERATOR_FINANCE}

    def scope(self, queryset: QuerySet[ConnectedAccount], user: Any) -> QuerySet[ConnectedAccount]:
        return queryset.filter(pk__in=selectors.connected_accounts_of(user.organization_id).values("pk"))

    @extend_schema(request=ConnectedAccountRegisterSerializer, responses={201: ConnectedAccountSerializer})
    def create(self, request: Request) -> Response:
        params = ConnectedAccountRegisterSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        row = accounts.connected_account_register(actor=request.user, **params.validated_data)
        return Response(ConnectedAccountSerializer(row, context={"request": request}).data, status=status.HTTP_201_CREATED)


class BrandChargeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PaymentsViewSet):
    """What brands pay the platform (slot fees, service fees, sample shipping) through Stripe."""

    queryset = BrandCharge.objects.select_related("brand", "created_by")
    serializer_class = BrandChargeSerializer
    filterset_fields = ["brand", "kind", "state", "live_session"]
    ordering_fields = ["id", "created_at"]
    required_roles = {"create": PAYER, "confirm": PAYER, "refund": OPERATOR_FINANCE}

    def scope(self, queryset: QuerySet[BrandCharge], user: Any) -> QuerySet[BrandCharge]:
        return queryset.filter(pk__in=selectors.charges_of(user.organization_id).values("pk"))

    @extend_schema(request=BrandChargeCreateSerializer, responses={201: BrandChargeSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request: Request) -> Response:
        params = BrandChargeCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        organization = current_organization(request)
        brand_id = data.get("brand_id")
        if organization.kind != OrganizationKind.OPERATOR:
            if brand_id not in (None, organization.pk):
                raise DomainError("品牌只能为自己付款 / a brand pays only its own charges", field="brand_id")
            brand_id = organization.pk
        elif brand_id is None:
            raise DomainError("须指定品牌 / brand_id is required", field="brand_id")
        amount_minor, currency = data["amount"]
        key = data.get("idempotency_key") or request.headers.get("Idempotency-Key") or f"api:{uuid.uuid4()}"
        charge = charges.charge_create(
            actor=request.user,
            brand_id=brand_id,
            kind=data["kind"],
            amount_minor=amount_minor,
            currency=currency,
            idempotency_key=key,
            live_session_id=data.get("live_session_id"),
            description=data.get("description", ""),
        )
        return Response(BrandChargeSerializer(charge, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BrandChargeSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Pay with Stripe's test card (test mode only; a brand's browser confirms with Stripe.js in production)."""
        charge = charges.charge_confirm(actor=request.user, charge_id=self.get_object().pk)
        return Response(BrandChargeSerializer(charge, context={"request": request}).data)

    @extend_schema(request=ChargeRefundSerializer, responses=BrandChargeSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request: Request, pk: str | None = None) -> Response:
        """Refund in full at Stripe and book it back (operator finance)."""
        params = ChargeRefundSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        charge = charges.charge_refund(actor=request.user, charge_id=self.get_object().pk, reason=params.validated_data["reason"])
        return Response(BrandChargeSerializer(charge, context={"request": request}).data)


class StripeTransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PaymentsViewSet):
    """Connect transfers to payees (made by settlement payouts), with their reversals. Read-only."""

    queryset = StripeTransfer.objects.prefetch_related("reversals")
    serializer_class = StripeTransferSerializer
    filterset_fields = ["status", "destination", "reference"]
    ordering_fields = ["id", "created_at"]

    def scope(self, queryset: QuerySet[StripeTransfer], user: Any) -> QuerySet[StripeTransfer]:
        return queryset.filter(pk__in=selectors.transfers_of(user.organization_id).values("pk"))


class StripeWebhookView(APIView):
    """Stripe's events. Public: the Stripe-Signature header (HMAC with STRIPE_WEBHOOK_SECRET) is the
    credential. A duplicate delivery answers 200 and is not processed again."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list[Any] = []

    @extend_schema(request=None, responses={200: None, 503: None}, auth=[])
    def post(self, request: Request) -> Response:
        event, created = webhooks.webhook_event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature"))
        if created:
            tasks.webhook_event_process.delay_on_commit(event.pk)  # stored; a worker applies it
        return Response({"received": True, "event": event.event_id, "duplicate": not created})
