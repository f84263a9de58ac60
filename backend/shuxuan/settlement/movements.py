"""What a statement's "payouts and other movements" are: each ledger entry that moved the party's
payable account between its previous statement and this one, other than the settlement runs'
own legs (those are the earnings and clawbacks), named in both languages by what caused it — a
buy-out purchase order, a consignment sale, a payout, a reversal, an advance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shuxuan.ledger.facade import AccountMovement, account_movements
from shuxuan.settlement.accounts import RUN_SOURCE_TYPE
from shuxuan.settlement.models import Statement


@dataclass(frozen=True)
class StatementMovement:
    entry_id: int
    source_type: str
    label: str  # "中文 / English"
    effective_date: date
    amount_minor: int  # what the operator owes the party more (+) or less (−) after it


def _purchase_orders(receipt_ids: list[str]) -> dict[str, int]:
    from shuxuan.supply.facade import receipt_purchase_orders

    ids = [int(i) for i in receipt_ids if i.isdigit()]
    return {str(pk): po for pk, po in receipt_purchase_orders(ids).items()}


def _split(memo: str) -> tuple[str, str]:
    zh, _, en = memo.partition(" / ")
    return zh, en or zh


def _names(movement: AccountMovement, purchase_orders: dict[str, int]) -> tuple[str, str]:
    source, ref = movement.source_type, movement.source_id
    if source == "supply.receipt":
        po = purchase_orders.get(ref)
        name = f"PO{po}" if po is not None else f"#{ref}"
        return f"采购单 {name} 买断货款", f"buy-out purchase order {name}"
    if source == "supply.shipment":
        return f"代销商品售出 出库单 #{ref}", f"consignment goods sold, shipment #{ref}"
    if source == "supply.return":
        return f"代销商品退货 退货单 #{ref}", f"consignment goods returned, return #{ref}"
    if source == "settlement.payout":
        return f"付款 #{ref}", f"payout #{ref}"
    if source == "settlement.clawback":
        return f"Stripe 冲回付款 #{ref}", f"Stripe transfer reversal #{ref}"
    if movement.memo:
        return _split(movement.memo)
    return f"{source} #{ref}", f"{source} #{ref}"


def _label(movement: AccountMovement, purchase_orders: dict[str, int]) -> str:
    zh, en = _names(movement, purchase_orders)
    if movement.reverses_id is not None:
        zh, en = f"冲销 {zh}", f"reversal of {en}"
    return f"{zh} / {en}"


def statement_movements(statement: Statement) -> list[StatementMovement]:
    """The movements behind `statement.other_minor`, which they sum to."""
    previous = Statement.objects.filter(account_id=statement.account_id, run_id__lt=statement.run_id).order_by("-run_id").first()
    movements = account_movements(
        account_id=statement.account_id,
        created_after=previous.created_at if previous else None,
        created_until=statement.created_at,
        exclude_source_types=(RUN_SOURCE_TYPE,),
    )
    purchase_orders = _purchase_orders([m.source_id for m in movements if m.source_type == "supply.receipt"])
    return [
        StatementMovement(
            entry_id=m.entry_id,
            source_type=m.source_type,
            label=_label(m, purchase_orders),
            effective_date=m.effective_date,
            amount_minor=-m.amount,
        )
        for m in movements
    ]
