"""Selection: commission plans and their rate history, targeted-plan applications, pick lists (货盘),
sample rules and requests (寄样), stock holds, live sessions (直播排期) and the per-anchor sales
that sample ROI reads.

Rates are basis points (1 bp = 0.01%); money is integer minor units (fen) beside an ISO-4217 currency.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q

from shuxuan.catalog.facade import PlanType
from shuxuan.parties.facade import TsTzRange
from shuxuan.parties.models import Organization, Platform

MAX_RATE_BPS = 8_000


class ApprovalMode(models.TextChoices):
    AUTO = "auto", "自动通过 Automatic"
    MANUAL = "manual", "人工审核 Manual"


class CommissionPlan(models.Model):
    """A brand's commission offer on a product (all its SKUs) or on one SKU.

    Open plans apply to every eligible anchor; targeted plans to anchors whose application the brand
    approved; exclusive plans to one named anchor or to the anchors bound to one named MCN.
    The rate lives in `PlanRateVersion` (append-only history); the rest of the plan may be edited.
    """

    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="commission_plans")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="commission_plans")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, null=True, blank=True, related_name="commission_plans")
    plan_type = models.CharField(max_length=16, choices=PlanType.choices)
    name = models.CharField(max_length=60, blank=True)
    target_anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_mcn = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approval = models.CharField(max_length=8, choices=ApprovalMode.choices, default=ApprovalMode.MANUAL)
    # Eligibility. `min_credit` is stored for the credit system (the province's action plan, 四(二)) and not yet enforced.
    min_fans = models.PositiveBigIntegerField(default=0)
    platforms = ArrayField(models.CharField(max_length=16, choices=Platform.choices), default=list, blank=True)
    min_credit = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["product", "plan_type"], name="selection_plan_product"),
            models.Index(fields=["brand", "-id"], name="selection_plan_brand"),
            models.Index(fields=["valid_to"], name="selection_plan_valid_to"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(plan_type__in=PlanType.values), name="selection_plan_type_valid"),
            models.CheckConstraint(condition=Q(approval__in=ApprovalMode.values), name="selection_plan_approval_valid"),
            models.CheckConstraint(condition=Q(platforms__contained_by=Platform.values), name="selection_plan_platforms_valid"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="selection_plan_valid_range"
            ),
            # An exclusive plan names exactly one anchor or one MCN; the others name nobody.
            models.CheckConstraint(
                condition=(
                    Q(plan_type=PlanType.EXCLUSIVE, target_anchor__isnull=False, target_mcn__isnull=True)
                    | Q(plan_type=PlanType.EXCLUSIVE, target_anchor__isnull=True, target_mcn__isnull=False)
                    | (~Q(plan_type=PlanType.EXCLUSIVE) & Q(target_anchor__isnull=True, target_mcn__isnull=True))
                ),
                name="selection_plan_exclusive_names_one",
            ),
            # At most one open plan per product (or per SKU) at any moment: rate changes are versions.
            ExclusionConstraint(
                name="selection_plan_one_open_per_scope",
                expressions=[
                    ("product", RangeOperators.EQUAL),
                    (models.functions.Coalesce("sku", models.Value(0)), RangeOperators.EQUAL),
                    (TsTzRange("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
                condition=Q(plan_type=PlanType.OPEN),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} plan {self.pk} on product {self.product_id}" + (f" sku {self.sku_id}" if self.sku_id else "")


class PlanRateVersion(models.Model):
    """One rate decision of a plan. Append-only (a trigger refuses UPDATE and DELETE).

    The version in force at a moment is the latest-created one whose `effective_from` has passed:
    a cut takes effect at the next Asia/Shanghai midnight, a raise at once, and a later decision
    wins over an earlier one once both are in force.
    `tiers`: [{"min_gmv_minor": int, "rate_bps": int}, ...] ascending — the rate once the anchor's GMV
    of the product in the calendar month reaches the threshold.
    """

    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, related_name="versions")
    rate_bps = models.PositiveIntegerField()
    ads_rate_bps = models.PositiveIntegerField(null=True, blank=True, help_text="rate for ads-driven orders, if different")
    tiers = models.JSONField(default=list, blank=True)
    effective_from = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "id"]
        indexes = [models.Index(fields=["plan", "effective_from"], name="selection_version_plan_eff")]
        constraints = [
            models.CheckConstraint(condition=Q(rate_bps__lte=MAX_RATE_BPS), name="selection_version_rate_range"),
            models.CheckConstraint(
                condition=Q(ads_rate_bps__isnull=True) | Q(ads_rate_bps__lte=MAX_RATE_BPS),
                name="selection_version_ads_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id} v{self.pk}: {self.rate_bps} bp from {self.effective_from:%Y-%m-%d %H:%M}"


class ApplicationState(models.TextChoices):
    PENDING = "pending", "待审核 Pending"
    APPROVED = "approved", "已通过 Approved"
    REJECTED = "rejected", "已拒绝 Rejected"


class PlanApplication(models.Model):
    """An anchor's request to join a targeted plan; the brand approves or rejects it."""

    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, related_name="applications")
    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, related_name="plan_applications")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=ApplicationState.choices, default=ApplicationState.PENDING)
    note = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["brand", "state"], name="selection_app_brand_state")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ApplicationState.values), name="selection_app_state_valid"),
            models.UniqueConstraint(
                fields=["plan", "anchor"], condition=~Q(state=ApplicationState.REJECTED), name="selection_app_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.REJECTED) | ~Q(reason=""), name="selection_app_reject_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"application {self.pk}: anchor {self.anchor_id} → plan {self.plan_id} ({self.state})"


class PickState(models.TextChoices):
    ACTIVE = "active", "已选 Active"
    PENDING = "pending", "待品牌审核 Awaiting the brand"
    REJECTED = "rejected", "未获批 Not approved"
    REMOVED = "removed", "已移除 Removed"


class Pick(models.Model):
    """A SKU on an anchor's pick list, with the plan, version and rate frozen when it became active.

    Frozen terms go from empty to set once and never change (a trigger refuses it); a later rate
    change never rewrites a pick. A pick waiting for a targeted-plan approval has no terms yet.
    """

    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, related_name="picks")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    mcn = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=PickState.choices)
    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="picks")
    version = models.ForeignKey(PlanRateVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    plan_type = models.CharField(max_length=16, choices=PlanType.choices, blank=True)
    rate_bps = models.PositiveIntegerField(null=True, blank=True)
    ads_rate_bps = models.PositiveIntegerField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    application = models.ForeignKey(PlanApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="picks")
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["anchor", "-id"], name="selection_pick_anchor"),
            models.Index(fields=["brand", "-id"], name="selection_pick_brand"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PickState.values), name="selection_pick_state_valid"),
            models.UniqueConstraint(
                fields=["anchor", "sku"], condition=Q(removed_at__isnull=True), name="selection_pick_one_per_sku"
            ),
            models.CheckConstraint(
                condition=~Q(state=PickState.ACTIVE)
                | Q(plan__isnull=False, version__isnull=False, rate_bps__isnull=False, frozen_at__isnull=False),
                name="selection_pick_active_has_terms",
            ),
            models.CheckConstraint(
                condition=Q(rate_bps__isnull=True) | Q(rate_bps__lte=MAX_RATE_BPS), name="selection_pick_rate"
            ),
            models.CheckConstraint(
                condition=(Q(state=PickState.REMOVED) & Q(removed_at__isnull=False))
                | (~Q(state=PickState.REMOVED) & Q(removed_at__isnull=True)),
                name="selection_pick_removed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"pick {self.pk}: anchor {self.anchor_id} sku {self.sku_id} ({self.state})"


class SkuStockLink(models.Model):
    """Which supply StockItem holds a catalog SKU's goods, when the codes differ.

    Lookup order for a SKU's stock item: this link, else the StockItem of the same brand whose
    `sku_code` equals the SKU's code (case-insensitive), else none (holds stay in selection).
    """

    sku = models.OneToOneField("catalog.Sku", on_delete=models.CASCADE, primary_key=True, related_name="+")
    stock_item = models.ForeignKey("supply.StockItem", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sku {self.sku_id} → stock item {self.stock_item_id}"


class SampleRule(models.Model):
    """A brand's rules for samples of one product. No rule (or inactive): no samples."""

    product = models.OneToOneField("catalog.Product", on_delete=models.PROTECT, primary_key=True, related_name="sample_rule")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    min_fans = models.PositiveBigIntegerField(default=0)
    platforms = ArrayField(models.CharField(max_length=16, choices=Platform.choices), default=list, blank=True)
    monthly_cap_per_anchor = models.PositiveSmallIntegerField(default=1)
    max_quantity = models.PositiveSmallIntegerField(default=2)
    decision_days = models.PositiveSmallIntegerField(default=3, help_text="the brand decides within this many days")
    content_days = models.PositiveSmallIntegerField(default=14, help_text="content is due this many days after approval")
    extension_days = models.PositiveSmallIntegerField(default=7)
    shipping_cost_minor = models.BigIntegerField(default=0, help_text="counted in the sample's cost, fen")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product_id"]
        indexes = [models.Index(fields=["brand"], name="selection_rule_brand")]
        constraints = [
            models.CheckConstraint(condition=Q(platforms__contained_by=Platform.values), name="selection_rule_platforms_valid"),
            models.CheckConstraint(condition=Q(monthly_cap_per_anchor__gte=1), name="selection_rule_cap_positive"),
            models.CheckConstraint(condition=Q(max_quantity__gte=1), name="selection_rule_max_quantity_positive"),
            models.CheckConstraint(
                condition=Q(decision_days__gte=1) & Q(content_days__gte=1), name="selection_rule_deadlines_positive"
            ),
            models.CheckConstraint(condition=Q(shipping_cost_minor__gte=0), name="selection_rule_shipping_not_negative"),
        ]

    def __str__(self) -> str:
        return f"sample rule of product {self.product_id}"


class SampleState(models.TextChoices):
    PENDING = "pending", "待审核 Pending"
    APPROVED = "approved", "已通过 Approved"
    REJECTED = "rejected", "已拒绝 Rejected"
    EXPIRED = "expired", "已过期 Expired"
    CANCELLED = "cancelled", "已撤回 Cancelled"
    FULFILLED = "fulfilled", "已交付内容 Content delivered"


class ContentKind(models.TextChoices):
    STREAM = "stream", "直播 Stream"
    VIDEO = "video", "短视频 Video"


class SampleRequest(models.Model):
    """寄样: an anchor asks a brand for a sample; the brand decides by `decide_by` or it expires.
    An approved sample owes content (a stream or video link) by `content_due_at`; one extension."""

    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, related_name="sample_requests")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    mcn = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    quantity = models.PositiveSmallIntegerField(default=1)
    ship_to = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=SampleState.choices, default=SampleState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    decide_by = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    # Frozen at approval: supply price × quantity + the rule's shipping cost.
    cost_minor = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    content_due_at = models.DateTimeField(null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.CharField(max_length=200, blank=True)
    content_kind = models.CharField(max_length=8, choices=ContentKind.choices, blank=True)
    content_url = models.URLField(max_length=500, blank=True)
    content_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["brand", "state"], name="selection_sample_brand_state"),
            models.Index(fields=["anchor", "product", "created_at"], name="selection_sample_anchor_month"),
            models.Index(fields=["decide_by"], condition=Q(state="pending"), name="selection_sample_due_decision"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SampleState.values), name="selection_sample_state_valid"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="selection_sample_quantity_positive"),
            models.CheckConstraint(condition=Q(extension_count__lte=1), name="selection_sample_one_extension"),
            models.CheckConstraint(
                condition=~Q(state__in=[SampleState.APPROVED, SampleState.FULFILLED])
                | Q(cost_minor__isnull=False, content_due_at__isnull=False, decided_at__isnull=False),
                name="selection_sample_approved_has_terms",
            ),
            models.CheckConstraint(
                condition=~Q(state=SampleState.FULFILLED) | (~Q(content_url="") & Q(content_recorded_at__isnull=False)),
                name="selection_sample_fulfilled_has_content",
            ),
            models.CheckConstraint(
                condition=~Q(state=SampleState.REJECTED) | ~Q(reason=""), name="selection_sample_reject_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"sample {self.pk}: anchor {self.anchor_id} sku {self.sku_id} ({self.state})"


class LiveSessionState(models.TextChoices):
    SCHEDULED = "scheduled", "已排期 Scheduled"
    CANCELLED = "cancelled", "已取消 Cancelled"


class LiveSession(models.Model):
    """直播排期: one scheduled stream of an anchor. The database refuses two scheduled sessions of
    one anchor that overlap in time."""

    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, related_name="live_sessions")
    mcn = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    title = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=LiveSessionState.choices, default=LiveSessionState.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["anchor", "starts_at"], name="selection_session_anchor")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="selection_session_ends_after_start"),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="selection_session_platform_valid"),
            models.CheckConstraint(condition=Q(state__in=LiveSessionState.values), name="selection_session_state_valid"),
            ExclusionConstraint(
                name="selection_session_no_overlap",
                expressions=[
                    ("anchor", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(state=LiveSessionState.SCHEDULED),
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.pk}: {self.title}"


class LiveSessionItem(models.Model):
    """One SKU of a session's lineup, from the anchor's pick list, at a live price within the SKU's
    min/max live price, with the units held for it and the slot fee (坑位费) the brand pays, if agreed."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items")
    pick = models.ForeignKey(Pick, on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    live_price_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    stock_quantity = models.PositiveIntegerField(default=0)
    slot_fee_minor = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["session_id", "position", "id"]
        indexes = [models.Index(fields=["brand", "session"], name="selection_item_brand")]
        constraints = [
            models.UniqueConstraint(fields=["session", "sku"], name="selection_item_sku_once"),
            models.CheckConstraint(condition=Q(live_price_minor__gt=0), name="selection_item_price_positive"),
            models.CheckConstraint(
                condition=Q(slot_fee_minor__isnull=True) | Q(slot_fee_minor__gte=0), name="selection_item_slot_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.session_id} #{self.position} sku {self.sku_id}"


class HoldPurpose(models.TextChoices):
    SAMPLE = "sample", "样品 Sample"
    LIVE_SESSION = "live_session", "直播 Live session"


class HoldState(models.TextChoices):
    ACTIVE = "active", "生效 Active"
    RELEASED = "released", "已释放 Released"


class StockHold(models.Model):
    """Units held for a sample or a lineup item. When the SKU maps to a supply StockItem the units
    are reserved in supply (`reservation`); otherwise this row is the only record of the hold."""

    purpose = models.CharField(max_length=16, choices=HoldPurpose.choices)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=HoldState.choices, default=HoldState.ACTIVE)
    reservation = models.OneToOneField("supply.Reservation", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sample = models.OneToOneField(SampleRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="hold")
    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, null=True, blank=True, related_name="holds")
    # Cleared when a lineup is replaced (the item goes; its released hold stays as history).
    session_item = models.OneToOneField(LiveSessionItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="hold")
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="selection_hold_quantity_positive"),
            models.CheckConstraint(
                condition=Q(purpose=HoldPurpose.SAMPLE, sample__isnull=False, session__isnull=True, session_item__isnull=True)
                | Q(purpose=HoldPurpose.LIVE_SESSION, sample__isnull=True, session__isnull=False),
                name="selection_hold_has_one_owner",
            ),
            models.CheckConstraint(
                condition=(Q(state=HoldState.RELEASED) & Q(released_at__isnull=False))
                | (Q(state=HoldState.ACTIVE) & Q(released_at__isnull=True)),
                name="selection_hold_released_at",
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk}: {self.quantity} of sku {self.sku_id} ({self.state})"


class AnchorProductSales(models.Model):
    """Daily sales of one SKU by one anchor (Asia/Shanghai days). Filled by the orders context
    through `selection.facade.anchor_sales_record`; read by the sample ROI report and GMV tiers."""

    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    gmv_minor = models.BigIntegerField()
    units = models.IntegerField()
    currency = models.CharField(max_length=3, default="CNY")

    class Meta:
        ordering = ["anchor_id", "sku_id", "day"]
        indexes = [models.Index(fields=["anchor", "product", "day"], name="selection_sales_anchor_product")]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "sku", "day"], name="selection_sales_one_row_per_day"),
            models.CheckConstraint(condition=Q(gmv_minor__gte=0) & Q(units__gte=0), name="selection_sales_not_negative"),
        ]

    def __str__(self) -> str:
        return f"anchor {self.anchor_id} sku {self.sku_id} {self.day}: {self.gmv_minor}"
