"""Writes of the orders context: imports (upload, file on disk, run), product mappings.

Import semantics (docs/domain.md section 7):
* every import is a batch, reporting created / updated / unchanged and the rejected rows with
  their row number and reason; a file with some bad rows lands its good rows;
* importing the same file again changes nothing (its lines' facts are unchanged);
* a file in the wrong format (its header is not the source's) is refused with a clear message
  before anything is written — at upload time for the API, before the batch exists for the command.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog.facade import Sku
from shuxuan.common import uploads
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.uploads import UploadLimits, check_size, stream_sha256, stream_size
from shuxuan.orders.adapters import Parsed, WrongFormat, adapter_for
from shuxuan.orders.adapters.base import sniff_kind, table_rows, validate_encoding
from shuxuan.orders.adapters.second_process import AVAILABLE as ahead_available
from shuxuan.orders.adapters.second_process import parse_ahead
from shuxuan.orders.attribution import PATTERN_PARAMS, lateral_joins
from shuxuan.orders.importer import CHUNK_ROWS, Importer
from shuxuan.orders.models import (
    AttributionIssue,
    BatchKind,
    BatchState,
    EventKind,
    ImportBatch,
    PlatformProductMapping,
    RejectedRow,
    Source,
)
from shuxuan.orders.sales import anchor_sales_recompute, sales_key
from shuxuan.parties.models import Platform, User

REPORT_REJECTED_LIMIT = 10_000


@dataclass
class ImportReport:
    batch: int | None
    ok: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unattributed: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_count: int = 0
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": self.ok,
            "batch": self.batch,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unattributed": self.unattributed,
            "rejected": self.rejected,
        }
        if self.rejected_count > len(self.rejected):
            body["rejected_total"] = self.rejected_count
        if self.error:
            body["error"] = self.error
        return body


def batch_report(batch: ImportBatch) -> ImportReport:
    rejected = [
        {"line": line, "reason": reason}
        for line, reason in RejectedRow.objects.filter(batch=batch)
        .order_by("line", "id")
        .values_list("line", "reason")[:REPORT_REJECTED_LIMIT]
    ]
    return ImportReport(
        batch=batch.pk,
        ok=batch.state == BatchState.DONE,
        created=batch.created,
        updated=batch.updated,
        unchanged=batch.unchanged,
        unattributed=batch.unattributed,
        rejected=rejected,
        rejected_count=batch.rejected,
        error=batch.error,
    )


def _source(source: str) -> str:
    if source not in Source.values:
        raise DomainError(f"未知来源 {source!r} / unknown platform; one of {', '.join(Source.values)}", field="platform")
    return source


def _check_format(source: str, stream: IO[bytes]) -> None:
    """Read up to the first row, then decode the whole file: raises WrongFormat when the header is
    not the source's or when any byte is not text (a file is refused whole, before any row is written)."""
    stream.seek(0)
    parsed = adapter_for(source).parse(stream)
    try:
        next(parsed, None)
    finally:
        parsed.close()  # type: ignore[attr-defined]
        stream.seek(0)
    validate_encoding(stream)


def _check_limits(stream: IO[bytes]) -> int | None:
    """Refuse a CSV over the upload limits before it is stored: every row and cell, in one pass of
    the csv module (an XLSX's zip was checked with its header; its rows are checked as the import
    streams them). Returns the data rows of a CSV (for progress), else None."""
    if sniff_kind(stream) != "csv":
        return None
    try:
        rows = sum(1 for _row in table_rows(stream))
    finally:
        stream.seek(0)
    return max(rows - 1, 0)


def estimate_rows(stream: IO[bytes]) -> int | None:
    """Data rows in the file, for progress: newlines less the header (CSV), the sheet's extent (XLSX)."""
    return None if sniff_kind(stream) == "json" else uploads.estimate_rows(stream)


# Creating batches ------------------------------------------------------------------------------


def batch_create_from_upload(*, actor: User, source: str, upload: UploadedFile) -> tuple[ImportBatch, bool]:
    """Store an uploaded file as a pending batch and enqueue its import after commit.

    Returns (batch, created). Uploading a file again while the same file (same source, same bytes)
    is still queued or running returns that batch instead of importing it twice.
    """
    source = _source(source)
    stream: IO[bytes] = upload.file  # type: ignore[assignment]
    check_size(stream_size(stream), UploadLimits.of("orders"))  # before the header is read
    _check_format(source, stream)
    csv_rows = _check_limits(stream)
    sha = stream_sha256(stream)
    with transaction.atomic():
        in_flight = (
            ImportBatch.objects.select_for_update()
            .filter(source=source, sha256=sha, state__in=[BatchState.PENDING, BatchState.RUNNING])
            .first()
        )
        if in_flight is not None:
            return in_flight, False
        batch = ImportBatch(
            source=source, kind=BatchKind.FILE, file_name=(upload.name or "upload")[:255], sha256=sha, uploaded_by=actor
        )
        batch.rows_total = csv_rows if csv_rows is not None else estimate_rows(stream)
        batch.stored_file.save(sha, upload, save=False)
        batch.save()
        audit_record(
            actor=actor,
            action="orders.import_uploaded",
            obj=batch,
            organization_id=actor.organization_id,
            changes={"source": source, "file_name": batch.file_name, "sha256": sha},
        )
    return batch, True


