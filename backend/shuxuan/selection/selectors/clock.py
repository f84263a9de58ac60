"""Asia/Shanghai days and months (the wall clock every selection rule counts in), and the plan types' precedence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shuxuan.catalog.facade import PlanType

SHANGHAI = ZoneInfo("Asia/Shanghai")
TYPE_RANK = {PlanType.EXCLUSIVE: 3, PlanType.TARGETED: 2, PlanType.OPEN: 1}


def local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def _shown(at: datetime) -> str:
    """An instant as a person reads it: Asia/Shanghai wall clock to the minute."""
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def next_local_midnight(at: datetime) -> datetime:
    """The start of the next natural day in Asia/Shanghai after `at`."""
    return datetime.combine(local_day(at) + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def month_start(at: datetime) -> date:
    return local_day(at).replace(day=1)


def month_bounds(at: datetime) -> tuple[datetime, datetime]:
    """[first instant of the Asia/Shanghai month of `at`, first instant of the next month)."""
    first = month_start(at)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time.min, tzinfo=SHANGHAI), datetime.combine(following, time.min, tzinfo=SHANGHAI)
