"""Serializers of the selection API: input shapes (validated here, ruled on by services) and outputs.
Money goes out as {"amount": "12.34", "currency": "CNY"}; rates are integers in basis points."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.catalog.facade import PlanType
from shuxuan.common.serializers import MoneySerializer, money
from shuxuan.parties.models import Platform
from shuxuan.selection.models import (
    ApprovalMode,
    CommissionPlan,
    ContentKind,
    LiveSession,
    LiveSessionItem,
    Pick,
    PlanApplication,
    PlanRateVersion,
    SampleRequest,
    SampleRule,
)

# ---------------------------------------------------------------------------------------------
# Plans.


class TierSerializer(serializers.Serializer[Any]):
    min_gmv_minor = serializers.IntegerField(help_text="anchor's month-to-date GMV of the product, fen")
    rate_bps = serializers.IntegerField()


class VersionSerializer(serializers.ModelSerializer[PlanRateVersion]):
    tiers = TierSerializer(many=True)

    class Meta:
        model = PlanRateVersion
        fields = ["id", "rate_bps", "ads_rate_bps", "tiers", "effective_from", "created_at"]


class PlanSerializer(serializers.ModelSerializer[CommissionPlan]):
    product_name = serializers.CharField(source="product.name")
    sku_code = serializers.CharField(source="sku.code", default=None, allow_null=True)
    target_anchor_name = serializers.CharField(source="target_anchor.name", default=None, allow_null=True)
    target_mcn_name = serializers.CharField(source="target_mcn.name", default=None, allow_null=True)
    current = serializers.SerializerMethodField()
    versions = VersionSerializer(many=True)

    class Meta:
        model = CommissionPlan
        fields = [
            "id",
            "product",
            "product_name",
            "sku",
            "sku_code",
            "plan_type",
            "name",
            "target_anchor",
            "target_anchor_name",
            "target_mcn",
            "target_mcn_name",
            "approval",
            "min_fans",
            "platforms",
            "min_credit",
            "valid_from",
            "valid_to",
            "current",
            "versions",
            "created_at",
        ]

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_current(self, plan: CommissionPlan) -> dict[str, Any] | None:
        """The version in force now: the latest-created one whose effective_from has passed."""
        now = timezone.now()
        in_force = [v for v in plan.versions.all() if v.effective_from <= now]
        return dict(VersionSerializer(max(in_force, key=lambda v: v.pk)).data) if in_force else None


class PlanCreateSerializer(serializers.Serializer[Any]):
    product = serializers.IntegerField()
    sku = serializers.IntegerField(required=False, allow_null=True)
    plan_type = serializers.ChoiceField(choices=PlanType.choices)
    rate_bps = serializers.IntegerField()
    ads_rate_bps = serializers.IntegerField(required=False, allow_null=True)
    tiers = TierSerializer(many=True, required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    target_anchor = serializers.IntegerField(required=False, allow_null=True)
    target_mcn = serializers.IntegerField(required=False, allow_null=True)
    approval = serializers.ChoiceField(choices=ApprovalMode.choices, required=False)
    min_fans = serializers.IntegerField(required=False, min_value=0)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices), required=False)
    min_credit = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    valid_from = serializers.DateTimeField(required=False)
    valid_to = serializers.DateTimeField(required=False, allow_null=True)


class PlanUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    approval = serializers.ChoiceField(choices=ApprovalMode.choices, required=False)
    min_fans = serializers.IntegerField(required=False, min_value=0)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices), required=False)
    min_credit = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    valid_to = serializers.DateTimeField(required=False, allow_null=True)
    rate_bps = serializers.IntegerField(required=False, help_text="a change appends a version: a cut from tomorrow, a raise now")
    ads_rate_bps = serializers.IntegerField(required=False, allow_null=True)
    tiers = TierSerializer(many=True, required=False)


# ---------------------------------------------------------------------------------------------
# Applications and picks.


class ApplicationSerializer(serializers.ModelSerializer[PlanApplication]):
    anchor_name = serializers.CharField(source="anchor.name")
    product = serializers.IntegerField(source="plan.product_id")
    product_name = serializers.CharField(source="plan.product.name")
    sku = serializers.IntegerField(source="plan.sku_id", allow_null=True)

    class Meta:
        model = PlanApplication
        fields = [
            "id",
            "plan",
            "anchor",
            "anchor_name",
            "product",
            "product_name",
            "sku",
            "state",
            "note",
            "reason",
            "decided_at",
            "created_at",
        ]


class DecisionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()


class SampleTermsSerializer(serializers.ModelSerializer[SampleRule]):
    """The conditions of a product's active sample rule, as the anchor side reads them before asking."""

    shipping_cost = serializers.SerializerMethodField()

    class Meta:
        model = SampleRule
        fields = [
            "min_fans",
            "platforms",
            "monthly_cap_per_anchor",
            "max_quantity",
            "decision_days",
            "content_days",
            "extension_days",
            "shipping_cost",
        ]

    @extend_schema_field(MoneySerializer)
    def get_shipping_cost(self, rule: SampleRule) -> dict[str, str]:
        return money(rule.shipping_cost_minor, "CNY")


