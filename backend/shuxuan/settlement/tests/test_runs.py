"""Settlement runs on real PostgreSQL: hand-checked splits, idempotence, clawbacks, resumption."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from shuxuan.ledger.facade import AccountType, account_balance, account_get_or_create
from shuxuan.settlement.models import LineTerms, RunState, SettledLeg, SettlementPhase, SettlementRun, Statement
from shuxuan.settlement.runs import run_create, run_execute

from .conftest import World

CUTOFF = date(2026, 11, 10)

D1 = {
    "platform": "douyin",
    "order_id": "D1",
    "status": "confirmed",
    "paid_at": "2026-10-28 20:15:00",
    "pay_amount": "299.00",
    "quantity": "1",
    "author_id": "dy_58213907",
    "product_id": "3600000000000000001",
    "commission_rate": "20%",
    "service_fee_rate": "5%",
    "confirmed_at": "2026-11-01 10:00:00",
}


def settle(cutoff: date = CUTOFF, **kwargs: Any) -> SettlementRun:
    run = run_create(cutoff=cutoff, actor=None)
    return run_execute(run_id=run.pk, **kwargs)


def legs_of(order: str, world: World) -> dict[str, int]:
    line = world.line(order)
    out: dict[str, int] = {}
    for kind, amount in SettledLeg.objects.filter(line_id=line.pk).values_list("kind", "amount_minor"):
        out[kind] = out.get(kind, 0) + amount
    return out


def payable(world: World, org: Any) -> int:
    account = account_get_or_create(organization_id=org.pk, type=AccountType.PAYABLE_TO_PARTY)
    return -account_balance(account_id=account.pk)


def test_a_confirmed_line_past_the_window_settles_into_hand_checked_legs(world: World) -> None:
    world.import_lines([D1])
    run = settle()
    assert run.state == RunState.DONE, run.error
    # P = 29900: platform fee 5% = 1495; commission 20% = 5980, of which MCN 30% = 1794 and the
    # anchor 4186 (both paid by Douyin at source); operator margin 5% = 1495; producer residual 20930.
    assert legs_of("D1", world) == {
        "platform_fee": 1495,
        "anchor_commission": 4186,
        "mcn_share": 1794,
        "operator_margin": 1495,
        "producer": 20930,
    }
    receivable = account_get_or_create(platform="douyin", type=AccountType.PLATFORM_RECEIVABLE)
    # Douyin keeps its fee and pays the commission itself: it owes the shop 29900 - 1495 - 5980.
    assert account_balance(account_id=receivable.pk) == 22425
    assert payable(world, world.brand) == 20930
    brand = Statement.objects.get(run=run, organization=world.brand)
    assert (brand.opening_minor, brand.earnings_minor, brand.clawbacks_minor, brand.closing_minor) == (0, 20930, 0, 20930)
    anchor = Statement.objects.get(run=run, anchor=world.anchor)
    assert (anchor.earnings_minor, anchor.at_source_minor, anchor.closing_minor) == (0, 4186, 0)
    assert run.lines_settled == 1
    call_command("verify_ledger")


def test_the_same_cutoff_twice_settles_nothing_twice(world: World) -> None:
    world.import_lines([D1])
    settle()
    second = settle()
    assert second.state == RunState.DONE
    assert second.lines_settled == 0
    assert SettledLeg.objects.filter(run=second).count() == 0
    assert Statement.objects.filter(run=second).count() == 0
    assert payable(world, world.brand) == 20930


def test_a_line_inside_the_after_sale_window_waits(world: World) -> None:
    world.import_lines([D1 | {"confirmed_at": "2026-11-05 10:00:00"}])
    assert settle().lines_settled == 0  # 11-05 + 7 days = 11-12, after the cut-off
    assert settle(date(2026, 11, 12)).lines_settled == 1


def test_the_platform_saying_settled_makes_a_line_settleable_at_once(world: World) -> None:
    world.import_lines([D1 | {"status": "settled", "confirmed_at": "2026-11-09 10:00:00", "settled_at": "2026-11-09 12:00:00"}])
    assert settle().lines_settled == 1


def test_a_partial_refund_before_settlement_reduces_every_leg_proportionally(world: World) -> None:
    world.import_lines([D1 | {"refund_amount": "99.00"}])
    settle()
    legs = legs_of("D1", world)
    assert sum(legs.values()) == 20000
    # Each leg is its full-basis leg × 20000/29900, rounded half-up; the producer takes the residue.
    assert legs == {
        "platform_fee": 1000,
        "anchor_commission": 2800,
        "mcn_share": 1200,
        "operator_margin": 1000,
        "producer": 14000,
    }


def test_a_refund_after_settlement_is_a_clawback_in_the_next_run_and_the_balance_carries(world: World) -> None:
    world.import_lines([D1])
    settle()
    world.import_lines([D1 | {"status": "refunded", "refund_amount": "299.00"}], name="refund.csv")
    run = settle(date(2026, 11, 11))
    assert run.lines_clawed_back == 1
    # Every leg posted in the first run is taken back in full.
    assert legs_of("D1", world) == dict.fromkeys(
        ("platform_fee", "anchor_commission", "mcn_share", "operator_margin", "producer"), 0
    )
    brand = Statement.objects.get(run=run, organization=world.brand)
    assert (brand.opening_minor, brand.clawbacks_minor, brand.closing_minor) == (20930, -20930, 0)
    receivable = account_get_or_create(platform="douyin", type=AccountType.PLATFORM_RECEIVABLE)
    assert account_balance(account_id=receivable.pk) == 0
    call_command("verify_ledger")


def test_a_fully_refunded_line_never_settled_posts_nothing(world: World) -> None:
    world.import_lines([D1 | {"status": "refunded", "refund_amount": "299.00"}])
    assert settle().lines_settled == 0
    assert SettledLeg.objects.count() == 0


def test_a_run_stopped_mid_way_resumes_to_the_same_result(world: World) -> None:
    rows = [D1 | {"order_id": f"R{i}", "pay_amount": f"{100 + i}.37"} for i in range(7)]
    world.import_lines(rows)
    run = run_create(cutoff=CUTOFF, actor=None)
    partial = run_execute(run_id=run.pk, chunk_lines=2, stop_after_chunks=2)
    assert partial.state == RunState.RUNNING and partial.lines_settled == 4
    finished = run_execute(run_id=run.pk, chunk_lines=2)
    assert finished.state == RunState.DONE and finished.lines_settled == 7
    assert SettledLeg.objects.filter(run=run).values("line_id").distinct().count() == 7
    total = sum(SettledLeg.objects.filter(run=run).values_list("amount_minor", flat=True))
    assert total == sum(10_000 + i * 100 + 37 for i in range(7))
    call_command("verify_ledger")


def test_only_one_run_at_a_time(world: World) -> None:
    run_create(cutoff=CUTOFF, actor=None)
    from shuxuan.common.exceptions import Conflict

    with pytest.raises(Conflict):
        run_create(cutoff=CUTOFF, actor=None)


def test_multi_phase_lines_settle_the_phases_due(world: World) -> None:
    world.import_lines([D1 | {"order_id": "PRE", "pay_amount": "100.00"}])
    line = world.line("PRE")
    SettlementPhase.objects.create(line_id=line.pk, phase=1, basis_minor=3_000, settleable_on=date(2026, 11, 5))
    SettlementPhase.objects.create(line_id=line.pk, phase=2, basis_minor=7_000, settleable_on=date(2026, 11, 15))
    settle()
    assert LineTerms.objects.get(line_id=line.pk).settled_basis_minor == 3_000
    settle(date(2026, 11, 15))
    assert LineTerms.objects.get(line_id=line.pk).settled_basis_minor == 10_000
    assert sum(legs_of("PRE", world).values()) == 10_000


def test_a_line_without_a_sku_is_a_problem_not_a_settlement(world: World) -> None:
    world.import_lines([D1 | {"order_id": "NOSKU", "product_id": "unknown-product"}])
    run = settle()
    assert run.lines_settled == 0
    assert LineTerms.objects.get(line_id=world.line("NOSKU").pk).problem
    from rest_framework.test import APIClient

    finance = APIClient()
    finance.force_authenticate(world.finance)
    rows = finance.get("/api/settlement/problem-lines/").json()["results"]
    assert [(r["order_id"], r["basis"]["amount"]) for r in rows] == [("NOSKU", "299.00")]
    assert "no SKU" in rows[0]["problem"]


def test_settled_legs_are_append_only(world: World) -> None:
    world.import_lines([D1])
    settle()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE settlement_settledleg SET amount_minor = amount_minor + 1")


def test_verify_ledger_names_a_leg_that_does_not_tie_to_its_entry(world: World) -> None:
    world.import_lines([D1])
    settle()
    from shuxuan.settlement.checks import legs_tie_to_entries, settled_basis_is_sum_of_legs

    assert legs_tie_to_entries() is None and settled_basis_is_sum_of_legs() is None
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE settlement_settledleg DISABLE TRIGGER settlement_settledleg_append_only")
        cursor.execute("UPDATE settlement_settledleg SET amount_minor = amount_minor + 1 WHERE kind = 'producer'")
        cursor.execute("ALTER TABLE settlement_settledleg ENABLE TRIGGER settlement_settledleg_append_only")
    assert "legs 20931 but postings -20930" in (legs_tie_to_entries() or "")
    assert "settled basis 29900 but its legs sum to 29901" in (settled_basis_is_sum_of_legs() or "")
    with pytest.raises(SystemExit):
        call_command("verify_ledger")


def test_verify_ledger_names_a_leg_that_stands_below_zero(world: World) -> None:
    world.import_lines([D1])
    settle()
    from shuxuan.settlement.checks import no_leg_is_negative

    assert no_leg_is_negative() is None
    line = SettledLeg.objects.filter(kind="producer").values_list("line_id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE settlement_settledleg DISABLE TRIGGER settlement_settledleg_append_only")
        cursor.execute("UPDATE settlement_settledleg SET amount_minor = -1 WHERE kind = 'producer'")
        cursor.execute("ALTER TABLE settlement_settledleg ENABLE TRIGGER settlement_settledleg_append_only")
    assert no_leg_is_negative() == f"order line {line}: its producer leg stands at -1, below zero"
    with pytest.raises(SystemExit):
        call_command("verify_ledger")


def test_statements_read_chunk_totals_equal_to_the_legs(world: World) -> None:
    from shuxuan.settlement.accounts import operator_organization_id
    from shuxuan.settlement.checks import run_totals_tie_to_legs
    from shuxuan.settlement.statements import _totals_from_chunks, _totals_from_legs

    rows = [D1 | {"order_id": f"T{i}", "pay_amount": f"{100 + 7 * i}.{i:02d}"} for i in range(9)]
    rows[2] |= {"refund_amount": "30.00"}  # partly refunded before settlement
    rows[5] |= {"platform": "kuaishou", "author_id": "ks_3390217", "product_id": "ks-jiu-500", "service_fee_rate": ""}
    world.import_lines(rows)
    first = settle(chunk_lines=4)
    world.import_lines([rows[1] | {"status": "refunded", "refund_amount": rows[1]["pay_amount"]}], name="refund.csv")
    world.import_lines([rows[3] | {"refund_amount": "50.00"}], name="partial.csv")
    second = settle(date(2026, 11, 11), chunk_lines=4)
    assert second.lines_clawed_back == 2
    operator = operator_organization_id()
    for run in (first, second):
        assert run.chunk_totals
        groups, gross = _totals_from_legs(run.pk, operator)
        # A producer whose gross and fees both net to zero reads as one without any (the default).
        assert _totals_from_chunks(run.pk, operator) == (groups, {k: v for k, v in gross.items() if v != (0, 0)})
        assert gross and groups
    assert run_totals_tie_to_legs() is None
    call_command("verify_ledger")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE settlement_runtotal SET earnings_minor = earnings_minor + 1"
            " WHERE id = (SELECT min(id) FROM settlement_runtotal WHERE earnings_minor > 0)"
        )
    assert "differ from its legs" in (run_totals_tie_to_legs() or "")


def test_a_run_queued_before_chunk_totals_builds_its_statements_from_the_legs(world: World) -> None:
    world.import_lines([D1])
    run = run_create(cutoff=CUTOFF, actor=None)
    SettlementRun.objects.filter(pk=run.pk).update(chunk_totals=False)
    partial = run_execute(run_id=run.pk, stop_after_chunks=1)
    assert partial.state == RunState.RUNNING
    with connection.cursor() as cursor:  # its chunks written by the previous version: no totals
        cursor.execute("DELETE FROM settlement_runtotal")
    done = run_execute(run_id=run.pk)
    assert done.state == RunState.DONE
    brand = Statement.objects.get(run=run, organization=world.brand)
    assert (brand.earnings_minor, brand.gross_minor, brand.lines) == (20930, 29900, 1)


def test_a_run_leaves_the_leg_brins_summarized_so_a_line_reads_only_its_own_ranges(world: World) -> None:
    # 1,000 lines x 5 legs fill several 16-page block ranges of the leg table.
    world.import_lines([D1 | {"order_id": f"B{n}"} for n in range(1000)])
    run = settle()
    assert run.lines_settled == 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT brin_summarize_new_values('settlement_leg_line_brin'::regclass),"
            " brin_summarize_new_values('settlement_leg_run_brin'::regclass)"
        )
        assert cursor.fetchone() == (0, 0)  # the run summarized every range it filled
        cursor.execute("SELECT pg_relation_size('settlement_settledleg') / current_setting('block_size')::int")
        (pages,) = cursor.fetchone()
        assert pages > 3 * 16
        cursor.execute("SET LOCAL enable_seqscan = off")
        line = world.line("B500")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM settlement_settledleg WHERE line_id = %s", [line.pk])
        plan = cursor.fetchone()[0][0]["Plan"]
    assert plan["Node Type"] == "Bitmap Heap Scan" and plan["Plans"][0]["Index Name"] == "settlement_leg_line_brin"
    assert plan["Actual Rows"] == 5
    assert plan["Lossy Heap Blocks"] <= 2 * 16 < pages


def test_a_role_that_does_not_own_the_legs_leaves_their_summary_to_vacuum_and_the_run_goes_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    from shuxuan.settlement.runs import _summarize_legs

    role = f"shuxuan_not_owner_{connection.settings_dict['NAME']}"[:63]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")  # undone with the transaction
        cursor.execute(f"GRANT SELECT, INSERT ON settlement_settledleg TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        _summarize_legs()
        cursor.execute("SELECT count(*) FROM settlement_settledleg")  # the transaction is still usable
        assert cursor.fetchone() == (0,)
        transaction.set_rollback(True)
    assert "left to VACUUM" in caplog.text and "must be owner" in caplog.text
