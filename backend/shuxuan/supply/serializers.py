"""Shapes of the supply API. Money is {"amount": "12.34", "currency": "CNY"} both ways."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from shuxuan.common.money import Money
from shuxuan.common.serializers import MoneyField, MoneySerializer
from shuxuan.parties.models import Organization
from shuxuan.supply import selectors
from shuxuan.supply.models import (
    Location,
    Lot,
    Ownership,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Reservation,
    ReservationPurpose,
    ReturnDisposition,
    Shipment,
    ShipmentKind,
    ShipmentLine,
    StockBalance,
    StockCount,
    StockCountLine,
    StockItem,
    StockMovement,
    StockReturn,
    Transfer,
    TransferLine,
    Warehouse,
)


class OrgBriefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class LotSerializer(serializers.ModelSerializer[Lot]):
    class Meta:
        model = Lot
        fields = ["id", "batch_number", "production_date", "expiry_date"]


class LocationSerializer(serializers.ModelSerializer[Location]):
    class Meta:
        model = Location
        fields = ["id", "warehouse", "kind", "code", "name"]


class WarehouseSerializer(serializers.ModelSerializer[Warehouse]):
    locations = LocationSerializer(many=True, read_only=True)

    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "city", "county", "locations"]


class WarehouseCreateSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=120)
    city = serializers.CharField(max_length=32, required=False, default="")
    county = serializers.CharField(max_length=32, required=False, default="")


class LocationCreateSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=64)


class StockItemSerializer(serializers.ModelSerializer[StockItem]):
    brand = OrgBriefSerializer(read_only=True)

    class Meta:
        model = StockItem
        fields = ["id", "sku_code", "name", "unit", "brand", "requires_lot"]


class StockItemCreateSerializer(serializers.Serializer[Any]):
    sku_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=120)
    unit = serializers.CharField(max_length=16, default="件")
    brand = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    requires_lot = serializers.BooleanField(default=False)


class StockItemBriefSerializer(serializers.ModelSerializer[StockItem]):
    class Meta:
        model = StockItem
        fields = ["id", "sku_code", "name", "unit"]


# Purchase ---------------------------------------------------------------------------------------


class PurchaseOrderLineSerializer(serializers.ModelSerializer[PurchaseOrderLine]):
    stock_item = StockItemBriefSerializer(read_only=True)
    unit_price = MoneyField(currency="CNY", read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "line_no", "stock_item", "quantity", "unit_price", "expected_date", "received_quantity"]


class PurchaseOrderSerializer(serializers.ModelSerializer[PurchaseOrder]):
    brand = OrgBriefSerializer(read_only=True)
    buyer = OrgBriefSerializer(read_only=True)
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = ["id", "buyer", "brand", "warehouse", "ownership", "state", "note", "created_at", "confirmed_at", "lines"]


class PurchaseLineInputSerializer(serializers.Serializer[Any]):
    stock_item = serializers.IntegerField(source="stock_item_id")
    quantity = serializers.IntegerField(min_value=1)
    unit_price = MoneyField(currency="CNY")
    expected_date = serializers.DateField(required=False, allow_null=True, default=None)


class PurchaseOrderCreateSerializer(serializers.Serializer[Any]):
    brand = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    ownership = serializers.ChoiceField(choices=Ownership.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lines = PurchaseLineInputSerializer(many=True)


class ReceiptLineInputSerializer(serializers.Serializer[Any]):
    purchase_order_line = serializers.IntegerField(source="purchase_order_line_id")
    quantity = serializers.IntegerField(min_value=1)
    batch_number = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    production_date = serializers.DateField(required=False, allow_null=True, default=None)
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)


class ReceiptCreateSerializer(serializers.Serializer[Any]):
    location = serializers.IntegerField(source="location_id", required=False, allow_null=True, default=None)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lines = ReceiptLineInputSerializer(many=True)


class ReceiptLineSerializer(serializers.ModelSerializer[ReceiptLine]):
    stock_item = StockItemBriefSerializer(source="purchase_order_line.stock_item", read_only=True)
    line_no = serializers.IntegerField(source="purchase_order_line.line_no", read_only=True)
    lot = LotSerializer(read_only=True)
    value = MoneyField(currency="CNY", read_only=True)

    class Meta:
        model = ReceiptLine
        fields = ["id", "line_no", "stock_item", "lot", "quantity", "value"]


class ReceiptSerializer(serializers.ModelSerializer[Receipt]):
    lines = ReceiptLineSerializer(many=True, read_only=True)
    location = LocationSerializer(read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "purchase_order", "location", "effective_date", "note", "journal_entry_id", "created_at", "lines"]


# Stock ------------------------------------------------------------------------------------------


class StockBalanceSerializer(serializers.ModelSerializer[StockBalance]):
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    location = LocationSerializer(read_only=True)
    stock_item = StockItemBriefSerializer(read_only=True)
    lot = LotSerializer(read_only=True)
    owner = OrgBriefSerializer(read_only=True)
    available = serializers.IntegerField(read_only=True)
    unit_cost = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()

    class Meta:
        model = StockBalance
        fields = [
            "id",
            "warehouse",
            "location",
            "stock_item",
            "lot",
            "owner",
            "on_hand",
            "reserved",
            "available",
            "unit_cost",
            "value",
        ]

    @extend_schema_field(MoneySerializer)
    def get_unit_cost(self, row: Any) -> dict[str, str]:
        """The moving-average unit cost of the row's item and owner, half-up to the fen."""
        return Money(selectors.balance_unit_cost(row)).as_api()

    @extend_schema_field(MoneySerializer)
    def get_value(self, row: Any) -> dict[str, str]:
        """The ledger's value of what is on hand: the cost pool's value allocated over its rows
        (not unit cost × on hand, which differs by rounding). The view puts `stock_values` in the context."""
        return Money(self.context.get("stock_values", {}).get(row.pk, 0)).as_api()


