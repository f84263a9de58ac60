"""Matching: each period's bill lines against the ledger's expectation, and the exceptions it finds.

Platform bills (Douyin, Kuaishou, Taobao, WeChat) are matched in SQL, set-based: bill lines and
settled legs are each summed per platform order id (cumulatively up to the end of the period, so
an order settled in phases compares as one), the two sides are full-outer-joined, and every
order with activity in the period gets an outcome, compared leg by leg — gross (settled basis),
platform service fee, commission paid at source, and net. Only the differences are stored as
results; the run records how many groups matched. Bank and Stripe lines are few; they are matched
in Python (cash.py) by the source's rules in priority order: payouts by reference, by batch (one bank line,
many payouts) and by amount and date within tolerances; bank receipts against the platform
settlement documents their 摘要 names (request number). See docs/decisions/0006-reconciliation.md.

A run replaces the period's results for the source as a whole (delete + insert in one
transaction), so re-running is deterministic. Exceptions are upserted by (source, key, reason):
their state, owner and notes survive; an open exception the run no longer finds is `cleared`.
"""

from __future__ import annotations

import time as clock
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.ledger.facade import period_is_closed
from shuxuan.orders.facade import order_line_keys_sql
from shuxuan.reconciliation.cash import match_cash
from shuxuan.reconciliation.models import (
    PLATFORM_SOURCES,
    BillLine,
    MatchResult,
    MatchRule,
    ReconException,
    ReconRun,
    RuleKind,
    Source,
)
from shuxuan.reconciliation.periods import Window, period_window
from shuxuan.settlement.facade import SettledLeg, SettlementRun

DEFAULT_RULES: dict[str, list[tuple[str, int, int]]] = {
    # (kind, amount tolerance in minor units, date tolerance in days), in priority order
    "douyin": [(RuleKind.ORDER_ID, 0, 0)],
    "kuaishou": [(RuleKind.ORDER_ID, 0, 0)],
    "taobao": [(RuleKind.ORDER_ID, 0, 0)],
    "wechat": [(RuleKind.ORDER_ID, 0, 0)],
    "bank": [
        (RuleKind.PAYOUT_REFERENCE, 0, 0),
        (RuleKind.BATCH_REFERENCE, 0, 0),
        (RuleKind.REQUEST_NO, 0, 0),
        (RuleKind.AMOUNT_DATE, 0, 3),
    ],
    "stripe": [(RuleKind.TRANSFER_ID, 0, 0), (RuleKind.AMOUNT_DATE, 0, 2)],
}

# Which legs a source's bill states (WeChat's profit-sharing bill only carries the shares).
COMPARED: dict[str, tuple[bool, bool, bool]] = {  # gross, fee, net
    "douyin": (True, True, True),
    "kuaishou": (True, True, True),
    "taobao": (True, True, True),
    "wechat": (False, False, False),
}


def rules_ensure_defaults(sources: list[str] | None = None) -> None:
    """Create the default rules of each source (all by default) that has none yet."""
    wanted = [source for source in (sources or list(DEFAULT_RULES)) if source in DEFAULT_RULES]
    have = set(MatchRule.objects.filter(source__in=wanted).values_list("source", flat=True).distinct())
    MatchRule.objects.bulk_create(
        [
            MatchRule(source=source, kind=kind, priority=index * 10, amount_tolerance_minor=amount, date_tolerance_days=days)
            for source in wanted
            if source not in have
            for index, (kind, amount, days) in enumerate(DEFAULT_RULES[source], start=1)
        ],
        ignore_conflicts=True,
    )


def rules_for(source: str) -> list[MatchRule]:
    """The source's active rules in priority order; the defaults are created on first use."""
    rules_ensure_defaults([source])
    return list(MatchRule.objects.filter(source=source, active=True).order_by("priority"))


