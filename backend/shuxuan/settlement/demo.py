"""The demo world's settlement: contracts, payee details, and one run up to yesterday.

Idempotent: contracts and payees are created once, and the run only when none has been made.
Statements are left for finance to approve (op_finance in the SPA).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shuxuan.parties.facade import anchors_with_users
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.settlement import runs
from shuxuan.settlement.models import Contract, ContractFee, Payee, PayeeKind, RunState, SettlementRun

# Brand name → (mode, operator margin bps, logistics fee per unit in fen)
CONTRACTS = {
    "宜宾叙府窖酒业有限公司": ("consignment", 800, 300),
    "泸州江阳老窖坊酒业有限公司": ("consignment", 800, 300),
    "雅安蒙顶云雾茶业有限公司": ("consignment", 1000, 200),
    "郫都豆香坊食品有限公司": ("buyout", 0, 150),
    "成都川味坊火锅食品有限公司": ("consignment", 600, 150),
}
LOGISTICS = "成都蜀运供应链物流有限公司"
BANKS = ["中国工商银行成都分行", "中国建设银行四川省分行", "四川农村商业联合银行", "成都银行高新支行"]


def seed_settlement_demo() -> dict[str, int]:
    created = {"contracts": 0, "payees": 0, "runs": 0, "statements": 0}
    operator_user = User.objects.filter(username="op_finance").first()
    logistics = Organization.objects.filter(name=LOGISTICS).first()
    if operator_user is None or logistics is None:
        return created
    opened = timezone.now() - timedelta(days=60)
    for name, (mode, margin, fee) in CONTRACTS.items():
        brand = Organization.objects.filter(name=name, kind=OrganizationKind.BRAND).first()
        if brand is None or Contract.objects.filter(brand=brand).exists():
            continue
        contract = Contract.objects.create(
            brand=brand, mode=mode, operator_margin_bps=margin, valid_from=opened, created_by=operator_user
        )
        ContractFee.objects.create(contract=contract, payee=logistics, kind="logistics", basis="per_unit", value=fee)
        created["contracts"] += 1
    parties = list(
        Organization.objects.filter(kind__in=[OrganizationKind.BRAND, OrganizationKind.MCN, OrganizationKind.SERVICE_PROVIDER])
    )
    for index, org in enumerate(parties):
        if not Payee.objects.filter(organization=org).exists():
            Payee.objects.create(
                payee_kind=PayeeKind.ORGANIZATION,
                organization=org,
                bank_account_name=org.name,
                bank_account_number=f"62220204020{org.pk:08d}",
                bank_name=BANKS[index % len(BANKS)],
            )
            created["payees"] += 1
    for anchor in anchors_with_users():
        if not Payee.objects.filter(anchor_id=anchor.id).exists():
            Payee.objects.create(
                payee_kind=PayeeKind.ANCHOR,
                anchor_id=anchor.id,
                bank_account_name=anchor.name,
                bank_account_number=f"62170038{anchor.id:010d}",
                bank_name=BANKS[anchor.id % len(BANKS)],
            )
            created["payees"] += 1
    if not SettlementRun.objects.exists():
        run = runs.run_create(cutoff=timezone.localdate() - timedelta(days=1), actor=operator_user)
        run = runs.run_execute(run_id=run.pk)
        if run.state == RunState.DONE:
            created["runs"] += 1
            created["statements"] += run.statements
    return created
