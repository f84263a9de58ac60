"""Serializers shared by every context."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuxuan.common.money import to_major_str


class MoneySerializer(serializers.Serializer[Any]):
    """Money over the API (DESIGN.md section 3): {"amount": "12.34", "currency": "CNY"}."""

    amount = serializers.CharField(help_text='decimal string in major units, e.g. "12.34"; never a number')
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO-4217 code")


def money(minor: int, currency: str) -> dict[str, str]:
    """Minor units to the API's money object."""
    return {"amount": to_major_str(int(minor), currency), "currency": currency}
