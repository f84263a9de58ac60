"""Matching outcomes on PostgreSQL: a Douyin bill with one difference of each kind, Kuaishou's
unsplit expenses, WeChat's shares, bank lines against payouts (one-to-one, one bank line for a
batch, amount and date), Stripe transfers; re-running is idempotent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from shuxuan.reconciliation.matching import reconcile
from shuxuan.reconciliation.models import BillLine, ExceptionState, MatchResult, MatchRule, ReconException
from shuxuan.settlement.models import Payout, PayoutBatch, Statement

from .conftest import PERIOD, World, import_fixture, order, settle

pytestmark = pytest.mark.django_db


def outcomes(source: str) -> dict[str, str]:
    return dict(MatchResult.objects.filter(period=PERIOD, source=source).values_list("match_key", "outcome"))


def test_douyin_bill_each_difference_found_leg_by_leg(douyin_world: World) -> None:
    report = import_fixture("douyin", "douyin_settle_bill.csv")
    assert (report.created, report.rejected) == (9, [])
    run = reconcile(period=PERIOD, source="douyin")
    assert outcomes("douyin") == {
        "D2": "fee_mismatch",
        "D3": "commission_mismatch",
        "D4": "amount_mismatch",
        "D5": "missing_in_bill",
        "D6": "missing_in_ledger",
        "D7": "duplicate_in_bill",
    }
    # D1 matched; D7's first copy matched; D8 settled in two phases matches the one ledger line.
    assert (run.lines, run.groups, run.matched, run.exceptions) == (9, 8, 3, 6)
    d2 = MatchResult.objects.get(source="douyin", match_key="D2")
    assert (d2.bill_fee_minor, d2.ledger_fee_minor, d2.difference_minor) == (1795, 1495, 300)
    assert (d2.ledger_gross_minor, d2.ledger_commission_minor, d2.ledger_net_minor) == (29900, 5980, 22425)
    assert MatchResult.objects.get(match_key="D3").difference_minor == 300
    assert MatchResult.objects.get(match_key="D4").difference_minor == -100
    assert MatchResult.objects.get(match_key="D5").difference_minor == -22425
    dup = MatchResult.objects.get(match_key="D7")
    assert (dup.bill_lines, dup.bill_net_minor) == (1, 22425)
    assert dup.bill_line_ids == [BillLine.objects.get(natural_key="R1017:D7:0").pk]
    assert set(ReconException.objects.values_list("match_key", "reason", "state")) == {
        (key, reason, "open") for key, reason in outcomes("douyin").items()
    }


def test_re_running_is_idempotent_and_keeps_the_exceptions_state(douyin_world: World) -> None:
    import_fixture("douyin", "douyin_settle_bill.csv")
    reconcile(period=PERIOD, source="douyin")
    first = list(
        MatchResult.objects.order_by("match_key").values_list("match_key", "outcome", "difference_minor", "bill_line_ids")
    )
    d2 = ReconException.objects.get(match_key="D2")
    d2.state, d2.resolution_note = ExceptionState.DISPUTED, "raised with 抖店"
    d2.save()
    again = import_fixture("douyin", "douyin_settle_bill.csv")
    assert again.already_imported and again.unchanged == 9 and BillLine.objects.count() == 9
    reconcile(period=PERIOD, source="douyin")
    second = list(
        MatchResult.objects.order_by("match_key").values_list("match_key", "outcome", "difference_minor", "bill_line_ids")
    )
    assert first == second
    assert ReconException.objects.count() == 6
    assert ReconException.objects.get(match_key="D2").state == ExceptionState.DISPUTED


def test_a_corrected_bill_updates_its_rows_and_clears_the_exception(douyin_world: World, tmp_path: Any) -> None:
    import_fixture("douyin", "douyin_settle_bill.csv")
    reconcile(period=PERIOD, source="douyin")
    import io

    from shuxuan.reconciliation.imports import bill_import

    text = (
        "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission\n"
        "2026-11-12 10:00:01,R1002,D2,22425,29900,1495,5980\n"
    )
    report = bill_import(source="douyin", stream=io.BytesIO(text.encode()), filename="fix.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    reconcile(period=PERIOD, source="douyin")
    assert "D2" not in outcomes("douyin")
    assert ReconException.objects.get(match_key="D2").state == ExceptionState.CLEARED


def test_amount_tolerance_of_the_rule(douyin_world: World) -> None:
    import_fixture("douyin", "douyin_settle_bill.csv")
    reconcile(period=PERIOD, source="douyin")
    rule = MatchRule.objects.get(source="douyin", kind="order_id")
    rule.amount_tolerance_minor = 100
    rule.save()
    reconcile(period=PERIOD, source="douyin")
    assert "D4" not in outcomes("douyin")  # 1 yuan short is within tolerance
    assert outcomes("douyin")["D2"] == "fee_mismatch"


def test_kuaishou_compares_fee_and_commission_together_when_the_export_does_not_split_them(world: World) -> None:
    world.import_lines([order("K1", platform="kuaishou")])
    settle()
    report = import_fixture("kuaishou", "kuaishou_bill.csv")
    assert report.rejected == [{"line": 4, "reason": report.rejected[0]["reason"]}]
    reconcile(period=PERIOD, source="kuaishou")
    assert outcomes("kuaishou") == {"K2": "missing_in_ledger"}


def test_wechat_shares_against_commissions_at_source(world: World) -> None:
    import_fixture("wechat", "wechat_profitsharing.csv")
    reconcile(period=PERIOD, source="wechat")
    result = MatchResult.objects.get(source="wechat")
    assert (result.match_key, result.outcome, result.bill_commission_minor) == ("W1", "missing_in_ledger", 5980)


def _statement(world: World, org: Any) -> Statement:
    run = Statement.objects.first().run if Statement.objects.exists() else None
    assert run is not None
    return Statement.objects.create(
        run=run,
        payee_kind="organization",
        organization=org,
        payee_name=org.name,
        currency="CNY",
        account_id=900_000 + org.pk,
        opening_minor=0,
        earnings_minor=0,
        clawbacks_minor=0,
        other_minor=0,
        closing_minor=0,
    )


SENT_AT = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _payout(
    world: World, key: str, amount: int, rail: str = "bank", batch: PayoutBatch | None = None, external_id: str = ""
) -> Payout:
    from shuxuan.testing.factories import OrganizationFactory

    statement = _statement(world, OrganizationFactory())
    payout = Payout.objects.create(
        statement=statement,
        account_id=1,
        rail=rail,
        amount_minor=amount,
        currency="CNY",
        idempotency_key=key,
        state="sent",
        batch=batch,
        external_id=external_id,
    )
    # A payout is dated by when it was sent (its last update): the bank and Stripe fixtures are of
    # 24–25 November, so the payouts go out on the 25th whatever day the tests run.
    Payout.objects.filter(pk=payout.pk).update(updated_at=SENT_AT)
    payout.refresh_from_db()
    return payout


def test_bank_lines_against_payouts_by_reference_batch_and_amount(world: World) -> None:
    world.import_lines([order("D1")])
    settle()
    p1 = _payout(world, "payout:statement:test-1:attempt:1", 2093000)
    batch = PayoutBatch.objects.create(id=9001)
    p2 = _payout(world, "payout:statement:test-2:attempt:1", 100000, batch=batch)
    p3 = _payout(world, "payout:statement:test-3:attempt:1", 50000, batch=batch)
    p4 = _payout(world, "payout:statement:test-4:attempt:1", 80000)
    p5 = _payout(world, "payout:statement:test-5:attempt:1", 55500)
    import_fixture("douyin", "douyin_settle_bill.csv")  # the receipt names Douyin's settlement R1001
    import_fixture("bank", "bank_statement_gb18030.csv")
    run = reconcile(period=PERIOD, source="bank")
    assert outcomes("bank") == {
        "payout:" + str(p1.pk) + ":line:BK202611250005": "duplicate_in_bill",
        "line:BK202611250004": "missing_in_ledger",
        f"payout:{p5.pk}": "missing_in_bill",
    }
    # p1 by reference, p2 + p3 by one batch line (many-to-one), p4 by amount within 3 days, and the
    # receipt from Douyin by the settlement request number in its 摘要.
    assert run.matched == 4 and run.lines == 6
    missing = MatchResult.objects.get(match_key=f"payout:{p5.pk}")
    assert (missing.bill_net_minor, missing.ledger_net_minor, missing.difference_minor) == (0, -55500, 55500)
    assert {p2.pk, p3.pk, p4.pk}  # matched ones carry no result row
    # The Douyin receipt is the platform's cash arriving: the receivable falls by what it paid.
    from shuxuan.ledger.facade import AccountType, account_balance, account_get_or_create
    from shuxuan.reconciliation.models import BillLine

    receipt = BillLine.objects.get(source="bank", net_minor__gt=0, reference__contains="R1001")
    receivable = account_get_or_create(platform="douyin", type=AccountType.PLATFORM_RECEIVABLE)
    after_first = account_balance(account_id=receivable.pk)
    reconcile(period=PERIOD, source="bank")
    assert ReconException.objects.filter(source="bank").count() == 3
    assert account_balance(account_id=receivable.pk) == after_first  # posted once, whatever the re-runs
    from shuxuan.ledger.models import JournalEntry

    entry = JournalEntry.objects.get(idempotency_key=f"reconciliation:remittance:{receipt.pk}")
    assert sorted(p.amount for p in entry.postings.all()) == sorted([receipt.net_minor, -receipt.net_minor])


def test_stripe_transfers_against_stripe_payouts(world: World) -> None:
    world.import_lines([order("D1")])
    settle()
    paid = _payout(world, "payout:statement:test-s1:attempt:1", 20930, rail="stripe", external_id="tr_1QaAtransfer0001")
    missing = _payout(world, "payout:statement:test-s2:attempt:1", 1000, rail="stripe", external_id="tr_other")
    import_fixture("stripe", "stripe_balance_transactions.csv")
    run = reconcile(period=PERIOD, source="stripe")
    # The ¥100.00 charge has no brand charge in the ledger yet.
    assert outcomes("stripe") == {
        "line:txn_1QaB": "missing_in_ledger",
        f"payout:{missing.pk}": "missing_in_bill",
        "stripe-charge:txn_1QaC": "missing_in_ledger",
    }
    assert run.matched == 1 and paid.pk
    # Once the brand's sample-shipping charge is recorded (paid 12:10 Shanghai = 04:10 UTC), the charge line matches
    # it by amount and day, and a second charge Stripe never showed is missing in the bill.

    from shuxuan.payments.facade import BrandCharge
    from shuxuan.testing.factories import OrganizationFactory

    brand = OrganizationFactory(kind="brand")
    at = datetime(2026, 11, 25, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    slot = BrandCharge.objects.create(
        brand=brand, kind="sample_shipping", amount_minor=10_000, idempotency_key="k-ship", state="succeeded", paid_at=at
    )
    extra = BrandCharge.objects.create(
        brand=brand, kind="service_fee", amount_minor=5_000, idempotency_key="k-svc", state="succeeded", paid_at=at
    )
    run = reconcile(period=PERIOD, source="stripe")
    assert outcomes("stripe") == {
        "line:txn_1QaB": "missing_in_ledger",
        f"payout:{missing.pk}": "missing_in_bill",
        f"charge:{extra.pk}": "missing_in_bill",
    }
    assert run.matched == 2 and slot.pk


def test_reconcile_command_prints_json_and_fails_on_a_bad_period(douyin_world: World, capsys: Any) -> None:
    import json

    call_command(
        "import_bill",
        "--source",
        "douyin",
        str(__import__("pathlib").Path(__file__).parent / "fixtures" / "douyin_settle_bill.csv"),
    )
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["created"] == 9
    call_command("reconcile", "--period", PERIOD, "--source", "douyin")
    body = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert body["ok"] and body["sources"][0]["exceptions"] == 6
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", "--period", "2026-13")
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["field"] == "period"


def test_import_bill_command_refuses_a_wrong_format_and_writes_nothing(world: World, capsys: Any) -> None:
    import json
    from pathlib import Path

    with pytest.raises(SystemExit) as exit_:
        call_command("import_bill", "--source", "douyin", str(Path(__file__).parent / "fixtures" / "kuaishou_bill.csv"))
    assert exit_.value.code == 1
    body = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert body["ok"] is False and "missing columns" in body["error"]
    assert BillLine.objects.count() == 0


def test_a_refund_after_settlement_clawed_back_matches_the_bills_refund_row(world: World) -> None:
    from datetime import date

    world.import_lines([order("D1")])
    settle()  # run 1, cut-off 10 Nov: D1 settled
    world.import_lines([order("D1") | {"status": "refunded", "refund_amount": "299.00"}], name="refund.csv")
    settle(date(2026, 11, 15))  # run 2 claws every leg back
    text = (
        "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission,trade_type\n"
        "2026-11-12 10:00:00,R1001,D1,22425,29900,1495,5980,0\n"
        "2026-11-14 10:00:00,R2001,D1,-22425,-29900,-1495,-5980,1\n"
    )
    import io

    from shuxuan.reconciliation.imports import bill_import

    bill_import(source="douyin", stream=io.BytesIO(text.encode()), filename="refund-bill.csv")
    run = reconcile(period=PERIOD, source="douyin")
    assert (run.groups, run.matched, run.exceptions) == (1, 1, 0)
