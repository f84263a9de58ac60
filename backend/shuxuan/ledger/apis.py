"""HTTP for the money ledger: chart of accounts with balances, an account's ledger, journal entries,
the trial balance, and period close / reopen for the operator's finance staff.

Tenancy (docs/domain.md section 2): the operator's finance staff see everything; any other organization
sees only the accounts it owns and the entries touching them (and of those entries only its own
legs); anything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from shuxuan.common.schema import SingleObjectSchema
from shuxuan.common.spreadsheets import FILE_RESPONSE, FMT_PARAMETER, csv_response, export_format, xlsx_response
from shuxuan.common.tenancy import OrgScopedViewSet, is_operator
from shuxuan.ledger import exports, selectors, services
from shuxuan.ledger.models import Account, JournalEntry, Period, Posting
from shuxuan.ledger.serializers import (
    AccountPostingSerializer,
    AccountSerializer,
    AsOfSerializer,
    DateRangeSerializer,
    JournalEntrySerializer,
    PeriodActionSerializer,
    PeriodSerializer,
    TrialBalanceSerializer,
    money,
)
from shuxuan.parties.models import OrganizationKind, Role

OPERATOR_FINANCE = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.FINANCE, Role.OWNER}}
AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD; balances of postings dated on or before it")


class LedgerReader(permissions.BasePermission):
    """Within the operator only finance staff and owners read the ledger; in other organizations
    every member reads its own accounts."""

    message = "只有财务人员可查看总账 / only finance staff may read the ledger"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return not is_operator(user) or user.has_role(Role.FINANCE, Role.OWNER)  # type: ignore[union-attr]


class LedgerViewSet(OrgScopedViewSet):
    permission_classes = [*OrgScopedViewSet.permission_classes, LedgerReader]


class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    """Chart of accounts, each with its balance (as of `as_of` if given)."""

    serializer_class = AccountSerializer
    filterset_fields = ["type", "currency", "organization", "anchor", "owner_platform"]
    ordering_fields = ["id", "code", "type"]

    def base_queryset(self) -> QuerySet[Account]:
        params = AsOfSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.accounts_with_balances(as_of=params.validated_data["as_of"])

    def scope(self, queryset: QuerySet[Account], user: Any) -> QuerySet[Account]:
        return queryset.filter(selectors.accounts_visible_q(user.organization_id))

    @extend_schema(parameters=[AS_OF])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("date_from", str), OpenApiParameter("date_to", str)],
        responses=AccountPostingSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def postings(self, request: Request, pk: str | None = None) -> Response:
        """The account's postings in date order with the running balance after each."""
        account = self.get_object()
        params = DateRangeSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = selectors.account_postings(account_id=account.pk, **params.validated_data)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(AccountPostingSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("date_from", str), OpenApiParameter("date_to", str), FMT_PARAMETER],
        responses=FILE_RESPONSE,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse | StreamingHttpResponse:
        """The account's ledger (明细账) for the range: opening balance, every posting with the
        balance after it, closing balance. CSV is streamed (any size); XLSX holds one sheet."""
        account = self.get_object()
        params = DateRangeSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        fmt = export_format(request)
        date_from, date_to = params.validated_data["date_from"], params.validated_data["date_to"]
        span = f"{date_from or 'start'}_{date_to or 'end'}"
        filename = f"ledger-{account.code.replace(':', '-')}-{span}.{fmt}"
        rows = exports.account_ledger_rows(account, date_from, date_to)
        if fmt == "xlsx":
            exports.check_fits_one_sheet(account, date_from, date_to)
            return xlsx_response("明细账 Ledger", rows, filename)
        return csv_response(rows, filename)


class JournalEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    """Journal entries with their postings and source (what caused them)."""

    serializer_class = JournalEntrySerializer
    filterset_fields = ["source_type", "source_id", "effective_date"]
    ordering_fields = ["id", "effective_date"]

    def base_queryset(self) -> QuerySet[JournalEntry]:
        return selectors.entries_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[JournalEntry], user: Any) -> QuerySet[JournalEntry]:
        own_legs = Posting.objects.filter(account__organization_id=user.organization_id).select_related(
            "account__organization", "account__anchor"
        )
        return (
            queryset.filter(selectors.entries_touching_q(user.organization_id))
            .prefetch_related(None)
            .prefetch_related(Prefetch("postings", queryset=own_legs.order_by("line_no")))
        )


class TrialBalanceViewSet(LedgerViewSet):
    schema = SingleObjectSchema()
    pagination_class = None
    required_roles = {"*": OPERATOR_FINANCE, "list": OPERATOR_FINANCE}
    queryset = Account.objects.none()

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        return queryset.none()

    @extend_schema(parameters=[AS_OF], responses=TrialBalanceSerializer)
    def list(self, request: Request) -> Response:
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        tb = selectors.trial_balance(as_of=params.validated_data["as_of"])
        body = {
            "as_of": tb.as_of,
            "balanced": tb.balanced,
            "totals": [money(total, currency) for currency, total in sorted(tb.totals.items())],
            "lines": [
                {
                    "account_id": line.account_id,
                    "code": line.code,
                    "name": line.name,
                    "type": line.type,
                    "owner_name": line.owner_name,
                    "owner_platform": line.owner_platform,
                    "balance": money(line.balance, line.currency),
                }
                for line in tb.lines
            ],
        }
        return Response(TrialBalanceSerializer(body).data)

    @extend_schema(parameters=[AS_OF, FMT_PARAMETER], responses=FILE_RESPONSE)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        """The trial balance (试算平衡表) as CSV or XLSX: each account's balance on its debit or
        credit side, and per currency the two sides' totals."""
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        fmt = export_format(request)
        as_of = params.validated_data["as_of"]
        rows = exports.trial_balance_rows(selectors.trial_balance(as_of=as_of))
        filename = f"trial-balance-{as_of or 'latest'}.{fmt}"
        if fmt == "xlsx":
            return xlsx_response("试算平衡表 Trial balance", rows, filename)
        return csv_response(rows, filename)


class PeriodViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Accounting months. A month not listed is open. Close and reopen: operator finance only."""

    queryset = Period.objects.select_related("closed_by").order_by("-period")
    serializer_class = PeriodSerializer
    required_roles = {"*": OPERATOR_FINANCE, "list": OPERATOR_FINANCE}

    def scope(self, queryset: QuerySet[Period], user: Any) -> QuerySet[Period]:
        return queryset.none()

    @extend_schema(request=PeriodActionSerializer, responses=PeriodSerializer)
    @action(detail=False, methods=["post"])
    def close(self, request: Request) -> Response:
        payload = PeriodActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        period = services.period_close(period=payload.validated_data["period"], actor=request.user)
        return Response(PeriodSerializer(period).data, status=status.HTTP_200_OK)

    @extend_schema(request=PeriodActionSerializer, responses=PeriodSerializer)
    @action(detail=False, methods=["post"])
    def reopen(self, request: Request) -> Response:
        payload = PeriodActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        period = services.period_reopen(period=payload.validated_data["period"], actor=request.user)
        return Response(PeriodSerializer(period).data, status=status.HTTP_200_OK)
