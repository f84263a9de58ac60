from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model

from shuxuan.audit.models import AuditEntry


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: Model,
    organization_id: int | None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write an audit row. Must be called inside the transaction that makes the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organization_id=organization_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )
