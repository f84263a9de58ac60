"""Demo data of the ledger: the operator's core accounts (called by seed_demo). Idempotent."""

from __future__ import annotations

from shuxuan.ledger.models import Account, AccountType
from shuxuan.ledger.services import account_get_or_create
from shuxuan.parties.models import Organization, OrganizationKind, Platform

OPERATOR_ACCOUNT_TYPES = [
    AccountType.CASH,
    AccountType.FEE_INCOME,
    AccountType.INVENTORY,
    AccountType.COST_OF_GOODS,
    AccountType.DEPOSITS_HELD,
    AccountType.TAX_WITHHELD,
    AccountType.SUSPENSE,
]


def seed_ledger_demo() -> list[Account]:
    """The operator's cash, fee income, inventory, cost of goods, deposits held, tax withheld and
    suspense accounts, and a receivable from each sales platform, all in CNY."""
    operator = Organization.objects.filter(kind=OrganizationKind.OPERATOR).order_by("id").first()
    if operator is None:
        return []
    accounts = [account_get_or_create(organization_id=operator.pk, type=kind) for kind in OPERATOR_ACCOUNT_TYPES]
    accounts += [account_get_or_create(platform=platform, type=AccountType.PLATFORM_RECEIVABLE) for platform in Platform.values]
    return accounts
