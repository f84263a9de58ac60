"""Statement imports: a file of one source in, bill lines out, idempotently.

The same bytes of the same source are recognised by their sha256 and are one import. Rows are
keyed by the source's own natural key, so an overlapping or corrected file updates the rows that
changed and leaves the rest; a key repeated within one file is kept as `<key>#2`, `#3` … (in file
order, so a re-import gives the same keys) — matching reports those as duplicates in the bill.
A file of the wrong format raises WrongFormat before anything is written.

Two paths. `bill_import` reads and writes a file in one transaction (the `import_bill` command,
and an upload at or under IMPORT_INLINE_MAX_BYTES / _ROWS). A bigger upload is checked (size,
format and header), stored and recorded `queued` (`bill_import_upload`); the task
`bill_import_run` decodes the whole file and, for a CSV, reads it once within the limits before
it writes anything (ADR 0012: a file whose bytes stop being text at line N fails naming line N
and writes no line), then writes `BATCH` rows per transaction, moving `rows_done`. What stops it
after a chunk was committed (an XLSX row over a limit, the worker lost) fails the record naming
the last line read; the committed lines are correct as the file states them, and uploading the
file again runs it again (the upserts are idempotent).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.common.import_jobs import IN_FLIGHT, PROGRESS_EVERY, ImportStatus
from shuxuan.common.tables import sniff_kind, table_rows, validate_encoding
from shuxuan.common.uploads import UploadLimits, check_size, estimate_rows, runs_inline, stream_sha256, stream_size
from shuxuan.reconciliation.models import BillImport, BillLine, Source
from shuxuan.reconciliation.parsers import LINE_FIELDS, PARSERS, BillRow, Rejected

BATCH = 5_000


@dataclass
class ImportReport:
    source: str
    filename: str
    import_id: int | None = None
    already_imported: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": True,
            "source": self.source,
            "file": self.filename,
            "import": self.import_id,
            "already_imported": self.already_imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


@dataclass
class UploadOutcome:
    """An upload's answer: the report of a file imported now (or before), or the queued record."""

    report: ImportReport | None = None
    queued: BillImport | None = None
    newly_queued: bool = False  # the caller queues its task (`tasks.bill_import_run_task`)


def _period(row: BillRow) -> str:
    return f"{row.occurred_on.year:04d}-{row.occurred_on.month:02d}"


def _source(source: str) -> str:
    if source not in Source.values:
        raise DomainError(f"未知来源 {source!r}，可选 {', '.join(Source.values)} / unknown source", field="source")
    return source


def _already_imported(previous: BillImport, filename: str) -> ImportReport:
    return ImportReport(
        source=previous.source,
        filename=filename,
        import_id=previous.pk,
        already_imported=True,
        unchanged=previous.created + previous.updated + previous.unchanged,
        rejected=list(previous.rejected),
    )


def _read(source: str, stream: IO[bytes], report: ImportReport) -> Iterator[BillRow]:
    """The file's rows with their keys made unique in file order; rejected rows go to the report."""
    seen: dict[str, int] = {}
    for parsed in PARSERS[source].parse(stream):
        if isinstance(parsed, Rejected):
            report.rejected.append({"line": parsed.line, "reason": parsed.reason})
            continue
        count = seen.get(parsed.natural_key, 0) + 1
        seen[parsed.natural_key] = count
        if count > 1:
            parsed.natural_key = f"{parsed.natural_key}#{count}"
        yield parsed


def _nothing_readable(report: ImportReport) -> DomainError:
    first = report.rejected[0]
    return DomainError(f"没有可导入的行：{first['reason']} (第 {first['line']} 行) / no row could be read", field="file")


def bill_import(*, source: str, stream: IO[bytes], filename: str, actor: Any = None) -> ImportReport:
    """Import one statement file of `source` now, in one transaction. Returns created/updated/unchanged/rejected counts."""
    source = _source(source)
    check_size(stream_size(stream), UploadLimits.of("bills"))
    content = stream.read()
    if not content:
        raise DomainError("文件为空 / the file is empty", field="file")
    sha = hashlib.sha256(content).hexdigest()
    previous = BillImport.objects.filter(source=source, sha256=sha).first()
    if previous is not None and previous.status == ImportStatus.DONE:
        return _already_imported(previous, filename)
    if previous is not None:
        raise DomainError(
            f"同一文件的导入 #{previous.pk} 状态为 {previous.status}，请重新上传 / import #{previous.pk} of these bytes is "
            f"{previous.status}; upload the file to run it",
            field="file",
        )
    report = ImportReport(source=source, filename=filename)
    rows = list(_read(source, io.BytesIO(content), report))
    if not rows and report.rejected:
        raise _nothing_readable(report)
    now = timezone.now()
    with transaction.atomic():
        record, created = BillImport.objects.get_or_create(
            source=source,
            sha256=sha,
            defaults={
                "filename": filename[:255],
                "imported_by": actor if getattr(actor, "pk", None) else None,
                "status": ImportStatus.DONE,
                "started_at": now,
            },
        )
        if not created:  # a concurrent import of the same file won
            report.import_id, report.already_imported, report.unchanged = record.pk, True, len(rows)
            return report
        for start in range(0, len(rows), BATCH):
            _upsert(source, record, rows[start : start + BATCH], report)
        record.created, record.updated, record.unchanged = report.created, report.updated, report.unchanged
        record.rejected = report.rejected
        record.rows_total = record.rows_done = len(rows) + len(report.rejected)
        record.finished_at = timezone.now()
        record.save(update_fields=["created", "updated", "unchanged", "rejected", "rows_total", "rows_done", "finished_at"])
        audit_record(
            actor=actor,
            action="reconciliation.bill_import",
            obj=record,
            organization_id=getattr(actor, "organization_id", None),
            changes={"source": source, "file": filename, "created": report.created, "updated": report.updated},
        )
    report.import_id = record.pk
    return report


