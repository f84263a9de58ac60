"""Shapes of the settlement API. Money is {"amount": "12.34", "currency": "CNY"}."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.common.serializers import MoneySerializer, UserNameField, money
from shuxuan.settlement.models import (
    Advance,
    Contract,
    Payee,
    Payout,
    PayoutBatch,
    PlatformTerms,
    Rail,
    SettledLeg,
    SettlementRun,
    Statement,
)
from shuxuan.settlement.windows import AFTER_SALE_DAYS_MAX, AFTER_SALE_DAYS_MIN, AFTER_SALE_DAYS_REFUSED


class RunSerializer(serializers.ModelSerializer[SettlementRun]):
    progress = serializers.SerializerMethodField(help_text="0–100, for the progress bar")
    requested_by_name = UserNameField(source="requested_by", help_text="who started the run")

    class Meta:
        model = SettlementRun
        fields = [
            "id",
            "cutoff",
            "state",
            "lines_total",
            "lines_done",
            "lines_settled",
            "lines_clawed_back",
            "lines_problem",
            "chunks_done",
            "statements",
            "progress",
            "error",
            "requested_by_name",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
        ]

    def get_progress(self, run: SettlementRun) -> int:
        if run.state == "done":
            return 100
        if not run.lines_total:
            return 0
        return min(99, run.lines_done * 100 // run.lines_total)


class RunCreateSerializer(serializers.Serializer[Any]):
    cutoff = serializers.DateField(help_text="settle lines settleable on or before this day (YYYY-MM-DD)")


def _money_field(attr: str) -> Any:
    @extend_schema_field(MoneySerializer)
    def getter(self: Any, obj: Any) -> dict[str, str]:
        return money(getattr(obj, attr), obj.currency)

    return getter


class StatementSerializer(serializers.ModelSerializer[Statement]):
    cutoff = serializers.DateField(source="run.cutoff", read_only=True)
    opening = serializers.SerializerMethodField()
    earnings = serializers.SerializerMethodField()
    clawbacks = serializers.SerializerMethodField()
    other = serializers.SerializerMethodField()
    closing = serializers.SerializerMethodField()
    at_source = serializers.SerializerMethodField()
    gross = serializers.SerializerMethodField(help_text="producers: the basis settled of their lines")
    fees = serializers.SerializerMethodField(help_text="producers: what the other legs took from that basis")

    payout_state = serializers.SerializerMethodField()
    payee_org_kind = serializers.CharField(
        source="organization.kind",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="an organization payee's kind (brand, mcn, service_provider…), so a screen names it; null for anchors",
    )
    approved_by_name = UserNameField(source="approved_by", help_text="who approved the statement")
    get_gross = _money_field("gross_minor")
    get_fees = _money_field("fees_minor")
    get_opening = _money_field("opening_minor")
    get_earnings = _money_field("earnings_minor")
    get_clawbacks = _money_field("clawbacks_minor")
    get_other = _money_field("other_minor")
    get_closing = _money_field("closing_minor")
    get_at_source = _money_field("at_source_minor")

    class Meta:
        model = Statement
        fields = [
            "id",
            "run",
            "cutoff",
            "payee_kind",
            "payee_org_kind",
            "organization",
            "anchor",
            "payee_name",
            "currency",
            "account_id",
            "opening",
            "earnings",
            "clawbacks",
            "other",
            "closing",
            "at_source",
            "gross",
            "fees",
            "lines",
            "state",
            "payout_state",
            "approved_at",
            "approved_by_name",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="the latest payout's state; null when never paid"))
    def get_payout_state(self, statement: Any) -> str | None:
        return getattr(statement, "latest_payout_state", None)


class LegTotalSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    settled_by = serializers.CharField()
    total = MoneySerializer()


class StatementMovementSerializer(serializers.Serializer[Any]):
    entry_id = serializers.IntegerField()
    source_type = serializers.CharField(help_text="what caused it: supply.receipt, settlement.payout, …")
    label = serializers.CharField(help_text='what it is, "中文 / English": 采购单 PO1 买断货款 / buy-out purchase order PO1')  # type: ignore[assignment]
    effective_date = serializers.DateField()
    amount = serializers.SerializerMethodField(help_text="what the operator owes the party more (+) or less (−)")

    @extend_schema_field(MoneySerializer)
    def get_amount(self, movement: Any) -> dict[str, str]:
        return money(movement.amount_minor, self.context.get("currency", "CNY"))


class StatementDetailSerializer(StatementSerializer):
    by_leg = serializers.SerializerMethodField()
    movements = serializers.SerializerMethodField(help_text="the movements that make up `other`, each named")

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "by_leg", "movements"]

    @extend_schema_field(StatementMovementSerializer(many=True))
    def get_movements(self, statement: Statement) -> list[dict[str, Any]]:
        movements = self.context.get("movements", [])
        return list(StatementMovementSerializer(movements, many=True, context={"currency": statement.currency}).data)

    @extend_schema_field(LegTotalSerializer(many=True))
    def get_by_leg(self, statement: Statement) -> list[dict[str, Any]]:
        return [
            {"kind": row["kind"], "settled_by": row["settled_by"], "total": money(row["total"], statement.currency)}
            for row in self.context.get("by_leg", [])
        ]


class LegSerializer(serializers.ModelSerializer[SettledLeg]):
    order_id = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    get_amount = _money_field("amount_minor")

    class Meta:
        model = SettledLeg
        fields = ["id", "line_id", "order_id", "kind", "settled_by", "amount", "entry_id"]

    def get_order_id(self, leg: SettledLeg) -> str:
        return str(self.context.get("orders", {}).get(leg.line_id, ""))


class PayoutSerializer(serializers.ModelSerializer[Payout]):
    amount = serializers.SerializerMethodField()
    payee_name = serializers.CharField(source="statement.payee_name", read_only=True)
    get_amount = _money_field("amount_minor")

    class Meta:
        model = Payout
        fields = [
            "id",
            "statement",
            "payee_name",
            "rail",
            "amount",
            "attempt",
            "state",
            "batch",
            "external_id",
            "failure_reason",
            "entry_id",
            "created_at",
            "updated_at",
        ]


class PayoutCreateSerializer(serializers.Serializer[Any]):
    statements = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=5000)


class SkippedSerializer(serializers.Serializer[Any]):
    statement = serializers.IntegerField()
    reason = serializers.CharField()


class PayoutPlanSerializer(serializers.Serializer[Any]):
    created = PayoutSerializer(many=True)
    skipped = SkippedSerializer(many=True)


class PayoutBatchSerializer(serializers.ModelSerializer[PayoutBatch]):
    payouts = serializers.IntegerField(source="payout_count", read_only=True)
    total = serializers.SerializerMethodField()
    created_by_name = UserNameField(source="created_by", help_text="who made the batch file")

    class Meta:
        model = PayoutBatch
        fields = ["id", "created_at", "created_by_name", "payouts", "total", "result_sha256"]

    @extend_schema_field(MoneySerializer)
    def get_total(self, batch: Any) -> dict[str, str]:
        return money(batch.payout_total or 0, "CNY")


class PayoutBatchCreateSerializer(serializers.Serializer[Any]):
    payouts = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="default: every pending bank payout"
    )


class ResultUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="the bank's result CSV: 业务参考号,状态,银行流水号,说明")


class ResultReportSerializer(serializers.Serializer[Any]):
    batch = serializers.IntegerField()
    paid = serializers.IntegerField()
    failed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ResultRejectionSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(help_text="the row's line in the file; the header is line 1")
    field = serializers.CharField(help_text="the column at fault, as the file names it: 业务参考号 or 状态")
    reason = serializers.CharField()


class ResultRefusedSerializer(serializers.Serializer[Any]):
    """400 for a result file with bad rows: nothing was changed; `rejected` names every bad row."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="bad_rows")
    # The metaclass takes declared fields off the class, so `Serializer.errors` is untouched at run time.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), help_text="{file: [detail]}"
    )
    rejected = ResultRejectionSerializer(many=True)


