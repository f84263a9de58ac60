"""The ledger out to finance's spreadsheets: the rows of an account's ledger (明细账) and of the
trial balance (试算平衡表), written as CSV or XLSX by `shuxuan.common.spreadsheets`.

An account's ledger is streamed: the postings are read through a server-side cursor and written
row by row, so the operator's cash account exports in constant memory whatever its size. Amounts
are decimal strings of the currency's major unit, debits and credits in their own columns, and the
balance after each posting runs from the opening balance (everything dated before the range).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce

from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import to_major_str
from shuxuan.common.spreadsheets import XLSX_MAX_ROWS
from shuxuan.ledger.models import Account, AccountDayTotal, AccountType, Posting
from shuxuan.ledger.selectors import TrialBalance, account_balance

# The header, the opening and the closing row take three of the sheet's rows.
XLSX_MAX_POSTINGS = XLSX_MAX_ROWS - 3
CHUNK = 5_000

ACCOUNT_LEDGER_HEADER = [
    "日期 Date",
    "分录 Entry",
    "行 Line",
    "来源 Source",
    "来源编号 Source id",
    "摘要 Memo",
    "借方 Debit",
    "贷方 Credit",
    "余额 Balance",
]
TRIAL_BALANCE_HEADER = ["科目代码 Code", "科目 Account", "类型 Type", "币种 Currency", "借方 Debit", "贷方 Credit"]


def _debit_credit(amount: int, currency: str) -> tuple[str, str]:
    if amount >= 0:
        return to_major_str(amount, currency), ""
    return "", to_major_str(-amount, currency)


def account_postings_count(account: Account, date_from: date | None, date_to: date | None) -> int:
    """How many postings the range holds, from the balance cache (no scan of the postings)."""
    totals = AccountDayTotal.objects.filter(account_id=account.pk)
    if date_from is not None:
        totals = totals.filter(day__gte=date_from)
    if date_to is not None:
        totals = totals.filter(day__lte=date_to)
    return int(totals.aggregate(n=Coalesce(Sum("postings"), 0))["n"])


def account_ledger_rows(account: Account, date_from: date | None, date_to: date | None) -> Iterator[list[Any]]:
    """The header, the opening balance, every posting in date order with the balance after it,
    and the closing balance."""
    currency = account.currency
    opening = 0
    if date_from is not None:
        opening = account_balance(account_id=account.pk, as_of=date_from - timedelta(days=1))
    yield ACCOUNT_LEDGER_HEADER
    start = date_from.isoformat() if date_from else ""
    yield [start, "", "", "期初余额 Opening balance", "", "", "", "", to_major_str(opening, currency)]
    postings = Posting.objects.filter(account_id=account.pk)
    if date_from is not None:
        postings = postings.filter(effective_date__gte=date_from)
    if date_to is not None:
        postings = postings.filter(effective_date__lte=date_to)
    rows = postings.order_by("effective_date", "entry_id", "line_no").values_list(
        "effective_date", "entry_id", "line_no", "amount", "entry__source_type", "entry__source_id", "entry__memo"
    )
    balance = opening
    debits = credits = 0
    for day, entry_id, line_no, amount, source_type, source_id, memo in rows.iterator(chunk_size=CHUNK):
        balance += amount
        if amount >= 0:
            debits += amount
        else:
            credits -= amount
        debit, credit = _debit_credit(amount, currency)
        yield [
            day.isoformat(),
            entry_id,
            line_no,
            source_type,
            source_id,
            memo,
            debit,
            credit,
            to_major_str(balance, currency),
        ]
    yield [
        date_to.isoformat() if date_to else "",
        "",
        "",
        "期末余额 Closing balance",
        "",
        "",
        to_major_str(debits, currency),
        to_major_str(credits, currency),
        to_major_str(balance, currency),
    ]


def check_fits_one_sheet(account: Account, date_from: date | None, date_to: date | None) -> None:
    count = account_postings_count(account, date_from, date_to)
    if count > XLSX_MAX_POSTINGS:
        raise DomainError(
            f"该范围有 {count:,} 笔记账，超出 Excel 单表上限，请导出 CSV 或缩小日期范围 / "
            f"{count:,} postings do not fit one Excel sheet: export CSV or narrow the dates",
            field="fmt",
        )


def trial_balance_rows(tb: TrialBalance) -> Iterator[list[Any]]:
    """One row per account with a balance (debit or credit side), then a total per currency whose
    debit and credit sides are equal when the ledger balances."""
    labels = dict(AccountType.choices)
    yield TRIAL_BALANCE_HEADER
    sides: dict[str, list[int]] = {}
    for line in tb.lines:
        debit, credit = _debit_credit(line.balance, line.currency)
        side = sides.setdefault(line.currency, [0, 0])
        side[0 if line.balance >= 0 else 1] += abs(line.balance)
        yield [line.code, line.name, labels.get(line.type, line.type), line.currency, debit, credit]
    for currency, (debits, credits) in sorted(sides.items()):
        yield ["", "合计 Total", "", currency, to_major_str(debits, currency), to_major_str(credits, currency)]
