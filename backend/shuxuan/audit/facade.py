"""What other contexts may import from audit."""

from shuxuan.audit.services import audit_record

__all__ = ["audit_record"]
