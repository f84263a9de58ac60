"""Celery entry points of the catalog: thin, take ids, idempotent (STYLE.md habit 4)."""

from __future__ import annotations

from celery import shared_task

from shuxuan.catalog.imports import product_import_run


@shared_task(name="catalog.product_import_run")
def product_import_run_task(import_id: int) -> dict[str, object]:
    """Import a queued product file. An import that already finished is left as it is."""
    record = product_import_run(import_id=import_id)
    return {"import": record.pk, "status": record.status, "rows_done": record.rows_done, "error": record.error}
