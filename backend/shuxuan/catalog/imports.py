"""Bulk import of a brand's products and SKUs from CSV (UTF-8 or GB18030) or XLSX (first sheet).

The first row names the columns (English or Chinese header, any order); one row per SKU:

    sku_code        SKU编码       required  the brand's own code; with the brand it is the import key
    product_name    商品名称      required  rows with the same name form one product
    category        类目          required  category code (e.g. condiment.doubanjiang) or leaf name (豆瓣酱)
    spec            规格          required  e.g. 500g 袋装
    supply_price    供货价        required  yuan, e.g. 9.80 (a leading ¥ and thousands commas are accepted)
    retail_price    建议零售价    required  yuan
    min_live_price  直播最低价    required  yuan
    max_live_price  直播最高价    required  yuan
    currency        币种          optional  ISO code, default CNY
    origin_city     产地市州      required  a Sichuan prefecture (成都市; 成都 and 凉山州 are accepted)
    origin_county   产地区县      optional  a county of that prefecture (former names such as 郫县 are accepted)
    is_geographic_indication 地理标志 optional 是/否, true/false, 1/0
    shelf_life_days 保质期天数    optional  positive integer
    ship_from       发货仓        optional  free text
    selling_points  卖点          optional  separated by ； ; or |
    description     商品描述      optional

Every row is validated before anything is written. A file with any bad row is refused whole: nothing
is written and the report lists every problem as {line, field, reason} (line 1 is the header). A good
file lands in one transaction through the catalog services, so an approved product whose price or
description changes goes back to review. Re-importing the same file changes nothing: rows whose SKU
(brand + SKU code) exists with equal values count as unchanged. New products are created as drafts.
Returns {created, updated, unchanged, rejected: [{line, field, reason}]}, counted per SKU row.

A file at or under IMPORT_INLINE_MAX_BYTES and IMPORT_INLINE_MAX_ROWS is imported in the request;
a bigger one is stored (privately) as a `ProductImport` and imported by a Celery task
(`product_import_run`) that counts the rows it has checked in `rows_done` and ends `done` with
the report, or `failed` with the rejected rows or the reason (nothing written either way).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog import services
from shuxuan.catalog.models import Category, Product, ProductImport, Sku
from shuxuan.common.exceptions import DomainError
from shuxuan.common.import_jobs import IN_FLIGHT, PROGRESS_EVERY, ImportStatus
from shuxuan.common.money import MoneyError, to_minor
from shuxuan.common.uploads import UploadLimits, check_size, csv_rows, estimate_rows, excerpt, runs_inline, xlsx_rows
from shuxuan.parties.models import User

COLUMNS: dict[str, tuple[str, ...]] = {
    "sku_code": ("sku编码", "sku 编码", "sku code"),
    "product_name": ("商品名称", "name"),
    "category": ("类目",),
    "spec": ("规格",),
    "supply_price": ("供货价",),
    "retail_price": ("建议零售价", "零售价"),
    "min_live_price": ("直播最低价",),
    "max_live_price": ("直播最高价",),
    "currency": ("币种",),
    "origin_city": ("产地市州", "产地城市", "产地"),
    "origin_county": ("产地区县",),
    "is_geographic_indication": ("地理标志", "gi"),
    "shelf_life_days": ("保质期天数", "保质期"),
    "ship_from": ("发货仓",),
    "selling_points": ("卖点",),
    "description": ("商品描述", "描述"),
}
REQUIRED = (
    "sku_code",
    "product_name",
    "category",
    "spec",
    "supply_price",
    "retail_price",
    "min_live_price",
    "max_live_price",
    "origin_city",
)
PRODUCT_COLUMNS = (
    "category",
    "origin_city",
    "origin_county",
    "is_geographic_indication",
    "shelf_life_days",
    "ship_from",
    "selling_points",
    "description",
)
TRUE_WORDS = {"是", "true", "yes", "y", "1"}
FALSE_WORDS = {"否", "false", "no", "n", "0", ""}


@dataclass
class Rejection:
    line: int
    field: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"line": r.line, "field": r.field, "reason": r.reason} for r in self.rejected],
        }


@dataclass
class _Row:
    line: int
    product_name: str
    product: dict[str, Any]  # cleaned product fields (without name)
    sku: dict[str, Any]  # cleaned SKU fields


# ---------------------------------------------------------------------------------------------
# Reading.


def read_table(*, filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty data row. DomainError(field="file") if unreadable
    or over an upload limit (size, rows below the header, a cell's length: common/uploads.py)."""
    raw_rows = _raw_rows(filename=filename, content=content)
    header = _header(next(raw_rows, None))
    rows = []
    for offset, cells in enumerate(raw_rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((offset, {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header) if col}))
    return rows


