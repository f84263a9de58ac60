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

from shuxuan.selection.models import LiveSession, LiveSessionItem, LiveSessionState, Pick, PickState, PlanRateVersion
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
from shuxuan.selection.line_rate import (
    ADS_PATTERN,
    COMMISSION_BPS_SQL,
    pick_in_force_order,
    pick_in_force_sql,
    pick_rate_sql,
)

__all__ += ["ADS_PATTERN", "COMMISSION_BPS_SQL", "pick_in_force_order", "pick_in_force_sql", "pick_rate_sql"]
