"""The money ledger (docs/domain.md section 4): accounts, journal entries, postings, periods.

Amounts are BIGINT minor units of the row's ISO-4217 currency, debit positive. The rules of
section 4 are enforced by PostgreSQL (migrations 0002) as well as by the services; see
docs/decisions/0002-ledger-money-and-balances.md for why the ledger is shaped this way.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import BTreeIndex
from django.db import models
from django.db.models import Q

from shuxuan.parties.models import Platform

PERIOD_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class AccountType(models.TextChoices):
    CASH = "cash", "现金 Cash"
    PLATFORM_RECEIVABLE = "platform_receivable", "平台应收 Platform receivable"
    PAYABLE_TO_PARTY = "payable_to_party", "应付合作方 Payable to party"
    RECEIVABLE_FROM_PARTY = "receivable_from_party", "应收合作方 Receivable from party"
    FEE_INCOME = "fee_income", "服务费收入 Fee income"
    SALES_REVENUE = "sales_revenue", "销售收入 Sales revenue"
    INVENTORY = "inventory", "库存商品 Inventory"
    COST_OF_GOODS = "cost_of_goods", "销售成本 Cost of goods"
    DEPOSITS_HELD = "deposits_held", "代收押金 Deposits held"
    TAX_WITHHELD = "tax_withheld", "代扣税费 Tax withheld"
    SUSPENSE = "suspense", "待查 Suspense"


class Account(models.Model):
    """An account of one owner: an organization (the operator or a party), an anchor (a party who is
    a person, paid on their own statement) or a sales platform."""

    organization = models.ForeignKey(
        "parties.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    anchor = models.ForeignKey("parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts")
    owner_platform = models.CharField(max_length=16, choices=Platform.choices, null=True, blank=True)
    type = models.CharField(max_length=32, choices=AccountType.choices)
    currency = models.CharField(max_length=3, default="CNY")
    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(owner_platform__isnull=True) & Q(anchor__isnull=True))
                | (Q(organization__isnull=True) & Q(owner_platform__isnull=False) & Q(anchor__isnull=True))
                | (Q(organization__isnull=True) & Q(owner_platform__isnull=True) & Q(anchor__isnull=False)),
                name="ledger_account_exactly_one_owner",
            ),
            models.CheckConstraint(condition=Q(type__in=AccountType.values), name="ledger_account_type_valid"),
            models.CheckConstraint(
                condition=Q(owner_platform__isnull=True) | Q(owner_platform__in=Platform.values),
                name="ledger_account_platform_valid",
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_account_currency_iso"),
            models.UniqueConstraint(
                fields=["organization", "owner_platform", "anchor", "type", "currency"],
                nulls_distinct=False,
                name="ledger_account_owner_type_currency_unique",
            ),
            # Lets postings reference (account, currency) so the currency can only be the account's.
            models.UniqueConstraint(fields=["id", "currency"], name="ledger_account_id_currency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalEntry(models.Model):
    """One business event in money. Append-only: the database refuses UPDATE and DELETE."""

    # Byte-order ("C") collation: these are identifiers, and a unique index on them is maintained
    # for every entry, several times faster without locale-aware comparison.
    idempotency_key = models.CharField(max_length=200, db_collation="C")
    source_type = models.CharField(max_length=64, db_collation="C")
    source_id = models.CharField(max_length=64, db_collation="C")
    effective_date = models.DateField()
    memo = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Both references are verified set-based by the entry trigger (migration 0002) rather than by
    # per-row foreign keys, which would cost one check per entry on the bulk path.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    reverses = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="reversals",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "journal entries"
        indexes = [
            # Almost every (source_type, source_id) is unique, so B-tree deduplication finds nothing
            # to merge and only costs time: with it on, a full leaf is scanned for duplicates
            # before every split (measured at 1M entries: 3.5 s of upkeep with it, 1.0 s without).
            BTreeIndex(fields=["source_type", "source_id"], name="ledger_entry_source_idx", deduplicate_items=False),
            models.Index(fields=["reverses"], name="ledger_entry_reverses_idx", condition=Q(reverses__isnull=False)),
        ]
        constraints = [
            # docs/domain.md section 4, rule 3. A table constraint, not unique=True: no extra LIKE index to maintain.
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_entry_idempotency_key_unique"),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="ledger_entry_key_not_blank"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_type}:{self.source_id} {self.effective_date}"


class Posting(models.Model):
    """One leg of an entry: a signed amount (debit positive) on one account.

    The primary key is (entry, line_no): it doubles as the index that reads an entry's postings,
    which saves one index per row on the hot insert path. `effective_date` is the entry's,
    copied so that an account's postings are range-scanned by date without a join. The entry and
    account references are verified set-based by the posting trigger (migration 0002), not by
    per-row foreign keys: with four postings per entry, per-row checks cost more than the insert.
    """

    pk = models.CompositePrimaryKey("entry_id", "line_no")
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.DO_NOTHING, related_name="postings", db_constraint=False, db_index=False
    )
    line_no = models.PositiveSmallIntegerField()
    account = models.ForeignKey(
        Account, on_delete=models.DO_NOTHING, related_name="postings", db_constraint=False, db_index=False
    )
    amount = models.BigIntegerField(help_text="minor units, debit positive")
    currency = models.CharField(max_length=3)
    effective_date = models.DateField()

    class Meta:
        ordering = ["entry_id", "line_no"]
        indexes = [models.Index(fields=["account", "effective_date"], name="ledger_posting_account_date")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_posting_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.line_no} {self.account_id} {self.amount} {self.currency}"


class AccountDayTotal(models.Model):
    """The balance cache: net movement of one account on one day, written by one database session.

    Maintained by the posting trigger in the posting's own statement. `writer` is the PostgreSQL
    backend pid, so two transactions that run at the same time never update the same row: posting
    to a hot account (the operator's cash) takes no lock another poster waits for. A balance is the
    sum of a handful of these rows. docs/domain.md section 4, rule 5: the rows sum to the postings (verify_ledger).
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="day_totals")
    day = models.DateField()
    writer = models.IntegerField()
    amount = models.BigIntegerField(default=0)
    postings = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["account_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "day", "writer"], name="ledger_day_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} {self.amount}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "未关账 Open"
    CLOSED = "closed", "已关账 Closed"


class Period(models.Model):
    """An accounting month. A month without a row is open."""

    period = models.CharField(max_length=7, unique=True)
    status = models.CharField(max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["period"]
        constraints = [
            models.CheckConstraint(condition=Q(period__regex=PERIOD_RE), name="ledger_period_shape"),
            models.CheckConstraint(condition=Q(status__in=PeriodStatus.values), name="ledger_period_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.status}"