def check_file(*, filename: str, content: bytes) -> int:
    """Refuse a file that cannot be read, lacks a required column or breaks an upload limit (rows
    below the header, a cell's length), reading it only as far as the first breach; returns the
    number of rows below the header. A product file is small by its row limit (5,000 by default),
    so the whole pass takes well under a second: the upload answers the limit at once instead of
    queueing a file the task would refuse."""
    raw_rows = _raw_rows(filename=filename, content=content)
    try:
        _header(next(raw_rows, None))
        return sum(1 for _ in raw_rows)
    finally:
        raw_rows.close()  # type: ignore[attr-defined]


def _raw_rows(*, filename: str, content: bytes) -> Iterator[list[str]]:
    limits = UploadLimits.of("products")
    check_size(len(content), limits)
    if not content:
        raise DomainError("文件为空 / the file is empty", field="file")
    is_xlsx = filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04"
    return _xlsx_rows(content, limits) if is_xlsx else _csv_rows(content, limits)


def _header(first: list[str] | None) -> list[str]:
    if first is None:
        raise DomainError("文件没有表头 / the file has no header row", field="file")
    header = [_canonical_column(cell) for cell in first]
    missing = [col for col in REQUIRED if col not in header]
    if missing:
        raise DomainError(f"缺少列 / missing columns: {', '.join(missing)}", field="file")
    return header


def _canonical_column(name: str) -> str:
    key = name.strip().lower().lstrip("\ufeff")
    for column, aliases in COLUMNS.items():
        if key == column or key in aliases:
            return column
    return ""


def _csv_rows(content: bytes, limits: UploadLimits) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise DomainError("无法识别文件编码 / unreadable encoding (use UTF-8 or GB18030)", field="file")
    if "\x00" in text:
        raise DomainError("不是 CSV 或 XLSX 文件 / not a CSV or XLSX file", field="file")
    for row in csv_rows(io.StringIO(text, newline=""), limits):
        yield [cell.replace("\t", "") for cell in row]


