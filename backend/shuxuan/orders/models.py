"""Orders: lines imported from the sales platforms, their append-only history, and the imports.

An order line is one sub-order (one product of one buyer order) on one platform. It carries the
platform's facts as the latest file or API page states them (status, amounts, times) and the
attribution frozen when it first arrived (anchor, the MCN binding in force at pay time, the SKU).
Every later change of status, refund or amendment is an `OrderLineEvent`, which PostgreSQL
refuses to update or delete (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from shuxuan.catalog.facade import Sku
from shuxuan.parties.models import Organization, Platform


class Source(models.TextChoices):
    """What an import reads: a platform's own export / API shape, or the documented generic CSV."""

    DOUYIN = "douyin", "抖音 Douyin"
    KUAISHOU = "kuaishou", "快手 Kuaishou"
    TAOBAO = "taobao", "淘宝联盟 Taobao"
    WECHAT = "wechat", "微信视频号 WeChat Channels"
    GENERIC = "generic", "通用 CSV Generic"


class OrderStatus(models.TextChoices):
    PAID = "paid", "已付款 Paid"
    CONFIRMED = "confirmed", "已收货 Confirmed"
    SETTLED = "settled", "已结算 Settled"
    REFUNDED = "refunded", "已退款 Refunded"
    INVALID = "invalid", "已失效 Invalid"


class AttributionIssue(models.TextChoices):
    NO_AUTHOR = "no_author", "文件未给出主播 The file names no author"
    ANCHOR_UNKNOWN = "anchor_unknown", "主播账号未登记 No anchor account with this platform id"
    SKU_UNMAPPED = "sku_unmapped", "商品未映射到 SKU No SKU mapped to this platform product"


class BatchState(models.TextChoices):
    PENDING = "pending", "排队中 Pending"
    RUNNING = "running", "导入中 Running"
    DONE = "done", "完成 Done"
    FAILED = "failed", "失败 Failed"


class BatchKind(models.TextChoices):
    FILE = "file", "文件 File"
    CONNECTOR = "connector", "接口拉取 API pull"


def _upload_path(instance: ImportBatch, filename: str) -> str:
    return f"orders/imports/{instance.source}/{instance.sha256}"


class ImportBatch(models.Model):
    """One import: an uploaded file, a file given to `import_orders`, or one connector pull."""

    source = models.CharField(max_length=16, choices=Source.choices)
    kind = models.CharField(max_length=16, choices=BatchKind.choices, default=BatchKind.FILE)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, help_text="of the file's bytes; for a pull, of the pages read")
    stored_file = models.FileField(upload_to=_upload_path, max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=16, choices=BatchState.choices, default=BatchState.PENDING)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="estimated before the rows are read")
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    unattributed = models.PositiveIntegerField(default=0, help_text="of the created lines")
    error = models.TextField(blank=True, help_text="why the whole file was refused")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["source", "sha256"]), models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=Source.values), name="orders_batch_source_valid"),
            models.CheckConstraint(condition=Q(state__in=BatchState.values), name="orders_batch_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.file_name}"


class RejectedRow(models.Model):
    """A row of a batch that could not be read; the rest of the file still lands."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.PositiveIntegerField(help_text="row number in the file, the header row being 1")
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["batch_id", "line", "id"]
        indexes = [models.Index(fields=["batch", "line"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.reason}"


class PlatformProductMapping(models.Model):
    """Which catalog SKU a platform's product id sells. Order lines find their SKU here."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_product_id = models.CharField(max_length=64)
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "platform_product_id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_product_id"], name="orders_mapping_product_unique"),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="orders_mapping_platform_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.platform_product_id}→{self.sku_id}"


