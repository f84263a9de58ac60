"""The home's activity feed names each entry's object by its type and id."""

from __future__ import annotations

import pytest
from django.db import transaction

from shuxuan.audit.services import audit_record
from shuxuan.parties.models import Role
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_recent_activity_says_what_kind_of_object_each_entry_is_about(api_client):
    """The home page names an entry's object in the UI language from its type and id, so the feed does
    not show a model's machine str() such as "pick 1: anchor 1 sku 1 (active)"."""
    brand = OrganizationFactory(name="宜宾叙府窖酒业有限公司")
    owner = UserFactory(organization=brand, roles=[Role.OWNER])
    with transaction.atomic():
        audit_record(actor=owner, action="organization.update", obj=brand, organization_id=brand.pk)
    api_client.force_authenticate(owner)
    [entry] = api_client.get("/api/home/").json()["recent_activity"]
    assert entry == {
        "at": entry["at"],
        "actor": owner.username,
        "action": "organization.update",
        "object_type": "parties.organization",
        "object_id": str(brand.pk),
        "object_repr": "宜宾叙府窖酒业有限公司",
    }
