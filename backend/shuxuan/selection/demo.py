"""Selection's part of the demo world: `seed_selection_demo()` (idempotent).

Open plans for most approved demo products (food 20–30%, liquor 15–25%, tea 20–25%, the rest
10–20%), one GMV-stepped plan, a targeted plan on 蒙顶甘露 and an exclusive plan for 蜀中小满; pick
lists for the demo anchors; sample rules and requests in several states; live sessions over the
coming weeks with stock held where supply has it; and daily AnchorProductSales so that the sample
ROI report has numbers.

Call it after seed_catalog_demo and seed_supply_demo, outside any open transaction: holding stock
goes through supply's services, which own durable transactions. Everything is found again by a key
(product + type, anchor + SKU, anchor + SKU + note, title), so a second run creates nothing.

Sample history is backdated (approved 40 and 20 days ago): the services stamp "now", so the demo
moves those timestamps back afterwards — demo data only; nothing else writes timestamps.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, PlanType, Product, Sku
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import User
from shuxuan.selection import services
from shuxuan.selection.models import (
    AnchorProductSales,
    ApplicationState,
    ApprovalMode,
    CommissionPlan,
    LiveSession,
    Pick,
    PlanApplication,
    SampleRequest,
    SampleRule,
    SkuStockLink,
)
from shuxuan.selection.selectors import SHANGHAI, local_day
from shuxuan.supply import facade as supply

# Rate bands by top-level category code prefix: (low, high) in bp; a product's rate is picked in the band by its index.
RATE_BANDS = {
    "liquor": (1500, 2500),
    "tea": (2000, 2500),
    "condiment": (2000, 3000),
    "hotpot": (2000, 3000),
    "snack": (2000, 3000),
    "fresh": (2000, 3000),
}
OTHER_BAND = (1000, 2000)
NO_PLAN_SKUS = {"KC-EJ-W", "JG-PK-L"}  # a few SKUs stay without a plan: not every SKU has one

# catalog SKU code -> supply StockItem code (the demo's codes differ between the two sides)
STOCK_LINKS = {"XFJ-52-500": "XFJ-NX52-500", "XFJ-52-500X2": "XFJ-NX52-GIFT", "MD-GL-T100": "MD-GL-100"}

# anchor name -> SKU codes on their pick list
PICKS = {
    "蜀中小满": ["XFJ-52-500", "XFJ-42-480", "PX-DB-1J500", "CWF-NY-400", "ZG-LCT-200", "HL-SL-5J"],
    "茶仙阿蒙": ["MD-GL-T100", "MD-HY-1J50", "EM-ZYC-80", "EM-XY-100"],
    "川妹子辣辣": ["PX-DB-1J500", "PX-HY-300", "CWF-NY-400", "CWF-JT-200", "ZG-LCT-200", "ZG-DYNR-100"],
    "芙蓉姐姐说美妆": ["FR-MS-50", "FR-KH-01", "JG-SJ-90"],
    "大凉山阿依": ["HL-SL-5J", "HL-NM-3J", "HL-MHT-24"],
    "锦官城穿搭": ["SL-QEX-37", "JG-PK-M", "JG-SJ-53"],
}


def _user(username: str) -> User | None:
    return User.objects.select_related("organization").filter(username=username).first()


def _anchor(name: str) -> Anchor | None:
    return parties.anchors().filter(name=name).order_by("id").first()


def _actor_for(anchor: Anchor) -> User | None:
    """The anchor's own login, else an owner of the organization that registered the anchor."""
    if anchor.user_id:
        return anchor.user
    return User.objects.filter(organization_id=anchor.organization_id, roles__contains=["owner"]).order_by("id").first()


def _sku(code: str) -> Sku | None:
    return catalog.skus().select_related("product").filter(code__iexact=code).order_by("id").first()


