"""Shapes of the orders API. Money is {"amount": "12.34", "currency": "CNY"}; rates are basis points."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.serializers import MinorAmountField
from shuxuan.orders.models import (
    ImportBatch,
    OrderLine,
    OrderLineEvent,
    OrderStatus,
    PlatformProductMapping,
    Source,
)
from shuxuan.parties.models import Platform


class PartySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SkuRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    spec = serializers.CharField()
    product_name = serializers.CharField(source="product.name")


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    uploaded_by = serializers.CharField(source="uploaded_by.username", allow_null=True, default=None)
    progress = serializers.SerializerMethodField(help_text="rows done / rows expected, 0–1; null while unknown")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source",
            "kind",
            "file_name",
            "sha256",
            "uploaded_by",
            "state",
            "rows_total",
            "rows_done",
            "progress",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "unattributed",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, batch: ImportBatch) -> float | None:
        if batch.state == "done":
            return 1.0
        if not batch.rows_total:
            return None
        return round(min(batch.rows_done / batch.rows_total, 1.0), 4)


class RejectedRowSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    reason = serializers.CharField()


class ImportBatchDetailSerializer(ImportBatchSerializer):
    rejected_rows = serializers.SerializerMethodField()

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "rejected_rows"]
        read_only_fields = fields

    @extend_schema_field(RejectedRowSerializer(many=True))
    def get_rejected_rows(self, batch: ImportBatch) -> list[dict[str, Any]]:
        rows = self.context.get("rejected_rows", [])
        return [{"line": line, "reason": reason} for line, reason in rows]


class UploadSerializer(serializers.Serializer[Any]):
    platform = serializers.ChoiceField(choices=Source.choices)
    file = serializers.FileField()


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    anchor = PartySerializer(allow_null=True, read_only=True)
    mcn = PartySerializer(allow_null=True, read_only=True)
    sku = SkuRefSerializer(allow_null=True, read_only=True)
    pay_amount = MinorAmountField(source="pay_amount_minor")
    commission_base = MinorAmountField(source="commission_base_minor")
    estimated_commission = MinorAmountField(source="estimated_commission_minor")
    settled_commission = MinorAmountField(source="settled_commission_minor")
    service_fee = MinorAmountField(source="service_fee_minor")
    refunded = MinorAmountField(source="refunded_minor")
    platform_subsidy = MinorAmountField(source="platform_subsidy_minor")

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "platform",
            "platform_order_id",
            "platform_line_id",
            "status",
            "currency",
            "quantity",
            "pay_amount",
            "commission_base",
            "platform_commission_rate_bps",
            "estimated_commission",
            "settled_commission",
            "service_fee_rate_bps",
            "service_fee",
            "refunded",
            "platform_subsidy",
            "paid_at",
            "confirmed_at",
            "settled_at",
            "refunded_at",
            "platform_author_id",
            "anchor",
            "mcn",
            "mcn_split_bps",
            "platform_product_id",
            "product_name",
            "media_type",
            "sku",
            "unattributed",
            "attribution_issues",
            "pick_id",
            "plan_id",
            "rate_bps",
            "live_session_id",
        ]
        read_only_fields = fields


class OrderLineEventSerializer(serializers.ModelSerializer[OrderLineEvent]):
    amount = MinorAmountField(source="amount_minor")
    batch_file = serializers.CharField(source="batch.file_name", allow_null=True, default=None)
    # "" on the event that created the line (it had no status before); a read-only model field would drop
    # allow_blank and leave "" out of the schema's enum.
    from_status = serializers.ChoiceField(choices=OrderStatus.choices, allow_blank=True, read_only=True)

    class Meta:
        model = OrderLineEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "amount",
            "occurred_at",
            "recorded_at",
            "batch",
            "batch_file",
            "changes",
        ]
        read_only_fields = fields


class OrderLineDetailSerializer(OrderLineSerializer):
    events = serializers.SerializerMethodField()
    mcn_binding = serializers.IntegerField(source="mcn_binding_id", allow_null=True, read_only=True)
    first_batch = serializers.IntegerField(source="first_batch_id", read_only=True)
    last_batch = serializers.IntegerField(source="last_batch_id", read_only=True)

    class Meta(OrderLineSerializer.Meta):
        fields = [*OrderLineSerializer.Meta.fields, "mcn_binding", "first_batch", "last_batch", "events"]
        read_only_fields = fields

    @extend_schema_field(OrderLineEventSerializer(many=True))
    def get_events(self, line: OrderLine) -> list[dict[str, Any]]:
        events = list(line.events.all())
        for event in events:
            event.line = line  # the currency of an event's amount is its line's; no query per event
        return OrderLineEventSerializer(events, many=True).data  # type: ignore[return-value]


class ProductMappingSerializer(serializers.ModelSerializer[PlatformProductMapping]):
    sku = SkuRefSerializer(read_only=True)

    class Meta:
        model = PlatformProductMapping
        fields = ["id", "platform", "platform_product_id", "sku", "created_at"]
        read_only_fields = fields


class ProductMappingCreateSerializer(serializers.Serializer[Any]):
    platform = serializers.ChoiceField(choices=Platform.choices)
    platform_product_id = serializers.CharField(max_length=64)
    sku = serializers.IntegerField()
