"""Attribution from the selection context at pay time (pick, plan, rate, live session), platform
subsidies, and the anchors' daily sales recomputed from the lines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shuxuan.catalog.models import Sku
from shuxuan.orders.models import EventKind, OrderLine, OrderLineEvent
from shuxuan.orders.services import import_path, product_mapping_create
from shuxuan.orders.tests.conftest import DY_DOUBAN, DY_HOTPOT, DY_XIAOMAN, World, at
from shuxuan.parties.models import Anchor, AnchorAccount
from shuxuan.selection.models import (
    AnchorProductSales,
    CommissionPlan,
    LiveSession,
    LiveSessionItem,
    Pick,
    PlanRateVersion,
)

pytestmark = pytest.mark.django_db

HEADER = "platform,order_id,line_id,status,paid_at,pay_amount,quantity,author_id,product_id,media_type,refund_amount,subsidy\n"


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def line(order_id: str, line_id: str = "") -> OrderLine:
    return OrderLine.objects.get(platform_order_id=order_id, platform_line_id=line_id)


def pick(
    world: World,
    sku: Sku,
    *,
    rate: int,
    frozen: str,
    removed: str | None = None,
    ads_rate: int | None = None,
    anchor: Anchor | None = None,
) -> Pick:
    """A pick frozen at `frozen` (and removed at `removed`), on a fresh open plan of the SKU's product."""
    plan = CommissionPlan.objects.create(
        brand=sku.brand,
        product=sku.product,
        sku=sku,
        plan_type="targeted",
        valid_from=at("2025-01-01 00:00:00"),
        created_by=world.brand_user,
    )
    version = PlanRateVersion.objects.create(
        plan=plan, rate_bps=rate, ads_rate_bps=ads_rate, effective_from=plan.valid_from, created_by=world.brand_user
    )
    return Pick.objects.create(
        anchor=anchor or world.anchor,
        sku=sku,
        product=sku.product,
        brand=sku.brand,
        state="removed" if removed else "active",
        plan=plan,
        version=version,
        plan_type="targeted",
        rate_bps=rate,
        ads_rate_bps=ads_rate,
        frozen_at=at(frozen),
        removed_at=at(removed) if removed else None,
        added_by=world.mcn_user,
    )


def session(world: World, platform: str, starts: str, ends: str, lineup: list[Pick], *, state: str = "scheduled") -> LiveSession:
    live = LiveSession.objects.create(
        anchor=world.anchor,
        platform=platform,
        title=f"{platform} {starts}",
        starts_at=at(starts),
        ends_at=at(ends),
        state=state,
        created_by=world.mcn_user,
    )
    for position, chosen in enumerate(lineup):
        LiveSessionItem.objects.create(
            session=live, pick=chosen, sku=chosen.sku, brand=chosen.brand, position=position, live_price_minor=1800
        )
    return live


def attribution(order_id: str, line_id: str = "") -> tuple[Any, ...]:
    found = line(order_id, line_id)
    return (found.pick_id, found.plan_id, found.rate_bps, found.live_session_id)


def test_a_new_line_takes_the_pick_active_at_pay_time_and_its_rate(world, tmp_path):
    old = pick(world, world.douban, rate=2000, frozen="2025-06-01 10:00:00", removed="2025-06-10 12:00:00")
    current = pick(world, world.douban, rate=2500, ads_rate=1800, frozen="2025-06-10 12:00:00")
    hotpot = pick(world, world.hotpot, rate=3000, frozen="2025-06-20 00:00:00")
    report = import_path(
        source="generic",
        path=write(
            tmp_path,
            "picks.csv",
            [
                f"douyin,P-1,,paid,2025-06-05 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,P-2,,paid,2025-06-10 12:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",  # the old one is gone
                f"douyin,P-3,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},千川推广,,",
                f"douyin,P-4,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},ads,,",
                f"douyin,P-5,,paid,2025-05-20 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",  # before any pick
                f"douyin,P-6,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_HOTPOT},live,,",  # hotpot picked later
                "kuaishou,P-7,1,paid,2025-06-15 20:00:00,100.00,1,3390217,22001,,,",  # the pick is the anchor's, any platform
                f"douyin,P-8,,paid,2025-06-15 20:00:00,100.00,1,99999,{DY_DOUBAN},live,,",  # unknown anchor
            ],
        ),
    )
    assert (report.created, report.unattributed) == (8, 1)
    assert attribution("P-1") == (old.pk, old.plan_id, 2000, None)
    assert attribution("P-2") == (current.pk, current.plan_id, 2500, None)
    assert attribution("P-3") == (current.pk, current.plan_id, 1800, None)
    assert attribution("P-4") == (current.pk, current.plan_id, 1800, None)
    assert attribution("P-5") == (None, None, None, None)
    assert attribution("P-6") == (None, None, None, None)
    assert attribution("P-7", "1") == (current.pk, current.plan_id, 2500, None)
    assert attribution("P-8") == (None, None, None, None)
    # No pick is normal (a platform-affiliate order): the line is not unattributed for it.
    assert (line("P-5").unattributed, line("P-5").attribution_issues) == (False, [])
    assert hotpot.pk not in OrderLine.objects.values_list("pick_id", flat=True)


