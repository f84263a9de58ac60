"""Supply: the stock ledger (进销存) — items, lots, warehouses, movements, balances, and the documents
that move stock (purchase orders and receipts, shipments and returns, transfers, counts, reservations).

Quantities are integers in the item's unit. Values are integers in fen (CNY minor units).
Stock is keyed by location + item + lot + owner. The owner is the operator for buy-out (经销) stock
and the brand for consignment (代销) stock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shuxuan.parties.models import Organization


class Ownership(models.TextChoices):
    BUY_OUT = "buy_out", "经销 Buy-out"
    CONSIGNMENT = "consignment", "代销 Consignment"


class StockItem(models.Model):
    """The supply side's SKU reference: what the warehouse counts. The catalog (a later issue) will
    point its SKUs at these rows; until then this is the whole of what supply knows about a SKU."""

    sku_code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=16, default="件")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="stock_items")
    # Food and liquor: every unit received must carry a batch (lot) with its dates.
    requires_lot = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["brand", "sku_code"])]

    def __str__(self) -> str:
        return f"{self.sku_code} {self.name}"


class Lot(models.Model):
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="lots")
    batch_number = models.CharField(max_length=64)
    production_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_item", "batch_number"], name="supply_lot_batch_unique"),
            models.CheckConstraint(
                condition=Q(production_date__isnull=True)
                | Q(expiry_date__isnull=True)
                | Q(expiry_date__gte=F("production_date")),
                name="supply_lot_expiry_after_production",
            ),
        ]

    def __str__(self) -> str:
        return self.batch_number


class Warehouse(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="warehouses")
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=32, blank=True)
    county = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class LocationKind(models.TextChoices):
    STORAGE = "storage", "库位 Storage"
    IN_TRANSIT = "in_transit", "在途 In transit"
    SUPPLIER = "supplier", "供应商 Supplier"
    CUSTOMER = "customer", "客户 Customer"
    SAMPLE = "sample", "样品持有人 Sample holder"
    SCRAP = "scrap", "报废 Scrap"
    ADJUSTMENT = "adjustment", "盘点差异 Count adjustment"


# Stock "held" is what sits in these locations: it has balances and is valued. The others are
# virtual (one of each, no warehouse): stock arrives from or leaves to them.
HELD_KINDS = (LocationKind.STORAGE, LocationKind.IN_TRANSIT)


class Location(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="locations", null=True, blank=True)
    kind = models.CharField(max_length=16, choices=LocationKind.choices)
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="supply_location_code_unique"),
            models.UniqueConstraint(fields=["kind"], condition=Q(warehouse__isnull=True), name="supply_virtual_location_unique"),
            models.UniqueConstraint(
                fields=["warehouse"], condition=Q(kind=LocationKind.IN_TRANSIT), name="supply_one_transit_per_warehouse"
            ),
            models.CheckConstraint(
                condition=Q(warehouse__isnull=False, kind__in=HELD_KINDS) | Q(warehouse__isnull=True) & ~Q(kind__in=HELD_KINDS),
                name="supply_location_held_iff_in_warehouse",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}" if self.warehouse_id else self.code  # type: ignore[union-attr]


class StockBalance(models.Model):
    """On hand and reserved per location + item + lot + owner. Written only under a row lock taken by
    `services.balances_lock`; the database refuses a negative on-hand or reserving more than on hand."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="balances")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances", null=True, blank=True)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="stock_balances")
    on_hand = models.BigIntegerField(default=0)
    reserved = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        # Filters of the stock API: warehouse, SKU (these two), owner and lot (their foreign-key
        # indexes), expiring before (Lot.expiry_date).
        indexes = [
            models.Index(fields=["warehouse", "stock_item"], name="supply_bal_wh_item"),
            models.Index(fields=["stock_item", "owner"], name="supply_bal_item_owner"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "stock_item", "lot", "owner"], name="supply_balance_key_unique", nulls_distinct=False
            ),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="supply_balance_on_hand_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("on_hand")), name="supply_balance_reserved_within_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"balance {self.pk}: location {self.location_id} item {self.stock_item_id} lot {self.lot_id} owner {self.owner_id}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockCost(models.Model):
    """The moving-average cost pool of one item and owner across all locations where it is held.

    The pool keeps its total value in fen, not a rounded unit cost, so no fen appears or vanishes:
    an issue of q units out of Q takes money.part_of(value, q, Q) fen (half-up of value × q / Q),
    and the last unit out takes whatever value is left. The unit cost shown is round_half_up(value / Q). Buy-out pools are at
    purchase cost and their sum is the operator's inventory account; consignment pools are at the
    brand's supply price, a memo value used to post the payable when the goods sell.
    """

    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="cost_pools")
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ownership = models.CharField(max_length=16, choices=Ownership.choices)
    quantity = models.BigIntegerField(default=0)
    value = models.BigIntegerField(default=0)
    # The average at the last moment the pool held stock, to value a count surplus found when empty.
    last_unit_cost = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="CNY")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_item", "owner"], name="supply_cost_pool_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0) & Q(value__gte=0), name="supply_cost_pool_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gt=0) | Q(value=0), name="supply_cost_pool_empty_has_no_value"),
        ]

    def __str__(self) -> str:
        return f"cost pool item {self.stock_item_id} owner {self.owner_id}: {self.quantity} / {self.value} fen"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", "采购入库 Receipt"
    SALE_SHIPMENT = "sale_shipment", "销售出库 Sale shipment"
    SAMPLE_SHIPMENT = "sample_shipment", "样品出库 Sample shipment"
    RETURN = "return", "退货 Return"
    TRANSFER_OUT = "transfer_out", "调拨出库 Transfer out"
    TRANSFER_IN = "transfer_in", "调拨入库 Transfer in"
    ADJUSTMENT = "adjustment", "盘点调整 Adjustment"
    SCRAP = "scrap", "报废 Scrap"


