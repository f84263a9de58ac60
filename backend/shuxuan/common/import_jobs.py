"""What the product and bill imports that run in the background share: their states and progress.

An upload small enough (`uploads.runs_inline`) is imported in the request; a bigger one is stored
under a private media path, recorded `queued`, and imported by a Celery task that moves it to
`running`, counts `rows_done` against `rows_total` and ends `done` or `failed` with the reason.
"""

from __future__ import annotations

from django.db import models


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中 Queued"
    RUNNING = "running", "导入中 Running"
    DONE = "done", "已完成 Done"
    FAILED = "failed", "失败 Failed"


IN_FLIGHT = (ImportStatus.QUEUED, ImportStatus.RUNNING)
FINISHED = (ImportStatus.DONE, ImportStatus.FAILED)
# How often a running import writes its progress (rows between two updates of `rows_done`).
PROGRESS_EVERY = 500


def progress(*, status: str, rows_done: int, rows_total: int | None) -> float | None:
    """Rows done / rows expected, 0–1, as the order imports' `progress`; 1 once done, None while unknown."""
    if status == ImportStatus.DONE:
        return 1.0
    if not rows_total:
        return None
    return round(min(rows_done / rows_total, 1.0), 4)