def test_the_ads_rate_applies_only_when_the_plan_has_one(world, tmp_path):
    plain = pick(world, world.hotpot, rate=2200, frozen="2025-06-01 00:00:00")
    import_path(
        source="generic",
        path=write(tmp_path, "ads.csv", [f"douyin,A-1,,paid,2025-06-15 20:00:00,80.00,1,{DY_XIAOMAN},{DY_HOTPOT},付费流量,,"]),
    )
    assert attribution("A-1") == (plain.pk, plain.plan_id, 2200, None)


def test_a_line_goes_to_the_session_on_air_on_its_platform(world, tmp_path):
    douban = pick(world, world.douban, rate=2500, frozen="2025-06-01 00:00:00")
    hotpot = pick(world, world.hotpot, rate=3000, frozen="2025-06-01 00:00:00")
    douyin = session(world, "douyin", "2025-06-15 19:00:00", "2025-06-15 22:00:00", [douban])
    kuaishou = session(world, "kuaishou", "2025-06-16 19:00:00", "2025-06-16 22:00:00", [douban])
    session(world, "douyin", "2025-06-17 19:00:00", "2025-06-17 22:00:00", [douban], state="cancelled")
    # Back to back: 20:00 sharp is in both; the one whose lineup has the SKU wins.
    early = session(world, "douyin", "2025-06-18 19:00:00", "2025-06-18 20:00:00", [hotpot])
    late = session(world, "douyin", "2025-06-18 20:00:00", "2025-06-18 21:00:00", [douban])
    rows = [
        ("S-1", f"douyin,S-1,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"),
        ("S-2", f"douyin,S-2,,paid,2025-06-15 22:00:00,10.00,1,{DY_XIAOMAN},{DY_HOTPOT},,,"),  # last second, not in lineup
        ("S-3", f"douyin,S-3,,paid,2025-06-15 22:00:01,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"),
        ("S-4", f"douyin,S-4,,paid,2025-06-16 20:00:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"),  # kuaishou's session
        ("S-5", "kuaishou,S-5,,paid,2025-06-15 20:30:00,10.00,1,3390217,22001,,,"),  # douyin's session
        ("S-6", "kuaishou,S-6,,paid,2025-06-16 20:30:00,10.00,1,3390217,22001,,,"),
        ("S-7", f"douyin,S-7,,paid,2025-06-17 20:00:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"),  # cancelled
        ("S-8", f"douyin,S-8,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},video,,"),  # from a video
        ("S-9", f"douyin,S-9,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},橱窗,,"),  # from the showcase
        ("S-10", f"douyin,S-10,,paid,2025-06-18 20:00:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"),
        ("S-11", f"douyin,S-11,,paid,2025-06-18 20:00:00,10.00,1,{DY_XIAOMAN},{DY_HOTPOT},live,,"),
        ("S-12", f"douyin,S-12,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},3587421906500000000,live,,"),  # no SKU yet
        ("S-13", f"douyin,S-13,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},短视频,,"),
        ("S-14", f"douyin,S-14,,paid,2025-06-15 20:30:00,10.00,1,{DY_XIAOMAN},{DY_DOUBAN},视频号直播,,"),  # a live stream
    ]
    import_path(source="generic", path=write(tmp_path, "sessions.csv", [row for _, row in rows]))
    sessions = {order_id: line(order_id).live_session_id for order_id, _ in rows}
    assert sessions == {
        "S-1": douyin.pk,
        "S-2": douyin.pk,
        "S-3": None,
        "S-4": None,
        "S-5": None,
        "S-6": kuaishou.pk,
        "S-7": None,
        "S-8": None,
        "S-9": None,
        "S-10": late.pk,
        "S-11": early.pk,
        "S-12": douyin.pk,
        "S-13": None,
        "S-14": douyin.pk,
    }
    assert attribution("S-1") == (douban.pk, douban.plan_id, 2500, douyin.pk)


