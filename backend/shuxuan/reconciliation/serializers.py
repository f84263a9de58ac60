"""Shapes of the reconciliation API. Money is {"amount": "12.34", "currency": "CNY"}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.import_jobs import progress
from shuxuan.common.serializers import MoneySerializer, money
from shuxuan.reconciliation.models import (
    BillImport,
    BillLine,
    ExceptionNote,
    MatchRule,
    PeriodClose,
    ReconException,
    ReconRun,
    Resolution,
    Source,
)


class BillImportSerializer(serializers.ModelSerializer[BillImport]):
    progress = serializers.SerializerMethodField(help_text="rows done / rows expected, 0–1; null while unknown")

    class Meta:
        model = BillImport
        fields = [
            "id",
            "source",
            "filename",
            "sha256",
            "status",
            "rows_total",
            "rows_done",
            "progress",
            "error",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, record: BillImport) -> float | None:
        return progress(status=record.status, rows_done=record.rows_done, rows_total=record.rows_total)


class BillUploadSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    file = serializers.FileField()


class BillImportReportSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    source = serializers.CharField()  # type: ignore[assignment]
    file = serializers.CharField()
    import_id = serializers.IntegerField(source="import", allow_null=True)
    already_imported = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.ListField(child=serializers.DictField())


class BillLineSerializer(serializers.ModelSerializer[BillLine]):
    gross = serializers.SerializerMethodField()
    fee = serializers.SerializerMethodField()
    commission = serializers.SerializerMethodField()
    net = serializers.SerializerMethodField()

    class Meta:
        model = BillLine
        fields = [
            "id",
            "source",
            "natural_key",
            "bill_import",
            "line_no",
            "occurred_on",
            "period",
            "order_id",
            "request_no",
            "reference",
            "phase",
            "counterparty",
            "kind",
            "gross",
            "fee",
            "commission",
            "net",
        ]

    @extend_schema_field(MoneySerializer)
    def get_gross(self, line: BillLine) -> dict[str, str]:
        return money(line.gross_minor, line.currency)

    @extend_schema_field(MoneySerializer)
    def get_fee(self, line: BillLine) -> dict[str, str]:
        return money(line.fee_minor, line.currency)

    @extend_schema_field(MoneySerializer)
    def get_commission(self, line: BillLine) -> dict[str, str]:
        return money(line.commission_minor, line.currency)

    @extend_schema_field(MoneySerializer)
    def get_net(self, line: BillLine) -> dict[str, str]:
        return money(line.net_minor, line.currency)


class MatchRuleSerializer(serializers.ModelSerializer[MatchRule]):
    class Meta:
        model = MatchRule
        fields = ["id", "source", "kind", "priority", "amount_tolerance_minor", "date_tolerance_days", "active"]
        read_only_fields = ["id", "source", "kind"]


class ReconRunSerializer(serializers.ModelSerializer[ReconRun]):
    class Meta:
        model = ReconRun
        fields = ["id", "period", "source", "lines", "groups", "matched", "exceptions", "seconds", "created_at"]


class ReconcileRequestSerializer(serializers.Serializer[Any]):
    period = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")
    source = serializers.ChoiceField(choices=Source.choices, required=False, allow_null=True)  # type: ignore[assignment]


class NoteSerializer(serializers.ModelSerializer[ExceptionNote]):
    author = serializers.CharField(source="author.username", default="", read_only=True)
    attachment = serializers.SerializerMethodField(
        help_text="the evidence file's download URL (an authorised view, never a public /media/ path)"
    )
    attachment_name = serializers.SerializerMethodField()

    class Meta:
        model = ExceptionNote
        fields = ["id", "author", "text", "attachment", "attachment_name", "created_at"]

    def get_attachment(self, note: ExceptionNote) -> str | None:
        if not note.attachment:
            return None
        return f"/api/reconciliation/exceptions/{note.exception_id}/notes/{note.pk}/attachment/"

    def get_attachment_name(self, note: ExceptionNote) -> str | None:
        return Path(note.attachment.name).name if note.attachment else None


class ExceptionSerializer(serializers.ModelSerializer[ReconException]):
    difference = serializers.SerializerMethodField()
    bill_net = serializers.SerializerMethodField()
    ledger_net = serializers.SerializerMethodField()
    age_days = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner.username", default="", read_only=True)

    class Meta:
        model = ReconException
        fields = [
            "id",
            "source",
            "match_key",
            "reason",
            "period",
            "last_period",
            "difference",
            "bill_net",
            "ledger_net",
            "detail",
            "state",
            "owner",
            "owner_name",
            "resolution",
            "resolution_note",
            "requested_by",
            "approved_by",
            "entry_id",
            "expected_period",
            "first_seen_at",
            "resolved_at",
            "age_days",
        ]

    @extend_schema_field(MoneySerializer)
    def get_difference(self, exception: ReconException) -> dict[str, str]:
        return money(exception.difference_minor, exception.currency)

    @extend_schema_field(MoneySerializer)
    def get_bill_net(self, exception: ReconException) -> dict[str, str]:
        return money(exception.bill_net_minor, exception.currency)

    @extend_schema_field(MoneySerializer)
    def get_ledger_net(self, exception: ReconException) -> dict[str, str]:
        return money(exception.ledger_net_minor, exception.currency)

    def get_age_days(self, exception: ReconException) -> int:
        from django.utils import timezone

        return (timezone.now() - exception.first_seen_at).days


class ExceptionDetailSerializer(ExceptionSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    sides = serializers.SerializerMethodField(help_text="the bill lines and the ledger legs, side by side")

    class Meta(ExceptionSerializer.Meta):
        fields = [*ExceptionSerializer.Meta.fields, "notes", "sides"]

    def get_sides(self, exception: ReconException) -> dict[str, Any]:
        from shuxuan.reconciliation.selectors import exception_sides

        return exception_sides(exception)


class AssignSerializer(serializers.Serializer[Any]):
    owner = serializers.IntegerField(allow_null=True, help_text="a finance user's id; null to unassign")


class NoteCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer[Any]):
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    note = serializers.CharField()


class BulkResolveSerializer(ResolveSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)


class ApproveSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodCloseSerializer(serializers.ModelSerializer[PeriodClose]):
    class Meta:
        model = PeriodClose
        fields = [
            "id",
            "period",
            "state",
            "open_exceptions",
            "override_reason",
            "closed_by",
            "closed_at",
            "reopened_by",
            "reopened_at",
            "reopen_reason",
        ]


class CloseRequestSerializer(serializers.Serializer[Any]):
    period = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class BoardSourceSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]
    lines = serializers.IntegerField()
    reconciled_at = serializers.DateTimeField(allow_null=True)
    groups = serializers.IntegerField()
    matched = serializers.IntegerField()
    matched_pct = serializers.FloatField(allow_null=True)
    exceptions_by_reason = serializers.DictField(child=serializers.IntegerField())
    unresolved = serializers.IntegerField()
    unresolved_amount = serializers.SerializerMethodField(help_text="sum of the unresolved differences")
    aging = serializers.DictField(child=serializers.IntegerField(), help_text="unresolved exceptions by age in days")
    settled = serializers.BooleanField(help_text="lines of this platform were settled by a run with its cut-off in the period")
    bill_missing = serializers.BooleanField(help_text="settled in the period but no bill imported: blocks the close")

    @extend_schema_field(MoneySerializer)
    def get_unresolved_amount(self, row: dict[str, Any]) -> dict[str, str]:
        return money(row["unresolved_amount_minor"], "CNY")


class BoardSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    closed = serializers.BooleanField()
    close_threshold = serializers.SerializerMethodField()
    sources = BoardSourceSerializer(many=True)

    @extend_schema_field(MoneySerializer)
    def get_close_threshold(self, board: dict[str, Any]) -> dict[str, str]:
        return money(board["close_threshold_minor"], "CNY")


class HistoryRowSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    lines = serializers.IntegerField()
    groups = serializers.IntegerField()
    matched = serializers.IntegerField()
    exceptions = serializers.IntegerField()
    matched_pct = serializers.FloatField(allow_null=True)