class PlatformEligibilitySerializer(serializers.Serializer[Any]):
    platform = serializers.ChoiceField(choices=Platform.choices)
    eligible = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class SampleEligibilitySerializer(serializers.Serializer[Any]):
    """May the anchor ask for a sample of the product now: the rule, this month's cap used and left
    (Asia/Shanghai month), per platform whether it may and why not, and the address to start with.
    The reasons are the very refusals the sample request would answer with."""

    anchor = serializers.IntegerField(source="anchor_id")
    product = serializers.IntegerField(source="product_id")
    takes_samples = serializers.BooleanField(help_text="the product has an active sample rule")
    rule = SampleTermsSerializer(allow_null=True)
    month = serializers.CharField(help_text="the Asia/Shanghai month the cap counts, YYYY-MM")
    used = serializers.IntegerField(help_text="requests this month that count against the cap")
    left = serializers.IntegerField(help_text="requests still possible this month")
    eligible = serializers.BooleanField(help_text="eligible on at least one platform")
    reasons = ReasonSerializer(many=True, help_text="when eligible on no platform: why")
    platforms = PlatformEligibilitySerializer(many=True)
    ship_to = serializers.CharField(help_text="the last address samples of this anchor (else of the caller's anchors) went to")


class SampleEligibilityQuerySerializer(serializers.Serializer[Any]):
    anchor = serializers.IntegerField(required=False, help_text="default: the caller's own anchor")
    product = serializers.IntegerField()


class PickSerializer(serializers.ModelSerializer[Pick]):
    anchor_name = serializers.CharField(source="anchor.name")
    sku_code = serializers.CharField(source="sku.code")
    spec = serializers.CharField(source="sku.spec")
    product_name = serializers.CharField(source="product.name")
    brand_name = serializers.CharField(source="brand.name")
    retail_price = serializers.SerializerMethodField()
    sample = serializers.SerializerMethodField()

    class Meta:
        model = Pick
        fields = [
            "id",
            "anchor",
            "anchor_name",
            "sku",
            "sku_code",
            "spec",
            "product",
            "product_name",
            "brand",
            "brand_name",
            "retail_price",
            "mcn",
            "state",
            "plan",
            "version",
            "plan_type",
            "rate_bps",
            "ads_rate_bps",
            "frozen_at",
            "application",
            "note",
            "created_at",
            "removed_at",
            "sample",
        ]

    @extend_schema_field(MoneySerializer)
    def get_retail_price(self, pick: Pick) -> dict[str, str]:
        return money(pick.sku.retail_price_minor, pick.sku.currency)

    @extend_schema_field(SampleEligibilitySerializer(allow_null=True))
    def get_sample(self, pick: Pick) -> dict[str, Any] | None:
        """Sample eligibility for the anchor side (null for a brand's view, or when the view did not
        compute it). The view puts `sample_eligibility`, keyed by (anchor, product), in the context."""
        found = self.context.get("sample_eligibility", {}).get((pick.anchor_id, pick.product_id))
        return None if found is None else dict(SampleEligibilitySerializer(found).data)


class PickCreateSerializer(serializers.Serializer[Any]):
    anchor = serializers.IntegerField(required=False, help_text="default: the caller's own anchor")
    sku = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PickUpdateSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(allow_blank=True, max_length=200)


