"""A local stand-in for the Stripe Connect endpoints that localstripe lacks.

Answers POST /v1/transfers, POST /v1/transfers/{id}/reversals, GET /v1/transfers/{id} and
GET /v1/accounts/{id} with the object shapes of Stripe's own fixtures (stripe/openapi
fixtures3.json, see shared/reference/stripe/README.md). It honours Idempotency-Key: the same key
answers the same object and status; the same key with other parameters is Stripe's
`idempotency_error`. Any other path is forwarded to `fallback_base` (a localstripe server) when
one is set, so one STRIPE_API_BASE serves both.

Made to fail on purpose:
- destination `acct_insufficient`: 400 `balance_insufficient`, as Stripe answers a transfer larger
  than the platform's available balance;
- account or destination `acct_missing`: 404 `resource_missing`;
- `stub.fail_next(status, code, message, type)`: the next request answers that error (also one
  that would have gone to the fallback, e.g. a card decline on confirming a PaymentIntent).
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

INSUFFICIENT = "acct_insufficient"
MISSING = "acct_missing"
ERROR_DOCS = "https://docs.stripe.com/error-codes/"


def _stripe_id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


def stripe_error(*, status: int, code: str, message: str, type: str = "invalid_request_error", param: str | None = None):
    """Stripe's error object: {"error": {"code", "doc_url", "message", "param", "request_log_url", "type"}}."""
    return status, {
        "error": {
            "code": code,
            "doc_url": ERROR_DOCS + code.replace("_", "-"),
            "message": message,
            "param": param,
            "request_log_url": None,
            "type": type,
        }
    }


def decode_form(body: bytes) -> dict[str, Any]:
    """Stripe's form encoding (`metadata[k]=v`, `expand[0]=x`) back into nested values."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        if "[" in key:
            head, rest = key.split("[", 1)
            inner = rest.rstrip("]")
            result.setdefault(head, {})[inner] = value
        else:
            result[key] = value
    return result


def transfer_object(*, transfer_id: str, amount: int, currency: str, destination: str, **extra: Any) -> dict[str, Any]:
    """A transfer as fixtures3.json's `transfer`, with these values."""
    return {
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": _stripe_id("txn_"),
        "created": int(time.time()),
        "currency": currency,
        "description": extra.get("description"),
        "destination": destination,
        "destination_payment": _stripe_id("py_"),
        "id": transfer_id,
        "livemode": False,
        "metadata": extra.get("metadata") or {},
        "object": "transfer",
        "reversals": {"data": [], "has_more": False, "object": "list", "url": f"/v1/transfers/{transfer_id}/reversals"},
        "reversed": False,
        "source_transaction": None,
        "source_type": "card",
        "transfer_group": extra.get("transfer_group"),
    }


def reversal_object(*, transfer_id: str, amount: int, currency: str, metadata: dict[str, str] | None = None) -> dict[str, Any]:
    """A reversal as fixtures3.json's `transfer_reversal`."""
    return {
        "amount": amount,
        "balance_transaction": None,
        "created": int(time.time()),
        "currency": currency,
        "destination_payment_refund": None,
        "id": _stripe_id("trr_"),
        "metadata": metadata or {},
        "object": "transfer_reversal",
        "source_refund": None,
        "transfer": transfer_id,
    }


def account_object(account_id: str, **overrides: Any) -> dict[str, Any]:
    """A connected account as fixtures3.json's `account` (the fields a platform reads), enabled."""
    account: dict[str, Any] = {
        "business_profile": {"mcc": None, "name": None, "product_description": None, "support_email": None, "url": None},
        "business_type": None,
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": "CN",
        "created": int(time.time()),
        "default_currency": "cny",
        "details_submitted": True,
        "email": None,
        "external_accounts": {
            "data": [],
            "has_more": False,
            "object": "list",
            "url": f"/v1/accounts/{account_id}/external_accounts",
        },
        "future_requirements": {"currently_due": [], "disabled_reason": None, "errors": [], "eventually_due": [], "past_due": []},
        "id": account_id,
        "metadata": {},
        "object": "account",
        "payouts_enabled": True,
        "requirements": {"currently_due": [], "disabled_reason": None, "errors": [], "eventually_due": [], "past_due": []},
        "settings": {"payouts": {"debit_negative_balances": True, "schedule": {"delay_days": 2, "interval": "daily"}}},
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "standard",
    }
    account.update(overrides)
    return account


