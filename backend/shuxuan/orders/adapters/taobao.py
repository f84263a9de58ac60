"""Taobao affiliate (淘宝联盟) order details, `taobao.tbk.order.details.get` (platform-formats.md §4).

One layout, as a CSV/XLSX or the API's JSON (`results.publisher_order_dto[]`, a list of them, or
JSON Lines). A column may carry the API field name or the back-office export's Chinese header.
Amounts are yuan strings (`"3.80"`, also `¥3.80`), rates percent strings (`"30.00"` or `30.00%`),
times `yyyy-MM-dd HH:mm:ss` with "" or "--" when absent.

Order id `trade_parent_id`, line id `trade_id` (one per cart item). Status `tk_status` (V):
12 paid (订单付款), 14 receipt confirmed (订单成功), 3 settled (订单结算), 13 invalid (订单失效);
11 (placed, unpaid) is not an order line yet and is rejected.

Assumptions where the reference marks a fact unverified (U/I):

* The Chinese export headers (订单编号 / 子订单编号 / 付款金额 / 佣金比率 / 技术服务费比率 …) are not
  in the reference; they are accepted as aliases from memory of the 淘宝联盟 back office.
* The anchor's platform id is the channel `relation_id` (渠道关系ID), falling back to `special_id`
  then `adzone_id`. AnchorAccount.platform_uid must hold it.
* Pay amount: `alipay_total_price`; pay time `tk_paid_time` (else `tb_paid_time`); commission rate
  `total_commission_rate`; estimated commission `pub_share_pre_fee`, settled `pub_share_fee`;
  service fee `alimama_rate` / `alimama_share_fee`.
* `refund_tag` 1 (a rights-protection refund) carries no amount: the line is recorded as refunded
  in full.
* Platform subsidy: none is read (`platform_subsidy_minor` 0). `subsidy_fee` / `subsidy_rate` are
  the publisher's subsidy *income* from Alimama, not money the shop receives on top of the buyer's
  payment, so they are not part of the settlement basis.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.orders.adapters.base import (
    Dialect,
    Parsed,
    ParsedLine,
    RowError,
    first_ident,
    ident,
    integer,
    parse_json,
    parse_table,
    percent_bps,
    sniff_kind,
    status_of,
    table_rows,
    text,
    when,
    yuan,
)

PLATFORM = "taobao"
TK_STATUSES = {
    "12": "paid",
    "14": "confirmed",
    "3": "settled",
    "13": "invalid",
    "订单付款": "paid",
    "订单成功": "confirmed",
    "订单结算": "settled",
    "订单失效": "invalid",
    "11": "已下单未付款的订单不导入 / an order placed but not paid is not an order line yet",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "trade_parent_id": ("订单编号", "淘宝父订单编号", "父订单编号"),
    "trade_id": ("子订单编号", "淘宝子订单编号"),
    "item_id": ("商品ID", "商品id"),
    "item_title": ("商品信息", "商品标题", "商品名称"),
    "item_num": ("商品数", "商品数量"),
    "alipay_total_price": ("付款金额",),
    "total_commission_rate": ("佣金比率",),
    "pub_share_pre_fee": ("付款预估收入", "预估收入"),
    "pub_share_fee": ("结算预估收入",),
    "alimama_rate": ("技术服务费比率",),
    "alimama_share_fee": ("技术服务费",),
    "tk_status": ("订单状态",),
    "refund_tag": ("维权标签",),
    "tk_paid_time": ("付款时间",),
    "tb_paid_time": (),
    "tk_earning_time": ("结算时间",),
    "relation_id": ("渠道关系ID", "渠道关系id"),
    "special_id": ("会员运营ID",),
    "adzone_id": ("推广位ID", "广告位ID"),
    "flow_source": ("流量来源",),
}
REQUIRED = frozenset({"trade_parent_id", "trade_id", "alipay_total_price", "tk_status"})


def line_from_row(values: dict[str, Any], number: int) -> ParsedLine:
    status = status_of(values.get("tk_status"), TK_STATUSES, name="tk_status")
    pay = yuan(values.get("alipay_total_price"), name="alipay_total_price") or 0
    refunded = 0
    if integer(values.get("refund_tag"), name="refund_tag", default=0) == 1:
        status, refunded = "refunded", pay
    paid_at = when(values.get("tk_paid_time"), name="tk_paid_time") or when(values.get("tb_paid_time"), name="tb_paid_time")
    if paid_at is None:
        raise RowError("付款时间为空 / tk_paid_time is empty")
    settled = when(values.get("tk_earning_time"), name="tk_earning_time")
    author = first_ident(values, ("relation_id", "special_id", "adzone_id"))
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=ident(values.get("trade_parent_id"), name="trade_parent_id"),
        line_id=ident(values.get("trade_id"), name="trade_id"),
        author_id=author,
        product_id=ident(values.get("item_id"), name="item_id", required=False),
        product_name=text(values.get("item_title"))[:200],
        media_type=text(values.get("flow_source"))[:32],
        quantity=integer(values.get("item_num"), name="item_num", default=1),
        pay_amount_minor=pay,
        commission_rate_bps=percent_bps(values.get("total_commission_rate"), name="total_commission_rate"),
        estimated_commission_minor=yuan(values.get("pub_share_pre_fee"), name="pub_share_pre_fee", required=False),
        settled_commission_minor=yuan(values.get("pub_share_fee"), name="pub_share_fee", required=False) if settled else None,
        service_fee_rate_bps=percent_bps(values.get("alimama_rate"), name="alimama_rate"),
        service_fee_minor=yuan(values.get("alimama_share_fee"), name="alimama_share_fee", required=False),
        refunded_minor=refunded,
        status=status,
        paid_at=paid_at,
        settled_at=settled,
    )


DIALECT = Dialect("tbk", COLUMNS, REQUIRED, line_from_row)


class TaobaoAdapter:
    source = "taobao"

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        if sniff_kind(stream) == "json":
            list_keys = ("publisher_order_dto", "results")
            yield from parse_json(stream, line_from_row, list_keys=list_keys, required=REQUIRED, source="淘宝联盟 Taobao")
            return
        yield from parse_table(table_rows(stream), [DIALECT], source="淘宝联盟 Taobao")
