from __future__ import annotations

from typing import Any

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class LoginIpThrottle(AnonRateThrottle):
    """Failed-or-not login attempts per client address."""

    scope = "login"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    """Attempts per username, whatever address they come from (slows password guessing)."""

    scope = "login_user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        username = str(request.data.get("username", "")).strip().lower() if hasattr(request, "data") else ""
        if not username:
            return None
        return self.cache_format % {"scope": self.scope, "ident": username}
