"""What other contexts may import from audit."""

from shuxuan.audit.services import audit_record

__all__ = ["audit_record"]


# for insights (the homes' recent activity)

from dataclasses import dataclass
from datetime import datetime

from shuxuan.audit.models import AuditEntry


@dataclass(frozen=True)
class ActivityEntry:
    """One audit row as the homes show it. `object_type` and `object_id` let the SPA name the
    object in the UI language: `object_repr` is the model's str(), often a machine note."""

    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str


def recent_activity(*, organization_id: int | None, everything: bool = False, limit: int = 10) -> list[ActivityEntry]:
    """The latest audit rows, newest first: the organization's own, or everyone's (`everything`)."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if not everything:
        entries = entries.filter(organization_id=organization_id or 0)
    return [
        ActivityEntry(
            at=e.at,
            actor=e.actor.username if e.actor else None,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_repr=e.object_repr,
        )
        for e in entries[:limit]
    ]


__all__ += ["ActivityEntry", "recent_activity"]
