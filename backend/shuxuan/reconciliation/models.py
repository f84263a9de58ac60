"""Reconciliation: imported statements (platform bills, bank, Stripe), the result of matching them
against the ledger's expectation, the exceptions finance works, and the close of a month.

Amounts are BIGINT minor units (fen) with the currency beside. A bill line's `natural_key` is what
the source itself says identifies the row (Douyin: request number + sub-order + trade type; bank:
serial; WeChat: detail id; Stripe: balance transaction id), so importing the same file, or an
overlapping one, never stores a row twice (docs/decisions/0006-reconciliation.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shuxuan.common.import_jobs import ImportStatus

PERIOD_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class Source(models.TextChoices):
    DOUYIN = "douyin", "抖店结算账单 Douyin settle bill"
    KUAISHOU = "kuaishou", "快手账单 Kuaishou bill"
    TAOBAO = "taobao", "淘宝联盟结算 Taobao settlement"
    WECHAT = "wechat", "微信支付分账账单 WeChat profit sharing"
    BANK = "bank", "银行流水 Bank statement"
    STRIPE = "stripe", "Stripe 余额流水 Stripe balance"


PLATFORM_SOURCES = ("douyin", "kuaishou", "taobao", "wechat")


class Outcome(models.TextChoices):
    MATCHED = "matched", "已匹配 Matched"
    AMOUNT_MISMATCH = "amount_mismatch", "金额不符 Amount mismatch"
    FEE_MISMATCH = "fee_mismatch", "服务费不符 Fee mismatch"
    COMMISSION_MISMATCH = "commission_mismatch", "佣金不符 Commission mismatch"
    MISSING_IN_LEDGER = "missing_in_ledger", "账内缺失 Missing in ledger"
    MISSING_IN_BILL = "missing_in_bill", "账单缺失 Missing in bill"
    DUPLICATE_IN_BILL = "duplicate_in_bill", "账单重复 Duplicate in bill"


class RuleKind(models.TextChoices):
    ORDER_ID = "order_id", "按订单号 By order id"
    REQUEST_NO = "request_no", "按结算单号 By request number"
    PAYOUT_REFERENCE = "payout_reference", "按付款编号 By payout key or bank serial"
    BATCH_REFERENCE = "batch_reference", "按付款批次 By payout batch (one line, many payouts)"
    TRANSFER_ID = "transfer_id", "按 Stripe 转账号 By Stripe transfer id"
    AMOUNT_DATE = "amount_date", "按金额与日期 By amount and date"


class ExceptionState(models.TextChoices):
    OPEN = "open", "待处理 Open"
    PENDING_APPROVAL = "pending_approval", "待复核 Pending approval"
    ACCEPTED = "accepted", "已按账单调整 Accepted bill figure"
    TIMING = "timing", "时间性差异 Timing difference"
    DISPUTED = "disputed", "已申诉 Disputed"
    WRITTEN_OFF = "written_off", "已核销 Written off"
    CLEARED = "cleared", "已自动消除 Cleared by a later match"


class Resolution(models.TextChoices):
    ACCEPT = "accept", "按账单金额调整 Accept the bill's figure"
    TIMING = "timing", "时间性差异 Timing difference"
    DISPUTE = "dispute", "向平台申诉 Dispute"
    WRITE_OFF = "write_off", "核销 Write off"


UNRESOLVED_STATES = (ExceptionState.OPEN, ExceptionState.PENDING_APPROVAL)


def _bill_upload_path(instance: BillImport, filename: str) -> str:
    # Private: only catalog/ is served at /media/ (common/media.py).
    return f"reconciliation/imports/{instance.source}/{instance.sha256}"


class BillImport(models.Model):
    """One imported file. The same bytes of the same source are one import (sha256 unique).

    A small file is imported in the request and recorded `done`; a bigger one is stored
    (`stored_file`, private) and imported by a task that moves `status` and `rows_done`."""

    source = models.CharField(max_length=16, choices=Source.choices)
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.DONE)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="data rows, estimated until read")
    rows_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="why the import failed, naming the line")
    stored_file = models.FileField(upload_to=_bill_upload_path, max_length=255, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True, help_text="[{line, reason}]")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="recon_import_source_sha_unique"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="recon_import_source_valid"),
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="recon_import_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"


class BillLine(models.Model):
    """One row of a statement, as the source states it, in minor units.

    Platform lines: `gross` = settled basis, `fee` = platform service fee, `commission` = commission
    deducted at source, `net` = what the platform pays the shop. Bank and Stripe lines: `net` is the
    signed movement (money out negative), `fee` Stripe's fee."""

    source = models.CharField(max_length=16, choices=Source.choices)
    natural_key = models.CharField(max_length=200)
    bill_import = models.ForeignKey(BillImport, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(help_text="row number in the file it last came from (header = 1)")
    occurred_on = models.DateField(help_text="settle / value date, Asia/Shanghai")
    period = models.CharField(max_length=7)
    order_id = models.CharField(max_length=64, blank=True, help_text="the platform's (sub-)order id")
    request_no = models.CharField(max_length=64, blank=True, help_text="settlement document / transaction number")
    reference = models.CharField(max_length=200, blank=True, help_text="bank 摘要 / Stripe source id / out_order_no")
    phase = models.CharField(max_length=32, blank=True, help_text="trade type / phase: rows that may repeat legitimately")
    counterparty = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=32, blank=True, help_text="flow type, Stripe reporting category …")
    currency = models.CharField(max_length=3, default="CNY")
    gross_minor = models.BigIntegerField(default=0)
    fee_minor = models.BigIntegerField(default=0)
    commission_minor = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)
    fingerprint = models.CharField(max_length=32)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["source", "period"], name="recon_bill_source_period"),
            models.Index(fields=["source", "order_id"], name="recon_bill_source_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "natural_key"], name="recon_bill_natural_key_unique"),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_RE), name="recon_bill_period_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.natural_key}"


