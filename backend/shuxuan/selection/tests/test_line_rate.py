"""The rate rule in Python (selection/line_rate.py) and the SQL attribution and the terms freeze run
give the same answer over a grid of lines: picks re-frozen after a version change, removed picks,
picks never frozen, ads and ordinary traffic, lines the platform reports a rate for."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from shuxuan.selection.line_rate import (
    ADS_PATTERN,
    COMMISSION_BPS_SQL,
    FrozenPick,
    ads_driven_sql,
    is_ads_driven,
    line_commission_bps,
    pick_in_force_order,
    pick_in_force_sql,
    pick_rate,
    pick_rate_sql,
    rate_of_version,
)
from shuxuan.selection.models import PlanRateVersion

pytestmark = pytest.mark.django_db

T = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MEDIA = [
    None, "", "千川", "千川投流", "巨量千川-直播", "付费流量", "广告", "鲁班", "qianchuan", "QianChuan", "ads", "ADS",
    "ad", "Ad", "ads-live", "ads_live", "paid", "Paid traffic", "unpaid", "prepaid", "roads", "adsl", "heads",
    "live", "video", "shop_list", "自然流量", "直播间", "视频", "natural",
]  # fmt: skip


def _picks(rng: random.Random) -> list[FrozenPick]:
    """An anchor's picks of one SKU: a life of freezes, removals and re-freezes after a version change."""
    scenario = rng.choice(["none", "one", "refrozen", "never_frozen", "same_moment", "removed"])
    rate, ads = rng.choice([(2500, None), (2500, 1800), (3000, 3200), (0, 0), (1200, None)])
    if scenario == "none":
        return []
    if scenario == "one":
        return [FrozenPick(1, T - 10 * DAY, None, rate, ads)]
    if scenario == "refrozen":  # the plan's version changed: the old pick removed, a new one frozen
        return [
            FrozenPick(1, T - 10 * DAY, T - DAY, rate, ads),
            FrozenPick(2, T - DAY, None, rate + 500, None if ads is None else ads + 100),
        ]
    if scenario == "never_frozen":  # waiting for a targeted plan's application
        return [FrozenPick(1, None, None, rate, ads)]
    if scenario == "same_moment":
        return [FrozenPick(1, T - 2 * DAY, None, rate, ads), FrozenPick(2, T - 2 * DAY, None, rate + 100, ads)]
    return [FrozenPick(1, T - 10 * DAY, T, rate, ads)]


def _grid() -> list[dict[str, Any]]:
    rng = random.Random(20261207)
    paid = [T - 20 * DAY, T - 10 * DAY, T - 5 * DAY, T - DAY, T - DAY + timedelta(seconds=1), T, T + DAY]
    cases = []
    for paid_at, media, platform_rate in itertools.product(paid, MEDIA, [None, 1500]):
        cases.append({"picks": _picks(rng), "paid_at": paid_at, "media": media, "platform_rate": platform_rate})
    return cases


def test_the_python_ads_rule_and_the_sql_pattern_agree_on_every_traffic_source() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m, {ads_driven_sql('m')} FROM unnest(%(media)s::text[]) WITH ORDINALITY AS v(m, i) ORDER BY i",
            {"media": MEDIA, "ads_pattern": ADS_PATTERN},
        )
        from_sql = cursor.fetchall()
    assert [(m, is_ads_driven(m)) for m in MEDIA] == from_sql
    assert sum(ads for _, ads in from_sql) >= 10 and sum(not ads for _, ads in from_sql) >= 10


def test_the_python_rate_rule_and_the_sql_agree_on_every_line() -> None:
    cases = _grid()
    params: dict[str, Any] = {"ads_pattern": ADS_PATTERN}
    lines, picks = [], []
    for i, case in enumerate(cases):
        params |= {f"paid_{i}": case["paid_at"], f"media_{i}": case["media"], f"platform_{i}": case["platform_rate"]}
        lines.append(f"({i}, %(paid_{i})s::timestamptz, %(media_{i})s::text, %(platform_{i})s::int)")
        for j, pick in enumerate(case["picks"]):
            key = f"{i}_{j}"
            params |= {
                f"frozen_{key}": pick.frozen_at,
                f"removed_{key}": pick.removed_at,
                f"rate_{key}": pick.rate_bps,
                f"ads_{key}": pick.ads_rate_bps,
            }
            picks.append(
                f"({i}, {pick.id}, %(frozen_{key})s::timestamptz, %(removed_{key})s::timestamptz,"
                f" %(rate_{key})s::int, %(ads_{key})s::int)"
            )
    sql = f"""
        WITH p AS (SELECT * FROM (VALUES {", ".join(picks)}) AS p(line, id, frozen_at, removed_at, rate_bps, ads_rate_bps)),
             v AS (SELECT * FROM (VALUES {", ".join(lines)}) AS v(line, paid_at, media_type, platform_rate))
        SELECT v.line, {COMMISSION_BPS_SQL}
        FROM v
        LEFT JOIN LATERAL (
            SELECT {pick_rate_sql(pick="p", media_type="v.media_type")} AS rate_bps
            FROM p WHERE p.line = v.line AND {pick_in_force_sql(pick="p", paid_at="v.paid_at")}
            ORDER BY {pick_in_force_order("p")}
            LIMIT 1
        ) pk ON true
        CROSS JOIN LATERAL (SELECT pk.rate_bps, v.platform_rate AS platform_commission_rate_bps) l
        ORDER BY v.line
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        from_sql = [row[1] for row in cursor.fetchall()]
    from_python = [
        line_commission_bps(picks=c["picks"], paid_at=c["paid_at"], media_type=c["media"], platform_rate_bps=c["platform_rate"])
        for c in cases
    ]
    disagreements = [(cases[i], from_sql[i], from_python[i]) for i in range(len(cases)) if from_sql[i] != from_python[i]]
    assert disagreements == []
    assert len(from_sql) == len(cases)
    assert {0, 1500, 1800, 2500, 3000, 3200}.issubset(set(from_python))  # every branch's answers, not one value


def test_a_frozen_pick_gives_an_ads_driven_line_the_rate_its_version_quotes_for_ads() -> None:
    """Step 1 and step 3 are one ads rule: a pick freezes the ordinary rate and the version's ads
    rate (`_freeze`); an ads-driven line then takes what `rate_of_version(ads=True)` quotes."""
    for ads_rate in (None, 1800, 3100):
        version = PlanRateVersion(rate_bps=2500, ads_rate_bps=ads_rate, tiers=[])
        frozen_rate, _ = rate_of_version(version)
        for media in MEDIA:
            line = pick_rate(rate_bps=frozen_rate, ads_rate_bps=version.ads_rate_bps, media_type=media)
            assert line == rate_of_version(version, ads=is_ads_driven(media))[0]
    assert rate_of_version(PlanRateVersion(rate_bps=2500, ads_rate_bps=1800, tiers=[]), ads=True) == (1800, None)
