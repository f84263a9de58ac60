"""Settlement: the split of every order line, settlement runs, statements, payouts and advances.

The split of a line (docs/domain.md section 6) is a pure function of the line's frozen terms
(`LineTerms`, fixed from the contracts and plan in force at pay time) and its basis. A run posts,
for each line, the difference between the split of the basis settleable at the cut-off and the
split already posted, so a second run of the same cut-off posts nothing, and a refund after
settlement becomes a negative (clawback) difference in the next run. Each posted leg is a
`SettledLeg` row (the settlement sub-ledger); the money ledger receives one entry per run chunk
with the legs summed per account (docs/decisions/0005-settlement-subledger.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q

from shuxuan.parties.models import Organization, Platform
from shuxuan.settlement.windows import AFTER_SALE_DAYS_DEFAULT, AFTER_SALE_DAYS_MAX, AFTER_SALE_DAYS_MIN


class Mode(models.TextChoices):
    CONSIGNMENT = "consignment", "代销 Consignment"
    BUYOUT = "buyout", "经销 Buy-out"


class FeeBasis(models.TextChoices):
    PER_UNIT = "per_unit", "按件 Per unit"
    PER_ORDER = "per_order", "按单 Per order"
    PERCENT = "percent", "按比例 Percent of P"


class FeeKind(models.TextChoices):
    COLONEL = "colonel", "团长服务费 Colonel"
    LOGISTICS = "logistics", "物流服务费 Logistics"
    OPS_AGENCY = "ops_agency", "代运营服务费 Ops agency"


class LegKind(models.TextChoices):
    PLATFORM_FEE = "platform_fee", "平台服务费 Platform fee"
    ANCHOR_COMMISSION = "anchor_commission", "主播佣金 Anchor commission"
    MCN_SHARE = "mcn_share", "MCN 分成 MCN share"
    SERVICE_FEE = "service_fee", "服务费 Service fee"
    OPERATOR_MARGIN = "operator_margin", "运营方毛利 Operator margin"
    PRODUCER = "producer", "生产方货款 Producer"


class SettledBy(models.TextChoices):
    PLATFORM = "platform", "平台代结 Platform, at source"
    OPERATOR = "operator", "运营方结算 Operator"
    PURCHASE = "purchase", "采购已付 Paid through the purchase order"


class PlatformTerms(models.Model):
    """What a sales platform charges and when its orders become settleable."""

    platform = models.CharField(max_length=16, choices=Platform.choices, unique=True)
    service_fee_bps = models.PositiveIntegerField(help_text="default platform service fee, when the order data gives none")
    category_fee_bps = models.JSONField(default=dict, blank=True, help_text='{"category code": bps} overrides')
    after_sale_days = models.PositiveIntegerField(default=AFTER_SALE_DAYS_DEFAULT)  # bounds: windows.py

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="settlement_terms_platform_valid"),
            models.CheckConstraint(condition=Q(service_fee_bps__lte=10_000), name="settlement_terms_fee_at_most_100pct"),
            models.CheckConstraint(
                condition=Q(after_sale_days__gte=AFTER_SALE_DAYS_MIN, after_sale_days__lte=AFTER_SALE_DAYS_MAX),
                name="settlement_terms_after_sale_days_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.service_fee_bps}bps/{self.after_sale_days}d"


class Contract(models.Model):
    """The operator's terms with a brand (optionally for one plan): mode, margin and service fees.

    Contracts are history: a change is a new contract from a later date; lines freeze the contract
    in force when they were paid."""

    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="settlement_contracts")
    plan_id = models.BigIntegerField(null=True, blank=True, help_text="only for lines of this commission plan")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.CONSIGNMENT)
    operator_margin_bps = models.PositiveIntegerField(default=0)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["brand_id", "-valid_from"]
        indexes = [models.Index(fields=["brand", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="settlement_contract_mode_valid"),
            models.CheckConstraint(condition=Q(operator_margin_bps__lte=10_000), name="settlement_contract_margin_le_100pct"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")), name="settlement_contract_window"
            ),
        ]

    def __str__(self) -> str:
        return f"contract {self.pk} brand {self.brand_id} {self.mode}"


class ContractFee(models.Model):
    """A colonel, logistics or ops-agency fee a contract charges on each line, paid by the operator."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="fees")
    payee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=FeeKind.choices)
    basis = models.CharField(max_length=16, choices=FeeBasis.choices)
    value = models.BigIntegerField(help_text="minor units (per unit / per order) or basis points (percent)")

    class Meta:
        ordering = ["contract_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeeKind.values), name="settlement_fee_kind_valid"),
            models.CheckConstraint(condition=Q(basis__in=FeeBasis.values), name="settlement_fee_basis_valid"),
            models.CheckConstraint(condition=Q(value__gte=0), name="settlement_fee_value_nonnegative"),
            models.CheckConstraint(
                condition=~Q(basis=FeeBasis.PERCENT) | Q(value__lte=10_000), name="settlement_fee_percent_le_100pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.basis} {self.value}"


class LineTerms(models.Model):
    """The terms of one order line, frozen once: who gets which leg and at what rate, and how much
    of its basis has been settled so far (the only mutable part, advanced by runs)."""

    line_id = models.BigIntegerField(primary_key=True, help_text="orders.OrderLine id")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    currency = models.CharField(max_length=3)
    quantity = models.PositiveIntegerField()
    full_basis_minor = models.BigIntegerField(help_text="P at pay time: paid plus platform subsidy")
    platform_fee_bps = models.PositiveIntegerField()
    commission_bps = models.PositiveIntegerField()
    commission_at_source = models.BooleanField(help_text="the platform pays the commission (affiliate order)")
    # The party ids are copied from the order line (which holds the foreign keys) and the contract
    # in force; no foreign-key triggers here, as a run freezes a million lines in one statement.
    anchor = models.ForeignKey(
        "parties.Anchor",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    mcn = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    mcn_split_bps = models.PositiveIntegerField(default=0)
    brand = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    mode = models.CharField(max_length=16, choices=Mode.choices)
    operator_margin_bps = models.PositiveIntegerField()
    supply_price_minor = models.BigIntegerField(default=0, help_text="per unit; buy-out only")
    fees = models.JSONField(default=list, blank=True, help_text="[{payee, kind, basis, value}] from the contract")
    problem = models.CharField(max_length=200, blank=True, help_text="why the line cannot be split (needs review)")
    frozen_at = models.DateTimeField()
    # Advanced by every run: unindexed, and the table leaves half of each page free (migration 0005), so
    # the update is a heap-only (HOT) one.
    settled_basis_minor = models.BigIntegerField(default=0)
    settled_run = models.ForeignKey(
        "SettlementRun", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        ordering = ["line_id"]
        indexes = [
            # An anchor's pending earnings read its lines through this. An organization's cannot
            # use an index (brand, MCN or any fee payee: an OR with a jsonb containment), so the
            # brand and MCN indexes it once had only cost the freeze (1M lines: about 2 s).
            models.Index(fields=["anchor", "line_id"], name="settlement_terms_anchor"),
            models.Index(fields=["line_id"], condition=~Q(problem=""), name="settlement_terms_problem"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(settled_basis_minor__gte=0), name="settlement_terms_settled_nonnegative"),
            models.CheckConstraint(condition=Q(full_basis_minor__gte=0), name="settlement_terms_basis_nonnegative"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="settlement_terms_mode_valid"),
        ]

    def __str__(self) -> str:
        return f"terms of line {self.line_id}"


class SettlementPhase(models.Model):
    """Multi-phase settlement (a pre-sale deposit, then the balance): when a line has phases, only
    the phases due by the cut-off are settleable."""

    line_id = models.BigIntegerField()
    phase = models.PositiveSmallIntegerField()
    basis_minor = models.BigIntegerField()
    settleable_on = models.DateField()

    class Meta:
        ordering = ["line_id", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["line_id", "phase"], name="settlement_phase_unique"),
            models.CheckConstraint(condition=Q(basis_minor__gte=0), name="settlement_phase_basis_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"line {self.line_id} phase {self.phase}"


class RunState(models.TextChoices):
    PENDING = "pending", "排队中 Pending"
    RUNNING = "running", "结算中 Running"
    DONE = "done", "完成 Done"
    FAILED = "failed", "失败 Failed"


class SettlementRun(models.Model):
    cutoff = models.DateField(help_text="lines settleable on or before this day (Asia/Shanghai)")
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lines_total = models.PositiveIntegerField(null=True, blank=True)
    lines_done = models.PositiveIntegerField(default=0, help_text="candidate lines examined")
    lines_settled = models.PositiveIntegerField(default=0, help_text="lines that posted a difference")
    lines_clawed_back = models.PositiveIntegerField(default=0)
    lines_problem = models.PositiveIntegerField(default=0)
    cursor_line_id = models.BigIntegerField(default=0, help_text="last line id committed; a resumed run goes on after it")
    chunks_done = models.PositiveIntegerField(default=0)
    statements = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    chunk_totals = models.BooleanField(
        default=False, help_text="every chunk wrote its statement totals (RunTotal); runs queued before those existed did not"
    )
    resumes = models.PositiveSmallIntegerField(
        default=0, help_text="times the sweep queued the run again since it last committed a chunk"
    )
    resumed_at = models.DateTimeField(null=True, blank=True, help_text="when the sweep last queued it again")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RunState.values), name="settlement_run_state_valid"),
            # One active run at a time (pending and running alike): chunks of two runs could
            # otherwise settle the same line twice. The index is on a constant, so the INSERT of a
            # second active run is what fails, whatever state the first is in.
            models.UniqueConstraint(
                models.Value(True), condition=Q(state__in=["pending", "running"]), name="settlement_one_active_run"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ≤ {self.cutoff}"


class PayeeKind(models.TextChoices):
    ORGANIZATION = "organization", "机构 Organization"
    ANCHOR = "anchor", "主播 Anchor"


class SettledLeg(models.Model):
    """One leg of one line posted by one run: the difference between the split at the run's
    settleable basis and the split posted before (negative = clawback). Append-only."""

    # No foreign-key triggers on the legs (six per line, written by COPY): the run, payees and
    # accounts come from rows that exist; verify_ledger checks that every leg's references resolve.
    run = models.ForeignKey(SettlementRun, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False)
    line_id = models.BigIntegerField()
    kind = models.CharField(max_length=24, choices=LegKind.choices)
    settled_by = models.CharField(max_length=16, choices=SettledBy.choices)
    payee_org = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    payee_anchor = models.ForeignKey(
        "parties.Anchor",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    payee_platform = models.CharField(max_length=16, blank=True)
    account_id = models.BigIntegerField(help_text="ledger account credited")
    amount_minor = models.BigIntegerField()
    basis_minor = models.BigIntegerField(help_text="the line's settleable basis after this run")
    currency = models.CharField(max_length=3)
    entry_id = models.BigIntegerField(help_text="ledger entry of the run chunk that posted it")

    class Meta:
        ordering = ["run_id", "line_id", "id"]
        # Six legs per line make index upkeep the largest cost of writing them, so: the payee
        # indexes are partial (a leg has an organization or an anchor or neither — the platform's
        # fee), lead with the payee (earnings across runs; a statement's legs by run, in line
        # order), and the run and the line are BRINs. Legs are only ever appended, run after run
        # and within a run in line order (chunks are written in line order, one at a time), so the
        # heap is sorted by line within each run's stretch and a block range's min/max is tight:
        # a line's legs are found by reading one or two ranges of 16 pages (3 ms for one line, 24
        # ms for 20, at 5.88M legs), where a B-tree cost 3.5-8 s of the 5.88M-leg COPY. A run
        # summarizes the ranges it filled when its chunks are written (`runs._summarize_legs`):
        # ranges nobody summarized match every look-up. A chunk rolled back (a killed worker)
        # leaves space a later chunk may fill, widening those ranges: slower, never wrong.
        indexes = [
            models.Index(
                fields=["payee_org", "run", "line_id"], name="settlement_leg_org_run", condition=Q(payee_org__isnull=False)
            ),
            models.Index(
                fields=["payee_anchor", "run", "line_id"],
                name="settlement_leg_anchor_run",
                condition=Q(payee_anchor__isnull=False),
            ),
            BrinIndex(fields=["run"], name="settlement_leg_run_brin"),
            BrinIndex(fields=["line_id"], name="settlement_leg_line_brin", pages_per_range=16),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LegKind.values), name="settlement_leg_kind_valid"),
            models.CheckConstraint(condition=Q(settled_by__in=SettledBy.values), name="settlement_leg_settled_by_valid"),
            models.CheckConstraint(condition=~Q(amount_minor=0), name="settlement_leg_nonzero"),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} line {self.line_id} {self.kind} {self.amount_minor}"


class RunTotal(models.Model):
    """What one chunk of a run adds to one party's statement (per payee and currency): written in
    the chunk's transaction with its legs, so a statement sums a row per chunk instead of reading
    every leg of the run. The legs stay the reference: `verify_ledger` checks each run's totals
    against them."""

    run_id = models.BigIntegerField()
    entry_id = models.BigIntegerField(help_text="ledger entry of the chunk")
    payee_org_id = models.BigIntegerField(null=True, blank=True)
    payee_anchor_id = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    earnings_minor = models.BigIntegerField(help_text="legs settled by the operator, positive")
    clawbacks_minor = models.BigIntegerField(help_text="legs settled by the operator, negative")
    at_source_minor = models.BigIntegerField(help_text="legs the platform settled")
    lines = models.PositiveIntegerField(help_text="lines with a leg of this payee not paid through a purchase")
    gross_minor = models.BigIntegerField(help_text="for a producer: the basis its lines settled")
    fees_minor = models.BigIntegerField(help_text="for a producer: what the other legs of its lines took")

    class Meta:
        ordering = ["run_id", "entry_id", "id"]
        indexes = [models.Index(fields=["run_id", "entry_id"], name="settlement_runtotal_run")]

    def __str__(self) -> str:
        return f"run {self.run_id} entry {self.entry_id} payee {self.payee_org_id or self.payee_anchor_id}"


class StatementState(models.TextChoices):
    DRAFT = "draft", "待审批 Awaiting approval"
    APPROVED = "approved", "已审批 Approved"


class Statement(models.Model):
    """结算单: one party's statement for one run. Amounts are what the operator owes the party
    (positive) or the party owes the operator (negative)."""

    run = models.ForeignKey(SettlementRun, on_delete=models.PROTECT, related_name="statement_set")
    payee_kind = models.CharField(max_length=16, choices=PayeeKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payee_name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    account_id = models.BigIntegerField(help_text="the party's payable account")
    opening_minor = models.BigIntegerField(help_text="owed to the party at the previous statement's close")
    earnings_minor = models.BigIntegerField(help_text="legs this run settled by the operator, positive")
    clawbacks_minor = models.BigIntegerField(help_text="legs this run settled by the operator, negative")
    other_minor = models.BigIntegerField(help_text="payouts, reversals and advances since the previous statement")
    closing_minor = models.BigIntegerField(help_text="owed to the party after this run")
    at_source_minor = models.BigIntegerField(default=0, help_text="legs the platform paid the party directly (not in balance)")
    gross_minor = models.BigIntegerField(default=0, help_text="for a producer: the basis settled of its lines this run")
    fees_minor = models.BigIntegerField(
        default=0,
        help_text="for a producer: what the other legs took from its lines (platform, commission, services, margin)",
    )
    lines = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=StatementState.choices, default=StatementState.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run_id", "payee_name", "id"]
        indexes = [models.Index(fields=["organization", "-id"]), models.Index(fields=["anchor", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(payee_kind="organization") & Q(organization__isnull=False) & Q(anchor__isnull=True))
                | (Q(payee_kind="anchor") & Q(anchor__isnull=False) & Q(organization__isnull=True)),
                name="settlement_statement_one_payee",
            ),
            models.UniqueConstraint(fields=["run", "account_id"], name="settlement_statement_run_account_unique"),
            models.CheckConstraint(
                condition=Q(
                    closing_minor=models.F("opening_minor")
                    + models.F("earnings_minor")
                    + models.F("clawbacks_minor")
                    + models.F("other_minor")
                ),
                name="settlement_statement_adds_up",
            ),
            models.CheckConstraint(condition=Q(state__in=StatementState.values), name="settlement_statement_state_valid"),
        ]

    def __str__(self) -> str:
        return f"statement {self.pk} {self.payee_name}"


class Rail(models.TextChoices):
    BANK = "bank", "银行批量代付 Bank batch"
    STRIPE = "stripe", "Stripe Connect"


class Payee(models.Model):
    """How a party is paid: rail, bank details or connected account, hold flag."""

    payee_kind = models.CharField(max_length=16, choices=PayeeKind.choices)
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    anchor = models.OneToOneField("parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rail = models.CharField(max_length=16, choices=Rail.choices, default=Rail.BANK)
    bank_account_name = models.CharField(max_length=100, blank=True)
    bank_account_number = models.CharField(max_length=40, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    stripe_account_id = models.CharField(max_length=64, blank=True)
    on_hold = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(payee_kind="organization") & Q(organization__isnull=False) & Q(anchor__isnull=True))
                | (Q(payee_kind="anchor") & Q(anchor__isnull=False) & Q(organization__isnull=True)),
                name="settlement_payee_one_party",
            ),
            models.CheckConstraint(condition=Q(rail__in=Rail.values), name="settlement_payee_rail_valid"),
            models.CheckConstraint(
                condition=~Q(rail="stripe") | ~Q(stripe_account_id=""), name="settlement_payee_stripe_has_account"
            ),
        ]

    def __str__(self) -> str:
        return f"payee {self.pk} {self.rail}"


class PayoutState(models.TextChoices):
    PENDING = "pending", "待发送 Pending"
    SENT = "sent", "已发送 Sent"
    PAID = "paid", "已到账 Paid"
    FAILED = "failed", "失败 Failed"


class PayoutBatch(models.Model):
    """A bank batch-transfer file: its payouts are sent together and their results imported."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_sha256 = models.CharField(max_length=64, blank=True, help_text="of the last result file imported")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class Payout(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payouts")
    account_id = models.BigIntegerField(help_text="the party's payable account")
    rail = models.CharField(max_length=16, choices=Rail.choices)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    attempt = models.PositiveSmallIntegerField(default=1)
    idempotency_key = models.CharField(max_length=80, unique=True)
    state = models.CharField(max_length=16, choices=PayoutState.choices, default=PayoutState.PENDING)
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payouts")
    external_id = models.CharField(max_length=64, blank=True, help_text="bank serial or Stripe transfer id")
    failure_reason = models.CharField(max_length=300, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True, help_text="ledger entry posted when paid")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "rail"]), models.Index(fields=["account_id", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="settlement_payout_positive"),
            models.CheckConstraint(condition=Q(state__in=PayoutState.values), name="settlement_payout_state_valid"),
            models.CheckConstraint(condition=Q(rail__in=Rail.values), name="settlement_payout_rail_valid"),
            # One live attempt per statement: a retry is allowed only once the previous one failed.
            models.UniqueConstraint(
                fields=["statement"], condition=~Q(state="failed"), name="settlement_payout_one_live_per_statement"
            ),
            models.CheckConstraint(condition=~Q(state="paid") | Q(entry_id__isnull=False), name="settlement_payout_paid_posted"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} {self.amount_minor} {self.state}"


class AdvanceState(models.TextChoices):
    OPEN = "open", "垫付中 Open"
    RECOVERED = "recovered", "已收回 Recovered"
    WRITTEN_OFF = "written_off", "已核销 Written off"


class Advance(models.Model):
    """垫付: a party's negative balance the operator carries (a clawback it could not recover),
    moved from the party's payable to a receivable and tracked until recovered or written off."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="advances")
    account_id = models.BigIntegerField(help_text="the party's payable account")
    receivable_account_id = models.BigIntegerField()
    amount_minor = models.BigIntegerField()
    recovered_minor = models.BigIntegerField(default=0)
    written_off_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=16, choices=AdvanceState.choices, default=AdvanceState.OPEN)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["account_id", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="settlement_advance_positive"),
            models.CheckConstraint(
                condition=Q(recovered_minor__gte=0)
                & Q(written_off_minor__gte=0)
                & Q(amount_minor__gte=models.F("recovered_minor") + models.F("written_off_minor")),
                name="settlement_advance_within_amount",
            ),
            models.CheckConstraint(condition=Q(state__in=AdvanceState.values), name="settlement_advance_state_valid"),
        ]

    def __str__(self) -> str:
        return f"advance {self.pk} {self.amount_minor}"
