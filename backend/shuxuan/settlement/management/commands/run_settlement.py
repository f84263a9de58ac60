"""run_settlement --cutoff YYYY-MM-DD

Settles every line settleable on or before the cut-off, now, in this process (the API queues the
same work on a worker). Prints one JSON object as the last line: the run's id, state and counts.
If a run of the same cut-off was interrupted, it is resumed instead of starting another.
Exit 1 when the run fails or cannot start (another run in progress, closed period, bad date).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.common.exceptions import DomainError
from shuxuan.settlement import runs, settle
from shuxuan.settlement.models import RunState, SettlementRun


class Command(BaseCommand):
    help = "Run settlement up to a cut-off day (idempotent, resumable). Prints one JSON report as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cutoff", required=True, help="YYYY-MM-DD: settle lines settleable on or before this day")
        parser.add_argument("--chunk", type=int, default=None, help="lines per committed chunk (SETTLEMENT_CHUNK_LINES)")

    def handle(self, *args: Any, cutoff: str, chunk: int | None, **options: Any) -> None:
        try:
            try:
                day = date.fromisoformat(cutoff)
            except ValueError:
                raise DomainError(f"截止日格式应为 YYYY-MM-DD / bad --cutoff {cutoff!r}", field="cutoff") from None
            interrupted = SettlementRun.objects.filter(cutoff=day, state__in=[RunState.PENDING, RunState.RUNNING]).first()
            run = interrupted or runs.run_create(cutoff=day, actor=None)
            run, clawbacks = settle.run_settle(run_id=run.pk, chunk_lines=chunk)
        except DomainError as exc:
            self.stdout.write(json.dumps({"ok": False, "error": exc.message, "field": exc.field}, ensure_ascii=False))
            sys.exit(1)
        body = {
            "ok": run.state == RunState.DONE,
            "run": run.pk,
            "cutoff": run.cutoff.isoformat(),
            "state": run.state,
            "resumed": interrupted is not None,
            "lines_settled": run.lines_settled,
            "lines_clawed_back": run.lines_clawed_back,
            "lines_problem": run.lines_problem,
            "statements": run.statements,
            **clawbacks,
        }
        if run.error:
            body["error"] = run.error
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        if run.state != RunState.DONE:
            sys.exit(1)
