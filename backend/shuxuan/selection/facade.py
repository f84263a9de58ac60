"""What other contexts may import from selection.

- `rate_for` / `RateQuote`: the commission an anchor would get on a SKU now, and why.
- `Pick`, `PlanRateVersion`, `LiveSession`: the frozen terms and sessions the orders context attributes
  order lines to (a pick's plan, version and rate never change once frozen).
- `anchor_sales_record` / `anchor_sales_record_bulk`: the orders context writes each anchor's daily
  sales per SKU here (one day, or many in one statement); the sample ROI report and GMV-stepped
  rates read them.
- `LiveSessionItem`, `LiveSessionState`: a session's lineup and state, for attributing order lines
  to the session on air; `session_create` / `LineupInput` for the orders demo's past streams.
- `rate_of_version`: the rate a version gives at a GMV level (tiers) or for ads-driven orders
  (the rate rule, selection/line_rate.py, with the SQL the orders and settlement contexts read).
"""

from dataclasses import dataclass
from datetime import datetime

from shuxuan.parties.models import User
from shuxuan.selection import selectors as _selectors
from shuxuan.selection.line_rate import (
    ADS_PATTERN,
    COMMISSION_BPS_SQL,
    pick_in_force_order,
    pick_in_force_sql,
    pick_rate_sql,
)
from shuxuan.selection.models import (
    ApplicationState,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PickState,
    PlanRateVersion,
    SampleState,
)
from shuxuan.selection.selectors import RateQuote, rate_for, rate_of_version
from shuxuan.selection.services import LineupInput, anchor_sales_record, anchor_sales_record_bulk, session_create

__all__ = [
    "LineupInput",
    "LiveSession",
    "LiveSessionItem",
    "LiveSessionState",
    "Pick",
    "PickState",
    "PlanRateVersion",
    "RateQuote",
    "anchor_sales_record",
    "anchor_sales_record_bulk",
    "rate_for",
    "rate_of_version",
    "session_create",
]

# The rate a line settles at (issue 17, settlement): one home, selection/line_rate.py — the Python
# statement of each step, the SQL fragments attribution and the terms freeze build from it.

__all__ += ["ADS_PATTERN", "COMMISSION_BPS_SQL", "pick_in_force_order", "pick_in_force_sql", "pick_rate_sql"]


# for insights (the brand desk's queues and the party homes' sessions)


def pending_application_count(*, brand_id: int) -> int:
    """Targeted-plan applications waiting for the brand's answer (its applications tab)."""
    return _selectors.application_queryset().filter(brand_id=brand_id, state=ApplicationState.PENDING).count()


def pending_sample_count(*, brand_id: int) -> int:
    """Sample requests waiting for the brand's answer (its samples tab)."""
    return _selectors.sample_queryset().filter(brand_id=brand_id, state=SampleState.PENDING).count()


@dataclass(frozen=True)
class UpcomingSession:
    id: int
    title: str
    anchor_name: str
    platform: str
    starts_at: datetime
    ends_at: datetime
    items: int


def upcoming_sessions(*, user: User, start: datetime, end: datetime, limit: int) -> list[UpcomingSession]:
    """Scheduled sessions of the anchors the user acts for (`managed_anchor_ids_q`) overlapping
    [start, end) and starting at or after `start`, in start order, at most `limit`."""
    sessions = _selectors.sessions_in_range(
        _selectors.session_queryset().filter(_selectors.managed_anchor_ids_q(user)), start=start, end=end
    ).filter(starts_at__gte=start)
    return [
        UpcomingSession(
            id=s.pk,
            title=s.title,
            anchor_name=s.anchor.name,
            platform=s.platform,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            items=len(s.items.all()),
        )
        for s in sessions[:limit]
    ]


__all__ += ["UpcomingSession", "pending_application_count", "pending_sample_count", "upcoming_sessions"]