@dataclass
class RecordedRequest:
    method: str
    path: str
    idempotency_key: str | None
    params: dict[str, Any]


@dataclass
class StubState:
    transfers: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Idempotency-Key -> (request fingerprint, status, body)
    replies: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    failures: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)


class ConnectStub:
    """The server and its state. `url` is what STRIPE_API_BASE should be set to."""

    def __init__(self, *, fallback_base: str | None = None) -> None:
        self.fallback_base = fallback_base
        self.state = StubState()
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="stripe-connect-stub", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ConnectStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.state = StubState()

    # Test controls ---------------------------------------------------------------------------

    def fail_next(
        self, status: int = 500, code: str = "api_error", message: str = "An error occurred.", type: str = "api_error"
    ) -> None:
        """The next request (of any path) answers this Stripe error."""
        with self.lock:
            self.state.failures.append(stripe_error(status=status, code=code, message=message, type=type))

    def add_account(self, account_id: str, **overrides: Any) -> dict[str, Any]:
        with self.lock:
            account = self.state.accounts[account_id] = account_object(account_id, **overrides)
            return account

    def transfer(self, transfer_id: str) -> dict[str, Any]:
        with self.lock:
            return json.loads(json.dumps(self.state.transfers[transfer_id]))

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.state.requests if r.method == method and r.path == path]

    # Endpoints -------------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, idempotency_key: str | None, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]] | None:
        """The reply, or None when the path is not ours (forwarded to the fallback)."""
        parts = [p for p in path.split("/") if p]
        ours = len(parts) >= 2 and parts[0] == "v1" and parts[1] in {"transfers", "accounts"}
        if not ours:
            with self.lock:
                return self.state.failures.pop(0) if self.state.failures else None
        with self.lock:
            self.state.requests.append(RecordedRequest(method, path, idempotency_key, params))
            if method == "POST" and idempotency_key:
                fingerprint = json.dumps([path, params], sort_keys=True)
                seen = self.state.replies.get(idempotency_key)
                if seen is not None:
                    if seen[0] != fingerprint:
                        return stripe_error(
                            status=400,
                            code="idempotency_error",
                            type="idempotency_error",
                            message="Keys for idempotent requests can only be used with the same parameters "
                            "they were first used with.",
                        )
                    return seen[1], seen[2]
            reply = self.state.failures.pop(0) if self.state.failures else self._route(method, parts, params)
            if method == "POST" and idempotency_key and reply[0] < 500:
                self.state.replies[idempotency_key] = (json.dumps([path, params], sort_keys=True), reply[0], reply[1])
            return reply

    def _route(self, method: str, parts: list[str], params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if parts[1] == "accounts" and len(parts) == 3 and method == "GET":
            return self._account(parts[2])
        if parts[1] == "transfers":
            if len(parts) == 2 and method == "POST":
                return self._transfer_create(params)
            if len(parts) == 3 and method == "GET":
                return self._transfer_get(parts[2])
            if len(parts) == 4 and parts[3] == "reversals" and method == "POST":
                return self._reversal_create(parts[2], params)
        return stripe_error(
            status=404, code="resource_missing", message=f"Unrecognized request URL ({method}: /{'/'.join(parts)})."
        )

    def _account(self, account_id: str) -> tuple[int, dict[str, Any]]:
        if account_id == MISSING or not account_id.startswith("acct_"):
            return stripe_error(status=404, code="resource_missing", param="account", message=f"No such account: '{account_id}'")
        account = self.state.accounts.get(account_id) or account_object(account_id)
        return 200, account

    def _transfer_create(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            amount = int(params["amount"])
            currency = str(params["currency"]).lower()
            destination = str(params["destination"])
        except (KeyError, ValueError) as exc:
            return stripe_error(status=400, code="parameter_missing", param=str(exc), message=f"Missing required param: {exc}.")
        if amount <= 0:
            return stripe_error(status=400, code="parameter_invalid_integer", param="amount", message="Invalid positive integer")
        if destination == INSUFFICIENT:
            return stripe_error(
                status=400,
                code="balance_insufficient",
                message=(
                    "You have insufficient available funds in your Stripe account. Try adding funds directly to your "
                    "available balance by creating Charges using the 4000000000000077 test card."
                ),
            )
        if destination == MISSING or not destination.startswith("acct_"):
            return stripe_error(
                status=400, code="resource_missing", param="destination", message=f"No such destination: '{destination}'"
            )
        transfer_id = _stripe_id("tr_")
        transfer = transfer_object(
            transfer_id=transfer_id,
            amount=amount,
            currency=currency,
            destination=destination,
            description=params.get("description"),
            metadata=params.get("metadata"),
            transfer_group=params.get("transfer_group"),
        )
        self.state.transfers[transfer_id] = transfer
        return 200, transfer

    def _transfer_get(self, transfer_id: str) -> tuple[int, dict[str, Any]]:
        transfer = self.state.transfers.get(transfer_id)
        if transfer is None:
            return stripe_error(status=404, code="resource_missing", param="id", message=f"No such transfer: '{transfer_id}'")
        return 200, transfer

    def _reversal_create(self, transfer_id: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        transfer = self.state.transfers.get(transfer_id)
        if transfer is None:
            return stripe_error(status=404, code="resource_missing", param="id", message=f"No such transfer: '{transfer_id}'")
        remaining = transfer["amount"] - transfer["amount_reversed"]
        amount = int(params.get("amount", remaining))
        if amount <= 0 or amount > remaining:
            return stripe_error(
                status=400,
                code="parameter_invalid_integer" if amount <= 0 else "transfer_reversal_amount_exceeds_remaining",
                param="amount",
                message=f"You cannot reverse {amount} when only {remaining} of the transfer remains.",
            )
        reversal = reversal_object(
            transfer_id=transfer_id, amount=amount, currency=transfer["currency"], metadata=params.get("metadata")
        )
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].insert(0, reversal)
        return 200, reversal


_ids = itertools.count(1)


def _handler_for(stub: ConnectStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            params = decode_form(body if self.command == "POST" else split.query.encode())
            reply = stub.handle(self.command, split.path, self.headers.get("Idempotency-Key"), params)
            if reply is None:
                status, payload, content_type = self._forward(body)
            else:
                status, payload, content_type = reply[0], json.dumps(reply[1]).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_stub{next(_ids):08d}")
            self.end_headers()
            self.wfile.write(payload)

        def _forward(self, body: bytes) -> tuple[int, bytes, str]:
            if not stub.fallback_base:
                status, error = stripe_error(
                    status=404, code="resource_missing", message=f"Unrecognized request URL ({self.path})."
                )
                return status, json.dumps(error).encode(), "application/json"
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() in {"authorization", "content-type", "idempotency-key", "stripe-version"}
            }
            request = urllib.request.Request(  # noqa: S310 - the fallback is an http:// test server we started
                stub.fallback_base + self.path, data=body or None, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a local test server
                    return response.status, response.read(), response.headers.get("Content-Type", "application/json")
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read(), exc.headers.get("Content-Type", "application/json")

        do_GET = _serve
        do_POST = _serve
        do_DELETE = _serve

    return Handler
