"""Serializers shared by every context."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.money import MoneyError, to_major_str, to_minor_exact
from shuxuan.common.tenancy import is_operator


class MoneySerializer(serializers.Serializer[Any]):
    """Money over the API (docs/domain.md section 3): {"amount": "12.34", "currency": "CNY"}."""

    amount = serializers.CharField(help_text='decimal string in major units, e.g. "12.34"; never a number')
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO-4217 code")


def money(minor: int, currency: str) -> dict[str, str]:
    """Minor units to the API's money object."""
    return {"amount": to_major_str(int(minor), currency), "currency": currency}


@extend_schema_field(MoneySerializer)
class MoneyField(serializers.Field):  # type: ignore[type-arg]
    """The one money field of the API: {"amount": "12.34", "currency": "CNY"} <-> (minor units, currency).

    The amount is a decimal string with no more decimals than the currency has (`to_minor_exact`:
    "1.005" CNY is refused, never rounded). With `currency="CNY"` the field holds a plain integer
    of that currency's minor units and refuses any other currency."""

    def __init__(self, *, currency: str | None = None, **kwargs: Any) -> None:
        self.fixed_currency = currency
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> tuple[int, str] | int:
        if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
            raise serializers.ValidationError('金额格式为 {"amount": "12.34", "currency": "CNY"} / money must be an object')
        currency = str(data.get("currency") or self.fixed_currency or "CNY")
        if self.fixed_currency and currency != self.fixed_currency:
            raise serializers.ValidationError(f"只支持 {self.fixed_currency} / only {self.fixed_currency} is supported")
        try:
            minor = to_minor_exact(data["amount"], currency)
        except MoneyError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return minor if self.fixed_currency else (minor, currency)

    def to_representation(self, value: Any) -> dict[str, str]:
        if self.fixed_currency:
            return money(int(value or 0), self.fixed_currency)
        minor, currency = value
        return money(minor, currency)


@extend_schema_field(MoneySerializer(allow_null=True))
class MinorAmountField(serializers.Field):  # type: ignore[type-arg]
    """Read-only: an integer attribute of minor units shown as money in the object's currency (its
    `currency`, else its `line`'s), or null when the attribute is null."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = super().get_attribute(instance)
        return None if value is None else (value, getattr(instance, "currency", None) or instance.line.currency)

    def to_representation(self, value: Any) -> Any:
        amount, currency = value
        return money(amount, currency)


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
