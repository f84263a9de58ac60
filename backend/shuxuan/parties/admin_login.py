"""The Django admin's login, held to the same attempt rule as the API's (login_guard): its POSTs
count per address, per (username, address) pair and per username, alongside the SPA's and the
token endpoint's."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from shuxuan.parties import login_guard


def guarded_admin_login(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return admin.site.login(request)
    username = str(request.POST.get("username", ""))
    address = login_guard.client_address(request)
    wait = login_guard.login_refusal(username=username, address=address)
    if wait is not None:
        response = HttpResponse(
            login_guard.refusal_message(wait),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    response = admin.site.login(request)
    # The admin answers a good login with a redirect and a bad one with the form again.
    if response.status_code == 302 and request.user.is_authenticated:
        login_guard.login_succeeded(username=username, address=address)
    else:
        login_guard.login_failed(username=username, address=address)
    return response