class MatchRule(models.Model):
    """A matching rule of one source; rules run in ascending `priority`. Tolerances widen what
    counts as equal (amount, in minor units) and as the same day (days either side)."""

    source = models.CharField(max_length=16, choices=Source.choices)
    kind = models.CharField(max_length=24, choices=RuleKind.choices)
    priority = models.PositiveSmallIntegerField()
    amount_tolerance_minor = models.PositiveIntegerField(default=0)
    date_tolerance_days = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["source", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="recon_rule_source_kind_unique"),
            models.UniqueConstraint(fields=["source", "priority"], name="recon_rule_source_priority_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.priority} {self.kind}"


class ReconRun(models.Model):
    """One `reconcile` of a period and source; its results replace the previous run's."""

    period = models.CharField(max_length=7)
    source = models.CharField(max_length=16, choices=Source.choices)
    lines = models.PositiveIntegerField(default=0, help_text="bill lines of the period")
    groups = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    exceptions = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["period", "source", "-id"], name="recon_run_period_source")]

    def __str__(self) -> str:
        return f"{self.period} {self.source} #{self.pk}"


class MatchResult(models.Model):
    """One comparison: a group of bill lines against the ledger's expectation for the same key
    (an order, a payout, a batch). Replaced as a whole for (period, source) by each run."""

    period = models.CharField(max_length=7)
    source = models.CharField(max_length=16, choices=Source.choices)
    match_key = models.CharField(max_length=200)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    rule = models.CharField(max_length=24, choices=RuleKind.choices)
    currency = models.CharField(max_length=3, default="CNY")
    bill_lines = models.PositiveIntegerField(default=0)
    bill_line_ids = models.JSONField(default=list, blank=True)
    bill_gross_minor = models.BigIntegerField(default=0)
    bill_fee_minor = models.BigIntegerField(default=0)
    bill_commission_minor = models.BigIntegerField(default=0)
    bill_net_minor = models.BigIntegerField(default=0)
    ledger_gross_minor = models.BigIntegerField(default=0)
    ledger_fee_minor = models.BigIntegerField(default=0)
    ledger_commission_minor = models.BigIntegerField(default=0)
    ledger_net_minor = models.BigIntegerField(default=0)
    ledger_refs = models.JSONField(default=list, blank=True, help_text="order line ids or payout ids")
    difference_minor = models.BigIntegerField(default=0, help_text="bill net − ledger net")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["period", "source", "outcome"], name="recon_result_period_outcome"),
            models.Index(fields=["source", "match_key"], name="recon_result_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "source", "match_key", "outcome"], name="recon_result_unique"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="recon_result_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.source} {self.match_key} {self.outcome}"