def _local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = local_day(timezone.now()) + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def seed_selection_demo() -> dict[str, int]:
    """Returns how many of each thing this run created."""
    created = {"plans": 0, "picks": 0, "applications": 0, "sample_rules": 0, "samples": 0, "sessions": 0, "sales_rows": 0}
    if _user("brand_jiu") is None:
        return created
    _seed_links()
    _seed_plans(created)
    _seed_picks(created)
    _seed_pending_application(created)
    _seed_samples(created)
    _seed_sessions(created)
    _seed_sales(created)
    services.commission_signals_recompute_all()
    return created


def _seed_links() -> None:
    supply_actor = User.objects.filter(username="op_supply").first()
    if supply_actor is None:
        return
    for sku_code, item_code in STOCK_LINKS.items():
        sku = _sku(sku_code)
        item = supply.stock_items().filter(sku_code=item_code).first()
        if sku and item and not SkuStockLink.objects.filter(sku=sku).exists():
            services.sku_stock_link_set(actor=supply_actor, sku=sku, stock_item=item)


def _plan_exists(product: Product, plan_type: str, sku: Sku | None = None) -> bool:
    return CommissionPlan.objects.filter(product=product, plan_type=plan_type, sku=sku).exists()


PLANS_OPENED_DAYS_AGO = 45
PICKED_DAYS_AGO = 40


