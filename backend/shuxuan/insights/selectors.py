"""Home-page figures per role: what each role acts on. Each function reads only what the caller's
organization may see, and every figure comes from the selector the linked page uses, so the home
and the page show the same number."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.utils import timezone

from shuxuan.audit import facade as audit
from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus
from shuxuan.common.serializers import money
from shuxuan.orders import facade as orders
from shuxuan.parties import facade as parties
from shuxuan.parties.models import Organization, OrganizationKind, Role, User
from shuxuan.reconciliation import facade as reconciliation
from shuxuan.selection import facade as selection
from shuxuan.settlement import facade as settlement
from shuxuan.settlement.facade import PayoutState
from shuxuan.supply import facade as supply

CURRENCY = "CNY"
TREND_DAYS = 30
SESSION_DAYS = 7
RECEIPT_DAYS = 14
EXPIRY_DAYS = 30


def _card(
    key: str,
    group: str,
    zh: str,
    en: str,
    *,
    count: int | None = None,
    amount_minor: int | None = None,
    text: str | None = None,
    link: str | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "group": group,
        "label_zh": zh,
        "label_en": en,
        "count": count,
        "amount": money(amount_minor, CURRENCY) if amount_minor is not None else None,
        "text": text,
        "link": link,
    }


def _chart(key: str, zh: str, en: str, unit: str, label_kind: str, points: list[tuple[str, int]]) -> dict[str, Any]:
    """One measure per chart: `unit` is "count" (a number of things or people) or "money" (fen)."""
    return {
        "key": key,
        "label_zh": zh,
        "label_en": en,
        "unit": unit,
        "label_kind": label_kind,
        "points": [
            {
                "label": label,
                "count": value if unit == "count" else None,
                "amount": money(value, CURRENCY) if unit == "money" else None,
            }
            for label, value in points
        ],
    }


def _month_window(day: date, months_back: int) -> tuple[date, date]:
    first = day.replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _recent_activity(organization_id: int | None, *, everything: bool = False, limit: int = 10) -> list[dict[str, Any]]:
    entries = audit.recent_activity(organization_id=organization_id, everything=everything, limit=limit)
    return [asdict(entry) for entry in entries]


def _org_kind_chart() -> dict[str, Any]:
    rows = Organization.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    return _chart(
        "organizations_by_kind", "机构数（按类型）", "Organizations by kind", "count", "org_kind",
        [(r["kind"], r["n"]) for r in rows],
    )  # fmt: skip


# Brand ----------------------------------------------------------------------------------------


def brand_sales(org: Organization, *, today: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Units and GMV of the brand's order lines paid this and last month (Asia/Shanghai), and GMV
    per day over the last 30 days: the order lines the brand may read (`lines_visible_to`)."""
    cards = []
    for months_back, key, zh, en in ((0, "this_month", "本月", "This month"), (1, "last_month", "上月", "Last month")):
        start, end = _month_window(today, months_back)
        totals = orders.sales_totals_between(org, start=start, end=end)
        cards += [
            _card(f"units_{key}", "sales", f"{zh}销量（件）", f"Units sold, {en.lower()}", count=totals.units),
            _card(f"gmv_{key}", "sales", f"{zh} GMV", f"GMV, {en.lower()}", amount_minor=totals.gmv_minor),
        ]
    trend = orders.gmv_by_day(org, start=today - timedelta(days=TREND_DAYS - 1), end=today)
    chart = _chart("gmv_by_day", "近 30 天每日 GMV", "GMV per day, last 30 days", "money", "date",
                   [(day.isoformat(), gmv) for day, gmv in trend])  # fmt: skip
    return cards, chart


def brand_queues(org: Organization) -> list[dict[str, Any]]:
    """What the brand desk waits on the brand for: the same filters as its tabs and lists."""
    applications = selection.pending_application_count(brand_id=org.pk)
    samples = selection.pending_sample_count(brand_id=org.pk)
    products = catalog.review_queue_counts(
        statuses=(CertificationStatus.SUBMITTED, CertificationStatus.REJECTED), brand_id=org.pk
    )
    return [
        _card("pending_applications", "queue", "待处理定向申请", "Targeted-plan applications to answer",
              count=applications, link="/selection/brand/applications"),
        _card("pending_samples", "queue", "待审核寄样", "Sample requests to answer", count=samples,
              link="/selection/brand/samples"),
        _card("products_submitted", "queue", "审核中的商品", "Products in review",
              count=products.get(CertificationStatus.SUBMITTED, 0), link="/catalog/products?status=submitted"),
        _card("products_rejected", "queue", "被驳回的商品", "Rejected products",
              count=products.get(CertificationStatus.REJECTED, 0), link="/catalog/products?status=rejected"),
    ]  # fmt: skip


