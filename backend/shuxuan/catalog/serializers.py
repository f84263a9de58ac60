from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.catalog.models import (
    Category,
    CertificationDecision,
    CertificationStatus,
    PlanType,
    Product,
    ProductImage,
    ProductImport,
    Sku,
)
from shuxuan.catalog.search import SORTS
from shuxuan.common.import_jobs import progress
from shuxuan.common.serializers import MoneyField, MoneySerializer, money


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "position"]


class CategoryBriefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent"]


class BrandBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SkuSerializer(serializers.ModelSerializer[Sku]):
    supply_price = serializers.SerializerMethodField()
    retail_price = serializers.SerializerMethodField()
    min_live_price = serializers.SerializerMethodField()
    max_live_price = serializers.SerializerMethodField()

    class Meta:
        model = Sku
        fields = [
            "id",
            "product",
            "code",
            "spec",
            "supply_price",
            "retail_price",
            "min_live_price",
            "max_live_price",
            "created_at",
        ]

    @extend_schema_field(MoneySerializer)
    def get_supply_price(self, sku: Sku) -> dict[str, str]:
        return money(sku.supply_price_minor, sku.currency)

    @extend_schema_field(MoneySerializer)
    def get_retail_price(self, sku: Sku) -> dict[str, str]:
        return money(sku.retail_price_minor, sku.currency)

    @extend_schema_field(MoneySerializer)
    def get_min_live_price(self, sku: Sku) -> dict[str, str]:
        return money(sku.min_live_price_minor, sku.currency)

    @extend_schema_field(MoneySerializer)
    def get_max_live_price(self, sku: Sku) -> dict[str, str]:
        return money(sku.max_live_price_minor, sku.currency)


class PublicSkuSerializer(SkuSerializer):
    """What anchors see: no supply price (that is between the brand and the operator)."""

    class Meta(SkuSerializer.Meta):
        fields = ["id", "code", "spec", "retail_price", "min_live_price", "max_live_price"]


class SkuWriteSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=64)
    spec = serializers.CharField(max_length=64)
    supply_price = MoneyField()
    retail_price = MoneyField()
    min_live_price = MoneyField()
    max_live_price = MoneyField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        currencies = {attrs[f][1] for f in ("supply_price", "retail_price", "min_live_price", "max_live_price") if f in attrs}
        if len(currencies) > 1:
            raise serializers.ValidationError({"currency": "一个 SKU 的价格须同一币种 / one currency per SKU"})
        return attrs

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        fields: dict[str, Any] = {k: data[k] for k in ("code", "spec") if k in data}
        for name in ("supply_price", "retail_price", "min_live_price", "max_live_price"):
            if name in data:
                fields[f"{name}_minor"], fields["currency"] = data[name]
        return fields


class SkuCreateSerializer(SkuWriteSerializer):
    product = serializers.IntegerField()


class ImageSerializer(serializers.ModelSerializer[ProductImage]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "content_type", "size_bytes", "position"]

    def get_url(self, image: ProductImage) -> str:
        return image.file.url


class DecisionSerializer(serializers.ModelSerializer[CertificationDecision]):
    class Meta:
        model = CertificationDecision
        fields = ["id", "action", "from_status", "to_status", "reason", "changes", "actor", "at"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    brand = BrandBriefSerializer(read_only=True)
    category = CategoryBriefSerializer(read_only=True)
    skus = SkuSerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "brand",
            "category",
            "name",
            "description",
            "selling_points",
            "origin_city",
            "origin_county",
            "is_geographic_indication",
            "shelf_life_days",
            "ship_from",
            "status",
            "rejection_reason",
            "first_approved_at",
            "created_at",
            "updated_at",
            "skus",
            "images",
        ]


