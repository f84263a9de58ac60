"""Brand agreements (the operator's contract with a brand: mode, margin, service fees) and platform
terms, as finance sets them. (Not "contracts" in STYLE.md's sense of dataclasses between contexts.)

Contracts are history: a new contract for a brand (and plan, if it names one) ends the one in
force at its start; lines freeze the contract in force when they were paid, so nothing already
paid changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.settlement.models import Contract, ContractFee, FeeBasis, FeeKind, Mode, PlatformTerms
from shuxuan.settlement.windows import AFTER_SALE_DAYS_REFUSED, after_sale_days_valid

BPS_MAX = 10_000


def _bps(value: Any, field: str) -> int:
    if type(value) is not int or not 0 <= value <= BPS_MAX:
        raise DomainError("须为 0–10000 的整数基点 / must be whole basis points 0–10000", field=field)
    return value


def contract_create(
    *,
    actor: User,
    brand_id: int,
    mode: str,
    operator_margin_bps: int,
    valid_from: datetime,
    fees: list[dict[str, Any]],
    plan_id: int | None = None,
) -> Contract:
    brand = Organization.objects.filter(pk=brand_id, kind=OrganizationKind.BRAND).first()
    if brand is None:
        raise DomainError("品牌方不存在 / no such brand", field="brand")
    if mode not in Mode.values:
        raise DomainError(f"未知模式 {mode!r} / mode is consignment or buyout", field="mode")
    _bps(operator_margin_bps, "operator_margin_bps")
    if valid_from < timezone.now() - timedelta(minutes=5):
        # Lines paid since then may already carry the old terms; a new contract starts from now on.
        raise DomainError("合同不能追溯生效 / a contract cannot start in the past", field="valid_from")
    checked: list[dict[str, Any]] = []
    for index, fee in enumerate(fees):
        payee_id = fee.get("payee")
        payee = Organization.objects.filter(pk=payee_id).first() if isinstance(payee_id, int) else None
        if payee is None:
            raise DomainError("收款方不存在 / no such payee", field=f"fees[{index}].payee")
        if fee.get("kind") not in FeeKind.values:
            raise DomainError("费用类型须为 colonel、logistics 或 ops_agency", field=f"fees[{index}].kind")
        if fee.get("basis") not in FeeBasis.values:
            raise DomainError("计费方式须为 per_unit、per_order 或 percent", field=f"fees[{index}].basis")
        value = fee.get("value")
        if fee["basis"] == FeeBasis.PERCENT:
            _bps(value, f"fees[{index}].value")
        elif type(value) is not int or value < 0:
            raise DomainError("金额须为非负整数（分）/ value is whole minor units", field=f"fees[{index}].value")
        checked.append({"payee": payee, "kind": fee["kind"], "basis": fee["basis"], "value": value})
    with transaction.atomic():
        current = (
            Contract.objects.select_for_update()
            .filter(brand=brand, plan_id=plan_id, valid_from__lte=valid_from)
            .filter(valid_to__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        if current is not None:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
        contract = Contract.objects.create(
            brand=brand,
            plan_id=plan_id,
            mode=mode,
            operator_margin_bps=operator_margin_bps,
            valid_from=valid_from,
            created_by=actor,
        )
        ContractFee.objects.bulk_create(ContractFee(contract=contract, **fee) for fee in checked)
        audit_record(
            actor=actor,
            action="settlement.contract_created",
            obj=contract,
            organization_id=actor.organization_id,
            changes={
                "brand": brand.pk,
                "mode": mode,
                "operator_margin_bps": operator_margin_bps,
                "fees": [{**f, "payee": f["payee"].pk} for f in checked],
                "ends_contract": current.pk if current else None,
            },
        )
    return contract


def platform_terms_update(*, actor: User, terms: PlatformTerms, data: dict[str, Any]) -> PlatformTerms:
    """Change a platform's default fee or after-sale window; lines already frozen keep theirs."""
    before = {"service_fee_bps": terms.service_fee_bps, "after_sale_days": terms.after_sale_days}
    if "service_fee_bps" in data:
        terms.service_fee_bps = _bps(data["service_fee_bps"], "service_fee_bps")
    if "after_sale_days" in data:
        days = data["after_sale_days"]
        if not after_sale_days_valid(days):
            raise DomainError(AFTER_SALE_DAYS_REFUSED, field="after_sale_days")
        terms.after_sale_days = days
    if "category_fee_bps" in data:
        categories = data["category_fee_bps"]
        if not isinstance(categories, dict):
            raise DomainError('须为 {"类目编码": 基点} / an object of category code to bps', field="category_fee_bps")
        for code, bps in categories.items():
            _bps(bps, f"category_fee_bps.{code}")
        terms.category_fee_bps = categories
    with transaction.atomic():
        terms.save()
        audit_record(
            actor=actor,
            action="settlement.platform_terms_changed",
            obj=terms,
            organization_id=actor.organization_id,
            changes={"before": before, "after": {k: data[k] for k in data}},
        )
    return terms
