from __future__ import annotations

from datetime import date

import pytest

from shuxuan.ledger.facade import AccountType, PostingSpec, account_get_or_create, entry_post
from shuxuan.parties.models import OrganizationKind, Role
from shuxuan.testing.factories import OrganizationFactory, UserFactory

DAY = date(2025, 3, 15)


class Book:
    """An operator, a brand and their accounts; `post(key, *legs)` posts CNY legs of (account, amount)."""

    def __init__(self) -> None:
        self.operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
        self.brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="宜宾叙府窖酒业有限公司")
        self.other_brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="雅安蒙顶云雾茶业有限公司")
        self.finance = UserFactory(organization=self.operator, roles=[Role.FINANCE], username="fin")
        self.reviewer = UserFactory(organization=self.operator, roles=[Role.REVIEWER], username="rev")
        self.brand_user = UserFactory(organization=self.brand, roles=[Role.OWNER], username="brand")
        self.other_user = UserFactory(organization=self.other_brand, roles=[Role.OWNER], username="other")
        self.cash = account_get_or_create(organization_id=self.operator.pk, type=AccountType.CASH)
        self.fees = account_get_or_create(organization_id=self.operator.pk, type=AccountType.FEE_INCOME)
        self.payable = account_get_or_create(organization_id=self.brand.pk, type=AccountType.PAYABLE_TO_PARTY)
        self.other_payable = account_get_or_create(organization_id=self.other_brand.pk, type=AccountType.PAYABLE_TO_PARTY)
        self.douyin = account_get_or_create(platform="douyin", type=AccountType.PLATFORM_RECEIVABLE)

    def post(self, key: str, *legs: tuple[object, int], day: date = DAY, source_id: str = "1"):  # type: ignore[no-untyped-def]
        return entry_post(
            idempotency_key=key,
            source_type="test.order_line",
            source_id=source_id,
            effective_date=day,
            memo=f"memo {key}",
            postings=[PostingSpec(account_id=account.pk, amount=amount) for account, amount in legs],  # type: ignore[attr-defined]
            actor=self.finance,
        )

    def sale(self, key: str, amount: int, *, day: date = DAY, brand_share: int | None = None):  # type: ignore[no-untyped-def]
        """Cash in `amount`; the brand is owed `brand_share` (default 90%); the rest is fee income."""
        share = amount * 9 // 10 if brand_share is None else brand_share
        return self.post(key, (self.cash, amount), (self.payable, -share), (self.fees, share - amount), day=day)


@pytest.fixture
def book(db) -> Book:  # type: ignore[no-untyped-def]
    return Book()


@pytest.fixture
def tx_book(transactional_db) -> Book:  # type: ignore[no-untyped-def]
    return Book()
