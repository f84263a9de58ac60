"""Writes of the catalog: products and SKUs, images, certification (产品认定), and the search rows.

Each service owns its transaction, locks the product it changes (`product_lock`), writes its audit
row in the same transaction, and leaves the product's search rows in step (`search_rows_sync`).

Certification: draft → submitted → approved | rejected (with a reason); rejected → submitted again.
A change to a reviewed field of an approved product (name, description, selling points, category,
origin, GI flag, any SKU's prices, adding or removing a SKU) sends it back to `submitted`: it leaves
the selection center until a reviewer approves it again. Every transition appends a
CertificationDecision row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog.models import (
    Category,
    CertificationAction,
    CertificationDecision,
    CertificationStatus,
    Product,
    ProductImage,
    Sku,
)
from shuxuan.catalog.origins import OriginError, normalize_origin
from shuxuan.catalog.text import document_terms
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.money import MINOR_UNITS
from shuxuan.parties.models import Organization, OrganizationKind, Role, User

PRODUCT_FIELDS = (
    "category",
    "name",
    "description",
    "selling_points",
    "origin_city",
    "origin_county",
    "is_geographic_indication",
    "shelf_life_days",
    "ship_from",
)
# Changing one of these on an approved product sends it back to review.
REVIEWED_PRODUCT_FIELDS = frozenset(
    {"category", "name", "description", "selling_points", "origin_city", "origin_county", "is_geographic_indication"}
)
SKU_FIELDS = (
    "code",
    "spec",
    "currency",
    "supply_price_minor",
    "retail_price_minor",
    "min_live_price_minor",
    "max_live_price_minor",
)
REVIEWED_SKU_FIELDS = frozenset(
    {"currency", "supply_price_minor", "retail_price_minor", "min_live_price_minor", "max_live_price_minor"}
)

MAX_SELLING_POINTS = 8
MAX_IMAGES = 9
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
)


# ---------------------------------------------------------------------------------------------
# Validation: every check names the field at fault.


def require_brand_member(actor: User) -> Organization:
    org = actor.organization
    if org is None or org.kind != OrganizationKind.BRAND:
        raise DomainError("只有品牌商可以管理商品 / only brands manage products", field="brand", code="not_a_brand")
    return org


def _require_reviewer(actor: User) -> None:
    org = actor.organization
    if org is None or org.kind != OrganizationKind.OPERATOR or not actor.has_role(Role.REVIEWER):
        raise DomainError("只有运营方审核员可以认定商品 / only operator reviewers certify", field="actor", code="not_a_reviewer")


def clean_product_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validated and normalised product fields (a subset when `partial`)."""
    unknown = set(data) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(f"未知字段 / unknown fields: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    cleaned = dict(data)
    if not partial:
        for required in ("category", "name", "origin_city"):
            if data.get(required) in (None, ""):
                raise DomainError(f"{required} 必填 / {required} is required", field=required)
    if "category" in cleaned:
        category = cleaned["category"]
        if not isinstance(category, Category):
            category = Category.objects.filter(pk=category).first() if str(category).isdigit() else None
            if category is None:
                raise DomainError("类目不存在 / no such category", field="category")
        cleaned["category"] = category
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"]).strip()
        if not cleaned["name"] or len(cleaned["name"]) > 120:
            raise DomainError("商品名称须为 1–120 字 / name must be 1–120 characters", field="name")
    if "selling_points" in cleaned:
        points = [str(p).strip() for p in cleaned["selling_points"] or [] if str(p).strip()]
        if len(points) > MAX_SELLING_POINTS or any(len(p) > 60 for p in points):
            raise DomainError(
                f"卖点最多 {MAX_SELLING_POINTS} 条、每条 60 字 / at most {MAX_SELLING_POINTS} selling points of 60 characters",
                field="selling_points",
            )
        cleaned["selling_points"] = points
    if "origin_city" in cleaned or "origin_county" in cleaned:
        if partial and ("origin_city" not in cleaned or "origin_county" not in cleaned):
            raise DomainError("产地市州和区县须一起修改 / change origin_city and origin_county together", field="origin_county")
        try:
            cleaned["origin_city"], cleaned["origin_county"] = normalize_origin(
                str(cleaned.get("origin_city") or ""), str(cleaned.get("origin_county") or "")
            )
        except OriginError as exc:
            raise DomainError(exc.reason, field=exc.field) from None
    if cleaned.get("shelf_life_days") is not None:
        days = cleaned["shelf_life_days"]
        if not isinstance(days, int) or days <= 0 or days > 36_500:
            raise DomainError("保质期须为正整数天 / shelf life must be a positive number of days", field="shelf_life_days")
    if "ship_from" in cleaned:
        cleaned["ship_from"] = str(cleaned["ship_from"] or "").strip()[:64]
    if "description" in cleaned:
        cleaned["description"] = str(cleaned["description"] or "").strip()
    if "is_geographic_indication" in cleaned:
        cleaned["is_geographic_indication"] = bool(cleaned["is_geographic_indication"])
    return cleaned


def clean_sku_fields(data: dict[str, Any], *, partial: bool, current: Sku | None = None) -> dict[str, Any]:
    unknown = set(data) - set(SKU_FIELDS)
    if unknown:
        raise DomainError(f"未知字段 / unknown fields: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    cleaned = dict(data)
    if not partial:
        for required in SKU_FIELDS:
            if required != "currency" and cleaned.get(required) in (None, ""):
                raise DomainError(f"{required} 必填 / {required} is required", field=required)
        cleaned.setdefault("currency", "CNY")
    if "code" in cleaned:
        cleaned["code"] = str(cleaned["code"]).strip()
        if not cleaned["code"] or len(cleaned["code"]) > 64 or any(ch.isspace() for ch in cleaned["code"]):
            raise DomainError("SKU 编码须为 1–64 个非空白字符 / code must be 1–64 non-space characters", field="code")
    if "spec" in cleaned:
        cleaned["spec"] = str(cleaned["spec"]).strip()
        if not cleaned["spec"] or len(cleaned["spec"]) > 64:
            raise DomainError("规格须为 1–64 字 / spec must be 1–64 characters", field="spec")
    if "currency" in cleaned and cleaned["currency"] not in MINOR_UNITS:
        raise DomainError(f"不支持的币种 / unsupported currency {cleaned['currency']!r}", field="currency")
    merged = {f: getattr(current, f) for f in SKU_FIELDS} if current else {}
    merged.update(cleaned)
    for field in ("supply_price_minor", "retail_price_minor", "min_live_price_minor", "max_live_price_minor"):
        value = merged.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            raise DomainError("价格须大于 0 / prices must be positive", field=field)
    supply, retail = merged.get("supply_price_minor"), merged.get("retail_price_minor")
    if supply is not None and retail is not None and retail < supply:
        raise DomainError("建议零售价不能低于供货价 / retail price below supply price", field="retail_price_minor")
    low, high = merged.get("min_live_price_minor"), merged.get("max_live_price_minor")
    if low is not None and high is not None and high < low:
        raise DomainError("直播最高价不能低于最低价 / max live price below min live price", field="max_live_price_minor")
    return cleaned


# ---------------------------------------------------------------------------------------------
# Locks and history.


def product_lock(*, product_id: int) -> Product:
    """The one way to lock a product row (and so its SKUs and search rows) for a change."""
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise DomainError("商品不存在 / no such product", field="product", code="not_found")
    return product


def _transition(
    *,
    product: Product,
    actor: User | None,
    action: str,
    to_status: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> CertificationDecision:
    decision = CertificationDecision.objects.create(
        product=product,
        action=action,
        from_status=product.status,
        to_status=to_status,
        reason=reason,
        changes=changes or {},
        actor=actor,
    )
    product.status = to_status
    product.rejection_reason = reason if to_status == CertificationStatus.REJECTED else ""
    update_fields = ["status", "rejection_reason", "updated_at"]
    if to_status == CertificationStatus.APPROVED and product.first_approved_at is None:
        product.first_approved_at = timezone.now()
        update_fields.append("first_approved_at")
    product.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=f"product.certification.{action}",
        obj=product,
        organization_id=product.brand_id,
        changes={"from": decision.from_status, "to": to_status, "reason": reason, **({"fields": changes} if changes else {})},
    )
    return decision


def _reopen_if_approved(*, product: Product, actor: User, changed: dict[str, Any]) -> None:
    if product.status == CertificationStatus.APPROVED:
        _transition(
            product=product,
            actor=actor,
            action=CertificationAction.REOPEN,
            to_status=CertificationStatus.SUBMITTED,
            changes=changed,
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Category):
        return value.pk
    return value


# ---------------------------------------------------------------------------------------------
# Products and SKUs.


def product_create(*, actor: User, data: dict[str, Any], skus: list[dict[str, Any]] | None = None) -> Product:
    brand = require_brand_member(actor)
    fields = clean_product_fields(data, partial=False)
    sku_rows = [clean_sku_fields(sku, partial=False) for sku in skus or []]
    codes = [row["code"].upper() for row in sku_rows]
    if len(codes) != len(set(codes)):
        raise DomainError("SKU 编码重复 / duplicate SKU code", field="skus")
    with transaction.atomic():
        product = Product.objects.create(brand=brand, **fields)
        for row in sku_rows:
            _sku_insert(product=product, fields=row)
        audit_record(
            actor=actor,
            action="product.create",
            obj=product,
            organization_id=brand.pk,
            changes={"name": product.name, "skus": [row["code"] for row in sku_rows]},
        )
        search_rows_sync(product_id=product.pk)
    return product


def _sku_insert(*, product: Product, fields: dict[str, Any]) -> Sku:
    try:
        with transaction.atomic():
            return Sku.objects.create(product=product, brand_id=product.brand_id, **fields)
    except IntegrityError as exc:
        if "catalog_sku_code_unique_per_brand" in str(exc):
            raise Conflict(f"SKU 编码已存在 / SKU code {fields['code']} exists", field="code") from None
        raise


def product_update(*, actor: User, product: Product, data: dict[str, Any]) -> Product:
    fields = clean_product_fields(data, partial=True)
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        changed = {name: _jsonable(value) for name, value in fields.items() if getattr(product, name) != value}
        if not changed:
            return product
        for name in changed:
            setattr(product, name, fields[name])
        product.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="product.update", obj=product, organization_id=product.brand_id, changes=changed)
        reviewed = {k: v for k, v in changed.items() if k in REVIEWED_PRODUCT_FIELDS}
        if reviewed:
            _reopen_if_approved(product=product, actor=actor, changed=reviewed)
        search_rows_sync(product_id=product.pk)
    return product


def product_delete(*, actor: User, product: Product) -> None:
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        if product.status != CertificationStatus.DRAFT or product.decisions.exists():
            raise DomainError(
                "只能删除从未提交过的草稿 / only never-submitted drafts can be deleted", field="status", code="not_draft"
            )
        audit_record(
            actor=actor, action="product.delete", obj=product, organization_id=product.brand_id, changes={"name": product.name}
        )
        try:
            product.delete()
        except ProtectedError:
            raise Conflict(
                "商品已被佣金计划或选品引用，不能删除 / the product is referenced by plans or picks", field="product"
            ) from None


def sku_create(*, actor: User, product: Product, data: dict[str, Any]) -> Sku:
    fields = clean_sku_fields(data, partial=False)
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        sku = _sku_insert(product=product, fields=fields)
        audit_record(actor=actor, action="sku.create", obj=sku, organization_id=product.brand_id, changes={"code": sku.code})
        _reopen_if_approved(product=product, actor=actor, changed={"sku_added": sku.code})
        search_rows_sync(product_id=product.pk)
    return sku


def sku_update(*, actor: User, sku: Sku, data: dict[str, Any]) -> Sku:
    fields = clean_sku_fields(data, partial=True, current=sku)
    with transaction.atomic():
        product = product_lock(product_id=sku.product_id)
        sku = Sku.objects.get(pk=sku.pk)
        changed = {name: value for name, value in fields.items() if getattr(sku, name) != value}
        if not changed:
            return sku
        for name, value in changed.items():
            setattr(sku, name, value)
        try:
            with transaction.atomic():
                sku.save(update_fields=list(changed))
        except IntegrityError as exc:
            if "catalog_sku_code_unique_per_brand" in str(exc):
                raise Conflict(f"SKU 编码已存在 / SKU code {sku.code} exists", field="code") from None
            raise
        audit_record(actor=actor, action="sku.update", obj=sku, organization_id=product.brand_id, changes=changed)
        reviewed = {f"sku:{sku.code}:{k}": v for k, v in changed.items() if k in REVIEWED_SKU_FIELDS}
        if reviewed:
            _reopen_if_approved(product=product, actor=actor, changed=reviewed)
        search_rows_sync(product_id=product.pk)
    return sku


def sku_delete(*, actor: User, sku: Sku) -> None:
    with transaction.atomic():
        product = product_lock(product_id=sku.product_id)
        if product.skus.count() <= 1 and product.status != CertificationStatus.DRAFT:
            raise DomainError("已提交的商品至少保留一个 SKU / a submitted product keeps at least one SKU", field="sku")
        audit_record(actor=actor, action="sku.delete", obj=sku, organization_id=product.brand_id, changes={"code": sku.code})
        code = sku.code
        try:
            sku.delete()
        except ProtectedError:
            raise Conflict(
                "SKU 已被佣金计划、选品或订单引用，不能删除 / the SKU is referenced by plans, picks or orders", field="sku"
            ) from None
        _reopen_if_approved(product=product, actor=actor, changed={"sku_removed": code})
        search_rows_sync(product_id=product.pk)


def product_image_add(*, actor: User, product: Product, upload: UploadedFile) -> ProductImage:
    size = upload.size or 0
    if size > MAX_IMAGE_BYTES:
        raise DomainError(f"图片不能超过 {MAX_IMAGE_BYTES // (1024 * 1024)} MB / image larger than 5 MB", field="file")
    if size == 0:
        raise DomainError("图片为空 / empty file", field="file")
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ctype for magic, offset, ctype in IMAGE_SIGNATURES if head[offset : offset + len(magic)] == magic), None)
    if content_type is None:
        raise DomainError("只接受 JPEG、PNG、WebP 图片 / only JPEG, PNG or WebP images", field="file")
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        count = product.images.count()
        if count >= MAX_IMAGES:
            raise DomainError(f"每个商品最多 {MAX_IMAGES} 张图片 / at most {MAX_IMAGES} images", field="file")
        image = ProductImage(product=product, content_type=content_type, size_bytes=size, position=count)
        image.file.save(upload.name or "image", upload, save=False)
        try:
            image.save()
        except Exception:
            image.file.delete(save=False)
            raise
        audit_record(
            actor=actor,
            action="product.image_add",
            obj=product,
            organization_id=product.brand_id,
            changes={"file": image.file.name},
        )
        search_rows_sync(product_id=product.pk)
    return image