# Anchor / MCN ---------------------------------------------------------------------------------


def party_earnings(user: User, org: Organization) -> list[dict[str, Any]]:
    """The earnings page's totals: the sum of its rows, from the same selector."""
    rows = settlement.earnings_of(settlement.earnings_targets(user=user, organization=org))
    estimated = sum(r.estimated for r in rows)
    settled = sum(r.settled for r in rows)
    at_source = sum(r.estimated_at_source + r.settled_at_source for r in rows)
    return [
        _card("earnings_estimated", "earnings", "预估收益（待结算）", "Estimated earnings (not yet settled)",
              amount_minor=estimated, link="/earnings"),
        _card("earnings_settled", "earnings", "已结算收益", "Settled earnings", amount_minor=settled, link="/earnings"),
        _card("earnings_at_source", "earnings", "平台代结", "Paid at source by the platform", amount_minor=at_source,
              link="/earnings"),
    ]  # fmt: skip


def upcoming_sessions(user: User, *, now: datetime) -> list[dict[str, Any]]:
    """Scheduled sessions of the anchors the user acts for, starting within the next 7 days."""
    sessions = selection.upcoming_sessions(user=user, start=now, end=now + timedelta(days=SESSION_DAYS), limit=20)
    return [asdict(session) for session in sessions]


# Operator finance -----------------------------------------------------------------------------


