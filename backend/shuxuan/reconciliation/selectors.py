"""Reads of reconciliation: the status board, an exception's two sides, the close report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from shuxuan.ledger.facade import trial_balance
from shuxuan.orders.facade import OrderLine
from shuxuan.reconciliation.models import (
    PLATFORM_SOURCES,
    UNRESOLVED_STATES,
    BillLine,
    ExceptionState,
    MatchResult,
    Outcome,
    PeriodClose,
    ReconException,
    ReconRun,
    Source,
)
from shuxuan.reconciliation.periods import Window, period_window
from shuxuan.reconciliation.thresholds import close_threshold
from shuxuan.settlement.facade import SettledLeg, SettlementRun

AGING_BUCKETS = ((0, 7, "0-7"), (8, 30, "8-30"), (31, 60, "31-60"), (61, None, "60+"))
# The home's "over 30 days": the last two buckets together, one filter of the queue.
OVER_30 = "31+"
CARRIED_STATES = (*UNRESOLVED_STATES, ExceptionState.TIMING, ExceptionState.DISPUTED)


def exceptions_queryset() -> QuerySet[ReconException]:
    return ReconException.objects.select_related("owner", "requested_by", "approved_by").prefetch_related("notes")


def age_condition(label: str) -> Q:
    """Exceptions first seen within an aging bucket ("0-7", "8-30", "31-60", "60+" days), or
    more than 30 days ago (OVER_30)."""
    if label == OVER_30:
        return Q(first_seen_at__lte=timezone.now() - timedelta(days=31))
    for low, high, name in AGING_BUCKETS:
        if name == label:
            now = timezone.now()
            condition = Q(first_seen_at__lte=now - timedelta(days=low))
            if high is not None:
                condition &= Q(first_seen_at__gt=now - timedelta(days=high + 1))
            return condition
    raise ValueError(f"unknown aging bucket {label!r}")


def aging(exceptions: QuerySet[ReconException]) -> dict[str, int]:
    return {label: exceptions.filter(age_condition(label)).count() for _low, _high, label in AGING_BUCKETS}


def status_board(*, period: str) -> dict[str, Any]:
    """Per source: bill lines of the period, groups compared, matched %, exceptions by reason and
    aging of the unresolved ones; the board of the finance workbench."""
    window = period_window(period)
    lines = dict(BillLine.objects.filter(period=period).values("source").annotate(n=Count("id")).values_list("source", "n"))
    by_reason: dict[str, dict[str, int]] = {}
    for row in MatchResult.objects.filter(period=period).values("source", "outcome").annotate(n=Count("id")):
        by_reason.setdefault(row["source"], {})[row["outcome"]] = row["n"]
    settled = platforms_settled_in(window)
    sources = []
    for source in Source.values:
        run = ReconRun.objects.filter(period=period, source=source).order_by("-id").first()
        unresolved = unresolved_exceptions(period=period).filter(source=source)
        sources.append(
            {
                "source": source,
                "lines": lines.get(source, 0),
                "reconciled_at": run.created_at if run else None,
                "groups": run.groups if run else 0,
                "matched": run.matched if run else 0,
                "matched_pct": round(100 * run.matched / run.groups, 2) if run and run.groups else None,
                "exceptions_by_reason": by_reason.get(source, {}),
                "unresolved": unresolved.count(),
                "unresolved_amount_minor": int(unresolved.aggregate(s=Sum("difference_minor"))["s"] or 0),
                "aging": aging(unresolved),
                "settled": source in settled,
                "bill_missing": source in settled and not lines.get(source, 0),
            }
        )
    close = PeriodClose.objects.filter(period=period).first()
    return {
        "period": period,
        "start": window.start,
        "end": window.end,
        "closed": bool(close and close.state == "closed"),
        "close_threshold_minor": close_threshold(),
        "sources": sources,
    }


def unresolved_q(*, period: str) -> Q:
    """Open or awaiting approval, of this period or before: what the board counts per source."""
    return Q(state__in=UNRESOLVED_STATES, period__lte=period)


def unresolved_exceptions(*, period: str) -> QuerySet[ReconException]:
    return ReconException.objects.filter(unresolved_q(period=period))


def close_checklist(*, period: str) -> dict[str, Any]:
    """The close page's checklist from the same board: every source with bill lines reconciled,
    no bill missing, no unresolved exception, none waiting for a second approval (a warning)."""
    board = status_board(period=period)
    sources = board["sources"]
    with_lines = [s for s in sources if s["lines"] > 0]
    reconciled = [s for s in with_lines if s["reconciled_at"]]
    missing = [s["source"] for s in sources if s["bill_missing"]]
    unresolved = sum(s["unresolved"] for s in sources)
    pending = ReconException.objects.filter(state=ExceptionState.PENDING_APPROVAL).count()
    return {
        "period": period,
        "closed": board["closed"],
        "items": [
            {
                "key": "reconciled",
                "ok": "ok" if len(reconciled) == len(with_lines) else "fail",
                "count": len(reconciled),
                "total": len(with_lines),
                "sources": [],
            },
            {"key": "bills", "ok": "fail" if missing else "ok", "count": len(missing), "total": len(missing), "sources": missing},
            {"key": "blocking", "ok": "fail" if unresolved else "ok", "count": unresolved, "total": unresolved, "sources": []},
            {"key": "pending", "ok": "warn" if pending else "ok", "count": pending, "total": pending, "sources": []},
        ],
    }


def platforms_settled_in(window: Window) -> set[str]:
    """The sales platforms with order lines settled by a run whose cut-off falls in the window."""
    runs = SettlementRun.objects.filter(cutoff__gte=window.start, cutoff__lte=window.end).values("id")
    return {
        platform
        for platform in PLATFORM_SOURCES
        if SettledLeg.objects.filter(
            run_id__in=runs, line_id__in=OrderLine.objects.filter(platform=platform).values("id")
        ).exists()
    }


def missing_bills(*, period: str) -> list[str]:
    """Platforms that had lines settled in the period but no bill line imported for it: the close
    cannot tie the ledger to a bill that is not there."""
    window = period_window(period)
    settled = platforms_settled_in(window)
    billed = set(BillLine.objects.filter(period=period, source__in=settled).values_list("source", flat=True).distinct())
    return sorted(settled - billed)


def matched_history(*, periods: int = 12) -> list[dict[str, Any]]:
    """The latest run of each period and source, newest periods first: matched % over time."""
    latest = (
        ReconRun.objects.order_by("period", "source", "-id")
        .distinct("period", "source")
        .values("period", "source", "lines", "groups", "matched", "exceptions")
    )
    rows = sorted(latest, key=lambda row: (row["period"], row["source"]), reverse=True)
    kept = sorted({row["period"] for row in rows}, reverse=True)[:periods]
    return [
        {**row, "matched_pct": round(100 * row["matched"] / row["groups"], 2) if row["groups"] else None}
        for row in rows
        if row["period"] in kept
    ]


def exception_sides(exception: ReconException) -> dict[str, Any]:
    """The bill lines behind an exception and the ledger side (order lines and their legs)."""
    detail = exception.detail or {}
    bill_ids = (detail.get("bill") or {}).get("ids") or []
    refs = (detail.get("ledger") or {}).get("refs") or []
    bill = list(
        BillLine.objects.filter(pk__in=bill_ids).values(
            "id",
            "natural_key",
            "line_no",
            "occurred_on",
            "order_id",
            "request_no",
            "reference",
            "phase",
            "gross_minor",
            "fee_minor",
            "commission_minor",
            "net_minor",
            "currency",
        )
    )
    ledger: list[dict[str, Any]] = []
    if exception.source in PLATFORM_SOURCES and refs:
        lines = {line.pk: line for line in OrderLine.objects.filter(pk__in=refs)}
        for leg in SettledLeg.objects.filter(line_id__in=refs).order_by("line_id", "run_id", "id"):
            line = lines.get(leg.line_id)
            ledger.append(
                {
                    "line_id": leg.line_id,
                    "order_id": line.platform_order_id if line else "",
                    "run": leg.run_id,
                    "kind": leg.kind,
                    "settled_by": leg.settled_by,
                    "amount_minor": leg.amount_minor,
                    "entry_id": leg.entry_id,
                    "currency": leg.currency,
                }
            )
    else:
        ledger = [{"payout_id": ref} for ref in refs]
    return {"bill": bill, "ledger": ledger}


def carried_forward(*, period: str) -> QuerySet[ReconException]:
    """Exceptions of this period or before that are still open, pending, disputed or timing."""
    return exceptions_queryset().filter(period__lte=period, state__in=CARRIED_STATES).order_by("source", "id")


def blocking_exceptions(*, period: str) -> QuerySet[ReconException]:
    threshold = close_threshold()
    return ReconException.objects.filter(period__lte=period, state__in=UNRESOLVED_STATES).filter(
        Q(difference_minor__gt=threshold) | Q(difference_minor__lt=-threshold)
    )


def stock_summary(*, period: str) -> dict[str, Any]:
    from shuxuan.supply.facade import stock_report

    window = period_window(period)
    rows = stock_report(date_from=window.start, date_to=window.end)
    totals: dict[str, dict[str, int]] = {}
    out_rows = []
    for row in rows:
        bucket = totals.setdefault(
            row.ownership, {"opening": 0, "purchased": 0, "sold": 0, "sampled": 0, "returned": 0, "adjusted": 0, "closing": 0}
        )
        for name in bucket:
            bucket[name] += int(getattr(row, name).value)
        out_rows.append(
            {
                "sku_code": row.sku_code,
                "name": row.name,
                "owner": row.owner_name,
                "ownership": row.ownership,
                **{
                    f"{name}_qty": int(getattr(row, name).quantity)
                    for name in ("opening", "purchased", "sold", "sampled", "returned", "adjusted", "closing")
                },
                **{
                    f"{name}_minor": int(getattr(row, name).value)
                    for name in ("opening", "purchased", "sold", "sampled", "returned", "adjusted", "closing")
                },
            }
        )
    return {"rows": out_rows, "totals": totals}


def close_report(*, period: str) -> dict[str, Any]:
    """Trial balance at the period's end, the 进销存 summary, reconciliation per source and the
    exceptions carried forward. A closed period reports its snapshot's trial balance."""
    window = period_window(period)
    close = PeriodClose.objects.filter(period=period).first()
    balance = trial_balance(as_of=window.end)
    board = status_board(period=period)
    carried = [
        {
            "id": e.pk,
            "source": e.source,
            "key": e.match_key,
            "reason": e.reason,
            "state": e.state,
            "period": e.period,
            "difference_minor": e.difference_minor,
            "currency": e.currency,
            "owner": e.owner.username if e.owner else "",
            "expected_period": e.expected_period,
        }
        for e in carried_forward(period=period)[:5000]
    ]
    return {
        "period": period,
        "end": window.end,
        "state": close.state if close else "open",
        "closed_at": close.closed_at if close else None,
        "override_reason": close.override_reason if close else "",
        "trial_balance": [
            {"code": line.code, "name": line.name, "type": line.type, "currency": line.currency, "balance_minor": line.balance}
            for line in balance.lines
        ],
        "trial_balance_totals": balance.totals,
        "stock": stock_summary(period=period),
        "reconciliation": board["sources"],
        "carried_forward": carried,
        "outcomes": [o.value for o in Outcome],
    }
