"""Reads of the orders context, and who may see which line (tenancy)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet

from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import ImportBatch, OrderLine, OrderLineEvent, PlatformProductMapping
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
