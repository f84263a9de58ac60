"""HTTP for settlement. Operator finance (and owners) run settlements, approve statements and pay
out; every party reads its own statements and earnings (an MCN also those of the anchors it
manages); nobody else sees anything (lists are empty, objects 404)."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.common import spreadsheets
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import MoneyError, to_minor_exact
from shuxuan.common.spreadsheets import download_schema
from shuxuan.common.tenancy import OrgScopedViewSet, RoleRules, current_organization, current_user, is_operator
from shuxuan.common.uploads import UploadLimits, check_size
from shuxuan.orders.facade import OrderLine
from shuxuan.parties.models import OrganizationKind, Role, User
from shuxuan.settlement import agreements, bank_rail, exports, payouts, phases, runs, selectors, statements, tasks
from shuxuan.settlement.models import (
    Advance,
    Contract,
    LineTerms,
    Payee,
    PayeeKind,
    Payout,
    PayoutBatch,
    PlatformTerms,
    SettledLeg,
    SettlementRun,
    Statement,
)
from shuxuan.settlement.movements import statement_movements
from shuxuan.settlement.serializers import (
    AdvanceCreateSerializer,
    AdvanceSerializer,
    ContractCreateSerializer,
    ContractSerializer,
    EarningsRowSerializer,
    LegSerializer,
    LinePhasesInSerializer,
    LinePhasesSerializer,
    PayeeSerializer,
    PayoutBatchCreateSerializer,
    PayoutBatchSerializer,
    PayoutCreateSerializer,
    PayoutPlanSerializer,
    PayoutSerializer,
    PlatformTermsSerializer,
    PlatformTermsUpdateSerializer,
    ProblemLineSerializer,
    ReasonSerializer,
    ResultRefusedSerializer,
    ResultRejectionSerializer,
    ResultReportSerializer,
    ResultUploadSerializer,
    RunCreateSerializer,
    RunSerializer,
    StatementDetailSerializer,
    StatementSerializer,
)

FINANCE_ROLES = {Role.OWNER, Role.FINANCE}
OPERATOR_FINANCE: dict[str, Any] = {"kinds": {OrganizationKind.OPERATOR}, "roles": FINANCE_ROLES}
FINANCE_ONLY: RoleRules = {"*": OPERATOR_FINANCE}
FINANCE_WRITES: RoleRules = {"write": OPERATOR_FINANCE}


class OperatorFinanceRoles(permissions.BasePermission):
    """Inside the operator, settlement is for owners, finance and staff (not reviewers or supply)."""

    message = "你的角色无权查看结算 / Your role may not see settlement."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return not is_operator(user) or user.has_role(*FINANCE_ROLES, Role.STAFF)  # type: ignore[union-attr]


class SettlementViewSet(OrgScopedViewSet):
    permission_classes = [*OrgScopedViewSet.permission_classes, OperatorFinanceRoles]


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return spreadsheets.file_response(content, filename, content_type)


EXPORT_TYPES = {"csv": spreadsheets.CSV_TYPE, "xlsx": spreadsheets.XLSX_TYPE, "pdf": spreadsheets.PDF_TYPE}


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """Settlement runs with progress (`lines_done` / `lines_total`, `progress`). Operator finance only."""

    queryset = SettlementRun.objects.none()
    serializer_class = RunSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_ONLY
    filterset_fields = ["state", "cutoff"]

    def base_queryset(self) -> QuerySet[SettlementRun]:
        return SettlementRun.objects.select_related("requested_by").order_by("-id")

    def scope(self, queryset: QuerySet[SettlementRun], user: User) -> QuerySet[SettlementRun]:
        return queryset.none()

    @extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
    def create(self, request: Request) -> Response:
        """Queue a run up to a cut-off; a worker executes it. Poll the run for progress.

        409 while another run is pending or running; 400 if the cut-off is in the future or in a closed period."""
        payload = RunCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = runs.run_create(cutoff=payload.validated_data["cutoff"], actor=current_user(request))
        tasks.run_enqueue(run.pk)
        return Response(RunSerializer(run, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RunSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """Queue an interrupted run again; it goes on after the last chunk it committed. A failed run
        goes back to pending if it is the latest run; 409 naming the active run if another is active."""
        run = runs.run_resume(run_id=self.get_object().pk, actor=current_user(request))
        if run.state in runs.ACTIVE_STATES:
            tasks.run_enqueue(run.pk)
        return Response(RunSerializer(run, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, enum=["csv", "xlsx"], required=False)],
        responses=download_schema(EXPORT_TYPES["csv"], EXPORT_TYPES["xlsx"]),
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The run's statements as CSV (one row each) or XLSX (with a sheet of every leg)."""
        run = self.get_object()
        fmt = request.query_params.get("fmt", "csv")
        chosen = Statement.objects.filter(run=run).select_related("run").order_by("payee_name", "id")
        if fmt == "csv":
            return _download(exports.statements_csv(chosen), f"statements-run{run.pk}.csv", EXPORT_TYPES["csv"])
        if fmt == "xlsx":
            return _download(exports.statements_xlsx(chosen), f"statements-run{run.pk}.xlsx", EXPORT_TYPES["xlsx"])
        raise DomainError("格式须为 csv 或 xlsx / fmt must be csv or xlsx", field="fmt")


