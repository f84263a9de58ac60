"""Settlement runs: settleable lines up to a cut-off → legs, one ledger entry per chunk, statements.

Idempotent: a line carries the basis already settled (`LineTerms.settled_basis_minor`); a run posts
only the difference between the split at the basis settleable by the cut-off and the split already
posted, so running the same cut-off again posts nothing.

Resumable: a run works in chunks of lines in id order. Each chunk — its legs, its ledger entry,
the lines' settled basis and the run's cursor — commits in one transaction, so a worker killed
mid-chunk leaves no trace of that chunk, and the next execution goes on after the cursor. A
session-level advisory lock keeps two workers off one run (a killed worker's lock dies with its
connection); one run at a time is enforced by a partial unique index.
"""

from __future__ import annotations

import logging
import time as time_module
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import period_is_closed
from shuxuan.parties.models import User
from shuxuan.settlement.accounts import Accounts
from shuxuan.settlement.chunks import ShapeCache, chunk_next, chunks_pipelined, count_candidates
from shuxuan.settlement.models import LegKind, RunState, SettlementRun
from shuxuan.settlement.statements import statements_build
from shuxuan.settlement.terms import ORDER_LINES, terms_freeze, terms_refreeze_problems

logger = logging.getLogger(__name__)

ADVISORY_NAMESPACE = 0x5E771E  # pg_advisory_lock(namespace, run id)
ACTIVE_INDEX = "settlement_one_active_run"
ACTIVE_STATES = (RunState.PENDING, RunState.RUNNING)
FREEZE_SPLIT_MIN = 20_000  # lines above the last frozen one before the freeze is split in two


def run_create(*, cutoff: date, actor: User | None) -> SettlementRun:
    """Queue a settlement run. Refused while another run is pending or running (the INSERT hits
    the one-active-run index, so of concurrent requests one wins and the others get a 409 naming
    it), or when the cut-off falls in a closed period (its entries would be dated there)."""
    if cutoff > timezone.localdate():
        raise DomainError("截止日不能晚于今天 / the cut-off cannot be in the future", field="cutoff")
    if period_is_closed(cutoff):
        raise DomainError(f"{cutoff:%Y-%m} 已关账 / the cut-off's period is closed", field="cutoff", code="period_closed")
    try:
        with transaction.atomic():
            run = SettlementRun.objects.create(cutoff=cutoff, requested_by=actor, chunk_totals=True)
            audit_record(
                actor=actor,
                action="settlement.run_requested",
                obj=run,
                organization_id=getattr(actor, "organization_id", None),
                changes={"cutoff": cutoff.isoformat()},
            )
    except IntegrityError as exc:
        if ACTIVE_INDEX not in str(exc):
            raise
        raise _active_conflict("cutoff") from None
    return run


def _active_conflict(field: str) -> Conflict:
    """The 409 of a run refused because another is active, naming that run."""
    active = SettlementRun.objects.filter(state__in=ACTIVE_STATES).order_by("id").first()
    name = f"#{active.pk}（截止 {active.cutoff}）" if active else ""
    name_en = f"#{active.pk} (cut-off {active.cutoff})" if active else ""
    return Conflict(f"结算批次 {name} 仍在进行 / run {name_en} is still in progress", field=field, code="run_in_progress")


def run_resume(*, run_id: int, actor: User | None) -> SettlementRun:
    """Make a run ready to go on by hand (the caller queues it: `tasks.run_enqueue`). A pending or
    running run is returned as it is; a failed run goes back to pending (and on after its last
    committed chunk) if it is the latest run and no other is active (409 naming the active one
    otherwise). A finished run is left as it is."""
    run = SettlementRun.objects.get(pk=run_id)
    if run.state == RunState.FAILED:
        if SettlementRun.objects.filter(pk__gt=run.pk).exists():
            raise Conflict(
                f"结算批次 #{run.pk} 之后已有新批次，不能续跑 / a later run exists; run #{run.pk} cannot be resumed",
                field="run",
                code="run_superseded",
            )
        try:
            with transaction.atomic():
                SettlementRun.objects.filter(pk=run.pk, state=RunState.FAILED).update(
                    state=RunState.PENDING, error="", finished_at=None, resumes=0, resumed_at=timezone.now()
                )
                audit_record(
                    actor=actor,
                    action="settlement.run_resumed",
                    obj=run,
                    organization_id=getattr(actor, "organization_id", None),
                    changes={"from": RunState.FAILED, "cursor_line_id": run.cursor_line_id},
                )
        except IntegrityError as exc:
            if ACTIVE_INDEX not in str(exc):
                raise
            raise _active_conflict("run") from None
        run.refresh_from_db()
    return run


