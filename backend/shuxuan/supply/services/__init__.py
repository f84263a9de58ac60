"""Writes of the supply context. Each service owns a durable transaction in which it moves stock,
posts the money (see `postings.py`) and writes its audit row: all of it or nothing.

Bad input raises DomainError naming the field, e.g. `lines[1].quantity`; it is checked before
anything is written, and whatever a later check refuses is rolled back with the transaction.

One module per business process; this package re-exports their public names, so callers
write `services.receipt_create` and a reader finds it in `services/receiving.py`.
"""

from __future__ import annotations

from shuxuan.supply.services.counts import CountLineInput, count_create, count_post
from shuxuan.supply.services.masterdata import location_create, stock_item_create, warehouse_create
from shuxuan.supply.services.picking import PickInput
from shuxuan.supply.services.purchasing import (
    PurchaseLineInput,
    purchase_order_cancel,
    purchase_order_confirm,
    purchase_order_create,
)
from shuxuan.supply.services.receiving import ReceiptLineInput, receipt_create
from shuxuan.supply.services.returns import ReturnLineInput, return_create
from shuxuan.supply.services.scrap import stock_scrap
from shuxuan.supply.services.shipping import reservation_create, reservation_release, shipment_create
from shuxuan.supply.services.transfers import transfer_receive, transfer_ship

__all__ = [
    "CountLineInput",
    "PickInput",
    "PurchaseLineInput",
    "ReceiptLineInput",
    "ReturnLineInput",
    "count_create",
    "count_post",
    "location_create",
    "purchase_order_cancel",
    "purchase_order_confirm",
    "purchase_order_create",
    "receipt_create",
    "reservation_create",
    "reservation_release",
    "return_create",
    "shipment_create",
    "stock_item_create",
    "stock_scrap",
    "transfer_receive",
    "transfer_ship",
    "warehouse_create",
]
