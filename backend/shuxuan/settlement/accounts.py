"""The ledger accounts settlement posts to, and the journal source of its runs' entries.

Its own module so that runs, statements, payouts and the earnings estimate can all name them
without importing one another (docs/domain.md section 4)."""

from __future__ import annotations

from typing import Any

from shuxuan.ledger.facade import AccountType, account_get_or_create
from shuxuan.parties.facade import operator_organization_id

RUN_SOURCE_TYPE = "settlement.run"  # the source of every ledger entry a settlement run posts


class Accounts:
    """Ledger accounts by owner, type and currency, created on first use and cached for a run.

    `Accounts(estimate=True)` neither reads nor creates: every account is id 0. The earnings
    estimate uses the legs' amounts and payees, never their accounts, so a GET writes nothing and
    its queries do not grow with the payees on the lines."""

    def __init__(self, *, estimate: bool = False) -> None:
        self._cache: dict[tuple[str, Any, str, str], int] = {}
        self.operator_id = operator_organization_id()
        self.estimate = estimate

    def _get(self, owner: str, owner_id: Any, type_: str, currency: str) -> int:
        if self.estimate:
            return 0
        key = (owner, owner_id, type_, currency)
        account_id = self._cache.get(key)
        if account_id is None:
            kwargs: dict[str, Any] = {"type": type_, "currency": currency}
            kwargs[{"org": "organization_id", "anchor": "anchor_id", "platform": "platform"}[owner]] = owner_id
            account_id = account_get_or_create(**kwargs).pk
            self._cache[key] = account_id
        return account_id

    def receivable(self, platform: str, currency: str) -> int:
        return self._get("platform", platform, AccountType.PLATFORM_RECEIVABLE, currency)

    def payable_org(self, org_id: int, currency: str) -> int:
        return self._get("org", org_id, AccountType.PAYABLE_TO_PARTY, currency)

    def payable_anchor(self, anchor_id: int, currency: str) -> int:
        return self._get("anchor", anchor_id, AccountType.PAYABLE_TO_PARTY, currency)

    def operator(self, type_: str, currency: str) -> int:
        return self._get("org", self.operator_id, type_, currency)


__all__ = ["RUN_SOURCE_TYPE", "Accounts", "operator_organization_id"]
