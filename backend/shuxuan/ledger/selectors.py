"""Reads of the money ledger: balances, the trial balance, an account's postings, entries.

Balances come from the balance cache (AccountDayTotal): net movement per account, day and writing
session, maintained by the posting trigger in the posting's own statement. A balance "as of" a day
sums the cache rows up to that day — a few rows per account and day, whatever the posting volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BigIntegerField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce

from shuxuan.ledger.models import Account, AccountDayTotal, JournalEntry, Posting


def account_balance(*, account_id: int, as_of: date | None = None) -> int:
    """Balance in minor units (debit positive) of postings dated on or before `as_of` (all if None)."""
    totals = AccountDayTotal.objects.filter(account_id=account_id)
    if as_of is not None:
        totals = totals.filter(day__lte=as_of)
    return int(totals.aggregate(total=Coalesce(Sum("amount"), 0))["total"])


def _balance_subquery(as_of: date | None) -> Coalesce:
    totals = AccountDayTotal.objects.filter(account_id=OuterRef("pk"))
    if as_of is not None:
        totals = totals.filter(day__lte=as_of)
    summed = totals.order_by().values("account_id").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(summed, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def accounts_with_balances(*, as_of: date | None = None) -> QuerySet[Account]:
    """Accounts annotated with `balance`, in one query."""
    return Account.objects.select_related("organization", "anchor").annotate(balance=_balance_subquery(as_of)).order_by("id")


def accounts_visible_q(organization_id: int) -> Q:
    return Q(organization_id=organization_id)


@dataclass(frozen=True)
class TrialBalanceLine:
    account_id: int
    code: str
    name: str
    type: str
    currency: str
    balance: int
    owner_name: str | None
    owner_platform: str | None


@dataclass(frozen=True)
class TrialBalance:
    as_of: date | None
    lines: list[TrialBalanceLine]
    totals: dict[str, int]  # per currency; zero when the ledger is sound

    @property
    def balanced(self) -> bool:
        return all(total == 0 for total in self.totals.values())


def trial_balance(*, as_of: date | None = None) -> TrialBalance:
    """Every account with a non-zero balance, and the total per currency (which must be zero)."""
    totals_qs = AccountDayTotal.objects.all()
    if as_of is not None:
        totals_qs = totals_qs.filter(day__lte=as_of)
    rows = (
        totals_qs.values(
            "account_id",
            "account__code",
            "account__name",
            "account__type",
            "account__currency",
            "account__organization__name",
            "account__anchor__name",
            "account__owner_platform",
        )
        .annotate(balance=Sum("amount"))
        .order_by("account__currency", "account_id")
    )
    lines = [
        TrialBalanceLine(
            account_id=row["account_id"],
            code=row["account__code"],
            name=row["account__name"],
            type=row["account__type"],
            currency=row["account__currency"],
            balance=int(row["balance"]),
            owner_name=row["account__organization__name"] or row["account__anchor__name"],
            owner_platform=row["account__owner_platform"],
        )
        for row in rows
        if row["balance"]
    ]
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.currency] = totals.get(line.currency, 0) + line.balance
    return TrialBalance(as_of=as_of, lines=lines, totals=totals)


def account_postings(*, account_id: int, date_from: date | None = None, date_to: date | None = None) -> QuerySet[Posting]:
    """An account's postings in date order, each annotated with `running_balance` (the account's
    balance after that posting, including everything dated before `date_from`)."""
    postings = Posting.objects.filter(account_id=account_id)
    opening = 0
    if date_from is not None:
        postings = postings.filter(effective_date__gte=date_from)
        opening = account_balance(account_id=account_id, as_of=date_from - timedelta(days=1))
    if date_to is not None:
        postings = postings.filter(effective_date__lte=date_to)
    order = [F("effective_date").asc(), F("entry_id").asc(), F("line_no").asc()]
    return (
        postings.select_related("entry")
        .annotate(running_balance=Window(Sum("amount"), order_by=order) + Value(opening, output_field=BigIntegerField()))
        .order_by("effective_date", "entry_id", "line_no")
    )


@dataclass(frozen=True)
class AccountMovement:
    """One entry's net effect on one account (debit positive)."""

    entry_id: int
    source_type: str
    source_id: str
    memo: str
    reverses_id: int | None
    effective_date: date
    amount: int


def account_movements(
    *, account_id: int, created_after: datetime | None, created_until: datetime, exclude_source_types: tuple[str, ...] = ()
) -> list[AccountMovement]:
    """The entries written in (created_after, created_until] that moved the account, each with its
    net amount on it, in entry order; entries that net to zero on the account are left out."""
    postings = Posting.objects.filter(account_id=account_id, entry__created_at__lte=created_until)
    if created_after is not None:
        postings = postings.filter(entry__created_at__gt=created_after)
    if exclude_source_types:
        postings = postings.exclude(entry__source_type__in=exclude_source_types)
    rows = (
        postings.values(
            "entry_id",
            "entry__source_type",
            "entry__source_id",
            "entry__memo",
            "entry__reverses_id",
            "entry__effective_date",
        )
        .annotate(net=Sum("amount"))
        .order_by("entry_id")
    )
    return [
        AccountMovement(
            entry_id=row["entry_id"],
            source_type=row["entry__source_type"],
            source_id=row["entry__source_id"],
            memo=row["entry__memo"],
            reverses_id=row["entry__reverses_id"],
            effective_date=row["entry__effective_date"],
            amount=int(row["net"]),
        )
        for row in rows
        if row["net"]
    ]


def entries_queryset() -> QuerySet[JournalEntry]:
    postings = Posting.objects.select_related("account__organization", "account__anchor").order_by("line_no")
    return JournalEntry.objects.select_related("created_by").prefetch_related(Prefetch("postings", queryset=postings))


def entries_touching_q(organization_id: int) -> Q:
    """Entries with at least one posting on an account the organization owns."""
    return Q(pk__in=Posting.objects.filter(account__organization_id=organization_id).values("entry_id"))