@extend_schema_serializer(many=False)  # the list answers one page object, not a paginated list of pages
class StockPageSerializer(serializers.Serializer[Any]):
    """A page of the stock list and the value of every row the filters select (not just this page)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StockBalanceSerializer(many=True)
    total_value = MoneySerializer()


class ScrapSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=200)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class MovementSerializer(serializers.ModelSerializer[StockMovement]):
    stock_item = StockItemBriefSerializer(read_only=True)
    lot = LotSerializer(read_only=True)
    owner = OrgBriefSerializer(read_only=True)
    from_location = LocationSerializer(read_only=True)
    to_location = LocationSerializer(read_only=True)
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True, read_only=True)
    value = MoneyField(currency="CNY", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "kind",
            "stock_item",
            "lot",
            "owner",
            "from_location",
            "to_location",
            "quantity",
            "value",
            "held_quantity",
            "reason",
            "actor",
            "source_type",
            "source_id",
            "effective_date",
            "created_at",
        ]


# Shipments, returns, transfers, counts, reservations ---------------------------------------------


class PickInputSerializer(serializers.Serializer[Any]):
    stock_item = serializers.IntegerField(source="stock_item_id")
    quantity = serializers.IntegerField(min_value=1)
    lot = serializers.IntegerField(source="lot_id", required=False, allow_null=True, default=None)
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True, default=None)
    location = serializers.IntegerField(source="location_id", required=False, allow_null=True, default=None)
    reservation = serializers.IntegerField(source="reservation_id", required=False, allow_null=True, default=None)


class ShipmentCreateSerializer(serializers.Serializer[Any]):
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    kind = serializers.ChoiceField(choices=ShipmentKind.choices)
    carrier = serializers.CharField(max_length=32)
    tracking_number = serializers.CharField(max_length=64)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    lines = PickInputSerializer(many=True)


class ShipmentLineSerializer(serializers.ModelSerializer[ShipmentLine]):
    stock_item = StockItemBriefSerializer(read_only=True)
    lot = LotSerializer(read_only=True)
    owner = OrgBriefSerializer(read_only=True)
    location = LocationSerializer(read_only=True)
    value = MoneyField(currency="CNY", read_only=True)

    class Meta:
        model = ShipmentLine
        fields = ["id", "request_line", "location", "stock_item", "lot", "owner", "quantity", "value", "returned_quantity"]


class ShipmentSerializer(serializers.ModelSerializer[Shipment]):
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    lines = ShipmentLineSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "id",
            "kind",
            "warehouse",
            "carrier",
            "tracking_number",
            "reference",
            "effective_date",
            "journal_entry_id",
            "created_at",
            "lines",
        ]


class ReturnLineInputSerializer(serializers.Serializer[Any]):
    shipment_line = serializers.IntegerField(source="shipment_line_id")
    quantity = serializers.IntegerField(min_value=1)


class ReturnCreateSerializer(serializers.Serializer[Any]):
    disposition = serializers.ChoiceField(choices=ReturnDisposition.choices)
    reason = serializers.CharField(max_length=200)
    location = serializers.IntegerField(source="location_id", required=False, allow_null=True, default=None)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    lines = ReturnLineInputSerializer(many=True)


class ReturnSerializer(serializers.ModelSerializer[StockReturn]):
    location = LocationSerializer(read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = StockReturn
        fields = [
            "id",
            "shipment",
            "disposition",
            "location",
            "reason",
            "effective_date",
            "journal_entry_id",
            "created_at",
            "lines",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField())  # type: ignore[arg-type]
    )
    def get_lines(self, obj: StockReturn) -> list[dict[str, Any]]:
        return [
            {"shipment_line": line.shipment_line_id, "quantity": line.quantity, "value": Money(line.value).as_api()}
            for line in obj.lines.all()
        ]


class TransferCreateSerializer(serializers.Serializer[Any]):
    from_warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    to_warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    carrier = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    lines = PickInputSerializer(many=True)


class TransferReceiveSerializer(serializers.Serializer[Any]):
    location = serializers.IntegerField(source="location_id", required=False, allow_null=True, default=None)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class TransferLineSerializer(serializers.ModelSerializer[TransferLine]):
    stock_item = StockItemBriefSerializer(read_only=True)
    lot = LotSerializer(read_only=True)
    owner = OrgBriefSerializer(read_only=True)
    value = MoneyField(currency="CNY", read_only=True)

    class Meta:
        model = TransferLine
        fields = ["id", "stock_item", "lot", "owner", "quantity", "value"]


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    from_warehouse = serializers.CharField(source="from_warehouse.code", read_only=True)
    to_warehouse = serializers.CharField(source="to_warehouse.code", read_only=True)
    to_location = LocationSerializer(read_only=True)
    lines = TransferLineSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "from_warehouse",
            "to_warehouse",
            "to_location",
            "state",
            "carrier",
            "tracking_number",
            "shipped_on",
            "received_on",
            "lines",
        ]


class CountLineInputSerializer(serializers.Serializer[Any]):
    location = serializers.IntegerField(source="location_id")
    stock_item = serializers.IntegerField(source="stock_item_id")
    owner = serializers.IntegerField(source="owner_id")
    lot = serializers.IntegerField(source="lot_id", required=False, allow_null=True, default=None)
    counted_quantity = serializers.IntegerField(min_value=0)


class CountCreateSerializer(serializers.Serializer[Any]):
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    reason = serializers.CharField(max_length=200)
    lines = CountLineInputSerializer(many=True)


class CountPostSerializer(serializers.Serializer[Any]):
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class CountLineSerializer(serializers.ModelSerializer[StockCountLine]):
    stock_item = StockItemBriefSerializer(read_only=True)
    lot = LotSerializer(read_only=True)
    owner = OrgBriefSerializer(read_only=True)
    location = LocationSerializer(read_only=True)
    difference_value = MoneyField(currency="CNY", read_only=True, allow_null=True)

    class Meta:
        model = StockCountLine
        fields = ["id", "location", "stock_item", "lot", "owner", "counted_quantity", "system_quantity", "difference_value"]


class CountSerializer(serializers.ModelSerializer[StockCount]):
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    lines = CountLineSerializer(many=True, read_only=True)

    class Meta:
        model = StockCount
        fields = ["id", "warehouse", "reason", "state", "effective_date", "journal_entry_id", "created_at", "posted_at", "lines"]


class ReservationCreateSerializer(serializers.Serializer[Any]):
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    stock_item = serializers.IntegerField(source="stock_item_id")
    quantity = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=ReservationPurpose.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True, default=None)
    lot = serializers.IntegerField(source="lot_id", required=False, allow_null=True, default=None)


class ReservationSerializer(serializers.ModelSerializer[Reservation]):
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    stock_item = StockItemBriefSerializer(read_only=True)
    held = serializers.SerializerMethodField()

    class Meta:
        model = Reservation
        fields = ["id", "warehouse", "stock_item", "purpose", "reference", "quantity", "state", "held", "created_at"]

    def get_held(self, obj: Reservation) -> int:
        return sum(line.quantity for line in obj.lines.all())


# Report -----------------------------------------------------------------------------------------


class ReportQuerySerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": "date_to is before date_from"})
        return attrs


class FlowSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField()
    value = MoneyField(currency="CNY")


class ReportRowSerializer(serializers.Serializer[Any]):
    stock_item_id = serializers.IntegerField()
    sku_code = serializers.CharField()
    name = serializers.CharField()
    owner_id = serializers.IntegerField()
    owner_name = serializers.CharField()
    ownership = serializers.ChoiceField(choices=Ownership.choices)
    opening = FlowSerializer()
    purchased = FlowSerializer()
    sold = FlowSerializer()
    sampled = FlowSerializer()
    returned = FlowSerializer()
    adjusted = FlowSerializer()
    closing = FlowSerializer()
