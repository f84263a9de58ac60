"""One adapter per source behind one interface: `adapter_for(source).parse(stream)` yields
`ParsedLine`s and `Rejected` rows in file order, or raises `WrongFormat` before the first one."""

from __future__ import annotations

from shuxuan.orders.adapters.base import OrderAdapter, Parsed, ParsedLine, Rejected, WrongFormat
from shuxuan.orders.adapters.douyin import DouyinAdapter
from shuxuan.orders.adapters.generic import GenericAdapter
from shuxuan.orders.adapters.kuaishou import KuaishouAdapter
from shuxuan.orders.adapters.taobao import TaobaoAdapter
from shuxuan.orders.adapters.wechat import WechatAdapter

ADAPTERS: dict[str, OrderAdapter] = {
    adapter.source: adapter
    for adapter in (DouyinAdapter(), KuaishouAdapter(), TaobaoAdapter(), WechatAdapter(), GenericAdapter())
}


def adapter_for(source: str) -> OrderAdapter:
    try:
        return ADAPTERS[source]
    except KeyError:
        raise WrongFormat(f"未知来源 {source!r} / unknown source; choose one of {', '.join(ADAPTERS)}") from None


__all__ = ["ADAPTERS", "OrderAdapter", "Parsed", "ParsedLine", "Rejected", "WrongFormat", "adapter_for"]
