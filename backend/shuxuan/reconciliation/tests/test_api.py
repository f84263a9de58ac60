"""The reconciliation API: upload, board, exceptions queue, close and the report downloads."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from shuxuan.parties.models import User
from shuxuan.reconciliation.models import ExceptionNote, ReconException

from .conftest import FIXTURES, PERIOD, World, order, settle

pytestmark = pytest.mark.django_db


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(client: APIClient, source: str, name: str) -> Any:
    with (FIXTURES / name).open("rb") as handle:
        return client.post("/api/reconciliation/imports/", {"source": source, "file": handle}, format="multipart")


def test_finance_works_a_douyin_bill_through_the_api(douyin_world: World, finance2: User, owner: User, settings: Any) -> None:
    """Import, run, read the board, resolve one difference with a second approval and evidence,
    dispute the rest, close the month and reopen it: each step is a function below, in order."""
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 200
    finance = client_for(douyin_world.finance)
    _import_the_bill_and_run(finance, douyin_world)
    _the_board_counts_the_outcomes(finance)
    d2 = _accept_the_fee_difference_with_a_second_approval(finance, finance2)
    _attach_evidence_downloaded_only_through_the_api(finance, d2)
    _dispute_the_rest_close_and_reopen(finance, douyin_world, owner)


def _import_the_bill_and_run(finance: APIClient, douyin_world: World) -> None:
    first = upload(finance, "douyin", "douyin_settle_bill.csv")
    assert first.status_code == 201 and first.json()["created"] == 9
    again = upload(finance, "douyin", "douyin_settle_bill.csv")
    assert again.status_code == 200 and again.json()["already_imported"] and again.json()["unchanged"] == 9
    wrong = upload(finance, "douyin", "kuaishou_bill.csv")
    assert wrong.status_code == 400 and "file" in wrong.json()["errors"]
    queued = finance.post("/api/reconciliation/runs/", {"period": PERIOD, "source": "douyin"}, format="json")
    assert queued.status_code == 202
    from shuxuan.reconciliation.tasks import reconcile_task

    reconcile_task(PERIOD, "douyin", douyin_world.finance.pk)  # what the worker does after commit


def _the_board_counts_the_outcomes(finance: APIClient) -> None:
    board = finance.get("/api/reconciliation/runs/board/", {"period": PERIOD}).json()
    douyin = next(row for row in board["sources"] if row["source"] == "douyin")
    assert (douyin["lines"], douyin["groups"], douyin["matched"], douyin["matched_pct"]) == (9, 8, 3, 37.5)
    assert douyin["exceptions_by_reason"] == {
        "fee_mismatch": 1,
        "commission_mismatch": 1,
        "amount_mismatch": 1,
        "missing_in_bill": 1,
        "missing_in_ledger": 1,
        "duplicate_in_bill": 1,
    }
    assert douyin["unresolved_amount"]["currency"] == "CNY" and douyin["aging"]["0-7"] == 6
    history = finance.get("/api/reconciliation/runs/history/").json()
    assert [(row["period"], row["source"], row["matched_pct"]) for row in history] == [(PERIOD, "douyin", 37.5)]


def _accept_the_fee_difference_with_a_second_approval(finance: APIClient, finance2: User) -> int:
    listed = finance.get("/api/reconciliation/exceptions/", {"reason": "fee_mismatch"}).json()["results"]
    assert [(row["match_key"], row["difference"]) for row in listed] == [("D2", {"amount": "3.00", "currency": "CNY"})]
    d2 = listed[0]["id"]
    detail = finance.get(f"/api/reconciliation/exceptions/{d2}/").json()
    assert [leg["kind"] for leg in detail["sides"]["ledger"]] == [
        "platform_fee",
        "anchor_commission",
        "mcn_share",
        "operator_margin",
        "producer",
    ]
    assert [line["fee_minor"] for line in detail["sides"]["bill"]] == [1795]
    pending = finance.post(
        f"/api/reconciliation/exceptions/{d2}/resolve/", {"resolution": "accept", "note": "6% category"}, format="json"
    )
    assert pending.status_code == 200 and pending.json()["state"] == "pending_approval"
    same = finance.post(f"/api/reconciliation/exceptions/{d2}/approve/", {"approve": True}, format="json")
    assert same.status_code == 400
    approved = client_for(finance2).post(f"/api/reconciliation/exceptions/{d2}/approve/", {"approve": True}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "accepted" and approved.json()["entry_id"]
    return int(d2)


def _attach_evidence_downloaded_only_through_the_api(finance: APIClient, d2: int) -> None:
    with (FIXTURES / "douyin_settle_bill.json").open("rb") as handle:
        note = finance.post(
            f"/api/reconciliation/exceptions/{d2}/notes/", {"text": "the bill", "attachment": handle}, format="multipart"
        )
    assert note.status_code == 201, note.content
    # Evidence is downloaded through an authorised view; its file is never at a public /media/ URL.
    download = note.json()["attachment"]
    assert download == f"/api/reconciliation/exceptions/{d2}/notes/{note.json()['id']}/attachment/"
    assert note.json()["attachment_name"].startswith("douyin_settle_bill")
    got = finance.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == (FIXTURES / "douyin_settle_bill.json").read_bytes()
    assert APIClient().get(download).status_code == 403
    stored = ExceptionNote.objects.get(pk=note.json()["id"]).attachment.name
    assert APIClient().get(f"/media/{stored}").status_code == 404


def _dispute_the_rest_close_and_reopen(finance: APIClient, douyin_world: World, owner: User) -> None:
    others = list(ReconException.objects.filter(state="open").values_list("pk", flat=True))
    bulk = finance.post(
        "/api/reconciliation/exceptions/bulk-resolve/", {"ids": others, "resolution": "dispute", "note": "工单"}, format="json"
    )
    assert bulk.status_code == 200 and len(bulk.json()["resolved"]) == 5
    closed = finance.post("/api/reconciliation/closes/", {"period": PERIOD}, format="json")
    assert closed.status_code == 201, closed.json()
    xlsx = finance.get("/api/reconciliation/closes/report/", {"period": PERIOD, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    pdf = finance.get("/api/reconciliation/closes/report/", {"period": PERIOD, "export": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = client_for(douyin_world.finance).post(
        f"/api/reconciliation/closes/{closed.json()['id']}/reopen/", {"reason": "late"}, format="json"
    )
    assert refused.status_code == 400
    reopened = client_for(owner).post(
        f"/api/reconciliation/closes/{closed.json()['id']}/reopen/", {"reason": "late"}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "reopened"


def test_close_refused_with_409_naming_the_override(douyin_world: World) -> None:
    finance = client_for(douyin_world.finance)
    upload(finance, "douyin", "douyin_settle_bill.csv")
    from shuxuan.reconciliation.matching import reconcile

    reconcile(period=PERIOD, source="douyin")
    response = finance.post("/api/reconciliation/closes/", {"period": PERIOD}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "exceptions_open"
    assert "override_reason" in response.json()["errors"]


def test_the_board_shows_a_missing_bill_and_the_close_answers_409_naming_it(world: World) -> None:
    world.import_lines([order("K1", platform="kuaishou")])
    settle()
    finance = client_for(world.finance)
    board = finance.get("/api/reconciliation/runs/board/", {"period": PERIOD}).json()
    flags = {row["source"]: (row["settled"], row["bill_missing"]) for row in board["sources"]}
    assert flags == {
        "douyin": (False, False),
        "kuaishou": (True, True),
        "taobao": (False, False),
        "wechat": (False, False),
        "bank": (False, False),
        "stripe": (False, False),
    }
    response = finance.post("/api/reconciliation/closes/", {"period": PERIOD}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "bill_missing"
    assert "override_reason" in response.json()["errors"]
    assert finance.get("/api/reconciliation/closes/").json()["results"] == []


def test_other_organizations_are_refused(douyin_world: World) -> None:
    for user in (douyin_world.brand_user, douyin_world.mcn_user):
        client = client_for(user)
        assert client.get("/api/reconciliation/exceptions/").status_code == 403
        assert client.get("/api/reconciliation/runs/board/", {"period": PERIOD}).status_code == 403
        assert upload(client, "douyin", "douyin_settle_bill.csv").status_code == 403


def test_rules_are_listed_in_priority_order_and_changed_with_an_audit_row(world: World) -> None:
    from shuxuan.audit.models import AuditEntry

    finance = client_for(world.finance)
    bank = finance.get("/api/reconciliation/rules/", {"source": "bank"}).json()["results"]
    assert [row["kind"] for row in bank] == ["payout_reference", "batch_reference", "request_no", "amount_date"]
    amount_date = bank[-1]
    changed = finance.patch(
        f"/api/reconciliation/rules/{amount_date['id']}/", {"date_tolerance_days": 5, "amount_tolerance_minor": 10}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["date_tolerance_days"] == 5
    assert AuditEntry.objects.filter(action="reconciliation.rule_update").count() == 1
    clash = finance.patch(f"/api/reconciliation/rules/{amount_date['id']}/", {"priority": bank[0]["priority"]}, format="json")
    assert clash.status_code == 409 and "priority" in clash.json()["errors"]


def test_the_exceptions_queue_filters_by_age_on_the_server_across_pages(douyin_world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from shuxuan.reconciliation.matching import reconcile

    finance = client_for(douyin_world.finance)
    upload(finance, "douyin", "douyin_settle_bill.csv")
    reconcile(period=PERIOD, source="douyin")
    keys = list(ReconException.objects.order_by("match_key").values_list("match_key", flat=True))
    # Age them: two a fortnight old, one 45 days, one 90 days; the other two stay new.
    now = timezone.now()
    for key, days in zip(keys, (14, 14, 45, 90), strict=False):
        ReconException.objects.filter(match_key=key).update(first_seen_at=now - timedelta(days=days))

    def listed(age: str, **extra: Any) -> list[str]:
        rows = finance.get("/api/reconciliation/exceptions/", {"age": age, "page_size": 1, **extra}).json()
        return [rows["count"], *(r["match_key"] for r in rows["results"])]

    assert listed("8-30") == [2, keys[0]]  # the count is of every page, not the one shown
    assert listed("8-30", page=2) == [2, keys[1]]
    assert listed("31-60") == [1, keys[2]]
    assert listed("60+") == [1, keys[3]]
    assert listed("0-7")[0] == 2
    bad = finance.get("/api/reconciliation/exceptions/", {"age": "soon"})
    assert bad.status_code == 400 and "age" in str(bad.json())


def test_the_rules_list_shows_the_defaults_before_any_reconciliation(world: World) -> None:
    from shuxuan.reconciliation.models import MatchRule

    MatchRule.objects.all().delete()  # as on a database no reconciliation has run on yet
    assert client_for(world.brand_user).get("/api/reconciliation/rules/").status_code == 403
    assert not MatchRule.objects.exists()  # a refused caller creates nothing
    rows = client_for(world.finance).get("/api/reconciliation/rules/", {"source": "douyin"}).json()["results"]
    assert [(row["kind"], row["priority"]) for row in rows] == [("order_id", 10)]
    assert MatchRule.objects.filter(source="bank").count() == 4


@pytest.mark.parametrize("path", ["/api/reconciliation/closes/", "/api/reconciliation/runs/"])
def test_year_zero_is_refused_as_a_period_and_writes_nothing(world: World, path: str) -> None:
    """Found by the API contract test: "0000-01" matched YYYY-MM and was a 500 (no year 0 in a calendar)."""
    from shuxuan.reconciliation.models import PeriodClose, ReconRun

    response = client_for(world.finance).post(path, {"period": "0000-01"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"period": ["会计期间格式为 YYYY-MM / period must be YYYY-MM"]}
    assert (PeriodClose.objects.count(), ReconRun.objects.count()) == (0, 0)
