"""The API answers as its OpenAPI schema says (issue 15, "The API contract").

Schemathesis generates requests for every operation of the live schema (built in process from the Django app)
and sends them through the WSGI app as three demo users: a brand, an anchor and operator finance. Every response
must not be a server error and must conform to the schema (body, status code, content type, headers). Afterwards
the ledger must still pass `verify_ledger`.

Re-run alone:
    DATABASE_URL=... .venv/bin/pytest tests/test_api_contract.py -p no:cacheprovider -n 0
A failure lists one line per failing operation and check, plus one reproducible request for each.
"""

from __future__ import annotations

import json
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ROLES = ["brand_jiu", "anchor_xiaoman", "op_finance"]
# Examples per operation and mode: negative cases are slower (each answers an error), so fewer.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}
SEED = 20261207

# Operations not fuzzed, each with the reason. Everything else in the schema is.
# (Logout is fuzzed: it ends a session, and the run authenticates with a token.)
EXCLUDED: dict[tuple[str, str], str] = {}

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
]


def _live_schema() -> Any:
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))


def _token_for(username: str) -> str:
    from rest_framework.authtoken.models import Token

    from shuxuan.parties.models import User

    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    return token.key


def _fuzz_operation(operation: Any, app: Any, headers: dict[str, str], mode: GenerationMode) -> list[str]:
    """Every distinct failure of one operation, as 'check: message' lines (with one curl to reproduce each)."""
    failures: dict[str, str] = {}

    @settings(
        max_examples=MAX_EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(app=app, headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected, reported together
            for line in _failure_lines(exc):
                failures.setdefault(line, case.as_curl_command(headers=headers))

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        # An operation with no parameters and no body (GET /api/auth/me/) has no invalid input to send.
    except Exception as exc:  # e.g. a schema the generator cannot satisfy
        failures.setdefault(f"generation: {type(exc).__name__}: {str(exc)[:200]}", "")
    return [f"{line}\n      {curl}" if curl else line for line, curl in failures.items()]


def _failure_lines(exc: BaseException) -> list[str]:
    inner = getattr(exc, "exceptions", None) or [exc]
    lines = []
    for failure in inner:
        title = getattr(failure, "title", type(failure).__name__)
        message = " ".join(str(getattr(failure, "message", failure)).split())[:240]
        lines.append(f"{title}: {message}")
    return lines


def _verify_ledger() -> dict[str, Any]:
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue().strip().splitlines()[-1])
    return result


@pytest.fixture
def eager_tasks():  # type: ignore[no-untyped-def]
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def connection_kept_open():  # type: ignore[no-untyped-def]
    """Django closes the connection after each WSGI request; the test's transaction lives on it (Django's own
    test client does the same disconnect)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_every_operation_answers_as_the_schema_says(  # type: ignore[no-untyped-def]
    username, mode, demo_world, eager_tasks, connection_kept_open, settings
):
    from config.wsgi import application

    # With a secret the webhook checks signatures (a fuzzed one answers 400); without, it answers 503.
    settings.STRIPE_WEBHOOK_SECRET = "whsec_api_contract_test"

    schema = _live_schema()
    headers = {"Authorization": f"Token {_token_for(username)}"}
    report: dict[str, list[str]] = defaultdict(list)
    covered = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        covered += 1
        for line in _fuzz_operation(operation, application, headers, mode):
            report[f"{operation.method.upper()} {operation.path}"].append(line)
    print(f"\n{username} ({mode.value}): {covered} operations fuzzed")

    ledger = _verify_ledger()
    assert ledger["ok"] is True, ledger
    assert not report, f"{sum(map(len, report.values()))} failures in {len(report)} operations as {username}:\n" + (
        "\n".join(f"  {op}\n    " + "\n    ".join(lines) for op, lines in sorted(report.items()))
    )
