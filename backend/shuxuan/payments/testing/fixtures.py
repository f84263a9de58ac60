"""pytest fixtures for anything that talks to Stripe. Import them into a conftest:

    from shuxuan.payments.testing.fixtures import connect_stub, localstripe_url, stripe_local, stripe_stub  # noqa: F401

- `stripe_stub`: the Connect stub alone (transfers, reversals, accounts) behind STRIPE_API_BASE.
- `stripe_local`: the same stub forwarding every other path (PaymentIntents, refunds) to a
  localstripe server run as a subprocess on a free port.
Both reset the stub's state and set STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET for the test.
`signed_webhook(payload)` gives the Stripe-Signature header for a body.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from shuxuan.payments.testing.connect_stub import ConnectStub

TEST_SECRET_KEY = "sk_test_shuxuan_local"  # noqa: S105 - a test-mode key of the local servers
TEST_WEBHOOK_SECRET = "whsec_test_shuxuan_local"  # noqa: S105


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """A localstripe server (PaymentIntents, charges, refunds) on a free port, for the session."""
    for _attempt in range(3):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if _wait_for(port, process):
            break
        process.kill()
        process.wait()
    else:
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"localstripe did not start (pip install localstripe): {stderr[-2000:]}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def connect_stub() -> Iterator[ConnectStub]:
    """The Connect stub server (stdlib http.server in a thread), for the session."""
    stub = ConnectStub().start()
    try:
        yield stub
    finally:
        stub.stop()


def _configure(settings: Any, stub: ConnectStub) -> None:
    stub.reset()
    settings.STRIPE_API_BASE = stub.url
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET


@pytest.fixture
def stripe_stub(settings: Any, connect_stub: ConnectStub) -> Iterator[ConnectStub]:
    connect_stub.fallback_base = None
    _configure(settings, connect_stub)
    yield connect_stub
    connect_stub.reset()


@pytest.fixture
def stripe_local(settings: Any, connect_stub: ConnectStub, localstripe_url: str) -> Iterator[ConnectStub]:
    connect_stub.fallback_base = localstripe_url
    _configure(settings, connect_stub)
    yield connect_stub
    connect_stub.fallback_base = None
    connect_stub.reset()


def signed_webhook(payload: str, *, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header (t=…,v1=HMAC-SHA256 of "t.payload") Stripe would send."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def event_payload(*, event_type: str, obj: dict[str, Any], event_id: str, account: str | None = None) -> str:
    """A Stripe event envelope (fixtures3.json's `event`) around one object."""
    event: dict[str, Any] = {
        "api_version": "2026-07-29.dahlia",
        "created": int(time.time()),
        "data": {"object": obj},
        "id": event_id,
        "livemode": False,
        "object": "event",
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    if account:
        event["account"] = account
    return json.dumps(event)