def test_mapping_a_product_later_fills_pick_plan_rate_and_session(world, tmp_path):
    tea = pick(world, world.tea, rate=3500, ads_rate=2000, frozen="2025-06-01 00:00:00")
    live = session(world, "douyin", "2025-06-15 19:00:00", "2025-06-15 22:00:00", [tea])
    rows = [
        f"douyin,M-1,,paid,2025-06-15 20:00:00,150.00,2,{DY_XIAOMAN},3587421906577777777,live,,",
        f"douyin,M-2,,paid,2025-06-16 20:00:00,99.00,1,{DY_XIAOMAN},3587421906577777777,千川,,",
        "douyin,M-3,,paid,2025-06-15 20:00:00,99.00,1,55555,3587421906577777777,live,,",  # unknown anchor
        f"douyin,M-4,,paid,2025-05-15 20:00:00,99.00,1,{DY_XIAOMAN},3587421906577777777,live,,",  # before the pick
    ]
    import_path(source="generic", path=write(tmp_path, "later.csv", rows))
    assert attribution("M-1") == (None, None, None, live.pk)  # the session needs no SKU
    assert not AnchorProductSales.objects.exists()

    product_mapping_create(
        actor=world.op_staff, platform="douyin", platform_product_id="3587421906577777777", sku_id=world.tea.pk
    )
    assert attribution("M-1") == (tea.pk, tea.plan_id, 3500, live.pk)
    assert attribution("M-2") == (tea.pk, tea.plan_id, 2000, None)
    assert attribution("M-3") == (None, None, None, None)
    assert attribution("M-4") == (None, None, None, None)
    assert line("M-1").sku_id == world.tea.pk and line("M-3").sku_id == world.tea.pk
    mapping_id = OrderLineEvent.objects.get(line=line("M-1"), kind=EventKind.ATTRIBUTED).changes["mapping_id"]
    attributed = OrderLineEvent.objects.filter(kind=EventKind.ATTRIBUTED).select_related("line")
    changes = {e.line.platform_order_id: e.changes for e in attributed}
    assert changes == {
        # M-1's session was found at import: only what this mapping filled is recorded.
        "M-1": {"sku_id": world.tea.pk, "mapping_id": mapping_id, "pick_id": tea.pk, "plan_id": tea.plan_id, "rate_bps": 3500},
        "M-2": {"sku_id": world.tea.pk, "mapping_id": mapping_id, "pick_id": tea.pk, "plan_id": tea.plan_id, "rate_bps": 2000},
        "M-3": {"sku_id": world.tea.pk, "mapping_id": mapping_id},
        "M-4": {"sku_id": world.tea.pk, "mapping_id": mapping_id},
    }
    sales = set(AnchorProductSales.objects.values_list("anchor_id", "sku_id", "day", "gmv_minor", "units"))
    assert sales == {
        (world.anchor.pk, world.tea.pk, date(2025, 6, 15), 15000, 2),
        (world.anchor.pk, world.tea.pk, date(2025, 6, 16), 9900, 1),
        (world.anchor.pk, world.tea.pk, date(2025, 5, 15), 9900, 1),
    }


def test_mapping_later_finds_a_session_for_a_line_that_had_none(world, tmp_path):
    hotpot = pick(world, world.hotpot, rate=3000, frozen="2025-06-01 00:00:00")
    late = session(world, "douyin", "2025-06-18 20:00:00", "2025-06-18 21:00:00", [hotpot])
    import_path(
        source="generic",
        path=write(tmp_path, "v.csv", [f"douyin,V-1,,paid,2025-06-18 20:30:00,10.00,1,{DY_XIAOMAN},3587421906566666666,video,,"]),
    )
    product_mapping_create(
        actor=world.op_staff, platform="douyin", platform_product_id="3587421906566666666", sku_id=world.hotpot.pk
    )
    assert attribution("V-1") == (hotpot.pk, hotpot.plan_id, 3000, None)  # a video sale stays out of the session
    assert late.pk not in OrderLine.objects.values_list("live_session_id", flat=True)


