"""Taobao affiliate settlement (platform-formats.md §4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.cells import SHANGHAI, RowError, ident, required_when, text
from shuxuan.reconciliation.parsers._shared import (
    SALE,
    BillRow,
    Layout,
    Parsed,
    check_signs,
    money,
    read_table,
    statement_rows,
)


class TaobaoParser:
    """Taobao affiliate settlement (`taobao.tbk.order.details.get` publisher_order_dto, §4): the API
    JSON (`publisher_order_dto[]`) or a CSV/XLSX with those field names. Amounts are yuan strings.

    Only settled rows (tk_status 3) are settlement; others are rejected with their status. Gross =
    `pay_price` (settlement amount), commission = `total_commission_fee`, fee =
    `platform_special_service_fee`, net = gross − fee − commission (assumed: the bill carries no net).
    Natural key: trade_id (the sub-order) + tk_earning_time."""

    source = "taobao"
    columns: dict[str, tuple[str, ...]] = {
        "trade_id": ("子订单号",),
        "trade_parent_id": ("订单号", "父订单号"),
        "tk_status": ("订单状态",),
        "tk_earning_time": ("结算时间",),
        "pay_price": ("结算金额",),
        "total_commission_fee": ("佣金金额",),
        "platform_special_service_fee": ("平台专项服务费",),
    }
    required = frozenset({"trade_id", "tk_status", "tk_earning_time", "pay_price", "total_commission_fee"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        trade_id = ident(values.get("trade_id"), name="trade_id")
        status = text(values.get("tk_status"), required="tk_status")
        if status not in ("3", "订单结算"):
            raise RowError(f"tk_status {status} 未结算 / the row is not settled (tk_status {status}), not a settlement")
        earned = required_when(values.get("tk_earning_time"), name="tk_earning_time")
        gross = money(values, "pay_price", in_fen=False, required=True)
        commission = money(values, "total_commission_fee", in_fen=False, required=True)
        fee = money(values, "platform_special_service_fee", in_fen=False)
        amounts = {"pay_price": gross, "total_commission_fee": commission, "platform_special_service_fee": fee}
        check_signs(amounts, sign=SALE, kind=f"tk_status {status}")
        return BillRow(
            line=number,
            natural_key=f"{trade_id}:{earned.astimezone(SHANGHAI).isoformat(timespec='seconds')}",
            occurred_on=earned.astimezone(SHANGHAI).date(),
            order_id=trade_id,
            reference=ident(values.get("trade_parent_id"), name="trade_parent_id", required=False),
            gross_minor=gross,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=gross - fee - commission,
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("tbk", self.columns, self.required, self.build)
        rows = statement_rows(stream, list_keys=("publisher_order_dto", "results"), source=self.source)
        return read_table(rows, [layout], source=self.source)