class ReconException(models.Model):
    """A difference finance must work. One per (source, key, reason): a re-run refreshes its
    figures and keeps its state, owner and notes; a difference that a later run finds matched is
    `cleared` unless someone already resolved it."""

    source = models.CharField(max_length=16, choices=Source.choices)
    match_key = models.CharField(max_length=200)
    reason = models.CharField(max_length=24, choices=Outcome.choices)
    period = models.CharField(max_length=7, help_text="the period it was first found in")
    last_period = models.CharField(max_length=7, help_text="the latest period a run found it in")
    currency = models.CharField(max_length=3, default="CNY")
    bill_net_minor = models.BigIntegerField(default=0)
    ledger_net_minor = models.BigIntegerField(default=0)
    difference_minor = models.BigIntegerField(default=0, help_text="bill − ledger, on the leg that differs")
    detail = models.JSONField(default=dict, blank=True, help_text="bill and ledger figures leg by leg")
    state = models.CharField(max_length=20, choices=ExceptionState.choices, default=ExceptionState.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entry_id = models.BigIntegerField(null=True, blank=True, help_text="adjusting ledger entry")
    expected_period = models.CharField(max_length=7, blank=True, help_text="timing difference: when it should clear")
    last_run_id = models.BigIntegerField(null=True, blank=True, help_text="the last reconcile run that found it")
    first_seen_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_seen_at", "id"]
        indexes = [
            models.Index(fields=["state", "source"], name="recon_exception_state"),
            models.Index(fields=["period", "source"], name="recon_exception_period"),
            models.Index(fields=["first_seen_at", "id"], name="recon_exception_age"),  # the queue's order and age filter
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "match_key", "reason"], name="recon_exception_unique"),
            models.CheckConstraint(condition=Q(state__in=ExceptionState.values), name="recon_exception_state_valid"),
            models.CheckConstraint(condition=Q(reason__in=Outcome.values) & ~Q(reason="matched"), name="recon_exception_reason"),
            # Two people: whoever approves an adjustment is not whoever asked for it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(requested_by__isnull=True) | ~Q(approved_by=models.F("requested_by")),
                name="recon_exception_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.match_key} {self.reason} {self.state}"


class ExceptionNote(models.Model):
    exception = models.ForeignKey(ReconException, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)
    attachment = models.FileField(upload_to="reconciliation/evidence/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.exception_id}"


class CloseState(models.TextChoices):
    CLOSED = "closed", "已关账 Closed"
    REOPENED = "reopened", "已重开 Reopened"


class PeriodClose(models.Model):
    """The close of a month: the snapshot taken, who closed it and, when exceptions were still
    open above the threshold, the owner's override reason."""

    period = models.CharField(max_length=7, unique=True)
    state = models.CharField(max_length=16, choices=CloseState.choices, default=CloseState.CLOSED)
    snapshot = models.JSONField(default=dict, help_text="trial balance, stock value, reconciliation status")
    open_exceptions = models.PositiveIntegerField(default=0)
    override_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField()
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [models.CheckConstraint(condition=Q(period__regex=PERIOD_RE), name="recon_close_period_shape")]

    def __str__(self) -> str:
        return f"{self.period} {self.state}"
