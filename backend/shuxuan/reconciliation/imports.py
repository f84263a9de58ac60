"""Statement imports: a file of one source in, bill lines out, idempotently.

The same bytes of the same source are recognised by their sha256 and change nothing. Rows are
keyed by the source's own natural key, so an overlapping or corrected file updates the rows that
changed and leaves the rest; a key repeated within one file is kept as `<key>#2`, `#3` … (in file
order, so a re-import gives the same keys) — matching reports those as duplicates in the bill.
A file of the wrong format raises WrongFormat before anything is written.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.common.uploads import UploadLimits, check_size, stream_size
from shuxuan.reconciliation.models import BillImport, BillLine, Source
from shuxuan.reconciliation.parsers import PARSERS, BillRow, Rejected

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


def _period(row: BillRow) -> str:
    return f"{row.occurred_on.year:04d}-{row.occurred_on.month:02d}"


def bill_import(*, source: str, stream: IO[bytes], filename: str, actor: Any = None) -> ImportReport:
    """Import one statement file of `source`. Returns created/updated/unchanged/rejected counts."""
    if source not in Source.values:
        raise DomainError(f"未知来源 {source!r}，可选 {', '.join(Source.values)} / unknown source", field="source")
    check_size(stream_size(stream), UploadLimits.of("bills"))
    content = stream.read()
    if not content:
        raise DomainError("文件为空 / the file is empty", field="file")
    sha = hashlib.sha256(content).hexdigest()
    report = ImportReport(source=source, filename=filename)
    previous = BillImport.objects.filter(source=source, sha256=sha).first()
    if previous is not None:
        report.import_id = previous.pk
        report.already_imported = True
        report.unchanged = previous.created + previous.updated + previous.unchanged
        report.rejected = list(previous.rejected)
        return report
    rows: list[BillRow] = []
    seen: dict[str, int] = {}
    for parsed in PARSERS[source].parse(io.BytesIO(content)):
        if isinstance(parsed, Rejected):
            report.rejected.append({"line": parsed.line, "reason": parsed.reason})
            continue
        count = seen.get(parsed.natural_key, 0) + 1
        seen[parsed.natural_key] = count
        if count > 1:
            parsed.natural_key = f"{parsed.natural_key}#{count}"
        rows.append(parsed)
    if not rows and report.rejected:
        raise DomainError(
            f"没有可导入的行：{report.rejected[0]['reason']} (第 {report.rejected[0]['line']} 行) / no row could be read",
            field="file",
        )
    with transaction.atomic():
        record, created = BillImport.objects.get_or_create(
            source=source,
            sha256=sha,
            defaults={"filename": filename[:255], "imported_by": actor if getattr(actor, "pk", None) else None},
        )
        if not created:  # a concurrent import of the same file won
            report.import_id, report.already_imported, report.unchanged = record.pk, True, len(rows)
            return report
        for start in range(0, len(rows), BATCH):
            _upsert(source, record, rows[start : start + BATCH], report)
        record.created, record.updated, record.unchanged = report.created, report.updated, report.unchanged
        record.rejected = report.rejected
        record.save(update_fields=["created", "updated", "unchanged", "rejected"])
        audit_record(
            actor=actor,
            action="reconciliation.bill_import",
            obj=record,
            organization_id=getattr(actor, "organization_id", None),
            changes={"source": source, "file": filename, "created": report.created, "updated": report.updated},
        )
    report.import_id = record.pk
    return report


def _upsert(source: str, record: BillImport, rows: list[BillRow], report: ImportReport) -> None:
    existing = {
        line.natural_key: line
        for line in BillLine.objects.select_for_update().filter(source=source, natural_key__in=[r.natural_key for r in rows])
    }
    new: list[BillLine] = []
    changed: list[BillLine] = []
    for row in rows:
        fingerprint = row.fingerprint()
        values = {
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
        BillLine.objects.bulk_update(changed, [*values.keys(), "bill_import"])
    report.created += len(new)
    report.updated += len(changed)


def bill_import_path(*, source: str, path: Path | str, actor: Any = None) -> ImportReport:
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"文件不存在 / no such file: {path}", field="file")
    with path.open("rb") as handle:
        return bill_import(source=source, stream=handle, filename=path.name, actor=actor)
