"""verify_ledger: check every rule of docs/domain.md section 4 from the raw tables, then the checks other
contexts registered. The last line of output is one JSON object; exit 1 names the first breach."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from shuxuan.ledger.checks import run_checks


class Command(BaseCommand):
    help = (
        "Check the money ledger: entries balanced per currency with >= 2 postings, no posting in a closed "
        "period, unique idempotency keys, cached balances equal to the postings, append-only triggers in "
        "place, then the checks other contexts registered. Prints one JSON object last; exits 1 on a breach."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_checks()
        failed = [result for result in results if not result.ok]
        for result in results:
            self.stdout.write(
                f"{'ok  ' if result.ok else 'FAIL'} {result.name}" + (f": {result.detail}" if result.detail else "")
            )
        breach = f"{failed[0].name}: {failed[0].detail}" if failed else None
        summary = {"ok": not failed, "checks": [result.as_dict() for result in results], "breach": breach}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if failed:
            self.stdout.flush()
            sys.exit(1)
