"""Strict parsing of the environment.

Every setting that comes from the environment goes through here, so a typo such as
``DJANGO_DEBUG=ture`` stops start-up with a message naming the variable instead of silently
meaning False.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if not value:
        if required or default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_optional(name: str) -> str | None:
    value = _raw(name)
    return value or None


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if not value:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of {sorted(_TRUE)} or {sorted(_FALSE)}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)  # type: ignore[arg-type]
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} must be at least {minimum}.")
    return number


_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate such as ``50/hour``: (how many, per how many seconds). The count must be positive."""
    value = _raw(name) or default
    count, _, period = value.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in _PERIODS:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must be a rate such as 10/min (periods: s, min, hour, day)."
        )
    return int(count), _PERIODS[period.strip()]


def env_positive_int(name: str, default: int) -> int:
    """A count or a size: a whole number of at least 1 (a limit of 0 or less would refuse everything)."""
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"Environment variable {name}={_raw(name)!r} must be a whole number of at least 1.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value in (None, ""):
        return default
    items = [item.strip() for item in value.split(",")]  # type: ignore[union-attr]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} has an empty item.")
    return items


def env_json(name: str, default: dict[str, Any]) -> dict[str, Any]:
    value = _raw(name)
    if not value:
        return default
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"Environment variable {name} must be a JSON object.")
    return parsed


def env_database(name: str) -> dict[str, object]:
    value = env_str(name, required=True)
    scheme = urlparse(value).scheme
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a postgres:// URL (Shuxuan runs on PostgreSQL only), got scheme {scheme!r}."
        )
    try:
        config: dict[str, object] = environ.Env.db_url_config(value)
    except Exception as exc:  # pragma: no cover - environ's own message is good enough
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid database URL: {exc}") from exc
    return config


def env_redis(name: str) -> str | None:
    value = env_optional(name)
    if value is None:
        return None
    scheme = urlparse(value).scheme
    if scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"Environment variable {name} must be a redis:// URL, got scheme {scheme!r}.")
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) base URL without a trailing slash."""
    value = env_str(name, default=default).rstrip("/")
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} must be an http:// or https:// URL.")
    return value
