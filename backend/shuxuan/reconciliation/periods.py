"""A reconciliation period: a month `YYYY-MM`, and its first and last day (Asia/Shanghai)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from shuxuan.common.exceptions import DomainError
from shuxuan.reconciliation.models import PERIOD_RE


@dataclass(frozen=True)
class Window:
    period: str
    start: date
    end: date


def period_window(period: str) -> Window:
    if not isinstance(period, str) or not re.match(PERIOD_RE, period) or period[:4] == "0000":  # no year 0
        raise DomainError("会计期间格式为 YYYY-MM / period must be YYYY-MM", field="period")
    year, month = int(period[:4]), int(period[5:])
    return Window(period, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
