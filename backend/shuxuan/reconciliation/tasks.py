"""Celery entry points of reconciliation: thin and idempotent (a run replaces its own results)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from shuxuan.parties.models import User
from shuxuan.reconciliation import matching
from shuxuan.reconciliation.imports import bill_import_run
from shuxuan.reconciliation.models import Source


@shared_task(name="reconciliation.reconcile")
def reconcile_task(period: str, source: str | None = None, actor_id: int | None = None) -> dict[str, object]:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    sources = [source] if source else list(Source.values)
    runs = [matching.reconcile(period=period, source=s, actor=actor) for s in sources]
    return {"period": period, "runs": [run.pk for run in runs], "exceptions": sum(run.exceptions for run in runs)}


@shared_task(name="reconciliation.reconcile_current")
def reconcile_current_task() -> dict[str, object]:
    """Nightly: reconcile the current month (skipped once it is closed)."""
    today = timezone.localdate()
    period = f"{today.year:04d}-{today.month:02d}"
    if matching.period_is_closed(today):
        return {"period": period, "skipped": "closed"}
    return reconcile_task(period)


@shared_task(name="reconciliation.bill_import_run")
def bill_import_run_task(import_id: int) -> dict[str, object]:
    """Import a queued statement file. An import that already finished is left as it is."""
    record = bill_import_run(import_id=import_id)
    return {"import": record.pk, "status": record.status, "rows_done": record.rows_done, "error": record.error}
