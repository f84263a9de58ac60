"""Statements (结算单) and advances (垫付).

A party's balance is its payable account in the ledger: credit (negative, debit-positive) means
the operator owes the party. Statements show it the other way round — what the operator owes,
positive — because that is how a party reads it. A statement's closing is the account's balance
when the statement is written; its opening is the previous statement's closing; `other` is what
moved between (payouts, reversals, advances), so opening + earnings + clawbacks + other = closing
always holds (a database constraint checks it).

A negative closing carries forward: later earnings net against it before anything is paid out.
An advance (垫付) is opened when a clawback cannot be recovered (a reversal failed, or finance
decides): the debt moves from the payable to a receivable from the party, the operator carries
it, and later earnings recover it automatically until it is recovered or written off.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import AccountType, PostingSpec, account_balance, account_get_or_create, entry_post_within
from shuxuan.parties.facade import anchor_names
from shuxuan.parties.models import Organization, User
from shuxuan.settlement.accounts import operator_organization_id
from shuxuan.settlement.models import (
    Advance,
    AdvanceState,
    PayeeKind,
    SettledBy,
    SettlementRun,
    Statement,
    StatementState,
)


def _owed(account_id: int) -> int:
    return -account_balance(account_id=account_id)


def _names(org_ids: set[int], anchor_ids: set[int]) -> tuple[dict[int, str], dict[int, str]]:
    orgs = dict(Organization.objects.filter(pk__in=org_ids).values_list("id", "name"))
    anchors = anchor_names(anchor_ids)
    return orgs, anchors


def statements_build(*, run_id: int, accounts_operator_id: int) -> int:
    """Write one statement per party (organization or anchor) and currency the run touched.
    Idempotent: statements already written for the run are kept. Returns the number written."""
    with transaction.atomic(durable=True):
        run = SettlementRun.objects.select_for_update().get(pk=run_id)
        if run.chunk_totals:
            groups, gross = _totals_from_chunks(run_id, accounts_operator_id)
        else:  # a run queued before chunks wrote their totals
            groups, gross = _totals_from_legs(run_id, accounts_operator_id)
        org_names, anchor_names = _names({g[0] for g in groups if g[0]}, {g[1] for g in groups if g[1]})
        existing = set(Statement.objects.filter(run=run).values_list("account_id", flat=True))
        written = 0
        for org_id, anchor_id, currency, earnings, clawbacks, at_source, lines in groups:
            if org_id is not None:
                account = account_get_or_create(organization_id=org_id, type=AccountType.PAYABLE_TO_PARTY, currency=currency)
            else:
                account = account_get_or_create(anchor_id=anchor_id, type=AccountType.PAYABLE_TO_PARTY, currency=currency)
            if account.pk in existing:
                continue
            _recover_advances(account_id=account.pk, run=run)
            previous = Statement.objects.filter(account_id=account.pk, run_id__lt=run.pk).order_by("-run_id").first()
            opening = previous.closing_minor if previous else 0
            closing = _owed(account.pk)
            statement = Statement.objects.create(
                run=run,
                payee_kind=PayeeKind.ORGANIZATION if org_id is not None else PayeeKind.ANCHOR,
                organization_id=org_id,
                anchor_id=anchor_id,
                payee_name=(
                    org_names.get(org_id, "")
                    if org_id is not None
                    else anchor_names.get(anchor_id, "")
                    if anchor_id is not None
                    else ""
                ),
                currency=currency,
                account_id=account.pk,
                opening_minor=opening,
                earnings_minor=earnings,
                clawbacks_minor=clawbacks,
                other_minor=closing - opening - earnings - clawbacks,
                closing_minor=closing,
                at_source_minor=at_source,
                gross_minor=gross.get((org_id, currency), (0, 0))[0] if org_id is not None else 0,
                fees_minor=gross.get((org_id, currency), (0, 0))[1] if org_id is not None else 0,
                lines=lines,
            )
            written += 1
            del statement
        SettlementRun.objects.filter(pk=run_id).update(statements=F("statements") + written)
    return written


Groups = list[tuple[int | None, int | None, str, int, int, int, int]]
Gross = dict[tuple[int, str], tuple[int, int]]


def _totals_from_chunks(run_id: int, operator_org_id: int) -> tuple[Groups, Gross]:
    """Per party and currency, the run's earnings, clawbacks, at-source legs and lines, and per
    producing brand its gross and fees: the sums of the run's chunk totals (`RunTotal`, written with
    each chunk's legs). Equal to `_totals_from_legs` (a test and `verify_ledger` check it), without
    reading the run's legs."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT payee_org_id, payee_anchor_id, currency, sum(earnings_minor)::bigint, sum(clawbacks_minor)::bigint,
                   sum(at_source_minor)::bigint, sum(lines)::bigint, sum(gross_minor)::bigint, sum(fees_minor)::bigint
            FROM settlement_runtotal
            WHERE run_id = %(run)s AND payee_org_id IS DISTINCT FROM %(operator_org)s
            GROUP BY payee_org_id, payee_anchor_id, currency
            ORDER BY payee_org_id NULLS LAST, payee_anchor_id, currency
            """,
            {"run": run_id, "operator_org": operator_org_id},
        )
        rows = cursor.fetchall()
    groups: Groups = [
        (org, anchor, cur, earn, claw, src, lines) for org, anchor, cur, earn, claw, src, lines, _, _ in rows if lines
    ]
    gross: Gross = {
        (org, cur): (g, f) for org, anchor, cur, _, _, _, _, g, f in rows if org is not None and anchor is None and (g or f)
    }
    return groups, gross


def _totals_from_legs(run_id: int, operator_org_id: int) -> tuple[Groups, Gross]:
    """The same figures read from the run's legs (the reference; runs queued before chunk totals)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT payee_org_id, payee_anchor_id, currency,
                   COALESCE(sum(amount_minor) FILTER (WHERE settled_by = %(operator)s AND amount_minor > 0), 0),
                   COALESCE(sum(amount_minor) FILTER (WHERE settled_by = %(operator)s AND amount_minor < 0), 0),
                   COALESCE(sum(amount_minor) FILTER (WHERE settled_by = %(platform)s), 0),
                   count(DISTINCT line_id) FILTER (WHERE settled_by <> %(purchase)s)
            FROM settlement_settledleg
            WHERE run_id = %(run)s AND (payee_anchor_id IS NOT NULL OR payee_org_id IS NOT NULL)
              AND payee_org_id IS DISTINCT FROM %(operator_org)s
            GROUP BY payee_org_id, payee_anchor_id, currency
            ORDER BY payee_org_id NULLS LAST, payee_anchor_id, currency
            """,
            {
                "run": run_id,
                "operator": SettledBy.OPERATOR.value,
                "platform": SettledBy.PLATFORM.value,
                "purchase": SettledBy.PURCHASE.value,
                "operator_org": operator_org_id,
            },
        )
        groups: Groups = [g for g in cursor.fetchall() if g[6]]
    return groups, _producer_gross(run_id)


def _producer_gross(run_id: int) -> Gross:
    """Per producing brand and currency: the basis its lines settled this run, and the part of it
    the other legs took (gross − its own producer legs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH producers AS (
                SELECT DISTINCT line_id, payee_org_id FROM settlement_settledleg
                WHERE run_id = %(run)s AND kind = 'producer' AND settled_by = %(operator)s
            )
            SELECT p.payee_org_id, g.currency, sum(g.amount_minor),
                   sum(g.amount_minor) FILTER (WHERE g.kind <> 'producer')
            FROM producers p JOIN settlement_settledleg g ON g.run_id = %(run)s AND g.line_id = p.line_id
            GROUP BY p.payee_org_id, g.currency
            """,
            {"run": run_id, "operator": SettledBy.OPERATOR.value},
        )
        return {(org, currency): (int(total), int(fees or 0)) for org, currency, total, fees in cursor.fetchall()}


def _recover_advances(*, account_id: int, run: SettlementRun) -> None:
    """Net open advances of this payable account against what the operator now owes the party."""
    owed = _owed(account_id)
    if owed <= 0:
        return
    for advance in Advance.objects.select_for_update().filter(account_id=account_id, state=AdvanceState.OPEN).order_by("id"):
        outstanding = advance.amount_minor - advance.recovered_minor - advance.written_off_minor
        take = min(outstanding, owed)
        if take <= 0:
            break
        entry_post_within(
            idempotency_key=f"settlement:advance:{advance.pk}:recover:run:{run.pk}",
            source_type="settlement.advance",
            source_id=str(advance.pk),
            effective_date=run.cutoff,
            memo=f"垫付 #{advance.pk} 从结算中收回 / advance #{advance.pk} recovered from run #{run.pk}",
            postings=[
                PostingSpec(account_id=account_id, amount=take, currency=advance.currency),
                PostingSpec(account_id=advance.receivable_account_id, amount=-take, currency=advance.currency),
            ],
            actor=run.requested_by,
        )
        advance.recovered_minor += take
        owed -= take
        if advance.recovered_minor + advance.written_off_minor == advance.amount_minor:
            advance.state = AdvanceState.RECOVERED
            advance.closed_at = timezone.now()
        advance.save(update_fields=["recovered_minor", "state", "closed_at"])
        audit_record(
            actor=run.requested_by,
            action="settlement.advance_recovered",
            obj=advance,
            organization_id=None,
            changes={"amount_minor": take, "run": run.pk},
        )


def statement_approve(*, statement_id: int, actor: User) -> Statement:
    with transaction.atomic(durable=True):
        statement = Statement.objects.select_for_update().filter(pk=statement_id).first()
        if statement is None:
            raise DomainError("结算单不存在 / no such statement", field="statement")
        if statement.state == StatementState.APPROVED:
            return statement
        statement.state = StatementState.APPROVED
        statement.approved_by = actor
        statement.approved_at = timezone.now()
        statement.save(update_fields=["state", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            action="settlement.statement_approved",
            obj=statement,
            organization_id=actor.organization_id,
            changes={"closing_minor": statement.closing_minor, "currency": statement.currency},
        )
    return statement


def advance_open(*, statement_id: int, actor: User | None, reason: str, effective_date: date | None = None) -> Advance:
    """The operator advances (垫付) what a party owes after a clawback it could not recover."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写垫付原因 / give the reason the clawback cannot be recovered", field="reason")
    with transaction.atomic(durable=True):
        statement = Statement.objects.select_for_update().filter(pk=statement_id).first()
        if statement is None:
            raise DomainError("结算单不存在 / no such statement", field="statement")
        owed = _owed(statement.account_id)
        if owed >= 0:
            raise Conflict("该合作方当前不欠款，无需垫付 / the party owes nothing now", field="statement")
        if statement.anchor_id is not None:
            receivable = account_get_or_create(
                anchor_id=statement.anchor_id, type=AccountType.RECEIVABLE_FROM_PARTY, currency=statement.currency
            )
        else:
            receivable = account_get_or_create(
                organization_id=statement.organization_id, type=AccountType.RECEIVABLE_FROM_PARTY, currency=statement.currency
            )
        advance = Advance.objects.create(
            statement=statement,
            account_id=statement.account_id,
            receivable_account_id=receivable.pk,
            amount_minor=-owed,
            currency=statement.currency,
            reason=reason[:300],
        )
        entry_post_within(
            idempotency_key=f"settlement:advance:{advance.pk}:open",
            source_type="settlement.advance",
            source_id=str(advance.pk),
            effective_date=effective_date or timezone.localdate(),
            memo=f"运营方垫付 #{advance.pk}：{reason[:100]} / operator advance",
            postings=[
                PostingSpec(account_id=receivable.pk, amount=-owed, currency=statement.currency),
                PostingSpec(account_id=statement.account_id, amount=owed, currency=statement.currency),
            ],
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="settlement.advance_opened",
            obj=advance,
            organization_id=getattr(actor, "organization_id", None),
            changes={"amount_minor": -owed, "statement": statement.pk, "reason": reason[:200]},
        )
    return advance