# ---------------------------------------------------------------------------------------------
# Certification.


def product_submit(*, actor: User, product: Product) -> Product:
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        if product.status not in (CertificationStatus.DRAFT, CertificationStatus.REJECTED):
            raise Conflict(f"当前状态 {product.status} 不能提交 / cannot submit from {product.status}", field="status")
        if not product.skus.exists():
            raise DomainError("至少需要一个 SKU 才能提交 / add at least one SKU before submitting", field="skus")
        _transition(product=product, actor=actor, action=CertificationAction.SUBMIT, to_status=CertificationStatus.SUBMITTED)
        search_rows_sync(product_id=product.pk)
    return product


def product_approve(*, actor: User, product: Product) -> Product:
    _require_reviewer(actor)
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        if product.status != CertificationStatus.SUBMITTED:
            raise Conflict(f"只能认定待审核的商品 / only submitted products can be approved ({product.status})", field="status")
        _transition(product=product, actor=actor, action=CertificationAction.APPROVE, to_status=CertificationStatus.APPROVED)
        search_rows_sync(product_id=product.pk)
    return product


def product_reject(*, actor: User, product: Product, reason: str) -> Product:
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("驳回须填写原因 / a rejection needs a reason", field="reason")
    if len(reason) > 500:
        raise DomainError("原因不能超过 500 字 / reason longer than 500 characters", field="reason")
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        if product.status != CertificationStatus.SUBMITTED:
            raise Conflict(f"只能驳回待审核的商品 / only submitted products can be rejected ({product.status})", field="status")
        _transition(
            product=product, actor=actor, action=CertificationAction.REJECT, to_status=CertificationStatus.REJECTED, reason=reason
        )
        search_rows_sync(product_id=product.pk)
    return product