def _seed_plans(created: dict[str, int]) -> None:
    opened = timezone.now() - timedelta(days=PLANS_OPENED_DAYS_AGO)
    products = (
        catalog.products().filter(status=CertificationStatus.APPROVED).select_related("category__parent", "brand").order_by("id")
    )
    owners = {
        u.organization_id: u
        for u in User.objects.filter(username__startswith="brand_", roles__contains=["owner"]).order_by("-id")
    }
    for index, product in enumerate(products):
        owner = owners.get(product.brand_id)
        if owner is None:
            continue
        top = (product.category.parent or product.category).code.split(".")[0]
        low, high = RATE_BANDS.get(top, OTHER_BAND)
        rate = low + (index * 3) % ((high - low) // 100 + 1) * 100
        codes = set(product.skus.values_list("code", flat=True))
        if codes & NO_PLAN_SKUS:
            # A SKU-level open plan for the others only.
            for sku in product.skus.exclude(code__in=NO_PLAN_SKUS).order_by("id"):
                if not _plan_exists(product, PlanType.OPEN, sku):
                    services.plan_create(
                        actor=owner,
                        product=product,
                        sku=sku,
                        plan_type=PlanType.OPEN,
                        rate_bps=rate,
                        name="公开推广",
                        valid_from=opened,
                    )
                    created["plans"] += 1
            continue
        if _plan_exists(product, PlanType.OPEN):
            continue
        tiers = None
        if product.name.startswith("冷吃兔"):
            # Stepped: 25% up to ¥5,000 of the anchor's monthly GMV, 28% from ¥5,000, 30% from ¥20,000.
            rate, tiers = 2500, [{"min_gmv_minor": 500_000, "rate_bps": 2800}, {"min_gmv_minor": 2_000_000, "rate_bps": 3000}]
        services.plan_create(
            actor=owner,
            product=product,
            plan_type=PlanType.OPEN,
            rate_bps=rate,
            ads_rate_bps=max(rate - 500, 0) if top in ("liquor", "beauty") else None,
            tiers=tiers,
            name="公开推广",
            valid_from=opened,
        )
        created["plans"] += 1
    _seed_named_plans(created, opened)


def _seed_named_plans(created: dict[str, int], opened: datetime) -> None:
    """The demo's named plans: a targeted plan on one tea SKU, and an exclusive plan for 蜀中小满."""
    tea = _sku("MD-GL-T100")
    tea_owner = _user("brand_tea")
    if tea and tea_owner and not _plan_exists(tea.product, PlanType.TARGETED, tea):
        services.plan_create(
            actor=tea_owner,
            product=tea.product,
            sku=tea,
            plan_type=PlanType.TARGETED,
            rate_bps=3500,
            name="明前特级 定向招募",
            approval=ApprovalMode.MANUAL,
            min_fans=500_000,
            platforms=["douyin"],
            min_credit=80,
            valid_from=opened,
        )
        created["plans"] += 1
    jiu = _sku("XFJ-52-500")
    xiaoman = _anchor("蜀中小满")
    jiu_owner = _user("brand_jiu")
    if jiu and xiaoman and jiu_owner and not _plan_exists(jiu.product, PlanType.EXCLUSIVE):
        services.plan_create(
            actor=jiu_owner,
            product=jiu.product,
            plan_type=PlanType.EXCLUSIVE,
            rate_bps=3200,
            ads_rate_bps=2600,
            name="蜀中小满 专属",
            target_anchor=xiaoman,
            valid_from=opened,
        )
        created["plans"] += 1


def _seed_picks(created: dict[str, int]) -> None:
    # Picked 40 days ago (the plans opened 45 days ago), so the demo's orders of the last 30 days
    # find the pick and its frozen rate at pay time.
    picked_at = timezone.now() - timedelta(days=PICKED_DAYS_AGO)
    for name, codes in PICKS.items():
        anchor = _anchor(name)
        if anchor is None:
            continue
        actor = _actor_for(anchor)
        if actor is None:
            continue
        for code in codes:
            sku = _sku(code)
            if sku is None or Pick.objects.filter(anchor=anchor, sku=sku, removed_at__isnull=True).exists():
                continue
            services.pick_add(actor=actor, anchor=anchor, sku=sku, note="", at=picked_at)
            created["picks"] += 1
    # The tea brand approves 茶仙阿蒙's application to its targeted plan.
    tea_owner = _user("brand_tea")
    application = PlanApplication.objects.filter(anchor__name="茶仙阿蒙", state=ApplicationState.PENDING).first()
    if application and tea_owner:
        services.application_decide(actor=tea_owner, application=application, approve=True)
        created["applications"] += 1


PENDING_SKU = "XFJ-42-480X12"
PENDING_ANCHOR = "川妹子辣辣"


def _seed_pending_application(created: dict[str, int]) -> None:
    """叙府窖 recruits for its 42度 case by a targeted plan it approves by hand, and 川妹子辣辣 has
    applied: the brand desk has one application to answer (her pick waits for it, so no order
    of the demo world is attributed to it)."""
    sku, anchor, owner = _sku(PENDING_SKU), _anchor(PENDING_ANCHOR), _user("brand_jiu")
    if sku is None or anchor is None or owner is None:
        return
    if not _plan_exists(sku.product, PlanType.TARGETED, sku):
        services.plan_create(
            actor=owner, product=sku.product, sku=sku, plan_type=PlanType.TARGETED, rate_bps=3600,
            name="光瓶整箱 定向招募", approval=ApprovalMode.MANUAL,
            valid_from=timezone.now() - timedelta(days=PLANS_OPENED_DAYS_AGO),
        )  # fmt: skip
        created["plans"] += 1
    actor = _actor_for(anchor)
    if actor is not None and not Pick.objects.filter(anchor=anchor, sku=sku, removed_at__isnull=True).exists():
        services.pick_add(actor=actor, anchor=anchor, sku=sku, note="整箱走量，申请定向佣金")
        created["picks"] += 1
        created["applications"] += 1


def _seed_samples(created: dict[str, int]) -> None:
    rules: dict[str, dict[str, Any]] = {
        "MD-GL-T100": {
            "min_fans": 300_000,
            "platforms": ["douyin", "xiaohongshu"],
            "monthly_cap_per_anchor": 2,
            "shipping_cost_minor": 1200,
        },
        "XFJ-52-500": {"min_fans": 500_000, "monthly_cap_per_anchor": 1, "shipping_cost_minor": 1800},
        "ZG-LCT-200": {"min_fans": 100_000, "monthly_cap_per_anchor": 3, "max_quantity": 3, "shipping_cost_minor": 800},
        "PX-DB-1J500": {"min_fans": 50_000, "monthly_cap_per_anchor": 2, "shipping_cost_minor": 800},
        "FR-MS-50": {"min_fans": 200_000, "platforms": ["douyin", "xiaohongshu"], "shipping_cost_minor": 600},
    }
    for code, data in rules.items():
        sku = _sku(code)
        owner = (
            User.objects.filter(organization_id=sku.brand_id, roles__contains=["owner"]).order_by("id").first() if sku else None
        )
        if sku and owner and not SampleRule.objects.filter(product=sku.product).exists():
            services.sample_rule_set(actor=owner, product=sku.product, data=data)
            created["sample_rules"] += 1

    # (note, anchor, sku, platform, quantity, outcome, approved days ago): the note is what the brand reads,
    # and with the anchor and the SKU it finds the request again on a second run
    plan = [
        ("白酒专场前先试喝", "蜀中小满", "XFJ-52-500", "douyin", 1, "fulfilled", 40),
        ("明前新茶直播试泡用", "茶仙阿蒙", "MD-GL-T100", "douyin", 2, "fulfilled", 38),
        ("火锅节试吃", "川妹子辣辣", "ZG-LCT-200", "kuaishou", 2, "approved", 20),
        ("川味专场试吃", "蜀中小满", "ZG-LCT-200", "douyin", 1, "approved", 0),
        ("厨房直播试做回锅肉", "川妹子辣辣", "PX-DB-1J500", "kuaishou", 1, "rejected", 0),
        ("护肤专场试用", "芙蓉姐姐说美妆", "FR-MS-50", "xiaohongshu", 1, "pending", 0),
        ("下次再约", "蜀中小满", "PX-DB-1J500", "douyin", 1, "cancelled", 0),
    ]
    now = timezone.now()
    for note, anchor_name, code, platform, quantity, outcome, days_ago in plan:
        anchor, sku = _anchor(anchor_name), _sku(code)
        if anchor is None or sku is None or SampleRequest.objects.filter(anchor=anchor, sku=sku, note=note).exists():
            continue
        actor = _actor_for(anchor)
        owner = User.objects.filter(organization_id=sku.brand_id, roles__contains=["owner"]).order_by("id").first()
        if actor is None or owner is None:
            continue
        sample = services.sample_request_create(
            actor=actor,
            anchor=anchor,
            sku=sku,
            platform=platform,
            quantity=quantity,
            ship_to="成都市武侯区天府大道北段 1700 号",
            note=note,
        )
        created["samples"] += 1
        if outcome in ("approved", "fulfilled"):
            sample = services.sample_request_approve(actor=owner, sample=sample)
        elif outcome == "rejected":
            services.sample_request_reject(
                actor=owner, sample=sample, reason="本月寄样名额已满，下月再约 / this month's samples are taken"
            )
        elif outcome == "cancelled":
            services.sample_request_cancel(actor=actor, sample=sample)
        if outcome == "fulfilled":
            services.sample_content_record(
                actor=actor, sample=sample, kind="stream", url=f"https://live.douyin.com/demo/{sample.pk}"
            )
        if days_ago:
            approved = now - timedelta(days=days_ago)
            with transaction.atomic():
                backdated = SampleRequest.objects.filter(pk=sample.pk)
                backdated.update(
                    created_at=approved - timedelta(days=1),
                    decide_by=approved + timedelta(days=2),
                    decided_at=approved,
                    content_due_at=approved + timedelta(days=14),
                )
                if outcome == "fulfilled":
                    backdated.update(content_recorded_at=approved + timedelta(days=9))


def _seed_sessions(created: dict[str, int]) -> None:
    # (title, anchor, platform, day offset, start hour, hours, [(sku code, price ratio %, units held, slot fee yuan)])
    sessions: list[tuple[str, str, str, int, int, int, list[tuple[str, int, int, int | None]]]] = [
        (
            "小满川味专场",
            "蜀中小满",
            "douyin",
            2,
            20,
            3,
            [("XFJ-52-500", 90, 20, 3000), ("PX-DB-1J500", 100, 0, None), ("ZG-LCT-200", 95, 0, None)],
        ),
        ("小满 周末白酒夜", "蜀中小满", "douyin", 6, 20, 2, [("XFJ-52-500", 85, 10, None), ("XFJ-42-480", 100, 0, None)]),
        ("小满 快手厨房", "蜀中小满", "kuaishou", 9, 12, 2, [("CWF-NY-400", 90, 0, 800), ("HL-SL-5J", 100, 0, None)]),
        ("阿蒙说茶 明前新茶", "茶仙阿蒙", "douyin", 3, 19, 3, [("MD-GL-T100", 90, 10, None), ("MD-HY-1J50", 100, 0, None)]),
        ("阿蒙 峨眉茶山行", "茶仙阿蒙", "douyin", 12, 19, 2, [("EM-ZYC-80", 95, 0, 1500), ("EM-XY-100", 100, 0, None)]),
        ("辣辣的火锅节", "川妹子辣辣", "kuaishou", 4, 19, 4, [("CWF-NY-400", 90, 0, None), ("ZG-LCT-200", 90, 0, 1000)]),
        ("芙蓉 护肤专场", "芙蓉姐姐说美妆", "douyin", 5, 20, 3, [("FR-MS-50", 90, 0, 5000), ("FR-KH-01", 100, 0, None)]),
    ]
    for title, anchor_name, platform, day, hour, hours, lines in sessions:
        anchor = _anchor(anchor_name)
        if anchor is None or LiveSession.objects.filter(anchor=anchor, title=title).exists():
            continue
        actor = _actor_for(anchor)
        if actor is None:
            continue
        lineup = []
        for code, ratio, units, fee in lines:
            pick = Pick.objects.filter(anchor=anchor, sku__code=code, state="active").select_related("sku").first()
            if pick is None:
                continue
            sku = pick.sku
            price = max(sku.min_live_price_minor, min(sku.max_live_price_minor, sku.retail_price_minor * ratio // 100))
            lineup.append(
                services.LineupInput(
                    pick_id=pick.pk, live_price_minor=price, stock_quantity=units, slot_fee_minor=fee * 100 if fee else None
                )
            )
        services.session_create(
            actor=actor,
            anchor=anchor,
            platform=platform,
            title=title,
            starts_at=_local(day, hour),
            ends_at=_local(day, hour + hours),
            lineup=lineup,
        )
        created["sessions"] += 1


def _seed_sales(created: dict[str, int]) -> None:
    """35 days of daily sales for the anchors who got samples (and a few more), deterministic."""
    series = [
        ("蜀中小满", "XFJ-52-500", 26_900, 6),
        ("蜀中小满", "ZG-LCT-200", 2_790, 30),
        ("茶仙阿蒙", "MD-GL-T100", 15_800, 5),
        ("川妹子辣辣", "ZG-LCT-200", 2_690, 40),
        ("川妹子辣辣", "CWF-NY-400", 2_290, 55),
        ("大凉山阿依", "HL-SL-5J", 6_290, 70),
    ]
    today = local_day(timezone.now())
    for anchor_name, code, unit_price, base_units in series:
        anchor, sku = _anchor(anchor_name), _sku(code)
        if anchor is None or sku is None:
            continue
        existing = set(AnchorProductSales.objects.filter(anchor=anchor, sku=sku).values_list("day", flat=True))
        for back in range(1, 36):
            day = today - timedelta(days=back)
            if day in existing:
                continue
            units = base_units + (back * 7) % 11 - 5 + (base_units if day.weekday() >= 5 else 0)
            services.anchor_sales_record(anchor_id=anchor.pk, sku_id=sku.pk, day=day, gmv_minor=units * unit_price, units=units)
            created["sales_rows"] += 1
