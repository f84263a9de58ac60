"""export_statements --run ID --format {csv,xlsx} --out PATH

Writes the run's statements (CSV: one row per statement; XLSX: plus a sheet of every leg) and
prints one JSON object as the last line. Exit 1 if the run does not exist or the file cannot be written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.settlement import exports
from shuxuan.settlement.models import SettlementRun, Statement


class Command(BaseCommand):
    help = "Export a settlement run's statements as CSV or XLSX. Prints one JSON report as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", type=int, required=True, help="settlement run id")
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        parser.add_argument("--out", required=True, help="file to write")

    def handle(self, *args: Any, run: int, format: str, out: str, **options: Any) -> None:
        if not SettlementRun.objects.filter(pk=run).exists():
            self.stdout.write(json.dumps({"ok": False, "error": f"结算批次 {run} 不存在 / no run {run}"}, ensure_ascii=False))
            sys.exit(1)
        statements = list(Statement.objects.filter(run_id=run).select_related("run").order_by("payee_name", "id"))
        content = exports.statements_csv(statements) if format == "csv" else exports.statements_xlsx(statements)
        path = Path(out)
        try:
            path.write_bytes(content)
        except OSError as exc:
            self.stdout.write(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
            sys.exit(1)
        self.stdout.write(
            json.dumps(
                {"ok": True, "run": run, "format": format, "statements": len(statements), "out": str(path), "bytes": len(content)}
            )
        )