# ---------------------------------------------------------------------------------------------
# Search rows.


@dataclass(frozen=True)
class SearchDocument:
    """The text columns of a product's search rows, built once per product (and per SKU spec)."""

    search_text: str
    terms_a: str  # name + spec
    terms_b: str  # brand + origin
    terms_c: str  # category path
    terms_d: str  # selling points


def search_document(
    *,
    name: str,
    spec: str,
    brand_name: str,
    origin_city: str,
    origin_county: str,
    category_names: list[str],
    selling_points: list[str],
) -> SearchDocument:
    origin = f"{origin_city}{origin_county}"
    return SearchDocument(
        search_text=" ".join([name, spec, brand_name, origin, *category_names, *selling_points]),
        terms_a=document_terms(f"{name} {spec}", with_ngrams=True),
        terms_b=document_terms(f"{brand_name} {origin_city} {origin_county}", with_ngrams=True),
        terms_c=document_terms(" ".join(category_names), with_ngrams=True),
        terms_d=document_terms(" ".join(selling_points), with_ngrams=False),
    )


SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
    " || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
)

_UPSERT_SQL = f"""
INSERT INTO catalog_sku_search (
    sku_id, product_id, brand_id, brand_name, category_id, top_category_id, product_name, spec, cover_image,
    origin_city, origin_county, is_geographic_indication, status, currency, retail_price_minor,
    commission_bps, est_earnings_minor, sales_30d, in_stock, plan_type, listed_at, search_text, search_vector
) VALUES (
    %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0, 0, false, 'open', %s, %s, {SEARCH_VECTOR_SQL}
)
ON CONFLICT (sku_id) DO UPDATE SET
    brand_name = EXCLUDED.brand_name, category_id = EXCLUDED.category_id, top_category_id = EXCLUDED.top_category_id,
    product_name = EXCLUDED.product_name, spec = EXCLUDED.spec, cover_image = EXCLUDED.cover_image,
    origin_city = EXCLUDED.origin_city, origin_county = EXCLUDED.origin_county,
    is_geographic_indication = EXCLUDED.is_geographic_indication, status = EXCLUDED.status,
    currency = EXCLUDED.currency, retail_price_minor = EXCLUDED.retail_price_minor,
    est_earnings_minor = (EXCLUDED.retail_price_minor * catalog_sku_search.commission_bps + 5000) / 10000,
    listed_at = EXCLUDED.listed_at, search_text = EXCLUDED.search_text, search_vector = EXCLUDED.search_vector
"""


