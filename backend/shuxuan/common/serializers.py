"""Serializers shared by every context."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.money import to_major_str
from shuxuan.common.tenancy import is_operator


class MoneySerializer(serializers.Serializer[Any]):
    """Money over the API (docs/domain.md section 3): {"amount": "12.34", "currency": "CNY"}."""

    amount = serializers.CharField(help_text='decimal string in major units, e.g. "12.34"; never a number')
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO-4217 code")


def money(minor: int, currency: str) -> dict[str, str]:
    """Minor units to the API's money object."""
    return {"amount": to_major_str(int(minor), currency), "currency": currency}


@extend_schema_field(
    serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text="the user's display name (else username); null when nobody, or the user is another "
        "organization's and the reader is not the operator",
    )
)
class UserNameField(serializers.Field):  # type: ignore[type-arg]
    """A user's readable name beside a row, read-only: `approved_by_name = UserNameField(source="approved_by")`.

    Select the user with the row (`select_related`) or every row costs a query. The operator reads
    every name; anyone else only the names of its own organization's users (docs/domain.md section 2:
    another organization's data, its staff included, is not shown). Without a request in the
    context nothing is shown."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, user: Any) -> str | None:
        request = self.context.get("request")
        reader = getattr(request, "user", None)
        if reader is None or not getattr(reader, "is_authenticated", False):
            return None
        if not is_operator(reader) and reader.organization_id != user.organization_id:
            return None
        return str(user.display_name or user.username)