def reconcile(*, period: str, source: str, actor: Any = None) -> ReconRun:
    """Match `source`'s bill lines of `period` against the ledger; idempotent."""
    window = period_window(period)
    if source not in Source.values:
        raise DomainError(f"未知来源 / unknown source {source!r}", field="source")
    if period_is_closed(window.end):
        raise DomainError(f"{period} 已关账，对账结果已冻结 / {period} is closed; reopen it to reconcile again", field="period")
    rules = rules_for(source)
    started = clock.monotonic()
    with transaction.atomic():
        # One reconcile of a source at a time: a second waits, then replaces the first's results.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"reconcile:{source}"])
        MatchResult.objects.filter(period=period, source=source).delete()
        run = ReconRun.objects.create(period=period, source=source, requested_by=actor if getattr(actor, "pk", None) else None)
        counts = _match_platform(run, window, rules) if source in PLATFORM_SOURCES else match_cash(run, window, rules)
        cleared = _refresh_exceptions(run, window, counts.pop("active_keys_table"))
        run.lines, run.groups, run.matched = counts["lines"], counts["groups"], counts["matched"]
        run.exceptions = MatchResult.objects.filter(period=period, source=source).count()
        run.seconds = round(clock.monotonic() - started, 3)
        run.save(update_fields=["lines", "groups", "matched", "exceptions", "seconds"])
        audit_record(
            actor=actor,
            action="reconciliation.reconcile",
            obj=run,
            organization_id=getattr(actor, "organization_id", None),
            changes={
                "period": period,
                "source": source,
                "matched": run.matched,
                "exceptions": run.exceptions,
                "cleared": cleared,
            },
        )
    return run


# Platforms: set-based -------------------------------------------------------------------------

