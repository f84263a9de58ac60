"""Shapes of the ledger API. Money is {"amount": "12.34", "currency": "CNY"} (docs/domain.md section 3)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.serializers import MoneySerializer, money
from shuxuan.ledger.models import Account, JournalEntry, Period, Posting


def owner_name(account: Account) -> str | None:
    """The organization's or the anchor's name (a platform account has neither: its owner is `owner_platform`).
    Both relations must be select_related."""
    if account.organization_id is not None:
        return account.organization.name  # type: ignore[union-attr]
    if account.anchor_id is not None:
        return account.anchor.name  # type: ignore[union-attr]
    return None


class AccountSerializer(serializers.ModelSerializer[Account]):
    organization_name = serializers.CharField(source="organization.name", default=None, allow_null=True, read_only=True)
    owner_name = serializers.SerializerMethodField(
        help_text="The owning organization's or anchor's name; null for a platform's account (see owner_platform)"
    )
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = [
            "id",
            "code",
            "name",
            "type",
            "currency",
            "organization",
            "organization_name",
            "anchor",
            "owner_platform",
            "owner_name",
            "balance",
        ]

    def get_owner_name(self, account: Account) -> str | None:
        return owner_name(account)

    @extend_schema_field(MoneySerializer)
    def get_balance(self, account: Any) -> dict[str, str]:
        return money(account.balance, account.currency)


class AccountPostingSerializer(serializers.ModelSerializer[Posting]):
    """One line of an account's ledger, with the account's balance after it."""

    source_type = serializers.CharField(source="entry.source_type", read_only=True)
    source_id = serializers.CharField(source="entry.source_id", read_only=True)
    memo = serializers.CharField(source="entry.memo", read_only=True)
    amount = serializers.SerializerMethodField()
    running_balance = serializers.SerializerMethodField()

    class Meta:
        model = Posting
        fields = ["entry_id", "line_no", "effective_date", "amount", "running_balance", "source_type", "source_id", "memo"]

    @extend_schema_field(MoneySerializer)
    def get_amount(self, posting: Posting) -> dict[str, str]:
        return money(posting.amount, posting.currency)

    @extend_schema_field(MoneySerializer)
    def get_running_balance(self, posting: Any) -> dict[str, str]:
        return money(posting.running_balance, posting.currency)


class EntryPostingSerializer(serializers.ModelSerializer[Posting]):
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    account_type = serializers.CharField(source="account.type", read_only=True)
    owner_name = serializers.SerializerMethodField(help_text="The account owner's name; null for a platform's account")
    owner_platform = serializers.CharField(source="account.owner_platform", default=None, allow_null=True, read_only=True)
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Posting
        fields = [
            "line_no",
            "account_id",
            "account_code",
            "account_name",
            "account_type",
            "owner_name",
            "owner_platform",
            "amount",
        ]

    def get_owner_name(self, posting: Posting) -> str | None:
        return owner_name(posting.account)

    @extend_schema_field(MoneySerializer)
    def get_amount(self, posting: Posting) -> dict[str, str]:
        return money(posting.amount, posting.currency)


class JournalEntrySerializer(serializers.ModelSerializer[JournalEntry]):
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True, read_only=True)
    postings = EntryPostingSerializer(many=True, read_only=True)

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "idempotency_key",
            "source_type",
            "source_id",
            "effective_date",
            "memo",
            "created_at",
            "created_by",
            "reverses",
            "postings",
        ]


class TrialBalanceLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    account_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    owner_name = serializers.CharField(allow_null=True, help_text="The account owner's name; null for a platform's account")
    owner_platform = serializers.CharField(allow_null=True)
    balance = MoneySerializer()


class TrialBalanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField(allow_null=True)
    balanced = serializers.BooleanField()
    totals = MoneySerializer(many=True)
    lines = TrialBalanceLineSerializer(many=True)


class PeriodSerializer(serializers.ModelSerializer[Period]):
    closed_by = serializers.CharField(source="closed_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Period
        fields = ["period", "status", "closed_at", "closed_by"]


class PeriodActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")


class AsOfSerializer(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField(required=False, allow_null=True, default=None)


class DateRangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