def import_path(*, source: str, path: Path, actor: User | None = None, chunk_rows: int = CHUNK_ROWS) -> ImportReport:
    """Import a file on disk now (the `import_orders` command). A wrong format creates no batch."""
    source = _source(source)
    with path.open("rb") as stream:
        _check_format(source, stream)
        batch = ImportBatch.objects.create(
            source=source,
            kind=BatchKind.FILE,
            file_name=path.name[:255],
            sha256=stream_sha256(stream),
            uploaded_by=actor,
            rows_total=estimate_rows(stream),
        )
    return batch_run(batch_id=batch.pk, path=path, chunk_rows=chunk_rows)


def import_stream(
    *, source: str, stream: IO[bytes], file_name: str, actor: User | None = None, chunk_rows: int = CHUNK_ROWS
) -> ImportReport:
    """Import bytes already in hand (a file built in memory, such as the demo's orders) now, as
    `import_path` does a file on disk. A wrong format creates no batch."""
    source = _source(source)
    _check_format(source, stream)
    batch = ImportBatch.objects.create(
        source=source,
        kind=BatchKind.FILE,
        file_name=file_name[:255],
        sha256=stream_sha256(stream),
        uploaded_by=actor,
        rows_total=estimate_rows(stream),
    )
    claimed = _claim(batch.pk)
    assert claimed is not None
    try:
        import_items(batch=claimed, items=adapter_for(source).parse(stream), chunk_rows=chunk_rows)
    except (DomainError, OSError) as exc:
        return batch_fail(batch=claimed, error=getattr(exc, "message", None) or str(exc))
    return batch_report(ImportBatch.objects.get(pk=batch.pk))


# Running batches -------------------------------------------------------------------------------


def _claim(batch_id: int) -> ImportBatch | None:
    """Mark the batch running, or None when it already finished (the task is idempotent)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.state in (BatchState.DONE, BatchState.FAILED):
            return None
        # A batch found running was interrupted: its rows are re-read and its counts rebuilt.
        RejectedRow.objects.filter(batch=batch).delete()
        batch.state = BatchState.RUNNING
        batch.started_at = timezone.now()
        batch.rows_done = batch.created = batch.updated = batch.unchanged = batch.rejected = batch.unattributed = 0
        batch.save()
    return batch


def batch_run(*, batch_id: int, path: Path | None = None, chunk_rows: int = CHUNK_ROWS) -> ImportReport:
    """Import a batch's file. Safe to call twice: a finished batch is reported, not re-imported."""
    batch = _claim(batch_id)
    if batch is None:
        return batch_report(ImportBatch.objects.get(pk=batch_id))
    try:
        local = path if path is not None else _local_path(batch)
        threshold = settings.ORDERS_PARSE_AHEAD_MIN_ROWS
        if ahead_available and local is not None and threshold and (batch.rows_total or 0) >= threshold:
            import_items(batch=batch, items=parse_ahead(batch.source, local), chunk_rows=chunk_rows)
        else:
            stream = path.open("rb") if path is not None else batch.stored_file.open("rb")
            with stream:
                import_items(batch=batch, items=adapter_for(batch.source).parse(stream), chunk_rows=chunk_rows)
    except (DomainError, OSError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        return batch_fail(batch=batch, error=message)
    return batch_report(ImportBatch.objects.get(pk=batch.pk))


def _local_path(batch: ImportBatch) -> Path | None:
    """The stored file's path when the storage keeps files on this machine."""
    try:
        return Path(batch.stored_file.path)
    except NotImplementedError:
        return None


def import_items(*, batch: ImportBatch, items: Iterable[Parsed], chunk_rows: int = CHUNK_ROWS) -> ImportBatch:
    """Apply parsed items (from a file or an API pull) to the order lines and finish the batch."""
    counts = Importer(batch, chunk_rows=chunk_rows).run(items)
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.DONE, finished_at=timezone.now())
        batch.refresh_from_db()
        audit_record(
            actor=batch.uploaded_by,
            action="orders.import_finished",
            obj=batch,
            organization_id=batch.uploaded_by.organization_id if batch.uploaded_by else None,
            changes={
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "rejected": counts.rejected,
            },
        )
    return batch


