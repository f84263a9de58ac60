"""Login attempts (ADR 0014): the client address a proxy header cannot fake, the per-pair back-off
that slows a guesser without locking the owner out, the per-username cap, and the Django admin's
login held to the same rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from config.env import env_int, env_rate
from shuxuan.parties import login_guard
from shuxuan.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT = "correct-horse-battery"
ENDPOINTS = ["/api/auth/login/", "/api/auth/token/"]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(login_guard, "_now", clock)
    return clock


def attempt(url: str, username: str, password: str, address: str, **headers: str) -> int:
    response = APIClient().post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
    return response.status_code


def test_trusted_proxies_come_from_the_environment_strictly(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.SHUXUAN_TRUSTED_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    for value, expected in (("0", 0), ("1", 1), ("2", 2)):
        monkeypatch.setenv("SHUXUAN_TRUSTED_PROXIES", value)
        assert env_int("SHUXUAN_TRUSTED_PROXIES", 0, minimum=0) == expected
    for bad in ("-1", "one", "1.5"):
        monkeypatch.setenv("SHUXUAN_TRUSTED_PROXIES", bad)
        with pytest.raises(ImproperlyConfigured, match="SHUXUAN_TRUSTED_PROXIES"):
            env_int("SHUXUAN_TRUSTED_PROXIES", 0, minimum=0)
    assert settings.LOGIN_ADDRESS_RATE == (10, 60)
    assert settings.LOGIN_USERNAME_FAILURE_RATE == (50, 3600)
    for bad in ("0/min", "ten/min", "10/fortnight", "10"):
        monkeypatch.setenv("SHUXUAN_LOGIN_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="SHUXUAN_LOGIN_RATE"):
            env_rate("SHUXUAN_LOGIN_RATE", "10/min")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_new_forwarded_for_header_does_not_reset_the_address_limit(url: str, clock: Clock) -> None:
    codes = [
        attempt(url, f"nobody{i}", "guess-guess-guess", "203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}") for i in range(11)
    ]
    assert codes == [400] * 10 + [429]


def test_with_one_trusted_proxy_the_address_is_the_hop_it_appended(settings: Any, clock: Clock) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy (10.0.0.2) appends the address it saw; whatever the client put before it is ignored.
    codes = [
        attempt("/api/auth/login/", f"nobody{i}", "guess-guess-guess", "10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.7")
        for i in range(11)
    ]
    assert codes == [400] * 10 + [429]
    # Another client behind the same proxy has its own count.
    assert attempt("/api/auth/login/", "nobody", "guess-guess-guess", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8") == 400


@pytest.mark.parametrize("url", ENDPOINTS)
def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out(url: str, clock: Clock) -> None:
    UserFactory(username="zhao")
    assert [attempt(url, "zhao", f"guess-{i}-guess", "203.0.113.7") for i in range(5)] == [400] * 5
    # That pair waits now, the right password included ...
    assert attempt(url, "zhao", RIGHT, "203.0.113.7") == 429
    # ... while the owner, elsewhere, gets in.
    assert attempt(url, "zhao", RIGHT, "198.51.100.20") == 200
    clock.now += 59
    assert attempt(url, "zhao", RIGHT, "203.0.113.7") == 429
    clock.now += 2
    assert attempt(url, "zhao", RIGHT, "203.0.113.7") == 200
    # Success cleared the pair: five free failures again.
    assert [attempt(url, "zhao", f"again-{i}-guess", "203.0.113.7") for i in range(5)] == [400] * 5
    assert attempt(url, "zhao", RIGHT, "203.0.113.7") == 429


def test_the_back_off_doubles_with_each_failure_after_the_free_ones(clock: Clock) -> None:
    UserFactory(username="qian")
    for i in range(5):
        assert attempt("/api/auth/login/", "qian", f"guess-{i}-guess", "203.0.113.7") == 400
    response = APIClient().post("/api/auth/login/", {"username": "qian", "password": RIGHT}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json()["detail"] == "登录尝试过多，请 60 秒后再试 / too many login attempts; try again in 60 s"
    clock.now += 61
    assert attempt("/api/auth/login/", "qian", "sixth-wrong-guess", "203.0.113.7") == 400
    response = APIClient().post("/api/auth/login/", {"username": "qian", "password": RIGHT}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and response["Retry-After"] == "120"
    clock.now += 121
    assert attempt("/api/auth/login/", "qian", RIGHT, "203.0.113.7") == 200


def test_failures_from_many_addresses_are_capped_per_username(clock: Clock) -> None:
    UserFactory(username="sun")
    codes = [attempt("/api/auth/login/", "sun", f"guess-{i}-guess", f"10.1.{i // 200}.{i % 200}") for i in range(50)]
    assert codes == [400] * 50
    assert attempt("/api/auth/login/", "sun", RIGHT, "198.51.100.20") == 429
    assert attempt("/api/auth/login/", "li", RIGHT, "198.51.100.20") == 400  # other usernames unaffected
    clock.now += 3600
    assert attempt("/api/auth/login/", "sun", RIGHT, "198.51.100.20") == 200


def admin_attempt(username: str, password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"}).status_code


def test_the_admin_login_is_held_to_the_same_rule(clock: Clock) -> None:
    UserFactory(username="zhou", is_staff=True, is_superuser=True)
    assert [admin_attempt("zhou", f"guess-{i}-guess", "203.0.113.7") for i in range(5)] == [200] * 5  # the form again
    assert admin_attempt("zhou", RIGHT, "203.0.113.7") == 429
    # The admin's failures are the API's: the same pair is shut on the SPA login too.
    assert attempt("/api/auth/login/", "zhou", RIGHT, "203.0.113.7") == 429
    assert admin_attempt("zhou", RIGHT, "198.51.100.20") == 302
    assert Client().get("/admin/login/").status_code == 200


def test_admin_failures_count_toward_the_per_username_cap(settings: Any, clock: Clock) -> None:
    settings.LOGIN_USERNAME_FAILURE_RATE = (3, 3600)
    UserFactory(username="wu", is_staff=True)
    assert [admin_attempt("wu", f"guess-{i}-guess", f"10.2.0.{i}") for i in range(3)] == [200] * 3
    assert attempt("/api/auth/token/", "wu", RIGHT, "198.51.100.20") == 429
