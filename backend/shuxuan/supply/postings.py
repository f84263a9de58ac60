"""What stock events post to the money ledger. The only module of supply that talks to the ledger.

Every posting runs inside the supply service's own transaction, so a stock movement and its money
are written together or not at all. Accounts: `inventory` and `cost_of_goods` belong to the owner of
buy-out stock (the operator); `payable_to_party` belongs to the brand (what the operator owes it).

| event                         | buy-out (经销), at moving-average cost | consignment (代销), at supply price |
|-------------------------------|----------------------------------------|-------------------------------------|
| receipt                       | Dr inventory / Cr payable_to_party     | nothing: no payable until it sells  |
| sale shipment                 | Dr cost_of_goods / Cr inventory        | Dr cost_of_goods / Cr payable_to_party |
| sample shipment               | Dr cost_of_goods / Cr inventory        | nothing: the brand gives its samples |
| return of a sale into stock   | Dr inventory / Cr cost_of_goods        | Dr payable_to_party / Cr cost_of_goods |
| return of a sample into stock | Dr inventory / Cr cost_of_goods        | nothing                              |
| return to scrap               | nothing: the cost stays expensed       | nothing: the payable stands          |
| count shortage / scrap        | Dr cost_of_goods / Cr inventory        | nothing (stock-ledger memo value only) |
| count surplus                 | Dr inventory / Cr cost_of_goods        | nothing                              |
| transfer                      | nothing: stock stays held              | nothing                              |

Consignment goods are the brand's until sold, so they are not the operator's inventory; when they
sell, the operator's cost is what it now owes the brand at the agreed supply price. Count
differences go to cost of goods because the chart of accounts has no separate inventory-loss
account; the movement's reason keeps them apart in the stock ledger.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from shuxuan.ledger import facade as ledger

INVENTORY = "inventory"
COST_OF_GOODS = "cost_of_goods"
PAYABLE = "payable_to_party"


class EntryBuilder:
    """Collects (account owner, account type) legs for one journal entry and posts them at once."""

    def __init__(self, currency: str = "CNY") -> None:
        self.currency = currency
        self.legs: dict[tuple[int, str], int] = defaultdict(int)

    def move(self, *, debit: tuple[int, str], credit: tuple[int, str], amount: int) -> None:
        if amount:
            self.legs[debit] += amount
            self.legs[credit] -= amount

    def post(self, *, key: str, source_type: str, source_id: str, effective_date: date, memo: str, actor: Any) -> int | None:
        legs = {k: v for k, v in self.legs.items() if v}
        if not legs:
            return None
        postings = []
        for (organization_id, account_type), amount in sorted(legs.items()):
            account = ledger.account_get_or_create(organization_id=organization_id, type=account_type, currency=self.currency)
            postings.append(ledger.PostingSpec(account_id=account.pk, amount=amount, currency=self.currency))
        entry = ledger.entry_post_within(
            idempotency_key=key,
            source_type=source_type,
            source_id=source_id,
            effective_date=effective_date,
            memo=memo,
            postings=postings,
            actor=actor,
        )
        return int(entry.pk)


def inventory_balance(*, organization_id: int, as_of: date | None = None, currency: str = "CNY") -> int:
    account = ledger.account_get_or_create(organization_id=organization_id, type=INVENTORY, currency=currency)
    return int(ledger.account_balance(account_id=account.pk, as_of=as_of))
