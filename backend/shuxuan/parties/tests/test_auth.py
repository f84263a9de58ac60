import pytest
from django.test import Client
from rest_framework.test import APIClient

from shuxuan.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_session_login_requires_csrf_and_returns_me():
    user = UserFactory(username="wang", display_name="王")
    client = Client(enforce_csrf_checks=True)
    refused = client.post(
        "/api/auth/login/", {"username": "wang", "password": "correct-horse-battery"}, content_type="application/json"
    )
    assert refused.status_code == 403  # no CSRF token

    client.get("/api/auth/csrf/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/auth/login/",
        {"username": "wang", "password": "correct-horse-battery"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "wang"
    assert body["organization"]["id"] == user.organization_id
    assert body["home"] == "brand"
    assert client.get("/api/auth/me/").json()["id"] == user.pk


def test_wrong_password_is_a_clear_400_and_does_not_log_in():
    UserFactory(username="li")
    client = APIClient()
    response = client.post("/api/auth/login/", {"username": "li", "password": "nope-nope-nope"})
    assert response.status_code == 400
    assert "wrong username or password" in response.json()["detail"]
    assert client.get("/api/auth/me/").status_code == 403


def test_token_auth_for_api_clients():
    UserFactory(username="bot")
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": "bot", "password": "correct-horse-battery"}).json()["token"]
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert other.get("/api/auth/me/").json()["username"] == "bot"


def test_everything_but_public_endpoints_requires_login():
    client = APIClient()
    assert client.get("/api/health/").status_code == 200
    for url in ["/api/home/", "/api/parties/organizations/", "/api/parties/anchors/", "/api/audit/entries/", "/api/schema/"]:
        assert client.get(url).status_code in (401, 403), url


def test_logout_ends_the_session():
    user = UserFactory()
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/auth/me/").status_code == 200
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 403


def test_me_names_the_anchor_of_an_anchor_login(login, demo_parties):
    from shuxuan.parties.models import Anchor

    anchor = Anchor.objects.get(user__username="anchor_xiaoman")
    assert login("anchor_xiaoman").get("/api/auth/me/").json()["anchor"] == anchor.pk
    assert login("mcn_owner").get("/api/auth/me/").json()["anchor"] is None
