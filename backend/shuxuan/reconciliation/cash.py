"""Matching bank and Stripe lines, in Python by the source's rules in priority order: payouts by
reference, by batch (one bank line, many payouts) and by amount and date within tolerances; bank
receipts against the platform settlement documents their 摘要 names (request number); Stripe's
charges and refunds against brand charges. Matched remittances post the cash received. The
platform bills are matched in SQL (matching.py), which runs both and refreshes the exceptions.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from shuxuan.ledger.facade import AccountType, PostingSpec, account_get_or_create, entry_post_within, period_is_closed
from shuxuan.parties.facade import operator_organization_id_or_none
from shuxuan.payments.facade import BrandCharge, ChargeState
from shuxuan.reconciliation.models import (
    PLATFORM_SOURCES,
    BillLine,
    MatchResult,
    MatchRule,
    Outcome,
    ReconRun,
    RuleKind,
    Source,
)
from shuxuan.reconciliation.periods import Window
from shuxuan.settlement.facade import Payout, PayoutState, Rail

_BATCH_RE = re.compile(r"(?:payout-batch[:\-#]?|批次|批量代发)\s*(\d+)", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[A-Za-z0-9_:\-]+")


def _payout_day(payout: Payout) -> date:
    return timezone.localtime(payout.updated_at).date()


def match_cash(run: ReconRun, window: Window, rules: list[MatchRule]) -> dict[str, Any]:
    """Bank or Stripe lines against payouts (money out) and, for the bank, platform remittances
    (money in, by the settlement request number in the 摘要). Figures are signed cash movements:
    the bill side is the line's amount, the ledger side minus the payouts (or plus the platform
    bill lines' net) it is matched with."""
    lines, charge_lines = _cash_lines(run, window)
    widest = max([r.date_tolerance_days for r in rules] or [0])
    payouts = _payouts_near(run, window, widest_tolerance_days=widest)
    remitted, platform_of = _remitted_requests(lines)
    matching = _PayoutMatching(run.source, window, payouts, remitted, platform_of)
    unmatched = [line for line in lines if not matching.match_line(line, rules)]
    for line in unmatched:
        matching.record(f"line:{line.natural_key}", Outcome.MISSING_IN_LEDGER, "", line, 0, [])
    for payout in payouts:
        if payout.pk not in matching.used and window.start <= _payout_day(payout) <= window.end:
            matching.record(f"payout:{payout.pk}", Outcome.MISSING_IN_BILL, "", None, -payout.amount_minor, [payout.pk])
    if charge_lines:
        _match_charges(charge_lines, window, rules, matching.record)
    _post_remittances(matching.remittances)
    return _store_cash_results(run, window, matching.results)


def _cash_lines(run: ReconRun, window: Window) -> tuple[list[BillLine], list[BillLine]]:
    """The period's lines to match against payouts and remittances, and (Stripe) the brand charges'."""
    lines = list(BillLine.objects.filter(source=run.source, period=window.period).order_by("occurred_on", "id"))
    charge_lines: list[BillLine] = []
    if run.source == Source.STRIPE:
        # Transfers to connected accounts are payouts; charges and refunds are brand charges
        # (matched below); Stripe's fees and its own payouts to the bank are not reconciled here.
        charge_lines = [line for line in lines if line.kind in CHARGE_KINDS or line.kind in REFUND_KINDS]
        lines = [line for line in lines if line.kind in ("transfer", "transfer_reversal") or line.reference.startswith("tr_")]
    return lines, charge_lines


def _payouts_near(run: ReconRun, window: Window, *, widest_tolerance_days: int) -> list[Payout]:
    """Sent or paid payouts of the run's rail, from the widest date tolerance before the period to its end."""
    rail = Rail.BANK if run.source == Source.BANK else Rail.STRIPE
    start = window.start - timedelta(days=widest_tolerance_days)
    shanghai_start = timezone.make_aware(datetime.combine(start, time.min))
    shanghai_end = timezone.make_aware(datetime.combine(window.end + timedelta(days=1), time.min))
    return list(
        Payout.objects.filter(
            rail=rail,
            state__in=[PayoutState.SENT, PayoutState.PAID],
            updated_at__gte=shanghai_start,
            updated_at__lt=shanghai_end,
        ).order_by("id")
    )


def _remitted_requests(lines: list[BillLine]) -> tuple[dict[str, list[tuple[int, int]]], dict[int, str]]:
    """Remittances: the platforms' settlement documents named in receipts' references, as
    request number -> [(bill line id, net)], and each such line's platform."""
    tokens = {token for line in lines if line.net_minor > 0 for token in _TOKEN_RE.findall(line.reference)}
    remitted: dict[str, list[tuple[int, int]]] = {}
    platform_of: dict[int, str] = {}
    for request_no, pk, net, platform in BillLine.objects.filter(source__in=PLATFORM_SOURCES, request_no__in=tokens).values_list(
        "request_no", "pk", "net_minor", "source"
    ):
        remitted.setdefault(request_no, []).append((pk, net))
        platform_of[pk] = platform
    return remitted, platform_of


