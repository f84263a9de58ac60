"""The orders part of the demo world: `seed_orders_demo()` (idempotent).

For the demo anchors' Douyin and Kuaishou accounts it maps the platform product ids of the SKUs on
their pick lists, schedules a few past live sessions, and imports about 200 order lines paid over
the 30 days before today through the real importer (a generic CSV built in memory), so attribution,
subsidies and the daily sales history all run as for a real file. Older lines are settled, the
last fortnight's confirmed, the last week's still paid; some are partly refunded, one in full;
some Douyin lines carry a platform subsidy or came from paid traffic (千川).

The lines are drawn by a random generator seeded with today's date (Asia/Shanghai), so one day's
demo is always the same; a second run finds its batch and imports nothing.

Not demo-worthy, and so left out: the SKUs whose daily sales the selection demo already fills with
its own series (sample ROI needs them), since recomputing those days from a handful of orders
would replace them. And note that selection's demo freezes its picks when it runs: lines paid
before that find no active pick (rate NULL, settlement falls back to the platform's rate) — the
sessions below and any order paid after the picks were frozen are attributed as usual.

Call it after the selection demo and outside any transaction (selection's services own theirs).
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from shuxuan.catalog.facade import Sku
from shuxuan.common.money import round_half_up
from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import BatchState, ImportBatch, PlatformProductMapping
from shuxuan.orders.services import import_stream, product_mapping_create
from shuxuan.parties.models import Anchor, AnchorAccount, User
from shuxuan.selection.facade import LineupInput, LiveSession, Pick, PickState, session_create

DEMO_FILE = "demo-orders.csv"
DAYS = 30
ACCOUNTS = ("dy_58213907", "ks_3390217", "dy_70421135", "ks_4471098", "dy_71230556", "dy_80934412")
# (anchor, SKU code) whose sales the selection demo writes itself (selection/demo.py, _seed_sales)
SELECTION_SERIES = {
    ("蜀中小满", "XFJ-52-500"),
    ("蜀中小满", "ZG-LCT-200"),
    ("茶仙阿蒙", "MD-GL-T100"),
    ("川妹子辣辣", "ZG-LCT-200"),
    ("川妹子辣辣", "CWF-NY-400"),
    ("大凉山阿依", "HL-SL-5J"),
}
# (title, account, days ago, start hour, hours): past streams, so that lines find their session
SESSIONS = (
    ("小满 川味回顾专场", "dy_58213907", 20, 20, 3),
    ("小满 快手厨房回顾", "ks_3390217", 12, 12, 2),
    ("阿蒙 峨眉春茶", "dy_70421135", 9, 19, 3),
)
HEADER = (
    "platform,order_id,line_id,status,paid_at,pay_amount,quantity,author_id,product_id,product_name,"
    "commission_rate,estimated_commission,settled_commission,refund_amount,subsidy,confirmed_at,settled_at,"
    "refunded_at,media_type\n"
)


@dataclass(frozen=True)
class _Offer:
    account: AnchorAccount
    anchor: Anchor
    pick: Pick
    sku: Sku
    product_id: str


def platform_product_id(platform: str, sku_code: str) -> str:
    """A stable platform product id for a demo SKU: 19 digits on Douyin, 12 on Kuaishou."""
    crc = zlib.crc32(f"{platform}:{sku_code}".encode())
    return f"3587{crc:015d}" if platform == "douyin" else f"2{crc:011d}"


def seed_orders_demo(*, today: date | None = None) -> dict[str, int]:
    """Returns how many of each thing this run created."""
    created = {"mappings": 0, "sessions": 0, "order_lines": 0}
    operator = User.objects.filter(username="op_admin").first()
    if operator is None or ImportBatch.objects.filter(file_name=DEMO_FILE, state=BatchState.DONE).exists():
        return created
    today = today or timezone.localtime(timezone.now(), SHANGHAI).date()
    offers = _offers(operator, created)
    if not offers:
        return created
    windows = _sessions(offers, today, created)
    body = _csv(offers, windows, today)
    report = import_stream(source="generic", stream=io.BytesIO(body.encode()), file_name=DEMO_FILE, actor=operator)
    created["order_lines"] = report.created
    return {key: value for key, value in created.items() if value}


def _offers(operator: User, created: dict[str, int]) -> dict[str, list[_Offer]]:
    """Per account: the SKUs on the anchor's pick list that the demo sells, each mapped on the platform."""
    offers: dict[str, list[_Offer]] = {}
    for account in AnchorAccount.objects.select_related("anchor").filter(platform_uid__in=ACCOUNTS).order_by("id"):
        picks = Pick.objects.filter(anchor=account.anchor, state=PickState.ACTIVE).select_related("sku__product").order_by("id")
        for pick in picks:
            if (account.anchor.name, pick.sku.code) in SELECTION_SERIES:
                continue
            product_id = platform_product_id(account.platform, pick.sku.code)
            mapping = PlatformProductMapping.objects.filter(platform=account.platform, platform_product_id=product_id).first()
            if mapping is None:
                product_mapping_create(
                    actor=operator, platform=account.platform, platform_product_id=product_id, sku_id=pick.sku_id
                )
                created["mappings"] += 1
            elif mapping.sku_id != pick.sku_id:
                continue
            offers.setdefault(account.platform_uid, []).append(_Offer(account, account.anchor, pick, pick.sku, product_id))
    return offers


