"""The brand's home: its sales this and last month, GMV per day, and what its desk waits on it for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus
from shuxuan.insights.selectors._shared import TREND_DAYS, Panels, _card, _chart, _month_window, member_card
from shuxuan.orders import facade as orders
from shuxuan.parties.models import Organization
from shuxuan.selection import facade as selection


def brand_home(org: Organization, *, today: date, members: int) -> Panels:
    sales, trend = brand_sales(org, today=today)
    return Panels(cards=[*sales, *brand_queues(org), member_card(members)], charts=[trend])


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