_PLATFORM_SQL = """
DROP TABLE IF EXISTS recon_ledger, recon_bill, recon_cmp, recon_active;

CREATE TEMP TABLE recon_ledger ON COMMIT DROP AS
SELECT ol.platform_order_id AS order_id,
       sum(l.gross)::bigint AS gross, sum(l.fee)::bigint AS fee, sum(l.comm)::bigint AS comm,
       bool_or(l.active) AS active, array_agg(ol.id ORDER BY ol.id) AS line_ids
FROM (
    SELECT leg.line_id,
           sum(leg.amount_minor) AS gross,
           coalesce(sum(leg.amount_minor) FILTER (WHERE leg.kind = 'platform_fee'), 0) AS fee,
           coalesce(sum(leg.amount_minor) FILTER (
               WHERE leg.kind IN ('anchor_commission', 'mcn_share') AND leg.settled_by = 'platform'), 0) AS comm,
           bool_or(run.cutoff >= %(start)s) AS active
    FROM {leg} leg JOIN {run} run ON run.id = leg.run_id
    WHERE run.cutoff <= %(end)s
    GROUP BY leg.line_id
) l
JOIN {line} ol ON ol.id = l.line_id AND ol.platform = %(platform)s
GROUP BY ol.platform_order_id;

CREATE TEMP TABLE recon_bill ON COMMIT DROP AS
SELECT b.order_id,
       count(*) FILTER (WHERE b.copy = 1) AS n,
       coalesce(sum(b.gross_minor) FILTER (WHERE b.copy = 1), 0)::bigint AS gross,
       coalesce(sum(b.fee_minor) FILTER (WHERE b.copy = 1), 0)::bigint AS fee,
       coalesce(sum(b.commission_minor) FILTER (WHERE b.copy = 1), 0)::bigint AS comm,
       coalesce(sum(b.net_minor) FILTER (WHERE b.copy = 1), 0)::bigint AS net,
       bool_and(b.split) AS split,
       bool_or(b.period = %(period)s) AS active,
       array_agg(b.id ORDER BY b.id) FILTER (WHERE b.copy = 1) AS ids,
       count(*) FILTER (WHERE b.copy > 1) AS dups,
       coalesce(sum(b.net_minor) FILTER (WHERE b.copy > 1), 0)::bigint AS dup_net,
       array_agg(b.id ORDER BY b.id) FILTER (WHERE b.copy > 1) AS dup_ids
FROM (
    SELECT id, order_id, period, gross_minor, fee_minor, commission_minor, net_minor,
           coalesce(raw->>'split', 'true') <> 'false' AS split,
           row_number() OVER (
               PARTITION BY order_id, phase, gross_minor, fee_minor, commission_minor, net_minor ORDER BY id
           ) AS copy
    FROM {bill}
    WHERE source = %(source)s AND occurred_on <= %(end)s AND order_id <> ''
) b
GROUP BY b.order_id;

ANALYZE recon_ledger;

ANALYZE recon_bill;

CREATE TEMP TABLE recon_cmp ON COMMIT DROP AS
SELECT c.*, CASE
    WHEN NOT in_bill AND NOT in_ledger THEN NULL
    WHEN NOT in_bill THEN CASE WHEN l_gross = 0 AND l_fee = 0 AND l_comm = 0 THEN 'matched' ELSE 'missing_in_bill' END
    WHEN NOT in_ledger THEN 'missing_in_ledger'
    WHEN %(cmp_gross)s AND abs(b_gross - l_gross) > %(tol)s THEN 'amount_mismatch'
    WHEN %(cmp_fee)s AND split AND abs(b_fee - l_fee) > %(tol)s THEN 'fee_mismatch'
    WHEN %(cmp_fee)s AND NOT split AND abs(b_fee + b_comm - l_fee - l_comm) > %(tol)s THEN 'fee_mismatch'
    WHEN split AND abs(b_comm - l_comm) > %(tol)s THEN 'commission_mismatch'
    WHEN %(cmp_net)s AND abs(b_net - l_net) > %(tol)s THEN 'amount_mismatch'
    ELSE 'matched' END AS outcome
FROM (
    SELECT coalesce(b.order_id, l.order_id) AS order_id,
           b.order_id IS NOT NULL AND b.n > 0 AS in_bill, l.order_id IS NOT NULL AS in_ledger,
           coalesce(b.n, 0) AS n, coalesce(b.gross, 0) AS b_gross, coalesce(b.fee, 0) AS b_fee,
           coalesce(b.comm, 0) AS b_comm, coalesce(b.net, 0) AS b_net, coalesce(b.split, true) AS split,
           coalesce(l.gross, 0) AS l_gross, coalesce(l.fee, 0) AS l_fee, coalesce(l.comm, 0) AS l_comm,
           coalesce(l.gross - l.fee - l.comm, 0) AS l_net,
           coalesce(b.ids, '{{}}') AS ids, coalesce(l.line_ids, '{{}}') AS line_ids,
           coalesce(b.dups, 0) AS dups, coalesce(b.dup_net, 0) AS dup_net, coalesce(b.dup_ids, '{{}}') AS dup_ids
    FROM recon_bill b FULL JOIN recon_ledger l ON l.order_id = b.order_id
    WHERE coalesce(b.active, false) OR coalesce(l.active, false)
) c;

INSERT INTO {result} (period, source, match_key, outcome, rule, currency, bill_lines, bill_line_ids,
    bill_gross_minor, bill_fee_minor, bill_commission_minor, bill_net_minor,
    ledger_gross_minor, ledger_fee_minor, ledger_commission_minor, ledger_net_minor, ledger_refs, difference_minor)
SELECT %(period)s, %(source)s, order_id, outcome, 'order_id', 'CNY', n, to_jsonb(ids),
       b_gross, b_fee, b_comm, b_net, l_gross, l_fee, l_comm, l_net, to_jsonb(line_ids),
       CASE outcome
           WHEN 'fee_mismatch' THEN CASE WHEN split THEN b_fee - l_fee ELSE b_fee + b_comm - l_fee - l_comm END
           WHEN 'commission_mismatch' THEN b_comm - l_comm
           WHEN 'amount_mismatch' THEN
               CASE WHEN %(cmp_gross)s AND b_gross <> l_gross THEN b_gross - l_gross ELSE b_net - l_net END
           WHEN 'missing_in_bill' THEN CASE WHEN %(cmp_net)s THEN -l_net ELSE -l_comm END
           ELSE CASE WHEN %(cmp_net)s THEN b_net ELSE b_comm END
       END
FROM recon_cmp WHERE outcome IS NOT NULL AND outcome <> 'matched'
UNION ALL
SELECT %(period)s, %(source)s, order_id, 'duplicate_in_bill', 'order_id', 'CNY', dups, to_jsonb(dup_ids),
       0, 0, 0, dup_net, 0, 0, 0, 0, '[]'::jsonb, CASE WHEN %(cmp_net)s THEN dup_net ELSE 0 END
FROM recon_cmp WHERE dups > 0;

CREATE TEMP TABLE recon_active ON COMMIT DROP AS SELECT order_id AS match_key FROM recon_cmp;
"""


