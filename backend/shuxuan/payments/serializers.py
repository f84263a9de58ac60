"""Shapes of the payments API. Money is {"amount": "12.34", "currency": "CNY"} (docs/domain.md section 3)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.serializers import MoneyField, MoneySerializer, UserNameField, money
from shuxuan.payments.models import BrandCharge, ChargeKind, ConnectedAccount, StripeTransfer, StripeTransferReversal


class ConnectedAccountSerializer(serializers.ModelSerializer[ConnectedAccount]):
    organization_name = serializers.CharField(source="organization.name", default=None, allow_null=True, read_only=True)
    anchor_name = serializers.CharField(source="anchor.name", default=None, allow_null=True, read_only=True)
    created_by_name = UserNameField(source="created_by", help_text="who registered the account")

    class Meta:
        model = ConnectedAccount
        fields = [
            "id",
            "organization",
            "organization_name",
            "anchor",
            "anchor_name",
            "stripe_account_id",
            "charges_enabled",
            "payouts_enabled",
            "details_submitted",
            "country",
            "default_currency",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = fields


class ConnectedAccountRegisterSerializer(serializers.Serializer[Any]):
    organization_id = serializers.IntegerField(required=False, allow_null=True)
    anchor_id = serializers.IntegerField(required=False, allow_null=True)
    stripe_account_id = serializers.CharField(max_length=64)


class BrandChargeSerializer(serializers.ModelSerializer[BrandCharge]):
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    amount = serializers.SerializerMethodField()
    created_by_name = UserNameField(source="created_by", help_text="who asked for the charge")

    class Meta:
        model = BrandCharge
        fields = [
            "id",
            "brand",
            "brand_name",
            "kind",
            "amount",
            "live_session",
            "description",
            "state",
            "payment_intent_id",
            "client_secret",
            "refund_id",
            "failure_message",
            "idempotency_key",
            "created_by_name",
            "created_at",
            "paid_at",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_amount(self, charge: BrandCharge) -> dict[str, str]:
        return money(charge.amount_minor, charge.currency)


class BrandChargeCreateSerializer(serializers.Serializer[Any]):
    brand_id = serializers.IntegerField(required=False, help_text="operator only; a brand pays its own charges")
    kind = serializers.ChoiceField(choices=ChargeKind.choices)
    amount = MoneyField()
    live_session_id = serializers.IntegerField(required=False, allow_null=True, help_text="the session of a slot fee")
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    idempotency_key = serializers.CharField(
        required=False,
        max_length=200,
        help_text="or the Idempotency-Key header; a retry with the same key makes no second charge",
    )


class ChargeRefundSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class TransferReversalSerializer(serializers.ModelSerializer[StripeTransferReversal]):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = StripeTransferReversal
        fields = ["id", "stripe_reversal_id", "amount", "status", "failure_message", "reference", "created_at"]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_amount(self, reversal: StripeTransferReversal) -> dict[str, str]:
        return money(reversal.amount_minor, reversal.currency)


class StripeTransferSerializer(serializers.ModelSerializer[StripeTransfer]):
    amount = serializers.SerializerMethodField()
    amount_reversed = serializers.SerializerMethodField()
    reversals = TransferReversalSerializer(many=True, read_only=True)

    class Meta:
        model = StripeTransfer
        fields = [
            "id",
            "stripe_transfer_id",
            "reference",
            "destination",
            "amount",
            "amount_reversed",
            "transfer_group",
            "status",
            "failure_code",
            "failure_message",
            "reversals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_amount(self, transfer: StripeTransfer) -> dict[str, str]:
        return money(transfer.amount_minor, transfer.currency)

    @extend_schema_field(MoneySerializer)
    def get_amount_reversed(self, transfer: StripeTransfer) -> dict[str, str]:
        return money(transfer.amount_reversed_minor, transfer.currency)
