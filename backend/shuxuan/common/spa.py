"""Serve the built SPA: index.html for client-side routes.

WhiteNoise serves frontend/dist from the site root (WHITENOISE_ROOT) and answers `Accept-Encoding: br/gzip`
from the `.br`/`.gz` files the Vite build writes beside each asset (frontend/vite-compress.ts), with the
caching rules of shuxuan/common/spa_headers.py.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie


@ensure_csrf_cookie
def spa_index(request: HttpRequest, path: str = "") -> HttpResponse:
    index = settings.SPA_DIST_DIR / "index.html"
    if not index.exists():
        return HttpResponse(
            "<h1>蜀选 Shuxuan</h1><p>The SPA is not built: run <code>make run</code> or "
            "<code>npm --prefix frontend run build</code>. The API is at <a href='/api/docs/'>/api/docs/</a>.</p>",
            status=503,
        )
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