def advance_write_off(*, advance_id: int, actor: User, reason: str) -> Advance:
    """Give up on what is left of an advance: the operator's income bears it (坏账核销)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写核销原因 / give the reason for the write-off", field="reason")
    with transaction.atomic(durable=True):
        advance = Advance.objects.select_for_update().filter(pk=advance_id).first()
        if advance is None:
            raise DomainError("垫付记录不存在 / no such advance", field="advance")
        if advance.state != AdvanceState.OPEN:
            raise Conflict("该垫付已结清 / the advance is closed", field="advance")
        outstanding = advance.amount_minor - advance.recovered_minor - advance.written_off_minor

        income = account_get_or_create(
            organization_id=operator_organization_id(), type=AccountType.FEE_INCOME, currency=advance.currency
        )
        entry_post_within(
            idempotency_key=f"settlement:advance:{advance.pk}:write_off",
            source_type="settlement.advance",
            source_id=str(advance.pk),
            effective_date=timezone.localdate(),
            memo=f"垫付 #{advance.pk} 核销：{reason[:100]} / advance written off",
            postings=[
                PostingSpec(account_id=income.pk, amount=outstanding, currency=advance.currency),
                PostingSpec(account_id=advance.receivable_account_id, amount=-outstanding, currency=advance.currency),
            ],
            actor=actor,
        )
        advance.written_off_minor += outstanding
        advance.state = AdvanceState.WRITTEN_OFF
        advance.closed_at = timezone.now()
        advance.save(update_fields=["written_off_minor", "state", "closed_at"])
        audit_record(
            actor=actor,
            action="settlement.advance_written_off",
            obj=advance,
            organization_id=actor.organization_id,
            changes={"amount_minor": outstanding, "reason": reason[:200]},
        )
    return advance