class QuoteQuerySerializer(serializers.Serializer[Any]):
    anchor = serializers.IntegerField(required=False, help_text="default: the caller's own anchor")
    sku = serializers.IntegerField(required=False)
    product = serializers.IntegerField(required=False, help_text="quote every SKU of the product")
    ads = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("sku" in attrs) == ("product" in attrs):
            raise serializers.ValidationError({"sku": "give sku or product"})
        return attrs


class VerdictSerializer(serializers.Serializer[Any]):
    plan_id = serializers.IntegerField()
    plan_type = serializers.CharField()
    scope = serializers.CharField()
    version_id = serializers.IntegerField(allow_null=True)
    rate_bps = serializers.IntegerField(allow_null=True)
    applies = serializers.BooleanField()
    chosen = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class QuoteSerializer(serializers.Serializer[Any]):
    anchor_id = serializers.IntegerField()
    sku_id = serializers.IntegerField()
    at = serializers.DateTimeField()
    ads = serializers.BooleanField()
    rate_bps = serializers.IntegerField(allow_null=True)
    plan_id = serializers.IntegerField(allow_null=True)
    plan_type = serializers.CharField(allow_null=True)
    version_id = serializers.IntegerField(allow_null=True)
    tier_min_gmv_minor = serializers.IntegerField(allow_null=True)
    month_gmv_minor = serializers.IntegerField()
    can_apply_plan_id = serializers.IntegerField(allow_null=True)
    pending_application_id = serializers.IntegerField(allow_null=True)
    reasons = ReasonSerializer(many=True)
    considered = VerdictSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Samples.


class SampleRuleSerializer(serializers.ModelSerializer[SampleRule]):
    product_name = serializers.CharField(source="product.name")
    shipping_cost = serializers.SerializerMethodField()

    class Meta:
        model = SampleRule
        fields = [
            "product",
            "product_name",
            "is_active",
            "min_fans",
            "platforms",
            "monthly_cap_per_anchor",
            "max_quantity",
            "decision_days",
            "content_days",
            "extension_days",
            "shipping_cost_minor",
            "shipping_cost",
            "updated_at",
        ]

    def to_representation(self, instance: SampleRule) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["id"] = instance.pk
        return data

    @extend_schema_field(MoneySerializer)
    def get_shipping_cost(self, rule: SampleRule) -> dict[str, str]:
        return money(rule.shipping_cost_minor, "CNY")


class SampleRuleWriteSerializer(serializers.Serializer[Any]):
    product = serializers.IntegerField(required=False)
    is_active = serializers.BooleanField(required=False)
    min_fans = serializers.IntegerField(required=False, min_value=0)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices), required=False)
    monthly_cap_per_anchor = serializers.IntegerField(required=False)
    max_quantity = serializers.IntegerField(required=False)
    decision_days = serializers.IntegerField(required=False)
    content_days = serializers.IntegerField(required=False)
    extension_days = serializers.IntegerField(required=False, min_value=0)
    shipping_cost_minor = serializers.IntegerField(required=False, min_value=0)


class SampleSerializer(serializers.ModelSerializer[SampleRequest]):
    anchor_name = serializers.CharField(source="anchor.name")
    sku_code = serializers.CharField(source="sku.code")
    product_name = serializers.CharField(source="product.name")
    cost = serializers.SerializerMethodField()
    hold = serializers.SerializerMethodField()

    class Meta:
        model = SampleRequest
        fields = [
            "id",
            "anchor",
            "anchor_name",
            "sku",
            "sku_code",
            "product",
            "product_name",
            "brand",
            "platform",
            "quantity",
            "ship_to",
            "note",
            "state",
            "created_at",
            "decide_by",
            "decided_at",
            "reason",
            "cost",
            "content_due_at",
            "extension_count",
            "extension_reason",
            "content_kind",
            "content_url",
            "content_recorded_at",
            "hold",
        ]

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_cost(self, sample: SampleRequest) -> dict[str, str] | None:
        return None if sample.cost_minor is None else money(sample.cost_minor, sample.currency)

    def get_hold(self, sample: SampleRequest) -> dict[str, Any] | None:
        hold = getattr(sample, "hold", None)
        if hold is None:
            return None
        return {"id": hold.pk, "quantity": hold.quantity, "state": hold.state, "supply_reservation": hold.reservation_id}


