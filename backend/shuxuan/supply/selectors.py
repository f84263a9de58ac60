"""Reads of the supply context: scoped querysets for the API, the 进销存 report and the check that
stock value equals the inventory account."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from shuxuan.common.money import round_half_up, split
from shuxuan.parties.models import Organization, OrganizationKind
from shuxuan.supply import postings
from shuxuan.supply.models import (
    HELD_KINDS,
    MovementKind,
    Ownership,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    Receipt,
    ReceiptLine,
    Reservation,
    Shipment,
    ShipmentLine,
    StockBalance,
    StockCost,
    StockCount,
    StockCountLine,
    StockItem,
    StockMovement,
    StockReturn,
    Transfer,
    TransferLine,
    Warehouse,
)

# Querysets (no N+1: every relation a serializer shows is joined or prefetched) --------------


def brand_stock_q(organization_id: int, prefix: str = "") -> Q:
    """A brand sees the stock it owns (consignment) and what the operator bought of its goods."""
    return Q(**{f"{prefix}owner_id": organization_id}) | Q(**{f"{prefix}stock_item__brand_id": organization_id})


def warehouse_queryset() -> QuerySet[Warehouse]:
    return Warehouse.objects.prefetch_related("locations").order_by("id")


def stock_item_queryset() -> QuerySet[StockItem]:
    return StockItem.objects.select_related("brand").order_by("id")


def stock_balance_queryset() -> QuerySet[StockBalance]:
    pool = StockCost.objects.filter(stock_item_id=OuterRef("stock_item_id"), owner_id=OuterRef("owner_id"))
    return (
        StockBalance.objects.select_related("warehouse", "location", "stock_item", "lot", "owner")
        .annotate(pool_quantity=Subquery(pool.values("quantity")[:1]), pool_value=Subquery(pool.values("value")[:1]))
        .order_by("warehouse_id", "stock_item_id", "id")
    )


def balance_unit_cost(row: StockBalance) -> int:
    """The moving-average unit cost (fen, half-up) of a row of `stock_balance_queryset`: its item
    and owner's pool value over the pool's quantity, 0 for an empty pool."""
    quantity = getattr(row, "pool_quantity", None) or 0
    value = getattr(row, "pool_value", None) or 0
    return round_half_up(Decimal(value) / quantity) if quantity else 0


def _allocate(value: int, units_by_row: dict[str, int]) -> dict[str, int]:
    """A pool's value over its rows by units, exactly (common.money.split); the row with the most
    units (then the lowest id) is the residual leg."""
    if value == 0 or not units_by_row:
        return dict.fromkeys(units_by_row, 0)
    residual = max(units_by_row, key=lambda key: units_by_row[key])
    return split(value, dict(units_by_row), residual=residual)


def stock_values(balances: QuerySet[StockBalance]) -> dict[int, int]:
    """The value (fen) of each held balance row of the items in `balances`: the item and owner's
    cost pool value — the inventory account's figure — allocated over the pool's held rows by units
    on hand. A pool's rows sum exactly to its value, so the stock list, its export and the 进销存
    report show one value for the same stock, with no rounding difference between them. Rows not
    held (or empty) are worth 0 and are absent from the answer. Two queries."""
    items = balances.order_by().values("stock_item_id")
    pool_values = {
        (item, owner): value
        for item, owner, value in StockCost.objects.filter(stock_item_id__in=items).values_list(
            "stock_item_id", "owner_id", "value"
        )
    }
    held = (
        StockBalance.objects.filter(stock_item_id__in=items, location__kind__in=HELD_KINDS, on_hand__gt=0)
        .order_by("pk")
        .values_list("pk", "stock_item_id", "owner_id", "on_hand")
    )
    rows_by_pool: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for pk, item, owner, on_hand in held:
        rows_by_pool[(item, owner)][str(pk)] = on_hand
    values: dict[int, int] = {}
    for pool, units in rows_by_pool.items():
        values.update({int(pk): value for pk, value in _allocate(pool_values.get(pool, 0), units).items()})
    return values


def stock_total_value(balances: QuerySet[StockBalance]) -> int:
    """The value of every row of `balances` (as `stock_values` gives it), in fen."""
    values = stock_values(balances)
    return sum(values.get(pk, 0) for pk in balances.order_by().values_list("pk", flat=True))


def movement_queryset() -> QuerySet[StockMovement]:
    return StockMovement.objects.select_related("stock_item", "lot", "owner", "from_location", "to_location", "actor").order_by(
        "-id"
    )


# No reorder level on the model yet: a balance is "low" when what can still be promised of it
# (on hand less reserved) is at most this many units. The stock list filters by the same rule.
LOW_STOCK_AVAILABLE = 10
OPEN_PO_STATES = (PurchaseOrderState.CONFIRMED, PurchaseOrderState.PARTIALLY_RECEIVED)


def available_at_most(balances: QuerySet[StockBalance], units: int) -> QuerySet[StockBalance]:
    return balances.annotate(available_units=F("on_hand") - F("reserved")).filter(available_units__lte=units)


def expiring_before(balances: QuerySet[StockBalance], day: date) -> QuerySet[StockBalance]:
    """Balances of lots whose expiry date is before `day` (the stock list's `expiring_before`)."""
    return balances.filter(lot__expiry_date__lt=day)


def purchase_orders_due(orders: QuerySet[PurchaseOrder], *, by: date) -> QuerySet[PurchaseOrder]:
    """Confirmed orders with a line not fully received and expected on or before `by`."""
    outstanding = PurchaseOrderLine.objects.filter(
        purchase_order_id=OuterRef("pk"), expected_date__lte=by, received_quantity__lt=F("quantity")
    )
    return orders.filter(state__in=OPEN_PO_STATES).filter(Exists(outstanding))


def purchase_order_queryset() -> QuerySet[PurchaseOrder]:
    return PurchaseOrder.objects.select_related("brand", "buyer", "warehouse").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("stock_item").order_by("line_no"))
    )


