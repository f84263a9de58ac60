"""import_orders --platform {douyin,kuaishou,taobao,wechat,generic} FILE

Imports one order file now and prints one JSON object as the last line:
{"ok": …, "batch": …, "created": …, "updated": …, "unchanged": …, "unattributed": …,
 "rejected": [{"line": …, "reason": …}]}. Rejected rows are reported and the rest of the file
lands; exit status 0. A file in the wrong format (or missing) is refused, writes nothing and exits 1.
--strict also exits 1 when any row was rejected (the good rows have still landed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuxuan.common.exceptions import DomainError
from shuxuan.orders.models import Source
from shuxuan.orders.services import import_path
from shuxuan.parties.models import User


class Command(BaseCommand):
    help = (
        "Import an order file from a sales platform (CSV/XLSX/JSON as the platform exports it, or the generic CSV: "
        "backend/shuxuan/orders/GENERIC_FORMAT.md). Prints one JSON report as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, choices=Source.values, help="which source format the file is in")
        parser.add_argument("file", help="path of the file to import")
        parser.add_argument("--user", help="username recorded as the uploader (optional)")
        parser.add_argument("--strict", action="store_true", help="exit 1 when any row is rejected")

    def handle(self, *args: Any, platform: str, file: str, user: str | None, strict: bool, **options: Any) -> None:
        path = Path(file)
        actor = None
        try:
            if user:
                actor = User.objects.filter(username=user).first()
                if actor is None:
                    raise DomainError(f"no such user {user!r}")
            if not path.is_file():
                raise DomainError(f"文件不存在 / no such file: {path}")
            report = import_path(source=platform, path=path, actor=actor)
        except DomainError as exc:
            self.stdout.write(json.dumps({"ok": False, "batch": None, "error": exc.message}, ensure_ascii=False))
            sys.exit(1)
        body = report.as_json()
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        if not report.ok or (strict and report.rejected_count):
            sys.exit(1)
