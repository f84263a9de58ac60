"""Reads of the orders context, and who may see which line (tenancy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import ImportBatch, OrderLine, OrderLineEvent, OrderStatus, PlatformProductMapping
from shuxuan.parties.models import Organization, OrganizationKind


def line_queryset() -> QuerySet[OrderLine]:
    return OrderLine.objects.select_related("anchor", "mcn", "sku__product")


def line_detail_queryset() -> QuerySet[OrderLine]:
    return line_queryset().prefetch_related(
        Prefetch("events", queryset=OrderLineEvent.objects.select_related("batch").order_by("id"))
    )


def lines_visible_to(queryset: QuerySet[OrderLine], organization: Organization) -> QuerySet[OrderLine]:
    """An MCN sees the lines whose frozen binding is its own; a brand the lines of its SKUs."""
    if organization.kind == OrganizationKind.MCN:
        return queryset.filter(mcn_id=organization.pk)
    if organization.kind == OrganizationKind.BRAND:
        return queryset.filter(sku__brand_id=organization.pk)
    return queryset.none()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def paid_between(queryset: QuerySet[OrderLine], *, start: date | None, end: date | None) -> QuerySet[OrderLine]:
    """Lines paid on the days start..end inclusive, in Asia/Shanghai."""
    if start is not None:
        queryset = queryset.filter(paid_at__gte=start_of_day(start))
    if end is not None:
        queryset = queryset.filter(paid_at__lt=start_of_day(end + timedelta(days=1)))
    return queryset


@dataclass(frozen=True)
class SalesTotals:
    lines: int
    units: int
    gmv_minor: int


def sales_lines(queryset: QuerySet[OrderLine]) -> QuerySet[OrderLine]:
    """The lines that count as sales: every imported line but those the platform voided. A refund
    does not undo the sale in GMV (what buyers paid); it shows in the line's refunded amount."""
    return queryset.exclude(status=OrderStatus.INVALID)


def sales_totals(queryset: QuerySet[OrderLine]) -> SalesTotals:
    totals = sales_lines(queryset).aggregate(n=Count("id"), units=Sum("quantity"), gmv=Sum("pay_amount_minor"))
    return SalesTotals(lines=totals["n"], units=int(totals["units"] or 0), gmv_minor=int(totals["gmv"] or 0))


def gmv_by_day(queryset: QuerySet[OrderLine], *, start: date, end: date) -> list[tuple[date, int]]:
    """GMV per Asia/Shanghai day of payment, start..end inclusive, days without sales as 0."""
    rows = dict(
        sales_lines(paid_between(queryset, start=start, end=end))
        .annotate(day=TruncDate("paid_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(gmv=Sum("pay_amount_minor"))
        .values_list("day", "gmv")
    )
    days = (end - start).days + 1
    return [(start + timedelta(days=i), int(rows.get(start + timedelta(days=i)) or 0)) for i in range(days)]


def batch_queryset() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("uploaded_by")


def mapping_queryset() -> QuerySet[PlatformProductMapping]:
    return PlatformProductMapping.objects.select_related("sku__product")


def mappings_visible_to(
    queryset: QuerySet[PlatformProductMapping], organization: Organization
) -> QuerySet[PlatformProductMapping]:
    if organization.kind == OrganizationKind.BRAND:
        return queryset.filter(sku__brand_id=organization.pk)
    return queryset.none()
