"""HTTP for reconciliation: operator finance and owners only (everyone else is refused).

Views validate, call one service or selector, and serialize. Matching runs on a worker
(`reconciliation.reconcile`), queued after commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import django_filters
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from shuxuan.common import spreadsheets
from shuxuan.common.exceptions import DomainError
from shuxuan.common.spreadsheets import FILE_RESPONSE, FMT_PARAMETER, download_schema, export_format
from shuxuan.common.tenancy import OrgScopedViewSet, RoleRules, current_user
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.reconciliation import closing, exports, matching, selectors, services, tasks
from shuxuan.reconciliation.imports import bill_import_upload
from shuxuan.reconciliation.models import BillImport, BillLine, MatchRule, PeriodClose, ReconException, ReconRun
from shuxuan.reconciliation.periods import period_window
from shuxuan.reconciliation.serializers import (
    ApproveSerializer,
    AssignSerializer,
    BillImportReportSerializer,
    BillImportSerializer,
    BillLineSerializer,
    BillUploadSerializer,
    BoardSerializer,
    BulkResolveSerializer,
    CloseRequestSerializer,
    ExceptionDetailSerializer,
    ExceptionSerializer,
    HistoryRowSerializer,
    MatchRuleSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    PeriodCloseSerializer,
    ReconcileRequestSerializer,
    ReconRunSerializer,
    ReopenSerializer,
    ResolveSerializer,
)

FINANCE: dict[str, Any] = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.OWNER, Role.FINANCE}}
FINANCE_ONLY: RoleRules = {"*": FINANCE}
PERIOD = OpenApiParameter("period", str, required=True, description="YYYY-MM")


class ReconciliationViewSet(OrgScopedViewSet):
    """Operator finance sees everything; every other organization sees nothing."""

    required_roles: ClassVar[RoleRules] = FINANCE_ONLY

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        return queryset.none()


def _period(request: Request) -> str:
    period = request.query_params.get("period", "")
    period_window(period)
    return period


class BillImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    """Imported statement files; upload one (multipart: source, file)."""

    queryset = BillImport.objects.none()
    serializer_class = BillImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["source", "status"]

    def base_queryset(self) -> QuerySet[BillImport]:
        return BillImport.objects.order_by("-id")

    @extend_schema(
        request=BillUploadSerializer,
        responses={201: BillImportReportSerializer, 200: BillImportReportSerializer, 202: BillImportSerializer},
    )
    def create(self, request: Request) -> Response:
        """Import a file. A small one (IMPORT_INLINE_MAX_BYTES / _ROWS) is imported now: 201 with the
        report, 200 when the same file was imported before (nothing changes). A bigger one is stored
        and imported in the background: 202 with the import record — poll `GET /imports/{id}/` for
        `status`, `rows_done` / `rows_total` until `done` or `failed` (`error` names the line). The
        same bytes while queued or running answer that record, and after a failure queue it again.
        400 naming the missing columns when the file is not the source's format, 413 over the size."""
        payload = BillUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcome = bill_import_upload(
            source=payload.validated_data["source"], upload=payload.validated_data["file"], actor=current_user(request)
        )
        if outcome.queued is not None:
            if outcome.newly_queued:
                tasks.bill_import_run_task.delay_on_commit(outcome.queued.pk)
            return Response(BillImportSerializer(outcome.queued).data, status=status.HTTP_202_ACCEPTED)
        assert outcome.report is not None
        body = BillImportReportSerializer(outcome.report.as_json()).data
        return Response(body, status=status.HTTP_200_OK if outcome.report.already_imported else status.HTTP_201_CREATED)


class BillLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    queryset = BillLine.objects.none()
    serializer_class = BillLineSerializer
    filterset_fields = ["source", "period", "order_id", "request_no", "bill_import"]

    def base_queryset(self) -> QuerySet[BillLine]:
        return BillLine.objects.order_by("id")


class MatchRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    """Matching rules per source, in priority order: change priority, tolerances, or switch off."""

    queryset = MatchRule.objects.none()
    serializer_class = MatchRuleSerializer
    filterset_fields = ["source"]

    def base_queryset(self) -> QuerySet[MatchRule]:
        return MatchRule.objects.order_by("source", "priority")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A source's defaults are otherwise created by its first reconciliation: show them before.
        matching.rules_ensure_defaults()
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MatchRuleSerializer, responses={200: MatchRuleSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """409 when another rule of the source already has the priority."""
        rule = self.get_object()
        payload = MatchRuleSerializer(rule, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        rule = services.rule_update(rule_id=rule.pk, changes=dict(payload.validated_data), actor=current_user(request))
        return Response(MatchRuleSerializer(rule).data)


class ReconRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    """Reconcile runs; queue one (a period, one source or all); the status board of a period."""

    queryset = ReconRun.objects.none()
    serializer_class = ReconRunSerializer
    filterset_fields = ["period", "source"]

    def base_queryset(self) -> QuerySet[ReconRun]:
        return ReconRun.objects.order_by("-id")

    @extend_schema(request=ReconcileRequestSerializer, responses={202: None})
    def create(self, request: Request) -> Response:
        """Queue a reconcile of the period (every source, or one); the board shows the result."""
        payload = ReconcileRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        period, source = payload.validated_data["period"], payload.validated_data.get("source")
        period_window(period)
        user = current_user(request)
        transaction.on_commit(lambda: tasks.reconcile_task.delay(period, source, user.pk))
        return Response({"queued": True, "period": period, "source": source}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[PERIOD], responses={200: BoardSerializer})
    @action(detail=False, methods=["get"])
    def board(self, request: Request) -> Response:
        """Per source: lines, matched %, exceptions by reason, aging of the unresolved."""
        return Response(BoardSerializer(selectors.status_board(period=_period(request))).data)

    @extend_schema(
        parameters=[OpenApiParameter("periods", int, required=False, description="how many months (default 12)")],
        responses={200: HistoryRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def history(self, request: Request) -> Response:
        """Matched % per source and month, newest first, for the chart of matched % over time."""
        try:
            periods = max(1, min(60, int(request.query_params.get("periods", 12))))
        except ValueError:
            raise DomainError("periods 须为整数 / periods must be a whole number", field="periods") from None
        return Response(HistoryRowSerializer(selectors.matched_history(periods=periods), many=True).data)


PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class ExceptionFilter(django_filters.FilterSet):
    age = django_filters.ChoiceFilter(
        choices=[(label, label) for _low, _high, label in selectors.AGING_BUCKETS] + [(selectors.OVER_30,) * 2],
        method="filter_age",
        label="days since first seen: 0-7, 8-30, 31-60, 60+, or 31+ (over 30)",
    )
    unresolved_through = django_filters.CharFilter(
        method="filter_unresolved_through",
        validators=[RegexValidator(PERIOD_PATTERN, "须为 YYYY-MM / must be a period YYYY-MM")],
        label="open or awaiting approval, of this period (YYYY-MM) or before: what the board and the home count",
    )

    class Meta:
        model = ReconException
        fields = ["source", "reason", "state", "period", "owner"]

    def filter_age(self, queryset: QuerySet[ReconException], name: str, value: str) -> QuerySet[ReconException]:
        return queryset.filter(selectors.age_condition(value))

    @extend_schema_field({"type": "string", "pattern": PERIOD_PATTERN})
    def filter_unresolved_through(self, queryset: QuerySet[ReconException], name: str, value: str) -> QuerySet[ReconException]:
        return queryset.filter(selectors.unresolved_q(period=value))


class ExceptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    """The exceptions queue: filter, assign, annotate with evidence, resolve, approve."""

    queryset = ReconException.objects.none()
    serializer_class = ExceptionSerializer
    filterset_class = ExceptionFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def base_queryset(self) -> QuerySet[ReconException]:
        return selectors.exceptions_queryset().order_by("first_seen_at", "id")

    def get_serializer_class(self) -> Any:
        return ExceptionDetailSerializer if self.action == "retrieve" else ExceptionSerializer

    def _reply(self, exception_id: int) -> Response:
        return Response(ExceptionDetailSerializer(self.base_queryset().get(pk=exception_id)).data)

    @extend_schema(request=AssignSerializer, responses={200: ExceptionDetailSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        exception = self.get_object()
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.exception_assign(
            exception_id=exception.pk, owner_id=payload.validated_data["owner"], actor=current_user(request)
        )
        return self._reply(exception.pk)

    @extend_schema(request={"multipart/form-data": NoteCreateSerializer}, responses={201: NoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Add a note and/or an evidence file (multipart `attachment`)."""
        exception = self.get_object()
        payload = NoteCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = services.exception_note_add(
            exception_id=exception.pk,
            text=payload.validated_data.get("text", ""),
            attachment=payload.validated_data.get("attachment"),
            actor=current_user(request),
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"notes/(?P<note_id>[0-9]+)/attachment")
    def note_attachment(self, request: Request, pk: str | None = None, note_id: str = "") -> FileResponse:
        """Download a note's evidence file: only those who may see the exception, never by a public URL."""
        exception = self.get_object()
        note = exception.notes.filter(pk=int(note_id)).exclude(attachment="").first()
        if note is None:
            raise Http404("no such attachment")
        return FileResponse(note.attachment.open("rb"), as_attachment=True, filename=Path(note.attachment.name).name)

    @extend_schema(request=ResolveSerializer, responses={200: ExceptionDetailSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """accept / write_off post an adjusting entry (above the threshold: pending a second
        finance user's approval); timing and dispute post nothing. 409 unless open."""
        exception = self.get_object()
        payload = ResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.exception_resolve(exception_id=exception.pk, actor=current_user(request), **payload.validated_data)
        return self._reply(exception.pk)

    @extend_schema(request=ApproveSerializer, responses={200: ExceptionDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """A different finance user approves (posts) or rejects (reopens) a pending adjustment."""
        exception = self.get_object()
        payload = ApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.exception_approve(exception_id=exception.pk, actor=current_user(request), **payload.validated_data)
        return self._reply(exception.pk)

    @extend_schema(request=BulkResolveSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="bulk-resolve")
    def bulk_resolve(self, request: Request) -> Response:
        payload = BulkResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = services.exceptions_bulk_resolve(
            exception_ids=data["ids"], resolution=data["resolution"], note=data["note"], actor=current_user(request)
        )
        return Response(result)

    @extend_schema(parameters=[FMT_PARAMETER], responses=FILE_RESPONSE, filters=True)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        """The queue with the list's filters, every page, as CSV (streamed) or XLSX."""
        fmt = export_format(request)
        exceptions = self.filter_queryset(self.get_queryset())
        rows = exports.exception_rows(exceptions)
        filename = f"exceptions-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "xlsx":
            spreadsheets.check_fits_one_sheet(exceptions.count())
            return spreadsheets.xlsx_response("差异队列 Exceptions", rows, filename)
        return spreadsheets.csv_response(rows, filename)


EXPORT_TYPES = {"xlsx": spreadsheets.XLSX_TYPE, "pdf": spreadsheets.PDF_TYPE}


class PeriodCloseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReconciliationViewSet):
    """Month closes: close (with an override reason when exceptions remain), reopen (owners), and
    the close report as JSON, XLSX or PDF."""

    queryset = PeriodClose.objects.none()
    serializer_class = PeriodCloseSerializer

    def base_queryset(self) -> QuerySet[PeriodClose]:
        return PeriodClose.objects.order_by("-period")

    @extend_schema(request=CloseRequestSerializer, responses={201: PeriodCloseSerializer})
    def create(self, request: Request) -> Response:
        """409 (code exceptions_open) while exceptions above the threshold are unresolved and no
        override reason is given; an override needs the owner role."""
        payload = CloseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = closing.month_close(actor=current_user(request), **payload.validated_data)
        return Response(PeriodCloseSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReopenSerializer, responses={200: PeriodCloseSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        payload = ReopenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = closing.month_reopen(period=record.period, actor=current_user(request), reason=payload.validated_data["reason"])
        return Response(PeriodCloseSerializer(record).data)

    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("export", str, enum=["json", "xlsx", "pdf"], required=False)],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, **download_schema(*EXPORT_TYPES.values())},
    )
    @action(detail=False, methods=["get"])
    def report(self, request: Request) -> Response | HttpResponse:
        """The close report (trial balance, 进销存, reconciliation per source, exceptions carried
        forward); a closed month reports its snapshot."""
        period = _period(request)
        record = PeriodClose.objects.filter(period=period, state="closed").first()
        report = record.snapshot if record and record.snapshot else selectors.close_report(period=period)
        kind = request.query_params.get("export", "json")
        if kind == "json":
            return Response(report)
        if kind not in EXPORT_TYPES:
            raise DomainError("export 只能是 json、xlsx 或 pdf / export must be json, xlsx or pdf", field="export")
        content = exports.close_report_xlsx(report) if kind == "xlsx" else exports.close_report_pdf(report)
        return spreadsheets.file_response(content, f"close-{period}.{kind}", EXPORT_TYPES[kind])


class BillImportRejectedViewSet(ReconciliationViewSet):
    """An imported statement file's rejected rows (line and reason), every one, as CSV or XLSX."""

    queryset = BillImport.objects.none()

    def base_queryset(self) -> QuerySet[BillImport]:
        return BillImport.objects.only("id", "rejected")

    @extend_schema(parameters=[FMT_PARAMETER], responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"], url_path="rejected-rows/export")
    def rejected_rows_export(self, request: Request, pk: str | None = None) -> HttpResponse | StreamingHttpResponse:
        fmt = export_format(request)
        bill = self.get_object()
        rows = exports.bill_rejected_rows(bill)
        filename = f"bill-import-{bill.pk}-rejected.{fmt}"
        if fmt == "xlsx":
            return spreadsheets.xlsx_response("拒绝行 Rejected rows", rows, filename)
        return spreadsheets.csv_response(rows, filename)
