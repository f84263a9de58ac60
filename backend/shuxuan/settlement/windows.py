"""The after-sale window: the days after the buyer's receipt before a confirmed line is settleable
(`settleable.py`, docs/domain.md section 5 step 7), its default and its bounds, in one place.

A platform's window is `PlatformTerms.after_sale_days` (a database CHECK keeps it within the
bounds, the API field states them, `agreements.platform_terms_update` refuses a value outside
them); a line of a platform without terms waits `SETTLEMENT_AFTER_SALE_DAYS` (settings refuse a
default outside the bounds at start-up). This module imports nothing of Django's so the settings
can read it.
"""

from __future__ import annotations

AFTER_SALE_DAYS_MIN = 0
AFTER_SALE_DAYS_MAX = 90  # the longest return window a platform grants (生鲜 7 days, most 7–15)
AFTER_SALE_DAYS_DEFAULT = 7  # the platforms' common 7 天无理由退货

AFTER_SALE_DAYS_REFUSED = (
    f"售后期须为 {AFTER_SALE_DAYS_MIN}–{AFTER_SALE_DAYS_MAX} 天 / after_sale_days is {AFTER_SALE_DAYS_MIN}–{AFTER_SALE_DAYS_MAX}"
)


def after_sale_days_valid(days: object) -> bool:
    """Whether `days` is a window the project accepts: an int within the bounds."""
    return type(days) is int and AFTER_SALE_DAYS_MIN <= days <= AFTER_SALE_DAYS_MAX
