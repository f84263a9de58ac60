"""Small helpers shared by the payments services."""

from __future__ import annotations

import logging

from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import MINOR_UNITS

logger = logging.getLogger("shuxuan.payments")

MAX_KEY = 200


def check_key(idempotency_key: str, *, field: str = "idempotency_key") -> str:
    if not isinstance(idempotency_key, str) or not idempotency_key.strip() or len(idempotency_key) > MAX_KEY:
        raise DomainError(f"幂等键须为 1–{MAX_KEY} 个字符 / idempotency_key must be 1–{MAX_KEY} characters", field=field)
    return idempotency_key.strip()


def check_amount(amount_minor: int, currency: str) -> None:
    if type(amount_minor) is not int or amount_minor <= 0:
        raise DomainError("金额须为正整数（分）/ amount must be a positive integer of minor units", field="amount")
    if currency not in MINOR_UNITS:
        raise DomainError(f"不支持的币种 / unsupported currency {currency!r}", field="currency")
