"""Who may try a password now: the one rule for the SPA's login, the API token endpoint and the
Django admin's login (ADR 0014).

- Per client address, every attempt counts (LOGIN_ADDRESS_RATE, 10 a minute): one machine cannot
  spray passwords over many usernames.
- Per (username, address) pair, LOGIN_PAIR_FREE_FAILURES (5) failures are free; each failure
  after them shuts the pair for LOGIN_BACKOFF_SECONDS (60 s), doubling up to an hour. A success
  clears the pair. Someone guessing from one place slows down; the owner elsewhere is untouched.
- Per username, failures from anywhere (LOGIN_USERNAME_FAILURE_RATE, 50 an hour) cap a guesser
  with many addresses, set high enough that five wrong tries from one place never lock the owner
  out.

The client address is DRF's: REMOTE_ADDR, or the hop the trusted proxies appended to
X-Forwarded-For (NUM_PROXIES from SHUXUAN_TRUSTED_PROXIES).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

PAIR_MEMORY_SECONDS = 86_400


def _now() -> float:
    return time.time()


def client_address(request: Any) -> str:
    return BaseThrottle().get_ident(request)


def _ident(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:32]


def _window(prefix: str, rate: tuple[int, int], now: float) -> tuple[str, int, int]:
    """The fixed window's key, its limit, and the seconds left in it."""
    limit, period = rate
    bucket = int(now // period)
    return f"{prefix}:{bucket}", limit, max(1, math.ceil((bucket + 1) * period - now))


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    return cache.incr(key)


def login_refusal(*, username: str, address: str) -> int | None:
    """Seconds to wait before this attempt is heard, or None (and it counts against the address)."""
    now = _now()
    user = _ident(username)
    until = cache.get(f"login:pair-shut:{user}:{address}")
    if until is not None and until > now:
        return math.ceil(until - now)
    failures_key, failure_limit, failures_left = _window(f"login:user:{user}", settings.LOGIN_USERNAME_FAILURE_RATE, now)
    if (cache.get(failures_key) or 0) >= failure_limit:
        return failures_left
    attempts_key, attempt_limit, attempts_left = _window(f"login:addr:{address}", settings.LOGIN_ADDRESS_RATE, now)
    if (cache.get(attempts_key) or 0) >= attempt_limit:
        return attempts_left
    _count(attempts_key, attempts_left + 1)
    return None


def refusal_message(wait: int) -> str:
    return f"登录尝试过多，请 {wait} 秒后再试 / too many login attempts; try again in {wait} s"


def login_failed(*, username: str, address: str) -> None:
    now = _now()
    user = _ident(username)
    failures_key, _limit, failures_left = _window(f"login:user:{user}", settings.LOGIN_USERNAME_FAILURE_RATE, now)
    _count(failures_key, failures_left + 1)
    failures = _count(f"login:pair:{user}:{address}", PAIR_MEMORY_SECONDS)
    over = failures - settings.LOGIN_PAIR_FREE_FAILURES
    if over >= 0:
        delay = min(settings.LOGIN_BACKOFF_SECONDS * 2**over, settings.LOGIN_BACKOFF_MAX_SECONDS)
        cache.set(f"login:pair-shut:{user}:{address}", now + delay, delay)


def login_succeeded(*, username: str, address: str) -> None:
    user = _ident(username)
    cache.delete_many([f"login:pair:{user}:{address}", f"login:pair-shut:{user}:{address}"])
