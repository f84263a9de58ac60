"""One parser per statement source, one module each. Each turns a file into `BillRow`s in minor
units, or `Rejected` rows with the line number and the reason; a file that is not the source's
format raises `WrongFormat` before any row is produced, so the import writes nothing.

What they share (the bill row, reading rows and headers, the sign rule) is `_shared.py`; the cell
and table readers are common/cells.py and common/tables.py, the order importers' too.
Assumptions where platform-formats.md marks a fact unverified are stated on each parser.
"""

from __future__ import annotations

from typing import Any

from shuxuan.reconciliation.parsers._shared import (
    LINE_FIELDS,
    REFUND,
    SALE,
    BillRow,
    Build,
    Layout,
    Parsed,
    Rejected,
    check_signs,
    json_rows,
    read_table,
)
from shuxuan.reconciliation.parsers.bank import BankParser
from shuxuan.reconciliation.parsers.douyin import DouyinParser
from shuxuan.reconciliation.parsers.kuaishou import KuaishouParser
from shuxuan.reconciliation.parsers.stripe import StripeParser
from shuxuan.reconciliation.parsers.taobao import TaobaoParser
from shuxuan.reconciliation.parsers.wechat import WechatParser

PARSERS: dict[str, Any] = {
    "douyin": DouyinParser(),
    "kuaishou": KuaishouParser(),
    "taobao": TaobaoParser(),
    "wechat": WechatParser(),
    "bank": BankParser(),
    "stripe": StripeParser(),
}

__all__ = [
    "LINE_FIELDS",
    "PARSERS",
    "REFUND",
    "SALE",
    "BankParser",
    "BillRow",
    "Build",
    "DouyinParser",
    "KuaishouParser",
    "Layout",
    "Parsed",
    "Rejected",
    "StripeParser",
    "TaobaoParser",
    "WechatParser",
    "check_signs",
    "json_rows",
    "read_table",
]
