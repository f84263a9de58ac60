"""WeChat Shop (微信小店 / 视频号) 优选联盟 commission orders (platform-formats.md §5b).

The source is the institution API `/channels/ec/league/headsupplier/order/get`: its
`commssion_order` objects (the API's spelling; `commission_order` is accepted too) as JSON — a
response, a list of responses or objects, or JSON Lines — or as a CSV/XLSX whose columns are the
objects' dotted paths (`order_detail.product_info.actual_payment`) or their last segment
(`actual_payment`). No back-office export layout is documented for WeChat.

Order id `order_id`, line id `sku_id`. Amounts are fen; times epoch seconds (a CSV may also give
`yyyy-MM-dd HH:mm:ss`).

Assumptions where the reference marks a fact unverified (U):

* Commission status (`status`): 20 unsettled, 100 settled, 200 settlement cancelled; order status
  (`order_detail.order_info.order_status`): 20 awaiting shipment, 30 awaiting receipt, 100
  completed, 200 / 250 cancelled. So: status 100 → settled; 20 with order status 100 → confirmed,
  other 20 → paid; 200 with order status 200 / 250 → refunded (in full), other 200 → invalid.
* Rates (`ratio`, `service_ratio`) are parts per million, as the official example works out
  (ratio 100000 on 100 fen pays 10 fen), not 万分数 as the SDK text says.
* The anchor is the Channels creator: `commission_info.finder_info.openfinderid`, else
  `talent_info.opentalentid`, else `promotion_info.finder_info.finder_id`. Their commission rate
  and amount are the line's commission; `service_ratio` / `service_amount` (the institution's
  fee) are recorded as the service fee.
* Pay time `order_detail.order_info.pay_time`, else the commission order's `create_time`;
  settlement time `profit_sharding_suc_time`.
* Platform subsidy: the league order carries none, so `platform_subsidy_minor` is 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.uploads import excerpt
from shuxuan.orders.adapters.base import (
    Dialect,
    Parsed,
    ParsedLine,
    RowError,
    clean,
    epoch,
    fen,
    first_ident,
    flatten,
    ident,
    json_items,
    parse_table,
    read_line,
    require_keys,
    scaled_bps,
    sniff_kind,
    table_rows,
    text,
    when,
)

PLATFORM = "wechat"
CANCELLED_ORDER = {"200", "250"}

COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": (),
    "sku_id": (),
    "status": ("commission_status",),
    "order_status": ("order_detail.order_info.order_status",),
    "pay_time": ("order_detail.order_info.pay_time",),
    "create_time": (),
    "product_id": ("order_detail.product_info.product_id",),
    "title": ("order_detail.product_info.title",),
    "actual_payment": ("order_detail.product_info.actual_payment",),
    "service_ratio": ("order_detail.commission_info.service_ratio", "commission_info.service_ratio"),
    "service_amount": ("order_detail.commission_info.service_amount", "commission_info.service_amount"),
    "settled_time": (
        "profit_sharding_suc_time",
        "order_detail.commission_info.profit_sharding_suc_time",
        "commission_info.profit_sharding_suc_time",
    ),
    "openfinderid": ("order_detail.commission_info.finder_info.openfinderid", "commission_info.finder_info.openfinderid"),
    "opentalentid": ("order_detail.commission_info.talent_info.opentalentid", "commission_info.talent_info.opentalentid"),
    "finder_id": (
        "order_detail.commission_info.promotion_info.finder_info.finder_id",
        "commission_info.promotion_info.finder_info.finder_id",
    ),
    "finder_ratio": ("order_detail.commission_info.finder_info.ratio", "commission_info.finder_info.ratio", "ratio"),
    "finder_amount": ("order_detail.commission_info.finder_info.amount", "commission_info.finder_info.amount", "amount"),
}
REQUIRED = frozenset({"order_id", "sku_id", "status", "actual_payment"})


def _time(value: Any, name: str) -> Any:
    value = clean(value)
    if value is not None and str(value).isdigit():
        return epoch(value, name=name, unit="s")
    return when(value, name=name)


def line_from_row(values: dict[str, Any], number: int) -> ParsedLine:
    commission_status = text(values.get("status"), required="status")
    order_status = text(values.get("order_status"))
    pay = fen(values.get("actual_payment"), name="actual_payment") or 0
    refunded = 0
    if commission_status == "100":
        status = "settled"
    elif commission_status == "20":
        status = "confirmed" if order_status == "100" else "paid"
    elif commission_status == "200":
        status = "refunded" if order_status in CANCELLED_ORDER else "invalid"
        refunded = pay if status == "refunded" else 0
    else:
        raise RowError(f"未知佣金单状态 status {excerpt(commission_status)} / unknown commission status")
    paid_at = _time(values.get("pay_time"), "pay_time") or _time(values.get("create_time"), "create_time")
    if paid_at is None:
        raise RowError("pay_time 为空 / pay_time is empty")
    author = first_ident(values, ("openfinderid", "opentalentid", "finder_id"))
    return ParsedLine(
        line=number,
        platform=PLATFORM,
        order_id=ident(values.get("order_id"), name="order_id"),
        line_id=ident(values.get("sku_id"), name="sku_id"),
        author_id=author,
        product_id=ident(values.get("product_id"), name="product_id", required=False),
        product_name=text(values.get("title"))[:200],
        pay_amount_minor=pay,
        commission_base_minor=pay,
        commission_rate_bps=scaled_bps(values.get("finder_ratio"), name="finder_info.ratio", per=1_000_000),
        estimated_commission_minor=fen(values.get("finder_amount"), name="finder_info.amount", required=False),
        service_fee_rate_bps=scaled_bps(values.get("service_ratio"), name="service_ratio", per=1_000_000),
        service_fee_minor=fen(values.get("service_amount"), name="service_amount", required=False),
        refunded_minor=refunded,
        status=status,
        paid_at=paid_at,
        settled_at=_time(values.get("settled_time"), "profit_sharding_suc_time") if status == "settled" else None,
    )


DIALECT = Dialect("league", COLUMNS, REQUIRED, line_from_row)


class WechatAdapter:
    source = "wechat"

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        if sniff_kind(stream) != "json":
            yield from parse_table(table_rows(stream), [DIALECT], source="微信视频号 WeChat")
            return
        for index, (number, item) in enumerate(json_items(stream, list_keys=("commssion_order", "commission_order", "list"))):
            flat = flatten(item)
            header = list(flat)
            positions = DIALECT.match(header)
            if index == 0 and not DIALECT.required <= positions.keys():
                require_keys(dict.fromkeys(positions), DIALECT.required, source="微信视频号 WeChat")
            values = {name: flat[header[position]] for name, position in positions.items()}
            yield read_line(line_from_row, values, number)
