"""Checks `verify_ledger` runs for settlement: the sub-ledger of settled legs ties to the ledger."""

from __future__ import annotations

from django.db import connection

from shuxuan.parties.facade import parties_relations
from shuxuan.settlement.terms import ORDER_LINES

PARTIES = parties_relations()  # ADR 0017, cross-context SQL


def _first(sql: str) -> tuple | None:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def legs_tie_to_entries() -> str | None:
    """Every account a run credited holds, in that run's entries, exactly minus its legs (platform
    receivables aside: they also carry the basis debit)."""
    row = _first(
        """
        WITH legs AS (
            SELECT g.entry_id, g.account_id, sum(g.amount_minor) AS legs
            FROM settlement_settledleg g GROUP BY g.entry_id, g.account_id
        ), posted AS (
            SELECT p.entry_id, p.account_id, sum(p.amount) AS posted
            FROM ledger_posting p
            WHERE p.entry_id IN (SELECT DISTINCT entry_id FROM settlement_settledleg)
            GROUP BY p.entry_id, p.account_id
        )
        SELECT COALESCE(l.entry_id, p.entry_id), COALESCE(l.account_id, p.account_id),
               COALESCE(l.legs, 0), COALESCE(p.posted, 0)
        FROM legs l FULL JOIN posted p ON p.entry_id = l.entry_id AND p.account_id = l.account_id
        JOIN ledger_account a ON a.id = COALESCE(l.account_id, p.account_id)
        WHERE a.type <> 'platform_receivable' AND COALESCE(l.legs, 0) <> -COALESCE(p.posted, 0)
        LIMIT 1
        """
    )
    if row is None:
        return None
    return f"settlement entry {row[0]}: account {row[1]} has legs {row[2]} but postings {row[3]}"


def settled_basis_is_sum_of_legs() -> str | None:
    """A line's settled basis equals the sum of every leg posted for it (each run's split sums to
    the basis difference it settled)."""
    row = _first(
        """
        SELECT t.line_id, t.settled_basis_minor, COALESCE(s.total, 0)
        FROM settlement_lineterms t
        LEFT JOIN (SELECT line_id, sum(amount_minor) AS total FROM settlement_settledleg GROUP BY line_id) s
          ON s.line_id = t.line_id
        WHERE t.settled_basis_minor <> COALESCE(s.total, 0)
        LIMIT 1
        """
    )
    if row is None:
        return None
    return f"order line {row[0]}: settled basis {row[1]} but its legs sum to {row[2]}"


def no_leg_is_negative() -> str | None:
    """What a line has settled on each leg (the sum of its runs' changes, per kind and payee) is
    never below zero: a split never gives a leg less than nothing (docs/domain.md section 3)."""
    row = _first(
        """
        SELECT line_id, kind, sum(amount_minor) FROM settlement_settledleg
        GROUP BY line_id, kind, payee_org_id, payee_anchor_id, payee_platform
        HAVING sum(amount_minor) < 0
        LIMIT 1
        """
    )
    return None if row is None else f"order line {row[0]}: its {row[1]} leg stands at {row[2]}, below zero"


def legs_reference_what_exists() -> str | None:
    """The legs carry no foreign keys (they are written by COPY, six per line): their run, line,
    payees and accounts must all exist."""
    row = _first(
        f"""
        SELECT g.id, g.run_id, g.line_id FROM settlement_settledleg g
        WHERE NOT EXISTS (SELECT 1 FROM settlement_settlementrun r WHERE r.id = g.run_id)
           OR NOT EXISTS (SELECT 1 FROM {ORDER_LINES} l WHERE l.id = g.line_id)
           OR NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = g.account_id)
           OR (g.payee_org_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {PARTIES.organization} o WHERE o.id = g.payee_org_id))
           OR (g.payee_anchor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {PARTIES.anchor} n WHERE n.id = g.payee_anchor_id))
        LIMIT 1
        """
    )
    return (
        None
        if row is None
        else f"settled leg {row[0]} (run {row[1]}, line {row[2]}) names a run, line, payee or account that does not exist"
    )


def run_totals_tie_to_legs() -> str | None:
    """A run's chunk totals (what statements read) equal its legs: per chunk entry, payee and
    currency, the operator's earnings and clawbacks and the at-source legs, computed from the legs
    as `statements._totals_from_legs` does. (The lines counted and a producer's gross and fees come
    from the same per-shape sums; checking them here needs a distinct count and a per-line window
    over every leg, which made verify_ledger 8.6 → 37.9 s at 1M lines, so a test checks them.)"""
    row = _first(
        f"""
        WITH op AS (SELECT id FROM {PARTIES.organization} WHERE kind = 'operator' ORDER BY id LIMIT 1),
        differences AS (
            -- What the legs give, minus what the chunks wrote: every sum must come to zero.
            SELECT run_id, entry_id, payee_org_id, payee_anchor_id, currency,
                   CASE WHEN settled_by = 'operator' AND amount_minor > 0 THEN amount_minor ELSE 0 END AS earnings,
                   CASE WHEN settled_by = 'operator' AND amount_minor < 0 THEN amount_minor ELSE 0 END AS clawbacks,
                   CASE WHEN settled_by = 'platform' THEN amount_minor ELSE 0 END AS at_source
            FROM settlement_settledleg
            WHERE run_id IN (SELECT id FROM settlement_settlementrun WHERE chunk_totals)
              AND (payee_anchor_id IS NOT NULL OR payee_org_id IS NOT NULL)
              AND payee_org_id IS DISTINCT FROM (SELECT id FROM op)
            UNION ALL
            SELECT run_id, entry_id, payee_org_id, payee_anchor_id, currency, -earnings_minor, -clawbacks_minor,
                   -at_source_minor
            FROM settlement_runtotal
        )
        SELECT run_id, entry_id, payee_org_id, payee_anchor_id FROM differences
        GROUP BY run_id, entry_id, payee_org_id, payee_anchor_id, currency
        HAVING sum(earnings) <> 0 OR sum(clawbacks) <> 0 OR sum(at_source) <> 0
        LIMIT 1
        """
    )
    if row is None:
        return None
    return (
        f"settlement run {row[0]} entry {row[1]}: the chunk's statement totals for payee {row[2] or row[3]} differ from its legs"
    )
