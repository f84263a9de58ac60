"""A bank account statement (流水明细)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.cells import RowError, clean, ident, text
from shuxuan.reconciliation.parsers._shared import (
    BillRow,
    Layout,
    Parsed,
    day,
    money,
    read_table,
    statement_rows,
)


class BankParser:
    """A bank account statement CSV/XLSX (流水明细): date, amount (one signed column, or 借方/支出
    and 贷方/收入 columns), counterparty, 摘要/附言 reference, and the bank's serial number. The
    serial is the natural key; money out is negative."""

    source = "bank"
    columns: dict[str, tuple[str, ...]] = {
        "date": ("交易日期", "记账日期", "交易时间", "日期", "value_date", "booking_date"),
        "amount": ("交易金额", "金额", "发生额"),
        "debit": ("借方发生额", "借方金额", "支出金额", "支出", "debit"),
        "credit": ("贷方发生额", "贷方金额", "收入金额", "收入", "credit"),
        "counterparty": ("对方户名", "对方账户名称", "对方名称", "收(付)方名称"),
        "reference": ("摘要", "附言", "用途", "备注", "交易附言"),
        "serial": ("流水号", "交易流水号", "银行流水号", "凭证号", "transaction_id"),
        "currency": ("币种",),
    }
    required = frozenset({"date", "serial"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        currency = (text(values.get("currency")) or "CNY").upper()
        if currency in ("人民币", "RMB"):
            currency = "CNY"
        if clean(values.get("amount")) is not None:
            amount = money(values, "amount", in_fen=False, currency=currency, required=True)
        elif clean(values.get("debit")) is not None or clean(values.get("credit")) is not None:
            debit = abs(money(values, "debit", in_fen=False, currency=currency))
            credit = abs(money(values, "credit", in_fen=False, currency=currency))
            amount = credit - debit
        else:
            raise RowError("金额为空 / amount (or debit/credit) is empty")
        return BillRow(
            line=number,
            natural_key=ident(values.get("serial"), name="流水号 serial"),
            occurred_on=day(values.get("date"), name="交易日期 date"),
            request_no=ident(values.get("serial"), name="流水号 serial"),
            reference=text(values.get("reference")),
            counterparty=text(values.get("counterparty")),
            currency=currency,
            gross_minor=amount,
            net_minor=amount,
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("statement", self.columns, self.required, self.build)
        return read_table(statement_rows(stream, source=self.source), [layout], source=self.source)