def _match_platform(run: ReconRun, window: Window, rules: list[MatchRule]) -> dict[str, Any]:
    rule = next((r for r in rules if r.kind == RuleKind.ORDER_ID), None)
    if rule is None:
        raise DomainError(f"{run.source} 没有启用的按订单号规则 / no active order-id rule for {run.source}", field="rules")
    cmp_gross, cmp_fee, cmp_net = COMPARED[run.source]
    sql = _PLATFORM_SQL.format(
        leg=SettledLeg._meta.db_table,
        run=SettlementRun._meta.db_table,
        line=order_line_keys_sql(),
        bill=BillLine._meta.db_table,
        result=MatchResult._meta.db_table,
    )
    params: dict[str, Any] = {
        "start": window.start,
        "end": window.end,
        "period": window.period,
        "source": run.source,
        "platform": run.source,
        "tol": rule.amount_tolerance_minor,
        "cmp_gross": cmp_gross,
        "cmp_fee": cmp_fee,
        "cmp_net": cmp_net,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for statement in [s for s in sql.split(";\n") if s.strip()]:
            cursor.execute(statement, params)
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE outcome = 'matched') FROM recon_cmp WHERE outcome IS NOT NULL")
        groups, matched = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM {BillLine._meta.db_table} WHERE source = %s AND period = %s", [run.source, window.period]
        )
        (lines,) = cursor.fetchone()
    return {"lines": lines, "groups": groups, "matched": matched, "active_keys_table": "recon_active"}


# Bank and Stripe: payouts ---------------------------------------------------------------------

_EXCEPTIONS_SQL = """
INSERT INTO {exc} (source, match_key, reason, period, last_period, currency, bill_net_minor, ledger_net_minor,
    difference_minor, detail, state, resolution, resolution_note, expected_period, first_seen_at, last_run_id)
SELECT source, match_key, outcome, period, period, currency, bill_net_minor, ledger_net_minor, difference_minor,
       jsonb_build_object(
           'bill', jsonb_build_object('lines', bill_lines, 'gross', bill_gross_minor, 'fee', bill_fee_minor,
                                      'commission', bill_commission_minor, 'net', bill_net_minor, 'ids', bill_line_ids),
           'ledger', jsonb_build_object('gross', ledger_gross_minor, 'fee', ledger_fee_minor,
                                        'commission', ledger_commission_minor, 'net', ledger_net_minor, 'refs', ledger_refs),
           'rule', rule),
       'open', '', '', '', %(now)s, %(run)s
FROM {result} WHERE period = %(period)s AND source = %(source)s AND outcome <> 'matched'
ON CONFLICT (source, match_key, reason) DO UPDATE SET
    last_period = GREATEST({exc}.last_period, EXCLUDED.last_period),
    bill_net_minor = EXCLUDED.bill_net_minor,
    ledger_net_minor = EXCLUDED.ledger_net_minor,
    difference_minor = EXCLUDED.difference_minor,
    detail = EXCLUDED.detail,
    last_run_id = EXCLUDED.last_run_id,
    state = CASE WHEN {exc}.state = 'cleared' THEN 'open' ELSE {exc}.state END,
    resolved_at = CASE WHEN {exc}.state = 'cleared' THEN NULL ELSE {exc}.resolved_at END;

UPDATE {exc} e SET state = 'cleared', resolved_at = %(now)s
FROM {active} a
WHERE a.match_key = e.match_key AND e.source = %(source)s AND e.state = 'open' AND e.last_period <= %(period)s
  AND e.last_run_id IS DISTINCT FROM %(run)s
"""


def _refresh_exceptions(run: ReconRun, window: Window, active_table: str) -> int:
    sql = _EXCEPTIONS_SQL.format(exc=ReconException._meta.db_table, result=MatchResult._meta.db_table, active=active_table)
    insert, clear = sql.split(";\n")
    params: dict[str, Any] = {"period": window.period, "source": run.source, "now": timezone.now(), "run": run.pk}
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
        cursor.execute(f"ANALYZE {active_table}")  # a temp table has no statistics until analysed
        cursor.execute(clear, params)
        return int(cursor.rowcount)