class StockMovement(models.Model):
    """One quantity of one item/lot/owner moving from a location to another. Append-only (a trigger
    refuses UPDATE and DELETE). `held_quantity`/`held_value` are the signed effect on stock held
    (storage + in transit): + into it, − out of it, 0 between two held locations or two virtual ones.
    The 进销存 report is sums of these."""

    kind = models.CharField(max_length=16, choices=MovementKind.choices)
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements", null=True, blank=True)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    value = models.BigIntegerField(help_text="cost value moved, fen")
    held_quantity = models.BigIntegerField()
    held_value = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    reason = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    source_type = models.CharField(max_length=32)
    source_id = models.CharField(max_length=64)
    effective_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["stock_item", "owner", "effective_date"], name="supply_mv_item_owner_date"),
            models.Index(fields=["source_type", "source_id"], name="supply_mv_source"),
            models.Index(fields=["effective_date"], name="supply_mv_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(value__gte=0), name="supply_movement_positive"),
            models.CheckConstraint(condition=~Q(from_location=F("to_location")), name="supply_movement_moves"),
            models.CheckConstraint(condition=Q(kind__in=MovementKind.values), name="supply_movement_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of item {self.stock_item_id} ({self.source_type} {self.source_id})"


class PurchaseOrderState(models.TextChoices):
    DRAFT = "draft", "草稿 Draft"
    CONFIRMED = "confirmed", "已确认 Confirmed"
    PARTIALLY_RECEIVED = "partially_received", "部分入库 Partially received"
    RECEIVED = "received", "已入库 Received"
    CANCELLED = "cancelled", "已取消 Cancelled"


class PurchaseOrder(models.Model):
    """采购单: the operator (buyer) orders goods from a brand, bought out or taken on consignment."""

    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="purchase_orders")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inbound_purchase_orders")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="purchase_orders")
    ownership = models.CharField(max_length=16, choices=Ownership.choices)
    state = models.CharField(max_length=20, choices=PurchaseOrderState.choices, default=PurchaseOrderState.DRAFT)
    currency = models.CharField(max_length=3, default="CNY")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["brand", "state"], name="supply_po_brand_state"),
            models.Index(fields=["state"], name="supply_po_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PurchaseOrderState.values), name="supply_po_state_valid"),
            models.CheckConstraint(condition=Q(ownership__in=Ownership.values), name="supply_po_ownership_valid"),
        ]

    def __str__(self) -> str:
        return f"PO{self.pk}"


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField()
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    unit_price = models.BigIntegerField(help_text="fen per unit")
    expected_date = models.DateField(null=True, blank=True)
    received_quantity = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["purchase_order_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "line_no"], name="supply_po_line_no_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(unit_price__gte=0), name="supply_po_line_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(received_quantity__lte=F("quantity")),
                name="supply_po_line_no_over_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"PO{self.purchase_order_id} line {self.line_no}"


class Receipt(models.Model):
    """入库: one delivery against a purchase order, into one location of its warehouse."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    effective_date = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    journal_entry_id = models.BigIntegerField(null=True, blank=True, help_text="money-ledger entry, buy-out only")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Receipt {self.pk}"


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="lines")
    purchase_order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    quantity = models.BigIntegerField()
    value = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_receipt_line_positive")]

    def __str__(self) -> str:
        return f"receipt {self.receipt_id} line {self.pk}"


class ShipmentKind(models.TextChoices):
    SALE = "sale", "销售 Sale"
    SAMPLE = "sample", "样品 Sample"


class Shipment(models.Model):
    """出库: goods leave a warehouse for a buyer (an order line) or a sample holder."""

    kind = models.CharField(max_length=8, choices=ShipmentKind.choices)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(max_length=32)
    tracking_number = models.CharField(max_length=64)
    reference = models.CharField(max_length=64, blank=True, help_text="order line or sample request it fulfils")
    effective_date = models.DateField()
    journal_entry_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["tracking_number"], name="supply_ship_tracking"),
            models.Index(fields=["reference"], name="supply_ship_ref"),
        ]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ShipmentKind.values), name="supply_shipment_kind_valid")]

    def __str__(self) -> str:
        return f"Shipment {self.pk}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="lines")
    request_line = models.PositiveIntegerField(help_text="index of the requested line this allocation fills")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    value = models.BigIntegerField()
    returned_quantity = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_shipment_line_positive"),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0) & Q(returned_quantity__lte=F("quantity")),
                name="supply_shipment_line_return_within",
            ),
        ]

    def __str__(self) -> str:
        return f"shipment {self.shipment_id} line {self.pk}"


class ReturnDisposition(models.TextChoices):
    STOCK = "stock", "回库 Back into stock"
    SCRAP = "scrap", "报废 To scrap"


class StockReturn(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="returns")
    disposition = models.CharField(max_length=8, choices=ReturnDisposition.choices)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    effective_date = models.DateField()
    journal_entry_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Return {self.pk}"


class StockReturnLine(models.Model):
    stock_return = models.ForeignKey(StockReturn, on_delete=models.PROTECT, related_name="lines")
    shipment_line = models.ForeignKey(ShipmentLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.BigIntegerField()
    value = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_return_line_positive")]

    def __str__(self) -> str:
        return f"return {self.stock_return_id} line {self.pk}"


class TransferState(models.TextChoices):
    IN_TRANSIT = "in_transit", "在途 In transit"
    RECEIVED = "received", "已收货 Received"


class Transfer(models.Model):
    """调拨: shipped from one warehouse into the destination's in-transit location, then received."""

    from_warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    to_warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=TransferState.choices, default=TransferState.IN_TRANSIT)
    carrier = models.CharField(max_length=32, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    shipped_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_warehouse=F("to_warehouse")), name="supply_transfer_between_warehouses")
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="lines")
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    value = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_transfer_line_positive")]

    def __str__(self) -> str:
        return f"transfer {self.transfer_id} line {self.pk}"


