"""WeChat Pay profit-sharing daily bill (platform-formats.md §5a)."""

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


class WechatParser:
    """WeChat Pay profit-sharing daily bill (`GET /v3/profitsharing/bills`, §5a): amounts in yuan,
    every value prefixed with a backtick, a detail section then a summary section with its own
    header (reading stops there). The domestic header is not published (U): the global bill's
    header (create_time, sub_mchid, transaction_id, order_id, out_order_no, detail_id,
    receiver_account, amount, business_type, status, description) and its Chinese renderings are
    accepted. Each detail row is one share (or a return, stated negative, business_type 回退).

    Assumed: `out_order_no` is the shop's order id (OrderLine.platform_order_id) — the shop asks for
    one profit sharing per order — and the shares are the commissions WeChat paid at source; only
    the commission is compared. Natural key: detail_id. Rows whose status is not SUCCESS/分账成功
    are rejected (they moved no money)."""

    source = "wechat"
    columns: dict[str, tuple[str, ...]] = {
        "create_time": ("分账发起时间", "分账时间", "分账创建时间"),
        "transaction_id": ("微信订单号", "微信支付订单号"),
        "order_id": ("微信分账单号", "分账单号"),
        "out_order_no": ("商户分账单号",),
        "detail_id": ("分账明细单号", "明细单号"),
        "receiver_account": ("分账接收方", "分账接收账号", "接收方账号"),
        "amount": ("分账金额", "分账金额(元)", "金额(元)"),
        "currency": ("币种",),
        "business_type": ("业务类型", "分账类型"),
        "status": ("处理状态", "分账结果", "状态"),
        "description": ("分账描述", "描述"),
    }
    required = frozenset({"create_time", "out_order_no", "detail_id", "amount"})
    summary_words = ("总", "汇总", "合计", "total", "笔数")

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        detail_id = ident(values.get("detail_id"), name="detail_id")
        status = text(values.get("status")).upper()
        if status and status not in ("SUCCESS", "分账成功", "成功", "FINISHED"):
            raise RowError(f"分账状态 {status} 未成功 / status {status}: the share moved no money")
        currency = (text(values.get("currency")) or "CNY").upper()
        amount = money(values, "amount", in_fen=False, currency=currency, required=True)
        business = text(values.get("business_type"))
        returned = business in ("回退", "RETURN")
        check_signs({"amount": amount}, sign=REFUND if returned else SALE, kind=business or "分账 share", currency=currency)
        return BillRow(
            line=number,
            natural_key=detail_id,
            occurred_on=day(values.get("create_time"), name="create_time"),
            order_id=ident(values.get("out_order_no"), name="out_order_no"),
            request_no=ident(values.get("order_id"), name="order_id", required=False),
            reference=ident(values.get("transaction_id"), name="transaction_id", required=False),
            counterparty=text(values.get("receiver_account")),
            # Shares of one order to different receivers may be equal; only a repeat to the same
            # receiver is a duplicate.
            phase=text(values.get("receiver_account"))[-32:],
            kind=business,
            currency=currency,
            commission_minor=amount,
            raw={"description": text(values.get("description"))} if clean(values.get("description")) else {},
        )

    def is_summary(self, row: list[Any]) -> bool:
        first = str(clean(row[0]) or "") if row else ""
        return any(word in first.lower() for word in self.summary_words)

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("profitsharing", self.columns, self.required, self.build)
        return read_table(statement_rows(stream, source=self.source), [layout], source=self.source, stop=self.is_summary)