class SampleCreateSerializer(serializers.Serializer[Any]):
    anchor = serializers.IntegerField(required=False, help_text="default: the caller's own anchor")
    sku = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Platform.choices)
    quantity = serializers.IntegerField(required=False, default=1)
    ship_to = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ContentSerializer(serializers.Serializer[Any]):
    content_kind = serializers.ChoiceField(choices=ContentKind.choices)
    content_url = serializers.CharField(max_length=500)


class ShipSerializer(serializers.Serializer[Any]):
    carrier = serializers.CharField(max_length=32)
    tracking_number = serializers.CharField(max_length=64)


class ExtensionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class RoiQuerySerializer(serializers.Serializer[Any]):
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    brand = serializers.IntegerField(required=False, help_text="the operator names the brand")


class RoiRowSerializer(serializers.Serializer[Any]):
    product_id = serializers.IntegerField()
    product_name = serializers.CharField()
    samples = serializers.IntegerField()
    anchors = serializers.IntegerField()
    cost = MoneySerializer()
    gmv = MoneySerializer()
    roi = serializers.CharField(allow_null=True, help_text="GMV / cost, two decimals")


class FulfilmentSerializer(serializers.Serializer[Any]):
    anchor_id = serializers.IntegerField()
    anchor_name = serializers.CharField()
    approved = serializers.IntegerField()
    delivered = serializers.IntegerField()
    overdue = serializers.IntegerField()
    open = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="delivered / (delivered + overdue), two decimals")


# ---------------------------------------------------------------------------------------------
# Live sessions.


class SessionItemSerializer(serializers.ModelSerializer[LiveSessionItem]):
    sku_code = serializers.CharField(source="sku.code")
    product_name = serializers.CharField(source="sku.product.name")
    live_price = serializers.SerializerMethodField()
    slot_fee = serializers.SerializerMethodField()
    held = serializers.SerializerMethodField()

    class Meta:
        model = LiveSessionItem
        fields = [
            "id",
            "pick",
            "sku",
            "sku_code",
            "product_name",
            "brand",
            "position",
            "live_price",
            "stock_quantity",
            "held",
            "slot_fee",
        ]

    @extend_schema_field(MoneySerializer)
    def get_live_price(self, item: LiveSessionItem) -> dict[str, str]:
        return money(item.live_price_minor, item.currency)

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_slot_fee(self, item: LiveSessionItem) -> dict[str, str] | None:
        return None if item.slot_fee_minor is None else money(item.slot_fee_minor, item.currency)

    def get_held(self, item: LiveSessionItem) -> dict[str, Any] | None:
        hold = getattr(item, "hold", None)
        if hold is None:
            return None
        return {"quantity": hold.quantity, "state": hold.state, "supply_reservation": hold.reservation_id}


class SessionSerializer(serializers.ModelSerializer[LiveSession]):
    anchor_name = serializers.CharField(source="anchor.name")
    items = SessionItemSerializer(many=True)

    class Meta:
        model = LiveSession
        fields = [
            "id",
            "anchor",
            "anchor_name",
            "mcn",
            "platform",
            "title",
            "starts_at",
            "ends_at",
            "state",
            "cancelled_at",
            "cancel_reason",
            "items",
            "created_at",
        ]


class LineupLineSerializer(serializers.Serializer[Any]):
    pick = serializers.IntegerField()
    live_price_minor = serializers.IntegerField(help_text="fen, within the SKU's min/max live price")
    stock_quantity = serializers.IntegerField(required=False, default=0, min_value=0)
    slot_fee_minor = serializers.IntegerField(required=False, allow_null=True, min_value=0, help_text="坑位费, fen")


class SessionCreateSerializer(serializers.Serializer[Any]):
    anchor = serializers.IntegerField(required=False, help_text="default: the caller's own anchor")
    platform = serializers.ChoiceField(choices=Platform.choices)
    title = serializers.CharField(max_length=80)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    lineup = LineupLineSerializer(many=True, required=False)


class SessionUpdateSerializer(serializers.Serializer[Any]):
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    title = serializers.CharField(max_length=80, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    lineup = LineupLineSerializer(many=True, required=False, help_text="replaces the lineup when given")


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CalendarQuerySerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField(help_text="inclusive")
    anchor = serializers.IntegerField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "end is before start"})
        if (attrs["end"] - attrs["start"]).days > 92:
            raise serializers.ValidationError({"end": "at most 93 days"})
        return attrs
