"""When an order line is settleable, and to what basis: the rule once in Python and once in SQL.

A run settles each line to its *target* basis at the cut-off (docs/domain.md section 5, step 7):

- a line paid after the cut-off keeps what it has settled (nothing new is due);
- a refunded or invalid line settles to zero (a clawback of whatever was settled);
- a line with phases (定金 / 尾款) settles the phases due by the cut-off, at most what is left
  after refunds;
- a line the platform says settled before the cut-off, or whose receipt was confirmed and whose
  after-sale window (the platform's `after_sale_days`, else SETTLEMENT_AFTER_SALE_DAYS; default and
  bounds in windows.py) ended before the cut-off, settles what the buyer kept (the full basis less
  refunds, not below zero);
- any other line settles nothing more, and a refund since can only lower what it settled.

`settleable_basis` states the rule for one line; `TARGET_SQL` is the same rule as the CASE the run's
chunk query and count evaluate for millions of lines. `tests/test_settleable.py` evaluates both
over a grid of lines and cut-offs and requires the same answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# The basis a line is settleable to by the run's cut-off (`t` its terms, `l` the order line, `pt`
# its platform's terms, `ph` its phases), shared by the chunk query and the count.
TARGET_SQL = """
CASE
  WHEN l.paid_at >= %(cutoff_end)s THEN t.settled_basis_minor
  WHEN l.status IN ('refunded', 'invalid') THEN 0
  WHEN ph.phases IS NOT NULL THEN LEAST(GREATEST(t.full_basis_minor - l.refunded_minor, 0), ph.due)
  WHEN (l.status = 'settled' AND l.settled_at < %(cutoff_end)s)
    OR (l.status IN ('confirmed', 'settled') AND l.confirmed_at IS NOT NULL
        AND l.confirmed_at + make_interval(days => COALESCE(pt.after_sale_days, %(after_sale_days)s))
            < %(cutoff_end)s)
  THEN GREATEST(t.full_basis_minor - l.refunded_minor, 0)
  ELSE LEAST(t.settled_basis_minor, GREATEST(t.full_basis_minor - l.refunded_minor, 0))
END::bigint"""

# A line's phases: how many, and the basis due by the cut-off.
PHASES_SQL = """
SELECT p.line_id, count(*) AS phases,
       COALESCE(sum(p.basis_minor) FILTER (WHERE p.settleable_on <= %(cutoff)s), 0)::bigint AS due
FROM settlement_settlementphase p"""


SETTLES_TO_ZERO = ("refunded", "invalid")
CONFIRMED = ("confirmed", "settled")


def settleable_basis(
    *,
    status: str,
    paid_at: datetime,
    confirmed_at: datetime | None,
    settled_at: datetime | None,
    full_basis: int,
    refunded: int,
    settled_basis: int,
    phases_due: int | None,
    after_sale_days: int,
    cutoff_end: datetime,
) -> int:
    """The basis one line is settleable to at `cutoff_end` (the first instant after the cut-off
    day). `phases_due` is None for a line without phases, else the basis its phases make due by the
    cut-off; `after_sale_days` is the platform's window (or the default)."""
    kept = max(full_basis - refunded, 0)
    if paid_at >= cutoff_end:
        return settled_basis
    if status in SETTLES_TO_ZERO:
        return 0
    if phases_due is not None:
        return min(kept, phases_due)
    settled_by_platform = status == "settled" and settled_at is not None and settled_at < cutoff_end
    window_over = status in CONFIRMED and confirmed_at is not None and confirmed_at + timedelta(days=after_sale_days) < cutoff_end
    if settled_by_platform or window_over:
        return kept
    return min(settled_basis, kept)