def _try_lock(run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, run_id])
        return bool(cursor.fetchone()[0])


def _unlock(run_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, run_id])


def run_execute(*, run_id: int, chunk_lines: int | None = None, stop_after_chunks: int | None = None) -> SettlementRun:
    """Execute (or resume) a run to the end. Safe to call again at any time: a finished run is
    returned as it is, and a run another worker is executing is left to it.

    `stop_after_chunks` stops early (tests of resumption)."""
    if not _try_lock(run_id):
        return SettlementRun.objects.get(pk=run_id)
    try:
        run = SettlementRun.objects.get(pk=run_id)
        if run.state in (RunState.DONE, RunState.FAILED):
            return run
        with transaction.atomic():
            started = SettlementRun.objects.filter(pk=run_id, state__in=ACTIVE_STATES).update(
                state=RunState.RUNNING, started_at=run.started_at or timezone.now(), heartbeat_at=timezone.now()
            )
        if not started:
            return SettlementRun.objects.get(pk=run_id)
        try:
            clock = time_module.perf_counter()
            terms_refreeze_problems()
            frozen = _freeze_terms()
            if frozen > 10_000:
                with connection.cursor() as cursor:  # fresh statistics for the chunk queries' plans
                    cursor.execute("ANALYZE settlement_lineterms")
            if run.lines_total is None:
                count_candidates(run)
            logger.info("settlement run %s: froze %s lines' terms and counted in %.1f s", run_id, frozen, _lap(clock))
            clock = time_module.perf_counter()
            accounts = Accounts()
            shapes = ShapeCache(accounts)
            size = chunk_lines or settings.SETTLEMENT_CHUNK_LINES
            # A second thread cannot see rows of a transaction still open around the run (tests
            # run inside one), so the pipeline is for runs that own their transactions: workers,
            # the command line, the benchmark.
            if settings.SETTLEMENT_PIPELINE and not connection.in_atomic_block:
                if not chunks_pipelined(run_id=run_id, shapes=shapes, chunk_lines=size, stop_after_chunks=stop_after_chunks):
                    return SettlementRun.objects.get(pk=run_id)
            else:
                chunks = 0
                pause = settings.SETTLEMENT_CHUNK_PAUSE_MS / 1000
                while chunk_next(run_id=run_id, shapes=shapes, chunk_lines=size):
                    chunks += 1
                    if pause:
                        time_module.sleep(pause)
                    if stop_after_chunks is not None and chunks >= stop_after_chunks:
                        return SettlementRun.objects.get(pk=run_id)
            _summarize_legs()
            logger.info("settlement run %s: chunks written in %.1f s", run_id, _lap(clock))
            clock = time_module.perf_counter()
            written = statements_build(run_id=run_id, accounts_operator_id=accounts.operator_id)
            logger.info("settlement run %s: %s statements in %.1f s", run_id, written, _lap(clock))
            with transaction.atomic():
                run = SettlementRun.objects.select_for_update().get(pk=run_id)
                run.state = RunState.DONE
                run.finished_at = timezone.now()
                run.save(update_fields=["state", "finished_at"])
                audit_record(
                    actor=run.requested_by,
                    action="settlement.run_finished",
                    obj=run,
                    organization_id=getattr(run.requested_by, "organization_id", None),
                    changes={
                        "lines_settled": run.lines_settled,
                        "lines_clawed_back": run.lines_clawed_back,
                        "lines_problem": run.lines_problem,
                        "statements": run.statements,
                    },
                )
            return run
        except DomainError as exc:
            return _fail(run_id, exc.message)
        except Exception as exc:
            # The run stays active (what it committed is kept): the sweep queues it again, and names
            # this error if it gives up on it.
            SettlementRun.objects.filter(pk=run_id).update(error=f"{exc.__class__.__name__}: {exc}"[:5000])
            raise
    finally:
        _unlock(run_id)


