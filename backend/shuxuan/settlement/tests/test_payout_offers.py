"""A statement with a payout in flight or paid is not offered for payout again: the list's
`awaiting_payout` filter leaves it out, the service refuses a second payout naming the first, and
the database refuses a second live payout; a failed payout makes the statement payable again."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from shuxuan.settlement import payouts
from shuxuan.settlement.models import Payee, Payout, PayoutState, Statement
from shuxuan.settlement.runs import run_create, run_execute

from .conftest import World
from .test_api import brand_statement, client_for
from .test_runs import CUTOFF, D1


def _approved_brand_statement(world: World) -> Statement:
    world.import_lines([D1])
    run_execute(run_id=run_create(cutoff=CUTOFF, actor=None).pk)
    Payee.objects.create(
        payee_kind="organization",
        organization=world.brand,
        bank_account_name=world.brand.name,
        bank_account_number="6222020402001234567",
        bank_name="中国工商银行宜宾分行",
    )
    statement = brand_statement(world)
    assert client_for(world.finance).post(f"/api/settlement/statements/{statement.pk}/approve/").status_code == 200
    return statement


def _awaiting(world: World) -> list[int]:
    response = client_for(world.finance).get("/api/settlement/statements/", {"awaiting_payout": "true"})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _import_result(world: World, payout: Payout, word: str) -> None:
    finance = client_for(world.finance)
    result = io.BytesIO(f"业务参考号,状态,银行流水号,说明\n{payout.idempotency_key},{word},B1,\n".encode())
    result.name = "r.csv"
    response = finance.post(f"/api/settlement/payout-batches/{payout.batch_id}/results/", {"file": result}, format="multipart")
    assert response.status_code == 200, response.content


def test_a_statement_with_a_payout_in_flight_or_paid_is_not_awaiting_payout(world: World) -> None:
    statement = _approved_brand_statement(world)
    draft_or_negative = set(Statement.objects.exclude(pk=statement.pk).values_list("id", flat=True))
    assert _awaiting(world) == [statement.pk]  # the MCN's and anchor's are drafts (and paid at source)
    finance = client_for(world.finance)
    [created] = finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").json()["created"]
    assert _awaiting(world) == []  # pending
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    assert _awaiting(world) == []  # sent
    payout = Payout.objects.get(pk=created["id"])
    assert payout.batch_id == batch["id"]
    _import_result(world, payout, "失败")
    assert _awaiting(world) == [statement.pk]  # failed: payable again
    retry = finance.post(f"/api/settlement/payouts/{payout.pk}/retry/").json()
    finance.post("/api/settlement/payout-batches/", {}, format="json")
    _import_result(world, Payout.objects.get(pk=retry["id"]), "成功")
    assert _awaiting(world) == []  # paid
    negated = client_for(world.finance).get("/api/settlement/statements/", {"awaiting_payout": "false"}).json()
    assert {row["id"] for row in negated["results"]} == draft_or_negative | {statement.pk}


def test_a_second_payout_for_a_statement_is_refused_naming_the_first(world: World) -> None:
    statement = _approved_brand_statement(world)
    first = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance).created[0]
    plan = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance)
    assert plan.created == []
    assert plan.skipped == [
        {
            "statement": statement.pk,
            "reason": f"已有付款 #{first.pk}（待发送 Pending）/ the statement already has payout #{first.pk} (pending)",
        }
    ]
    # Retrying an older failed attempt while a live one exists: 409 naming the live one.
    Payout.objects.filter(pk=first.pk).update(state=PayoutState.FAILED)
    second = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance).created[0]
    response = client_for(world.finance).post(f"/api/settlement/payouts/{first.pk}/retry/")
    assert response.status_code == 409
    assert f"payout #{second.pk} (pending)" in response.json()["detail"]
    assert Payout.objects.filter(statement=statement).count() == 2


def test_the_database_refuses_a_second_live_payout_but_not_a_retry_after_a_failure(world: World) -> None:
    statement = _approved_brand_statement(world)
    first = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance).created[0]
    values = {"statement": statement, "account_id": statement.account_id, "rail": "bank", "amount_minor": 100, "currency": "CNY"}
    with pytest.raises(IntegrityError, match="settlement_payout_one_live_per_statement"), transaction.atomic():
        Payout.objects.create(idempotency_key="second-live", state=PayoutState.SENT, **values)
    Payout.objects.filter(pk=first.pk).update(state=PayoutState.FAILED)
    Payout.objects.create(idempotency_key="after-failure", **values)
    assert Payout.objects.filter(statement=statement).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_two_concurrent_payout_creations_for_one_statement_make_one_payout(world: World) -> None:
    statement = _approved_brand_statement(world)
    barrier = threading.Barrier(2)
    plans: list[Any] = [None, None]

    def create(index: int) -> None:
        try:
            barrier.wait()
            plans[index] = payouts.payouts_create(statement_ids=[statement.pk], actor=world.finance)
        except Exception as exc:  # an unexpected error is an outcome the test reports
            plans[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(isinstance(plan, payouts.PayoutPlan) for plan in plans), plans
    assert sorted(len(plan.created) for plan in plans) == [0, 1]
    [payout] = Payout.objects.filter(statement=statement)
    assert (payout.amount_minor, payout.state, payout.attempt) == (20930, PayoutState.PENDING, 1)
    [refused] = [plan for plan in plans if not plan.created]
    assert refused.skipped == [
        {
            "statement": statement.pk,
            "reason": f"已有付款 #{payout.pk}（待发送 Pending）/ the statement already has payout #{payout.pk} (pending)",
        }
    ]
