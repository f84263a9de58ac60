"""Celery entry points: thin, take ids, idempotent (STYLE.md habit 4)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from shuxuan.orders import connectors, services


@shared_task(name="orders.import_batch_run")
def import_batch_run(batch_id: int) -> dict[str, Any]:
    """Import an uploaded batch. A batch that already finished is reported, not imported again."""
    return services.batch_run(batch_id=batch_id).as_json() | {"rejected": None}


@shared_task(name="orders.connector_pull")
def connector_pull(platform: str) -> dict[str, Any]:
    """Pull one platform's orders updated since its stored cursor, and import them."""
    return connectors.connector_pull(platform=platform)


@shared_task(name="orders.connector_pull_all")
def connector_pull_all() -> list[str]:
    """The beat task: enqueue one pull per platform configured in SHUXUAN_ORDER_CONNECTORS."""
    platforms = connectors.configured_platforms()
    for platform in platforms:
        connector_pull.delay(platform)
    return platforms
