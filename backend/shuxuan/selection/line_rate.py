"""The commission rate an order line settles at: the rule once in Python and once in SQL.

One rate, fixed at four moments (docs/domain.md section 6, "anchor commission"):

1. **A plan's version gives a rate** (`rate_of_version`): an ads-driven order takes the version's
   ads rate when it has one (tiers do not step it); otherwise the rate stepped by the anchor's
   month GMV tiers.
2. **A pick freezes it** (`selection/services/picks.py::_freeze`): the rate its quote gave and the
   version's ads rate, both kept on the pick, never changed once frozen.
3. **Attribution gives the line its pick's rate** (`orders/attribution.py`, set-based at import):
   the pick in force when the buyer paid — the latest frozen at or before `paid_at` and not
   removed by then (`pick_in_force` / `pick_in_force_sql`) — and of its two rates the ads rate when
   the line is ads-driven and the pick has one, else its rate (`pick_rate` / `pick_rate_sql`).
   A line is ads-driven when its traffic-source text names paid traffic (`is_ads_driven` /
   `ads_driven_sql`, `ADS_PATTERN`).
4. **The freeze of the line's terms settles at it** (`settlement/terms.py`): the line's rate, else
   the rate the platform reports, else 0 (`commission_bps` / `COMMISSION_BPS_SQL`).

The ads rule itself (an ads-driven order with an ads rate takes it) is `takes_ads_rate` /
`takes_ads_rate_sql`, which steps 1 and 3 share.
`selection/tests/test_line_rate.py` evaluates the SQL and the Python over a grid (rates, ads and
ordinary traffic, picks re-frozen after a version change, removed picks, platform rates) and
requires the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxuan.selection.models import PlanRateVersion

# PostgreSQL regular expression (case-insensitive `~*`); \m and \M are word starts and ends.
ADS_PATTERN = r"(千川|付费|广告|投流|鲁班|qianchuan|\mads?\M|\mpaid\M)"
# The same expression for Python's `re`: \m is a boundary before a word character, \M after one.
_ADS_RE = re.compile(ADS_PATTERN.replace(r"\m", r"\b(?=\w)").replace(r"\M", r"\b(?<=\w)"), re.IGNORECASE)


def takes_ads_rate(*, ads: bool, ads_rate_bps: int | None) -> bool:
    """The ads rule: an ads-driven order takes the ads rate when there is one."""
    return ads and ads_rate_bps is not None


def takes_ads_rate_sql(*, ads: str, ads_rate_bps: str) -> str:
    """`takes_ads_rate` of two SQL expressions (a boolean and a nullable rate)."""
    return f"{ads} AND {ads_rate_bps} IS NOT NULL"


def is_ads_driven(media_type: str | None) -> bool:
    """Whether a line's traffic-source text names paid traffic (Douyin export 流量来源 / 订单来源,
    the generic file's `media_type`): 千川, 付费, 广告, 投流, 鲁班, qianchuan, ads, paid."""
    return _ADS_RE.search(media_type or "") is not None


def ads_driven_sql(media_type: str) -> str:
    """`is_ads_driven` of the SQL expression `media_type` (parameter `ads_pattern`: ADS_PATTERN)."""
    return f"coalesce({media_type}, '') ~* %(ads_pattern)s"


def rate_of_version(version: PlanRateVersion, *, gmv_minor: int = 0, ads: bool = False) -> tuple[int, int | None]:
    """(rate in bp, the tier threshold that gave it or None). Ads-driven orders use the ads rate when
    the version has one (tiers do not step it)."""
    if takes_ads_rate(ads=ads, ads_rate_bps=version.ads_rate_bps):
        assert version.ads_rate_bps is not None
        return version.ads_rate_bps, None
    rate, threshold = version.rate_bps, None
    for tier in sorted(version.tiers or [], key=lambda t: t["min_gmv_minor"]):
        if gmv_minor >= tier["min_gmv_minor"]:
            rate, threshold = tier["rate_bps"], tier["min_gmv_minor"]
    return rate, threshold


@dataclass(frozen=True)
class FrozenPick:
    """What attribution reads of a pick: when it was frozen (None: never), removed, and its rates."""

    id: int
    frozen_at: datetime | None
    removed_at: datetime | None
    rate_bps: int
    ads_rate_bps: int | None


def pick_in_force(picks: list[FrozenPick], paid_at: datetime) -> FrozenPick | None:
    """The anchor's pick of the SKU in force when the buyer paid: frozen at or before `paid_at` and
    not removed by then; of several, the latest frozen (then the latest created)."""
    live = [
        p
        for p in picks
        if p.frozen_at is not None and p.frozen_at <= paid_at and (p.removed_at is None or p.removed_at > paid_at)
    ]
    return max(live, key=lambda p: (p.frozen_at, p.id), default=None)


def pick_in_force_sql(*, pick: str, paid_at: str) -> str:
    """`pick_in_force`'s condition on the pick row `pick` for the SQL expression `paid_at`; order the
    rows by `pick_in_force_order` and take the first."""
    return f"{pick}.frozen_at <= {paid_at} AND ({pick}.removed_at IS NULL OR {pick}.removed_at > {paid_at})"


def pick_in_force_order(pick: str) -> str:
    """The ORDER BY that makes the first row `pick_in_force`'s choice."""
    return f"{pick}.frozen_at DESC, {pick}.id DESC"


def pick_rate(*, rate_bps: int, ads_rate_bps: int | None, media_type: str | None) -> int:
    """The rate a line takes from its pick: the ads rate when the line is ads-driven and the pick has
    one, else the pick's rate."""
    if takes_ads_rate(ads=is_ads_driven(media_type), ads_rate_bps=ads_rate_bps):
        assert ads_rate_bps is not None
        return ads_rate_bps
    return rate_bps


def pick_rate_sql(*, pick: str, media_type: str) -> str:
    """`pick_rate` of the pick row `pick` for the line whose traffic source is the SQL expression
    `media_type`."""
    takes_ads = takes_ads_rate_sql(ads=ads_driven_sql(media_type), ads_rate_bps=f"{pick}.ads_rate_bps")
    return f"CASE WHEN {takes_ads} THEN {pick}.ads_rate_bps ELSE {pick}.rate_bps END"


def commission_bps(*, line_rate_bps: int | None, platform_rate_bps: int | None) -> int:
    """The commission a line's terms are frozen with: its pick's rate (attribution), else the rate the
    platform reports (platform-affiliate orders), else none."""
    if line_rate_bps is not None:
        return line_rate_bps
    if platform_rate_bps is not None:
        return platform_rate_bps
    return 0


# `commission_bps` of the order line `l` (orders_orderline: rate_bps from attribution,
# platform_commission_rate_bps from the platform's file).
COMMISSION_BPS_SQL = "COALESCE(l.rate_bps, l.platform_commission_rate_bps, 0)"


def line_commission_bps(
    *, picks: list[FrozenPick], paid_at: datetime, media_type: str | None, platform_rate_bps: int | None
) -> int:
    """Steps 3 and 4 for one line: the rate its terms settle at, from the anchor's picks of its SKU."""
    pick = pick_in_force(picks, paid_at)
    rate = None if pick is None else pick_rate(rate_bps=pick.rate_bps, ads_rate_bps=pick.ads_rate_bps, media_type=media_type)
    return commission_bps(line_rate_bps=rate, platform_rate_bps=platform_rate_bps)
