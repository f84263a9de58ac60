"""Celery entry points of settlement: thin, idempotent, taking ids."""

from __future__ import annotations

from celery import shared_task

from shuxuan.settlement import runs


@shared_task(name="settlement.run_execute")
def run_execute_task(run_id: int) -> dict[str, object]:
    run = runs.run_execute(run_id=run_id)
    return {"run": run.pk, "state": run.state, "lines_settled": run.lines_settled}


@shared_task(name="settlement.runs_resume_stale")
def runs_resume_stale_task() -> list[int]:
    return runs.runs_resume_stale()