def batch_fail(*, batch: ImportBatch, error: str) -> ImportReport:
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED, error=error[:5000], finished_at=timezone.now())
        batch.refresh_from_db()
        audit_record(
            actor=batch.uploaded_by,
            action="orders.import_failed",
            obj=batch,
            organization_id=batch.uploaded_by.organization_id if batch.uploaded_by else None,
            changes={"error": error[:500]},
        )
    return batch_report(batch)


# Product mappings --------------------------------------------------------------------------------


_FILL_SQL = f"""
WITH found AS (
    SELECT l.id, pk.id AS pick_id, pk.plan_id, pk.rate_bps,
           CASE WHEN l.live_session_id IS NULL THEN ls.id END AS new_session_id
    FROM orders_orderline l
    {lateral_joins(anchor="l.anchor_id", sku="%(sku)s", platform="l.platform", paid_at="l.paid_at", media_type="l.media_type")}
    WHERE l.platform = %(platform)s AND l.platform_product_id = %(product)s AND l.sku_id IS NULL
), filled AS (
    UPDATE orders_orderline AS l
    SET sku_id = %(sku)s,
        attribution_issues = array_remove(l.attribution_issues, %(issue)s),
        unattributed = cardinality(array_remove(l.attribution_issues, %(issue)s)) > 0,
        pick_id = f.pick_id,
        plan_id = f.plan_id,
        rate_bps = f.rate_bps,
        live_session_id = coalesce(l.live_session_id, f.new_session_id),
        updated_at = %(now)s
    FROM found f
    WHERE l.id = f.id
    RETURNING l.id, l.anchor_id, l.paid_at, f.pick_id, f.plan_id, f.rate_bps, f.new_session_id
), events AS (
    INSERT INTO orders_orderlineevent
        (line_id, batch_id, kind, from_status, to_status, amount_minor, occurred_at, recorded_at, changes)
    SELECT id, NULL, %(kind)s, '', '', NULL, NULL, %(now)s,
           %(changes)s::jsonb || jsonb_strip_nulls(jsonb_build_object(
               'pick_id', pick_id, 'plan_id', plan_id, 'rate_bps', rate_bps, 'live_session_id', new_session_id
           ))
    FROM filled
)
SELECT anchor_id, paid_at FROM filled
"""


def product_mapping_create(*, actor: User, platform: str, platform_product_id: str, sku_id: int) -> PlatformProductMapping:
    """Map a platform product to a SKU, and give the lines of that product that had no SKU this one.

    Attribution already made is never rewritten; only lines without a SKU are filled, and with the
    SKU they get the pick, plan, rate and live session that applied at their pay time (the rule of
    orders/attribution.py, in one statement), each line with an `attributed` event naming what was
    filled. The anchors' daily sales of the filled lines are recomputed.
    """
    if platform not in Platform.values:
        raise DomainError(f"未知平台 {platform!r} / unknown platform", field="platform")
    product_id = platform_product_id.strip()
    if not product_id:
        raise DomainError("商品ID为空 / the platform product id is empty", field="platform_product_id")
    sku = Sku.objects.filter(pk=sku_id).first()
    if sku is None:
        raise DomainError("SKU 不存在 / no such SKU", field="sku")
    now = timezone.now()
    try:
        with transaction.atomic():
            mapping = PlatformProductMapping.objects.create(
                platform=platform, platform_product_id=product_id, sku=sku, created_by=actor
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    _FILL_SQL,
                    {
                        "sku": sku.pk,
                        "issue": AttributionIssue.SKU_UNMAPPED.value,
                        "now": now,
                        "platform": platform,
                        "product": product_id,
                        "kind": EventKind.ATTRIBUTED.value,
                        "changes": json.dumps({"sku_id": sku.pk, "mapping_id": mapping.pk}),
                        **PATTERN_PARAMS,
                    },
                )
                filled = cursor.fetchall()
                anchor_sales_recompute(cursor, filter(None, (sales_key(anchor, sku.pk, paid) for anchor, paid in filled)))
            audit_record(
                actor=actor,
                action="orders.product_mapped",
                obj=mapping,
                organization_id=actor.organization_id,
                changes={
                    "platform": platform,
                    "platform_product_id": product_id,
                    "sku_id": sku.pk,
                    "lines_filled": len(filled),
                },
            )
    except IntegrityError:
        raise Conflict("该商品已映射 / this platform product is already mapped", field="platform_product_id") from None
    return mapping


__all__ = [
    "ImportReport",
    "WrongFormat",
    "batch_create_from_upload",
    "batch_fail",
    "batch_report",
    "batch_run",
    "import_items",
    "import_path",
    "import_stream",
    "product_mapping_create",
]
