"""HTTP for the catalog: brand product management, the review queue, and the selection center."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from shuxuan.catalog import imports, search, selectors, services, tasks
from shuxuan.catalog.models import Category, CertificationStatus, Product, ProductImport, Sku, SkuSearchRow
from shuxuan.catalog.serializers import (
    CategorySerializer,
    FacetsSerializer,
    FileUploadSerializer,
    ImageSerializer,
    ImportReportSerializer,
    ProductCreateSerializer,
    ProductImportSerializer,
    ProductSerializer,
    ProductWriteSerializer,
    PublicProductSerializer,
    RejectSerializer,
    ReviewProductSerializer,
    SearchPageSerializer,
    SearchQuerySerializer,
    SearchRowSerializer,
    SkuCreateSerializer,
    SkuSerializer,
    SkuWriteSerializer,
)
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import to_minor
from shuxuan.common.schema import SingleObjectSchema, body_or_error
from shuxuan.common.tenancy import OrgScopedViewSet, RoleRules, current_user, is_operator
from shuxuan.parties.models import OrganizationKind, Role, User

BRAND_EDITOR: dict[str, Any] = {"kinds": {OrganizationKind.BRAND}, "roles": {Role.OWNER, Role.STAFF}}
REVIEWER: dict[str, Any] = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.REVIEWER}}


def _product_fields(serializer: ProductWriteSerializer) -> dict[str, Any]:
    return {k: v for k, v in serializer.validated_data.items() if k != "skus"}


class CategoryViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    """The category tree (flat, with parent ids). Shared by every organization."""

    queryset = Category.objects.order_by("position", "id")
    serializer_class = CategorySerializer
    pagination_class = None

    def scope(self, queryset: QuerySet[Category], user: User) -> QuerySet[Category]:
        return queryset


class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """A brand's products (SPU) with their SKUs and images. A brand sees only its own; the operator sees all."""

    serializer_class = ProductSerializer
    filterset_fields = ["status", "category"]
    ordering_fields = ["id", "updated_at", "name"]
    required_roles: ClassVar[RoleRules] = {
        "write": BRAND_EDITOR,
        "submit": BRAND_EDITOR,
        "images": BRAND_EDITOR,
        "import_file": BRAND_EDITOR,
    }

    def base_queryset(self) -> QuerySet[Product]:
        return selectors.product_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[Product], user: User) -> QuerySet[Product]:
        return queryset.filter(brand_id=user.organization_id)

    def _detail(self, product: Product, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProductSerializer(selectors.product_queryset().get(pk=product.pk)).data, status=code)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer})
    def create(self, request: Request) -> Response:
        payload = ProductCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        skus = []
        for index, sku_data in enumerate(request.data.get("skus") or []):
            sku_payload = SkuWriteSerializer(data=sku_data)
            if not sku_payload.is_valid():
                raise DomainError(f"skus[{index}]: {sku_payload.errors}", field=f"skus[{index}]")
            skus.append(sku_payload.service_fields())
        product = services.product_create(actor=current_user(request), data=_product_fields(payload), skus=skus)
        return self._detail(product, status.HTTP_201_CREATED)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        product = self.get_object()
        payload = ProductWriteSerializer(data=request.data, partial=request.method == "PATCH")
        payload.is_valid(raise_exception=True)
        product = services.product_update(actor=current_user(request), product=product, data=_product_fields(payload))
        return self._detail(product)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.product_delete(actor=current_user(request), product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ProductSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        product = services.product_submit(actor=current_user(request), product=self.get_object())
        return self._detail(product)

    @extend_schema(request={"multipart/form-data": FileUploadSerializer}, responses={201: ImageSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def images(self, request: Request, pk: str | None = None) -> Response:
        product = self.get_object()
        payload = FileUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        image = services.product_image_add(actor=current_user(request), product=product, upload=payload.validated_data["file"])
        return Response(ImageSerializer(image).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": FileUploadSerializer},
        responses={200: ImportReportSerializer, 202: ProductImportSerializer, 400: body_or_error("ImportReport")},
        description=imports.__doc__,
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """A small file is imported now: 200 with the report, 400 with its rejected rows. A bigger one
        answers 202 with the import record: poll `GET /api/catalog/product-imports/{id}/`."""
        payload = FileUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcome = imports.product_import_upload(actor=current_user(request), upload=payload.validated_data["file"])
        if outcome.queued is not None:
            if outcome.newly_queued:
                tasks.product_import_run_task.delay_on_commit(outcome.queued.pk)
            return Response(ProductImportSerializer(outcome.queued).data, status=status.HTTP_202_ACCEPTED)
        assert outcome.report is not None
        code = status.HTTP_400_BAD_REQUEST if outcome.report.rejected else status.HTTP_200_OK
        return Response(outcome.report.as_dict(), status=code)


class ProductImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """A brand's product files imported in the background, with progress to poll. A brand sees its own;
    the operator none (the products themselves are what it reviews)."""

    queryset = ProductImport.objects.none()
    serializer_class = ProductImportSerializer
    filterset_fields = ["status"]
    operator_sees_all = False

    def base_queryset(self) -> QuerySet[ProductImport]:
        return ProductImport.objects.select_related("uploaded_by").order_by("-id")

    def scope(self, queryset: QuerySet[ProductImport], user: User) -> QuerySet[ProductImport]:
        return queryset.filter(brand_id=user.organization_id)


class SkuViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """SKUs of the caller's products. Changing a price of an approved product sends it back to review."""

    serializer_class = SkuSerializer
    filterset_fields = ["product"]
    required_roles: ClassVar[RoleRules] = {"write": BRAND_EDITOR}

    def base_queryset(self) -> QuerySet[Sku]:
        return Sku.objects.order_by("product_id", "id")

    def scope(self, queryset: QuerySet[Sku], user: User) -> QuerySet[Sku]:
        return queryset.filter(brand_id=user.organization_id)

    @extend_schema(request=SkuCreateSerializer, responses={201: SkuSerializer})
    def create(self, request: Request) -> Response:
        payload = SkuCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        product = Product.objects.filter(
            pk=payload.validated_data["product"], brand_id=current_user(request).organization_id
        ).first()
        if product is None:
            raise DomainError("商品不存在 / no such product", field="product", code="not_found")
        sku = services.sku_create(actor=current_user(request), product=product, data=payload.service_fields())
        return Response(SkuSerializer(sku).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SkuWriteSerializer, responses=SkuSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        sku = self.get_object()
        payload = SkuWriteSerializer(data=request.data, partial=request.method == "PATCH")
        payload.is_valid(raise_exception=True)
        sku = services.sku_update(actor=current_user(request), sku=sku, data=payload.service_fields())
        return Response(SkuSerializer(sku).data)

    @extend_schema(request=SkuWriteSerializer, responses=SkuSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.sku_delete(actor=current_user(request), sku=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("status", str, enum=CertificationStatus.values, description="default: submitted")]
    )
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """The operator's certification queue (submitted products, oldest first; ?status= for others).
    Only operator staff see it; only reviewers decide."""

    serializer_class = ReviewProductSerializer
    operator_sees_all = False
    filterset_fields = ["category"]
    required_roles: ClassVar[RoleRules] = {"approve": REVIEWER, "reject": REVIEWER}

    def base_queryset(self) -> QuerySet[Product]:
        return selectors.review_queue_queryset().order_by("updated_at", "id")

    def scope(self, queryset: QuerySet[Product], user: User) -> QuerySet[Product]:
        return queryset if is_operator(user) else queryset.none()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            wanted = self.request.query_params.get("status", CertificationStatus.SUBMITTED)
            if wanted not in CertificationStatus.values:
                raise DomainError(f"未知状态 / unknown status {wanted!r}", field="status")
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(request=None, responses=ReviewProductSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        product = services.product_approve(actor=current_user(request), product=self.get_object())
        return Response(ReviewProductSerializer(self.base_queryset().get(pk=product.pk)).data)

    @extend_schema(request=RejectSerializer, responses=ReviewProductSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        product = self.get_object()
        payload = RejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        product = services.product_reject(actor=current_user(request), product=product, reason=payload.validated_data["reason"])
        return Response(ReviewProductSerializer(self.base_queryset().get(pk=product.pk)).data)


def _search_params(request: Request, user: User) -> search.SearchParams:
    query = SearchQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    statuses: list[str] = [CertificationStatus.APPROVED]
    if is_operator(user):
        statuses = [data["status"]] if data.get("status") else []
    return search.SearchParams(
        q=data["q"],
        category_id=data.get("category"),
        origin_city=data["origin_city"],
        origin_county=data["origin_county"],
        price_min_minor=to_minor(data["price_min"], "CNY") if data.get("price_min") is not None else None,
        price_max_minor=to_minor(data["price_max"], "CNY") if data.get("price_max") is not None else None,
        commission_min_bps=data.get("commission_min"),
        commission_max_bps=data.get("commission_max"),
        in_stock=data["in_stock"],
        is_geographic_indication=data["is_geographic_indication"],
        brand_id=data.get("brand"),
        plan_type=data.get("plan_type", ""),
        statuses=statuses,
        sort=data.get("sort", ""),
        cursor=data["cursor"],
        page_size=data["page_size"],
    )


class SelectionViewSet(OrgScopedViewSet):
    schema = SingleObjectSchema()  # list answers one page object with its cursor, not an array
    """The selection center (选品中心): search over certified SKUs, readable by every logged-in user.

    Rows are SKUs (id = SKU id). Everyone but the operator sees approved products only; the operator
    sees every status and may filter by it. Pagination is by opaque cursor: pass `next` back as `cursor`.
    """

    queryset = SkuSearchRow.objects.all()
    pagination_class = None
    filter_backends: list[Any] = []

    def scope(self, queryset: QuerySet[SkuSearchRow], user: User) -> QuerySet[SkuSearchRow]:
        return queryset.filter(status=CertificationStatus.APPROVED)

    @extend_schema(operation_id="catalog_selection_search", parameters=[SearchQuerySerializer], responses=SearchPageSerializer)
    def list(self, request: Request) -> Response:
        params = _search_params(request, current_user(request))
        page = search.selection_search(params)
        rows = SearchRowSerializer(page.rows, many=True, context={"category_names": selectors.category_names()}).data
        return Response({"results": rows, "next": page.next_cursor})

    @extend_schema(responses=PublicProductSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """The product of a selection-center row, with its SKUs (no supply prices)."""
        row = self.get_object()
        product = selectors.product_queryset().get(pk=row.product_id)
        return Response(PublicProductSerializer(product).data)

    @extend_schema(parameters=[SearchQuerySerializer], responses=FacetsSerializer)
    @action(detail=False, methods=["get"])
    def facets(self, request: Request) -> Response:
        params = _search_params(request, current_user(request))
        return Response(search.selection_facets(params))
