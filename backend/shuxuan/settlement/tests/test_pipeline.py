"""The pipelined run (a second thread splits chunk N+1 while chunk N is written) on committed data:
it posts exactly each line's split, stops and resumes cleanly, and keeps the ledger whole."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from shuxuan.settlement import chunks, runs, waterfall
from shuxuan.settlement.legs import _terms_of
from shuxuan.settlement.models import LineTerms, RunState, SettledLeg, SettlementRun
from shuxuan.settlement.runs import run_create, run_execute

from .conftest import World
from .test_runs import D1


def _expected(terms: LineTerms) -> dict[str, int]:
    row: dict[str, Any] = {f.attname: getattr(terms, f.attname) for f in LineTerms._meta.concrete_fields}
    split = waterfall.legs(_terms_of(row), terms.settled_basis_minor)
    out: dict[str, int] = {}
    for (kind, _index), amount in split.items():
        if amount:
            out[kind] = out.get(kind, 0) + amount
    return out


@pytest.mark.django_db(transaction=True)
def test_a_pipelined_run_stops_resumes_and_posts_each_lines_split_once(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SETTLEMENT_PIPELINE = True
    threads: set[str] = set()
    prepare = chunks._prepare

    def spy(**kwargs: Any) -> Any:
        threads.add(threading.current_thread().name)
        return prepare(**kwargs)

    monkeypatch.setattr(chunks, "_prepare", spy)
    monkeypatch.setattr(runs, "FREEZE_SPLIT_MIN", 2)  # the freeze in two halves on two connections
    freezes: list[tuple[str, dict[str, Any], int]] = []
    freeze = runs.terms_freeze

    def freeze_spy(**kwargs: Any) -> int:
        frozen = freeze(**kwargs)
        freezes.append((threading.current_thread().name, kwargs, frozen))
        return frozen

    monkeypatch.setattr(runs, "terms_freeze", freeze_spy)
    rows = []
    for i in range(41):
        row = D1 | {"order_id": f"P{i:03d}", "pay_amount": f"{60 + i}.{i % 100:02d}"}
        if i % 7 == 3:
            row |= {"refund_amount": "10.00"}  # partly refunded before settlement
        if i % 11 == 5:
            row |= {"status": "refunded", "refund_amount": row["pay_amount"]}  # voided
        rows.append(row)
    world.import_lines(rows)
    assert not connection.in_atomic_block  # the pipeline runs only outside a transaction
    run = run_create(cutoff=date(2026, 11, 10), actor=None)

    stopped = run_execute(run_id=run.pk, chunk_lines=6, stop_after_chunks=2)
    assert stopped.state == RunState.RUNNING and stopped.chunks_done == 2
    assert SettledLeg.objects.filter(run=run).values("line_id").distinct().count() == 12 - 1  # P005 is void
    finished = run_execute(run_id=run.pk, chunk_lines=6)
    assert finished.state == RunState.DONE, finished.error
    assert finished.chunks_done == 7  # 41 lines in windows of 6
    assert finished.lines_settled == 41 - 4  # P005, P016, P027, P038 refunded in full settle nothing

    for terms in LineTerms.objects.all():
        posted: dict[str, int] = {}
        for kind, amount in SettledLeg.objects.filter(line_id=terms.line_id).values_list("kind", "amount_minor"):
            posted[kind] = posted.get(kind, 0) + amount
        assert posted == _expected(terms), terms.line_id
    partly = LineTerms.objects.get(line_id=world.line("P003").pk)
    assert partly.settled_basis_minor == partly.full_basis_minor - 1_000
    assert SettledLeg.objects.values("line_id", "kind").distinct().count() == SettledLeg.objects.count()
    assert SettlementRun.objects.get(pk=run.pk).statements > 0
    assert threads and all(name.startswith(f"settle-{run.pk}") for name in threads)  # split off the writing thread
    halves = [
        (name, kwargs, frozen) for name, kwargs, frozen in freezes if "after_line_id" in kwargs or "up_to_line_id" in kwargs
    ]
    assert len(halves) == 2 and sum(frozen for _, _, frozen in halves) == 41
    assert {name.startswith("settle-freeze") for name, _, _ in halves} == {True, False}
    call_command("verify_ledger")
