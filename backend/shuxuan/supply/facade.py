"""What other contexts may ask of supply. Functions take and return ids and plain values; the
choices below are enums (labels), not models."""

from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet, Sum

from shuxuan.parties.models import User
from shuxuan.supply import selectors, services
from shuxuan.supply.models import (
    LocationKind,
    Receipt,
    Reservation,
    ReservationPurpose,
    ReservationState,
    ShipmentKind,
    StockBalance,
    StockItem,
    Warehouse,
)
from shuxuan.supply.selectors import StockReportRow


def warehouse_with_free_stock(*, stock_item_id: int, quantity: int) -> int | None:
    """The warehouse with the most units of the item free to hold (on hand less reserved, in
    storage), if it has at least `quantity`; else None."""
    best = (
        StockBalance.objects.filter(stock_item_id=stock_item_id, location__kind=LocationKind.STORAGE)
        .values("warehouse_id")
        .annotate(free=Sum(F("on_hand") - F("reserved")))
        .order_by("-free", "warehouse_id")
        .first()
    )
    return best["warehouse_id"] if best and best["free"] >= quantity else None


def reserve(*, actor: User, warehouse_id: int, stock_item_id: int, quantity: int, purpose: str, reference: str) -> int:
    """Hold units in a warehouse (supply's own durable transaction; FEFO). Returns the reservation's id."""
    return services.reservation_create(
        actor=actor,
        warehouse=Warehouse.objects.get(pk=warehouse_id),
        stock_item_id=stock_item_id,
        quantity=quantity,
        purpose=purpose,
        reference=reference,
    ).pk


def reservation_is_active(reservation_id: int) -> bool:
    return Reservation.objects.filter(pk=reservation_id, state=ReservationState.ACTIVE).exists()


def release(*, actor: User, reservation_id: int) -> None:
    """Release a reservation (Conflict if it is no longer active)."""
    services.reservation_release(actor=actor, reservation_id=reservation_id)


def ship_reserved(
    *,
    actor: User,
    reservation_id: int,
    quantity: int,
    kind: str,
    carrier: str,
    tracking_number: str,
    reference: str,
    effective_date: date | None = None,
) -> int:
    """Ship `quantity` units of a reservation from its warehouse (consuming it). Returns the shipment's id."""
    reservation = Reservation.objects.get(pk=reservation_id)
    return services.shipment_create(
        actor=actor,
        warehouse=reservation.warehouse,
        kind=kind,
        carrier=carrier,
        tracking_number=tracking_number,
        lines=[services.PickInput(stock_item_id=reservation.stock_item_id, quantity=quantity, reservation_id=reservation.pk)],
        reference=reference,
        effective_date=effective_date,
    ).pk


# For reconciliation: the month-close report's 进销存 (reconciliation.selectors.stock_summary).


def stock_report(*, date_from: date, date_to: date) -> list[StockReportRow]:
    """supply.selectors.stock_report for [date_from, date_to], every owner: its rows are frozen
    values (units and fen per SKU and owner), not models."""
    return list(selectors.stock_report(date_from=date_from, date_to=date_to))


# For selection: `StockItem` is the model type selection's stock links point at and its services receive.


def stock_items() -> QuerySet[StockItem]:
    """Every stock item: a queryset of `supply.StockItem` (`brand_id`, `sku_code`) for the caller to filter."""
    return StockItem.objects.all()


def stock_item_by_code(*, brand_id: int, sku_code: str) -> StockItem | None:
    """The brand's stock item whose code is `sku_code` (case-insensitive), if any (one query)."""
    return StockItem.objects.filter(brand_id=brand_id, sku_code__iexact=sku_code).first()


# For settlement's statement movements: which purchase order a buy-out receipt paid.


def receipt_purchase_orders(receipt_ids: list[int]) -> dict[int, int]:
    """{receipt id: its purchase order's id} for these receipts (one query)."""
    return dict(Receipt.objects.filter(pk__in=receipt_ids).values_list("pk", "purchase_order_id"))


__all__ = [
    "ReservationPurpose",
    "ReservationState",
    "ShipmentKind",
    "StockItem",
    "StockReportRow",
    "receipt_purchase_orders",
    "release",
    "reservation_is_active",
    "reserve",
    "ship_reserved",
    "stock_item_by_code",
    "stock_items",
    "stock_report",
    "warehouse_with_free_stock",
]


# for insights (the supply desk's home)


from shuxuan.supply import selectors as _selectors  # noqa: E402
from shuxuan.supply.selectors import LOW_STOCK_AVAILABLE  # noqa: E402


def purchase_orders_due_count(*, by: date) -> int:
    """Purchase orders with a line not fully received, expected on or before `by` (the purchase
    orders page's `due_by`)."""
    return _selectors.purchase_orders_due(_selectors.purchase_order_queryset(), by=by).count()


def _in_stock() -> QuerySet[StockBalance]:
    return StockBalance.objects.filter(on_hand__gt=0)


def low_stock_count() -> int:
    """Balances in stock with at most LOW_STOCK_AVAILABLE units available (the stock page's
    `available_at_most`)."""
    return _selectors.available_at_most(_in_stock(), LOW_STOCK_AVAILABLE).count()


def lots_expiring_count(*, before: date) -> int:
    """Balances in stock of lots expiring before `before` (the stock page's `expiring_before`)."""
    return _selectors.expiring_before(_in_stock(), before).count()


__all__ += ["LOW_STOCK_AVAILABLE", "lots_expiring_count", "low_stock_count", "purchase_orders_due_count"]
