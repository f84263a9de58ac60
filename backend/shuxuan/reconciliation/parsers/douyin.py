"""Douyin 抖店 settle bill (platform-formats.md §2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.cells import RowError, clean, ident, text
from shuxuan.reconciliation.parsers._shared import (
    REFUND,
    SALE,
    BillRow,
    Layout,
    Parsed,
    check_signs,
    day,
    money,
    read_table,
    statement_rows,
)


class DouyinParser:
    """抖店 settle-bill detail (`order.getSettleBillDetailV3`/V1, platform-formats.md §2).

    Two layouts: the API's field names (amounts integers in **fen**; CSV/XLSX with those headers or
    the JSON response `data.data[]`), and a back-office export with Chinese headers (amounts in
    **yuan**). The export's layout was not found (§2c, U): the Chinese names accepted are the
    fields' documented meanings (结算时间, 结算单号, 子订单号, 结算金额, 平台服务费, 佣金, 团长服务费,
    总收入, 总支出, 交易类型, 阶段).

    Gross = `total_income` (what the shop earned before deductions; falls back to settle amount +
    deductions), fee = `platform_service_fee`, commission = `commission` (creator commission, plus
    `partner_commission`), net = `settle_amount`. Amounts are taken with the sign the bill states
    (a refund after settlement, trade_type 1/3, is stated negative; a row whose amounts contradict
    its trade type is rejected, see `check_signs`). Natural key:
    request number + sub-order + trade type (+ phase id when given)."""

    source = "douyin"
    api_columns: dict[str, tuple[str, ...]] = {
        "settle_time": (),
        "request_no": (),
        "order_id": (),
        "shop_order_id": (),
        "settle_amount": (),
        "total_income": (),
        "total_outcome": (),
        "platform_service_fee": (),
        "commission": (),
        "partner_commission": (),
        "colonel_service_fee": (),
        "trade_type": (),
        "flow_type_desc": ("flow_type",),
        "phase_id": (),
    }
    export_columns: dict[str, tuple[str, ...]] = {
        "settle_time": ("结算时间", "动账时间"),
        "request_no": ("结算单号", "动帐流水号", "动账流水号"),
        "order_id": ("子订单号", "子订单id", "订单id"),
        "shop_order_id": ("主订单号", "订单号", "主订单编号"),
        "settle_amount": ("结算金额", "商家实收", "结算金额(元)"),
        "total_income": ("总收入", "收入合计", "总收入(元)"),
        "total_outcome": ("总支出", "支出合计", "总支出(元)"),
        "platform_service_fee": ("平台服务费", "平台服务费(元)"),
        "commission": ("佣金", "达人佣金", "佣金(元)"),
        "partner_commission": ("服务商佣金",),
        "colonel_service_fee": ("团长服务费", "招商服务费"),
        "trade_type": ("交易类型", "结算类型"),
        "flow_type_desc": ("业务类型", "流量类型"),
        "phase_id": ("阶段", "结算阶段"),
    }
    required = frozenset({"settle_time", "request_no", "order_id", "settle_amount", "platform_service_fee", "commission"})

    # trade_type -> the sign of every amount on the row; 2 (a deposit refund, expense returned) has
    # no documented sign and is taken as stated. The export's labels are assumed (U).
    trade_signs: dict[str, int | None] = {
        "0": SALE,
        "结算": SALE,
        "1": REFUND,
        "3": REFUND,
        "结算后退款": REFUND,
        "退款": REFUND,
        "2": None,
        "保证金退款": None,
    }

    def trade_sign(self, trade_type: str) -> int | None:
        if trade_type not in self.trade_signs:
            raise RowError(
                f"未知交易类型 {trade_type!r} / unknown trade_type {trade_type!r}: the amounts' signs cannot be checked"
            )
        return self.trade_signs[trade_type]

    def layouts(self) -> list[Layout]:
        return [
            Layout("api", self.api_columns, self.required, lambda v, n: self.build(v, n, in_fen=True)),
            Layout("export", self.export_columns, self.required, lambda v, n: self.build(v, n, in_fen=False)),
        ]

    def build(self, values: dict[str, Any], number: int, *, in_fen: bool) -> BillRow:
        order_id = ident(values.get("order_id"), name="order_id")
        request_no = ident(values.get("request_no"), name="request_no")
        trade_type = text(values.get("trade_type")) or "0"
        phase = text(values.get("phase_id"))
        net = money(values, "settle_amount", in_fen=in_fen, required=True)
        fee = money(values, "platform_service_fee", in_fen=in_fen, required=True)
        commission = money(values, "commission", in_fen=in_fen, required=True) + money(
            values, "partner_commission", in_fen=in_fen
        )
        colonel = money(values, "colonel_service_fee", in_fen=in_fen)
        income = values.get("total_income")
        gross = money(values, "total_income", in_fen=in_fen) if clean(income) is not None else net + fee + commission + colonel
        sign = self.trade_sign(trade_type)
        if sign is not None:
            amounts = {"total_income": gross, "platform_service_fee": fee, "commission": commission}
            amounts["colonel_service_fee"] = colonel
            if sign < 0:  # an ordinary trade's net can be below zero (deductions above the income); a refund's cannot be above
                amounts["settle_amount"] = net
            check_signs(amounts, sign=sign, kind=trade_type)
        return BillRow(
            line=number,
            natural_key=":".join(part for part in (request_no, order_id, trade_type, phase) if part),
            occurred_on=day(values.get("settle_time"), name="settle_time"),
            order_id=order_id,
            request_no=request_no,
            reference=ident(values.get("shop_order_id"), name="shop_order_id", required=False),
            phase=f"{trade_type}:{phase}" if phase else trade_type,
            kind=text(values.get("flow_type_desc")),
            gross_minor=gross,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=net,
            raw={"colonel_service_fee": colonel} if colonel else {},
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        rows = statement_rows(stream, list_keys=("data",), source=self.source)
        return read_table(rows, self.layouts(), source=self.source)
