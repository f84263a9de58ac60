"""The verify_ledger check of the orders context: every reference of an order line and of its
events resolves. The database checks them when rows are written (statement triggers, migration
0004) instead of per-row foreign keys; this proves nothing has since gone missing under them."""

from __future__ import annotations

from django.db import connection

LINE_REFERENCES = (
    ("orders_orderline", "id", "anchor_account_id", "parties_anchoraccount"),
    ("orders_orderline", "id", "anchor_id", "parties_anchor"),
    ("orders_orderline", "id", "mcn_binding_id", "parties_mcnbinding"),
    ("orders_orderline", "id", "mcn_id", "parties_organization"),
    ("orders_orderline", "id", "sku_id", "catalog_sku"),
    ("orders_orderline", "id", "first_batch_id", "orders_importbatch"),
    ("orders_orderline", "id", "last_batch_id", "orders_importbatch"),
    ("orders_orderlineevent", "line_id", "line_id", "orders_orderline"),
    ("orders_orderlineevent", "line_id", "batch_id", "orders_importbatch"),
)
TRIGGERS = {
    ("orders_orderline", "orders_orderline_references_insert"),
    ("orders_orderline", "orders_orderline_references_update"),
    ("orders_orderlineevent", "orders_orderlineevent_references_insert"),
}


def references_resolve() -> str | None:
    """None when every reference resolves, else the first that does not, named."""
    from shuxuan.ledger.facade import triggers_missing

    missing = triggers_missing(TRIGGERS)
    if missing is not None:
        return missing
    with connection.cursor() as cursor:
        for table, key, column, parent in LINE_REFERENCES:
            cursor.execute(
                f"SELECT n.{key}, n.{column} FROM {table} n WHERE n.{column} IS NOT NULL"
                f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = n.{column}) ORDER BY n.{key} LIMIT 1"
            )
            row = cursor.fetchone()
            if row is not None:
                owner = "order line" if table == "orders_orderline" else "an event of order line"
                return f"{owner} {row[0]}: {column} = {row[1]} does not exist in {parent}"
    return None