def finance_figures(*, today: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    awaiting = settlement.statements_awaiting_approval_totals()
    flight = settlement.payouts_in_flight_by_state()
    period = f"{today:%Y-%m}"
    ages = reconciliation.unresolved_aging(period=period)
    over_30 = sum(n for label, n in ages.items() if label not in ("0-7", "8-30"))
    cards = [
        _card("statements_awaiting_approval", "payables", "待审批结算单", "Statements awaiting approval",
              count=awaiting.count, link="/settlement/statements?state=draft"),
        _card("statements_awaiting_approval_amount", "payables", "待审批应付金额", "Payable, awaiting approval",
              amount_minor=awaiting.amount_minor, link="/settlement/statements?state=draft"),
        _card("payouts_in_flight", "payouts", "在途付款", "Payouts in flight",
              count=sum(r.count for r in flight.values()), link="/settlement/payouts?in_flight=true"),
        _card("payouts_in_flight_amount", "payouts", "在途付款金额", "Amount in flight",
              amount_minor=sum(r.amount_minor for r in flight.values()), link="/settlement/payouts?in_flight=true"),
    ]  # fmt: skip
    for state, zh, en in ((PayoutState.PENDING, "待发送", "pending"), (PayoutState.SENT, "已发送待到账", "sent")):
        row = flight.get(state, settlement.CountAndAmount(count=0, amount_minor=0))
        cards.append(
            _card(f"payouts_{state}", "payouts", f"付款{zh}", f"Payouts {en}", count=row.count,
                  link=f"/settlement/payouts?state={state}")
        )  # fmt: skip
    for key, zh, en, count, age in (
        ("exceptions_0_7", "0–7 天", "0–7 days", ages["0-7"], "0-7"),
        ("exceptions_8_30", "8–30 天", "8–30 days", ages["8-30"], "8-30"),
        ("exceptions_over_30", "30 天以上", "over 30 days", over_30, reconciliation.OVER_30),
    ):
        # The queue's filters that select what the card counts: unresolved, this period or before, this age.
        link = "/reconciliation/exceptions?" + urlencode({"unresolved_through": period, "age": age})
        cards.append(_card(key, "exceptions", f"未解决差异 {zh}", f"Open exceptions, {en}", count=count, link=link))
    chart = _chart("exceptions_by_age", "未解决差异（按账龄）", "Open exceptions by age", "count", "age", list(ages.items()))
    return cards, [chart], reconciliation.close_checklist(period=period)


# Operator supply ------------------------------------------------------------------------------


def supply_figures(*, today: date) -> list[dict[str, Any]]:
    due_by = today + timedelta(days=RECEIPT_DAYS)
    due = supply.purchase_orders_due_count(by=due_by)
    overdue = supply.purchase_orders_due_count(by=today - timedelta(days=1))
    low = supply.low_stock_count()
    expiring_by = today + timedelta(days=EXPIRY_DAYS + 1)
    expiring = supply.lots_expiring_count(before=expiring_by)
    expired = supply.lots_expiring_count(before=today)
    return [
        _card("receipts_due", "supply", f"{RECEIPT_DAYS} 天内待入库采购单（含逾期）",
              f"Purchase orders to receive within {RECEIPT_DAYS} days (incl. overdue)", count=due,
              link=f"/supply/purchase-orders?due_by={due_by.isoformat()}"),
        _card("receipts_overdue", "supply", "逾期未入库采购单", "Purchase orders overdue", count=overdue,
              link=f"/supply/purchase-orders?due_by={(today - timedelta(days=1)).isoformat()}"),
        _card("low_stock", "supply", f"低库存（可用 ≤ {supply.LOW_STOCK_AVAILABLE}）",
              f"Low stock (available ≤ {supply.LOW_STOCK_AVAILABLE})", count=low,
              link=f"/supply/stock?available_at_most={supply.LOW_STOCK_AVAILABLE}"),
        _card("expiring_lots", "supply", f"{EXPIRY_DAYS} 天内到期（含已过期）",
              f"Expiring within {EXPIRY_DAYS} days (incl. expired)", count=expiring,
              link=f"/supply/stock?expiring_before={expiring_by.isoformat()}"),
        _card("expired_lots", "supply", "已过期批次", "Expired lots", count=expired,
              link=f"/supply/stock?expiring_before={today.isoformat()}"),
    ]  # fmt: skip


# The home -------------------------------------------------------------------------------------


def _platform_charts(seen: parties.AnchorsSeen) -> list[dict[str, Any]]:
    return [
        _chart("fans_by_platform", "粉丝数（按平台）", "Fans by platform", "count", "platform",
               [(p.platform, p.fans) for p in seen.by_platform]),
        _chart("accounts_by_platform", "平台账号数（按平台）", "Platform accounts by platform", "count", "platform",
               [(p.platform, p.accounts) for p in seen.by_platform]),
    ]  # fmt: skip


def home_summary(*, user: User) -> dict[str, Any]:
    home = parties.home_of(user)
    org = user.organization
    assert org is not None
    now = timezone.now()
    today = timezone.localdate()  # Asia/Shanghai, the project's zone
    cards: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    close: dict[str, Any] | None = None
    members = User.objects.filter(organization=org).count()
    if home == "brand":
        sales, trend = brand_sales(org, today=today)
        cards = [*sales, *brand_queues(org), _card("members", "organization", "团队成员", "Team members", count=members)]
        charts = [trend]
    elif home in ("mcn", "service_provider"):
        seen = parties.anchors_seen_by(organization_id=org.pk)
        cards = [
            *party_earnings(user, org),
            _card("anchors", "organization", "签约主播", "Anchors", count=seen.anchors, link="/parties/anchors"),
            _card("accounts", "organization", "平台账号", "Platform accounts", count=seen.accounts),
            _card("fans", "organization", "总粉丝数", "Total fans", count=seen.fans),
            _card("members", "organization", "团队成员", "Team members", count=members),
        ]
        charts = _platform_charts(seen)
        sessions = upcoming_sessions(user, now=now)
    elif home == "finance":
        cards, charts, close = finance_figures(today=today)
        cards.append(
            _card("active_bindings", "organization", "生效中的 MCN 分成协议", "MCN split agreements in force",
                  count=parties.bindings_in_force_count())
        )  # fmt: skip
    elif home in ("operator", "observer"):
        by_kind = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
        if home == "operator" and user.has_role(Role.SUPPLY, Role.OWNER):
            cards += supply_figures(today=today)
        if home == "operator" and user.has_role(Role.REVIEWER, Role.OWNER):
            cards.append(
                _card("review_queue", "queue", "待审核商品", "Products waiting for review",
                      count=catalog.review_queue_counts(statuses=(CertificationStatus.SUBMITTED,)).get(
                          CertificationStatus.SUBMITTED, 0),
                      link="/catalog/reviews")
            )  # fmt: skip
        cards += [
            _card("brands", "organization", "品牌商", "Brands", count=by_kind.get(OrganizationKind.BRAND, 0)),
            _card("mcns", "organization", "MCN 机构", "MCN agencies", count=by_kind.get(OrganizationKind.MCN, 0)),
            _card("anchors", "organization", "主播", "Anchors", count=parties.anchor_count()),
            _card("fans", "organization", "总粉丝数", "Total fans", count=parties.total_fans()),
        ]
        if home == "operator":
            cards.append(
                _card("open_invitations", "organization", "待接受邀请", "Open invitations",
                      count=parties.open_invitation_count())
            )  # fmt: skip
        charts = [_org_kind_chart()]
    everything = home in ("operator", "finance")
    return {
        "home": home,
        "organization": {"id": org.pk, "name": org.name, "kind": org.kind},
        "cards": cards,
        "charts": charts,
        "sessions": sessions,
        "close": close,
        "recent_activity": _recent_activity(org.pk, everything=everything),
    }