def receipt_queryset() -> QuerySet[Receipt]:
    return Receipt.objects.select_related("purchase_order", "location").prefetch_related(
        Prefetch("lines", queryset=ReceiptLine.objects.select_related("purchase_order_line__stock_item", "lot"))
    )


def shipment_queryset() -> QuerySet[Shipment]:
    return Shipment.objects.select_related("warehouse").prefetch_related(
        Prefetch("lines", queryset=ShipmentLine.objects.select_related("stock_item", "lot", "owner", "location"))
    )


def return_queryset() -> QuerySet[StockReturn]:
    return StockReturn.objects.select_related("shipment", "location").prefetch_related("lines")


def transfer_queryset() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("from_warehouse", "to_warehouse", "to_location").prefetch_related(
        Prefetch("lines", queryset=TransferLine.objects.select_related("stock_item", "lot", "owner"))
    )


def count_queryset() -> QuerySet[StockCount]:
    return StockCount.objects.select_related("warehouse").prefetch_related(
        Prefetch("lines", queryset=StockCountLine.objects.select_related("stock_item", "lot", "owner", "location"))
    )


def reservation_queryset() -> QuerySet[Reservation]:
    return Reservation.objects.select_related("warehouse", "stock_item").prefetch_related("lines__balance__lot")


# The 进销存 report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    quantity: int
    value: int


@dataclass(frozen=True)
class StockReportRow:
    stock_item_id: int
    sku_code: str
    name: str
    owner_id: int
    owner_name: str
    ownership: str
    opening: Flow
    purchased: Flow
    sold: Flow
    sampled: Flow
    returned: Flow
    adjusted: Flow
    closing: Flow


# Flows out of stock are reported as positive amounts (sold 3 units), so their sign is flipped.
_COLUMNS: dict[str, tuple[Q, int]] = {
    "purchased": (Q(kind=MovementKind.RECEIPT), 1),
    "sold": (Q(kind=MovementKind.SALE_SHIPMENT), -1),
    "sampled": (Q(kind=MovementKind.SAMPLE_SHIPMENT), -1),
    "returned": (Q(kind=MovementKind.RETURN), 1),
    # Count differences and scrapping; transfers move stock between held locations and net to zero.
    "adjusted": (Q(kind__in=[MovementKind.ADJUSTMENT, MovementKind.SCRAP]), 1),
}


