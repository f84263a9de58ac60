"""The caching rules WhiteNoise applies to the built SPA's files (imported by settings: no Django imports here)."""

from __future__ import annotations

import re
from wsgiref.headers import Headers

ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
IMMUTABLE = f"public, max-age={ONE_YEAR_SECONDS}, immutable"
# Vite names every built asset `<name>-<8-character content hash>.<ext>` under /assets/.
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$")


def spa_cache_headers(headers: Headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: hashed assets are cached for a year; index.html is revalidated each time.

    A new build renames every asset it changes, so a cached asset is never stale; index.html names the assets,
    so no cache may serve it without asking.
    """
    if HASHED_ASSET.match(url):
        headers["Cache-Control"] = IMMUTABLE
    elif url.endswith(".html"):
        headers["Cache-Control"] = "no-cache"