@dataclass
class _PayoutMatching:
    """One run's matching of cash lines: the payouts and remittances they may match, what was taken
    so far (a payout or a request matched twice is a duplicate in the bill), and the results."""

    source: str
    window: Window
    payouts: list[Payout]
    remitted: dict[str, list[tuple[int, int]]]
    platform_of: dict[int, str]
    by_ref: dict[str, Payout] = field(default_factory=dict)
    by_batch: dict[int, list[Payout]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    used_requests: set[str] = field(default_factory=set)
    results: list[MatchResult] = field(default_factory=list)
    remittances: list[tuple[BillLine, dict[str, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for payout in self.payouts:
            self.by_ref[payout.idempotency_key] = payout
            if payout.external_id:
                self.by_ref[payout.external_id] = payout
        for payout in self.payouts:
            if payout.batch_id:
                self.by_batch.setdefault(payout.batch_id, []).append(payout)

    def record(self, key: str, outcome: str, rule: str, line: BillLine | None, expected: int, refs: list[int]) -> None:
        bill_net = line.net_minor if line else 0
        self.results.append(
            MatchResult(
                period=self.window.period,
                source=self.source,
                match_key=key,
                outcome=outcome,
                rule=rule,
                currency=line.currency if line else "CNY",
                bill_lines=1 if line else 0,
                bill_line_ids=[line.pk] if line else [],
                bill_gross_minor=bill_net,
                bill_net_minor=bill_net,
                ledger_gross_minor=expected,
                ledger_net_minor=expected,
                ledger_refs=refs,
                difference_minor=bill_net - expected,
            )
        )

    def match_line(self, line: BillLine, rules: list[MatchRule]) -> bool:
        """The first rule that finds the line's counterpart records the match; False when none does."""
        for rule in rules:
            if rule.kind == RuleKind.REQUEST_NO and line.net_minor > 0:
                if self._match_remittance(line, rule):
                    return True
                continue
            if line.net_minor >= 0 and self.source == Source.BANK:
                continue  # payout rules read money out
            candidates, key = self._candidates(line, rule)
            if candidates:
                self._take_payouts(line, rule, candidates, key)
                return True
        return False

    def _match_remittance(self, line: BillLine, rule: MatchRule) -> bool:
        """Money in naming platform settlement documents: their bill lines' net is what was expected."""
        requests = sorted({t for t in _TOKEN_RE.findall(line.reference) if t in self.remitted})
        if not requests:
            return False
        key = "request:" + "+".join(requests)
        if self.used_requests.intersection(requests):
            self.record(f"{key}:line:{line.natural_key}", Outcome.DUPLICATE_IN_BILL, rule.kind, line, 0, [])
            return True
        self.used_requests.update(requests)
        parts = [part for request in requests for part in self.remitted[request]]
        expected = sum(net for _, net in parts)
        outcome = Outcome.MATCHED if abs(expected - line.net_minor) <= rule.amount_tolerance_minor else Outcome.AMOUNT_MISMATCH
        self.record(key, outcome, rule.kind, line, expected, [pk for pk, _ in parts])
        if expected == line.net_minor:
            by_platform: dict[str, int] = {}
            for pk, net in parts:
                by_platform[self.platform_of[pk]] = by_platform.get(self.platform_of[pk], 0) + net
            self.remittances.append((line, by_platform))
        return True

    def _candidates(self, line: BillLine, rule: MatchRule) -> tuple[list[Payout], str]:
        """The payouts `rule` finds for a line of money out, and the match key; none, ""."""
        if rule.kind in (RuleKind.PAYOUT_REFERENCE, RuleKind.TRANSFER_ID):
            for token in [line.reference, line.request_no, *_TOKEN_RE.findall(line.reference)]:
                referenced = self.by_ref.get(token)
                if referenced is not None:
                    return [referenced], f"payout:{referenced.pk}"
        elif rule.kind == RuleKind.BATCH_REFERENCE:
            found = _BATCH_RE.search(line.reference)
            if found and int(found.group(1)) in self.by_batch:
                return self.by_batch[int(found.group(1))], f"batch:{found.group(1)}"
        elif rule.kind == RuleKind.AMOUNT_DATE:
            for payout in self.payouts:
                if (
                    payout.pk not in self.used
                    and payout.currency == line.currency
                    and abs(payout.amount_minor + line.net_minor) <= rule.amount_tolerance_minor
                    and abs((_payout_day(payout) - line.occurred_on).days) <= rule.date_tolerance_days
                ):
                    return [payout], f"payout:{payout.pk}"
        return [], ""

    def _take_payouts(self, line: BillLine, rule: MatchRule, candidates: list[Payout], key: str) -> None:
        if any(p.pk in self.used for p in candidates):
            self.record(f"{key}:line:{line.natural_key}", Outcome.DUPLICATE_IN_BILL, rule.kind, line, 0, [])
            return
        self.used.update(p.pk for p in candidates)
        expected = -sum(p.amount_minor for p in candidates)
        outcome = Outcome.MATCHED if abs(expected - line.net_minor) <= rule.amount_tolerance_minor else Outcome.AMOUNT_MISMATCH
        self.record(key, outcome, rule.kind, line, expected, [p.pk for p in candidates])


def _store_cash_results(run: ReconRun, window: Window, results: list[MatchResult]) -> dict[str, Any]:
    """Write the results other than matches, and the run's keys for the exceptions refresh."""
    matched_count = sum(1 for r in results if r.outcome == Outcome.MATCHED)
    MatchResult.objects.bulk_create([r for r in results if r.outcome != Outcome.MATCHED])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS recon_active")
        cursor.execute("CREATE TEMP TABLE recon_active (match_key text) ON COMMIT DROP")
        if results:
            cursor.executemany("INSERT INTO recon_active VALUES (%s)", [(r.match_key,) for r in results])
    total = BillLine.objects.filter(source=run.source, period=window.period).count()
    return {"lines": total, "groups": len(results), "matched": matched_count, "active_keys_table": "recon_active"}


CHARGE_KINDS = ("charge", "payment")
REFUND_KINDS = ("refund", "payment_refund")


def _match_charges(lines: list[BillLine], window: Window, rules: list[MatchRule], record: Any) -> None:
    """Stripe's charge and refund lines against what brands paid (slot fees, service fees, sample
    shipping). A refund names its refund id (re_…), which the charge stores; a charge is matched by
    gross amount and currency within the amount-and-date rule's window (its ch_ id is not kept).
    Brand charges paid in the period that no line shows are missing in the bill."""
    date_rule = next((r for r in rules if r.kind == RuleKind.AMOUNT_DATE), None)
    days = date_rule.date_tolerance_days if date_rule else 2
    tolerance = date_rule.amount_tolerance_minor if date_rule else 0
    start = timezone.make_aware(datetime.combine(window.start - timedelta(days=days), time.min))
    end = timezone.make_aware(datetime.combine(window.end + timedelta(days=days + 1), time.min))
    paid = list(
        BrandCharge.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .exclude(state__in=[ChargeState.REQUIRES_PAYMENT, ChargeState.FAILED])
        .order_by("paid_at", "id")
    )
    refunds = {c.refund_id: c for c in BrandCharge.objects.filter(refund_id__in=[line.reference for line in lines])}
    used: set[int] = set()
    for line in lines:
        if line.kind in REFUND_KINDS:
            charge = refunds.get(line.reference)
            if charge is None:
                record(f"stripe-refund:{line.natural_key}", Outcome.MISSING_IN_LEDGER, "", line, 0, [])
            else:
                expected = -charge.amount_minor
                outcome = Outcome.MATCHED if abs(line.gross_minor - expected) <= tolerance else Outcome.AMOUNT_MISMATCH
                record(f"charge-refund:{charge.pk}", outcome, RuleKind.TRANSFER_ID, line, expected, [charge.pk])
            continue
        found = next(
            (
                c
                for c in paid
                if c.pk not in used
                and c.currency == line.currency
                and abs(c.amount_minor - line.gross_minor) <= tolerance
                and c.paid_at is not None
                and abs((timezone.localtime(c.paid_at).date() - line.occurred_on).days) <= days
            ),
            None,
        )
        if found is None:
            record(f"stripe-charge:{line.natural_key}", Outcome.MISSING_IN_LEDGER, "", line, 0, [])
            continue
        used.add(found.pk)
        record(f"charge:{found.pk}", Outcome.MATCHED, RuleKind.AMOUNT_DATE, line, found.amount_minor, [found.pk])
    for charge in paid:
        if (
            charge.pk not in used
            and charge.paid_at is not None
            and window.start <= timezone.localtime(charge.paid_at).date() <= window.end
        ):
            record(f"charge:{charge.pk}", Outcome.MISSING_IN_BILL, "", None, charge.amount_minor, [charge.pk])


def _post_remittances(remittances: list[tuple[BillLine, dict[str, int]]]) -> None:
    """A bank receipt that pays exactly the platform settlements it names is the platform's cash
    arriving: Dr the operator's cash, Cr each platform's receivable (which the settlement runs
    debited with the basis and credited with what the platform kept). Idempotent per bank line;
    a receipt that does not match exactly waits for its exception's resolution instead."""
    if not remittances:
        return
    operator_id = operator_organization_id_or_none()
    if operator_id is None:
        return
    for line, by_platform in remittances:
        if period_is_closed(line.occurred_on):
            continue
        cash = account_get_or_create(organization_id=operator_id, type=AccountType.CASH, currency=line.currency)
        postings = [PostingSpec(account_id=cash.pk, amount=line.net_minor, currency=line.currency)]
        for platform, amount in sorted(by_platform.items()):
            receivable = account_get_or_create(platform=platform, type=AccountType.PLATFORM_RECEIVABLE, currency=line.currency)
            postings.append(PostingSpec(account_id=receivable.pk, amount=-amount, currency=line.currency))
        entry_post_within(
            idempotency_key=f"reconciliation:remittance:{line.pk}",
            source_type="reconciliation.remittance",
            source_id=str(line.pk),
            effective_date=line.occurred_on,
            memo=f"平台回款 {line.reference[:80]} / platform remittance",
            postings=postings,
        )


# Exceptions -------------------------------------------------------------------------------------