def stock_report(
    *, date_from: date, date_to: date, owner_id: int | None = None, visible_to_brand_id: int | None = None
) -> list[StockReportRow]:
    """进销存 per SKU and owner for [date_from, date_to]: opening + purchased − sold − sampled +
    returned + adjusted = closing, in units and in fen. One aggregate query over the movements'
    signed effect on stock held. The value column of buy-out rows sums to the owner's inventory
    account balance at date_to (see `stock_value_check`)."""
    movements = StockMovement.objects.filter(effective_date__lte=date_to)
    if owner_id is not None:
        movements = movements.filter(owner_id=owner_id)
    if visible_to_brand_id is not None:
        movements = movements.filter(brand_stock_q(visible_to_brand_id))
    period = Q(effective_date__gte=date_from)
    aggregates = {
        "opening_q": Sum("held_quantity", filter=Q(effective_date__lt=date_from), default=0),
        "opening_v": Sum("held_value", filter=Q(effective_date__lt=date_from), default=0),
        "closing_q": Sum("held_quantity", default=0),
        "closing_v": Sum("held_value", default=0),
    }
    for name, (condition, _) in _COLUMNS.items():
        aggregates[f"{name}_q"] = Sum("held_quantity", filter=period & condition, default=0)
        aggregates[f"{name}_v"] = Sum("held_value", filter=period & condition, default=0)
    rows = (
        movements.values("stock_item_id", "owner_id")
        .annotate(
            sku_code=F("stock_item__sku_code"),
            name=F("stock_item__name"),
            owner_name=F("owner__name"),
            ownership=Case(
                When(owner_id=F("stock_item__brand_id"), then=Value(Ownership.CONSIGNMENT.value)),
                default=Value(Ownership.BUY_OUT.value),
                output_field=CharField(),
            ),
            **aggregates,
        )
        .order_by("sku_code", "owner_id")
    )
    report = []
    for row in rows:
        flows = {name: Flow(sign * row[f"{name}_q"], sign * row[f"{name}_v"]) for name, (_, sign) in _COLUMNS.items()}
        report.append(
            StockReportRow(
                stock_item_id=row["stock_item_id"],
                sku_code=row["sku_code"],
                name=row["name"],
                owner_id=row["owner_id"],
                owner_name=row["owner_name"],
                ownership=row["ownership"],
                opening=Flow(row["opening_q"], row["opening_v"]),
                closing=Flow(row["closing_q"], row["closing_v"]),
                **flows,
            )
        )
    return report


def buy_out_stock_value(*, owner_id: int, as_of: date | None = None) -> int:
    """Value of the stock an owner has bought out and holds (storage and in transit), from the movements."""
    movements = StockMovement.objects.filter(owner_id=owner_id).exclude(owner_id=F("stock_item__brand_id"))
    if as_of is not None:
        movements = movements.filter(effective_date__lte=as_of)
    return int(movements.aggregate(v=Coalesce(Sum("held_value"), 0))["v"])


# The verify_ledger check ----------------------------------------------------------------------


def stock_value_check() -> str | None:
    """ "stock value equals the inventory account balance": for every owner of buy-out stock (and
    every operator), the value of the stock it holds — by the movements and by the cost pools —
    equals its inventory account balance; and every cost pool's quantity equals the units held in
    balances. Returns a description of each breach, or None."""
    breaches: list[str] = []
    owners = set(StockCost.objects.filter(ownership=Ownership.BUY_OUT).values_list("owner_id", flat=True))
    owners |= set(Organization.objects.filter(kind=OrganizationKind.OPERATOR).values_list("pk", flat=True))
    pool_values = dict(
        StockCost.objects.filter(ownership=Ownership.BUY_OUT)
        .values("owner_id")
        .annotate(v=Sum("value"))
        .values_list("owner_id", "v")
    )
    for owner_id in sorted(owners):
        by_movements = buy_out_stock_value(owner_id=owner_id)
        by_pools = int(pool_values.get(owner_id) or 0)
        balance = postings.inventory_balance(organization_id=owner_id)
        if not by_movements == by_pools == balance:
            breaches.append(
                f"organization {owner_id}: stock value {by_movements} fen by movements, {by_pools} by cost pools, "
                f"inventory account {balance}"
            )
    held = {
        (r["stock_item_id"], r["owner_id"]): r["q"]
        for r in StockBalance.objects.filter(location__kind__in=HELD_KINDS)
        .values("stock_item_id", "owner_id")
        .annotate(q=Sum("on_hand"))
    }
    for pool in StockCost.objects.all():
        units = held.get((pool.stock_item_id, pool.owner_id), 0)
        if units != pool.quantity:
            breaches.append(
                f"stock item {pool.stock_item_id} owner {pool.owner_id}: {units} units held, cost pool has {pool.quantity}"
            )
    return "; ".join(breaches) or None
