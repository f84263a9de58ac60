"""What a selection-center search asks and answers: the sorts, the page size, the price bands,
the parameters and the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shuxuan.catalog.models import (
    CertificationStatus,
)

SORTS = ("relevance", "commission", "earnings", "sales", "newest")
SORT_COLUMNS = {
    "commission": "commission_bps",
    "earnings": "est_earnings_minor",
    "sales": "sales_30d",
    "newest": "listed_at",
}
MAX_PAGE_SIZE = 500
# Retail-price bands of the facet, in minor units (fen): [lower, upper).
PRICE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-50", 0, 5_000),
    ("50-100", 5_000, 10_000),
    ("100-200", 10_000, 20_000),
    ("200-500", 20_000, 50_000),
    ("500+", 50_000, None),
]
TRIGRAM_MIN_CHARS = 3
# Relevance ranks at most this many matches (the best-selling ones); see search_sql.
RELEVANCE_CANDIDATES = 1_000


@dataclass
class SearchParams:
    q: str = ""
    category_id: int | None = None
    origin_city: str = ""
    origin_county: str = ""
    price_min_minor: int | None = None
    price_max_minor: int | None = None
    commission_min_bps: int | None = None
    commission_max_bps: int | None = None
    in_stock: bool | None = None
    brand_id: int | None = None
    plan_type: str = ""
    is_geographic_indication: bool | None = None
    statuses: list[str] = field(default_factory=lambda: [CertificationStatus.APPROVED])
    sort: str = ""
    cursor: str = ""
    page_size: int = 20

    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"


@dataclass
class SearchPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None
    # How the page was read ("probe", "bitmap", "walk") and the statements run, for the benchmark.
    strategy: str = ""
    statements: list[Any] = field(default_factory=list)


ROW_COLUMNS = (
    "sku_id",
    "product_id",
    "brand_id",
    "brand_name",
    "category_id",
    "product_name",
    "spec",
    "cover_image",
    "origin_city",
    "origin_county",
    "is_geographic_indication",
    "status",
    "currency",
    "retail_price_minor",
    "commission_bps",
    "est_earnings_minor",
    "sales_30d",
    "in_stock",
    "plan_type",
    "listed_at",
)


def _like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
