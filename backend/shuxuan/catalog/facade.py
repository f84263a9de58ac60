"""What other contexts may import from the catalog.

`search_row_set_signals` is how selection/plans (commission_bps, plan_type), supply (in_stock) and
orders (sales_30d) keep their denormalised columns of the selection-center search row current.
"""

from shuxuan.catalog.models import Sku
from shuxuan.catalog.services import search_row_set_signals

__all__ = ["Sku", "search_row_set_signals"]


# for insights (the review queue's counts on the homes)

from django.db.models import Count

from shuxuan.catalog.models import CertificationStatus
from shuxuan.catalog.selectors import review_queue_queryset


def review_queue_counts(*, statuses: tuple[str, ...], brand_id: int | None = None) -> dict[str, int]:
    """Products of the review queue (the reviews page's `review_queue_queryset`) in these
    certification statuses, status → count, in one query; a brand's own when `brand_id` is given.
    A status with none is absent."""
    queue = review_queue_queryset()
    if brand_id is not None:
        queue = queue.filter(brand_id=brand_id)
    rows = queue.filter(status__in=statuses).values("status").annotate(n=Count("id")).values_list("status", "n")
    return dict(rows)


__all__ += ["CertificationStatus", "review_queue_counts"]