def search_rows_sync(*, product_id: int) -> None:
    """Bring the product's search rows in step with the product and its SKUs (one row per SKU).
    Runs inside the caller's transaction, under the caller's product lock."""
    product = Product.objects.select_related("brand", "category__parent").get(pk=product_id)
    skus = list(product.skus.all())
    cover = product.images.order_by("position", "id").values_list("file", flat=True).first() or ""
    category = product.category
    top = category.parent or category
    category_names = [top.name, category.name] if category.parent_id else [category.name]
    listed_at = product.first_approved_at or product.created_at
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM catalog_sku_search WHERE product_id = %s AND NOT (sku_id = ANY(%s))", [product.pk, [s.pk for s in skus]]
        )
        for sku in skus:
            doc = search_document(
                name=product.name,
                spec=sku.spec,
                brand_name=product.brand.name,
                origin_city=product.origin_city,
                origin_county=product.origin_county,
                category_names=category_names,
                selling_points=list(product.selling_points),
            )
            cursor.execute(
                _UPSERT_SQL,
                [
                    sku.pk,
                    product.pk,
                    product.brand_id,
                    product.brand.name,
                    category.pk,
                    top.pk,
                    product.name,
                    sku.spec,
                    cover,
                    product.origin_city,
                    product.origin_county,
                    product.is_geographic_indication,
                    product.status,
                    sku.currency,
                    sku.retail_price_minor,
                    listed_at,
                    doc.search_text,
                    doc.terms_a,
                    doc.terms_b,
                    doc.terms_c,
                    doc.terms_d,
                ],
            )


