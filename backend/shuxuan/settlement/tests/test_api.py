"""Settlement over HTTP: runs, statements (approve, lines, downloads), payouts over the bank rail
(batch file, result import, retry), advances, earnings; and who may do what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.ledger.facade import AccountType, account_balance, account_get_or_create
from shuxuan.ledger.models import Account, JournalEntry
from shuxuan.parties.models import Anchor, AnchorAccount, Role
from shuxuan.settlement.models import Advance, LineTerms, Payee, Payout, PayoutBatch, PayoutState, Statement
from shuxuan.settlement.runs import run_execute
from shuxuan.testing.factories import UserFactory

from .conftest import World
from .test_runs import CUTOFF, D1


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def settle_via_api(world: World, cutoff: date = CUTOFF) -> dict[str, Any]:
    finance = client_for(world.finance)
    response = finance.post("/api/settlement/runs/", {"cutoff": cutoff.isoformat()}, format="json")
    assert response.status_code == 201, response.content
    run_execute(run_id=response.json()["id"])  # the worker's job, run here
    body = finance.get(f"/api/settlement/runs/{response.json()['id']}/").json()
    assert body["state"] == "done" and body["progress"] == 100
    return body


def brand_statement(world: World) -> Statement:
    return Statement.objects.get(organization=world.brand)


def test_finance_runs_settlement_and_a_second_run_is_refused_while_one_is_active(world: World) -> None:
    world.import_lines([D1])
    finance = client_for(world.finance)
    first = finance.post("/api/settlement/runs/", {"cutoff": "2026-11-10"}, format="json")
    assert first.status_code == 201
    second = finance.post("/api/settlement/runs/", {"cutoff": "2026-11-10"}, format="json")
    assert second.status_code == 409
    assert "cutoff" in second.json()["errors"]
    future = client_for(world.finance)
    run_execute(run_id=first.json()["id"])
    response = future.post("/api/settlement/runs/", {"cutoff": "2027-01-01"}, format="json")
    assert response.status_code == 400 and "cutoff" in response.json()["errors"]


def test_parties_cannot_run_settlement_or_approve(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    brand = client_for(world.brand_user)
    assert brand.post("/api/settlement/runs/", {"cutoff": "2026-11-10"}, format="json").status_code == 403
    statement = brand_statement(world)
    assert brand.post(f"/api/settlement/statements/{statement.pk}/approve/").status_code == 403
    reviewer = client_for(UserFactory(organization=world.operator, roles=[Role.REVIEWER], username="rev_s"))
    assert reviewer.get("/api/settlement/statements/").status_code == 403


def test_a_brand_sees_its_statement_with_lines_and_downloads_it(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    brand = client_for(world.brand_user)
    rows = brand.get("/api/settlement/statements/").json()["results"]
    assert [r["payee_name"] for r in rows] == [world.brand.name]
    statement = rows[0]
    assert statement["closing"] == {"amount": "209.30", "currency": "CNY"}
    detail = brand.get(f"/api/settlement/statements/{statement['id']}/").json()
    assert detail["by_leg"] == [{"kind": "producer", "settled_by": "operator", "total": {"amount": "209.30", "currency": "CNY"}}]
    lines = brand.get(f"/api/settlement/statements/{statement['id']}/lines/").json()["results"]
    assert [(leg["order_id"], leg["kind"], leg["amount"]["amount"]) for leg in lines] == [("D1", "producer", "209.30")]
    pdf = brand.get(f"/api/settlement/statements/{statement['id']}/download/", {"fmt": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = pdf.content
    assert content.startswith(b"%PDF")
    # The Chinese font is embedded (a TrueType font file in the PDF), not left to the reader.
    assert b"/FontFile2" in content
    xlsx = brand.get(f"/api/settlement/statements/{statement['id']}/download/", {"fmt": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["结算单 Statements", "明细 Lines"]
    assert [c.value for c in book["明细 Lines"][2]][2:6] == ["D1", "生产方货款 Producer", "运营方结算 Operator", "209.30"]
    # Another brand sees nothing of it.
    from shuxuan.testing.factories import OrganizationFactory

    stranger = client_for(UserFactory(organization=OrganizationFactory(kind="brand"), username="stranger_s"))
    assert stranger.get("/api/settlement/statements/").json()["results"] == []
    assert stranger.get(f"/api/settlement/statements/{statement['id']}/download/").status_code == 404


def test_run_export_csv_and_the_export_statements_command(world: World, tmp_path: Any) -> None:
    world.import_lines([D1])
    run = settle_via_api(world)
    finance = client_for(world.finance)
    csv_text = finance.get(f"/api/settlement/runs/{run['id']}/export/", {"fmt": "csv"}).content.decode("utf-8-sig")
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("结算单号 Statement,结算批次 Run")
    assert any(world.brand.name in row and ",209.30," in row for row in rows)
    out = tmp_path / "run.xlsx"
    call_command("export_statements", "--run", str(run["id"]), "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    assert book["结算单 Statements"].max_row == 1 + Statement.objects.filter(run_id=run["id"]).count()


def _pay_brand_by_bank(world: World) -> Payout:
    Payee.objects.create(
        payee_kind="organization",
        organization=world.brand,
        bank_account_name=world.brand.name,
        bank_account_number="6222020402001234567",
        bank_name="中国工商银行宜宾分行",
    )
    finance = client_for(world.finance)
    statement = brand_statement(world)
    assert finance.post(f"/api/settlement/statements/{statement.pk}/approve/").status_code == 200
    created = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()
    assert created["skipped"] == []
    return Payout.objects.get(pk=created["created"][0]["id"])


def test_bank_payout_batch_file_and_results(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    payout = _pay_brand_by_bank(world)
    assert payout.amount_minor == 20930 and payout.state == PayoutState.PENDING
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    file = finance.get(f"/api/settlement/payout-batches/{batch['id']}/file/").content.decode("utf-8-sig").splitlines()
    assert file[0] == "业务参考号,收款户名,收款账号,开户行,金额,币种,用途"
    assert file[1].split(",")[:5] == [
        payout.idempotency_key,
        world.brand.name,
        "6222020402001234567",
        "中国工商银行宜宾分行",
        "209.30",
    ]
    # A result file naming an unknown reference changes nothing and names the row.
    bad = io.BytesIO("业务参考号,状态,银行流水号,说明\nnope,成功,1,\n".encode())
    bad.name = "result.csv"
    response = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "第2行" in response.json()["detail"]
    assert response.json()["rejected"] == [
        {"line": 2, "field": "业务参考号", "reason": "业务参考号 'nope' 不在本批次 / not in this batch"}
    ]
    payout.refresh_from_db()
    assert payout.state == PayoutState.SENT
    good = io.BytesIO(f"业务参考号,状态,银行流水号,说明\n{payout.idempotency_key},成功,ICBC20261125001,\n".encode("gb18030"))
    good.name = "result.csv"
    report = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": good}, format="multipart").json()
    assert report == {"batch": batch["id"], "paid": 1, "failed": 0, "unchanged": 0}
    listed = {r["id"]: r for r in finance.get("/api/settlement/statements/").json()["results"]}
    assert listed[payout.statement_id]["payout_state"] == "paid"
    assert [p["payee_name"] for p in finance.get("/api/settlement/payees/").json()["results"]] == [world.brand.name]
    good.seek(0)
    again = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": good}, format="multipart").json()
    assert again["unchanged"] == 1 and again["paid"] == 0
    payable = account_get_or_create(organization_id=world.brand.pk, type=AccountType.PAYABLE_TO_PARTY)
    assert account_balance(account_id=payable.pk) == 0
    call_command("verify_ledger")


def test_a_result_file_with_bad_rows_is_refused_whole_and_each_bad_row_is_named_with_its_column(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    payout = _pay_brand_by_bank(world)
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    key = payout.idempotency_key
    rows = [
        "业务参考号,状态,银行流水号,说明",
        f"{key},成功,S1,",  # good on its own: still not applied, the file is refused whole
        "",  # blank lines are skipped but keep their number
        f"{key},处理中,S2,",  # a second row for the payout, with a status the import does not know
        ",失败,,",
        "stranger,,S3,",
    ]
    upload = io.BytesIO("\n".join(rows).encode("gb18030"))
    upload.name = "result.csv"
    response = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_rows" and body["errors"] == {"file": [body["detail"]]}
    assert [(r["line"], r["field"]) for r in body["rejected"]] == [
        (4, "业务参考号"),
        (4, "状态"),
        (5, "业务参考号"),
        (6, "业务参考号"),
        (6, "状态"),
    ]
    assert body["rejected"][0]["reason"] == f"业务参考号 '{key}' 与第2行重复 / given again (first on line 2)"
    assert body["rejected"][1]["reason"] == "未知状态 '处理中' / unknown status (成功/失败)"
    assert body["rejected"][2]["reason"] == "业务参考号为空 / the reference is empty"
    # Nothing half-written: the good row was not applied, no entry posted, no file hash kept.
    payout.refresh_from_db()
    assert (payout.state, payout.entry_id, payout.external_id) == (PayoutState.SENT, None, "")
    assert PayoutBatch.objects.get(pk=batch["id"]).result_sha256 in ("", None)
    assert not AuditEntry.objects.filter(action__in=["settlement.payout_paid", "settlement.payout_failed"]).exists()
    # A file that is not a result file at all is a plain 400 on `file`, without rows.
    other = io.BytesIO(b"a,b\n1,2\n")
    other.name = "x.csv"
    response = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": other}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"] and "rejected" not in response.json()


def test_failed_bank_payout_is_retried_as_a_new_attempt(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    payout = _pay_brand_by_bank(world)
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    result = io.BytesIO(f"业务参考号,状态,银行流水号,说明\n{payout.idempotency_key},失败,,户名与账号不符\n".encode())
    result.name = "r.csv"
    assert (
        finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": result}, format="multipart").json()[
            "failed"
        ]
        == 1
    )
    payout.refresh_from_db()
    assert payout.state == PayoutState.FAILED and payout.failure_reason == "户名与账号不符"
    retry = finance.post(f"/api/settlement/payouts/{payout.pk}/retry/").json()
    assert retry["attempt"] == 2 and retry["state"] == "pending" and retry["amount"]["amount"] == "209.30"


def test_payouts_say_why_a_statement_is_skipped(world: World, settings: Any) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    finance = client_for(world.finance)
    statement = brand_statement(world)
    skipped = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()["skipped"]
    assert "not approved" in skipped[0]["reason"]
    finance.post(f"/api/settlement/statements/{statement.pk}/approve/")
    skipped = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()["skipped"]
    assert "no payee details" in skipped[0]["reason"]
    Payee.objects.create(
        payee_kind="organization",
        organization=world.brand,
        bank_account_name="x",
        bank_account_number="1",
        on_hold=True,
        hold_reason="资质复核中",
    )
    skipped = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()["skipped"]
    assert "资质复核中" in skipped[0]["reason"]
    Payee.objects.filter(organization=world.brand).update(on_hold=False)
    settings.SETTLEMENT_MIN_PAYOUT_MINOR = 50_000
    skipped = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()["skipped"]
    assert "below the minimum" in skipped[0]["reason"]
    assert Payout.objects.count() == 0


def test_a_paid_party_clawed_back_carries_a_negative_balance_and_an_advance_recovers_from_later_earnings(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    payout = _pay_brand_by_bank(world)
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    ok = io.BytesIO(f"业务参考号,状态,银行流水号,说明\n{payout.idempotency_key},成功,S1,\n".encode())
    ok.name = "r.csv"
    finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": ok}, format="multipart")
    # The buyer gets a full refund after the brand was paid: the next run claws it back.
    world.import_lines([D1 | {"status": "refunded", "refund_amount": "299.00"}], name="refund.csv")
    settle_via_api(world, date(2026, 11, 11))
    clawed = Statement.objects.filter(organization=world.brand).order_by("-run_id").first()
    assert clawed is not None
    assert (clawed.opening_minor, clawed.clawbacks_minor, clawed.other_minor, clawed.closing_minor) == (
        20930,
        -20930,
        -20930,
        -20930,
    )
    response = finance.post("/api/settlement/advances/", {"statement": clawed.pk, "reason": "品牌方暂无后续结算"}, format="json")
    assert response.status_code == 201
    advance = Advance.objects.get()
    assert advance.amount_minor == 20930
    payable = account_get_or_create(organization_id=world.brand.pk, type=AccountType.PAYABLE_TO_PARTY)
    receivable = account_get_or_create(organization_id=world.brand.pk, type=AccountType.RECEIVABLE_FROM_PARTY)
    assert account_balance(account_id=payable.pk) == 0
    assert account_balance(account_id=receivable.pk) == 20930
    # A later sale of 598.00 earns the brand 418.60, which first recovers the advance.
    world.import_lines([D1 | {"order_id": "D2", "pay_amount": "598.00", "confirmed_at": "2026-11-03 10:00:00"}], name="later.csv")
    settle_via_api(world, date(2026, 11, 12))
    advance.refresh_from_db()
    assert (advance.state, advance.recovered_minor) == ("recovered", 20930)
    latest = Statement.objects.filter(organization=world.brand).order_by("-run_id").first()
    assert latest is not None
    assert (latest.earnings_minor, latest.closing_minor) == (41860, 41860 - 20930)
    assert account_balance(account_id=receivable.pk) == 0
    call_command("verify_ledger")


def test_earnings_show_estimates_before_settlement_and_settled_after(world: World) -> None:
    world.import_lines([D1, D1 | {"order_id": "D9", "status": "paid", "confirmed_at": ""}])
    brand = client_for(world.brand_user)
    writes = (LineTerms.objects.count(), Account.objects.count(), JournalEntry.objects.count())
    before = {row["payee_name"]: row for row in brand.get("/api/settlement/earnings/").json()}
    # Reading earnings writes nothing: the new lines' terms are estimated, not frozen, and no
    # account is created for a payee that has none yet.
    assert (LineTerms.objects.count(), Account.objects.count(), JournalEntry.objects.count()) == writes
    # Both lines are pending: 2 × 209.30 estimated for the brand.
    assert before[world.brand.name]["estimated"]["amount"] == "418.60"
    assert before[world.brand.name]["settled"]["amount"] == "0.00"
    settle_via_api(world)
    after = {row["payee_name"]: row for row in brand.get("/api/settlement/earnings/").json()}
    assert after[world.brand.name]["estimated"]["amount"] == "209.30"
    assert after[world.brand.name]["settled"]["amount"] == "209.30"
    assert after[world.brand.name]["balance"]["amount"] == "209.30"
    mcn = {row["payee_name"]: row for row in client_for(world.mcn_user).get("/api/settlement/earnings/").json()}
    # The MCN sees itself and its anchor; Douyin pays their commission at source.
    assert mcn[world.mcn.name]["settled_at_source"]["amount"] == "17.94"
    assert mcn[world.anchor.name]["settled_at_source"]["amount"] == "41.86"


def _grow_mcn_to(world: World, anchors: int) -> None:
    """Register anchors with the MCN up to `anchors`, each with a line settled and one pending."""
    for i in range(Anchor.objects.filter(organization=world.mcn).count(), anchors):
        anchor = Anchor.objects.create(organization=world.mcn, name=f"主播 E{i}")
        AnchorAccount.objects.create(anchor=anchor, platform="douyin", platform_uid=f"dy_e{i}", nickname=f"E{i}")
        world.import_lines(
            [
                D1 | {"order_id": f"E{i}", "author_id": f"dy_e{i}"},
                D1 | {"order_id": f"E{i}p", "author_id": f"dy_e{i}", "status": "paid", "confirmed_at": ""},
            ],
            name=f"e{i}.csv",
        )
    settle_via_api(world)


def test_the_earnings_page_reads_as_many_queries_for_10_anchors_as_for_2(world: World) -> None:
    world.import_lines([D1, D1 | {"order_id": "D1p", "status": "paid", "confirmed_at": ""}])
    mcn = client_for(world.mcn_user)
    counts = {}
    for anchors in (2, 10):
        _grow_mcn_to(world, anchors)
        with CaptureQueriesContext(connection) as queries:
            rows = mcn.get("/api/settlement/earnings/").json()
        counts[anchors] = len(queries)
        assert len(rows) == anchors + 1  # the MCN and each anchor it registered
        # Every anchor has earnings of both kinds, so each figure's read had rows to find.
        for row in rows[1:]:
            assert row["settled_at_source"]["amount"] != "0.00", row
            assert row["estimated_at_source"]["amount"] != "0.00" and row["lines_pending"] >= 1, row
    # One query per kind of figure over all payees (names, legs, pending lines, balances), not per payee.
    assert counts[2] == counts[10] <= 10, counts


def test_statement_list_query_count_does_not_grow_with_rows(world: World, django_assert_max_num_queries: Any) -> None:
    world.import_lines([D1 | {"order_id": f"Q{i}"} for i in range(5)])
    settle_via_api(world)
    finance = client_for(world.finance)
    # Every statement approved (by two different people), so each row carries a user's name.
    second = UserFactory(
        organization=world.finance.organization, roles=[Role.FINANCE], username="op_fin_2", display_name="财务 杨帆"
    )
    statements = list(Statement.objects.order_by("id"))
    for index, statement in enumerate(statements):
        approver = client_for(second if index % 2 else world.finance)
        assert approver.post(f"/api/settlement/statements/{statement.pk}/approve/").status_code == 200
    with django_assert_max_num_queries(6):
        rows = finance.get("/api/settlement/statements/").json()["results"]
    assert len(rows) >= 3
    assert {r["approved_by_name"] for r in rows} == {"op_fin_s", "财务 杨帆"}
    # A statement names what kind of organization it is for, not just "an organization".
    kinds = {r["payee_name"]: r["payee_org_kind"] for r in rows}
    assert kinds[world.brand.name] == "brand"
    assert {r["payee_org_kind"] for r in rows if r["payee_kind"] == "anchor"} <= {None}
    with django_assert_max_num_queries(6):
        finance.get("/api/settlement/payouts/")
    with django_assert_max_num_queries(6):
        runs = finance.get("/api/settlement/runs/").json()["results"]
    assert [r["requested_by_name"] for r in runs] == ["op_fin_s"]
    for statement in statements:
        Payee.objects.get_or_create(
            organization_id=statement.organization_id,
            anchor_id=statement.anchor_id,
            defaults={"payee_kind": statement.payee_kind, "bank_account_name": "x", "bank_account_number": "1"},
        )
    finance.post("/api/settlement/payouts/", {"statements": [s.pk for s in statements]}, format="json")
    assert finance.post("/api/settlement/payout-batches/", {}, format="json").status_code == 201
    with django_assert_max_num_queries(6):
        batches = finance.get("/api/settlement/payout-batches/").json()["results"]
    assert [b["created_by_name"] for b in batches] == ["op_fin_s"]


def test_user_names_are_shown_to_the_operator_and_to_the_users_own_organization_only(world: World) -> None:
    world.import_lines([D1])
    settle_via_api(world)
    statement = brand_statement(world)
    assert (
        client_for(world.finance).post(f"/api/settlement/statements/{statement.pk}/approve/").json()["approved_by_name"]
        == "op_fin_s"
    )
    # The brand reads its statement, approved by the operator's finance: the operator's staff stay unnamed.
    brand = client_for(world.brand_user)
    assert brand.get(f"/api/settlement/statements/{statement.pk}/").json()["approved_by_name"] is None
    assert [r["approved_by_name"] for r in brand.get("/api/settlement/statements/").json()["results"]] == [None]


def test_finance_sets_contracts_as_history_and_new_lines_take_the_new_terms(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone as tz

    finance = client_for(world.finance)
    start = tz.now()
    first = finance.post(
        "/api/settlement/contracts/",
        {"brand": world.brand.pk, "mode": "consignment", "operator_margin_bps": 800, "valid_from": start.isoformat(),
         "fees": [{"payee": world.logistics.pk, "kind": "logistics", "basis": "per_unit", "value": 300}]},
        format="json",
    )  # fmt: skip
    assert first.status_code == 201, first.content
    later = finance.post(
        "/api/settlement/contracts/",
        {
            "brand": world.brand.pk,
            "mode": "consignment",
            "operator_margin_bps": 600,
            "valid_from": (start + timedelta(days=30)).isoformat(),
        },
        format="json",
    )
    assert later.status_code == 201
    rows = {c["id"]: c for c in client_for(world.brand_user).get("/api/settlement/contracts/").json()["results"]}
    assert rows[first.json()["id"]]["valid_to"] == later.json()["valid_from"]
    assert rows[first.json()["id"]]["fees"] == [
        {"payee": world.logistics.pk, "kind": "logistics", "basis": "per_unit", "value": 300}
    ]
    bad = finance.post(
        "/api/settlement/contracts/",
        {"brand": world.brand.pk, "mode": "consignment", "operator_margin_bps": 20000, "valid_from": start.isoformat()},
        format="json",
    )
    assert bad.status_code == 400 and "operator_margin_bps" in bad.json()["errors"]
    past = finance.post(
        "/api/settlement/contracts/",
        {"brand": world.brand.pk, "mode": "buyout", "operator_margin_bps": 0, "valid_from": "2026-01-01T00:00:00+08:00"},
        format="json",
    )
    assert past.status_code == 400 and "valid_from" in past.json()["errors"]
    assert (
        client_for(world.brand_user)
        .post(
            "/api/settlement/contracts/",
            {"brand": world.brand.pk, "mode": "buyout", "operator_margin_bps": 0, "valid_from": start.isoformat()},
            format="json",
        )
        .status_code
        == 403
    )


def test_finance_changes_a_platforms_after_sale_window(world: World) -> None:
    from shuxuan.settlement.models import PlatformTerms

    terms = PlatformTerms.objects.get_or_create(platform="douyin", defaults={"service_fee_bps": 500})[0]
    finance = client_for(world.finance)
    response = finance.patch(f"/api/settlement/platform-terms/{terms.pk}/", {"after_sale_days": 15}, format="json")
    assert response.status_code == 200 and response.json()["after_sale_days"] == 15
    assert (
        finance.patch(f"/api/settlement/platform-terms/{terms.pk}/", {"after_sale_days": 400}, format="json").status_code == 400
    )
    assert (
        client_for(world.brand_user)
        .patch(f"/api/settlement/platform-terms/{terms.pk}/", {"after_sale_days": 1}, format="json")
        .status_code
        == 403
    )
    world.import_lines([D1])  # confirmed 11-01: settleable from 11-16 with a 15-day window
    assert settle_via_api(world)["lines_settled"] == 0


def test_a_statement_names_each_movement_beside_its_earnings(world: World) -> None:
    """A buy-out purchase order received for the brand raises what it is owed; a payout lowers it.
    The statement names both, and they sum to its "payouts and other movements"."""
    from shuxuan.supply import services as supply

    world.import_lines([D1])
    settle_via_api(world)
    paid = _pay_brand_by_bank(world)
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    ok = io.BytesIO(f"业务参考号,状态,银行流水号,说明\n{paid.idempotency_key},成功,S1,\n".encode())
    ok.name = "r.csv"
    finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": ok}, format="multipart")

    clerk = UserFactory(organization=world.operator, roles=[Role.SUPPLY], username="op_supply_s")
    warehouse = supply.warehouse_create(actor=clerk, code="CD", name="成都双流仓", city="成都市")
    item = supply.stock_item_create(actor=clerk, sku_code="JIU-500", name="叙府窖 500ml", brand=world.brand, unit="瓶")
    order = supply.purchase_order_create(
        actor=clerk,
        brand=world.brand,
        warehouse=warehouse,
        ownership="buy_out",
        lines=[supply.PurchaseLineInput(stock_item_id=item.pk, quantity=3, unit_price=12_027)],
    )
    supply.purchase_order_confirm(actor=clerk, order_id=order.pk)
    line = order.lines.get()
    supply.receipt_create(
        actor=clerk, order_id=order.pk, lines=[supply.ReceiptLineInput(purchase_order_line_id=line.pk, quantity=3)]
    )
    world.import_lines([D1 | {"order_id": "D2", "confirmed_at": "2026-11-03 10:00:00"}], name="later.csv")
    settle_via_api(world, date(2026, 11, 12))

    statement = Statement.objects.filter(organization=world.brand).order_by("-run_id").first()
    assert statement is not None
    detail = client_for(world.brand_user).get(f"/api/settlement/statements/{statement.pk}/").json()
    assert [(m["source_type"], m["label"], m["amount"]["amount"]) for m in detail["movements"]] == [
        ("settlement.payout", f"付款 #{paid.pk} / payout #{paid.pk}", "-209.30"),
        ("supply.receipt", f"采购单 PO{order.pk} 买断货款 / buy-out purchase order PO{order.pk}", "360.81"),
    ]
    assert detail["other"] == {"amount": "151.51", "currency": "CNY"}
    assert statement.other_minor == -20930 + 36081
