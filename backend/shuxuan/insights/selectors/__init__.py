"""Home-page figures per role: what each role acts on. Each function reads only what the caller's
organization may see, and every figure comes from the selector the linked page uses (through that
context's facade), so the home and the page show the same number.

One module per home: `brand`, `party` (MCN, service provider, anchor), `finance`, `operator`
(operator and observer, with the supply desk's figures); `home` picks one and adds the header
and the recent activity; `_shared` holds the card and chart shapes."""

from __future__ import annotations

from shuxuan.insights.selectors.brand import brand_queues, brand_sales
from shuxuan.insights.selectors.finance import finance_figures
from shuxuan.insights.selectors.home import home_summary
from shuxuan.insights.selectors.operator import supply_figures
from shuxuan.insights.selectors.party import party_earnings, upcoming_sessions

__all__ = [
    "brand_queues",
    "brand_sales",
    "finance_figures",
    "home_summary",
    "party_earnings",
    "supply_figures",
    "upcoming_sessions",
]
