"""Samples: fulfilment rates and the return on samples sent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from shuxuan.selection.models import (
    AnchorProductSales,
    SampleRequest,
    SampleState,
)
from shuxuan.selection.selectors.clock import SHANGHAI, local_day


@dataclass(frozen=True)
class Fulfilment:
    anchor_id: int
    anchor_name: str
    approved: int  # samples approved (including delivered)
    delivered: int  # content recorded
    overdue: int  # approved, deadline passed, no content
    open: int  # approved, still within the deadline
    rate: str | None  # delivered / (delivered + overdue), "0.75"; None when nothing is due yet


def fulfilment_rates(
    *, anchor_ids: list[int] | None = None, brand_id: int | None = None, at: datetime | None = None
) -> list[Fulfilment]:
    """Each anchor's sample fulfilment rate: content delivered out of the samples whose content is due."""
    at = at or timezone.now()
    rows = SampleRequest.objects.filter(state__in=[SampleState.APPROVED, SampleState.FULFILLED])
    if anchor_ids is not None:
        rows = rows.filter(anchor_id__in=anchor_ids)
    if brand_id is not None:
        rows = rows.filter(brand_id=brand_id)
    stats = (
        rows.values("anchor_id", "anchor__name")
        .annotate(
            approved=Count("id"),
            delivered=Count("id", filter=Q(state=SampleState.FULFILLED)),
            overdue=Count("id", filter=Q(state=SampleState.APPROVED, content_due_at__lte=at)),
        )
        .order_by("anchor_id")
    )
    result = []
    for row in stats:
        due = row["delivered"] + row["overdue"]
        rate = None if due == 0 else str((Decimal(row["delivered"]) / Decimal(due)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        result.append(
            Fulfilment(
                anchor_id=row["anchor_id"],
                anchor_name=row["anchor__name"],
                approved=row["approved"],
                delivered=row["delivered"],
                overdue=row["overdue"],
                open=row["approved"] - row["delivered"] - row["overdue"],
                rate=rate,
            )
        )
    return result


@dataclass(frozen=True)
class SampleRoiRow:
    product_id: int
    product_name: str
    samples: int
    anchors: int
    cost_minor: int
    gmv_minor: int
    currency: str
    roi: str | None  # GMV / cost, two decimals; None when the cost is 0


def sample_roi(*, brand_id: int, since: date | None = None, until: date | None = None) -> list[SampleRoiRow]:
    """A brand's sample ROI per product: what its approved samples cost against the GMV the sampled
    anchors later sold of that product.

    Per (anchor, product): cost is the sum of the frozen costs of its approved samples (approved or
    delivered; `since`/`until` filter the approval day); GMV is that anchor's sales of any SKU of the
    product (AnchorProductSales) from the day of its first such approval (Asia/Shanghai) on — counted
    once however many samples the anchor had. ROI = GMV / cost.
    """
    samples = SampleRequest.objects.filter(brand_id=brand_id, state__in=[SampleState.APPROVED, SampleState.FULFILLED])
    if since is not None:
        samples = samples.filter(decided_at__gte=datetime.combine(since, time.min, tzinfo=SHANGHAI))
    if until is not None:
        samples = samples.filter(decided_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=SHANGHAI))
    pairs = list(
        samples.values("anchor_id", "product_id", "product__name", "currency")
        .annotate(first=Min("decided_at"), cost=Sum("cost_minor"), n=Count("id"))
        .order_by("product_id", "anchor_id")
    )
    if not pairs:
        return []
    match = Q()
    for pair in pairs:
        match |= Q(anchor_id=pair["anchor_id"], product_id=pair["product_id"], day__gte=local_day(pair["first"]))
    sales_rows = AnchorProductSales.objects.filter(match)
    if until is not None:
        sales_rows = sales_rows.filter(day__lte=until)
    gmv = {
        (r["anchor_id"], r["product_id"]): int(r["gmv"])
        for r in sales_rows.values("anchor_id", "product_id").annotate(gmv=Sum("gmv_minor"))
    }
    by_product: dict[int, dict[str, Any]] = defaultdict(lambda: {"samples": 0, "anchors": 0, "cost": 0, "gmv": 0})
    for pair in pairs:
        row = by_product[pair["product_id"]]
        row.update(name=pair["product__name"], currency=pair["currency"])
        row["samples"] += pair["n"]
        row["anchors"] += 1
        row["cost"] += int(pair["cost"] or 0)
        row["gmv"] += gmv.get((pair["anchor_id"], pair["product_id"]), 0)
    return [
        SampleRoiRow(
            product_id=product_id,
            product_name=row["name"],
            samples=row["samples"],
            anchors=row["anchors"],
            cost_minor=row["cost"],
            gmv_minor=row["gmv"],
            currency=row["currency"],
            roi=None
            if row["cost"] == 0
            else str((Decimal(row["gmv"]) / Decimal(row["cost"])).quantize(Decimal("0.01"), ROUND_HALF_UP)),
        )
        for product_id, row in sorted(by_product.items())
    ]
