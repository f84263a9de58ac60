from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from shuxuan.audit.models import AuditEntry
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties import services
from shuxuan.parties.models import McnBinding, OrganizationKind, Role
from shuxuan.parties.selectors import binding_in_force
from shuxuan.testing.factories import AnchorAccountFactory, AnchorFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def operator_user():
    return UserFactory(organization=OrganizationFactory(kind=OrganizationKind.OPERATOR), roles=[Role.OWNER])


def test_a_new_binding_ends_the_old_one_and_history_answers_by_date(operator_user):
    anchor = AnchorFactory()
    first_mcn = OrganizationFactory(kind=OrganizationKind.MCN)
    second_mcn = OrganizationFactory(kind=OrganizationKind.MCN)
    first = services.anchor_bind_mcn(
        actor=operator_user, anchor=anchor, mcn=first_mcn, split_bps=3000, valid_from=datetime(2025, 1, 1, tzinfo=SH)
    )
    second = services.anchor_bind_mcn(
        actor=operator_user, anchor=anchor, mcn=second_mcn, split_bps=2000, valid_from=datetime(2025, 7, 1, tzinfo=SH)
    )
    first.refresh_from_db()
    assert first.valid_to == datetime(2025, 7, 1, tzinfo=SH)
    assert first.split_bps == 3000 and first.mcn_id == first_mcn.pk
    assert binding_in_force(anchor_id=anchor.pk, at=datetime(2025, 3, 1, tzinfo=SH)).pk == first.pk
    assert binding_in_force(anchor_id=anchor.pk, at=datetime(2025, 7, 1, tzinfo=SH)).pk == second.pk
    assert binding_in_force(anchor_id=anchor.pk, at=datetime(2024, 12, 31, tzinfo=SH)) is None
    assert AuditEntry.objects.filter(action="mcn_binding.end", object_id=str(first.pk)).exists()


def test_bindings_cannot_be_rewritten_backwards(operator_user):
    anchor = AnchorFactory()
    mcn = OrganizationFactory(kind=OrganizationKind.MCN)
    services.anchor_bind_mcn(
        actor=operator_user, anchor=anchor, mcn=mcn, split_bps=3000, valid_from=datetime(2025, 6, 1, tzinfo=SH)
    )
    with pytest.raises(Conflict):
        services.anchor_bind_mcn(
            actor=operator_user, anchor=anchor, mcn=mcn, split_bps=9000, valid_from=datetime(2025, 1, 1, tzinfo=SH)
        )
    assert McnBinding.objects.filter(anchor=anchor).count() == 1


def test_database_refuses_editing_or_deleting_a_binding(operator_user):
    anchor = AnchorFactory()
    binding = services.anchor_bind_mcn(
        actor=operator_user,
        anchor=anchor,
        mcn=OrganizationFactory(kind=OrganizationKind.MCN),
        split_bps=3000,
        valid_from=datetime(2025, 1, 1, tzinfo=SH),
    )
    for sql in (
        "UPDATE parties_mcnbinding SET split_bps = 100 WHERE id = %s",
        "DELETE FROM parties_mcnbinding WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="history"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [binding.pk])
    binding.refresh_from_db()
    assert binding.split_bps == 3000


def test_database_refuses_overlapping_bindings(operator_user):
    anchor = AnchorFactory()
    mcn = OrganizationFactory(kind=OrganizationKind.MCN)
    McnBinding.objects.create(
        anchor=anchor, mcn=mcn, split_bps=1, valid_from=datetime(2025, 1, 1, tzinfo=SH), created_by=operator_user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        McnBinding.objects.create(
            anchor=anchor, mcn=mcn, split_bps=1, valid_from=datetime(2025, 2, 1, tzinfo=SH), created_by=operator_user
        )


def test_binding_only_to_an_mcn(operator_user):
    with pytest.raises(DomainError) as error:
        services.anchor_bind_mcn(
            actor=operator_user,
            anchor=AnchorFactory(),
            mcn=OrganizationFactory(kind=OrganizationKind.BRAND),
            split_bps=1000,
            valid_from=datetime(2025, 1, 1, tzinfo=SH),
        )
    assert error.value.field == "mcn"


def test_platform_account_is_unique_per_platform(api_client):
    mcn_owner = UserFactory(organization=OrganizationFactory(kind=OrganizationKind.MCN))
    anchor = AnchorFactory(organization=mcn_owner.organization)
    AnchorAccountFactory(anchor=anchor, platform="douyin", platform_uid="dy_1")
    api_client.force_authenticate(mcn_owner)
    response = api_client.post(
        f"/api/parties/anchors/{anchor.pk}/accounts/", {"platform": "douyin", "platform_uid": "dy_1", "nickname": "x"}
    )
    assert response.status_code == 409
    assert "platform_uid" in response.json()["errors"]
    ok = api_client.post(
        f"/api/parties/anchors/{anchor.pk}/accounts/",
        {"platform": "kuaishou", "platform_uid": "dy_1", "nickname": "x", "fans": 5},
    )
    assert ok.status_code == 201


def test_mcn_creates_an_anchor_with_accounts_atomically(api_client):
    mcn_owner = UserFactory(organization=OrganizationFactory(kind=OrganizationKind.MCN))
    AnchorAccountFactory(platform="kuaishou", platform_uid="ks_taken")
    api_client.force_authenticate(mcn_owner)
    bad = api_client.post(
        "/api/parties/anchors/",
        {
            "name": "新主播",
            "kind": "digital_human",
            "accounts": [
                {"platform": "douyin", "platform_uid": "dy_new", "nickname": "a"},
                {"platform": "kuaishou", "platform_uid": "ks_taken", "nickname": "b"},
            ],
        },
        format="json",
    )
    assert bad.status_code == 409
    assert "accounts[1].platform_uid" in bad.json()["errors"]
    assert not mcn_owner.organization.anchors.exists()
    good = api_client.post(
        "/api/parties/anchors/",
        {
            "name": "新主播",
            "kind": "digital_human",
            "accounts": [{"platform": "douyin", "platform_uid": "dy_new", "nickname": "a", "fans": 10}],
        },
        format="json",
    )
    assert good.status_code == 201
    assert good.json()["kind"] == "digital_human" and good.json()["total_fans"] == 10


def test_audit_entries_are_append_only(operator_user):
    entry = AuditEntry.objects.create(actor=operator_user, action="x", object_type="t", object_id="1")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="y")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_anchor_list_has_no_n_plus_one(api_client, django_assert_max_num_queries):
    mcn_owner = UserFactory(organization=OrganizationFactory(kind=OrganizationKind.MCN))
    for _ in range(12):
        AnchorAccountFactory(anchor=AnchorFactory(organization=mcn_owner.organization))
    api_client.force_authenticate(mcn_owner)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/parties/anchors/")
    assert response.json()["count"] == 12
