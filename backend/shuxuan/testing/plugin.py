"""pytest plugin (loaded with -p): environment checks and fixtures shared by every test package."""

from __future__ import annotations

import os

import pytest

if not os.environ.get("DATABASE_URL"):
    raise pytest.UsageError(
        "DATABASE_URL is not set. Run the tests with `make test` (it starts an embedded PostgreSQL when needed) "
        "or export DATABASE_URL=postgres://postgres@127.0.0.1:5432/shuxuan. Tests never run on SQLite."
    )
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")


@pytest.fixture(autouse=True)
def _locmem_cache(settings):  # type: ignore[no-untyped-def]
    """Throttle counters and other cache state must not leak between tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_client():  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    return APIClient()


def pytest_configure(config):  # type: ignore[no-untyped-def]
    from django.conf import settings

    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_truncate, dispatch_uid="shuxuan-testing-allow-truncate")


def _allow_truncate(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    """The ledger tables refuse TRUNCATE (ledger migration 0006) unless the session allows it; the
    flush between transactional tests empties every table with one TRUNCATE, so test sessions do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET shuxuan.allow_truncate = 'on'")


@pytest.fixture
def demo_parties(db):  # type: ignore[no-untyped-def]
    """The demo world's organizations, users and anchors only."""
    from shuxuan.demo.management.commands.seed_demo import seed_world
    from shuxuan.demo.world import SeedResult

    seed_world(scale=1, result=SeedResult())


@pytest.fixture
def demo_world(demo_parties):  # type: ignore[no-untyped-def]
    """The whole seeded Sichuan demo world (scale 1), as `seed_demo` loads it."""
    from shuxuan.catalog.demo import seed_catalog_demo
    from shuxuan.ledger.demo import seed_ledger_demo
    from shuxuan.selection.demo import seed_selection_demo
    from shuxuan.supply.demo import seed_supply_demo

    seed_catalog_demo()
    seed_ledger_demo()
    seed_supply_demo()
    seed_selection_demo()


@pytest.fixture
def login(api_client):  # type: ignore[no-untyped-def]
    """login("brand_jiu") -> an APIClient authenticated as that demo user."""
    from shuxuan.parties.models import User

    def _login(username: str):  # type: ignore[no-untyped-def]
        user = User.objects.get(username=username)
        api_client.force_authenticate(user=user)
        return api_client

    return _login
