"""HTTP for orders. Operator owners, staff and finance see every batch, line and mapping and upload
files; an MCN sees the lines whose frozen MCN binding is its own; a brand sees the lines and
mappings of its SKUs; anyone else sees nothing (lists are empty, objects 404)."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from shuxuan.common.spreadsheets import (
    FILE_RESPONSE,
    FMT_PARAMETER,
    check_fits_one_sheet,
    csv_response,
    export_format,
    xlsx_response,
)
from shuxuan.common.tenancy import OrgScopedViewSet, RoleRules, current_organization, current_user, is_operator
from shuxuan.orders import exports, selectors, services, tasks
from shuxuan.orders.models import ImportBatch, OrderLine, OrderStatus, PlatformProductMapping, RejectedRow
from shuxuan.orders.serializers import (
    ImportBatchDetailSerializer,
    ImportBatchSerializer,
    OrderLineDetailSerializer,
    OrderLineSerializer,
    ProductMappingCreateSerializer,
    ProductMappingSerializer,
    UploadSerializer,
)
from shuxuan.parties.models import OrganizationKind, Platform, Role, User

OPERATOR_ORDER_ROLES = {Role.OWNER, Role.STAFF, Role.FINANCE}
OPERATOR_WRITE: RoleRules = {"write": {"kinds": {OrganizationKind.OPERATOR}, "roles": OPERATOR_ORDER_ROLES}}
REJECTED_ROWS_SHOWN = 500


class OperatorOrderRoles(permissions.BasePermission):
    """Inside the operator, orders are for owners, staff and finance (not reviewers or supply)."""

    message = "你的角色无权查看订单 / Your role may not see orders."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return not is_operator(user) or user.has_role(*OPERATOR_ORDER_ROLES)  # type: ignore[union-attr]


class OrdersViewSet(OrgScopedViewSet):
    permission_classes = [*OrgScopedViewSet.permission_classes, OperatorOrderRoles]
    required_roles: ClassVar[RoleRules] = OPERATOR_WRITE


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrdersViewSet):
    """Imports, with progress to poll (`rows_done` / `rows_total`, `progress`) and their rejected rows."""

    queryset = ImportBatch.objects.none()
    serializer_class = ImportBatchSerializer
    filterset_fields = ["source", "state", "kind"]

    def base_queryset(self) -> QuerySet[ImportBatch]:
        return selectors.batch_queryset()

    def scope(self, queryset: QuerySet[ImportBatch], user: User) -> QuerySet[ImportBatch]:
        return queryset.none()

    @extend_schema(responses={200: ImportBatchDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = self.get_object()
        rows = list(
            RejectedRow.objects.filter(batch=batch).order_by("line", "id").values_list("line", "reason")[:REJECTED_ROWS_SHOWN]
        )
        return Response(ImportBatchDetailSerializer(batch, context={"rejected_rows": rows}).data)

    @extend_schema(parameters=[FMT_PARAMETER], responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"], url_path="rejected-rows/export")
    def rejected_rows_export(self, request: Request, pk: str | None = None) -> HttpResponse | StreamingHttpResponse:
        """Every rejected row of the import (the detail shows the first 500), as CSV or XLSX."""
        fmt = export_format(request)
        batch = self.get_object()
        rows = exports.rejected_rows(batch_id=batch.pk)
        filename = f"import-{batch.pk}-rejected.{fmt}"
        if fmt == "xlsx":
            check_fits_one_sheet(batch.rejected)
            return xlsx_response("拒绝行 Rejected rows", rows, filename)
        return csv_response(rows, filename)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer}, responses={201: ImportBatchSerializer, 200: ImportBatchSerializer}
    )
    def create(self, request: Request) -> Response:
        """Upload a platform file; the import runs in the background. Poll the batch for progress.

        The file's header is checked now: a file in the wrong format is refused (400) and nothing is
        stored. The same file uploaded again while its import is still queued or running returns
        that batch (200) rather than a second one."""
        payload = UploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch, created = services.batch_create_from_upload(
            actor=current_user(request), source=payload.validated_data["platform"], upload=payload.validated_data["file"]
        )
        if created:
            tasks.import_batch_run.delay_on_commit(batch.pk)  # stored: a worker imports it
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def get_parsers(self) -> list[Any]:
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()


class OrderLineFilter(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    anchor = django_filters.NumberFilter(field_name="anchor_id")
    mcn = django_filters.NumberFilter(field_name="mcn_id")
    sku = django_filters.NumberFilter(field_name="sku_id")
    paid_from = django_filters.DateFilter(method="filter_paid", label="paid on or after (date, Asia/Shanghai)")
    paid_to = django_filters.DateFilter(method="filter_paid", label="paid on or before (date, Asia/Shanghai)")
    unattributed = django_filters.BooleanFilter(field_name="unattributed")
    order_id = django_filters.CharFilter(field_name="platform_order_id")

    class Meta:
        model = OrderLine
        fields: list[str] = []

    def filter_paid(self, queryset: QuerySet[OrderLine], name: str, value: Any) -> QuerySet[OrderLine]:
        if name == "paid_from":
            return selectors.paid_between(queryset, start=value, end=None)
        return selectors.paid_between(queryset, start=None, end=value)


class OrderLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrdersViewSet):
    """Order lines, newest payment first; the detail carries the line's events."""

    queryset = OrderLine.objects.none()
    serializer_class = OrderLineSerializer
    filterset_class = OrderLineFilter
    ordering_fields = ["paid_at", "pay_amount_minor", "id"]
    ordering = ["-paid_at", "-id"]

    def base_queryset(self) -> QuerySet[OrderLine]:
        if getattr(self, "action", None) == "retrieve":
            return selectors.line_detail_queryset()
        return selectors.line_queryset()

    def scope(self, queryset: QuerySet[OrderLine], user: User) -> QuerySet[OrderLine]:
        return selectors.lines_visible_to(queryset, current_organization(self.request))

    def get_serializer_class(self) -> Any:
        return OrderLineDetailSerializer if getattr(self, "action", None) == "retrieve" else OrderLineSerializer


class ProductMappingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrdersViewSet):
    """Platform product id → SKU. Operator staff create them; a brand reads those of its SKUs."""

    queryset = PlatformProductMapping.objects.none()
    serializer_class = ProductMappingSerializer
    filterset_fields = ["platform", "platform_product_id", "sku"]

    def base_queryset(self) -> QuerySet[PlatformProductMapping]:
        return selectors.mapping_queryset()

    def scope(self, queryset: QuerySet[PlatformProductMapping], user: User) -> QuerySet[PlatformProductMapping]:
        return selectors.mappings_visible_to(queryset, current_organization(self.request))

    @extend_schema(request=ProductMappingCreateSerializer, responses={201: ProductMappingSerializer})
    def create(self, request: Request) -> Response:
        """Map a platform product to a SKU; lines of that product without a SKU get it (with an event)."""
        payload = ProductMappingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        mapping = services.product_mapping_create(
            actor=current_user(request),
            platform=data["platform"],
            platform_product_id=data["platform_product_id"],
            sku_id=data["sku"],
        )
        return Response(
            ProductMappingSerializer(selectors.mapping_queryset().get(pk=mapping.pk)).data, status=status.HTTP_201_CREATED
        )
