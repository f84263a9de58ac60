"""Reads of settlement: who sees which statements, and a party's estimated and settled earnings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from shuxuan.ledger.facade import payable_balances
from shuxuan.parties.facade import anchor_names, own_anchor_id, registered_anchor_ids
from shuxuan.parties.models import Organization, Role, User
from shuxuan.settlement import waterfall
from shuxuan.settlement.accounts import Accounts
from shuxuan.settlement.exports import statement_lines
from shuxuan.settlement.legs import Leg, line_legs
from shuxuan.settlement.models import (
    PayeeKind,
    Payout,
    PayoutBatch,
    PayoutState,
    SettledBy,
    SettledLeg,
    Statement,
    StatementState,
)
from shuxuan.settlement.terms import CONTRACT_FEES_CTE, TERMS_COLUMNS, UNFROZEN_TERMS_SQL, unfrozen_terms_filter


def statements_visible_q(organization: Organization, prefix: str = "") -> Q:
    """A party sees its own statements, and an MCN (or studio) those of the anchors it manages."""
    return Q(**{f"{prefix}organization_id": organization.pk}) | Q(**{f"{prefix}anchor__organization_id": organization.pk})


# A payout in these states is money in flight or paid: its statement is not offered for payout
# again. A failed payout leaves the statement payable (a retry is a new attempt).
LIVE_PAYOUT_STATES = (PayoutState.PENDING, PayoutState.SENT, PayoutState.PAID)


def statements_awaiting_payout(queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    """Approved statements that owe the party something and have no payout in flight or paid."""
    live = Payout.objects.filter(statement_id=OuterRef("pk"), state__in=LIVE_PAYOUT_STATES)
    return queryset.filter(state=StatementState.APPROVED, closing_minor__gt=0).exclude(Exists(live))


# A payout in these states has left (or is about to leave) but is not confirmed paid.
IN_FLIGHT_PAYOUT_STATES = (PayoutState.PENDING, PayoutState.SENT)


def statements_awaiting_approval(queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    return queryset.filter(state=StatementState.DRAFT)


def payouts_in_flight(queryset: QuerySet[Payout]) -> QuerySet[Payout]:
    return queryset.filter(state__in=IN_FLIGHT_PAYOUT_STATES)


def live_payout_of(statement_id: int) -> Payout | None:
    """The statement's payout in flight or paid, if any (at most one: a partial unique index)."""
    return Payout.objects.filter(statement_id=statement_id, state__in=LIVE_PAYOUT_STATES).order_by("-id").first()


def statement_queryset() -> QuerySet[Statement]:
    latest = Payout.objects.filter(statement_id=OuterRef("pk")).order_by("-id").values("state")[:1]
    return (
        Statement.objects.select_related("run", "approved_by", "organization")
        .annotate(latest_payout_state=Subquery(latest))
        .order_by("-run_id", "payee_name", "id")
    )


def batch_queryset() -> QuerySet[PayoutBatch]:
    return (
        PayoutBatch.objects.select_related("created_by")
        .annotate(payout_count=Count("payouts"), payout_total=Sum("payouts__amount_minor"))
        .order_by("-id")
    )


def statement_by_leg(statement: Statement) -> list[dict[str, Any]]:

    return list(
        statement_lines(statement).values("kind", "settled_by").annotate(total=Sum("amount_minor")).order_by("kind", "settled_by")
    )


@dataclass
class Earnings:
    payee_kind: str
    payee_id: int
    payee_name: str
    currency: str = "CNY"
    estimated: int = 0
    estimated_at_source: int = 0
    settled: int = 0
    settled_at_source: int = 0
    balance: int = 0
    lines_pending: int = 0


# Lines of the payees not (fully) settled: their frozen terms, and for lines imported since the last
# freeze the terms FREEZE_SQL would give them now (read, not written: a GET changes nothing).
# `frozen` tells the two apart: a party is paid a service fee on a frozen line's contract fees,
# while the lines not frozen yet are narrowed to the party's own as brand, MCN or anchor.
PENDING_SQL = """
WITH {contract_fees},
terms AS (
    SELECT {columns} FROM settlement_lineterms
    UNION ALL
    {unfrozen}
)
SELECT t.line_id, t.platform, t.currency, t.quantity, t.full_basis_minor, t.platform_fee_bps, t.commission_bps,
       t.commission_at_source, t.anchor_id, t.mcn_id, t.mcn_split_bps, t.brand_id, t.mode,
       t.operator_margin_bps, t.supply_price_minor, t.fees, t.settled_basis_minor,
       EXISTS (SELECT 1 FROM settlement_lineterms f WHERE f.line_id = t.line_id) AS frozen,
       (CASE WHEN l.status IN ('refunded', 'invalid') THEN 0
             ELSE GREATEST(t.full_basis_minor - l.refunded_minor, 0) END)::bigint AS target
FROM terms t JOIN orders_orderline l ON l.id = t.line_id
WHERE t.problem = ''
  AND (t.anchor_id = ANY(%(anchors)s) OR t.brand_id = ANY(%(orgs)s) OR t.mcn_id = ANY(%(orgs)s)
       OR t.fees @> ANY(%(fee_payees)s::jsonb[]))
  AND t.settled_basis_minor <> (CASE WHEN l.status IN ('refunded', 'invalid') THEN 0
                                     ELSE GREATEST(t.full_basis_minor - l.refunded_minor, 0) END)
"""


