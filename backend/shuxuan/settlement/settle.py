"""Settling a run: execute (or resume) it, then claw back over Stripe what parties now owe.

The one service the Celery task and `run_settlement` both call, so the two cannot drift."""

from __future__ import annotations

from shuxuan.settlement import payouts, runs
from shuxuan.settlement.models import RunState, SettlementRun


def run_settle(*, run_id: int, chunk_lines: int | None = None) -> tuple[SettlementRun, dict[str, int]]:
    """Execute or resume run `run_id`; when it is done, recover its clawbacks. Returns the run and
    the clawback counts (`reversed`, `advanced`; empty while the run is not done)."""
    run = runs.run_execute(run_id=run_id, chunk_lines=chunk_lines)
    if run.state != RunState.DONE:
        return run, {}
    return run, payouts.clawbacks_recover(run_id=run.pk, actor=run.requested_by)
