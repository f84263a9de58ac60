"""Starting a run is atomic (one active run, pending or running; the others refused at once with a
409 naming it), and the sweep queues again or fails a run whose worker died."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.ledger.models import JournalEntry
from shuxuan.settlement import runs
from shuxuan.settlement.models import RunState, SettledLeg, SettlementRun, Statement
from shuxuan.settlement.runs import run_create, run_execute
from shuxuan.settlement.tasks import runs_resume_stale_task

from .conftest import World
from .test_runs import CUTOFF, D1


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The run ids handed to the worker queue (nothing reaches a broker)."""
    ids: list[int] = []
    monkeypatch.setattr("shuxuan.settlement.tasks.run_execute_task.delay", ids.append)
    return ids


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _race(worker: Any, n: int) -> list[Any]:
    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = worker(index)
        except Exception as exc:  # an unexpected error is an outcome the test reports
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _age(run: SettlementRun, minutes: int) -> None:
    """Make the run look as if its last sign of life was `minutes` ago."""
    past = timezone.now() - timedelta(minutes=minutes)
    SettlementRun.objects.filter(pk=run.pk).update(
        created_at=past, heartbeat_at=past if run.heartbeat_at or run.started_at else None
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_ten_concurrent_starts_give_one_run_and_nine_409s_naming_it(world: World, queued: list[int]) -> None:
    world.import_lines([D1])

    def start(index: int) -> Any:
        response = _client(world.finance).post("/api/settlement/runs/", {"cutoff": CUTOFF.isoformat()}, format="json")
        # The winner's worker starts at once, as an idle worker would, while the others still post.
        if response.status_code == 201:
            run_execute(run_id=response.json()["id"])
        return response

    responses = _race(start, 10)
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    [won] = [r.json() for r in responses if r.status_code == 201]
    assert SettlementRun.objects.count() == 1
    assert queued == [won["id"]]
    for refused in (r for r in responses if r.status_code == 409):
        body = refused.json()
        assert body["code"] == "run_in_progress"
        assert f"#{won['id']}" in body["errors"]["cutoff"][0], body
    run = SettlementRun.objects.get()
    assert (run.state, run.lines_settled) == (RunState.DONE, 1)
    assert Statement.objects.filter(run=run).count() == 3  # brand, MCN and anchor
    assert AuditEntry.objects.filter(action="settlement.run_requested").count() == 1


def test_a_run_already_running_refuses_a_new_one_at_once(world: World) -> None:
    rows = [D1 | {"order_id": f"R{i}"} for i in range(3)]
    world.import_lines(rows)
    first = run_create(cutoff=CUTOFF, actor=None)
    partial = run_execute(run_id=first.pk, chunk_lines=1, stop_after_chunks=1)
    assert partial.state == RunState.RUNNING
    response = _client(world.finance).post("/api/settlement/runs/", {"cutoff": CUTOFF.isoformat()}, format="json")
    assert response.status_code == 409, response.content
    assert f"#{first.pk}" in response.json()["errors"]["cutoff"][0]
    assert list(SettlementRun.objects.values_list("id", flat=True)) == [first.pk]


def test_the_sweep_resumes_a_running_run_whose_worker_died(world: World, queued: list[int]) -> None:
    rows = [D1 | {"order_id": f"R{i}"} for i in range(3)]
    world.import_lines(rows)
    run = run_create(cutoff=CUTOFF, actor=None)
    run = run_execute(run_id=run.pk, chunk_lines=1, stop_after_chunks=1)  # the worker dies after one chunk
    assert runs_resume_stale_task() == []  # alive a moment ago: left alone
    _age(run, minutes=5)
    assert runs_resume_stale_task() == [run.pk]
    assert queued == [run.pk]
    assert runs_resume_stale_task() == []  # queued once per stale period, not at every beat
    finished = run_execute(run_id=queued[0])  # the worker that takes the task
    assert (finished.state, finished.lines_settled, finished.resumes) == (RunState.DONE, 3, 0)
    assert SettledLeg.objects.filter(run=run).values("line_id").distinct().count() == 3


def test_the_sweep_queues_a_pending_run_never_picked_up(world: World, queued: list[int]) -> None:
    world.import_lines([D1])
    run = run_create(cutoff=CUTOFF, actor=None)  # its task was lost (broker down)
    _age(run, minutes=5)
    assert runs_resume_stale_task() == [run.pk]
    assert run_execute(run_id=run.pk).state == RunState.DONE


def test_the_sweep_leaves_a_run_whose_worker_holds_its_lock(world: World, queued: list[int]) -> None:
    world.import_lines([D1])
    run = run_create(cutoff=CUTOFF, actor=None)
    _age(run, minutes=30)
    assert runs._try_lock(run.pk)  # a worker busy freezing terms: no heartbeat, but alive
    try:
        assert runs_resume_stale_task() == []
    finally:
        runs._unlock(run.pk)
    assert queued == []
    assert SettlementRun.objects.get(pk=run.pk).state == RunState.PENDING


def test_the_sweep_fails_a_run_that_never_gets_going_and_a_new_run_can_start(world: World, queued: list[int]) -> None:
    world.import_lines([D1])
    run = run_create(cutoff=CUTOFF, actor=None)
    SettlementRun.objects.filter(pk=run.pk).update(error="OperationalError: the server closed the connection")
    entries = JournalEntry.objects.count()
    for attempt in range(3):
        _age(SettlementRun.objects.get(pk=run.pk), minutes=5)
        SettlementRun.objects.filter(pk=run.pk).update(resumed_at=timezone.now() - timedelta(minutes=5))
        assert runs_resume_stale_task() == [run.pk], attempt
    _age(SettlementRun.objects.get(pk=run.pk), minutes=5)
    SettlementRun.objects.filter(pk=run.pk).update(resumed_at=timezone.now() - timedelta(minutes=5))
    assert runs_resume_stale_task() == []
    failed = SettlementRun.objects.get(pk=run.pk)
    assert failed.state == RunState.FAILED
    assert failed.error == (
        "执行中断 3 次且无进展，已放弃（已提交 0 块，可手动续跑） / the worker stopped 3 times without progress;"
        " given up after 0 chunks committed (resume it by hand): OperationalError: the server closed the connection"
    )
    assert AuditEntry.objects.filter(action="settlement.run_failed", object_id=str(run.pk)).count() == 1
    assert JournalEntry.objects.count() == entries
    assert queued == [run.pk] * 3
    # The slot is free: a new run starts.
    assert run_create(cutoff=CUTOFF, actor=None).state == RunState.PENDING


def test_a_failed_run_that_is_the_latest_can_be_resumed_by_hand(world: World, queued: list[int]) -> None:
    world.import_lines([D1])
    run = run_create(cutoff=CUTOFF, actor=None)
    runs._fail(run.pk, "the worker stopped")
    response = _client(world.finance).post(f"/api/settlement/runs/{run.pk}/resume/")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["error"]) == ("pending", "")
    assert run_execute(run_id=run.pk).state == RunState.DONE
    # A failed run with a later run after it stays failed.
    older = run_create(cutoff=CUTOFF, actor=None)
    runs._fail(older.pk, "stopped")
    run_create(cutoff=CUTOFF, actor=None)
    refused = _client(world.finance).post(f"/api/settlement/runs/{older.pk}/resume/")
    assert refused.status_code == 409
    assert SettlementRun.objects.get(pk=older.pk).state == RunState.FAILED