class AdvanceSerializer(serializers.ModelSerializer[Advance]):
    amount = serializers.SerializerMethodField()
    recovered = serializers.SerializerMethodField()
    written_off = serializers.SerializerMethodField()
    payee_name = serializers.CharField(source="statement.payee_name", read_only=True)
    get_amount = _money_field("amount_minor")
    get_recovered = _money_field("recovered_minor")
    get_written_off = _money_field("written_off_minor")

    class Meta:
        model = Advance
        fields = [
            "id",
            "statement",
            "payee_name",
            "amount",
            "recovered",
            "written_off",
            "state",
            "reason",
            "created_at",
            "closed_at",
        ]


class AdvanceCreateSerializer(serializers.Serializer[Any]):
    statement = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300)


class PayeeSerializer(serializers.ModelSerializer[Payee]):
    payee_name = serializers.SerializerMethodField()

    class Meta:
        model = Payee
        fields = [
            "id",
            "payee_kind",
            "payee_name",
            "organization",
            "anchor",
            "rail",
            "bank_account_name",
            "bank_account_number",
            "bank_name",
            "stripe_account_id",
            "on_hold",
            "hold_reason",
        ]
        read_only_fields = ["id", "payee_kind"]
        extra_kwargs = {"rail": {"choices": Rail.choices}}

    def get_payee_name(self, payee: Payee) -> str:
        party = payee.organization or payee.anchor
        return party.name if party else ""


