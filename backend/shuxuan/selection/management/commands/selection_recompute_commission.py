"""selection_recompute_commission: recompute every search row's commission_bps / plan_type from the
plans in force now. Prints one JSON object as its last line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from shuxuan.selection.services import commission_signals_recompute_all


class Command(BaseCommand):
    help = "Recompute the selection center's commission columns (commission_bps, plan_type) for every SKU."

    def handle(self, *args: Any, **options: Any) -> None:
        count = commission_signals_recompute_all()
        self.stdout.write(json.dumps({"ok": True, "skus": count}))
