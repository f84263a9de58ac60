"""Multi-phase settlement through the API: finance splits a pre-sale line into a deposit and a
balance; each run settles the phases due by its cut-off, and the two runs' legs add up to the
split of the whole line."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.settlement.models import LineTerms, SettledLeg, SettlementPhase

from .conftest import World
from .test_runs import D1, legs_of, settle

URL = "/api/settlement/lines/{}/phases/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(*phases: tuple[str, str]) -> dict[str, Any]:
    return {"phases": [{"amount": {"amount": a, "currency": "CNY"}, "settleable_on": d} for a, d in phases]}


def test_finance_sets_a_deposit_and_a_balance_and_runs_settle_them_in_turn(world: World) -> None:
    world.import_lines([D1 | {"order_id": "PRE"}])
    line = world.line("PRE")
    finance = client_for(world.finance)
    response = finance.put(URL.format(line.pk), body(("50.00", "2026-11-05"), ("249.00", "2026-11-15")), format="json")
    assert response.status_code == 200, response.json()
    shown = response.json()
    assert shown["full_basis"] == {"amount": "299.00", "currency": "CNY"}
    assert [(p["phase"], p["basis"]["amount"], p["settleable_on"]) for p in shown["phases"]] == [
        (1, "50.00", "2026-11-05"),
        (2, "249.00", "2026-11-15"),
    ]
    assert AuditEntry.objects.filter(action="settlement.line_phases_set").count() == 1

    settle(date(2026, 11, 10))  # only the deposit is due
    assert LineTerms.objects.get(line_id=line.pk).settled_basis_minor == 5_000
    deposit_legs = legs_of("PRE", world)
    assert sum(deposit_legs.values()) == 5_000
    # 5000 / 29900 of each full leg, half-up: platform fee 1495 → 250, commission 5980 → 1000.
    assert deposit_legs["platform_fee"] == 250

    settle(date(2026, 11, 15))  # the balance
    assert LineTerms.objects.get(line_id=line.pk).settled_basis_minor == 29_900
    # Both runs together equal the one-phase split of the hand-checked example in test_runs.
    assert legs_of("PRE", world) == {
        "platform_fee": 1495,
        "anchor_commission": 4186,
        "mcn_share": 1794,
        "operator_margin": 1495,
        "producer": 20930,
    }
    assert SettledLeg.objects.filter(line_id=line.pk).values("run_id").distinct().count() == 2

    # Settled now: the schedule can no longer change.
    refused = finance.put(URL.format(line.pk), body(("100.00", "2026-11-05"), ("199.00", "2026-11-15")), format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "already_settled"
    assert finance.delete(URL.format(line.pk)).status_code == 400
    assert SettlementPhase.objects.filter(line_id=line.pk).count() == 2


@pytest.mark.parametrize(
    ("phases", "field"),
    [
        ((("50.00", "2026-11-05"), ("200.00", "2026-11-15")), "phases"),  # 250 ≠ 299
        ((("50.00", "2026-11-15"), ("249.00", "2026-11-05")), "phases[1].settleable_on"),
        ((("0.00", "2026-11-05"), ("299.00", "2026-11-15")), "phases[0].amount"),
        ((("50.001", "2026-11-05"), ("248.999", "2026-11-15")), "phases[0].amount"),
        ((("299.00", "2026-11-05"),), "phases"),  # one phase is no schedule
    ],
)
def test_a_bad_schedule_is_refused_naming_the_field_and_nothing_is_written(
    world: World, phases: tuple[tuple[str, str], ...], field: str
) -> None:
    world.import_lines([D1])
    line = world.line("D1")
    response = client_for(world.finance).put(URL.format(line.pk), body(*phases), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not SettlementPhase.objects.filter(line_id=line.pk).exists()


def test_a_currency_other_than_the_lines_is_refused(world: World) -> None:
    world.import_lines([D1])
    line = world.line("D1")
    payload = body(("50.00", "2026-11-05"), ("249.00", "2026-11-15"))
    payload["phases"][1]["amount"]["currency"] = "USD"
    response = client_for(world.finance).put(URL.format(line.pk), payload, format="json")
    assert response.status_code == 400
    assert "phases[1].amount.currency" in response.json()["errors"]


def test_clearing_the_phases_settles_the_line_as_one_again(world: World) -> None:
    world.import_lines([D1])
    line = world.line("D1")
    finance = client_for(world.finance)
    finance.put(URL.format(line.pk), body(("50.00", "2026-11-05"), ("249.00", "2026-11-30")), format="json")
    assert finance.delete(URL.format(line.pk)).status_code == 204
    assert finance.get(URL.format(line.pk)).json()["phases"] == []
    settle(date(2026, 11, 10))
    assert LineTerms.objects.get(line_id=line.pk).settled_basis_minor == 29_900


def test_only_operator_finance_may_see_or_set_phases(world: World) -> None:
    world.import_lines([D1])
    line = world.line("D1")
    for user in (world.brand_user, world.mcn_user):
        client = client_for(user)
        assert client.get(URL.format(line.pk)).status_code == 403
        schedule = body(("50.00", "2026-11-05"), ("249.00", "2026-11-15"))
        assert client.put(URL.format(line.pk), schedule, format="json").status_code == 403
    assert APIClient().get(URL.format(line.pk)).status_code in (401, 403)
    assert client_for(world.finance).get(URL.format(999_999_999)).status_code == 404
