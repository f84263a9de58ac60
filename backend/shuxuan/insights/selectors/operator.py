"""The operator's and the observer's home: the supply desk's figures (supply or owner role), the review
queue (reviewer or owner), and the platform's organizations, anchors and fans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus
from shuxuan.insights.selectors._shared import EXPIRY_DAYS, RECEIPT_DAYS, Panels, _card, _chart
from shuxuan.parties import facade as parties
from shuxuan.parties.models import Organization, OrganizationKind, Role, User
from shuxuan.supply import facade as supply


def operator_home(user: User, *, home: str, today: date) -> Panels:
    """`home` is "operator" or "observer": an observer sees the platform's counts only."""
    cards: list[dict[str, Any]] = []
    by_kind = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
    if home == "operator" and user.has_role(Role.SUPPLY, Role.OWNER):
        cards += supply_figures(today=today)
    if home == "operator" and user.has_role(Role.REVIEWER, Role.OWNER):
        submitted = catalog.review_queue_counts(statuses=(CertificationStatus.SUBMITTED,))
        cards.append(
            _card("review_queue", "queue", "待审核商品", "Products waiting for review",
                  count=submitted.get(CertificationStatus.SUBMITTED, 0), link="/catalog/reviews")
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
    return Panels(cards=cards, charts=[_org_kind_chart()])


def _org_kind_chart() -> dict[str, Any]:
    rows = Organization.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    return _chart(
        "organizations_by_kind", "机构数（按类型）", "Organizations by kind", "count", "org_kind",
        [(r["kind"], r["n"]) for r in rows],
    )  # fmt: skip


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