class CountState(models.TextChoices):
    DRAFT = "draft", "草稿 Draft"
    POSTED = "posted", "已过账 Posted"


class StockCount(models.Model):
    """盘点: counted quantities; posting it writes an adjustment movement for every difference."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="counts")
    reason = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=CountState.choices, default=CountState.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    journal_entry_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Count {self.pk}"


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.PROTECT, related_name="lines")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    counted_quantity = models.BigIntegerField()
    # Filled when the count is posted.
    system_quantity = models.BigIntegerField(null=True, blank=True)
    difference_value = models.BigIntegerField(null=True, blank=True, help_text="signed fen")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(counted_quantity__gte=0), name="supply_count_line_not_negative"),
            models.UniqueConstraint(
                fields=["count", "location", "stock_item", "lot", "owner"], name="supply_count_line_unique", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"count {self.count_id} line {self.pk}"


class ReservationState(models.TextChoices):
    ACTIVE = "active", "生效 Active"
    RELEASED = "released", "已释放 Released"
    CONSUMED = "consumed", "已出库 Consumed"


class ReservationPurpose(models.TextChoices):
    LIVE_SESSION = "live_session", "直播 Live session"
    SAMPLE = "sample", "样品 Sample"


class Reservation(models.Model):
    """Holds stock for a live session or a sample: lowers what is available, not what is on hand."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="reservations")
    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=16, choices=ReservationPurpose.choices)
    reference = models.CharField(max_length=64, blank=True)
    quantity = models.BigIntegerField()
    state = models.CharField(max_length=12, choices=ReservationState.choices, default=ReservationState.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_reservation_positive")]

    def __str__(self) -> str:
        return f"Reservation {self.pk}"


class ReservationLine(models.Model):
    """The part of a reservation held on one balance row; `quantity` is what is still held."""

    reservation = models.ForeignKey(Reservation, on_delete=models.PROTECT, related_name="lines")
    balance = models.ForeignKey(StockBalance, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=0), name="supply_reservation_line_not_negative")]

    def __str__(self) -> str:
        return f"reservation {self.reservation_id} line {self.pk}"
