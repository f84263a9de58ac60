"""reconcile --period YYYY-MM [--source S]

Matches the period's bill lines of every source (or one) against the ledger. Idempotent: the
period's results are replaced, exceptions keep their state and notes. Prints one JSON object as
the last line; exit 1 on a bad period, a closed period or an unknown source.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.common.exceptions import DomainError
from shuxuan.reconciliation.matching import reconcile
from shuxuan.reconciliation.models import Source


class Command(BaseCommand):
    help = "Reconcile a month's statements against the ledger. Prints one JSON report as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--source", choices=Source.values, default=None)

    def handle(self, *args: Any, period: str, source: str | None, **options: Any) -> None:
        results = []
        try:
            for name in [source] if source else Source.values:
                run = reconcile(period=period, source=name)
                results.append(
                    {
                        "source": name,
                        "run": run.pk,
                        "lines": run.lines,
                        "groups": run.groups,
                        "matched": run.matched,
                        "exceptions": run.exceptions,
                        "seconds": run.seconds,
                    }
                )
        except DomainError as exc:
            self.stdout.write(json.dumps({"ok": False, "error": exc.message, "field": exc.field}, ensure_ascii=False))
            sys.exit(1)
        self.stdout.write(json.dumps({"ok": True, "period": period, "sources": results}, ensure_ascii=False))
