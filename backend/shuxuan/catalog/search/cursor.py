"""The opaque keyset cursor of a search page: (sort, sort key, sku id), base64 JSON."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from shuxuan.common.exceptions import DomainError


def encode_cursor(sort: str, key: Any, sku_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    raw = json.dumps([sort, key, sku_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, sku_id = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise DomainError("无效的游标 / invalid cursor", field="cursor") from None
    if cursor_sort != sort or not isinstance(sku_id, int):
        raise DomainError("游标与排序不符 / cursor belongs to another sort", field="cursor")
    if sort == "newest":
        try:
            key = datetime.fromisoformat(key)
        except (TypeError, ValueError):
            raise DomainError("无效的游标 / invalid cursor", field="cursor") from None
    elif sort == "relevance":
        if not isinstance(key, (int, float)):
            raise DomainError("无效的游标 / invalid cursor", field="cursor")
    elif not isinstance(key, int):
        raise DomainError("无效的游标 / invalid cursor", field="cursor")
    return key, sku_id
