"""HTTP for supply. Operator users read everything; only the operator's supply staff (role supply or
owner) write. Brand users read their stock (consignment and what the operator bought of theirs) and
the purchase orders addressed to them. Anyone else sees nothing: lists are empty, objects 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import Money
from shuxuan.common.spreadsheets import (
    FILE_RESPONSE,
    FMT_PARAMETER,
    XLSX_MAX_ROWS,
    csv_response,
    export_format,
    xlsx_response,
)
from shuxuan.common.tenancy import HasRole, is_operator
from shuxuan.common.tenancy import OrgScopedViewSet as _OrgScopedViewSet
from shuxuan.parties.models import OrganizationKind, Role, User
from shuxuan.supply import exports, selectors, services
from shuxuan.supply.models import (
    PurchaseOrder,
    Receipt,
    Reservation,
    Shipment,
    StockBalance,
    StockCount,
    StockItem,
    StockMovement,
    StockReturn,
    Transfer,
    Warehouse,
)
from shuxuan.supply.serializers import (
    CountCreateSerializer,
    CountPostSerializer,
    CountSerializer,
    LocationCreateSerializer,
    LocationSerializer,
    MovementSerializer,
    PurchaseOrderCreateSerializer,
    PurchaseOrderSerializer,
    ReceiptCreateSerializer,
    ReceiptSerializer,
    ReportQuerySerializer,
    ReportRowSerializer,
    ReservationCreateSerializer,
    ReservationSerializer,
    ReturnCreateSerializer,
    ReturnSerializer,
    ScrapSerializer,
    ShipmentCreateSerializer,
    ShipmentSerializer,
    StockBalanceSerializer,
    StockItemCreateSerializer,
    StockItemSerializer,
    StockPageSerializer,
    TransferCreateSerializer,
    TransferReceiveSerializer,
    TransferSerializer,
    WarehouseCreateSerializer,
    WarehouseSerializer,
)

SUPPLY_STAFF = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.SUPPLY, Role.OWNER}}
WRITES = {"write": SUPPLY_STAFF}


class OrgScopedViewSet(_OrgScopedViewSet):
    """Supply's views: writes by operator supply staff; reads scoped by `scope` (none by default)."""

    required_roles = WRITES

    def scope(self, queryset: QuerySet[Any], user: User) -> QuerySet[Any]:
        return queryset.none()


def _actor(request: Request) -> User:
    """The authenticated caller (permission classes have refused anonymous requests)."""
    assert isinstance(request.user, User)
    return request.user


def _created(serializer_class: type, obj: Any) -> Response:
    return Response(serializer_class(obj).data, status=status.HTTP_201_CREATED)


