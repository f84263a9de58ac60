"""A SKU that picks refer to cannot be deleted: a clear 409, nothing changed (not a 500)."""

import pytest
from django.db.models import Count
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog.models import Sku
from shuxuan.parties.models import User
from shuxuan.selection.models import Pick


@pytest.mark.django_db
def test_deleting_a_picked_sku_is_a_conflict(demo_world):
    sku = (
        Sku.objects.filter(pk__in=Pick.objects.values("sku_id"))
        .annotate(siblings=Count("product__skus"))
        .filter(siblings__gt=1)
        .select_related("product")
        .first()
    )
    assert sku is not None, "the demo world has a picked SKU of a multi-SKU product"
    owner = User.objects.filter(organization_id=sku.product.brand_id, roles__contains=["owner"]).first()
    client = APIClient()
    client.force_authenticate(owner)
    audit_before = AuditEntry.objects.count()
    response = client.delete(f"/api/catalog/skus/{sku.pk}/")
    assert response.status_code == 409, response.content
    assert "sku" in response.json()["errors"]
    assert Sku.objects.filter(pk=sku.pk).exists()
    assert AuditEntry.objects.count() == audit_before
