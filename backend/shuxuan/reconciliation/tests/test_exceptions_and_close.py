"""Working exceptions (accept with two-person approval above the threshold, timing, dispute,
write-off), the month close (refused, overridden by an owner, snapshot, lock, reopen) and the
close report's files."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.ledger.facade import AccountType, PostingSpec, account_balance, account_get_or_create, entry_post
from shuxuan.ledger.models import JournalEntry, Period
from shuxuan.parties.models import User
from shuxuan.reconciliation import closing, exports, services
from shuxuan.reconciliation.matching import reconcile
from shuxuan.reconciliation.models import ExceptionState, PeriodClose, ReconException
from shuxuan.reconciliation.selectors import close_report, missing_bills, status_board

from .conftest import PERIOD, World, import_fixture, order, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def exceptions(douyin_world: World) -> dict[str, ReconException]:
    import_fixture("douyin", "douyin_settle_bill.csv")
    reconcile(period=PERIOD, source="douyin")
    return {e.match_key: e for e in ReconException.objects.all()}


def receivable() -> int:
    account = account_get_or_create(platform="douyin", type=AccountType.PLATFORM_RECEIVABLE)
    return account_balance(account_id=account.pk)


def test_accepting_a_small_difference_posts_an_adjusting_entry_in_the_open_period(
    exceptions: dict[str, ReconException], douyin_world: World, settings: Any
) -> None:
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 1_000
    before = receivable()
    audits = AuditEntry.objects.count()
    done = services.exception_resolve(
        exception_id=exceptions["D2"].pk, resolution="accept", note="抖店 charged 6% on this category", actor=douyin_world.finance
    )
    assert done.state == ExceptionState.ACCEPTED and done.entry_id
    entry = JournalEntry.objects.get(pk=done.entry_id)
    assert entry.effective_date == date(2026, 11, 25) and entry.idempotency_key == f"recon:exception:{done.pk}:accept"
    assert receivable() == before - 300  # Douyin kept 3 yuan more: the receivable drops by what the bill says
    assert AuditEntry.objects.count() == audits + 1
    with pytest.raises(Conflict):
        services.exception_resolve(exception_id=done.pk, resolution="accept", note="again", actor=douyin_world.finance)


def test_above_the_threshold_a_second_different_finance_user_must_approve(
    exceptions: dict[str, ReconException], douyin_world: World, finance2: User, settings: Any
) -> None:
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 10_000
    before = receivable()
    d5 = exceptions["D5"]  # missing in bill: 224.25 yuan expected, never billed
    pending = services.exception_resolve(
        exception_id=d5.pk, resolution="write_off", note="too old to chase", actor=douyin_world.finance
    )
    assert pending.state == ExceptionState.PENDING_APPROVAL and pending.entry_id is None and receivable() == before
    with pytest.raises(DomainError) as same_person:
        services.exception_approve(exception_id=d5.pk, approve=True, actor=douyin_world.finance)
    assert same_person.value.field == "user"
    assert ReconException.objects.get(pk=d5.pk).state == ExceptionState.PENDING_APPROVAL
    approved = services.exception_approve(exception_id=d5.pk, approve=True, note="ok", actor=finance2)
    assert approved.state == ExceptionState.WRITTEN_OFF and approved.approved_by == finance2
    assert receivable() == before - 22425
    call_command("verify_ledger")  # the adjusting entries keep every rule of the ledger
    # PostgreSQL holds the four-eyes rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReconException.objects.filter(pk=d5.pk).update(approved_by=douyin_world.finance, requested_by=douyin_world.finance)


def test_a_rejected_approval_goes_back_to_open(
    exceptions: dict[str, ReconException], douyin_world: World, finance2: User, settings: Any
) -> None:
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 0
    d3 = exceptions["D3"]
    services.exception_resolve(exception_id=d3.pk, resolution="accept", note="x", actor=douyin_world.finance)
    back = services.exception_approve(exception_id=d3.pk, approve=False, note="show me the bill", actor=finance2)
    assert (back.state, back.resolution, back.entry_id) == (ExceptionState.OPEN, "", None)


def test_timing_dispute_notes_and_evidence(exceptions: dict[str, ReconException], douyin_world: World, finance2: User) -> None:
    timing = services.exception_resolve(
        exception_id=exceptions["D4"].pk, resolution="timing", note="billed again in December", actor=douyin_world.finance
    )
    assert (timing.state, timing.expected_period, timing.entry_id) == (ExceptionState.TIMING, "2026-12", None)
    disputed = services.exception_resolve(
        exception_id=exceptions["D7"].pk, resolution="dispute", note="工单 8812", actor=finance2
    )
    assert disputed.state == ExceptionState.DISPUTED
    note = services.exception_note_add(
        exception_id=disputed.pk,
        text="screenshot of the 抖店 bill",
        attachment=SimpleUploadedFile("bill.png", b"\x89PNG...", content_type="image/png"),
        actor=finance2,
    )
    assert note.attachment.name.endswith(".png") and note.attachment.read() == b"\x89PNG..."
    services.exception_assign(exception_id=disputed.pk, owner_id=finance2.pk, actor=douyin_world.finance)
    assert ReconException.objects.get(pk=disputed.pk).owner == finance2
    with pytest.raises(DomainError):
        services.exception_assign(exception_id=disputed.pk, owner_id=douyin_world.brand_user.pk, actor=douyin_world.finance)
    with pytest.raises(DomainError):
        services.exception_resolve(
            exception_id=exceptions["D2"].pk, resolution="dispute", note="x", actor=douyin_world.brand_user
        )
    # Re-running the match keeps what people did.
    reconcile(period=PERIOD, source="douyin")
    assert ReconException.objects.get(pk=disputed.pk).state == ExceptionState.DISPUTED
    assert ReconException.objects.get(pk=timing.pk).state == ExceptionState.TIMING


def test_close_is_refused_while_exceptions_remain_then_an_owner_overrides(
    exceptions: dict[str, ReconException], douyin_world: World, owner: User
) -> None:
    with pytest.raises(Conflict) as refused:
        closing.month_close(period=PERIOD, actor=douyin_world.finance)
    assert refused.value.code == "exceptions_open" and "6" in refused.value.message
    assert not PeriodClose.objects.exists() and not Period.objects.filter(status="closed").exists()
    with pytest.raises(DomainError) as not_owner:
        closing.month_close(period=PERIOD, actor=douyin_world.finance, override_reason="auditors are waiting")
    assert not_owner.value.field == "override_reason"
    record = closing.month_close(period=PERIOD, actor=owner, override_reason="auditors are waiting; disputes carried forward")
    assert (record.state, record.open_exceptions) == ("closed", 6)
    assert Period.objects.get(period=PERIOD).status == "closed"
    snapshot = record.snapshot
    assert snapshot["trial_balance_totals"] == {"CNY": 0}
    assert len(snapshot["carried_forward"]) == 6
    douyin = next(row for row in snapshot["reconciliation"] if row["source"] == "douyin")
    assert (douyin["lines"], douyin["matched"], douyin["unresolved"]) == (9, 3, 6)
    assert AuditEntry.objects.filter(action="reconciliation.period_close").count() == 1
    # Accepting a bill's figure now would post into the closed month (today is in it): refused, nothing changes.
    entries = JournalEntry.objects.count()
    with pytest.raises(DomainError) as closed:
        services.exception_resolve(exception_id=exceptions["D2"].pk, resolution="accept", note="x", actor=douyin_world.finance)
    assert closed.value.field == "period" and JournalEntry.objects.count() == entries
    assert ReconException.objects.get(pk=exceptions["D2"].pk).state == ExceptionState.OPEN


def test_a_posting_into_the_closed_month_is_refused_and_reopen_is_for_owners(
    exceptions: dict[str, ReconException], douyin_world: World, owner: User, settings: Any
) -> None:
    for exception in exceptions.values():
        services.exception_resolve(exception_id=exception.pk, resolution="dispute", note="raised", actor=douyin_world.finance)
    record = closing.month_close(period=PERIOD, actor=douyin_world.finance)
    assert record.open_exceptions == 0 and record.override_reason == ""
    cash = account_get_or_create(organization_id=douyin_world.operator.pk, type=AccountType.CASH)
    suspense = account_get_or_create(organization_id=douyin_world.operator.pk, type=AccountType.SUSPENSE)
    posting = {
        "idempotency_key": "test:closed",
        "source_type": "test",
        "source_id": "1",
        "effective_date": date(2026, 11, 20),
        "memo": "late",
        "postings": [PostingSpec(cash.pk, 100), PostingSpec(suspense.pk, -100)],
    }
    with pytest.raises(DomainError):
        entry_post(**posting)
    assert not JournalEntry.objects.filter(idempotency_key="test:closed").exists()
    with pytest.raises(DomainError):
        reconcile(period=PERIOD, source="douyin")
    with pytest.raises(DomainError):
        closing.month_reopen(period=PERIOD, actor=douyin_world.finance, reason="late bill")
    reopened = closing.month_reopen(period=PERIOD, actor=owner, reason="late Douyin bill")
    assert reopened.state == "reopened" and Period.objects.get(period=PERIOD).status == "open"
    assert entry_post(**posting).pk
    assert AuditEntry.objects.filter(action="reconciliation.period_reopen").count() == 1


def test_close_period_command(exceptions: dict[str, ReconException], douyin_world: World, owner: User, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("close_period", "--period", PERIOD)
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["code"] == "exceptions_open"
    with pytest.raises(SystemExit):
        call_command("close_period", "--period", PERIOD, "--override-reason", "nobody named")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["field"] == "override_reason"
    call_command("close_period", "--period", PERIOD, "--override-reason", "year-end", "--user", owner.username)
    body = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert body["ok"] and body["state"] == "closed" and body["carried_forward"] == 6
    call_command("close_period", "--period", PERIOD, "--reopen", "--reason", "late bill", "--user", owner.username)
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["state"] == "reopened"


def test_close_report_exports_xlsx_and_pdf(exceptions: dict[str, ReconException], douyin_world: World) -> None:
    from openpyxl import load_workbook

    report = json.loads(json.dumps(close_report(period=PERIOD), default=str))
    workbook = load_workbook(io.BytesIO(exports.close_report_xlsx(report)), read_only=True)
    assert workbook.sheetnames == [
        "关账 Close",
        "试算平衡 Trial balance",
        "进销存 Stock",
        "对账 Reconciliation",
        "结转差异 Carried forward",
    ]
    recon = [list(row) for row in workbook["对账 Reconciliation"].iter_rows(values_only=True)]
    assert recon[1][:6] == ["douyin", 9, 8, 3, "37.50", 6]
    carried = list(workbook["结转差异 Carried forward"].iter_rows(values_only=True))
    assert len(carried) == 7
    pdf = exports.close_report_pdf(report)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_accepting_an_unexplained_bank_payment_moves_cash_against_suspense(world: World, settings: Any) -> None:
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 100_000
    import_fixture("bank", "bank_statement_gb18030.csv")
    reconcile(period=PERIOD, source="bank")
    unknown = ReconException.objects.get(match_key="line:BK202611250004")
    assert (unknown.reason, unknown.difference_minor) == ("missing_in_ledger", -9900)
    services.exception_resolve(
        exception_id=unknown.pk, resolution="accept", note="bank charge, see evidence", actor=world.finance
    )
    cash = account_get_or_create(organization_id=world.operator.pk, type=AccountType.CASH)
    suspense = account_get_or_create(organization_id=world.operator.pk, type=AccountType.SUSPENSE)
    assert (account_balance(account_id=cash.pk), account_balance(account_id=suspense.pk)) == (-9900, 9900)


def test_a_close_report_pdf_prints_an_override_reason_that_looks_like_markup(
    exceptions: dict[str, ReconException], douyin_world: World
) -> None:
    report = json.loads(json.dumps(close_report(period=PERIOD), default=str))
    report["override_reason"] = '年末 <b>急 & <a href="http://evil.example">x</a>'
    pdf = exports.close_report_pdf(report)
    assert pdf.startswith(b"%PDF") and b"evil.example" not in pdf


@pytest.fixture
def kuaishou_settled(world: World) -> World:
    """K1 settled on Kuaishou in the period; no bill of any source imported."""
    world.import_lines([order("K1", platform="kuaishou")])
    settle()
    return world


def _nothing_closed() -> None:
    assert not PeriodClose.objects.exists() and not Period.objects.filter(status="closed").exists()
    assert not AuditEntry.objects.filter(action="reconciliation.period_close").exists()


def test_a_platform_settled_without_a_bill_is_a_red_item_and_refuses_the_close(kuaishou_settled: World) -> None:
    board = {row["source"]: row for row in status_board(period=PERIOD)["sources"]}
    assert (board["kuaishou"]["settled"], board["kuaishou"]["bill_missing"]) == (True, True)
    assert (board["douyin"]["settled"], board["douyin"]["bill_missing"]) == (False, False)
    assert (board["bank"]["settled"], board["bank"]["bill_missing"]) == (False, False)
    assert missing_bills(period=PERIOD) == ["kuaishou"]
    with pytest.raises(Conflict) as refused:
        closing.month_close(period=PERIOD, actor=kuaishou_settled.finance)
    assert (refused.value.code, refused.value.field) == ("bill_missing", "override_reason")
    assert "缺少账单：快手账单" in refused.value.message and "bill missing: Kuaishou bill" in refused.value.message
    _nothing_closed()

    # Importing the bill resolves it: the close goes through without an override.
    assert import_fixture("kuaishou", "kuaishou_bill.csv").created == 2
    assert missing_bills(period=PERIOD) == []
    record = closing.month_close(period=PERIOD, actor=kuaishou_settled.finance)
    assert (record.state, record.override_reason) == ("closed", "")


def test_a_missing_bill_is_overridden_only_by_an_owner_with_a_reason(kuaishou_settled: World, owner: User) -> None:
    with pytest.raises(DomainError) as not_owner:
        closing.month_close(period=PERIOD, actor=kuaishou_settled.finance, override_reason="bill comes next week")
    assert not_owner.value.field == "override_reason"
    _nothing_closed()
    record = closing.month_close(period=PERIOD, actor=owner, override_reason="快手账单下周到 / Kuaishou bill due next week")
    assert (record.state, record.override_reason) == ("closed", "快手账单下周到 / Kuaishou bill due next week")
    audit = AuditEntry.objects.get(action="reconciliation.period_close")
    assert audit.changes["missing_bills"] == ["kuaishou"]
    kuaishou = next(row for row in record.snapshot["reconciliation"] if row["source"] == "kuaishou")
    assert kuaishou["bill_missing"] is True
