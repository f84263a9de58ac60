"""The generic order file: for any platform, or for a platform's data reshaped by hand.

CSV (UTF-8 with or without BOM, or GB18030; comma or tab separated) or XLSX (first sheet). The
first row names the columns, by the English or the Chinese name, in any order; unknown columns
are ignored. One row per order line.

| column               | 中文列名     | req | meaning |
|----------------------|-------------|-----|---------|
| platform             | 平台         | yes | douyin, kuaishou, taobao, wechat, xiaohongshu (抖音 快手 淘宝 视频号 小红书) |
| order_id             | 订单号       | yes | the platform's order id |
| line_id              | 子订单号     | no  | sub-order / line id; empty when order_id is already one line |
| status               | 订单状态     | yes | paid, confirmed, settled, refunded, invalid (已付款 已收货 已结算 已退款 已失效) |
| paid_at              | 付款时间     | yes | `2025-06-09 21:25:25` (Asia/Shanghai unless an offset is given) or ISO 8601 |
| pay_amount           | 支付金额     | yes | what the buyer paid for the line, yuan: `169.00`, `¥1,299.00` |
| quantity             | 商品数量     | no  | whole number, default 1 |
| author_id            | 主播ID       | no  | the anchor's account id on that platform (AnchorAccount.platform_uid) |
| product_id           | 商品ID       | no  | the platform's product id (mapped to a SKU by the product mappings) |
| product_name         | 商品名称     | no  | |
| currency             | 币种         | no  | ISO 4217, default CNY |
| commission_base      | 计佣金额     | no  | commissionable amount, yuan |
| commission_rate      | 佣金率       | no  | percent: `20%` or `20.00` |
| estimated_commission | 预估佣金     | no  | yuan |
| settled_commission   | 结算佣金     | no  | yuan |
| service_fee_rate     | 技术服务费率 | no  | percent |
| service_fee          | 技术服务费   | no  | yuan |
| refund_amount        | 退款金额     | no  | yuan refunded so far (cumulative); `refunded` without it = in full |
| subsidy              | 平台补贴     | no  | platform subsidy, yuan (not the anchor's own); default 0 |
| confirmed_at         | 收货时间     | no  | time |
| settled_at           | 结算时间     | no  | time |
| refunded_at          | 退款时间     | no  | time |
| media_type           | 流量来源     | no  | free text: live, video, showcase, ads … (see below) |

Ids may carry a trailing tab or a leading `'`; empty cells may be written `-`. A later file that
changes a line's status or refund amount is recorded as a new event on that line.

`media_type` matters to attribution (orders/attribution.py): a value naming paid traffic (`ads`,
`paid`, `qianchuan`, 千川, 付费, 广告, 投流, 鲁班) makes the line ads-driven, so it takes the pick's ads
rate when the plan has one; a value naming a video or the showcase (`video`, `shop_list`,
`showcase`, `product_detail`, 视频 but not 视频号, 橱窗, 商品卡, 图文) keeps the line out of any live session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.uploads import excerpt
from shuxuan.orders.adapters.base import (
    STATUS_LABELS,
    Dialect,
    Parsed,
    ParsedLine,
    RowError,
    ident,
    integer,
    parse_table,
    percent_bps,
    required_when,
    status_of,
    table_rows,
    text,
    when,
    yuan,
)
from shuxuan.orders.adapters.base import (
    STATUSES as ORDER_STATUSES,
)
from shuxuan.parties.models import Platform

PLATFORMS = {
    **{p: p for p in Platform.values},
    "抖音": "douyin",
    "快手": "kuaishou",
    "淘宝": "taobao",
    "淘宝联盟": "taobao",
    "微信": "wechat",
    "视频号": "wechat",
    "微信视频号": "wechat",
    "小红书": "xiaohongshu",
}
STATUSES = {**{s: s for s in ORDER_STATUSES}, **STATUS_LABELS}
COLUMNS: dict[str, tuple[str, ...]] = {
    "platform": ("平台",),
    "order_id": ("订单号",),
    "line_id": ("子订单号",),
    "status": ("订单状态",),
    "paid_at": ("付款时间",),
    "pay_amount": ("支付金额",),
    "quantity": ("商品数量",),
    "author_id": ("主播ID", "主播id"),
    "product_id": ("商品ID", "商品id"),
    "product_name": ("商品名称",),
    "currency": ("币种",),
    "commission_base": ("计佣金额",),
    "commission_rate": ("佣金率",),
    "estimated_commission": ("预估佣金",),
    "settled_commission": ("结算佣金",),
    "service_fee_rate": ("技术服务费率",),
    "service_fee": ("技术服务费",),
    "refund_amount": ("退款金额",),
    "subsidy": ("平台补贴",),
    "confirmed_at": ("收货时间",),
    "settled_at": ("结算时间",),
    "refunded_at": ("退款时间",),
    "media_type": ("流量来源",),
}
REQUIRED = frozenset({"platform", "order_id", "status", "paid_at", "pay_amount"})


def line_from_row(values: dict[str, Any], number: int) -> ParsedLine:
    platform = PLATFORMS.get(text(values.get("platform"), required="platform").lower())
    if platform is None:
        raise RowError(f"未知平台 {excerpt(text(values.get('platform')))} / unknown platform")
    currency = text(values.get("currency")).upper() or "CNY"
    paid_at = required_when(values.get("paid_at"), name="paid_at")

    def money(name: str, *, required: bool = False) -> int | None:
        try:
            return yuan(values.get(name), name=name, currency=currency, required=required)
        except ValueError as exc:  # an unsupported currency
            raise RowError(str(exc)) from None

    return ParsedLine(
        line=number,
        platform=platform,
        order_id=ident(values.get("order_id"), name="order_id"),
        line_id=ident(values.get("line_id"), name="line_id", required=False),
        author_id=ident(values.get("author_id"), name="author_id", required=False),
        product_id=ident(values.get("product_id"), name="product_id", required=False),
        product_name=text(values.get("product_name"))[:200],
        media_type=text(values.get("media_type"))[:32],
        quantity=integer(values.get("quantity"), name="quantity", default=1),
        currency=currency,
        pay_amount_minor=money("pay_amount", required=True) or 0,
        commission_base_minor=money("commission_base"),
        commission_rate_bps=percent_bps(values.get("commission_rate"), name="commission_rate"),
        estimated_commission_minor=money("estimated_commission"),
        settled_commission_minor=money("settled_commission"),
        service_fee_rate_bps=percent_bps(values.get("service_fee_rate"), name="service_fee_rate"),
        service_fee_minor=money("service_fee"),
        refunded_minor=money("refund_amount") or 0,
        platform_subsidy_minor=money("subsidy") or 0,
        status=status_of(values.get("status"), STATUSES, name="status"),
        paid_at=paid_at,
        confirmed_at=when(values.get("confirmed_at"), name="confirmed_at"),
        settled_at=when(values.get("settled_at"), name="settled_at"),
        refunded_at=when(values.get("refunded_at"), name="refunded_at"),
    )


DIALECT = Dialect("generic", COLUMNS, REQUIRED, line_from_row)


class GenericAdapter:
    source = "generic"

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        yield from parse_table(table_rows(stream), [DIALECT], source="通用 generic")
