"""Catalog: categories, products (SPU) and their SKUs, images, certification history, and the
selection center's denormalised per-SKU search row.

Money is integer minor units (fen for CNY) beside an ISO-4217 currency; rates are basis points.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from shuxuan.common.import_jobs import ImportStatus
from shuxuan.parties.models import Organization


class Category(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=32)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="catalog_category_name_unique_in_parent")]

    def __str__(self) -> str:
        return self.name


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", "草稿 Draft"
    SUBMITTED = "submitted", "待审核 Submitted"
    APPROVED = "approved", "已认定 Approved"
    REJECTED = "rejected", "已驳回 Rejected"


class Product(models.Model):
    """A product (SPU) of a brand. Only `approved` products appear in the selection center."""

    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    selling_points = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    origin_city = models.CharField("产地市州", max_length=32)
    origin_county = models.CharField("产地区县", max_length=32, blank=True)
    is_geographic_indication = models.BooleanField("地理标志产品", default=False)
    shelf_life_days = models.PositiveIntegerField(null=True, blank=True)
    ship_from = models.CharField("发货仓", max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=CertificationStatus.choices, default=CertificationStatus.DRAFT)
    rejection_reason = models.CharField(max_length=500, blank=True)
    first_approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["brand", "status"]), models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CertificationStatus.values), name="catalog_product_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=CertificationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="catalog_product_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(shelf_life_days__isnull=True) | Q(shelf_life_days__gt=0), name="catalog_product_shelf_life_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Sku(models.Model):
    """A sellable variant. `code` is the brand's own SKU code, unique per brand (the import key).
    `brand` repeats product.brand so that the database can enforce that uniqueness."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=64)
    spec = models.CharField("规格", max_length=64)
    currency = models.CharField(max_length=3, default="CNY")
    supply_price_minor = models.BigIntegerField("供货价 (分)")
    retail_price_minor = models.BigIntegerField("建议零售价 (分)")
    min_live_price_minor = models.BigIntegerField("直播最低价 (分)")
    max_live_price_minor = models.BigIntegerField("直播最高价 (分)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "id"]
        constraints = [
            models.UniqueConstraint(Upper("code"), "brand", name="catalog_sku_code_unique_per_brand"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="catalog_sku_currency_shape"),
            models.CheckConstraint(condition=Q(supply_price_minor__gt=0), name="catalog_sku_supply_price_positive"),
            models.CheckConstraint(
                condition=Q(retail_price_minor__gte=F("supply_price_minor")), name="catalog_sku_retail_at_least_supply"
            ),
            models.CheckConstraint(condition=Q(min_live_price_minor__gt=0), name="catalog_sku_min_live_positive"),
            models.CheckConstraint(
                condition=Q(max_live_price_minor__gte=F("min_live_price_minor")), name="catalog_sku_live_price_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.spec}"


def _image_path(instance: ProductImage, filename: str) -> str:
    return f"catalog/{instance.product.brand_id}/{instance.product_id}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_image_path, max_length=255)
    content_type = models.CharField(max_length=32)
    size_bytes = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "position", "id"]

    def __str__(self) -> str:
        return self.file.name


class CertificationAction(models.TextChoices):
    SUBMIT = "submit", "提交 Submit"
    APPROVE = "approve", "认定 Approve"
    REJECT = "reject", "驳回 Reject"
    REOPEN = "reopen", "改动后重审 Reopened by a change"


class CertificationDecision(models.Model):
    """History of a product's certification. Append-only: the database refuses UPDATE and DELETE."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=16, choices=CertificationAction.choices)
    from_status = models.CharField(max_length=16, choices=CertificationStatus.choices)
    to_status = models.CharField(max_length=16, choices=CertificationStatus.choices)
    reason = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(action="reject") | ~Q(reason=""), name="catalog_decision_reject_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.action} {self.from_status}→{self.to_status}"


class PlanType(models.TextChoices):
    OPEN = "open", "公开 Open"
    TARGETED = "targeted", "定向 Targeted"
    EXCLUSIVE = "exclusive", "专属 Exclusive"


# Sort-key buckets of a search row (docs/decisions/0003-search-design.md, "Key bands"): the lower bounds
# of the buckets, as width_bucket() takes them. A value below the first bound is in bucket 0.
# Earnings (fen) and 30-day sales: a geometric scale, ten bounds a decade (ratio 1.2–1.33).
SEARCH_KEY_SCALE: tuple[int, ...] = tuple(
    sorted({m * 10**k // 10 for k in range(9) for m in (10, 12, 15, 20, 25, 30, 40, 50, 60, 80)} - {0})
)
# Commission (bp): every 2.5 percentage points.
SEARCH_KEY_COMMISSION: tuple[int, ...] = tuple(range(250, 10_001, 250))
# sort column -> (lexeme prefix in search_keys, bucket lower bounds, SQL type of the column)
SEARCH_KEY_BUCKETS: dict[str, tuple[str, tuple[int, ...], str]] = {
    "est_earnings_minor": ("e", SEARCH_KEY_SCALE, "bigint"),
    "sales_30d": ("s", SEARCH_KEY_SCALE, "integer"),
    "commission_bps": ("c", SEARCH_KEY_COMMISSION, "integer"),
}


def _search_keys_sql() -> str:
    """array_to_tsvector of one lexeme per sort key naming its bucket, e.g. 'e31', 's12', 'c20'."""
    parts = [
        f"'{prefix}' || width_bucket({column}, ARRAY[{','.join(map(str, bounds))}]::{sql_type}[])::text"
        for column, (prefix, bounds, sql_type) in SEARCH_KEY_BUCKETS.items()
    ]
    return f"array_to_tsvector(ARRAY[{', '.join(parts)}])"


class SkuSearchRow(models.Model):
    """One row per SKU: everything the selection center filters, sorts and shows, so that a search
    touches this one table (docs/decisions/0003-search-design.md).

    Written only by `catalog.services.search_rows_sync` (product and SKU fields) and by the facade's
    `search_row_set_*` functions, through which later contexts maintain their own columns:
    `commission_bps` and `plan_type` (the selection/plans app: the best open plan's rate),
    `in_stock` (supply), `sales_30d` (orders). Until those apps exist they keep their defaults.
    """

    sku = models.OneToOneField(Sku, on_delete=models.CASCADE, primary_key=True, related_name="search_row")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_index=False)
    brand = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    brand_name = models.CharField(max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", db_index=False)
    top_category_id = models.BigIntegerField()
    product_name = models.CharField(max_length=120)
    spec = models.CharField(max_length=64)
    cover_image = models.CharField(max_length=255, blank=True)
    origin_city = models.CharField(max_length=32)
    origin_county = models.CharField(max_length=32, blank=True)
    is_geographic_indication = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=CertificationStatus.choices)
    currency = models.CharField(max_length=3)
    retail_price_minor = models.BigIntegerField()
    commission_bps = models.PositiveIntegerField(default=0)
    # retail price × commission, rounded half-up: the estimated earnings per unit, sortable by index.
    est_earnings_minor = models.BigIntegerField(default=0)
    sales_30d = models.PositiveIntegerField(default=0)
    in_stock = models.BooleanField(default=False)
    plan_type = models.CharField(max_length=16, choices=PlanType.choices, default=PlanType.OPEN)
    listed_at = models.DateTimeField()
    # Plain text (name, spec, brand, origin, selling points) for pg_trgm substring search.
    search_text = models.TextField()
    # jieba tokens plus CJK unigrams and bigrams, 'simple' config; weights A name, B brand/origin, C category, D the rest.
    search_vector = SearchVectorField()
    # The buckets of the sort keys as lexemes, kept by PostgreSQL: indexed with search_vector in one GIN so
    # that "matches of a term whose earnings are in the top buckets" is read from the index alone.
    search_keys = models.GeneratedField(
        expression=RawSQL(_search_keys_sql(), ()),  # noqa: S611 (built from the constants above, no input)
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        db_table = "catalog_sku_search"
        ordering = ["-listed_at", "-sku_id"]
        indexes = [
            # fastupdate off: a search never scans a pending list (writes are a few rows at a time).
            GinIndex(fields=["search_vector", "search_keys"], name="catalog_search_vector_gin", fastupdate=False),
            GinIndex(
                OpClass("search_text", name="gin_trgm_ops"), F("search_keys"), name="catalog_search_text_trgm", fastupdate=False
            ),
            models.Index(fields=["listed_at", "sku"], name="catalog_search_newest"),
            models.Index(fields=["commission_bps", "sku"], name="catalog_search_commission"),
            models.Index(fields=["est_earnings_minor", "sku"], name="catalog_search_earnings"),
            models.Index(fields=["sales_30d", "sku"], name="catalog_search_sales"),
            # (category, sort key, sku_id) for each sort: a search within a category walks its own rows in
            # key order (selectors: the probe's scope) instead of the whole table's.
            models.Index(fields=["category", "sales_30d", "sku"], name="catalog_search_cat_sales"),
            models.Index(fields=["category", "commission_bps", "sku"], name="catalog_search_cat_commission"),
            models.Index(fields=["category", "est_earnings_minor", "sku"], name="catalog_search_cat_earnings"),
            models.Index(fields=["category", "listed_at", "sku"], name="catalog_search_cat_newest"),
            models.Index(fields=["top_category_id", "sales_30d", "sku"], name="catalog_search_top_sales"),
            models.Index(fields=["top_category_id", "commission_bps", "sku"], name="catalog_search_top_commission"),
            models.Index(fields=["top_category_id", "est_earnings_minor", "sku"], name="catalog_search_top_earnings"),
            models.Index(fields=["top_category_id", "listed_at", "sku"], name="catalog_search_top_newest"),
            models.Index(fields=["origin_city", "origin_county"], name="catalog_search_origin"),
            models.Index(fields=["brand", "sales_30d"], name="catalog_search_brand"),
            models.Index(fields=["retail_price_minor"], name="catalog_search_price"),
            models.Index(fields=["product"], name="catalog_search_product"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(commission_bps__lte=10_000), name="catalog_search_commission_at_most_100pct"),
            models.CheckConstraint(condition=Q(plan_type__in=PlanType.values), name="catalog_search_plan_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} {self.spec}"


def _product_import_path(instance: ProductImport, filename: str) -> str:
    # Private: catalog/ is the public media prefix (common/media.py), so product files live elsewhere.
    return f"product-imports/{instance.brand_id}/{instance.sha256}"


class ProductImport(models.Model):
    """A brand's product file imported in the background (one too big for the request), with its
    progress and, once done, the report the request would have answered (created / updated /
    unchanged and the rejected rows). A file with any rejected row writes nothing (catalog/imports.py)."""

    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="product_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    stored_file = models.FileField(upload_to=_product_import_path, max_length=255)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="data rows, estimated until read")
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True, help_text="[{line, field, reason}]")
    error = models.TextField(blank=True, help_text="why nothing was imported")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["brand", "-id"], name="catalog_import_brand_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="catalog_import_status_valid"),
            # The same bytes uploaded again while their import is queued or running are that import.
            models.UniqueConstraint(
                fields=["brand", "sha256"],
                condition=Q(status__in=["queued", "running"]),
                name="catalog_import_in_flight_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand_id}:{self.filename}"