def _freeze_terms() -> int:
    """Freeze the terms of every line that has none yet (`terms_freeze`). One INSERT … SELECT uses
    one core, so when the run owns its transactions (as for the pipeline) the lines not frozen yet
    are split at the middle of their id range and the upper half is frozen on a second connection
    meanwhile; each half commits on its own, as each call of `terms_freeze` does."""
    if not settings.SETTLEMENT_PIPELINE or connection.in_atomic_block:
        return terms_freeze()
    with connection.cursor() as cursor:
        # Lines not frozen yet are almost all above the last frozen one: split what lies above it.
        cursor.execute(
            f"SELECT (SELECT COALESCE(max(line_id), 0) FROM settlement_lineterms), (SELECT max(id) FROM {ORDER_LINES})"
        )
        frozen_up_to, last = cursor.fetchone()
    if last is None or last - frozen_up_to < FREEZE_SPLIT_MIN:
        return terms_freeze()
    middle = frozen_up_to + (last - frozen_up_to) // 2
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def upper() -> int:
        try:
            return terms_freeze(after_line_id=middle)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="settle-freeze") as pool:
        upper_half = pool.submit(upper)
        lower_half = terms_freeze(up_to_line_id=middle)
        return lower_half + upper_half.result()


def _summarize_legs() -> None:
    """Summarize the leg BRINs' block ranges the run filled (0.75 s for 5.88M legs): until then a
    look-up by line or run reads every leg of those ranges.

    PostgreSQL lets only the index's owner do this. A database role that writes the tables
    without owning them (migrations run by another role) gets a warning, not a failed run: the
    next VACUUM of the table (autovacuum runs one after enough inserts) summarizes them instead."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT brin_summarize_new_values('settlement_leg_line_brin'::regclass),"
                " brin_summarize_new_values('settlement_leg_run_brin'::regclass)"
            )
    except ProgrammingError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        logger.warning("settled legs' BRIN ranges left to VACUUM to summarize: %s", exc)


def _lap(started: float) -> float:
    return time_module.perf_counter() - started


def _fail(run_id: int, message: str) -> SettlementRun:
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run_id)
        run.state = RunState.FAILED
        run.error = message[:5000]
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "error", "finished_at"])
        audit_record(
            actor=run.requested_by,
            action="settlement.run_failed",
            obj=run,
            organization_id=getattr(run.requested_by, "organization_id", None),
            changes={"error": message[:500]},
        )
    return run


def runs_resume_stale(*, stale_after: timedelta | None = None, max_resumes: int | None = None) -> list[int]:
    """The sweep (a beat task): an active run no worker is executing (nobody holds its advisory
    lock) and that has shown no life for `stale_after` (no heartbeat since, or never started) is
    queued again, at most once per `stale_after`. After `max_resumes` such resumptions without a
    chunk committed in between, or when its cut-off's period has been closed meanwhile, it is
    failed with the reason, which frees the one active slot. Returns the ids to queue again (the
    beat task queues them)."""

    stale_after = stale_after or timedelta(seconds=settings.SETTLEMENT_RUN_STALE_SECONDS)
    max_resumes = settings.SETTLEMENT_RUN_MAX_RESUMES if max_resumes is None else max_resumes
    threshold = timezone.now() - stale_after
    queued: list[int] = []
    for run in SettlementRun.objects.filter(state__in=ACTIVE_STATES).order_by("id"):
        last_sign = max(t for t in (run.heartbeat_at, run.created_at, run.resumed_at) if t is not None)
        if last_sign >= threshold or _lock_held(run.pk):
            continue
        reason = _cannot_resume(run, max_resumes)
        if reason:
            if _try_lock(run.pk):  # no worker may pick it up while it is failed
                try:
                    _fail(run.pk, reason)
                finally:
                    _unlock(run.pk)
            continue
        with transaction.atomic():
            updated = SettlementRun.objects.filter(pk=run.pk, state__in=ACTIVE_STATES, resumes=run.resumes).update(
                resumes=run.resumes + 1, resumed_at=timezone.now()
            )
        if updated:
            queued.append(run.pk)
    return queued


def _lock_held(run_id: int) -> bool:
    """Whether a session holds the run's advisory lock (a worker executing it), without taking it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s"
            " AND objsubid = 2 AND granted)",
            [ADVISORY_NAMESPACE, run_id],
        )
        return bool(cursor.fetchone()[0])


def _cannot_resume(run: SettlementRun, max_resumes: int) -> str:
    """Why the sweep gives up on a stale run ("" while it should be queued again)."""
    if period_is_closed(run.cutoff):
        return f"{run.cutoff:%Y-%m} 已关账，无法续跑 / the cut-off's period was closed; the run cannot go on"
    if run.resumes >= max_resumes:
        last = f": {run.error}" if run.error else ""
        return (
            f"执行中断 {run.resumes} 次且无进展，已放弃（已提交 {run.chunks_done} 块，可手动续跑）"
            f" / the worker stopped {run.resumes} times without progress; given up after {run.chunks_done} chunks"
            f" committed (resume it by hand){last}"
        )
    return ""


LEG_LABELS = dict(LegKind.choices)
