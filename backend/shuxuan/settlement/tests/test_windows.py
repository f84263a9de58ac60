"""The after-sale window's bounds (windows.py) hold in the database, the API and the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from shuxuan.settlement.models import PlatformTerms
from shuxuan.settlement.windows import (
    AFTER_SALE_DAYS_DEFAULT,
    AFTER_SALE_DAYS_MAX,
    AFTER_SALE_DAYS_MIN,
    AFTER_SALE_DAYS_REFUSED,
    after_sale_days_valid,
)

from .conftest import World

pytestmark = pytest.mark.django_db
BACKEND = Path(__file__).resolve().parents[3]


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_bounds_and_the_default() -> None:
    assert [after_sale_days_valid(d) for d in (-1, 0, 7, 90, 91)] == [False, True, True, True, False]
    assert not after_sale_days_valid(7.0) and not after_sale_days_valid(True) and not after_sale_days_valid("7")
    assert AFTER_SALE_DAYS_MIN <= AFTER_SALE_DAYS_DEFAULT <= AFTER_SALE_DAYS_MAX
    assert PlatformTerms._meta.get_field("after_sale_days").default == AFTER_SALE_DAYS_DEFAULT


@pytest.mark.parametrize("days", [AFTER_SALE_DAYS_MAX + 1, 400])
def test_the_database_refuses_a_window_out_of_bounds(days: int) -> None:
    terms = PlatformTerms.objects.get_or_create(platform="kuaishou", defaults={"service_fee_bps": 500})[0]
    with pytest.raises(IntegrityError, match="settlement_terms_after_sale_days_in_bounds"), transaction.atomic():
        PlatformTerms.objects.filter(pk=terms.pk).update(after_sale_days=days)
    terms.refresh_from_db()
    assert terms.after_sale_days == AFTER_SALE_DAYS_DEFAULT


@pytest.mark.parametrize("days", [AFTER_SALE_DAYS_MIN - 1, AFTER_SALE_DAYS_MAX + 1])
def test_the_api_refuses_a_window_out_of_bounds_with_the_rules_message(world: World, days: int) -> None:
    terms = PlatformTerms.objects.get_or_create(platform="douyin", defaults={"service_fee_bps": 500})[0]
    before = terms.after_sale_days
    response = client_for(world.finance).patch(
        f"/api/settlement/platform-terms/{terms.pk}/", {"after_sale_days": days}, format="json"
    )
    assert response.status_code == 400
    assert AFTER_SALE_DAYS_REFUSED in str(response.json())
    terms.refresh_from_db()
    assert terms.after_sale_days == before
    edge = client_for(world.finance).patch(
        f"/api/settlement/platform-terms/{terms.pk}/", {"after_sale_days": AFTER_SALE_DAYS_MAX}, format="json"
    )
    assert edge.status_code == 200 and edge.json()["after_sale_days"] == AFTER_SALE_DAYS_MAX


@pytest.mark.parametrize(("value", "refused"), [("91", True), ("-1", True), ("90", False), ("0", False)])
def test_the_settings_refuse_a_default_out_of_bounds(value: str, refused: bool) -> None:
    env = os.environ | {"SETTLEMENT_AFTER_SALE_DAYS": value, "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "x")}
    env.setdefault("DATABASE_URL", "postgres://localhost/unused")
    done = subprocess.run(
        [sys.executable, "-c", "import config.settings.base as s; print(s.SETTLEMENT_AFTER_SALE_DAYS)"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if refused:
        assert done.returncode != 0 and "SETTLEMENT_AFTER_SALE_DAYS" in done.stderr and "ImproperlyConfigured" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == value