class OrderLine(models.Model):
    """One line of a platform order, as the imports state it, with its pay-time attribution.

    Its references (anchor account, anchor, MCN binding and MCN, SKU, batches) are checked by
    statement triggers (migration 0004), once per statement over all its rows, not by per-row
    foreign keys: a foreign key probes and share-locks the parent row for every line at commit,
    which cost more than a third of an import (measured: 300k lines 6.1-8.3 s without the seven
    keys, 17.4-22.0 s with them). `verify_ledger` checks that every reference still resolves.
    """

    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_order_id = models.CharField(max_length=64)
    platform_line_id = models.CharField(
        max_length=64, blank=True, help_text="sub-order / line id; empty when the order id is already line level (Douyin)"
    )
    currency = models.CharField(max_length=3, default="CNY")

    # Platform facts, as the latest import states them.
    platform_author_id = models.CharField(max_length=64, blank=True)
    platform_product_id = models.CharField(max_length=64, blank=True)
    product_name = models.CharField(max_length=200, blank=True)
    media_type = models.CharField(max_length=32, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    pay_amount_minor = models.BigIntegerField()
    commission_base_minor = models.BigIntegerField(null=True, blank=True, help_text="commissionable amount, when given")
    platform_commission_rate_bps = models.PositiveIntegerField(null=True, blank=True)
    estimated_commission_minor = models.BigIntegerField(null=True, blank=True)
    settled_commission_minor = models.BigIntegerField(null=True, blank=True)
    service_fee_rate_bps = models.PositiveIntegerField(null=True, blank=True)
    service_fee_minor = models.BigIntegerField(null=True, blank=True)
    refunded_minor = models.BigIntegerField(default=0, help_text="refunded so far (partial refunds add up)")
    platform_subsidy_minor = models.BigIntegerField(
        default=0, help_text="subsidies the platform pays the shop for this line, on top of what the buyer paid"
    )
    status = models.CharField(max_length=16, choices=OrderStatus.choices)
    paid_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=32, help_text="hash of the platform facts: equal means unchanged")

    # Attribution, frozen when the line first arrived (pay-time facts; docs/domain.md section 6).
    # No index on anchor_account or first_batch: no screen filters lines by them, accounts and
    # batches are never deleted, and each index cost about a tenth of the lines' write.
    anchor_account = models.ForeignKey(
        "parties.AnchorAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # anchor, mcn and sku are indexed by the (…, paid_at) indexes below.
    anchor = models.ForeignKey(
        "parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    mcn_binding = models.ForeignKey(
        "parties.McnBinding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )  # bindings are history and never deleted
    mcn = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    mcn_split_bps = models.PositiveIntegerField(null=True, blank=True)
    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    unattributed = models.BooleanField(default=False)
    attribution_issues = ArrayField(models.CharField(max_length=32, choices=AttributionIssue.choices), default=list, blank=True)
    # From the selection context at pay time (orders/attribution.py): the anchor's pick of the SKU
    # active then, its plan and frozen rate (the ads rate for an ads-driven line), and the live
    # session on air. No pick: all three stay NULL and settlement uses the platform's rate.
    pick_id = models.BigIntegerField(null=True, blank=True)
    plan_id = models.BigIntegerField(null=True, blank=True)
    rate_bps = models.PositiveIntegerField(null=True, blank=True)
    live_session_id = models.BigIntegerField(null=True, blank=True)

    first_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-paid_at", "-id"]
        indexes = [
            models.Index(fields=["paid_at", "id"], name="orders_line_paid"),
            models.Index(fields=["status", "paid_at"], name="orders_line_status_paid"),
            models.Index(fields=["platform", "paid_at"], name="orders_line_platform_paid"),
            models.Index(fields=["anchor", "paid_at"], name="orders_line_anchor_paid"),
            models.Index(fields=["mcn", "paid_at"], name="orders_line_mcn_paid"),
            models.Index(fields=["sku", "paid_at"], name="orders_line_sku_paid"),
            models.Index(fields=["paid_at"], condition=Q(unattributed=True), name="orders_line_unattributed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "platform_order_id", "platform_line_id"], name="orders_line_platform_key_unique"
            ),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="orders_line_platform_valid"),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="orders_line_status_valid"),
            models.CheckConstraint(condition=Q(pay_amount_minor__gte=0), name="orders_line_pay_amount_nonnegative"),
            models.CheckConstraint(
                condition=Q(refunded_minor__gte=0) & Q(refunded_minor__lte=models.F("pay_amount_minor")),
                name="orders_line_refund_within_payment",
            ),
            models.CheckConstraint(condition=Q(platform_subsidy_minor__gte=0), name="orders_line_subsidy_nonnegative"),
            models.CheckConstraint(condition=Q(mcn_split_bps__lte=10_000), name="orders_line_mcn_split_at_most_100pct"),
            models.CheckConstraint(
                condition=Q(mcn_binding__isnull=True) | (Q(mcn__isnull=False) & Q(mcn_split_bps__isnull=False)),
                name="orders_line_binding_frozen_whole",
            ),
            models.CheckConstraint(
                condition=Q(anchor_account__isnull=True) | Q(anchor__isnull=False), name="orders_line_account_has_anchor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.platform_order_id}/{self.platform_line_id}"


class EventKind(models.TextChoices):
    CREATED = "created", "导入 Imported"
    STATUS = "status", "状态变更 Status changed"
    REFUND = "refund", "退款 Refund"
    AMENDED = "amended", "金额或时间更正 Amended"
    ATTRIBUTED = "attributed", "补充归属 Attributed"


class OrderLineEvent(models.Model):
    """Append-only history of a line: what each import (or mapping) changed, and when."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="events", db_constraint=False)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True, help_text="for a refund: the amount refunded by this event")
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="when the platform says it happened")
    recorded_at = models.DateTimeField()
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["line_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="orders_event_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="refund") | Q(amount_minor__isnull=False), name="orders_event_refund_has_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}:{self.kind}"


class ConnectorState(models.Model):
    """Where the scheduled pull of one platform's API has got to."""

    platform = models.CharField(max_length=16, choices=Platform.choices, unique=True)
    cursor = models.JSONField(default=dict, blank=True)
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["platform"]

    def __str__(self) -> str:
        return f"{self.platform} {self.cursor}"
