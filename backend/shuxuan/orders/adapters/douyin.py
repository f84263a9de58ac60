"""Douyin 巨量百应 / 精选联盟 alliance orders (platform-formats.md §1a, §6a).

Two layouts are accepted, told apart by the header:

* **institute** — the fields of `buyin.instituteOrderMCN` (`data.orders[]`), as a CSV/XLSX with
  those column names or as the API's JSON (a response, a list of responses, a list of orders or
  JSON Lines). Units as the API: amounts are integers in **fen**, rates integers **×10000**
  (35% → 3500, i.e. already basis points), times `yyyy-MM-dd HH:mm:ss` with "" for not yet.
  The HTTP connector (`connectors.DouyinAllianceConnector`) reads the same shape.
* **export** — the back-office 联盟订单明细 export with Chinese headers (订单id, 商品id, 抖音/火山号,
  支付金额, 佣金率, 预估佣金支出, 结算金额, 实际佣金支出, 订单状态, 付款时间, 收货时间, 订单结算时间,
  商品数量, 流量来源 …): yuan with `¥`, rates like `32.00%`, ids with a trailing tab, `-` for empty,
  GB18030 or UTF-8.

Status: flow_point `PAY_SUCC` paid, `CONFIRM` confirmed, `SETTLE` settled, `REFUND` refunded (V).

Assumptions where the reference marks a fact unverified (U/I):

* The anchor's platform id is the creator's Douyin number: `author_short_id` (export: 抖音/火山号),
  falling back to `author_buyin_id`. AnchorAccount.platform_uid must hold that number.
* `order_id` is the sub-order (line level), so the line id is left empty.
* `tech_service_fee_rate` is ×10000 like `commission_rate` (its scale is U).
* The export's 订单状态 labels other than 订单付款 (the only observed one) are assumed to be
  订单收货 / 确认收货 (confirmed), 订单结算 / 结算 (settled), 订单退货退款 / 退款 (refunded) and
  订单失效 (invalid); the alliance.getOrderList labels 支付成功 / 确认收货 / 退款 / 结算 and the
  flow_point codes are accepted too.
* A refunded order carries no refund amount in either layout: it is taken as a refund of the whole
  payment. The export carries no refund or tech-fee columns.
* `real_commission` is recorded as the settled commission only once the line is settled.
* Platform subsidy (what the platform pays the shop on top of the buyer's payment, part of the
  settlement basis): `platform_subsidy` + `pay_subsidy` (export: 平台补贴 + 支付补贴), both funded by
  the platform (Douyin Pay for the second). `author_subsidy` (达人补贴) is left out: the creator
  funds it, not the platform. A file without these columns gives 0.
* `media_type` (export: 流量来源, else 订单来源) is kept as the platform says it; the attribution
  reads it for ads-driven traffic (千川 / 付费 / 广告 …) and for sales that did not come from a
  live stream (video, shop_list …), see orders/attribution.py. `media_id` (the live room) is not
  used: live sessions carry no room id yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.orders.adapters.base import (
    STATUS_LABELS,
    Dialect,
    Parsed,
    ParsedLine,
    clean,
    fen,
    first_ident,
    ident,
    integer,
    parse_json,
    parse_table,
    percent_bps,
    read_line,
    required_when,
    scaled_bps,
    sniff_kind,
    status_of,
    table_rows,
    text,
    when,
    yuan,
)

PLATFORM = "douyin"
FLOW_POINTS = {"PAY_SUCC": "paid", "CONFIRM": "confirmed", "SETTLE": "settled", "REFUND": "refunded"}
EXPORT_STATUSES = {
    **FLOW_POINTS,
    **STATUS_LABELS,
    "订单付款": "paid",
    "支付成功": "paid",
    "订单收货": "confirmed",
    "确认收货": "confirmed",
    "订单结算": "settled",
    "结算": "settled",
    "订单退货退款": "refunded",
    "退款": "refunded",
    "订单失效": "invalid",
}

INSTITUTE_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": (),
    "product_id": (),
    "product_name": (),
    "author_short_id": (),
    "author_buyin_id": (),
    "total_pay_amount": (),
    "pay_goods_amount": (),
    "commission_rate": (),
    "estimated_commission": (),
    "real_commission": (),
    "tech_service_fee_rate": (),
    "estimated_tech_service_fee": (),
    "settled_tech_service_fee": (),
    "flow_point": (),
    "pay_success_time": (),
    "confirm_time": (),
    "settle_time": (),
    "refund_time": (),
    "media_type": (),
    "item_num": (),
    "platform_subsidy": (),
    "pay_subsidy": (),
}
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": ("订单id", "订单ID", "订单号"),
    "product_id": ("商品id", "商品ID"),
    "product_name": ("商品名称",),
    "author_id": ("抖音/火山号", "抖音号", "达人抖音号"),
    "pay_amount": ("支付金额",),
    "commission_rate": ("佣金率",),
    "estimated_commission": ("预估佣金支出", "预估佣金"),
    "settled_amount": ("结算金额",),
    "real_commission": ("实际佣金支出", "实际佣金"),
    "status": ("订单状态",),
    "paid_at": ("付款时间", "支付时间"),
    "confirmed_at": ("收货时间",),
    "settled_at": ("订单结算时间", "结算时间"),
    "quantity": ("商品数量",),
    "media_type": ("流量来源", "订单来源"),
    "platform_subsidy": ("平台补贴",),
    "pay_subsidy": ("支付补贴",),
}


def line_from_api(values: dict[str, Any], number: int) -> ParsedLine:
    """One `buyin.instituteOrderMCN` order (API JSON or a CSV with its column names)."""
    status = status_of(values.get("flow_point"), FLOW_POINTS, name="flow_point")
    settled = status == "settled" or bool(text(values.get("settle_time")))
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=ident(values.get("order_id"), name="order_id"),
        line_id="",
        author_id=first_ident(values, ("author_short_id", "author_buyin_id")),
        product_id=ident(values.get("product_id"), name="product_id", required=False),
        product_name=text(values.get("product_name"))[:200],
        media_type=text(values.get("media_type"))[:32],
        quantity=integer(values.get("item_num"), name="item_num", default=1),
        pay_amount_minor=_fen(values, "total_pay_amount", required=True) or 0,
        commission_base_minor=_fen(values, "pay_goods_amount"),
        commission_rate_bps=scaled_bps(values.get("commission_rate"), name="commission_rate", per=10_000),
        estimated_commission_minor=_fen(values, "estimated_commission"),
        settled_commission_minor=_fen(values, "real_commission") if settled else None,
        service_fee_rate_bps=scaled_bps(values.get("tech_service_fee_rate"), name="tech_service_fee_rate", per=10_000),
        service_fee_minor=(_fen(values, "settled_tech_service_fee") if settled else None)
        or _fen(values, "estimated_tech_service_fee"),
        platform_subsidy_minor=(_fen(values, "platform_subsidy") or 0) + (_fen(values, "pay_subsidy") or 0),
        status=status,
        paid_at=required_when(values.get("pay_success_time"), name="pay_success_time"),
        confirmed_at=when(values.get("confirm_time"), name="confirm_time"),
        settled_at=when(values.get("settle_time"), name="settle_time"),
        refunded_at=when(values.get("refund_time"), name="refund_time"),
    )


def _fen(values: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    return fen(values.get(name), name=name, required=required)


def line_from_export(values: dict[str, Any], number: int) -> ParsedLine:
    status = status_of(values.get("status"), EXPORT_STATUSES, name="订单状态")
    settled = status == "settled" or clean(values.get("settled_at")) is not None
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=ident(values.get("order_id"), name="订单id"),
        line_id="",
        author_id=ident(values.get("author_id"), name="抖音/火山号", required=False),
        product_id=ident(values.get("product_id"), name="商品id", required=False),
        product_name=text(values.get("product_name"))[:200],
        media_type=text(values.get("media_type"))[:32],
        quantity=integer(values.get("quantity"), name="商品数量", default=1),
        pay_amount_minor=yuan(values.get("pay_amount"), name="支付金额") or 0,
        commission_base_minor=yuan(values.get("settled_amount"), name="结算金额", required=False) if settled else None,
        commission_rate_bps=percent_bps(values.get("commission_rate"), name="佣金率"),
        estimated_commission_minor=yuan(values.get("estimated_commission"), name="预估佣金支出", required=False),
        settled_commission_minor=yuan(values.get("real_commission"), name="实际佣金支出", required=False) if settled else None,
        platform_subsidy_minor=(yuan(values.get("platform_subsidy"), name="平台补贴", required=False) or 0)
        + (yuan(values.get("pay_subsidy"), name="支付补贴", required=False) or 0),
        status=status,
        paid_at=required_when(values.get("paid_at"), name="付款时间"),
        confirmed_at=when(values.get("confirmed_at"), name="收货时间"),
        settled_at=when(values.get("settled_at"), name="订单结算时间"),
    )


INSTITUTE = Dialect(
    "institute",
    INSTITUTE_COLUMNS,
    frozenset({"order_id", "total_pay_amount", "flow_point", "pay_success_time"}),
    line_from_api,
)
EXPORT = Dialect("export", EXPORT_COLUMNS, frozenset({"order_id", "pay_amount", "status", "paid_at"}), line_from_export)


class DouyinAdapter:
    source = "douyin"

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        if sniff_kind(stream) == "json":
            yield from parse_json(stream, line_from_api, list_keys=("orders",), required=INSTITUTE.required, source="抖音 Douyin")
            return
        yield from parse_table(table_rows(stream), [INSTITUTE, EXPORT], source="抖音 Douyin")


def parse_api_item(item: dict[str, Any], number: int) -> Parsed:
    """One order of the alliance API's page (the HTTP connector reads them one by one)."""
    return read_line(line_from_api, item, number)
