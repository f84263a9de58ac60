"""Reads of settlement: who sees which statements, and a party's estimated and settled earnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from shuxuan.ledger.facade import account_balance
from shuxuan.parties.models import Anchor, Organization, Role, User
from shuxuan.settlement import waterfall
from shuxuan.settlement.accounts import Accounts
from shuxuan.settlement.exports import statement_lines
from shuxuan.settlement.legs import line_legs
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


# Lines of a payee not (fully) settled: their frozen terms, and for lines imported since the last
# freeze the terms FREEZE_SQL would give them now (read, not written: a GET changes nothing).
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
       (CASE WHEN l.status IN ('refunded', 'invalid') THEN 0
             ELSE GREATEST(t.full_basis_minor - l.refunded_minor, 0) END)::bigint AS target
FROM terms t JOIN orders_orderline l ON l.id = t.line_id
WHERE t.problem = '' AND {owner}
  AND t.settled_basis_minor <> (CASE WHEN l.status IN ('refunded', 'invalid') THEN 0
                                     ELSE GREATEST(t.full_basis_minor - l.refunded_minor, 0) END)
"""


def earnings_targets(*, user: User, organization: Organization) -> list[tuple[str, int]]:
    """Whose earnings a party's login reads (the earnings page and the home): an anchor's own
    login its anchor; otherwise the organization and the anchors it registered."""
    own_anchor = Anchor.objects.filter(user=user).values_list("id", flat=True).first()
    if own_anchor is not None and not user.has_role(Role.OWNER, Role.FINANCE):
        return [(str(PayeeKind.ANCHOR), own_anchor)]
    return [(str(PayeeKind.ORGANIZATION), organization.pk)] + [
        (str(PayeeKind.ANCHOR), pk) for pk in Anchor.objects.filter(organization=organization).values_list("id", flat=True)
    ]


def earnings_of(targets: list[tuple[str, int]]) -> list[Earnings]:
    """Each target's earnings. One account look-up cache serves them all: the payees share the
    platforms' and the operator's accounts, so each is looked up once, not once per payee."""
    accounts = Accounts(create=False)
    return [earnings(payee_kind=kind, payee_id=payee_id, accounts=accounts) for kind, payee_id in targets]


def earnings(*, payee_kind: str, payee_id: int, accounts: Accounts | None = None) -> Earnings:
    """Settled legs so far, and the estimate for lines not (fully) settled yet: the split of their
    current basis less what was settled, as the next runs would post it once they are settleable."""
    # Lines imported since the last freeze have no terms yet: estimate them with the terms the
    # freeze would give them (this party's lines only), without writing.
    unfrozen, unfrozen_params = unfrozen_terms_filter(
        anchor_id=payee_id if payee_kind == PayeeKind.ANCHOR else None,
        organization_id=None if payee_kind == PayeeKind.ANCHOR else payee_id,
    )
    if payee_kind == PayeeKind.ANCHOR:
        name = Anchor.objects.filter(pk=payee_id).values_list("name", flat=True).first() or ""
        legs = SettledLeg.objects.filter(payee_anchor_id=payee_id)
        owner = "t.anchor_id = %(id)s"
        params: dict[str, Any] = {"id": payee_id, **unfrozen_params}
    else:
        name = Organization.objects.filter(pk=payee_id).values_list("name", flat=True).first() or ""
        legs = SettledLeg.objects.filter(payee_org_id=payee_id)
        owner = "(t.brand_id = %(id)s OR t.mcn_id = %(id)s OR t.fees @> %(fee)s::jsonb)"
        params = {"id": payee_id, "fee": f'[{{"payee": {payee_id}}}]', **unfrozen_params}
    result = Earnings(payee_kind=payee_kind, payee_id=payee_id, payee_name=name)
    totals = legs.values("settled_by").annotate(total=Sum("amount_minor"))
    for row in totals:
        if row["settled_by"] == SettledBy.OPERATOR:
            result.settled += row["total"]
        elif row["settled_by"] == SettledBy.PLATFORM:
            result.settled_at_source += row["total"]
    accounts = accounts or Accounts(create=False)
    sql = PENDING_SQL.format(
        contract_fees=CONTRACT_FEES_CTE,
        columns=", ".join(TERMS_COLUMNS),
        unfrozen=UNFROZEN_TERMS_SQL.format(extra=unfrozen),
        owner=owner,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            try:
                pending = line_legs(row, accounts)
            except waterfall.SplitProblem:
                continue
            mine = [
                leg
                for leg in pending
                if (leg.payee_anchor == payee_id if payee_kind == PayeeKind.ANCHOR else leg.payee_org == payee_id)
            ]
            if not mine:
                continue
            result.lines_pending += 1
            for leg in mine:
                if leg.settled_by == SettledBy.OPERATOR:
                    result.estimated += leg.amount
                elif leg.settled_by == SettledBy.PLATFORM:
                    result.estimated_at_source += leg.amount
    if payee_kind == PayeeKind.ANCHOR:
        account = accounts.payable_anchor(payee_id, "CNY")
    else:
        account = accounts.payable_org(payee_id, "CNY")
    result.balance = -account_balance(account_id=account)
    return result
