"""Reconciliation's two money thresholds, in fen, read from the settings at the moment of use (so a
test's `settings` override applies). Both are non-negative: config/settings/base.py refuses a
negative value at start-up (`env_int(..., minimum=0)`), and the defaults live there only.

* `approval_threshold`: an accepted or written-off difference whose adjustment is above it (in
  absolute value) waits for a second finance user's approval (services.exception_resolve).
* `close_threshold`: unresolved exceptions whose difference is above it (in absolute value) block
  closing the month (closing.month_close) and are counted on the board (selectors).
"""

from __future__ import annotations

from django.conf import settings


def approval_threshold() -> int:
    return int(settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR)


def close_threshold() -> int:
    return int(settings.RECONCILIATION_CLOSE_THRESHOLD_MINOR)
