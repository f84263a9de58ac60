"""Reading one cell of an uploaded table: an order file, a statement, any CSV/XLSX/JSON a party sends.

Export quirks every source shares (platform-formats.md, "General conventions"): ids with a
trailing tab, a leading `'` or backtick, or wrapped as ="…"; yuan with `¥`/`￥`, thousands commas
or a trailing 元; rates as `32.00%`; empty cells written as `-` or `--`. Numbers typed into XLSX
cells are read through their shortest decimal repr, never as floats; an id that Excel already
turned into `6.95E+18` is rejected. Naive times are Asia/Shanghai.

A cell that cannot be read raises `RowError`: the row is reported with its number and the rest of
the file lands. The readers of whole tables are `common/tables.py`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from shuxuan.common.money import MoneyError, round_half_up, to_minor
from shuxuan.common.uploads import excerpt

SHANGHAI = ZoneInfo("Asia/Shanghai")
EMPTY = frozenset({"", "-", "--", "—", "/", "null", "NULL", "None", "none", "N/A"})


class RowError(ValueError):
    """One row cannot be read; it is reported with its row number and the rest of the file lands."""


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
        raise RowError(f"{name} {excerpt(value)} 已被 Excel 改成科学计数法 / {name} was mangled into scientific notation")
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
        raise RowError(f"{name} {excerpt(value)} 不是金额 / {name} is not an amount") from None


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
        raise RowError(f"{name} {excerpt(value)} 不是整数分 / {name} is not an integer amount in fen") from None


def percent_bps(value: Any, *, name: str) -> int | None:
    """`32.00%` or `32.00` (a percent either way) to basis points, half-up."""
    value = clean(value)
    if value is None:
        return None
    try:
        return round_half_up(Decimal(str(value).rstrip("%").strip()) * 100)
    except InvalidOperation:
        raise RowError(f"{name} {excerpt(value)} 不是百分比 / {name} is not a percentage") from None


def scaled_bps(value: Any, *, name: str, per: int) -> int | None:
    """An integer rate `per` parts per whole (10_000 for ×10000, 1000 for ‰, 1_000_000 for ppm) to bps."""
    value = clean(value)
    if value is None:
        return None
    try:
        return round_half_up(Decimal(str(value)) * 10_000 / per)
    except InvalidOperation:
        raise RowError(f"{name} {excerpt(value)} 不是数字 / {name} is not a number") from None


def integer(value: Any, *, name: str, default: int | None = None) -> int:
    value = clean(value)
    if value is None:
        if default is None:
            raise RowError(f"{name} 为空 / {name} is empty")
        return default
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RowError(f"{name} {excerpt(value)} 不是整数 / {name} is not a whole number") from None
    if number != number.to_integral_value():
        raise RowError(f"{name} {excerpt(value)} 不是整数 / {name} is not a whole number")
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
            raise RowError(f"{name} {excerpt(value)} 不是时间 / {name} is not a date-time") from None
    return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment


def epoch(value: Any, *, name: str, unit: str) -> datetime | None:
    """Epoch seconds (`unit="s"`) or milliseconds (`"ms"`); 0 means not yet."""
    number = integer(value, name=name, default=0)
    if number <= 0:
        return None
    seconds = number / 1000 if unit == "ms" else number
    return datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC")) + timedelta(seconds=seconds)


def required_when(value: Any, *, name: str) -> datetime:
    """`when` for a time the row cannot do without: an empty cell is the row's error."""
    moment = when(value, name=name, required=True)
    assert moment is not None
    return moment