def _xlsx_rows(content: bytes, limits: UploadLimits) -> Iterator[list[str]]:
    for row in xlsx_rows(io.BytesIO(content), limits):
        yield [_cell_text(value) for value in row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # The spreadsheet stores numbers as binary floats; their shortest repr is the typed decimal.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


# ---------------------------------------------------------------------------------------------
# Validation.


def _money(text: str, currency: str) -> int:
    cleaned = text.replace("¥", "").replace("￥", "").replace(",", "").strip()
    if not cleaned:
        raise DomainError("必填 / required")
    try:
        return to_minor(Decimal(cleaned), currency)
    except (MoneyError, ArithmeticError, ValueError):
        raise DomainError(f"{excerpt(text)} 不是金额 / not an amount") from None


def _bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise DomainError(f"{excerpt(text)} 应为 是/否 / expected yes or no")


def _category_lookup() -> dict[str, Category]:
    lookup: dict[str, Category] = {}
    categories = list(Category.objects.all())
    leaf_names = [c.name for c in categories if not any(o.parent_id == c.pk for o in categories)]
    for category in categories:
        lookup[category.code.lower()] = category
        if leaf_names.count(category.name) == 1:
            lookup.setdefault(category.name, category)
    return lookup


def _validate_row(line: int, raw: dict[str, str], categories: dict[str, Category]) -> tuple[_Row | None, list[Rejection]]:
    problems: list[Rejection] = []

    def check(column: str, parse: Any) -> Any:
        try:
            return parse()
        except DomainError as exc:
            problems.append(Rejection(line, exc.field or column, exc.message))
            return None

    for column in REQUIRED:
        if not raw.get(column):
            problems.append(Rejection(line, column, "必填 / required"))
    if problems:
        return None, problems
    currency = (raw.get("currency") or "CNY").upper()
    prices = {
        f"{column}_minor": check(column, lambda column=column: _money(raw[column], currency))
        for column in ("supply_price", "retail_price", "min_live_price", "max_live_price")
    }
    category = categories.get(raw["category"].lower()) or categories.get(raw["category"])
    if category is None:
        problems.append(Rejection(line, "category", f"类目 {excerpt(raw['category'])} 不存在 / no such category"))
    is_gi = check("is_geographic_indication", lambda: _bool(raw.get("is_geographic_indication", "")))
    shelf_life: int | None = None
    if raw.get("shelf_life_days"):
        if raw["shelf_life_days"].isdigit() and int(raw["shelf_life_days"]) > 0:
            shelf_life = int(raw["shelf_life_days"])
        else:
            problems.append(Rejection(line, "shelf_life_days", "保质期须为正整数天 / a positive number of days"))
    points = [p.strip() for p in raw.get("selling_points", "").replace("；", ";").replace("|", ";").split(";") if p.strip()]
    if problems:
        return None, problems
    product_data = {
        "category": category,
        "name": raw["product_name"],
        "origin_city": raw["origin_city"],
        "origin_county": raw.get("origin_county", ""),
        "is_geographic_indication": is_gi,
        "shelf_life_days": shelf_life,
        "ship_from": raw.get("ship_from", ""),
        "selling_points": points,
        "description": raw.get("description", ""),
    }
    product = check("product", lambda: services.clean_product_fields(product_data, partial=False))
    sku = check(
        "sku",
        lambda: services.clean_sku_fields(
            {"code": raw["sku_code"], "spec": raw["spec"], "currency": currency, **prices}, partial=False
        ),
    )
    if problems or product is None or sku is None:
        return None, problems
    name = product.pop("name")
    return _Row(line=line, product_name=name, product=product, sku=sku), []


def _validate(rows: list[_Row], brand_id: int) -> tuple[dict[str, list[_Row]], dict[str, Sku], list[Rejection]]:
    """Group rows into products and check them against each other and against the brand's SKUs."""
    problems: list[Rejection] = []
    seen_codes: dict[str, int] = {}
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        code = row.sku["code"].upper()
        if code in seen_codes:
            problems.append(
                Rejection(row.line, "sku_code", f"与第 {seen_codes[code]} 行 SKU 编码重复 / duplicates line {seen_codes[code]}")
            )
            continue
        seen_codes[code] = row.line
        group = groups.setdefault(row.product_name, [])
        if group:
            first = group[0]
            for column in PRODUCT_COLUMNS:
                if row.product.get(column) != first.product.get(column):
                    problems.append(
                        Rejection(
                            row.line,
                            column,
                            f"与第 {first.line} 行同一商品的 {column} 不一致 / differs from line {first.line} (same product)",
                        )
                    )
                    break
        group.append(row)
    # Codes match case-insensitively, as the unique constraint (upper(code), brand) does.
    existing: dict[str, Sku] = {
        sku.code.upper(): sku
        for sku in Sku.objects.annotate(code_upper=Upper("code")).filter(brand_id=brand_id, code_upper__in=list(seen_codes))
    }
    for name, group in groups.items():
        products = {existing[r.sku["code"].upper()].product_id for r in group if r.sku["code"].upper() in existing}
        if len(products) > 1:
            problems.append(
                Rejection(
                    group[0].line,
                    "sku_code",
                    f"商品 {name} 的 SKU 分属多个已有商品 / its SKUs belong to different existing products",
                )
            )
    return groups, existing, problems


# ---------------------------------------------------------------------------------------------
# The service.


def product_import(
    *, actor: User, filename: str, content: bytes, on_checked: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Check every row, then write the whole file in one transaction (or nothing, with the rejected rows).
    `on_checked(rows_checked, rows_total)` is called every PROGRESS_EVERY rows checked and once at the end."""
    brand = services.require_brand_member(actor)
    table = read_table(filename=filename, content=content)
    categories = _category_lookup()
    report = ImportReport()
    rows: list[_Row] = []
    for checked, (line, raw) in enumerate(table, start=1):
        row, problems = _validate_row(line, raw, categories)
        report.rejected += problems
        if row:
            rows.append(row)
        if on_checked is not None and checked % PROGRESS_EVERY == 0:
            on_checked(checked, len(table))
    if on_checked is not None:
        on_checked(len(table), len(table))
    groups, existing, problems = _validate(rows, brand.pk)
    report.rejected += problems
    if report.rejected:
        report.rejected.sort(key=lambda r: (r.line, r.field))
        return report
    with transaction.atomic():
        for name, group in groups.items():
            _apply_group(actor=actor, name=name, group=group, existing=existing, report=report)
    return report


# ---------------------------------------------------------------------------------------------
# Uploads: now when small, else in the background.


@dataclass
class UploadOutcome:
    """An upload's answer: the report of a file imported now, or the queued record."""

    report: ImportReport | None = None
    queued: ProductImport | None = None
    newly_queued: bool = False  # the caller queues its task (`tasks.product_import_run_task`)


def product_import_upload(*, actor: User, upload: UploadedFile) -> UploadOutcome:
    """Import a small file now; store a bigger one and queue it (its header and limits checked first). The same
    bytes uploaded again by the brand while their import is queued or running answer that import."""
    brand = services.require_brand_member(actor)
    check_size(upload.size, UploadLimits.of("products"))  # before the file is read into memory
    filename = (upload.name or "upload")[:255]
    content = upload.read()
    if runs_inline(len(content), estimate_rows(io.BytesIO(content))):
        return UploadOutcome(report=product_import(actor=actor, filename=filename, content=content))
    rows = check_file(filename=filename, content=content)
    sha = hashlib.sha256(content).hexdigest()
    in_flight = ProductImport.objects.filter(brand=brand, sha256=sha, status__in=IN_FLIGHT).first()
    if in_flight is not None:
        return UploadOutcome(queued=in_flight)
    try:
        with transaction.atomic():
            record = ProductImport(
                brand=brand,
                uploaded_by=actor,
                filename=filename,
                sha256=sha,
                rows_total=rows,
            )
            upload.seek(0)
            record.stored_file.save(sha, upload, save=False)
            record.save()
            audit_record(
                actor=actor,
                action="catalog.product_import_queued",
                obj=record,
                organization_id=brand.pk,
                changes={"file": filename, "sha256": sha},
            )
    except IntegrityError:  # the same bytes at the same moment: that upload's import
        return UploadOutcome(queued=ProductImport.objects.get(brand=brand, sha256=sha, status__in=IN_FLIGHT))
    return UploadOutcome(queued=record, newly_queued=True)


def _claim(import_id: int) -> ProductImport | None:
    """Mark the import running, or None when it already finished (the task is idempotent)."""
    with transaction.atomic():
        record = ProductImport.objects.select_for_update().get(pk=import_id)
        if record.status not in IN_FLIGHT:
            return None
        # Found running: the worker was lost before the one write transaction committed; start over.
        record.status, record.started_at, record.rows_done = ImportStatus.RUNNING, timezone.now(), 0
        record.save(update_fields=["status", "started_at", "rows_done"])
    return record


def product_import_run(*, import_id: int) -> ProductImport:
    """Import a queued product file. A finished import is left as it is."""
    record = _claim(import_id)
    if record is None:
        return ProductImport.objects.get(pk=import_id)

    def checked(done: int, total: int) -> None:
        ProductImport.objects.filter(pk=record.pk).update(rows_done=done, rows_total=total)

    try:
        with record.stored_file.open("rb") as stream:
            content = stream.read()
        report = product_import(actor=record.uploaded_by, filename=record.filename, content=content, on_checked=checked)
    except (DomainError, OSError) as exc:
        return _finish(record, ImportReport(), error=getattr(exc, "message", None) or str(exc))
    if report.rejected:
        count = len(report.rejected)
        return _finish(record, report, error=f"{count} 处错误，整个文件未导入 / {count} problems; nothing was imported")
    return _finish(record, report, error="")


def _finish(record: ProductImport, report: ImportReport, *, error: str) -> ProductImport:
    body = report.as_dict()
    with transaction.atomic():
        ProductImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED if error else ImportStatus.DONE,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=body["rejected"],
            error=error[:5000],
            finished_at=timezone.now(),
        )
        record.refresh_from_db()
        audit_record(
            actor=record.uploaded_by,
            action="catalog.product_import_failed" if error else "catalog.product_import_finished",
            obj=record,
            organization_id=record.brand_id,
            changes={"created": report.created, "updated": report.updated, "rejected": len(report.rejected)},
        )
    return record


def _apply_group(*, actor: User, name: str, group: list[_Row], existing: dict[str, Sku], report: ImportReport) -> None:
    matched = next((existing[r.sku["code"].upper()] for r in group if r.sku["code"].upper() in existing), None)
    if matched is None:
        services.product_create(actor=actor, data={"name": name, **group[0].product}, skus=[r.sku for r in group])
        report.created += len(group)
        return
    product = Product.objects.get(pk=matched.product_id)
    wanted = {"name": name, **group[0].product}
    product_changed = any(
        (getattr(product, f"{key}_id") != value.pk) if key == "category" else getattr(product, key) != value
        for key, value in wanted.items()
    )
    if product_changed:
        services.product_update(actor=actor, product=product, data=wanted)
    for row in group:
        sku = existing.get(row.sku["code"].upper())
        if sku is None:
            services.sku_create(actor=actor, product=product, data=row.sku)
            report.created += 1
            continue
        changes = {k: v for k, v in row.sku.items() if getattr(sku, k) != v}
        if changes:
            services.sku_update(actor=actor, sku=sku, data=changes)
        if changes or product_changed:
            report.updated += 1
        else:
            report.unchanged += 1
