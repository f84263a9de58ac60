"""The committed OpenAPI schema (the SPA's typed client is generated from it) matches the code."""

import json
from pathlib import Path

from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parents[3] / "openapi.json"


def test_committed_schema_is_current(tmp_path):
    fresh = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(fresh), "--validate", "--fail-on-warn")
    assert json.loads(fresh.read_text()) == json.loads(SCHEMA.read_text()), "run `make schema` and commit backend/openapi.json"


def test_schema_documents_the_auth_and_parties_routes():
    paths = json.loads(SCHEMA.read_text())["paths"]
    for route in ["/api/auth/login/", "/api/auth/me/", "/api/home/", "/api/parties/anchors/", "/api/parties/anchors/{id}/bind/"]:
        assert route in paths, route