# Subsidies ---------------------------------------------------------------------------------


def test_the_subsidy_is_stored_and_a_change_is_an_amendment(world, tmp_path):
    first = import_path(
        source="generic",
        path=write(
            tmp_path,
            "day1.csv",
            [
                f"douyin,B-1,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,¥5.50",
                f"douyin,B-2,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",
            ],
        ),
    )
    assert first.created == 2
    assert (line("B-1").platform_subsidy_minor, line("B-2").platform_subsidy_minor) == (550, 0)
    body = APIClient()
    body.force_authenticate(world.finance)
    detail = body.get(reverse("orders-line-detail", args=[line("B-1").pk])).json()
    assert detail["platform_subsidy"] == {"amount": "5.50", "currency": "CNY"}
    again = import_path(source="generic", path=tmp_path / "day1.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    second = import_path(
        source="generic",
        path=write(
            tmp_path,
            "day2.csv",
            [
                f"douyin,B-1,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,6.00",
                f"douyin,B-2,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",
            ],
        ),
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert line("B-1").platform_subsidy_minor == 600
    amended = OrderLineEvent.objects.get(line=line("B-1"), kind=EventKind.AMENDED)
    assert amended.changes == {"platform_subsidy_minor": [550, 600]}


def test_a_negative_subsidy_is_rejected(world, tmp_path):
    report = import_path(
        source="generic",
        path=write(tmp_path, "neg.csv", [f"douyin,N-1,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},,,-1.00"]),
    )
    assert (report.created, report.rejected) == (0, [{"line": 2, "reason": "平台补贴为负 / the platform subsidy is negative"}])


def test_douyin_subsidies_are_platform_plus_payment_not_the_creators(world, tmp_path):
    export = tmp_path / "douyin_export.csv"
    export.write_text(
        "订单id,商品id,抖音/火山号,支付金额,佣金率,订单状态,付款时间,商品数量,支付补贴,平台补贴,达人补贴,流量来源\n"
        f'"6953547102608750001\t","{DY_DOUBAN}\t","{DY_XIAOMAN}\t",¥169.00,32.00%,订单付款,2025-06-09 21:25:25,1,'
        "¥2.00,¥10.00,¥3.00,直播\n"
        f'"6953547102608750002\t","{DY_DOUBAN}\t","{DY_XIAOMAN}\t",¥169.00,32.00%,订单付款,2025-06-09 21:25:25,1,-,-,-,直播\n',
        encoding="utf-8",
    )
    import_path(source="douyin", path=export)
    assert line("6953547102608750001").platform_subsidy_minor == 1200
    assert line("6953547102608750002").platform_subsidy_minor == 0
    api = tmp_path / "douyin_api.json"
    api.write_text(
        '{"data": {"orders": [{"order_id": "4981234567890129901", "product_id": "' + DY_DOUBAN + '", '
        '"author_short_id": "' + DY_XIAOMAN + '", "total_pay_amount": 16900, "flow_point": "PAY_SUCC", '
        '"pay_success_time": "2025-06-09 21:25:25", "media_type": "live", "item_num": 1, '
        '"platform_subsidy": 1000, "pay_subsidy": 200, "author_subsidy": 300}]}}',
        encoding="utf-8",
    )
    import_path(source="douyin", path=api)
    assert line("4981234567890129901").platform_subsidy_minor == 1200


# Sales history --------------------------------------------------------------------------------


def sales() -> dict[tuple[int, int, date], tuple[int, int]]:
    return {
        (a, s, d): (g, u)
        for a, s, d, g, u in AnchorProductSales.objects.values_list("anchor_id", "sku_id", "day", "gmv_minor", "units")
    }


def test_daily_sales_are_the_exact_totals_of_live_lines(world, tmp_path):
    other = Anchor.objects.create(organization=world.mcn, name="川妹子辣辣")
    AnchorAccount.objects.create(anchor=other, platform="douyin", platform_uid="4471098", nickname="辣辣")
    # A day no order of this batch touches keeps what it had.
    AnchorProductSales.objects.create(
        anchor=world.anchor, sku=world.douban, product=world.douban.product, day=date(2025, 6, 1), gmv_minor=777, units=7
    )
    import_path(
        source="generic",
        path=write(
            tmp_path,
            "sales1.csv",
            [
                # 15 June in Shanghai: 00:00:00 to 23:59:59 (UTC 14 June 16:00 to 15 June 15:59:59)
                f"douyin,H-1,,paid,2025-06-15 00:00:00,100.00,2,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,H-2,,confirmed,2025-06-15 23:59:59,50.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,20.00,5.00",
                f"douyin,H-3,,refunded,2025-06-15 12:00:00,30.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,H-4,,invalid,2025-06-15 12:00:00,40.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,H-5,,settled,2025-06-16 00:00:00,10.00,3,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,H-6,,paid,2025-06-15 12:00:00,60.00,1,{DY_XIAOMAN},{DY_HOTPOT},live,,",
                "kuaishou,H-7,1,paid,2025-06-15 13:00:00,25.00,1,3390217,22001,,,",
                "douyin,H-8,,paid,2025-06-15 12:00:00,45.00,1,4471098," + DY_DOUBAN + ",live,,",
                f"douyin,H-9,,paid,2025-06-15 12:00:00,45.00,1,{DY_XIAOMAN},3587421906500000000,live,,",  # no SKU
            ],
        ),
    )
    a, douban, hotpot = world.anchor.pk, world.douban.pk, world.hotpot.pk
    expected = {
        (a, douban, date(2025, 6, 1)): (777, 7),
        (a, douban, date(2025, 6, 15)): (10000 + 3000 + 2500, 2 + 1 + 1),
        (a, douban, date(2025, 6, 16)): (1000, 3),
        (a, hotpot, date(2025, 6, 15)): (6000, 1),
        (other.pk, douban, date(2025, 6, 15)): (4500, 1),
    }
    assert sales() == expected
    assert AnchorProductSales.objects.get(anchor_id=a, sku_id=douban, day=date(2025, 6, 15)).product_id == world.douban.product_id

    # A later file: H-1 refunded in full, H-5 moved to the 17th, H-6 partly refunded.
    import_path(
        source="generic",
        path=write(
            tmp_path,
            "sales2.csv",
            [
                f"douyin,H-1,,refunded,2025-06-15 00:00:00,100.00,2,{DY_XIAOMAN},{DY_DOUBAN},live,100.00,",
                f"douyin,H-5,,settled,2025-06-17 09:00:00,10.00,3,{DY_XIAOMAN},{DY_DOUBAN},live,,",
                f"douyin,H-6,,paid,2025-06-15 12:00:00,60.00,1,{DY_XIAOMAN},{DY_HOTPOT},live,15.00,",
            ],
        ),
    )
    expected[(a, douban, date(2025, 6, 15))] = (3000 + 2500, 2)
    expected[(a, douban, date(2025, 6, 16))] = (0, 0)
    expected[(a, douban, date(2025, 6, 17))] = (1000, 3)
    expected[(a, hotpot, date(2025, 6, 15))] = (4500, 1)
    assert sales() == expected


def test_re_importing_changes_nothing_anywhere(world, tmp_path):
    douban = pick(world, world.douban, rate=2500, frozen="2025-06-01 00:00:00")
    session(world, "douyin", "2025-06-15 19:00:00", "2025-06-15 22:00:00", [douban])
    path = write(
        tmp_path,
        "again.csv",
        [
            f"douyin,R-1,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,1.00",
            f"douyin,R-2,,confirmed,2025-06-15 21:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},千川,30.00,",
        ],
    )
    import_path(source="generic", path=path)

    def snapshot() -> tuple[Any, ...]:
        return (
            list(OrderLine.objects.order_by("id").values()),
            list(OrderLineEvent.objects.order_by("id").values()),
            list(AnchorProductSales.objects.order_by("id").values()),
        )

    before = snapshot()
    again = import_path(source="generic", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshot() == before


# Set-based work ----------------------------------------------------------------------------


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Every statement sent to PostgreSQL, Django's and the importer's raw psycopg ones (COPY too)."""
    seen: list[str] = []
    execute, copy = psycopg.Cursor.execute, psycopg.Cursor.copy

    def counting_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(query)[:60])
        return execute(self, query, *args, **kwargs)

    def counting_copy(self: Any, statement: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(statement)[:60])
        return copy(self, statement, *args, **kwargs)

    psycopg.Cursor.execute = counting_execute  # type: ignore[method-assign]
    psycopg.Cursor.copy = counting_copy  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
        psycopg.Cursor.copy = copy  # type: ignore[method-assign]


def _busy_file(tmp_path: Path, name: str, lines: int, prefix: str) -> Path:
    """Lines for two anchors, three SKUs, two platforms, over several days, in and out of sessions."""
    rows = []
    for n in range(lines):
        day = 14 + n % 4
        author, product, platform = [
            (DY_XIAOMAN, DY_DOUBAN, "douyin"),
            (DY_XIAOMAN, DY_HOTPOT, "douyin"),
            ("3390217", "22001", "kuaishou"),
        ][n % 3]
        rows.append(
            f"{platform},{prefix}-{n},1,paid,2025-06-{day} {19 + n % 4}:{n % 60:02d}:00,{10 + n}.00,1,{author},{product},"
            f"{'千川' if n % 5 == 0 else 'live'},,{n % 2}.00"
        )
    return write(tmp_path, name, rows)


def test_a_chunk_costs_the_same_statements_whatever_its_size(world, tmp_path):
    douban = pick(world, world.douban, rate=2500, ads_rate=2000, frozen="2025-06-01 00:00:00")
    pick(world, world.hotpot, rate=3000, frozen="2025-06-01 00:00:00")
    session(world, "douyin", "2025-06-15 19:00:00", "2025-06-15 23:00:00", [douban])
    session(world, "kuaishou", "2025-06-16 19:00:00", "2025-06-16 23:00:00", [douban])
    small, large = _busy_file(tmp_path, "small.csv", 6, "Q"), _busy_file(tmp_path, "large.csv", 120, "Z")
    with count_statements() as for_small:
        import_path(source="generic", path=small, chunk_rows=1000)
    with count_statements() as for_large:
        report = import_path(source="generic", path=large, chunk_rows=1000)
    assert report.created == 120
    assert len(for_large) == len(for_small)
    assert OrderLine.objects.filter(pick_id__isnull=False).count() == 126
    assert OrderLine.objects.filter(live_session_id__isnull=False).exists()

    # Split into chunks, each chunk costs a fixed number of statements (lines, events, attribution).
    with count_statements() as in_chunks:
        import_path(source="generic", path=_busy_file(tmp_path, "chunks.csv", 120, "C"), chunk_rows=30)
    per_chunk = (len(in_chunks) - len(for_large)) / 3
    assert per_chunk <= 12
    # The sales history of the whole batch is recomputed once, at its end.
    assert sum("WITH sales_keys AS" in s for s in in_chunks) == 1


def test_an_interrupted_batch_recomputes_the_sales_of_the_chunks_it_wrote(world, tmp_path, monkeypatch):
    from shuxuan.orders import importer

    path = _busy_file(tmp_path, "interrupted.csv", 40, "I")
    flushed = 0
    original = importer.Importer._flush

    def failing_flush(self: Any, lines: Any, rejected: Any) -> None:
        nonlocal flushed
        if flushed == 2:
            raise RuntimeError("worker lost")
        flushed += 1
        original(self, lines, rejected)

    monkeypatch.setattr(importer.Importer, "_flush", failing_flush)
    with pytest.raises(RuntimeError):
        import_path(source="generic", path=path, chunk_rows=10)
    assert OrderLine.objects.count() == 20
    totals = sales()
    assert sum(g for g, _ in totals.values()) == sum(
        line.pay_amount_minor for line in OrderLine.objects.exclude(sku_id=None).exclude(anchor_id=None)
    )


def test_attribution_is_not_rewritten_by_a_later_file(world, tmp_path):
    douban = pick(world, world.douban, rate=2500, frozen="2025-06-01 00:00:00")
    path = write(tmp_path, "f1.csv", [f"douyin,F-1,,paid,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},live,,"])
    import_path(source="generic", path=path)
    Pick.objects.filter(pk=douban.pk).update(state="removed", removed_at=at("2025-06-02 00:00:00"))
    import_path(
        source="generic",
        path=write(tmp_path, "f2.csv", [f"douyin,F-1,,confirmed,2025-06-15 20:00:00,100.00,1,{DY_XIAOMAN},{DY_DOUBAN},千川,,"]),
    )
    assert attribution("F-1") == (douban.pk, douban.plan_id, 2500, None)
    assert line("F-1").status == "confirmed"


def test_pay_time_on_the_boundary_uses_shanghai_days():
    from shuxuan.orders.sales import sales_key

    utc = datetime.fromisoformat("2025-06-14T16:00:00+00:00")  # 15 June 00:00 in Shanghai
    assert sales_key(1, 2, utc) == (1, 2, date(2025, 6, 15))
    assert sales_key(None, 2, utc) is None


def test_many_touched_days_are_recomputed_early_with_the_same_totals(world, tmp_path, monkeypatch):
    from shuxuan.orders import importer

    monkeypatch.setattr(importer, "SALES_KEYS_HELD", 2)
    with count_statements() as seen:
        import_path(source="generic", path=_busy_file(tmp_path, "early.csv", 60, "E"), chunk_rows=10)
    assert sum("WITH sales_keys AS" in s for s in seen) > 1
    live = OrderLine.objects.exclude(sku_id=None).exclude(anchor_id=None)
    assert sum(g for g, _ in sales().values()) == sum(line.pay_amount_minor for line in live)
    assert sum(u for _, u in sales().values()) == sum(line.quantity for line in live)


# The Douyin 巨量百应 export's real header order (shared/reference/platform-formats.md): 订单来源
# stands before 流量来源, and the adapter's rule is "流量来源, else 订单来源".
DOUYIN_REAL_HEADER = (
    "订单id,商品id,商品名称,作者账号,抖音/火山号,支付金额,佣金率,预估佣金支出,结算金额,实际佣金支出,订单状态,超时未结算原因,"
    "付款时间,收货时间,订单结算时间,商品来源,尾款支付时间,定金金额,店铺id,店铺名称,商品数量,佣金发票,冻结比例,是否阶梯佣金,"
    "门槛销量,基础佣金率,升佣佣金率,预估奖励佣金支出,结算奖励佣金支出,阶梯计划ID,支付补贴,平台补贴,达人补贴,运费,税费,运费补贴,"
    "分销来源,营销活动id,推广费率,推广技术服务费,预估推广费支出,结算推广费支出,计划类型,订单来源,流量细分来源,流量来源,订单类型"
)


def _douyin_real_row(order_id: str, *, order_source: str, traffic_source: str) -> str:
    cells = dict.fromkeys(DOUYIN_REAL_HEADER.split(","), "-")
    cells.update(
        {
            "订单id": f"{order_id}\t",
            "商品id": f"{DY_DOUBAN}\t",
            "商品名称": "郫县豆瓣酱 500g",
            "作者账号": "蜀中小满",
            "抖音/火山号": f"{DY_XIAOMAN}\t",
            "支付金额": "¥100.00",
            "佣金率": "25.00%",
            "订单状态": "订单付款",
            "付款时间": "2025-06-15 20:00:00",
            "店铺id": "83421\t",
            "店铺名称": "郫都豆香坊旗舰店",
            "商品数量": "1",
            "订单来源": order_source,
            "流量来源": traffic_source,
        }
    )
    return ",".join(cells.values())


def test_douyin_ads_traffic_in_the_real_column_order_takes_the_ads_rate(world, tmp_path):
    current = pick(world, world.douban, rate=2500, ads_rate=1800, frozen="2025-06-10 12:00:00")
    path = tmp_path / "douyin_real_order.csv"
    rows = [
        _douyin_real_row("6953547102608759001", order_source="直播", traffic_source="千川"),
        _douyin_real_row("6953547102608759002", order_source="直播", traffic_source="自然流量"),
    ]
    path.write_bytes(("\n".join([DOUYIN_REAL_HEADER, *rows]) + "\n").encode("gb18030"))
    report = import_path(source="douyin", path=path)
    assert (report.created, report.rejected) == (2, [])
    assert line("6953547102608759001").media_type == "千川"
    assert attribution("6953547102608759001") == (current.pk, current.plan_id, 1800, None)
    assert attribution("6953547102608759002") == (current.pk, current.plan_id, 2500, None)
