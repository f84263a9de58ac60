"""import_bill --source {douyin,kuaishou,taobao,wechat,bank,stripe} FILE

Imports one statement file. Prints one JSON object as the last line: created, updated, unchanged
and rejected rows (line number and reason). Importing the same file again changes nothing. A file
of the wrong format is refused (exit 1) and writes nothing.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.common.exceptions import DomainError
from shuxuan.reconciliation.imports import bill_import_path
from shuxuan.reconciliation.models import Source


class Command(BaseCommand):
    help = "Import a platform bill, bank statement or Stripe balance export. Prints one JSON report as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("file")

    def handle(self, *args: Any, source: str, file: str, **options: Any) -> None:
        try:
            report = bill_import_path(source=source, path=file)
        except DomainError as exc:
            self.stdout.write(json.dumps({"ok": False, "error": exc.message, "field": exc.field}, ensure_ascii=False))
            sys.exit(1)
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
