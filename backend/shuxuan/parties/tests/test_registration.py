from datetime import timedelta

import pytest
from django.utils import timezone

from shuxuan.audit.models import AuditEntry
from shuxuan.common.credit_code import make_credit_code
from shuxuan.parties.models import Invitation, Organization, OrganizationKind, Role, User
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_admin():
    org = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="运营方")
    return UserFactory(organization=org, roles=[Role.OWNER, Role.STAFF])


def test_operator_invites_a_brand_who_accepts(api_client, operator_admin):
    api_client.force_authenticate(operator_admin)
    code = make_credit_code(division="511800", serial=4242)
    response = api_client.post(
        "/api/parties/invitations/",
        {"kind": "brand", "organization_name": "雅安测试茶业有限公司", "credit_code": code, "email": "tea@example.com"},
    )
    assert response.status_code == 201, response.json()
    token = Invitation.objects.get().token
    assert response.json()["invite_url"] == f"/invite/{token}"

    anonymous = api_client.__class__()
    assert anonymous.get(f"/api/public/invitations/{token}/").json()["organization_name"] == "雅安测试茶业有限公司"
    accepted = anonymous.post(f"/api/public/invitations/{token}/", {"username": "yaan_tea", "password": "a-long-pass-phrase"})
    assert accepted.status_code == 201, accepted.json()
    user = User.objects.get(username="yaan_tea")
    assert user.organization.kind == "brand" and user.organization.credit_code == code
    assert anonymous.get("/api/auth/me/").json()["username"] == "yaan_tea"  # logged in on acceptance
    assert user.roles == ["owner"]
    # The token is single-use.
    again = api_client.__class__().post(
        f"/api/public/invitations/{token}/", {"username": "someone_else", "password": "a-long-pass-phrase"}
    )
    assert again.status_code == 400
    assert not User.objects.filter(username="someone_else").exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"invitation.create", "organization.create", "user.create", "invitation.accept"} <= actions


def test_bad_credit_code_is_refused_naming_the_field(api_client, operator_admin):
    api_client.force_authenticate(operator_admin)
    response = api_client.post(
        "/api/parties/invitations/",
        {"kind": "mcn", "organization_name": "坏代码传媒", "credit_code": "91350100M000100Y44", "email": "x@example.com"},
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()["errors"]
    assert "校验位" in response.json()["errors"]["credit_code"][0]
    assert Invitation.objects.count() == 0


def test_expired_invitation_is_refused(api_client, operator_admin):
    invitation = Invitation.objects.create(
        kind="mcn",
        organization_name="过期传媒",
        credit_code=make_credit_code(division="510100", serial=77),
        email="a@example.com",
        invited_by=operator_admin,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = api_client.post(
        f"/api/public/invitations/{invitation.token}/", {"username": "late_one", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 400
    assert Organization.objects.filter(name="过期传媒").count() == 0


def test_weak_password_on_accept_leaves_nothing_behind(api_client, operator_admin):
    invitation = Invitation.objects.create(
        kind="brand",
        organization_name="弱密码食品",
        credit_code=make_credit_code(division="510100", serial=78),
        email="a@example.com",
        invited_by=operator_admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    before = AuditEntry.objects.count()
    response = api_client.post(f"/api/public/invitations/{invitation.token}/", {"username": "weakling", "password": "1234567890"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    assert not Organization.objects.filter(name="弱密码食品").exists()
    assert AuditEntry.objects.count() == before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_only_operator_admins_invite(api_client):
    brand_owner = UserFactory()
    api_client.force_authenticate(brand_owner)
    response = api_client.post(
        "/api/parties/invitations/",
        {
            "kind": "brand",
            "organization_name": "x",
            "credit_code": make_credit_code(division="510100", serial=79),
            "email": "a@example.com",
        },
    )
    assert response.status_code == 403


def test_owner_adds_a_member_with_roles(api_client):
    owner = UserFactory()
    api_client.force_authenticate(owner)
    response = api_client.post(
        "/api/parties/users/", {"username": "finance_li", "password": "a-long-pass-phrase", "roles": ["finance"]}
    )
    assert response.status_code == 201
    member = User.objects.get(username="finance_li")
    assert member.organization_id == owner.organization_id and member.roles == ["finance"]
    staff = UserFactory(organization=owner.organization, roles=[Role.STAFF])
    api_client.force_authenticate(staff)
    assert (
        api_client.post(
            "/api/parties/users/", {"username": "nope_x", "password": "a-long-pass-phrase", "roles": ["staff"]}
        ).status_code
        == 403
    )


def test_accepting_an_invitation_requires_the_csrf_token(operator_admin):
    from django.test import Client

    invitation = Invitation.objects.create(
        kind="mcn",
        organization_name="跨站传媒",
        credit_code=make_credit_code(division="510100", serial=81),
        email="a@example.com",
        invited_by=operator_admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    client = Client(enforce_csrf_checks=True)
    url = f"/api/public/invitations/{invitation.token}/"
    body = {"username": "csrf_victim", "password": "a-long-pass-phrase"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert not User.objects.filter(username="csrf_victim").exists()
    client.get("/api/auth/csrf/")
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 201
