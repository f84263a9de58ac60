"""Sales the orders context records for the selection center (through selection.facade)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from shuxuan.catalog import facade as catalog
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import MINOR_UNITS
from shuxuan.selection.models import (
    AnchorProductSales,
)
from shuxuan.selection.services._shared import _non_negative_int


def anchor_sales_record(
    *, anchor_id: int, sku_id: int, day: date, gmv_minor: int, units: int, currency: str = "CNY"
) -> AnchorProductSales:
    """Set one anchor's sales of one SKU on one day (idempotent upsert: the orders context recomputes
    a day and writes its totals)."""
    if currency not in MINOR_UNITS:
        raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
    _non_negative_int(gmv_minor, "gmv_minor")
    _non_negative_int(units, "units")
    product_id = catalog.skus().filter(pk=sku_id).values_list("product_id", flat=True).first()
    if product_id is None:
        raise DomainError("SKU 不存在 / no such SKU", field="sku")
    row, _ = AnchorProductSales.objects.update_or_create(
        anchor_id=anchor_id,
        sku_id=sku_id,
        day=day,
        defaults={"product_id": product_id, "gmv_minor": gmv_minor, "units": units, "currency": currency},
    )
    return row


def anchor_sales_record_bulk(*, rows: list[tuple[int, int, date, int, int, str]]) -> int:
    """Set many days' sales at once: rows of (anchor, sku, day, gmv_minor, units, currency), the same
    upsert as `anchor_sales_record` in one INSERT … ON CONFLICT DO UPDATE. A row of zero totals only
    zeroes an existing day (no empty rows are created); an unchanged day is not rewritten; the same
    key twice keeps the last. Returns how many rows were written. Runs in the caller's transaction."""
    latest: dict[tuple[int, int, date], tuple[int, int, str]] = {}
    for anchor_id, sku_id, day, gmv_minor, units, currency in rows:
        if currency not in MINOR_UNITS:
            raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
        _non_negative_int(gmv_minor, "gmv_minor")
        _non_negative_int(units, "units")
        latest[(anchor_id, sku_id, day)] = (gmv_minor, units, currency)
    if not latest:
        return 0
    keys = list(latest)
    table = AnchorProductSales._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS t (anchor_id, sku_id, product_id, day, gmv_minor, units, currency)
            SELECT v.anchor_id, v.sku_id, s.product_id, v.day, v.gmv_minor, v.units, v.currency
            FROM unnest(%s::int8[], %s::int8[], %s::date[], %s::int8[], %s::int4[], %s::text[])
                 AS v(anchor_id, sku_id, day, gmv_minor, units, currency)
            JOIN {catalog.catalog_relations().sku} s ON s.id = v.sku_id
            WHERE v.gmv_minor <> 0 OR v.units <> 0
               OR EXISTS (SELECT 1 FROM {table} x WHERE x.anchor_id = v.anchor_id AND x.sku_id = v.sku_id AND x.day = v.day)
            ON CONFLICT (anchor_id, sku_id, day) DO UPDATE
            SET gmv_minor = EXCLUDED.gmv_minor, units = EXCLUDED.units, currency = EXCLUDED.currency
            WHERE (t.gmv_minor, t.units, t.currency) IS DISTINCT FROM (EXCLUDED.gmv_minor, EXCLUDED.units, EXCLUDED.currency)
            """,
            [
                [k[0] for k in keys],
                [k[1] for k in keys],
                [k[2] for k in keys],
                [latest[k][0] for k in keys],
                [latest[k][1] for k in keys],
                [latest[k][2] for k in keys],
            ],
        )
        return cursor.rowcount
