"""Kuaishou merchant bill export (platform-formats.md §6d)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.cells import SHANGHAI, clean, ident, required_when
from shuxuan.reconciliation.parsers._shared import (
    REFUND,
    SALE,
    BillRow,
    Layout,
    Parsed,
    check_signs,
    money,
    read_table,
    statement_rows,
)


class KuaishouParser:
    """Kuaishou merchant bill export (账单表, platform-formats.md §6d): 订单号, 实际结算时间,
    合计收入(元), 合计支出(元), amounts in yuan, often `¥`-prefixed.

    The export's split of 合计支出 is not documented (U). When it has 技术服务费/平台服务费 and
    达人佣金/推广佣金 columns they are read as fee and commission; without them the whole expense is
    read as the fee and `raw.split` is false, and matching compares fee + commission together.
    Signs follow the bill (tests/fixtures/kuaishou_bill_refund.csv pins it): a settlement row states
    income and expenses positive; a refund row (合计收入 negative, or zero with 合计支出 negative)
    states them negative, the returned fee included. A row mixing the two is rejected.
    Natural key: order id + settlement time (an order settled in phases has one row per phase)."""

    source = "kuaishou"
    columns: dict[str, tuple[str, ...]] = {
        "order_id": ("订单号", "订单编号"),
        "settled_at": ("实际结算时间", "结算时间"),
        "income": ("合计收入(元)", "合计收入"),
        "outcome": ("合计支出(元)", "合计支出"),
        "fee": ("技术服务费(元)", "技术服务费", "平台服务费(元)", "平台服务费"),
        "commission": ("达人佣金(元)", "达人佣金", "推广佣金(元)", "推广佣金", "分销佣金(元)"),
        "settle_amount": ("结算金额(元)", "结算金额", "实际结算金额(元)"),
    }
    required = frozenset({"order_id", "settled_at", "income", "outcome"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        order_id = ident(values.get("order_id"), name="订单号")
        settled = required_when(values.get("settled_at"), name="实际结算时间")
        income = money(values, "income", in_fen=False, required=True)
        outcome = money(values, "outcome", in_fen=False, required=True)
        split = clean(values.get("fee")) is not None or clean(values.get("commission")) is not None
        commission = money(values, "commission", in_fen=False)
        fee = money(values, "fee", in_fen=False) if split else outcome
        net = money(values, "settle_amount", in_fen=False) if clean(values.get("settle_amount")) is not None else income - outcome
        refund = income < 0 or (income == 0 and outcome < 0)
        check_signs(
            {"合计收入": income, "合计支出": outcome, "技术服务费": fee, "达人佣金": commission, "结算金额": net},
            sign=REFUND if refund else SALE,
            kind="退款 refund" if refund else "结算 settlement",
        )
        return BillRow(
            line=number,
            natural_key=f"{order_id}:{settled.astimezone(SHANGHAI).isoformat(timespec='seconds')}",
            occurred_on=settled.astimezone(SHANGHAI).date(),
            order_id=order_id,
            phase=settled.astimezone(SHANGHAI).isoformat(timespec="seconds"),
            gross_minor=income,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=net,
            raw={"split": split},
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("bill", self.columns, self.required, self.build)
        return read_table(statement_rows(stream, source=self.source), [layout], source=self.source)