def _check_upload(source: str, stream: IO[bytes]) -> None:
    """Size, then the header (the parser raises WrongFormat before its first row)."""
    check_size(stream_size(stream), UploadLimits.of("bills"))
    stream.seek(0)
    if not stream.read(1):
        raise DomainError("文件为空 / the file is empty", field="file")
    stream.seek(0)
    parsed = PARSERS[source].parse(stream)
    try:
        next(parsed, None)
    finally:
        parsed.close()  # type: ignore[attr-defined]
        stream.seek(0)


def bill_import_upload(*, source: str, upload: UploadedFile, actor: Any) -> UploadOutcome:
    """An uploaded statement: imported now when small, else stored and queued for `bill_import_run`.

    The same bytes of the same source stay one import: a file imported before is reported
    (nothing changes), one queued or running answers its record, and one whose import failed is
    queued again."""
    source = _source(source)
    stream: IO[bytes] = upload.file  # type: ignore[assignment]
    _check_upload(source, stream)
    sha = stream_sha256(stream)
    filename = (upload.name or "upload")[:255]
    previous = BillImport.objects.filter(source=source, sha256=sha).first()
    if previous is not None and previous.status == ImportStatus.DONE:
        return UploadOutcome(report=_already_imported(previous, filename))
    if previous is not None:
        record, requeued = _requeue(previous, upload=upload, actor=actor)
        return UploadOutcome(queued=record, newly_queued=requeued)
    rows = estimate_rows(stream)
    if runs_inline(stream_size(stream), rows):
        return UploadOutcome(report=bill_import(source=source, stream=stream, filename=filename, actor=actor))
    try:
        with transaction.atomic():
            record = BillImport(
                source=source,
                sha256=sha,
                filename=filename,
                status=ImportStatus.QUEUED,
                rows_total=rows,
                imported_by=actor if getattr(actor, "pk", None) else None,
            )
            record.stored_file.save(sha, upload, save=False)
            record.save()
            _queued(record, actor=actor)
    except IntegrityError:  # the same bytes were uploaded at the same moment: that upload's record
        return UploadOutcome(queued=BillImport.objects.get(source=source, sha256=sha))
    return UploadOutcome(queued=record, newly_queued=True)


def _requeue(previous: BillImport, *, upload: UploadedFile, actor: Any) -> tuple[BillImport, bool]:
    """The record again, and whether it was queued again (it had failed)."""
    with transaction.atomic():
        record = BillImport.objects.select_for_update().get(pk=previous.pk)
        if record.status in IN_FLIGHT:
            return record, False
        if record.status == ImportStatus.FAILED:
            if not record.stored_file:
                record.stored_file.save(record.sha256, upload, save=False)
            record.status, record.error, record.rows_done = ImportStatus.QUEUED, "", 0
            record.started_at = record.finished_at = None
            record.save()
            _queued(record, actor=actor)
            return record, True
    return record, False


def _queued(record: BillImport, *, actor: Any) -> None:
    audit_record(
        actor=actor,
        action="reconciliation.bill_import_queued",
        obj=record,
        organization_id=getattr(actor, "organization_id", None),
        changes={"source": record.source, "file": record.filename, "sha256": record.sha256},
    )


# The background run -----------------------------------------------------------------------------


def _claim(import_id: int) -> BillImport | None:
    """Mark the import running, or None when it already finished (the task is idempotent)."""
    with transaction.atomic():
        record = BillImport.objects.select_for_update().get(pk=import_id)
        if record.status not in IN_FLIGHT:
            return None
        # Found running: the worker was lost; the file is read again and its counts rebuilt.
        record.status, record.started_at, record.error = ImportStatus.RUNNING, timezone.now(), ""
        record.rows_done = record.created = record.updated = record.unchanged = 0
        record.rejected = []
        record.save()
    return record


def _check_whole_file(stream: IO[bytes]) -> int | None:
    """Before the first write: every byte is text (naming the line of the first that is not), and a
    CSV's rows and cells keep to the limits (one pass of the limited reader; it also counts the rows
    for progress). An XLSX's rows are checked as they are read. Returns a CSV's data rows."""
    validate_encoding(stream)
    if sniff_kind(stream) != "csv":
        return None
    try:
        return max(sum(1 for _row in table_rows(stream, kind="bills")) - 1, 0)
    finally:
        stream.seek(0)


