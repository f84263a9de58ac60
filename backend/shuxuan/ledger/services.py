"""Writes of the money ledger. Posting runs in `transaction.atomic(durable=True)` (STYLE.md habit 3).

Every rule is checked here first, to give the caller a DomainError that names the field, and again
by PostgreSQL (migration 0002), which is what holds when a row arrives any other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import MINOR_UNITS
from shuxuan.common.pg import reserve_ids
from shuxuan.ledger.models import PERIOD_RE, Account, AccountType, JournalEntry, Period, PeriodStatus, Posting
from shuxuan.ledger.specs import BulkResult, EntrySpec, PostingSpec
from shuxuan.parties.facade import anchor_name
from shuxuan.parties.models import Organization, Platform

# Well inside BIGINT, so that no sum of an entry's legs can overflow.
MAX_AMOUNT = 2**53
BULK_CHUNK = 50_000
BULK_RETRIES = 3


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_is_closed(day: date) -> bool:
    """Whether postings dated `day` would be refused because its period is closed."""
    return Period.objects.filter(period=period_of(day), status=PeriodStatus.CLOSED).exists()


def _closed_periods() -> set[str]:
    return set(Period.objects.filter(status=PeriodStatus.CLOSED).values_list("period", flat=True))


def _account_currencies(account_ids: Iterable[int]) -> dict[int, str]:
    return dict(Account.objects.filter(pk__in=list(account_ids)).values_list("id", "currency"))


def _validate_entry(
    *,
    idempotency_key: str,
    source_type: str,
    source_id: str,
    effective_date: date,
    postings: Sequence[PostingSpec],
    accounts: Mapping[int, str],
    closed: set[str],
    prefix: str = "",
) -> None:
    if not isinstance(idempotency_key, str) or not idempotency_key.strip() or len(idempotency_key) > 200:
        raise DomainError("幂等键须为 1–200 个字符 / idempotency_key must be 1–200 characters", field=f"{prefix}idempotency_key")
    if not source_type or len(source_type) > 64:
        raise DomainError("来源类型须为 1–64 个字符 / source_type must be 1–64 characters", field=f"{prefix}source_type")
    if len(source_id) > 64:
        raise DomainError("来源编号最长 64 个字符 / source_id is at most 64 characters", field=f"{prefix}source_id")
    if not isinstance(effective_date, date) or isinstance(effective_date, datetime):
        raise DomainError("记账日期须为日期 / effective_date must be a date", field=f"{prefix}effective_date")
    period = period_of(effective_date)
    if period in closed:
        raise DomainError(
            f"会计期间 {period} 已关账 / period {period} is closed", field=f"{prefix}effective_date", code="period_closed"
        )
    if len(postings) < 2:
        raise DomainError("一笔分录至少两条记账 / an entry needs at least 2 postings", field=f"{prefix}postings")
    totals: dict[str, int] = {}
    for index, posting in enumerate(postings):
        amount = posting.amount
        if type(amount) is not int or amount == 0 or not -MAX_AMOUNT < amount < MAX_AMOUNT:
            raise DomainError(
                "金额须为非零整数（分）/ amount must be a non-zero integer of minor units",
                field=f"{prefix}postings[{index}].amount",
            )
        currency = accounts.get(posting.account_id)
        if currency is None:
            raise DomainError(
                f"账户 {posting.account_id} 不存在 / unknown account {posting.account_id}",
                field=f"{prefix}postings[{index}].account_id",
            )
        if posting.currency != currency:
            raise DomainError(
                f"币种 {posting.currency} 与账户币种 {currency} 不符 / currency differs from the account's {currency}",
                field=f"{prefix}postings[{index}].currency",
            )
        totals[currency] = totals.get(currency, 0) + amount
    unbalanced = {currency: total for currency, total in totals.items() if total}
    if unbalanced:
        detail = ", ".join(f"{currency} {total:+d}" for currency, total in sorted(unbalanced.items()))
        raise DomainError(
            f"分录借贷不平 / postings do not sum to zero per currency: {detail}", field=f"{prefix}postings", code="unbalanced"
        )


def _post(
    *,
    idempotency_key: str,
    source_type: str,
    source_id: str,
    effective_date: date,
    memo: str,
    postings: Sequence[PostingSpec],
    actor: Any,
    reverses_id: int | None = None,
) -> JournalEntry:
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    postings = list(postings)
    closed = (
        set()
        if not Period.objects.filter(period=period_of(effective_date), status=PeriodStatus.CLOSED).exists()
        else {period_of(effective_date)}
    )
    _validate_entry(
        idempotency_key=idempotency_key,
        source_type=source_type,
        source_id=source_id,
        effective_date=effective_date,
        postings=postings,
        accounts=_account_currencies({p.account_id for p in postings}),
        closed=closed,
    )
    created_by_id = getattr(actor, "pk", None)
    with connection.cursor() as cursor:
        # ON CONFLICT: a concurrent poster of the same key waits for the other to commit, then
        # writes nothing and returns the first entry (docs/domain.md section 4, rule 3).
        cursor.execute(
            "INSERT INTO ledger_journalentry"
            " (idempotency_key, source_type, source_id, effective_date, memo, created_at, created_by_id, reverses_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            [idempotency_key, source_type, source_id, effective_date, memo, timezone.now(), created_by_id, reverses_id],
        )
        row = cursor.fetchone()
    if row is None:
        return JournalEntry.objects.get(idempotency_key=idempotency_key)
    Posting.objects.bulk_create(
        Posting(
            entry_id=row[0],
            line_no=line_no,
            account_id=posting.account_id,
            amount=posting.amount,
            currency=posting.currency,
            effective_date=effective_date,
        )
        for line_no, posting in enumerate(postings, start=1)
    )
    return JournalEntry.objects.get(pk=row[0])


def entry_post(
    *,
    idempotency_key: str,
    source_type: str,
    source_id: str,
    effective_date: date,
    memo: str,
    postings: list[PostingSpec],
    actor: Any = None,
) -> JournalEntry:
    """Post one entry in its own transaction. The same key posted again returns the first entry."""
    with transaction.atomic(durable=True):
        return _post(
            idempotency_key=idempotency_key,
            source_type=source_type,
            source_id=source_id,
            effective_date=effective_date,
            memo=memo,
            postings=postings,
            actor=actor,
        )


def entry_post_within(
    *,
    idempotency_key: str,
    source_type: str,
    source_id: str,
    effective_date: date,
    memo: str,
    postings: list[PostingSpec],
    actor: Any = None,
) -> JournalEntry:
    """Post one entry inside the caller's transaction (another context's durable service that
    writes stock and money together). The balance rule is checked when that transaction commits."""
    if not connection.in_atomic_block:
        raise RuntimeError("entry_post_within must run inside the caller's transaction.atomic() block")
    return _post(
        idempotency_key=idempotency_key,
        source_type=source_type,
        source_id=source_id,
        effective_date=effective_date,
        memo=memo,
        postings=postings,
        actor=actor,
    )


def entry_reverse(*, entry_id: int, effective_date: date, memo: str, actor: Any) -> JournalEntry:
    """Post the mirror image of an entry (docs/domain.md section 4, rule 2). Idempotent: key "reverse:<id>"."""
    with transaction.atomic(durable=True):
        original = JournalEntry.objects.filter(pk=entry_id).first()
        if original is None:
            raise DomainError(f"分录 {entry_id} 不存在 / entry {entry_id} does not exist", field="entry_id")
        postings = [
            PostingSpec(account_id=p.account_id, amount=-p.amount, currency=p.currency)
            for p in Posting.objects.filter(entry_id=entry_id).order_by("line_no")
        ]
        return _post(
            idempotency_key=f"reverse:{entry_id}",
            source_type=original.source_type,
            source_id=original.source_id,
            effective_date=effective_date,
            memo=memo or f"冲销分录 #{entry_id} / reversal of entry #{entry_id}",
            postings=postings,
            actor=actor,
            reverses_id=entry_id,
        )


# The bulk path -------------------------------------------------------------------------------

ENTRY_COLUMNS = ("id", "idempotency_key", "source_type", "source_id", "effective_date", "memo", "created_at", "created_by_id")
ENTRY_TYPES = ["int8", "text", "text", "text", "date", "text", "timestamptz", "int8"]
POSTING_COLUMNS = ("entry_id", "line_no", "account_id", "amount", "currency", "effective_date")
POSTING_TYPES = ["int8", "int2", "int8", "int8", "text", "date"]
# Binary COPY: about half the client's and the server's cost of text per row, measured.
COPY_ENTRIES = f"COPY ledger_journalentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
COPY_POSTINGS = f"COPY ledger_posting ({', '.join(POSTING_COLUMNS)}) FROM STDIN (FORMAT BINARY)"


def entries_post_bulk(entries: Iterable[EntrySpec], *, chunk_size: int = BULK_CHUNK) -> BulkResult:
    """Post many entries in one transaction with COPY straight into the ledger tables.

    All entries are validated before anything is written; one bad entry refuses the whole batch.
    Keys already posted (or repeated within the batch) are skipped. The database triggers check
    every COPY like any other insert. If a concurrent poster wins the race for a key between our
    look-up and our COPY, the unique key makes the transaction fail; it is then replayed, and the
    replay skips that key.
    """
    specs = list(entries)
    for attempt in range(1, BULK_RETRIES + 1):
        try:
            with transaction.atomic(durable=True):
                return _post_bulk(specs, chunk_size=chunk_size)
        except (IntegrityError, psycopg.errors.UniqueViolation) as exc:
            if attempt == BULK_RETRIES or not _is_key_conflict(exc):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _is_key_conflict(exc: Exception) -> bool:
    error = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    constraint = getattr(getattr(error, "diag", None), "constraint_name", None) or ""
    return "idempotency_key" in constraint


def _reserve_entry_ids(cursor: Any, count: int) -> list[int] | range:
    """`count` fresh entry ids (common/pg.reserve_ids): usually one contiguous run, as a range."""
    return reserve_ids(cursor, "ledger_journalentry", count)


def _entry_plainly_valid(spec: EntrySpec, accounts: Mapping[int, str], closed_days: dict[date, bool], closed: set[str]) -> bool:
    """The common case of `_validate_entry`, checked inline: True only when that function would
    accept the entry (one currency, summing to zero). Anything else goes to `_validate_entry`,
    which names the field or accepts what this shortcut does not cover (several currencies)."""
    key, source_type, source_id, day = spec.idempotency_key, spec.source_type, spec.source_id, spec.effective_date
    if not (type(key) is str and 0 < len(key) <= 200 and type(source_type) is str and 0 < len(source_type) <= 64):
        return False
    if not (type(source_id) is str and len(source_id) <= 64 and type(day) is date and len(spec.postings) >= 2):
        return False
    is_closed = closed_days.get(day)
    if is_closed is None:
        is_closed = closed_days[day] = period_of(day) in closed
    if is_closed or not key.strip():
        return False
    currency = spec.postings[0].currency
    total = 0
    for posting in spec.postings:
        amount = posting.amount
        if type(amount) is not int or amount == 0 or not -MAX_AMOUNT < amount < MAX_AMOUNT:
            return False
        if posting.currency != currency or accounts.get(posting.account_id) != currency:
            return False
        total += amount
    return total == 0


def _post_bulk(specs: list[EntrySpec], *, chunk_size: int) -> BulkResult:
    result = BulkResult()
    closed = _closed_periods()
    accounts = _account_currencies({p.account_id for spec in specs for p in spec.postings})
    closed_days: dict[date, bool] = {}
    fresh: list[EntrySpec] = []
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        if not _entry_plainly_valid(spec, accounts, closed_days, closed):
            _validate_entry(
                idempotency_key=spec.idempotency_key,
                source_type=spec.source_type,
                source_id=spec.source_id,
                effective_date=spec.effective_date,
                postings=spec.postings,
                accounts=accounts,
                closed=closed,
                prefix=f"entries[{index}].",
            )
        if spec.idempotency_key in seen:
            result.skipped += 1
            result.skipped_keys.append(spec.idempotency_key)
            continue
        seen.add(spec.idempotency_key)
        fresh.append(spec)

    now = timezone.now()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg 3 cursor, for COPY
        cursor.execute("SET LOCAL work_mem = '128MB'")
        iterator = iter(fresh)
        while chunk := list(islice(iterator, chunk_size)):
            ids = _reserve_entry_ids(cursor, len(chunk))
            # Optimistic: a batch of new keys (the usual case) is not looked up first; the unique
            # index refuses a known key, and then, back at the savepoint, the known keys are
            # looked up and skipped.
            cursor.execute("SAVEPOINT ledger_bulk_entries")
            try:
                _copy_entries(cursor, ids, chunk, now)
            except psycopg.errors.UniqueViolation as exc:
                if "idempotency_key" not in (exc.diag.constraint_name or ""):
                    raise
                cursor.execute("ROLLBACK TO SAVEPOINT ledger_bulk_entries")
                cursor.execute(
                    "SELECT idempotency_key FROM ledger_journalentry WHERE idempotency_key = ANY(%s)",
                    [[spec.idempotency_key for spec in chunk]],
                )
                present = {row[0] for row in cursor.fetchall()}
                result.skipped_keys.extend(spec.idempotency_key for spec in chunk if spec.idempotency_key in present)
                result.skipped += len(present)
                chunk = [spec for spec in chunk if spec.idempotency_key not in present]
                ids = ids[: len(chunk)]
                # A key taken by a concurrent poster since the look-up fails the transaction here
                # (no savepoint): entries_post_bulk replays it.
                _copy_entries(cursor, ids, chunk, now)
            cursor.execute("RELEASE SAVEPOINT ledger_bulk_entries")
            if not chunk:
                continue
            postings = 0
            with cursor.copy(COPY_POSTINGS) as copy:
                copy.set_types(POSTING_TYPES)
                write_row = copy.write_row
                for entry_id, spec in zip(ids, chunk, strict=True):
                    day = spec.effective_date
                    for line_no, posting in enumerate(spec.postings, start=1):
                        write_row((entry_id, line_no, posting.account_id, posting.amount, posting.currency, day))
                    postings += len(spec.postings)
            result.created += len(chunk)
            result.postings += postings
    return result


def _copy_entries(cursor: Any, ids: Sequence[int], chunk: list[EntrySpec], now: datetime) -> None:
    if not chunk:
        return
    with cursor.copy(COPY_ENTRIES) as copy:
        copy.set_types(ENTRY_TYPES)
        write_row = copy.write_row
        for entry_id, spec in zip(ids, chunk, strict=True):
            key, day = spec.idempotency_key, spec.effective_date
            write_row((entry_id, key, spec.source_type, spec.source_id, day, spec.memo, now, spec.actor_id))


# Accounts and periods ------------------------------------------------------------------------


def account_get_or_create(
    *,
    organization_id: int | None = None,
    platform: str | None = None,
    anchor_id: int | None = None,
    type: str,
    currency: str = "CNY",
) -> Account:
    """The one account of this owner, type and currency; created on first use (race-safe).

    The owner is exactly one of an organization, a sales platform or an anchor."""
    if sum(owner is not None for owner in (organization_id, platform, anchor_id)) != 1:
        raise DomainError(
            "账户须有且仅有一个所有者 / give exactly one of organization_id, platform and anchor_id", field="organization_id"
        )
    if platform is not None and platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field="platform")
    if type not in AccountType.values:
        raise DomainError(f"未知账户类型 / unknown account type {type!r}", field="type")
    if currency not in MINOR_UNITS:
        raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
    lookup = {
        "organization_id": organization_id,
        "owner_platform": platform,
        "anchor_id": anchor_id,
        "type": type,
        "currency": currency,
    }
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    if organization_id is not None:
        owner_name = Organization.objects.filter(pk=organization_id).values_list("name", flat=True).first()
        if owner_name is None:
            raise DomainError(f"机构 {organization_id} 不存在 / unknown organization", field="organization_id")
        code = f"org{organization_id}:{type}:{currency}"
    elif anchor_id is not None:
        owner_name = anchor_name(anchor_id)
        if owner_name is None:
            raise DomainError(f"主播 {anchor_id} 不存在 / unknown anchor", field="anchor_id")
        code = f"anchor{anchor_id}:{type}:{currency}"
    else:
        assert platform is not None
        owner_name = Platform(platform).label
        code = f"{platform}:{type}:{currency}"
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup, code=code, name=f"{owner_name} · {AccountType(type).label} ({currency})")
    except IntegrityError:
        return Account.objects.get(**lookup)


def _check_period(period: str) -> str:
    import re

    if not isinstance(period, str) or not re.match(PERIOD_RE, period):
        raise DomainError("会计期间格式为 YYYY-MM / period must be YYYY-MM", field="period")
    return period


def period_close(*, period: str, actor: Any) -> Period:
    """Close a month against further postings (minimal: reconciliation comes with the full close)."""
    _check_period(period)
    with transaction.atomic():
        # Waits for transactions that are posting, and keeps new postings out until we commit, so
        # no posting can slip into the month between our check and our commit.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ledger_posting IN SHARE ROW EXCLUSIVE MODE")
        record, _ = Period.objects.select_for_update().get_or_create(period=period)
        if record.status == PeriodStatus.CLOSED:
            return record
        record.status = PeriodStatus.CLOSED
        record.closed_at = timezone.now()
        record.closed_by = actor if getattr(actor, "pk", None) else None
        record.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="ledger.period_close",
            obj=record,
            organization_id=getattr(actor, "organization_id", None),
            changes={"period": period, "status": PeriodStatus.CLOSED},
        )
    return record


def period_reopen(*, period: str, actor: Any) -> Period:
    _check_period(period)
    with transaction.atomic():
        record, _ = Period.objects.select_for_update().get_or_create(period=period)
        if record.status == PeriodStatus.OPEN:
            return record
        record.status = PeriodStatus.OPEN
        record.closed_at = None
        record.closed_by = None
        record.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="ledger.period_reopen",
            obj=record,
            organization_id=getattr(actor, "organization_id", None),
            changes={"period": period, "status": PeriodStatus.OPEN},
        )
    return record
