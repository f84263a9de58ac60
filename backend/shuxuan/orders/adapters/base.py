"""The one interface every order source implements, and the readers and cell parsers they share.

An adapter turns a platform's file (or API page) into `ParsedLine`s in fen and basis points, and
`Rejected` rows with the row number and the reason. Reading is incremental: a CSV is decoded and
parsed row by row, an XLSX is read in openpyxl's read-only mode, JSON Lines line by line.

A file whose header does not fit the adapter raises `WrongFormat` on the first `next()`, before
any row is produced, so the caller can refuse the file having written nothing.

Export quirks handled for every tabular source (platform-formats.md, "General conventions"):
UTF-8 with or without BOM and GB18030; comma or tab separated; ids with a trailing tab, a leading
`'` or backtick, or wrapped as ="…"; yuan with `¥`/`￥`, thousands commas or a trailing 元; rates
as `32.00%`; empty cells written as `-` or `--`; a title row above the header (the header is
looked for in the first ten rows). Numbers typed into XLSX cells are read through their shortest
decimal repr, never as floats; an id that Excel already turned into `6.95E+18` is rejected.
Naive times are Asia/Shanghai.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from hashlib import blake2b
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import MoneyError, round_half_up, to_minor

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER_SEARCH_ROWS = 10
EMPTY = frozenset({"", "-", "--", "—", "/", "null", "NULL", "None", "none", "N/A"})
STATUSES = ("paid", "confirmed", "settled", "refunded", "invalid")


class WrongFormat(DomainError):
    """The file is not what this adapter reads (its header, or its encoding). Nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="wrong_format")


class RowError(ValueError):
    """One row cannot be read; it is reported with its row number and the rest of the file lands."""


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


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str


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


# Cells ---------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_MONEY_NOISE = str.maketrans({"¥": None, "￥": None, "元": None, ",": None, "，": None, " ": None})


def clean(value: Any) -> Any:
    """A cell with export noise removed; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().strip("\t\u3000\ufeff").strip()
        if text[:2] == '="' and text[-1:] == '"':
            text = text[2:-1]
        if text[:1] in ("'", "`"):
            text = text[1:].strip()
        return None if text in EMPTY else text
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest decimal that round-trips; never used as a float
    if isinstance(value, int):
        return str(value)
    return value  # datetime / date from XLSX


def text(value: Any, *, required: str = "") -> str:
    value = clean(value)
    if value is None:
        if required:
            raise RowError(f"{required} 为空 / {required} is empty")
        return ""
    return str(value)


def ident(value: Any, *, name: str, required: bool = True) -> str:
    value = clean(value)
    if value is None:
        if required:
            raise RowError(f"{name} 为空 / {name} is empty")
        return ""
    value = str(value)
    if _SCIENTIFIC.match(value):
        raise RowError(f"{name} {value!r} 已被 Excel 改成科学计数法 / {name} was mangled into scientific notation")
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    return value


def yuan(value: Any, *, name: str, currency: str = "CNY", required: bool = True) -> int | None:
    """A yuan amount (`¥1,234.50`, `169.00`, `12元`) to fen, half-up."""
    value = clean(value)
    if value is None:
        if required:
            raise RowError(f"{name} 为空 / {name} is empty")
        return None
    try:
        return to_minor(str(value).translate(_MONEY_NOISE), currency)
    except MoneyError:
        raise RowError(f"{name} {value!r} 不是金额 / {name} is not an amount") from None


def fen(value: Any, *, name: str, required: bool = True) -> int | None:
    """An integer amount already in fen (the platforms' APIs)."""
    value = clean(value)
    if value is None:
        if required:
            raise RowError(f"{name} 为空 / {name} is empty")
        return None
    try:
        return int(str(value))
    except ValueError:
        raise RowError(f"{name} {value!r} 不是整数分 / {name} is not an integer amount in fen") from None


def percent_bps(value: Any, *, name: str) -> int | None:
    """`32.00%` or `32.00` (a percent either way) to basis points, half-up."""
    value = clean(value)
    if value is None:
        return None
    try:
        return round_half_up(Decimal(str(value).rstrip("%").strip()) * 100)
    except InvalidOperation:
        raise RowError(f"{name} {value!r} 不是百分比 / {name} is not a percentage") from None


def scaled_bps(value: Any, *, name: str, per: int) -> int | None:
    """An integer rate `per` parts per whole (10_000 for ×10000, 1000 for ‰, 1_000_000 for ppm) to bps."""
    value = clean(value)
    if value is None:
        return None
    try:
        return round_half_up(Decimal(str(value)) * 10_000 / per)
    except InvalidOperation:
        raise RowError(f"{name} {value!r} 不是数字 / {name} is not a number") from None


def integer(value: Any, *, name: str, default: int | None = None) -> int:
    value = clean(value)
    if value is None:
        if default is None:
            raise RowError(f"{name} 为空 / {name} is empty")
        return default
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RowError(f"{name} {value!r} 不是整数 / {name} is not a whole number") from None
    if number != number.to_integral_value():
        raise RowError(f"{name} {value!r} 不是整数 / {name} is not a whole number")
    return int(number)


def when(value: Any, *, name: str, required: bool = False) -> datetime | None:
    """`2025-06-09 21:25:25`, `2025/06/09 21:25`, ISO 8601 / RFC 3339, or an XLSX date; naive = Shanghai."""
    value = clean(value)
    if value is None or value in ("0", "0000-00-00 00:00:00"):
        if required:
            raise RowError(f"{name} 为空 / {name} is empty")
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("/", "-"))
        except ValueError:
            raise RowError(f"{name} {value!r} 不是时间 / {name} is not a date-time") from None
    return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment


def epoch(value: Any, *, name: str, unit: str) -> datetime | None:
    """Epoch seconds (`unit="s"`) or milliseconds (`"ms"`); 0 means not yet."""
    number = integer(value, name=name, default=0)
    if number <= 0:
        return None
    seconds = number / 1000 if unit == "ms" else number
    return datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC")) + timedelta(seconds=seconds)


# Tables --------------------------------------------------------------------------------------


def normalise_header(cell: Any) -> str:
    name = str(clean(cell) or "").lower()
    return name.replace(" ", "").replace("（", "(").replace("）", ")").replace("：", ":")


@dataclass(frozen=True)
class Dialect:
    """One header layout a source accepts: field -> accepted column names, and how to read a row."""

    name: str
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    build: Callable[[dict[str, Any], int], ParsedLine]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {normalise_header(alias): name for name, aliases in self.columns.items() for alias in (name, *aliases)}
        object.__setattr__(self, "_lookup", lookup)

    def match(self, header: list[Any]) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            name = self._lookup.get(normalise_header(cell))
            if name is not None and name not in positions:
                positions[name] = index
        return positions


def sniff_kind(stream: IO[bytes]) -> str:
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "csv"


def detect_encoding(stream: IO[bytes]) -> str:
    sample = stream.read(256 * 1024)
    stream.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def csv_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    encoding = detect_encoding(stream)
    reader_text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = reader_text.readline()  # the header line can be the one that is not text
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        yield from csv.reader([first], delimiter=delimiter)
        yield from csv.reader(reader_text, delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise RowDecodeError(f"文件编码错误 ({encoding}) / the file is not valid {encoding}: {exc.reason}") from None
    finally:
        with contextlib.suppress(ValueError):  # the stream was closed first (the import stopped on an error)
            reader_text.detach()


class RowDecodeError(DomainError):
    """The bytes stop being text part-way through the file: the import stops there."""


def xlsx_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def table_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    kind = sniff_kind(stream)
    if kind == "xlsx":
        return xlsx_rows(stream)
    if kind == "json":
        raise WrongFormat("这是 JSON 文件，此来源只接受 CSV 或 XLSX / this is a JSON file; this source reads CSV or XLSX")
    return csv_rows(stream)


def parse_table(rows: Iterable[list[Any]], dialects: Iterable[Dialect], *, source: str) -> Iterator[Parsed]:
    """Find the header among the first rows, then read every data row through its dialect."""
    dialects = list(dialects)
    iterator = iter(rows)
    seen: list[list[Any]] = []
    chosen: tuple[Dialect, dict[str, int]] | None = None
    header_line = 0
    for header_line, row in enumerate(iterator, start=1):
        seen.append(row)
        for dialect in dialects:
            positions = dialect.match(row)
            if dialect.required <= positions.keys():
                chosen = (dialect, positions)
                break
        if chosen or header_line >= HEADER_SEARCH_ROWS:
            break
    if chosen is None:
        raise WrongFormat(_header_message(seen, dialects, source=source))
    dialect, positions = chosen
    pairs = list(positions.items())
    for number, row in enumerate(iterator, start=header_line + 1):
        if not any(clean(cell) is not None for cell in row):
            continue
        width = len(row)
        values = {name: row[index] if index < width else None for name, index in pairs}
        try:
            yield finish_line(dialect.build(values, number))
        except RowError as exc:
            yield Rejected(number, str(exc))


def _header_message(seen: list[list[Any]], dialects: list[Dialect], *, source: str) -> str:
    if not seen:
        return f"文件为空 / the file is empty (expected a {source} order file)"
    best = max(dialects, key=lambda d: max(len(d.match(row).keys() & d.required) for row in seen))
    best_row = max(seen, key=lambda row: len(best.match(row).keys() & best.required))
    missing = sorted(best.required - best.match(best_row).keys())
    wanted = ", ".join(f"{name} ({'/'.join(best.columns[name][:2]) or name})" for name in missing)
    found = ", ".join(str(clean(c)) for c in seen[0][:12] if clean(c) is not None)
    return (
        f"不是{source}订单文件：缺少列 {wanted} / not a {source} order file: missing columns {', '.join(missing)}. "
        f"First row has: {found or '(nothing)'}"
    )


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
        raise RowError(f"未知{name} {code!r} / unknown {name} {code!r}")
    if status not in STATUSES:  # a mapping entry naming why such rows are skipped
        raise RowError(status)
    return status


def require_keys(item: dict[str, Any], required: frozenset[str], *, source: str) -> None:
    """Refuse a JSON file whose first object lacks the source's required keys."""
    missing = sorted(required - item.keys())
    if missing:
        raise WrongFormat(f"不是{source}订单数据：缺少字段 / not {source} order data: missing keys {', '.join(missing)}")
