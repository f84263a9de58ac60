"""Property-based tests (hypothesis): for any terms and bases the split is exact; for any sequence
of orders, status changes, refunds and runs, the legs of every line sum to its settled basis, the
ledger stays balanced, and each statement's run total equals the movement on its party's account."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from django.core.management import call_command
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuxuan.ledger.models import Posting
from shuxuan.settlement import waterfall
from shuxuan.settlement.models import LineTerms, RunState, SettledLeg, Statement
from shuxuan.settlement.runs import run_create, run_execute

from .conftest import World

fees = st.lists(
    st.builds(
        waterfall.Fee,
        payee_id=st.integers(1, 5),
        kind=st.sampled_from(["colonel", "logistics", "ops_agency"]),
        basis=st.sampled_from([waterfall.PER_UNIT, waterfall.PER_ORDER, waterfall.PERCENT]),
        value=st.integers(0, 300),
    ),
    max_size=3,
)
terms_strategy = st.builds(
    waterfall.Terms,
    full_basis=st.integers(0, 10_000_000),
    quantity=st.integers(1, 20),
    platform_fee_bps=st.integers(0, 1000),
    commission_bps=st.integers(0, 8000),
    mcn_split_bps=st.integers(0, 10_000),
    buyout=st.booleans(),
    operator_margin_bps=st.integers(0, 1500),
    supply_price=st.integers(0, 50_000),
    fees=fees.map(tuple),
)


@given(terms_strategy, st.data())
def test_every_split_sums_exactly_to_its_basis(terms: waterfall.Terms, data: Any) -> None:
    try:
        full = waterfall.full_legs(terms)
    except waterfall.SplitProblem:
        return
    assert sum(full.values()) == terms.full_basis and min(full.values()) >= 0
    basis = data.draw(st.integers(0, terms.full_basis))
    legs = waterfall.legs(terms, basis)
    assert sum(legs.values()) == basis and min(legs.values()) >= 0
    assert waterfall.legs(terms, terms.full_basis) == full
    old = data.draw(st.integers(0, terms.full_basis))
    delta = waterfall.delta(terms, old, basis)
    assert sum(delta.values()) == basis - old
    # Applying the delta to the split at `old` gives the split at `basis`: no fen appears or vanishes.
    at_old = waterfall.legs(terms, old)
    assert {k: at_old[k] + delta.get(k, 0) for k in at_old} == legs


ids = count(1)
line_strategy = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["douyin", "kuaishou"]),
        "pay": st.integers(1, 500_000),
        "quantity": st.integers(1, 5),
        "commission": st.sampled_from(["", "10%", "20%", "35.5%"]),
        "fee": st.sampled_from(["", "2%", "5%"]),
        "status": st.sampled_from(["paid", "confirmed", "settled"]),
        "confirmed_day": st.integers(1, 20),
        # later: a refund (share of the payment, 0 = none) and whether it is total
        "refund_share": st.sampled_from([0, 0, 0, 25, 50, 100]),
    }
)
PRODUCTS = {"douyin": "3600000000000000001", "kuaishou": "ks-jiu-500"}
AUTHORS = {"douyin": "dy_58213907", "kuaishou": "ks_3390217"}


def _row(line: dict[str, Any], order_id: str, *, refund: bool) -> dict[str, str]:
    pay = line["pay"]
    refunded = pay * line["refund_share"] // 100 if refund else 0
    status = "refunded" if refund and refunded == pay else line["status"]
    confirmed = f"2026-11-{line['confirmed_day']:02d} 10:00:00" if line["status"] != "paid" else ""
    return {
        "platform": line["platform"],
        "order_id": order_id,
        "status": status,
        "paid_at": "2026-10-30 20:00:00",
        "pay_amount": f"{pay // 100}.{pay % 100:02d}",
        "quantity": str(line["quantity"]),
        "author_id": AUTHORS[line["platform"]],
        "product_id": PRODUCTS[line["platform"]],
        "commission_rate": line["commission"],
        "service_fee_rate": line["fee"],
        "refund_amount": f"{refunded // 100}.{refunded % 100:02d}" if refunded else "",
        "confirmed_at": confirmed,
        "settled_at": "2026-11-02 00:00:00" if line["status"] == "settled" else "",
    }


def _run(cutoff: date) -> None:
    run = run_create(cutoff=cutoff, actor=None)
    assert run_execute(run_id=run.pk, chunk_lines=3).state == RunState.DONE


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=st.lists(line_strategy, min_size=1, max_size=8), cutoffs=st.lists(st.integers(5, 24), min_size=1, max_size=3))
def test_any_sequence_of_orders_refunds_and_runs_keeps_the_books_exact(
    world: World, lines: list[dict[str, Any]], cutoffs: list[int]
) -> None:
    batch = next(ids)
    orders = [f"P{batch}-{i}" for i in range(len(lines))]
    world.import_lines([_row(line, order, refund=False) for line, order in zip(lines, orders, strict=True)], name=f"p{batch}.csv")
    _run(date(2026, 11, cutoffs[0]))
    world.import_lines([_row(line, order, refund=True) for line, order in zip(lines, orders, strict=True)], name=f"p{batch}r.csv")
    for day in [*cutoffs[1:], 24]:
        _run(date(2026, 11, day))

    # The legs of every line sum to the basis settled for it, which is its final basis.
    for terms in LineTerms.objects.filter(line_id__in=[world.line(o).pk for o in orders]):
        legs = SettledLeg.objects.filter(line_id=terms.line_id).aggregate(t=Sum("amount_minor"))["t"] or 0
        assert legs == terms.settled_basis_minor
    # Each statement's run total is the movement its run made on the party's payable account.
    for statement in Statement.objects.all():
        moved = (
            Posting.objects.filter(
                account_id=statement.account_id, entry__source_type="settlement.run", entry__source_id=str(statement.run_id)
            ).aggregate(t=Sum("amount"))["t"]
            or 0
        )
        assert statement.earnings_minor + statement.clawbacks_minor == -moved
        assert (
            statement.closing_minor
            == statement.opening_minor + statement.earnings_minor + statement.clawbacks_minor + statement.other_minor
        )
    call_command("verify_ledger")