class PlatformTermsSerializer(serializers.ModelSerializer[PlatformTerms]):
    class Meta:
        model = PlatformTerms
        fields = ["id", "platform", "service_fee_bps", "category_fee_bps", "after_sale_days"]


class EarningsRowSerializer(serializers.Serializer[Any]):
    payee_kind = serializers.CharField()
    payee_id = serializers.IntegerField()
    payee_name = serializers.CharField()
    estimated = MoneySerializer(help_text="operator-settled legs of lines not settled yet, at their current basis")
    estimated_at_source = MoneySerializer(help_text="legs the platform will pay directly, not settled yet")
    settled = MoneySerializer(help_text="legs settled by the operator so far")
    settled_at_source = MoneySerializer()
    balance = MoneySerializer(help_text="what the operator owes now (negative: the party owes)")
    lines_pending = serializers.IntegerField()


class ProblemLineSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="line_id", help_text="the order line")
    platform = serializers.CharField()
    order_id = serializers.CharField(source="order_id_text")
    basis = serializers.SerializerMethodField()
    problem = serializers.CharField()
    frozen_at = serializers.DateTimeField()

    @extend_schema_field(MoneySerializer)
    def get_basis(self, terms: Any) -> dict[str, str]:
        return money(terms.full_basis_minor, terms.currency)


class ContractFeeSerializer(serializers.Serializer[Any]):
    payee = serializers.IntegerField(help_text="organization paid the fee (colonel, logistics, ops agency)")
    kind = serializers.ChoiceField(choices=["colonel", "logistics", "ops_agency"])
    basis = serializers.ChoiceField(choices=["per_unit", "per_order", "percent"])
    value = serializers.IntegerField(help_text="fen per unit / per order, or basis points of P")


class ContractSerializer(serializers.ModelSerializer[Contract]):
    fees = serializers.SerializerMethodField()
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    created_by_name = UserNameField(source="created_by", help_text="who entered the contract")

    class Meta:
        model = Contract
        fields = [
            "id",
            "brand",
            "brand_name",
            "plan_id",
            "mode",
            "operator_margin_bps",
            "valid_from",
            "valid_to",
            "fees",
            "created_by_name",
            "created_at",
        ]

    @extend_schema_field(ContractFeeSerializer(many=True))
    def get_fees(self, contract: Any) -> list[dict[str, Any]]:
        return [{"payee": f.payee_id, "kind": f.kind, "basis": f.basis, "value": f.value} for f in contract.fees.all()]


class ContractCreateSerializer(serializers.Serializer[Any]):
    brand = serializers.IntegerField()
    plan_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    mode = serializers.ChoiceField(choices=["consignment", "buyout"])
    operator_margin_bps = serializers.IntegerField()
    valid_from = serializers.DateTimeField()
    fees = ContractFeeSerializer(many=True, required=False, default=list)


class PlatformTermsUpdateSerializer(serializers.Serializer[Any]):
    service_fee_bps = serializers.IntegerField(required=False)
    after_sale_days = serializers.IntegerField(
        required=False,
        min_value=AFTER_SALE_DAYS_MIN,
        max_value=AFTER_SALE_DAYS_MAX,
        error_messages={"min_value": AFTER_SALE_DAYS_REFUSED, "max_value": AFTER_SALE_DAYS_REFUSED},
    )
    category_fee_bps = serializers.DictField(child=serializers.IntegerField(), required=False)


class PhaseInSerializer(serializers.Serializer[Any]):
    amount = MoneySerializer(help_text="this phase's part of the line's basis")
    settleable_on = serializers.DateField(help_text="the day this phase becomes settleable (Asia/Shanghai)")


class LinePhasesInSerializer(serializers.Serializer[Any]):
    phases = PhaseInSerializer(many=True, help_text="in order: deposit (定金) first, then the balance (尾款)")


class PhaseSerializer(serializers.Serializer[Any]):
    phase = serializers.IntegerField()
    basis = serializers.SerializerMethodField()
    settleable_on = serializers.DateField()

    @extend_schema_field(MoneySerializer)
    def get_basis(self, phase: Any) -> dict[str, str]:
        return money(phase.basis_minor, self.context["currency"])


class LinePhasesSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(source="line.pk")
    platform = serializers.CharField(source="line.platform")
    order_id = serializers.CharField(source="line.platform_order_id")
    full_basis = serializers.SerializerMethodField()
    settled_basis = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_full_basis(self, value: Any) -> dict[str, str]:
        return money(value.full_basis_minor, value.line.currency)

    @extend_schema_field(MoneySerializer)
    def get_settled_basis(self, value: Any) -> dict[str, str]:
        return money(value.settled_basis_minor, value.line.currency)

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, value: Any) -> list[dict[str, Any]]:
        return list(PhaseSerializer(value.phases, many=True, context={"currency": value.line.currency}).data)
