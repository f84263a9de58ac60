"""Malformed object ids in settlement URLs answer 404 (never a 500), and change nothing."""

from __future__ import annotations

import pytest

from shuxuan.settlement.models import PlatformTerms

from .conftest import World
from .test_api import client_for

MALFORMED = ["null,null", "null", "abc", "1.5", "-1", "1,2", "99999999999999999999", "%20", "0x1"]


@pytest.mark.parametrize("pk", MALFORMED)
def test_a_malformed_platform_terms_id_answers_404_and_changes_nothing(world: World, pk: str) -> None:
    # The data migration seeds each platform's terms (a flush by a transactional test empties them).
    terms, _ = PlatformTerms.objects.update_or_create(platform="douyin", defaults={"service_fee_bps": 500, "after_sale_days": 7})
    response = client_for(world.finance).patch(f"/api/settlement/platform-terms/{pk}/", {"after_sale_days": 15}, format="json")
    assert response.status_code == 404, response.content
    terms.refresh_from_db()
    assert terms.after_sale_days == 7


@pytest.mark.parametrize("resource", ["runs", "statements", "payouts", "payout-batches", "advances", "payees", "contracts"])
@pytest.mark.parametrize("pk", ["null,null", "abc", "99999999999999999999"])
def test_a_malformed_id_of_any_settlement_object_answers_404(world: World, resource: str, pk: str) -> None:
    assert client_for(world.finance).get(f"/api/settlement/{resource}/{pk}/").status_code == 404