class StatementFilter(django_filters.FilterSet):
    awaiting_payout = django_filters.BooleanFilter(
        method="filter_awaiting_payout",
        label="true: approved, something owed, and no payout in flight or paid (what the payout screen offers)",
    )

    class Meta:
        model = Statement
        fields = ["run", "state", "payee_kind", "organization", "anchor", "currency"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_awaiting_payout(self, queryset: QuerySet[Statement], name: str, value: bool | None) -> QuerySet[Statement]:
        if value is None:
            return queryset
        awaiting = selectors.statements_awaiting_payout(queryset)
        return awaiting if value else queryset.exclude(pk__in=awaiting.values("pk"))


class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """结算单. Finance sees all and approves; a party sees its own (an MCN also its anchors')."""

    queryset = Statement.objects.none()
    serializer_class = StatementSerializer
    required_roles: ClassVar[RoleRules] = {"approve": OPERATOR_FINANCE}
    filterset_class = StatementFilter

    def base_queryset(self) -> QuerySet[Statement]:
        return selectors.statement_queryset()

    def scope(self, queryset: QuerySet[Statement], user: User) -> QuerySet[Statement]:
        return queryset.filter(selectors.statements_visible_q(current_organization(self.request)))

    @extend_schema(responses={200: StatementDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        statement = self.get_object()
        context = {
            "request": request,
            "by_leg": selectors.statement_by_leg(statement),
            "movements": statement_movements(statement),
        }
        return Response(StatementDetailSerializer(statement, context=context).data)

    @extend_schema(responses={200: LegSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def lines(self, request: Request, pk: str | None = None) -> Response:
        """The legs behind the statement (paginated), each with its order id and ledger entry."""
        statement = self.get_object()
        legs: QuerySet[SettledLeg] = exports.statement_lines(statement).order_by("line_id", "id")
        page = self.paginate_queryset(legs)
        rows = list(page if page is not None else legs)
        orders = dict(OrderLine.objects.filter(pk__in={leg.line_id for leg in rows}).values_list("id", "platform_order_id"))
        data = LegSerializer(rows, many=True, context={"orders": orders}).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=None, responses={200: StatementSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        statement = statements.statement_approve(statement_id=self.get_object().pk, actor=current_user(request))
        return Response(StatementSerializer(self.base_queryset().get(pk=statement.pk), context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, enum=["pdf", "csv", "xlsx"], required=False)],
        responses=download_schema(*EXPORT_TYPES.values()),
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The statement as a PDF (Chinese font embedded), CSV or XLSX (with its lines)."""
        statement = self.get_object()
        fmt = request.query_params.get("fmt", "pdf")
        name = f"statement-{statement.pk}.{fmt}"
        if fmt == "pdf":
            return _download(exports.statement_pdf(statement), name, EXPORT_TYPES["pdf"])
        if fmt == "csv":
            return _download(exports.statements_csv([statement]), name, EXPORT_TYPES["csv"])
        if fmt == "xlsx":
            return _download(exports.statements_xlsx([statement]), name, EXPORT_TYPES["xlsx"])
        raise DomainError("格式须为 pdf、csv 或 xlsx / fmt must be pdf, csv or xlsx", field="fmt")


class PayoutFilter(django_filters.FilterSet):
    in_flight = django_filters.BooleanFilter(
        method="filter_in_flight", label="pending or sent: paid out but not yet arrived (the finance home's figure)"
    )

    class Meta:
        model = Payout
        fields = ["state", "rail", "statement", "batch"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_in_flight(self, queryset: QuerySet[Payout], name: str, value: bool | None) -> QuerySet[Payout]:
        if value is None:
            return queryset
        in_flight = selectors.payouts_in_flight(queryset)
        return in_flight if value else queryset.exclude(pk__in=in_flight.values("pk"))


class PayoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """Payouts and their states. Finance creates and retries; a party reads its own."""

    queryset = Payout.objects.none()
    serializer_class = PayoutSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_WRITES
    filterset_class = PayoutFilter

    def base_queryset(self) -> QuerySet[Payout]:
        return Payout.objects.select_related("statement").order_by("-id")

    def scope(self, queryset: QuerySet[Payout], user: User) -> QuerySet[Payout]:
        return queryset.filter(selectors.statements_visible_q(current_organization(self.request), "statement__"))

    @extend_schema(request=PayoutCreateSerializer, responses={201: PayoutPlanSerializer})
    def create(self, request: Request) -> Response:
        """Pay approved statements: a payout per statement that qualifies; the others say why not."""
        payload = PayoutCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plan = payouts.payouts_create(statement_ids=payload.validated_data["statements"], actor=current_user(request))
        created = list(Payout.objects.select_related("statement").filter(pk__in=[p.pk for p in plan.created]).order_by("id"))
        return Response(
            {"created": PayoutSerializer(created, many=True).data, "skipped": plan.skipped}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={201: PayoutSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        payout = payouts.payout_retry(payout_id=self.get_object().pk, actor=current_user(request))
        return Response(PayoutSerializer(payout).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PayoutSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Send a pending Stripe payout now, or again one left `sent` when Stripe's answer was lost
        (same idempotency key: never a second transfer). Bank payouts go out in a batch file."""
        payout = payouts.payout_send_stripe(payout_id=self.get_object().pk, actor=current_user(request))
        return Response(PayoutSerializer(payout).data)


class PayoutBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """Bank batch-transfer files: create from pending bank payouts, download, import the results."""

    queryset = PayoutBatch.objects.none()
    serializer_class = PayoutBatchSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_ONLY

    def base_queryset(self) -> QuerySet[PayoutBatch]:
        return selectors.batch_queryset()

    def scope(self, queryset: QuerySet[PayoutBatch], user: User) -> QuerySet[PayoutBatch]:
        return queryset.none()

    @extend_schema(request=PayoutBatchCreateSerializer, responses={201: PayoutBatchSerializer})
    def create(self, request: Request) -> Response:
        payload = PayoutBatchCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch = bank_rail.bank_batch_create(actor=current_user(request), payout_ids=payload.validated_data.get("payouts"))
        batch = selectors.batch_queryset().get(pk=batch.pk)
        return Response(PayoutBatchSerializer(batch, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> HttpResponse:
        batch = self.get_object()
        return _download(bank_rail.bank_batch_file(batch).encode("utf-8"), f"payout-batch-{batch.pk}.csv", EXPORT_TYPES["csv"])

    @extend_schema(
        request={"multipart/form-data": ResultUploadSerializer},
        responses={200: ResultReportSerializer, 400: ResultRefusedSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Import the bank's result file. A file with a bad row changes nothing: 400 with `rejected`,
        each bad row's line, column (业务参考号 / 状态) and reason. A file that is not a result file
        at all is a plain 400 naming `file`."""
        batch = self.get_object()
        payload = ResultUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        check_size(payload.validated_data["file"].size, UploadLimits.of("bank_results"))  # before it is read into memory
        try:
            report = bank_rail.bank_results_import(
                batch_id=batch.pk, content=payload.validated_data["file"].read(), actor=current_user(request)
            )
        except bank_rail.ResultFileRefused as refused:
            body = {
                "detail": refused.message,
                "code": refused.code,
                "errors": {"file": [refused.message]},
                "rejected": ResultRejectionSerializer(refused.rejected, many=True).data,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"batch": report.batch, "paid": report.paid, "failed": report.failed, "unchanged": report.unchanged})


class AdvanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """垫付: clawbacks the operator carries until recovered or written off."""

    queryset = Advance.objects.none()
    serializer_class = AdvanceSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_WRITES
    filterset_fields = ["state"]

    def base_queryset(self) -> QuerySet[Advance]:
        return Advance.objects.select_related("statement").order_by("-id")

    def scope(self, queryset: QuerySet[Advance], user: User) -> QuerySet[Advance]:
        return queryset.filter(selectors.statements_visible_q(current_organization(self.request), "statement__"))

    @extend_schema(request=AdvanceCreateSerializer, responses={201: AdvanceSerializer})
    def create(self, request: Request) -> Response:
        payload = AdvanceCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        advance = statements.advance_open(
            statement_id=payload.validated_data["statement"], actor=current_user(request), reason=payload.validated_data["reason"]
        )
        return Response(AdvanceSerializer(advance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={200: AdvanceSerializer})
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request: Request, pk: str | None = None) -> Response:
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        advance = statements.advance_write_off(
            advance_id=self.get_object().pk, actor=current_user(request), reason=payload.validated_data["reason"]
        )
        return Response(AdvanceSerializer(advance).data)


class PayeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """How each party is paid. Finance manages them; a party reads its own."""

    queryset = Payee.objects.none()
    serializer_class = PayeeSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_WRITES
    filterset_fields = ["rail", "on_hold", "organization", "anchor"]

    def base_queryset(self) -> QuerySet[Payee]:
        return Payee.objects.select_related("organization", "anchor").order_by("id")

    def scope(self, queryset: QuerySet[Payee], user: User) -> QuerySet[Payee]:
        return queryset.filter(selectors.statements_visible_q(current_organization(self.request)))

    @extend_schema(request=PayeeSerializer, responses={201: PayeeSerializer})
    def create(self, request: Request) -> Response:
        """Create or replace a party's payout details (organization or anchor)."""
        payload = PayeeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["organization"] = data["organization"].pk if data.get("organization") else None
        data["anchor"] = data["anchor"].pk if data.get("anchor") else None
        payee = payouts.payee_set(actor=current_user(request), data=data)
        return Response(PayeeSerializer(self.base_queryset().get(pk=payee.pk)).data, status=status.HTTP_201_CREATED)


class ProblemLineViewSet(mixins.ListModelMixin, SettlementViewSet):
    """Order lines that cannot be split (no SKU, or deductions above the basis): they wait for
    review and are left out of every run. Operator finance only."""

    queryset = LineTerms.objects.none()
    serializer_class = ProblemLineSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_ONLY
    filterset_fields = ["platform"]

    def base_queryset(self) -> QuerySet[LineTerms]:
        order_id = OrderLine.objects.filter(pk=OuterRef("line_id")).values("platform_order_id")[:1]
        return LineTerms.objects.exclude(problem="").annotate(order_id_text=Subquery(order_id)).order_by("-line_id")

    def scope(self, queryset: QuerySet[LineTerms], user: User) -> QuerySet[LineTerms]:
        return queryset.none()

    @extend_schema(parameters=[spreadsheets.FMT_PARAMETER], responses=spreadsheets.FILE_RESPONSE, filters=True)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        """Every line waiting for review with the list's filters, as CSV (streamed) or XLSX."""
        fmt = spreadsheets.export_format(request)
        terms = self.filter_queryset(self.get_queryset())
        filename = f"problem-lines-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "xlsx":
            spreadsheets.check_fits_one_sheet(terms.count())
            return spreadsheets.xlsx_response("待核订单行 Lines for review", exports.problem_line_rows(terms), filename)
        return spreadsheets.csv_response(exports.problem_line_rows(terms), filename)


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SettlementViewSet):
    """The operator's contracts with brands (mode, margin, service fees), as history. Finance
    creates them; a brand reads its own."""

    queryset = Contract.objects.none()
    serializer_class = ContractSerializer
    required_roles: ClassVar[RoleRules] = FINANCE_WRITES
    filterset_fields = ["brand", "mode"]

    def base_queryset(self) -> QuerySet[Contract]:
        return Contract.objects.select_related("brand", "created_by").prefetch_related("fees").order_by("brand_id", "-valid_from")

    def scope(self, queryset: QuerySet[Contract], user: User) -> QuerySet[Contract]:
        return queryset.filter(brand_id=current_organization(self.request).pk)

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractSerializer})
    def create(self, request: Request) -> Response:
        """A new contract from `valid_from` (not in the past); it ends the brand's contract in force then."""
        payload = ContractCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        contract = agreements.contract_create(
            actor=current_user(request),
            brand_id=data["brand"],
            plan_id=data["plan_id"],
            mode=data["mode"],
            operator_margin_bps=data["operator_margin_bps"],
            valid_from=data["valid_from"],
            fees=[dict(fee) for fee in data["fees"]],
        )
        contract = self.base_queryset().get(pk=contract.pk)
        return Response(ContractSerializer(contract, context={"request": request}).data, status=status.HTTP_201_CREATED)


class PlatformTermsViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    """Each platform's default service fee and after-sale window (read by everyone signed in;
    operator finance changes them)."""

    queryset = PlatformTerms.objects.none()
    serializer_class = PlatformTermsSerializer
    pagination_class = None
    operator_sees_all = True

    required_roles: ClassVar[RoleRules] = FINANCE_WRITES

    def base_queryset(self) -> QuerySet[PlatformTerms]:
        return PlatformTerms.objects.order_by("platform")

    def scope(self, queryset: QuerySet[PlatformTerms], user: User) -> QuerySet[PlatformTerms]:
        return queryset

    @extend_schema(request=PlatformTermsUpdateSerializer, responses={200: PlatformTermsSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change the default fee, category fees or after-sale window; frozen lines keep theirs."""
        terms = self.get_object()  # DRF's look-up: a malformed id is a 404, not a ValueError
        payload = PlatformTermsUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = agreements.platform_terms_update(actor=current_user(request), terms=terms, data=dict(payload.validated_data))
        return Response(PlatformTermsSerializer(updated).data)


class LinePhasesView(APIView):
    """A line's settlement phases (deposit 定金, then balance 尾款): each phase becomes settleable
    on its own day. Operator finance only; refused once anything of the line is settled."""

    permission_classes = [permissions.IsAuthenticated]

    def _check(self, request: Request) -> User:
        user = current_user(request)
        if not (is_operator(user) and user.has_role(*FINANCE_ROLES)):
            raise PermissionDenied("仅运营方财务可设置分期结算 / only the operator's finance may set settlement phases")
        return user

    def _show(self, line_phases: phases.LinePhases) -> Response:
        return Response(LinePhasesSerializer(line_phases).data)

    @extend_schema(responses={200: LinePhasesSerializer})
    def get(self, request: Request, line_id: int) -> Response:
        self._check(request)
        return self._show(phases.line_phases(line_id=line_id))

    @extend_schema(request=LinePhasesInSerializer, responses={200: LinePhasesSerializer})
    def put(self, request: Request, line_id: int) -> Response:
        user = self._check(request)
        payload = LinePhasesInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = []
        for index, phase in enumerate(payload.validated_data["phases"]):
            currency = phase["amount"]["currency"]
            try:
                minor = to_minor_exact(phase["amount"]["amount"], currency)
            except MoneyError as exc:
                raise DomainError(f"金额无效 / invalid amount: {exc}", field=f"phases[{index}].amount") from None
            given.append(phases.PhaseIn(basis_minor=minor, currency=currency, settleable_on=phase["settleable_on"]))
        return self._show(phases.phases_set(line_id=line_id, phases=given, actor=user))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, line_id: int) -> Response:
        user = self._check(request)
        phases.phases_clear(line_id=line_id, actor=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EarningsView(APIView):
    """Estimated and settled earnings of the requester's party: its organization and the anchors it
    manages (or, for an anchor's own login, that anchor). Operator finance may ask for any party
    with `organization` or `anchor`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, required=False),
            OpenApiParameter("anchor", OpenApiTypes.INT, required=False),
        ],
        responses={200: EarningsRowSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        organization = current_organization(request)
        if is_operator(user):
            if not user.has_role(*FINANCE_ROLES):
                return Response([])
            targets: list[tuple[str, int]] = []
            if request.query_params.get("organization"):
                targets.append((PayeeKind.ORGANIZATION, _int(request.query_params["organization"], "organization")))
            if request.query_params.get("anchor"):
                targets.append((PayeeKind.ANCHOR, _int(request.query_params["anchor"], "anchor")))
        else:
            targets = selectors.earnings_targets(user=user, organization=organization)
        rows = []
        for e in selectors.earnings_of(targets):
            rows.append(
                {
                    "payee_kind": e.payee_kind,
                    "payee_id": e.payee_id,
                    "payee_name": e.payee_name,
                    "estimated": _m(e.estimated),
                    "estimated_at_source": _m(e.estimated_at_source),
                    "settled": _m(e.settled),
                    "settled_at_source": _m(e.settled_at_source),
                    "balance": _m(e.balance),
                    "lines_pending": e.lines_pending,
                }
            )
        return Response(rows)


def _m(minor: int) -> dict[str, str]:
    from shuxuan.common.serializers import money

    return money(minor, "CNY")


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise DomainError(f"{field} 须为整数 / {field} must be an integer", field=field) from None
