"""The legs one order line posts in a run: the waterfall's delta (docs/domain.md section 6) with
each leg's payee, its ledger account and who settles it (the platform at source, the operator, or
the operator's own purchase under buy-out)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shuxuan.ledger.facade import AccountType
from shuxuan.settlement import waterfall
from shuxuan.settlement.accounts import Accounts
from shuxuan.settlement.models import Mode, SettledBy


@dataclass(slots=True)
class Leg:
    line_id: int
    kind: str
    settled_by: str
    payee_org: int | None
    payee_anchor: int | None
    payee_platform: str
    account_id: int
    amount: int
    basis: int
    currency: str


def _fees(raw: Any) -> tuple[waterfall.Fee, ...]:
    # Django reads jsonb from a raw cursor as text; most lines share a handful of fee lists.
    if isinstance(raw, str):
        cached = _FEES_CACHE.get(raw)
        if cached is None:
            cached = _FEES_CACHE[raw] = _fees(json.loads(raw))
        return cached
    return tuple(waterfall.Fee(f["payee"], f["kind"], f["basis"], int(f["value"])) for f in raw)


_FEES_CACHE: dict[str, tuple[waterfall.Fee, ...]] = {}


def _terms_of(row: dict[str, Any]) -> waterfall.Terms:
    return waterfall.Terms(
        full_basis=row["full_basis_minor"],
        quantity=row["quantity"],
        platform_fee_bps=row["platform_fee_bps"],
        commission_bps=row["commission_bps"],
        mcn_split_bps=row["mcn_split_bps"],
        buyout=row["mode"] == Mode.BUYOUT,
        operator_margin_bps=row["operator_margin_bps"],
        supply_price=row["supply_price_minor"],
        fees=_fees(row["fees"]),
    )


def line_legs(row: dict[str, Any], accounts: Accounts) -> list[Leg]:
    """The legs a run posts for one candidate line (its delta), with payee and account.

    Raises waterfall.SplitProblem when the line cannot be split."""
    terms = _terms_of(row)
    changes = waterfall.delta(terms, row["settled_basis_minor"], row["target"])
    platform, currency, line_id, target = row["platform"], row["currency"], row["line_id"], row["target"]
    out: list[Leg] = []
    for (kind, index), amount in changes.items():
        org: int | None = None
        anchor: int | None = None
        payee_platform = ""
        if kind == waterfall.PLATFORM_FEE:
            by, payee_platform, account = SettledBy.PLATFORM, platform, accounts.receivable(platform, currency)
        elif kind in (waterfall.ANCHOR_COMMISSION, waterfall.MCN_SHARE):
            if kind == waterfall.ANCHOR_COMMISSION:
                anchor = row["anchor_id"]
            else:
                org = row["mcn_id"]
            if row["commission_at_source"]:
                by, account = SettledBy.PLATFORM, accounts.receivable(platform, currency)
            elif anchor is not None:
                by, account = SettledBy.OPERATOR, accounts.payable_anchor(anchor, currency)
            elif org is not None:
                by, account = SettledBy.OPERATOR, accounts.payable_org(org, currency)
            else:
                raise waterfall.SplitProblem("佣金无收款方（无主播或 MCN）/ commission has no payee (no anchor or MCN)")
        elif kind == waterfall.SERVICE_FEE:
            org = terms.fees[index].payee_id
            by, account = SettledBy.OPERATOR, accounts.payable_org(org, currency)
        elif kind == waterfall.OPERATOR_MARGIN:
            org = accounts.operator_id
            by, account = SettledBy.OPERATOR, accounts.operator(AccountType.FEE_INCOME, currency)
        else:  # producer
            org = row["brand_id"]
            if terms.buyout:
                by, account = SettledBy.PURCHASE, accounts.operator(AccountType.SALES_REVENUE, currency)
            else:
                if org is None:
                    raise waterfall.SplitProblem("无品牌方 / the line's SKU has no brand")
                by, account = SettledBy.OPERATOR, accounts.payable_org(org, currency)
        out.append(Leg(line_id, kind, by, org, anchor, payee_platform, account, amount, target, currency))
    return out
