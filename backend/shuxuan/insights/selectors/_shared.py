"""What every home's figures share: the card and chart shapes, the home's windows, and `Panels`,
what one home shows below its header."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shuxuan.common.serializers import money

CURRENCY = "CNY"
TREND_DAYS = 30
SESSION_DAYS = 7
RECEIPT_DAYS = 14
EXPIRY_DAYS = 30


@dataclass
class Panels:
    """One home's cards, charts, upcoming sessions and (finance) month-end close checklist."""

    cards: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    close: dict[str, Any] | None = None


def member_card(members: int) -> dict[str, Any]:
    return _card("members", "organization", "团队成员", "Team members", count=members)


def _card(
    key: str,
    group: str,
    zh: str,
    en: str,
    *,
    count: int | None = None,
    amount_minor: int | None = None,
    text: str | None = None,
    link: str | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "group": group,
        "label_zh": zh,
        "label_en": en,
        "count": count,
        "amount": money(amount_minor, CURRENCY) if amount_minor is not None else None,
        "text": text,
        "link": link,
    }


def _chart(key: str, zh: str, en: str, unit: str, label_kind: str, points: list[tuple[str, int]]) -> dict[str, Any]:
    """One measure per chart: `unit` is "count" (a number of things or people) or "money" (fen)."""
    return {
        "key": key,
        "label_zh": zh,
        "label_en": en,
        "unit": unit,
        "label_kind": label_kind,
        "points": [
            {
                "label": label,
                "count": value if unit == "count" else None,
                "amount": money(value, CURRENCY) if unit == "money" else None,
            }
            for label, value in points
        ],
    }


def _month_window(day: date, months_back: int) -> tuple[date, date]:
    first = day.replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last
