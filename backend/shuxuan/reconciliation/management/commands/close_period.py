"""close_period --period YYYY-MM [--override-reason TEXT] [--reopen --reason TEXT --user USERNAME]

Closes a month: refused (exit 1) while exceptions above RECONCILIATION_CLOSE_THRESHOLD_MINOR are
unresolved, unless an override reason is given; snapshots balances, stock value and the
reconciliation status; locks the period against postings. `--reopen` needs an operator owner
(`--user`) and a reason. Prints one JSON object as the last line.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import User
from shuxuan.reconciliation.closing import month_close, month_reopen


class Command(BaseCommand):
    help = "Close (or reopen) an accounting month. Prints one JSON report as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--override-reason", default="", help="close although exceptions above the threshold remain")
        parser.add_argument("--user", default=None, help="username acting (an operator owner for overrides and reopening)")
        parser.add_argument("--reopen", action="store_true")
        parser.add_argument("--reason", default="", help="why the period is reopened")

    def handle(
        self, *args: Any, period: str, override_reason: str, user: str | None, reopen: bool, reason: str, **options: Any
    ) -> None:
        try:
            actor = None
            if user:
                actor = User.objects.select_related("organization").filter(username=user).first()
                if actor is None:
                    raise DomainError(f"用户 {user} 不存在 / no such user", field="user")
            if reopen:
                if actor is None:
                    raise DomainError("重开须指定负责人 --user / reopening needs --user (an owner)", field="user")
                record = month_reopen(period=period, actor=actor, reason=reason)
            else:
                record = month_close(period=period, actor=actor, override_reason=override_reason)
        except DomainError as exc:
            self.stdout.write(
                json.dumps({"ok": False, "error": exc.message, "field": exc.field, "code": exc.code}, ensure_ascii=False)
            )
            sys.exit(1)
        snapshot = record.snapshot or {}
        body = {
            "ok": True,
            "period": record.period,
            "state": record.state,
            "open_exceptions": record.open_exceptions,
            "override_reason": record.override_reason,
            "trial_balance_totals": snapshot.get("trial_balance_totals", {}),
            "carried_forward": len(snapshot.get("carried_forward", [])),
        }
        self.stdout.write(json.dumps(body, ensure_ascii=False))