class PublicProductSerializer(ProductSerializer):
    skus = PublicSkuSerializer(many=True, read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [f for f in ProductSerializer.Meta.fields if f not in ("rejection_reason", "updated_at")]


class ReviewProductSerializer(ProductSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "decisions"]


class ProductWriteSerializer(serializers.Serializer[Any]):
    category = serializers.IntegerField()
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    selling_points = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    origin_city = serializers.CharField(max_length=32)
    origin_county = serializers.CharField(max_length=32, required=False, allow_blank=True)
    is_geographic_indication = serializers.BooleanField(required=False)
    shelf_life_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ship_from = serializers.CharField(max_length=64, required=False, allow_blank=True)


class ProductCreateSerializer(ProductWriteSerializer):
    skus = SkuWriteSerializer(many=True, required=False)


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


class FileUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


class ImportRejectionSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    field = serializers.CharField()
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = ImportRejectionSerializer(many=True)


class ProductImportSerializer(serializers.ModelSerializer[ProductImport]):
    """A product file imported in the background; once `done` (or `failed` with rejected rows) its
    created / updated / unchanged / rejected are the report the request answers for a small file."""

    uploaded_by = serializers.CharField(source="uploaded_by.username")
    progress = serializers.SerializerMethodField(help_text="rows checked / rows expected, 0–1; null while unknown")
    rejected = ImportRejectionSerializer(many=True)

    class Meta:
        model = ProductImport
        fields = [
            "id",
            "filename",
            "sha256",
            "uploaded_by",
            "status",
            "rows_total",
            "rows_done",
            "progress",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, record: ProductImport) -> float | None:
        return progress(status=record.status, rows_done=record.rows_done, rows_total=record.rows_total)


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    category = serializers.IntegerField(required=False)
    origin_city = serializers.CharField(required=False, allow_blank=True, default="")
    origin_county = serializers.CharField(required=False, allow_blank=True, default="")
    price_min = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0, help_text="yuan")
    price_max = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0, help_text="yuan")
    commission_min = serializers.IntegerField(required=False, min_value=0, max_value=10_000, help_text="basis points")
    commission_max = serializers.IntegerField(required=False, min_value=0, max_value=10_000, help_text="basis points")
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_geographic_indication = serializers.BooleanField(required=False, allow_null=True, default=None)
    brand = serializers.IntegerField(required=False)
    plan_type = serializers.ChoiceField(choices=PlanType.choices, required=False)
    status = serializers.ChoiceField(
        choices=CertificationStatus.choices, required=False, help_text="operator only; others always see approved"
    )
    sort = serializers.ChoiceField(choices=[(s, s) for s in SORTS], required=False)
    cursor = serializers.CharField(required=False, allow_blank=True, default="")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=20)


class SearchRowSerializer(serializers.Serializer[Any]):
    """A row of catalog_sku_search as the selection center shows it; `id` is the SKU id."""

    id = serializers.IntegerField(source="sku_id")
    product_id = serializers.IntegerField()
    name = serializers.CharField(source="product_name")
    spec = serializers.CharField()
    brand = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    origin_city = serializers.CharField()
    origin_county = serializers.CharField()
    is_geographic_indication = serializers.BooleanField()
    status = serializers.CharField()
    retail_price = serializers.SerializerMethodField()
    commission_bps = serializers.IntegerField()
    estimated_earnings = serializers.SerializerMethodField()
    sales_30d = serializers.IntegerField()
    in_stock = serializers.BooleanField()
    plan_type = serializers.CharField()
    cover_image = serializers.SerializerMethodField()
    listed_at = serializers.DateTimeField()

    @extend_schema_field(BrandBriefSerializer)
    def get_brand(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"id": row["brand_id"], "name": row["brand_name"]}

    @extend_schema_field(BrandBriefSerializer)
    def get_category(self, row: dict[str, Any]) -> dict[str, Any]:
        names: dict[int, str] = self.context.get("category_names", {})
        return {"id": row["category_id"], "name": names.get(row["category_id"], "")}

    @extend_schema_field(MoneySerializer)
    def get_retail_price(self, row: dict[str, Any]) -> dict[str, str]:
        return money(row["retail_price_minor"], row["currency"])

    @extend_schema_field(MoneySerializer)
    def get_estimated_earnings(self, row: dict[str, Any]) -> dict[str, str]:
        return money(row["est_earnings_minor"], row["currency"])

    def get_cover_image(self, row: dict[str, Any]) -> str:
        from django.conf import settings

        return f"{settings.MEDIA_URL}{row['cover_image']}" if row["cover_image"] else ""


class SearchPageSerializer(serializers.Serializer[Any]):
    results = SearchRowSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class FacetCountSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False)
    value = serializers.CharField(required=False)
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer[Any]):
    category = FacetCountSerializer(many=True)
    origin_city = FacetCountSerializer(many=True)
    brand = FacetCountSerializer(many=True)
    price_band = FacetCountSerializer(many=True)
    total = serializers.IntegerField(help_text="how many SKUs match the search and filters")