def _actor_for(anchor: Anchor) -> User | None:
    if anchor.user_id:
        return anchor.user
    return User.objects.filter(organization_id=anchor.organization_id, roles__contains=["owner"]).order_by("id").first()


def _at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=SHANGHAI)


def _sessions(offers: dict[str, list[_Offer]], today: date, created: dict[str, int]) -> dict[str, tuple[datetime, datetime]]:
    """The past demo sessions (created once), as account -> (starts, ends) for today's demo."""
    windows: dict[str, tuple[datetime, datetime]] = {}
    for title, uid, days_ago, hour, hours in SESSIONS:
        lineup = offers.get(uid, [])[:3]
        if not lineup:
            continue
        anchor = lineup[0].anchor
        starts, ends = _at(today - timedelta(days=days_ago), hour), _at(today - timedelta(days=days_ago), hour + hours)
        existing = LiveSession.objects.filter(anchor=anchor, title=title).first()
        if existing is None:
            actor = _actor_for(anchor)
            if actor is None:
                continue
            existing = session_create(
                actor=actor,
                anchor=anchor,
                platform=lineup[0].account.platform,
                title=title,
                starts_at=starts,
                ends_at=ends,
                lineup=[
                    LineupInput(
                        pick_id=offer.pick.pk,
                        live_price_minor=max(offer.sku.min_live_price_minor, offer.sku.retail_price_minor * 9 // 10),
                    )
                    for offer in lineup
                ],
            )
            created["sessions"] += 1
        windows[uid] = (existing.starts_at, existing.ends_at)
    return windows


def _yuan(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _csv(offers: dict[str, list[_Offer]], windows: dict[str, tuple[datetime, datetime]], today: date) -> str:
    rng = random.Random(today.toordinal())
    rows: list[str] = []
    plan: list[tuple[str, datetime, bool]] = []  # account, paid at, in a session
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        for uid in sorted(offers):
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                paid = _at(day, rng.choice((10, 12, 15, 19, 20, 21, 22)), rng.randrange(60), rng.randrange(60))
                plan.append((uid, paid, False))
    for uid, (starts, ends) in sorted(windows.items()):
        minutes = int((ends - starts).total_seconds() // 60)
        plan.extend((uid, starts + timedelta(minutes=rng.randrange(minutes)), True) for _ in range(12))
    plan.sort(key=lambda entry: (entry[1], entry[0]))
    now = _at(today, 0)
    full_refund_done = False
    for number, (uid, paid, in_session) in enumerate(plan, start=1):
        offers_here = offers[uid][:3] if in_session else offers[uid]
        offer = rng.choice(offers_here)
        platform = offer.account.platform
        sku = offer.sku
        quantity = rng.choice((1, 1, 1, 2, 2, 3))
        unit = max(
            sku.min_live_price_minor, min(sku.max_live_price_minor, sku.retail_price_minor * rng.choice((85, 90, 100)) // 100)
        )
        pay = unit * quantity
        rate = offer.pick.rate_bps or 0
        commission = round_half_up(Decimal(pay * rate) / 10_000)
        age = (now - paid).days
        confirmed = paid + timedelta(days=4) if age >= 7 else None
        settled = paid + timedelta(days=12) if age >= 15 else None
        status = "settled" if settled else "confirmed" if confirmed else "paid"
        refund, refunded_at = 0, None
        if not full_refund_done and age >= 10 and number % 17 == 0:
            status, refund, refunded_at, settled, full_refund_done = "refunded", pay, paid + timedelta(days=2), None, True
        elif number % 13 == 0 and age >= 5:
            refund, refunded_at = pay * 3 // 10, paid + timedelta(days=3)
        ads = platform == "douyin" and not in_session and number % 6 == 0
        media = "live" if in_session else "千川" if ads else rng.choice(("live", "live", "video", "showcase"))
        subsidy = 500 if platform == "douyin" and number % 7 == 0 else 0
        order_id = f"69{today:%y%m%d}{number:011d}" if platform == "douyin" else f"2{today:%y%m%d}{number:09d}"
        rows.append(
            ",".join(
                (
                    platform,
                    order_id,
                    offer.product_id if platform == "kuaishou" else "",
                    status,
                    f"{paid:%Y-%m-%d %H:%M:%S}",
                    _yuan(pay),
                    str(quantity),
                    offer.account.platform_uid,
                    offer.product_id,
                    sku.product.name.replace(",", " "),
                    f"{rate // 100}.{rate % 100:02d}%" if rate else "",
                    _yuan(commission),
                    _yuan(commission - commission * refund // pay) if status == "settled" else "",
                    _yuan(refund) if refund else "",
                    _yuan(subsidy) if subsidy else "",
                    f"{confirmed:%Y-%m-%d %H:%M:%S}" if confirmed else "",
                    f"{settled:%Y-%m-%d %H:%M:%S}" if settled else "",
                    f"{refunded_at:%Y-%m-%d %H:%M:%S}" if refunded_at else "",
                    media,
                )
            )
            + "\n"
        )
    return HEADER + "".join(rows)