def bill_import_run(*, import_id: int) -> BillImport:
    """Import a queued statement file in chunks, moving `rows_done`. A finished import is left as it is."""
    record = _claim(import_id)
    if record is None:
        return BillImport.objects.get(pk=import_id)
    report = ImportReport(source=record.source, filename=record.filename, import_id=record.pk)
    last_line = 0
    written = False
    try:
        with record.stored_file.open("rb") as stream:
            rows_total = _check_whole_file(stream)
            if rows_total is not None:
                BillImport.objects.filter(pk=record.pk).update(rows_total=rows_total)
            chunk: list[BillRow] = []
            for row in _read(record.source, stream, report):
                chunk.append(row)
                last_line = row.line
                if len(chunk) >= BATCH:
                    _write_chunk(record, chunk, report)
                    written, chunk = True, []
                elif len(chunk) % PROGRESS_EVERY == 0:
                    read = report.created + report.updated + report.unchanged + len(chunk) + len(report.rejected)
                    BillImport.objects.filter(pk=record.pk).update(rows_done=read)
            if chunk:
                _write_chunk(record, chunk, report)
                written = True
        if not written and report.rejected:
            raise _nothing_readable(report)
    except (DomainError, OSError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        if written:
            message += f"（已写入至第 {last_line} 行，导入在此停止 / the import stopped after line {last_line}）"
        return _fail(record, error=message, report=report)
    return _finish(record, report)


def _write_chunk(record: BillImport, chunk: list[BillRow], report: ImportReport) -> None:
    with transaction.atomic():
        _upsert(record.source, record, chunk, report)
        BillImport.objects.filter(pk=record.pk).update(
            rows_done=report.created + report.updated + report.unchanged + len(report.rejected),
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )


def _finish(record: BillImport, report: ImportReport) -> BillImport:
    with transaction.atomic():
        read = report.created + report.updated + report.unchanged + len(report.rejected)
        BillImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.DONE,
            rows_done=read,
            rows_total=read,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
            finished_at=timezone.now(),
        )
        record.refresh_from_db()
        audit_record(
            actor=record.imported_by,
            action="reconciliation.bill_import",
            obj=record,
            organization_id=record.imported_by.organization_id if record.imported_by else None,
            changes={"source": record.source, "file": record.filename, "created": report.created, "updated": report.updated},
        )
    return record


def _fail(record: BillImport, *, error: str, report: ImportReport) -> BillImport:
    with transaction.atomic():
        BillImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED, error=error[:5000], rejected=report.rejected, finished_at=timezone.now()
        )
        record.refresh_from_db()
        audit_record(
            actor=record.imported_by,
            action="reconciliation.bill_import_failed",
            obj=record,
            organization_id=record.imported_by.organization_id if record.imported_by else None,
            changes={"error": error[:500]},
        )
    return record


def _upsert(source: str, record: BillImport, rows: list[BillRow], report: ImportReport) -> None:
    existing = {
        line.natural_key: line
        for line in BillLine.objects.select_for_update().filter(source=source, natural_key__in=[r.natural_key for r in rows])
    }
    new: list[BillLine] = []
    changed: list[BillLine] = []
    for row in rows:
        fingerprint = row.fingerprint()
        values = _line_values(row, fingerprint)
        line = existing.get(row.natural_key)
        if line is None:
            new.append(BillLine(source=source, natural_key=row.natural_key, bill_import=record, **values))
        elif line.fingerprint == fingerprint:
            report.unchanged += 1
        else:
            for name, value in values.items():
                setattr(line, name, value)
            line.bill_import = record
            changed.append(line)
    BillLine.objects.bulk_create(new)
    if changed:
        BillLine.objects.bulk_update(changed, [*LINE_FIELDS[2:], "bill_import"])
    report.created += len(new)
    report.updated += len(changed)


def _line_values(row: BillRow, fingerprint: str) -> dict[str, Any]:
    """The BillLine columns of a row after its key (`LINE_FIELDS[2:]`, in that order)."""
    return {
        "line_no": row.line,
        "occurred_on": row.occurred_on,
        "period": _period(row),
        "order_id": row.order_id,
        "request_no": row.request_no,
        "reference": row.reference[:200],
        "phase": row.phase[:32],
        "counterparty": row.counterparty[:200],
        "kind": row.kind[:32],
        "currency": row.currency,
        "gross_minor": row.gross_minor,
        "fee_minor": row.fee_minor,
        "commission_minor": row.commission_minor,
        "net_minor": row.net_minor,
        "fingerprint": fingerprint,
        "raw": row.raw,
    }


def bill_import_path(*, source: str, path: Path | str, actor: Any = None) -> ImportReport:
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"文件不存在 / no such file: {path}", field="file")
    with path.open("rb") as handle:
        return bill_import(source=source, stream=handle, filename=path.name, actor=actor)
