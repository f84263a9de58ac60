"""Django's own error pages, answered as the API's error shape under /api/ (the schema's `Error`).

A URL that no route matches (`/api/settlement/lines/-1/phases/`), a body Django cannot parse and a CSRF failure are answered by
Django before DRF runs; without these the API would answer them as HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import csrf, defaults

API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "未找到 / not found", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django cannot read at all (a malformed multipart body)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "请求无法解析 / the request could not be read", "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        body = {"detail": f"CSRF 校验失败 / CSRF verification failed: {reason}", "code": "csrf_failed"}
        return JsonResponse(body, status=403)
    return csrf.csrf_failure(request, reason)