def _payload(serializer_class: type, request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class WarehouseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Warehouse.objects.none()
    serializer_class = WarehouseSerializer

    def base_queryset(self) -> QuerySet[Warehouse]:
        return selectors.warehouse_queryset()

    @extend_schema(request=WarehouseCreateSerializer, responses={201: WarehouseSerializer})
    def create(self, request: Request) -> Response:
        warehouse = services.warehouse_create(actor=_actor(request), **_payload(WarehouseCreateSerializer, request))
        return _created(WarehouseSerializer, selectors.warehouse_queryset().get(pk=warehouse.pk))

    @extend_schema(request=LocationCreateSerializer, responses={201: LocationSerializer})
    @action(detail=True, methods=["post"], url_path="locations")
    def add_location(self, request: Request, pk: str | None = None) -> Response:
        location = services.location_create(
            actor=_actor(request),
            warehouse=self.get_object(),
            **_payload(LocationCreateSerializer, request),
        )
        return _created(LocationSerializer, location)


class StockItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = StockItem.objects.none()
    serializer_class = StockItemSerializer
    filterset_fields = ["brand", "sku_code", "requires_lot"]

    def base_queryset(self) -> QuerySet[StockItem]:
        return selectors.stock_item_queryset()

    def scope(self, queryset: QuerySet[StockItem], user: User) -> QuerySet[StockItem]:
        return queryset.filter(brand_id=user.organization_id)

    @extend_schema(request=StockItemCreateSerializer, responses={201: StockItemSerializer})
    def create(self, request: Request) -> Response:
        item = services.stock_item_create(actor=_actor(request), **_payload(StockItemCreateSerializer, request))
        return _created(StockItemSerializer, item)


class PurchaseOrderFilter(django_filters.FilterSet):
    due_by = django_filters.DateFilter(
        method="filter_due_by", label="confirmed, with a line not fully received expected on or before this day"
    )

    class Meta:
        model = PurchaseOrder
        fields = ["state", "brand", "ownership", "warehouse"]

    def filter_due_by(self, queryset: QuerySet[PurchaseOrder], name: str, value: Any) -> QuerySet[PurchaseOrder]:
        return selectors.purchase_orders_due(queryset, by=value)


class PurchaseOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = PurchaseOrder.objects.none()
    serializer_class = PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilter

    def base_queryset(self) -> QuerySet[PurchaseOrder]:
        return selectors.purchase_order_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[PurchaseOrder], user: User) -> QuerySet[PurchaseOrder]:
        return queryset.filter(brand_id=user.organization_id)

    def _fresh(self, pk: int) -> dict[str, Any]:
        return dict(PurchaseOrderSerializer(selectors.purchase_order_queryset().get(pk=pk)).data)

    @extend_schema(request=PurchaseOrderCreateSerializer, responses={201: PurchaseOrderSerializer})
    def create(self, request: Request) -> Response:
        data = _payload(PurchaseOrderCreateSerializer, request)
        lines = [services.PurchaseLineInput(**line) for line in data.pop("lines")]
        order = services.purchase_order_create(actor=_actor(request), lines=lines, **data)
        return Response(self._fresh(order.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        order = services.purchase_order_confirm(actor=_actor(request), order_id=self.get_object().pk)
        return Response(self._fresh(order.pk))

    @extend_schema(request=None, responses=PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = services.purchase_order_cancel(actor=_actor(request), order_id=self.get_object().pk)
        return Response(self._fresh(order.pk))

    @extend_schema(request=ReceiptCreateSerializer, responses={201: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str | None = None) -> Response:
        data = _payload(ReceiptCreateSerializer, request)
        lines = [services.ReceiptLineInput(**line) for line in data.pop("lines")]
        receipt = services.receipt_create(actor=_actor(request), order_id=self.get_object().pk, lines=lines, **data)
        return _created(ReceiptSerializer, selectors.receipt_queryset().get(pk=receipt.pk))


class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Receipt.objects.none()
    serializer_class = ReceiptSerializer
    filterset_fields = ["purchase_order"]

    def base_queryset(self) -> QuerySet[Receipt]:
        return selectors.receipt_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[Receipt], user: User) -> QuerySet[Receipt]:
        return queryset.filter(purchase_order__brand_id=user.organization_id)


class StockBalanceFilter(django_filters.FilterSet):
    warehouse = django_filters.NumberFilter(field_name="warehouse_id")
    location = django_filters.NumberFilter(field_name="location_id")
    location_kind = django_filters.CharFilter(field_name="location__kind")
    stock_item = django_filters.NumberFilter(field_name="stock_item_id")
    sku = django_filters.CharFilter(field_name="stock_item__sku_code")
    lot = django_filters.NumberFilter(field_name="lot_id")
    batch_number = django_filters.CharFilter(field_name="lot__batch_number")
    owner = django_filters.NumberFilter(field_name="owner_id")
    expiring_before = django_filters.DateFilter(method="filter_expiring_before")
    in_stock = django_filters.BooleanFilter(field_name="on_hand", lookup_expr="gt", method="filter_in_stock")
    available_at_most = django_filters.NumberFilter(
        method="filter_available_at_most", label="on hand less reserved at most this many units (low stock)"
    )

    class Meta:
        model = StockBalance
        fields: list[str] = []

    def filter_in_stock(self, queryset: QuerySet[StockBalance], name: str, value: bool) -> QuerySet[StockBalance]:
        return queryset.filter(on_hand__gt=0) if value else queryset.filter(on_hand=0)

    def filter_expiring_before(self, queryset: QuerySet[StockBalance], name: str, value: Any) -> QuerySet[StockBalance]:
        return selectors.expiring_before(queryset, value)

    def filter_available_at_most(self, queryset: QuerySet[StockBalance], name: str, value: Any) -> QuerySet[StockBalance]:
        return selectors.available_at_most(queryset, int(value))


class StockBalanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """On hand, reserved and available per warehouse / location / SKU / lot / owner."""

    queryset = StockBalance.objects.none()
    serializer_class = StockBalanceSerializer
    filterset_class = StockBalanceFilter

    def base_queryset(self) -> QuerySet[StockBalance]:
        return selectors.stock_balance_queryset()

    def scope(self, queryset: QuerySet[StockBalance], user: User) -> QuerySet[StockBalance]:
        assert user.organization_id is not None
        if user.org_kind != OrganizationKind.BRAND:
            return queryset.none()
        return queryset.filter(selectors.brand_stock_q(user.organization_id))

    def _with_values(self, rows: list[StockBalance]) -> dict[str, Any]:
        ids = [row.pk for row in rows]
        return {**self.get_serializer_context(), "stock_values": selectors.stock_values(StockBalance.objects.filter(pk__in=ids))}

    @extend_schema(responses=StockPageSerializer)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        balances = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(balances)
        rows = list(page if page is not None else balances)
        data = StockBalanceSerializer(rows, many=True, context=self._with_values(rows)).data
        if page is None:  # the page shape whatever the paginator says (the schema's StockPage)
            body: dict[str, Any] = {"count": len(rows), "next": None, "previous": None, "results": data}
        else:
            body = dict(self.get_paginated_response(data).data)
        body["total_value"] = Money(selectors.stock_total_value(balances)).as_api()
        return Response(body)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        return Response(StockBalanceSerializer(row, context=self._with_values([row])).data)

    @extend_schema(parameters=[FMT_PARAMETER], responses=FILE_RESPONSE, filters=True)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        """Stock on hand with the list's filters, as CSV (streamed) or XLSX, with unit cost and value."""
        fmt = export_format(request)
        balances = self.filter_queryset(self.get_queryset())
        filename = f"stock-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "xlsx":
            count = balances.count()
            if count >= XLSX_MAX_ROWS:
                raise DomainError(
                    f"共 {count:,} 行，超出 Excel 单表上限，请导出 CSV 或加筛选 / "
                    f"{count:,} rows do not fit one Excel sheet: export CSV or filter",
                    field="fmt",
                )
            return xlsx_response("库存 Stock", exports.stock_rows(balances), filename)
        return csv_response(exports.stock_rows(balances), filename)

    @extend_schema(request=ScrapSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def scrap(self, request: Request, pk: str | None = None) -> Response:
        ids = services.stock_scrap(actor=_actor(request), balance_id=self.get_object().pk, **_payload(ScrapSerializer, request))
        return Response(
            MovementSerializer(selectors.movement_queryset().filter(pk__in=ids), many=True).data, status=status.HTTP_201_CREATED
        )


class MovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = StockMovement.objects.none()
    serializer_class = MovementSerializer
    filterset_fields = ["kind", "stock_item", "owner", "lot", "source_type", "source_id", "effective_date"]

    def base_queryset(self) -> QuerySet[StockMovement]:
        return selectors.movement_queryset()

    def scope(self, queryset: QuerySet[StockMovement], user: User) -> QuerySet[StockMovement]:
        assert user.organization_id is not None
        if user.org_kind != OrganizationKind.BRAND:
            return queryset.none()
        return queryset.filter(selectors.brand_stock_q(user.organization_id))


class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Shipment.objects.none()
    serializer_class = ShipmentSerializer
    filterset_fields = ["kind", "warehouse", "tracking_number", "reference"]

    def base_queryset(self) -> QuerySet[Shipment]:
        return selectors.shipment_queryset().order_by("-id")

    @extend_schema(request=ShipmentCreateSerializer, responses={201: ShipmentSerializer})
    def create(self, request: Request) -> Response:
        data = _payload(ShipmentCreateSerializer, request)
        lines = [services.PickInput(**line) for line in data.pop("lines")]
        shipment = services.shipment_create(actor=_actor(request), lines=lines, **data)
        return _created(ShipmentSerializer, selectors.shipment_queryset().get(pk=shipment.pk))

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnSerializer})
    @action(detail=True, methods=["post"], url_path="returns")
    def create_return(self, request: Request, pk: str | None = None) -> Response:
        data = _payload(ReturnCreateSerializer, request)
        lines = [services.ReturnLineInput(**line) for line in data.pop("lines")]
        stock_return = services.return_create(actor=_actor(request), shipment_id=self.get_object().pk, lines=lines, **data)
        return _created(ReturnSerializer, selectors.return_queryset().get(pk=stock_return.pk))


class ReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = StockReturn.objects.none()
    serializer_class = ReturnSerializer
    filterset_fields = ["shipment", "disposition"]

    def base_queryset(self) -> QuerySet[StockReturn]:
        return selectors.return_queryset().order_by("-id")


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Transfer.objects.none()
    serializer_class = TransferSerializer
    filterset_fields = ["state", "from_warehouse", "to_warehouse"]

    def base_queryset(self) -> QuerySet[Transfer]:
        return selectors.transfer_queryset().order_by("-id")

    @extend_schema(request=TransferCreateSerializer, responses={201: TransferSerializer})
    def create(self, request: Request) -> Response:
        data = _payload(TransferCreateSerializer, request)
        lines = [services.PickInput(**line) for line in data.pop("lines")]
        transfer = services.transfer_ship(actor=_actor(request), lines=lines, **data)
        return _created(TransferSerializer, selectors.transfer_queryset().get(pk=transfer.pk))

    @extend_schema(request=TransferReceiveSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str | None = None) -> Response:
        data = _payload(TransferReceiveSerializer, request)
        transfer = services.transfer_receive(actor=_actor(request), transfer_id=self.get_object().pk, **data)
        return Response(TransferSerializer(selectors.transfer_queryset().get(pk=transfer.pk)).data)


class CountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = StockCount.objects.none()
    serializer_class = CountSerializer
    filterset_fields = ["state", "warehouse"]

    def base_queryset(self) -> QuerySet[StockCount]:
        return selectors.count_queryset().order_by("-id")

    @extend_schema(request=CountCreateSerializer, responses={201: CountSerializer})
    def create(self, request: Request) -> Response:
        data = _payload(CountCreateSerializer, request)
        lines = [services.CountLineInput(**line) for line in data.pop("lines")]
        count = services.count_create(actor=_actor(request), lines=lines, **data)
        return _created(CountSerializer, selectors.count_queryset().get(pk=count.pk))

    @extend_schema(request=CountPostSerializer, responses=CountSerializer)
    @action(detail=True, methods=["post"], url_path="post")
    def post_count(self, request: Request, pk: str | None = None) -> Response:
        data = _payload(CountPostSerializer, request)
        count = services.count_post(actor=_actor(request), count_id=self.get_object().pk, **data)
        return Response(CountSerializer(selectors.count_queryset().get(pk=count.pk)).data)


class ReservationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Reservation.objects.none()
    serializer_class = ReservationSerializer
    filterset_fields = ["state", "purpose", "warehouse", "stock_item", "reference"]

    def base_queryset(self) -> QuerySet[Reservation]:
        return selectors.reservation_queryset().order_by("-id")

    @extend_schema(request=ReservationCreateSerializer, responses={201: ReservationSerializer})
    def create(self, request: Request) -> Response:
        reservation = services.reservation_create(actor=_actor(request), **_payload(ReservationCreateSerializer, request))
        return _created(ReservationSerializer, selectors.reservation_queryset().get(pk=reservation.pk))

    @extend_schema(request=None, responses=ReservationSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        reservation = services.reservation_release(actor=_actor(request), reservation_id=self.get_object().pk)
        return Response(ReservationSerializer(selectors.reservation_queryset().get(pk=reservation.pk)).data)


def _report(request: Request) -> list[selectors.StockReportRow]:
    """The 进销存 rows the query asks for, as the caller may see them: the operator every owner, a
    brand its own goods, anyone else none."""
    query = ReportQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    user = request.user
    kwargs: dict[str, Any] = dict(query.validated_data)
    kwargs["owner_id"] = kwargs.pop("owner")
    if not is_operator(user):
        if not user.is_authenticated or getattr(user, "org_kind", None) != OrganizationKind.BRAND:
            return []
        kwargs["visible_to_brand_id"] = user.organization_id  # type: ignore[union-attr]
    return selectors.stock_report(**kwargs)


class StockReportView(APIView):
    """进销存: per SKU and owner, opening / purchased / sold / sampled / returned / adjusted / closing.
    The operator sees every owner; a brand sees rows of its own goods; others get no rows."""

    permission_classes = [permissions.IsAuthenticated, HasRole]

    @extend_schema(parameters=[ReportQuerySerializer], responses=ReportRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ReportRowSerializer([asdict(row) for row in _report(request)], many=True).data)


class StockReportExportView(APIView):
    """The 进销存 report as CSV or XLSX: the same rows and figures as the report, with a total per
    ownership (the buy-out closing value is the inventory accounts' balance)."""

    permission_classes = [permissions.IsAuthenticated, HasRole]

    @extend_schema(parameters=[ReportQuerySerializer, FMT_PARAMETER], responses=FILE_RESPONSE)
    def get(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        fmt = export_format(request)
        rows = exports.report_rows(_report(request))
        query = request.query_params
        filename = f"jinxiaocun-{query['date_from']}-{query['date_to']}.{fmt}"
        if fmt == "xlsx":
            return xlsx_response("进销存 Stock ledger", rows, filename)
        return csv_response(rows, filename)
