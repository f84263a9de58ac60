"""What the statement parsers share: the bill row, reading a statement's rows (CSV, XLSX or a JSON
response) and its header, amounts in fen or yuan, and the sign rule.

The cell readers (ids with a trailing tab or a leading `'`/backtick, yuan with `¥` and thousands
commas, GB18030 or UTF-8, CSV or XLSX, a title row above the header) are common/cells.py and
common/tables.py, which the order importers read with too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from hashlib import blake2b
from typing import IO, Any

from shuxuan.common.cells import SHANGHAI, RowError, fen, required_when, yuan
from shuxuan.common.money import to_major_str
from shuxuan.common.tables import Layout, Rejected, WrongFormat, read_rows, sniff_kind, table_rows

STATEMENT = ("对账文件", "statement")  # how the header's error names what was expected

# The columns a BillRow is written as on a BillLine, in the model's order: the import writes them
# (imports._line_values) and bench/reconcile.py COPYs them; a test holds them to the model.
LINE_FIELDS = (
    "source",
    "natural_key",
    "line_no",
    "occurred_on",
    "period",
    "order_id",
    "request_no",
    "reference",
    "phase",
    "counterparty",
    "kind",
    "currency",
    "gross_minor",
    "fee_minor",
    "commission_minor",
    "net_minor",
    "fingerprint",
    "raw",
)


@dataclass(slots=True)
class BillRow:
    line: int
    natural_key: str
    occurred_on: date
    order_id: str = ""
    request_no: str = ""
    reference: str = ""
    phase: str = ""
    counterparty: str = ""
    kind: str = ""
    currency: str = "CNY"
    gross_minor: int = 0
    fee_minor: int = 0
    commission_minor: int = 0
    net_minor: int = 0
    raw: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        facts = (
            self.occurred_on.isoformat(),
            self.order_id,
            self.request_no,
            self.reference,
            self.phase,
            self.counterparty,
            self.kind,
            self.currency,
            self.gross_minor,
            self.fee_minor,
            self.commission_minor,
            self.net_minor,
        )
        return blake2b(repr(facts).encode(), digest_size=16).hexdigest()


Parsed = BillRow | Rejected
Build = Callable[[dict[str, Any], int], BillRow]


def day(value: Any, *, name: str) -> date:
    return required_when(value, name=name).astimezone(SHANGHAI).date()


def read_table(
    rows: Iterable[list[Any]], layouts: list[Layout], *, source: str, stop: Callable[[list[Any]], bool] | None = None
) -> Iterator[Parsed]:
    """Find the header among the first rows, then read each data row through its layout."""
    return read_rows(rows, layouts, source=source, expected=STATEMENT, stop=stop)


def json_rows(stream: IO[bytes], *, list_keys: tuple[str, ...], source: str) -> Iterator[list[Any]]:
    """A JSON response (or list of items) as a header row plus value rows, for `read_table`."""
    try:
        document = json.loads(stream.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WrongFormat(f"JSON 无法解析 / not valid JSON: {exc}") from None
    items = _find_list(document, list_keys)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise WrongFormat(f"JSON 中未找到{source}账单明细列表 / no list of {source} bill rows in this JSON")
    header = sorted({key for item in items for key in item})
    yield header
    for item in items:
        yield [item.get(key) for key in header]


def _find_list(document: Any, list_keys: tuple[str, ...]) -> Any:
    """The first list found under one of `list_keys`, breadth-first through the envelopes."""
    queue = [document]
    while queue:
        node = queue.pop(0)
        if isinstance(node, list):
            return node
        if isinstance(node, dict):
            for key in list_keys:
                if isinstance(node.get(key), list):
                    return node[key]
            queue.extend(value for value in node.values() if isinstance(value, dict | list))
    return None


def statement_rows(stream: IO[bytes], *, list_keys: tuple[str, ...] = (), source: str) -> Iterable[list[Any]]:
    if sniff_kind(stream) == "json":
        if not list_keys:
            raise WrongFormat(f"这是 JSON 文件，{source} 只接受 CSV 或 XLSX / this is JSON; {source} reads CSV or XLSX")
        return json_rows(stream, list_keys=list_keys, source=source)
    return table_rows(stream, kind="bills")


def money(values: dict[str, Any], name: str, *, in_fen: bool, currency: str = "CNY", required: bool = False) -> int:
    value = values.get(name)
    amount = fen(value, name=name, required=required) if in_fen else yuan(value, name=name, currency=currency, required=required)
    return int(amount or 0)


# Signs follow the bill: a settlement row states what the shop earned and what was deducted as
# positive amounts; a refund after settlement states the same amounts negative (the returned fee
# of a refund is -2.07, not +2.07), so summing an order's rows nets a refunded order to zero, as
# the ledger's clawback legs do. A row whose amount has the other sign contradicts its trade type:
# it is rejected naming the field, never flipped and never taken.
SALE, REFUND = 1, -1


def check_signs(amounts: dict[str, int], *, sign: int, kind: str, currency: str = "CNY") -> None:
    """Every amount is zero or has `sign`; the first that does not is named."""
    for name, amount in amounts.items():
        if amount * sign < 0:
            expected = "≥ 0" if sign == SALE else "≤ 0"
            shown = to_major_str(amount, currency)
            raise RowError(
                f"{name} {shown} 的正负与交易类型 {kind} 不符（应 {expected}）/ "
                f"{name} {shown} has the wrong sign for a {kind} row (expected {expected})"
            )
