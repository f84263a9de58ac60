"""Kuaishou 快分销 CPS orders (platform-formats.md §3, §6d).

Two layouts:

* **API JSON** — `open.distribution.cps.distributor.order.cursor.list` responses (`data.orderView[]`),
  a list of them, a list of orderView objects, or JSON Lines. One line per `cpsOrderProductView[]`
  entry: order id `oid`, line id `itemId`. Amounts integers in fen, times epoch milliseconds.
* **export** — a CSV/XLSX with the merchant order export's Chinese headers (订单号, 商品ID, 商品名称,
  成交数量, 实付款 `¥…`, CPS达人ID, 订单状态, 订单创建时间 …) with optional 付款时间, 预估推广佣金,
  佣金率, 收货时间, 结算时间, 退款金额, 售后状态.

Status (`cpsOrderStatus`, V): 30 paid (已付款), 50 received (已收货 → confirmed), 60 settled (已结算),
80 invalid (已失效). The export's 订单状态 may hold those codes or labels.

Assumptions where the reference marks a fact unverified (U/I):

* Response amounts are fen and times milliseconds (I). `commissionRate` and `serviceRate` are
  per mille (千分制, 100 → 10%), as in Kuaishou's activity APIs (U).
* The anchor's platform id is `distributorId` (export: CPS达人ID).
* A single-product order's amount is `orderTradeAmount`; with several products each line is
  `itemPrice × num`.
* Refunds: the sum of `orderRefundInfo[].refundFee` (export: 退款金额, cumulative), refund time the
  latest `endRefundTime`. Status 80 whose refunds cover the whole payment is recorded as refunded,
  otherwise invalid. An export row whose 售后状态 is 退款成功 / 售后成功 without 退款金额 is a refund
  of the whole payment.
* The export's merchant labels: 待付款 is not an order line yet (rejected); 已发货 / 待发货 paid;
  交易成功 confirmed; 交易关闭 invalid. Without 付款时间 the pay time is 订单创建时间.
* Platform subsidy: neither the CPS order API nor the merchant export carries one (the reference
  lists none), so `platform_subsidy_minor` is 0. Traffic source is not given either: no line is
  ads-driven, and `orderChannel` is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.orders.adapters.base import (
    Dialect,
    Parsed,
    ParsedLine,
    Rejected,
    RowError,
    epoch,
    fen,
    finish_line,
    ident,
    integer,
    json_items,
    parse_table,
    percent_bps,
    require_keys,
    scaled_bps,
    sniff_kind,
    status_of,
    table_rows,
    text,
    when,
    yuan,
)

PLATFORM = "kuaishou"
CPS_STATUSES = {"30": "paid", "50": "confirmed", "60": "settled", "80": "invalid"}
EXPORT_STATUSES = {
    **CPS_STATUSES,
    "已付款": "paid",
    "待发货": "paid",
    "已发货": "paid",
    "已收货": "confirmed",
    "交易成功": "confirmed",
    "已结算": "settled",
    "已失效": "invalid",
    "交易关闭": "invalid",
    "待付款": "待付款的订单尚未成交，不导入 / an unpaid order is not an order line yet",
}
REFUNDED_AFTER_SALES = {"退款成功", "售后成功", "已退款"}

EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": ("订单号", "订单编号"),
    "product_id": ("商品ID", "商品id"),
    "product_name": ("商品名称",),
    "quantity": ("成交数量", "商品数量"),
    "pay_amount": ("实付款", "实付金额"),
    "author_id": ("CPS达人ID", "达人ID"),
    "status": ("订单状态",),
    "created_at": ("订单创建时间",),
    "paid_at": ("付款时间", "支付时间"),
    "estimated_commission": ("预估推广佣金",),
    "commission_rate": ("佣金率", "佣金比例"),
    "confirmed_at": ("收货时间",),
    "settled_at": ("实际结算时间", "结算时间"),
    "refund_amount": ("退款金额",),
    "after_sales": ("售后状态",),
}


def line_from_export(values: dict[str, Any], number: int) -> ParsedLine:
    status = status_of(values.get("status"), EXPORT_STATUSES, name="订单状态")
    pay = yuan(values.get("pay_amount"), name="实付款") or 0
    refunded = yuan(values.get("refund_amount"), name="退款金额", required=False) or 0
    if not refunded and text(values.get("after_sales")) in REFUNDED_AFTER_SALES:
        refunded = pay
    if status == "invalid" and pay and refunded >= pay:
        status = "refunded"
    paid_at = when(values.get("paid_at"), name="付款时间") or when(values.get("created_at"), name="订单创建时间")
    if paid_at is None:
        raise RowError("付款时间为空 / the pay time is empty")
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=ident(values.get("order_id"), name="订单号"),
        line_id=ident(values.get("product_id"), name="商品ID", required=False),
        author_id=ident(values.get("author_id"), name="CPS达人ID", required=False),
        product_id=ident(values.get("product_id"), name="商品ID", required=False),
        product_name=text(values.get("product_name"))[:200],
        quantity=integer(values.get("quantity"), name="成交数量", default=1),
        pay_amount_minor=pay,
        commission_rate_bps=percent_bps(values.get("commission_rate"), name="佣金率"),
        estimated_commission_minor=yuan(values.get("estimated_commission"), name="预估推广佣金", required=False),
        refunded_minor=refunded,
        status=status,
        paid_at=paid_at,
        confirmed_at=when(values.get("confirmed_at"), name="收货时间"),
        settled_at=when(values.get("settled_at"), name="结算时间"),
    )


EXPORT = Dialect(
    "export", EXPORT_COLUMNS, frozenset({"order_id", "pay_amount", "status", "author_id", "created_at"}), line_from_export
)
ORDER_KEYS = frozenset({"oid", "cpsOrderStatus", "payTime", "cpsOrderProductView"})


def lines_from_order_view(order: dict[str, Any], number: int) -> Iterator[Parsed]:
    products = order.get("cpsOrderProductView") or []
    if not isinstance(products, list) or not products:
        yield Rejected(number, "cpsOrderProductView 为空 / the order has no products")
        return
    refunds = order.get("orderRefundInfo") or []
    for product in products:
        try:
            yield finish_line(_line_from_product(order, product, refunds, number, single=len(products) == 1))
        except RowError as exc:
            yield Rejected(number, str(exc))


def _line_from_product(
    order: dict[str, Any], product: dict[str, Any], refunds: list[dict[str, Any]], number: int, *, single: bool
) -> ParsedLine:
    status = status_of(order.get("cpsOrderStatus"), CPS_STATUSES, name="cpsOrderStatus")
    quantity = integer(product.get("num"), name="num", default=1)
    if single:
        pay = fen(order.get("orderTradeAmount"), name="orderTradeAmount") or 0
    else:
        pay = (fen(product.get("itemPrice"), name="itemPrice") or 0) * quantity
    refunded = sum(fen(r.get("refundFee"), name="refundFee", required=False) or 0 for r in refunds) if single else 0
    refund_times = [t for t in (epoch(r.get("endRefundTime"), name="endRefundTime", unit="ms") for r in refunds) if t]
    if status == "invalid" and pay and refunded >= pay:
        status = "refunded"
    paid_at = epoch(order.get("payTime"), name="payTime", unit="ms")
    if paid_at is None:
        raise RowError("payTime 为空 / payTime is empty")
    order_id = ident(order.get("oid"), name="oid")
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=order_id,
        line_id=ident(product.get("itemId"), name="itemId", required=False),
        author_id=ident(order.get("distributorId"), name="distributorId", required=False),
        product_id=ident(product.get("itemId"), name="itemId", required=False),
        product_name=text(product.get("itemTitle"))[:200],
        quantity=quantity,
        pay_amount_minor=pay,
        commission_base_minor=fen(order.get("baseAmount"), name="baseAmount", required=False) if single else None,
        commission_rate_bps=scaled_bps(product.get("commissionRate"), name="commissionRate", per=1000),
        estimated_commission_minor=fen(product.get("estimatedIncome"), name="estimatedIncome", required=False),
        service_fee_rate_bps=scaled_bps(product.get("serviceRate"), name="serviceRate", per=1000),
        service_fee_minor=fen(product.get("serviceAmount"), name="serviceAmount", required=False),
        refunded_minor=min(refunded, pay),
        status=status,
        paid_at=paid_at,
        confirmed_at=epoch(order.get("recvTime"), name="recvTime", unit="ms"),
        settled_at=epoch(order.get("settlementSuccessTime"), name="settlementSuccessTime", unit="ms"),
        refunded_at=max(refund_times) if refund_times else None,
    )


class KuaishouAdapter:
    source = "kuaishou"

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        if sniff_kind(stream) == "json":
            for index, (number, order) in enumerate(json_items(stream, list_keys=("orderView",))):
                if index == 0:
                    require_keys(order, ORDER_KEYS, source="快手 Kuaishou")
                yield from lines_from_order_view(order, number)
            return
        yield from parse_table(table_rows(stream), [EXPORT], source="快手 Kuaishou")
