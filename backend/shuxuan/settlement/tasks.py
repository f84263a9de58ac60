"""Celery entry points of settlement: thin, idempotent, taking ids."""

from __future__ import annotations

from celery import shared_task

from shuxuan.settlement import payouts, runs
from shuxuan.settlement.models import RunState


@shared_task(name="settlement.run_execute")
def run_execute_task(run_id: int) -> dict[str, object]:
    """Execute or resume a run; when it is done, claw back over Stripe what parties now owe."""
    run = runs.run_execute(run_id=run_id)
    result: dict[str, object] = {"run": run.pk, "state": run.state, "lines_settled": run.lines_settled}
    if run.state == RunState.DONE:
        result |= payouts.clawbacks_recover(run_id=run.pk, actor=run.requested_by)
    return result


@shared_task(name="settlement.runs_resume_stale")
def runs_resume_stale_task() -> list[int]:
    return runs.runs_resume_stale()


@shared_task(name="settlement.terms_freeze")
def terms_freeze_task() -> int:
    """Lines imported since the last call get their pay-time terms (and so an estimated split)."""
    from shuxuan.settlement.terms import terms_freeze

    return terms_freeze()