def search_row_set_signals(
    *,
    sku_id: int,
    commission_bps: int | None = None,
    plan_type: str | None = None,
    in_stock: bool | None = None,
    sales_30d: int | None = None,
) -> None:
    """Set the columns other contexts own (see SkuSearchRow). Idempotent; keeps est_earnings in step."""
    from shuxuan.catalog.models import PlanType, SkuSearchRow

    updates: dict[str, Any] = {}
    if commission_bps is not None:
        if not 0 <= commission_bps <= 10_000:
            raise DomainError("佣金率须在 0–10000 bp / commission must be 0–10000 bp", field="commission_bps")
        updates["commission_bps"] = commission_bps
    if plan_type is not None:
        if plan_type not in PlanType.values:
            raise DomainError(f"未知计划类型 / unknown plan type {plan_type!r}", field="plan_type")
        updates["plan_type"] = plan_type
    if in_stock is not None:
        updates["in_stock"] = in_stock
    if sales_30d is not None:
        updates["sales_30d"] = max(0, sales_30d)
    if not updates:
        return
    with transaction.atomic():
        SkuSearchRow.objects.filter(pk=sku_id).update(**updates)
        if commission_bps is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE catalog_sku_search SET est_earnings_minor = (retail_price_minor * commission_bps + 5000) / 10000"
                    " WHERE sku_id = %s",
                    [sku_id],
                )