def earnings_targets(*, user: User, organization: Organization) -> list[tuple[str, int]]:
    """Whose earnings a party's login reads (the earnings page and the home): an anchor's own
    login its anchor; otherwise the organization and the anchors it registered."""
    own_anchor = own_anchor_id(user_id=user.pk)
    if own_anchor is not None and not user.has_role(Role.OWNER, Role.FINANCE):
        return [(str(PayeeKind.ANCHOR), own_anchor)]
    return [(str(PayeeKind.ORGANIZATION), organization.pk)] + [
        (str(PayeeKind.ANCHOR), pk) for pk in registered_anchor_ids(organization_id=organization.pk)
    ]


def earnings_of(targets: list[tuple[str, int]]) -> list[Earnings]:
    """Each target's earnings: settled legs so far, and the estimate for lines not (fully) settled
    yet (the split of their current basis less what was settled, as the next runs would post it
    once they are settleable). A fixed number of queries however many targets: one per kind of
    figure over all of them (names, settled legs, pending lines, balances), assembled here."""
    if not targets:
        return []
    anchors = sorted({payee_id for kind, payee_id in targets if kind == PayeeKind.ANCHOR})
    orgs = sorted({payee_id for kind, payee_id in targets if kind != PayeeKind.ANCHOR})
    names = {("anchor", pk): name for pk, name in anchor_names(anchors).items()}
    names |= {("org", pk): name for pk, name in Organization.objects.filter(pk__in=orgs).values_list("pk", "name")}
    results = {
        _payee(kind, payee_id): Earnings(payee_kind=kind, payee_id=payee_id, payee_name=names.get(_payee(kind, payee_id), ""))
        for kind, payee_id in reversed(targets)  # a target named twice keeps its first spelling
    }
    _add_settled(results, anchors=anchors, orgs=orgs)
    _add_pending(results, anchors=anchors, orgs=orgs)
    anchor_balances, org_balances = payable_balances(organization_ids=orgs, anchor_ids=anchors, currency="CNY")
    for (owner, payee_id), result in results.items():
        result.balance = -(anchor_balances if owner == "anchor" else org_balances).get(payee_id, 0)
    return [results[_payee(kind, payee_id)] for kind, payee_id in targets]


def earnings(*, payee_kind: str, payee_id: int) -> Earnings:
    """One payee's earnings (`earnings_of` for one target)."""
    return earnings_of([(payee_kind, payee_id)])[0]


def _payee(kind: str, payee_id: int) -> tuple[str, int]:
    return ("anchor" if kind == PayeeKind.ANCHOR else "org", payee_id)


def _add_settled(results: dict[tuple[str, int], Earnings], *, anchors: list[int], orgs: list[int]) -> None:
    """The legs settled so far, by who settled them (the operator, or the platform at source)."""
    legs = SettledLeg.objects.filter(Q(payee_anchor_id__in=anchors) | Q(payee_org_id__in=orgs))
    totals = legs.values("payee_anchor_id", "payee_org_id", "settled_by").annotate(total=Sum("amount_minor"))
    for row in totals:
        for payee in (("anchor", row["payee_anchor_id"]), ("org", row["payee_org_id"])):
            result = results.get(payee)
            if result is None:
                continue
            if row["settled_by"] == SettledBy.OPERATOR:
                result.settled += row["total"]
            elif row["settled_by"] == SettledBy.PLATFORM:
                result.settled_at_source += row["total"]


def _fee_payees(raw: Any) -> set[int]:
    fees = json.loads(raw) if isinstance(raw, str) else raw
    return {fee["payee"] for fee in fees}


def _owners(row: dict[str, Any]) -> set[tuple[str, int]]:
    """The payees whose pending lines this line is: its anchor, its brand and MCN, and (frozen
    lines only) the payees of its contract's fees."""
    owners = {("anchor", row["anchor_id"]), ("org", row["brand_id"]), ("org", row["mcn_id"])}
    if row["frozen"]:
        owners |= {("org", payee) for payee in _fee_payees(row["fees"])}
    return owners


def _pays(leg: Leg, payee: tuple[str, int]) -> bool:
    owner, payee_id = payee
    return (leg.payee_anchor if owner == "anchor" else leg.payee_org) == payee_id


def _add_pending(results: dict[tuple[str, int], Earnings], *, anchors: list[int], orgs: list[int]) -> None:
    """The estimate: each pending line's legs (its delta) that pay one of the payees whose line it is."""
    unfrozen, params = unfrozen_terms_filter(payees=(anchors, orgs))
    params["fee_payees"] = [json.dumps([{"payee": pk}]) for pk in orgs]
    sql = PENDING_SQL.format(
        contract_fees=CONTRACT_FEES_CTE,
        columns=", ".join(TERMS_COLUMNS),
        unfrozen=UNFROZEN_TERMS_SQL.format(extra=unfrozen),
    )
    accounts = Accounts(estimate=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            try:
                pending = line_legs(row, accounts)
            except waterfall.SplitProblem:
                continue
            for payee in _owners(row):
                result = results.get(payee)
                if result is None:
                    continue
                mine = [leg for leg in pending if _pays(leg, payee)]
                if not mine:
                    continue
                result.lines_pending += 1
                for leg in mine:
                    if leg.settled_by == SettledBy.OPERATOR:
                        result.estimated += leg.amount
                    elif leg.settled_by == SettledBy.PLATFORM:
                        result.estimated_at_source += leg.amount
