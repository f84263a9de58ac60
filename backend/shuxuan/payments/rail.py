"""The one way out to Stripe: a configured client, and Stripe's errors turned into a domain error.

Every call goes through `stripe_client()` so that tests (and a staging stand-in) redirect all of
them with STRIPE_API_BASE. Errors never escape as a 500: callers store the failure and raise
`PaymentRailError`, which the API answers with Stripe's message.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings
from rest_framework import status

from shuxuan.common.exceptions import DomainError


class PaymentRailError(DomainError):
    """Stripe refused a request or could not be reached. `code` is Stripe's error code when it gave one
    (e.g. "balance_insufficient"); the status is 402 for a card decline, 400 for a refused request,
    502 when Stripe could not be reached or failed."""

    status_code: int = status.HTTP_502_BAD_GATEWAY

    def __init__(self, message: str, *, code: str = "payment_rail_error", status_code: int | None = None) -> None:
        super().__init__(message, code=code)
        if status_code is not None:
            self.status_code = status_code


def stripe_client() -> stripe.StripeClient:
    """A client for the configured account and API base. Missing key: a clear domain error."""
    api_key = settings.STRIPE_SECRET_KEY
    if not api_key:
        raise PaymentRailError(
            "未配置 Stripe 密钥 / STRIPE_SECRET_KEY is not set; Stripe payments are unavailable",
            code="stripe_not_configured",
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": settings.STRIPE_API_BASE},
        # A retried request carries the same idempotency key, so Stripe applies it once.
        max_network_retries=1,
    )


def rail_error(exc: stripe.StripeError) -> PaymentRailError:
    """Stripe's exception as the domain error the API answers with."""
    message = getattr(exc, "user_message", None) or str(getattr(exc, "_message", None) or exc) or exc.__class__.__name__
    code = getattr(exc, "code", None) or _default_code(exc)
    status_code: int
    if isinstance(exc, stripe.CardError):
        status_code = status.HTTP_402_PAYMENT_REQUIRED
    elif isinstance(exc, stripe.InvalidRequestError | stripe.IdempotencyError):
        status_code = status.HTTP_400_BAD_REQUEST
    else:
        status_code = status.HTTP_502_BAD_GATEWAY
    return PaymentRailError(f"Stripe: {message}", code=str(code), status_code=status_code)


def _default_code(exc: stripe.StripeError) -> str:
    if isinstance(exc, stripe.APIConnectionError):
        return "stripe_unreachable"
    if isinstance(exc, stripe.AuthenticationError):
        return "stripe_authentication"
    return "stripe_error"


def as_dict(obj: Any) -> dict[str, Any]:
    """A StripeObject (or an event's plain dict) as plain, JSON-able data."""
    if isinstance(obj, dict):
        return obj
    result: dict[str, Any] = obj.to_dict()
    return result
