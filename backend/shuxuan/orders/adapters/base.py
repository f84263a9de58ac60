"""The one interface every order source implements, and what the adapters share beyond reading
cells and tables.

An adapter turns a platform's file (or API page) into `ParsedLine`s in fen and basis points, and
`Rejected` rows with the row number and the reason. Reading is incremental: a CSV is decoded and
parsed row by row, an XLSX is read in openpyxl's read-only mode, JSON Lines line by line.

A file whose header does not fit the adapter raises `WrongFormat` on the first `next()`, before
any row is produced, so the caller can refuse the file having written nothing.

The export quirks every tabular source has (encodings, separators, ids with a trailing tab, yuan
with `¥`, `-` for empty, a title row above the header) are read by `common/cells.py` and
`common/tables.py`, which the statement parsers share; their names are re-exported here so an
adapter imports everything it reads with from one place. What is about orders stays here: the
line, its checks, the order statuses, the JSON envelopes of the platforms' order APIs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import blake2b
from typing import IO, Any, Protocol

from shuxuan.common.cells import (
    EMPTY,
    SHANGHAI,
    RowError,
    clean,
    epoch,
    fen,
    ident,
    integer,
    percent_bps,
    required_when,
    scaled_bps,
    text,
    when,
    yuan,
)
from shuxuan.common.tables import (
    HEADER_SEARCH_ROWS,
    VALIDATE_BLOCK,
    Rejected,
    RowDecodeError,
    WrongFormat,
    alias_lookup,
    csv_rows,
    detect_encoding,
    match_header,
    normalise_header,
    read_rows,
    sniff_kind,
    table_rows,
    validate_encoding,
)
from shuxuan.common.tables import Layout as Dialect
from shuxuan.common.uploads import excerpt

STATUSES = ("paid", "confirmed", "settled", "refunded", "invalid")
# The Chinese past-tense labels of those statuses, as the generic file and Douyin's export write them.
STATUS_LABELS = {"已付款": "paid", "已收货": "confirmed", "已结算": "settled", "已退款": "refunded", "已失效": "invalid"}
ORDER_FILE = ("订单文件", "order file")  # how the header's error names what was expected


@dataclass(slots=True)
class ParsedLine:
    """One order line as a source states it, in minor units and basis points."""

    line: int  # row number in the file (the header is row 1), or item number in an API page
    platform: str
    order_id: str
    line_id: str
    pay_amount_minor: int
    status: str
    paid_at: datetime
    author_id: str = ""
    product_id: str = ""
    product_name: str = ""
    media_type: str = ""
    quantity: int = 1
    currency: str = "CNY"
    commission_base_minor: int | None = None
    commission_rate_bps: int | None = None
    estimated_commission_minor: int | None = None
    settled_commission_minor: int | None = None
    service_fee_rate_bps: int | None = None
    service_fee_minor: int | None = None
    refunded_minor: int = 0
    platform_subsidy_minor: int = 0
    confirmed_at: datetime | None = None
    settled_at: datetime | None = None
    refunded_at: datetime | None = None
    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform, self.order_id, self.line_id)

    def facts(self) -> tuple[Any, ...]:
        """Everything a later import may change; equal facts mean the line is unchanged.

        The subsidy joins the tuple only when there is one, so that the fingerprints of lines
        stored before the subsidy was read stay equal (re-importing an old file changes nothing).
        """
        facts = (
            self.author_id,
            self.product_id,
            self.product_name,
            self.media_type,
            self.quantity,
            self.currency,
            self.pay_amount_minor,
            self.commission_base_minor,
            self.commission_rate_bps,
            self.estimated_commission_minor,
            self.settled_commission_minor,
            self.service_fee_rate_bps,
            self.service_fee_minor,
            self.refunded_minor,
            self.status,
            _iso(self.paid_at),
            _iso(self.confirmed_at),
            _iso(self.settled_at),
            _iso(self.refunded_at),
        )
        return (*facts, ("subsidy", self.platform_subsidy_minor)) if self.platform_subsidy_minor else facts

    def fingerprint(self) -> str:
        """A hash of `facts()`, computed once (a line is final once `finish_line` returns)."""
        if self._fingerprint is None:
            self._fingerprint = blake2b(repr(self.facts()).encode(), digest_size=16).hexdigest()
        return self._fingerprint


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat() if value else None


Parsed = ParsedLine | Rejected


class OrderAdapter(Protocol):
    """source: the `--platform` value; parse: the rows of one file, in file order."""

    source: str

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]: ...


def finish_line(line: ParsedLine) -> ParsedLine:
    """Checks every adapter applies last. A refund without an amount is a refund of the whole payment."""
    if not line.order_id:
        raise RowError("订单号为空 / order id is empty")
    if line.pay_amount_minor < 0:
        raise RowError("支付金额为负 / pay amount is negative")
    if line.quantity < 1:
        raise RowError("商品数量须为正 / quantity must be positive")
    if line.status == "refunded" and not line.refunded_minor:
        line.refunded_minor = line.pay_amount_minor
    if line.platform_subsidy_minor < 0:
        raise RowError("平台补贴为负 / the platform subsidy is negative")
    if line.refunded_minor < 0 or line.refunded_minor > line.pay_amount_minor:
        raise RowError(f"退款金额 {line.refunded_minor} 分超出支付金额 {line.pay_amount_minor} 分 / refund exceeds the payment")
    for name in ("commission_rate_bps", "service_fee_rate_bps"):
        value = getattr(line, name)
        if value is not None and not 0 <= value <= 10_000:
            raise RowError(f"{name} {value} 不在 0–100% 之间 / rate outside 0–100%")
    line.fingerprint()
    return line


def read_line(build: Callable[[dict[str, Any], int], ParsedLine], values: dict[str, Any], number: int) -> Parsed:
    """One row or API item through `build` and `finish_line`, or `Rejected` naming why not."""
    try:
        return finish_line(build(values, number))
    except RowError as exc:
        return Rejected(number, str(exc))


def first_ident(values: dict[str, Any], names: tuple[str, ...]) -> str:
    """The first of `names` that holds an id (the anchor's id has fallbacks on several platforms)."""
    return next((v for v in (ident(values.get(k), name=k, required=False) for k in names) if v), "")


def parse_table(rows: Iterable[list[Any]], dialects: Iterable[Dialect], *, source: str) -> Iterator[Parsed]:
    """Find the header among the first rows, then read every data row through its dialect."""
    return read_rows(rows, list(dialects), source=source, expected=ORDER_FILE, finish=finish_line)


def parse_json(
    stream: IO[bytes],
    build: Callable[[dict[str, Any], int], ParsedLine],
    *,
    list_keys: tuple[str, ...],
    required: frozenset[str],
    source: str,
) -> Iterator[Parsed]:
    """The items of an API's JSON, one line each; the first item must have the `required` keys."""
    for index, (number, item) in enumerate(json_items(stream, list_keys=list_keys)):
        if index == 0:
            require_keys(item, required, source=source)
        yield read_line(build, item, number)


def json_items(stream: IO[bytes], *, list_keys: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Items of a JSON file: an API response (items under one of `list_keys`, at any depth of `data`),
    a list of items or of responses, or JSON Lines (one item or response per line)."""
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    raw = io.TextIOWrapper(stream, encoding="utf-8-sig")
    try:
        if head[:1] == b"{" and _looks_like_json_lines(head):
            number = 0
            for number, text_line in enumerate(raw, start=1):
                if text_line.strip():
                    for item in _unwrap(_load(text_line, number), list_keys):
                        yield number, item
            return
        document = _load(raw.read(), 1)
    finally:
        raw.detach()
    for number, item in enumerate(_unwrap(document, list_keys), start=1):
        yield number, item


def _looks_like_json_lines(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0].strip()
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


def _load(text_value: str, number: int) -> Any:
    try:
        return json.loads(text_value)
    except ValueError as exc:
        raise WrongFormat(f"JSON 无法解析（第 {number} 行）/ not valid JSON at line {number}: {exc}") from None


def _unwrap(document: Any, list_keys: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    if isinstance(document, list):
        for element in document:
            yield from _unwrap(element, list_keys)
        return
    if not isinstance(document, dict):
        raise WrongFormat("JSON 中没有订单对象 / no order objects in this JSON")
    for key in list_keys:
        if key in document:
            yield from _unwrap(document[key], list_keys)
            return
    if "data" in document and isinstance(document["data"], dict | list):
        yield from _unwrap(document["data"], list_keys)
        return
    yield document


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists are kept whole."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def status_of(value: Any, mapping: dict[str, str], *, name: str) -> str:
    code = clean(value)
    if code is None:
        raise RowError(f"{name} 为空 / {name} is empty")
    status = mapping.get(str(code)) or mapping.get(str(code).upper())
    if status is None:
        raise RowError(f"未知{name} {excerpt(code)} / unknown {name} {excerpt(code)}")
    if status not in STATUSES:  # a mapping entry naming why such rows are skipped
        raise RowError(status)
    return status


def require_keys(item: dict[str, Any], required: frozenset[str], *, source: str) -> None:
    """Refuse a JSON file whose first object lacks the source's required keys."""
    missing = sorted(required - item.keys())
    if missing:
        raise WrongFormat(f"不是{source}订单数据：缺少字段 / not {source} order data: missing keys {', '.join(missing)}")


__all__ = [
    "EMPTY",
    "HEADER_SEARCH_ROWS",
    "SHANGHAI",
    "STATUSES",
    "STATUS_LABELS",
    "VALIDATE_BLOCK",
    "Dialect",
    "OrderAdapter",
    "Parsed",
    "ParsedLine",
    "Rejected",
    "RowDecodeError",
    "RowError",
    "WrongFormat",
    "alias_lookup",
    "clean",
    "csv_rows",
    "detect_encoding",
    "epoch",
    "fen",
    "finish_line",
    "first_ident",
    "flatten",
    "ident",
    "integer",
    "json_items",
    "match_header",
    "normalise_header",
    "parse_json",
    "parse_table",
    "percent_bps",
    "read_line",
    "require_keys",
    "required_when",
    "scaled_bps",
    "sniff_kind",
    "status_of",
    "table_rows",
    "text",
    "validate_encoding",
    "when",
    "yuan",
]
