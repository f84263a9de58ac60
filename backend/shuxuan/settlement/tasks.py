"""Celery entry points of settlement: thin, idempotent, taking ids. Callers queue work through
the `*_enqueue` functions here, so no service module imports this one."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from shuxuan.settlement import runs, settle
from shuxuan.settlement.terms import terms_freeze


@shared_task(name="settlement.run_execute")
def run_execute_task(run_id: int) -> dict[str, object]:
    """Execute or resume a run; when it is done, claw back over Stripe what parties now owe."""
    run, clawbacks = settle.run_settle(run_id=run_id)
    return {"run": run.pk, "state": run.state, "lines_settled": run.lines_settled} | clawbacks


def run_enqueue(run_id: int) -> None:
    """Queue a run for a worker once the caller's transaction commits."""
    transaction.on_commit(lambda: run_execute_task.delay(run_id))


@shared_task(name="settlement.runs_resume_stale")
def runs_resume_stale_task() -> list[int]:
    """The sweep: queue again every active run that no worker is executing (`runs.runs_resume_stale`)."""
    queued = runs.runs_resume_stale()
    for run_id in queued:
        run_execute_task.delay(run_id)
    return queued


@shared_task(name="settlement.terms_freeze")
def terms_freeze_task() -> int:
    """Lines imported since the last call get their pay-time terms (and so an estimated split)."""
    return terms_freeze()
