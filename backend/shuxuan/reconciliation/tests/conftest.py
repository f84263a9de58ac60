"""Reconciliation tests' world: settlement's compact world (an operator, a brand with SKUs mapped on
Douyin and Kuaishou, an MCN with a bound anchor), orders imported through the real importer and
settled by a real run, plus a second finance user and an owner."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shuxuan.parties.models import Role, User
from shuxuan.reconciliation.imports import ImportReport, bill_import
from shuxuan.settlement.runs import run_create, run_execute
from shuxuan.settlement.tests.conftest import World, _today, world  # noqa: F401  (fixtures)
from shuxuan.testing.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
CUTOFF = date(2026, 11, 10)
PERIOD = "2026-11"


def order(order_id: str, platform: str = "douyin", amount: str = "299.00") -> dict[str, str]:
    return {
        "platform": platform,
        "order_id": order_id,
        "status": "confirmed",
        "paid_at": "2026-10-28 20:15:00",
        "pay_amount": amount,
        "quantity": "1",
        "author_id": "dy_58213907" if platform == "douyin" else "ks_3390217",
        "product_id": "3600000000000000001" if platform == "douyin" else "ks-jiu-500",
        "commission_rate": "20%",
        "service_fee_rate": "5%",
        "confirmed_at": "2026-11-01 10:00:00",
    }


def settle(cutoff: date = CUTOFF) -> None:
    run = run_create(cutoff=cutoff, actor=None)
    assert run_execute(run_id=run.pk).state == "done"


def import_fixture(source: str, name: str, actor: Any = None) -> ImportReport:
    return bill_import(source=source, stream=io.BytesIO((FIXTURES / name).read_bytes()), filename=name, actor=actor)


@pytest.fixture
def finance2(world: World) -> User:  # noqa: F811
    return UserFactory(organization=world.operator, roles=[Role.FINANCE], username="op_fin_2")  # type: ignore[return-value]


@pytest.fixture
def owner(world: World) -> User:  # noqa: F811
    return UserFactory(organization=world.operator, roles=[Role.OWNER], username="op_owner")  # type: ignore[return-value]


@pytest.fixture
def douyin_world(world: World) -> World:  # noqa: F811
    """D1…D8 except D6 imported and settled; every line: P 29900, fee 1495, commission 5980 at source."""
    world.import_lines([order(f"D{n}") for n in (1, 2, 3, 4, 5, 7, 8)])
    settle()
    return world
