"""`make run`: start (or reuse) PostgreSQL and Redis, migrate, seed the demo world, and serve the API
and the built SPA on one local port with a Celery worker beside it. Ctrl-C stops everything.

    python infra/local/run.py [--port 8000] [--database-name shuxuan] [--fresh] [--no-seed] [--no-build]

Prints `READY http://127.0.0.1:PORT` once the server answers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import REPO, environment, log

BACKEND = REPO / "backend"
FRONTEND = REPO / "frontend"
DEMO_LOGINS = [
    ("品牌商 Brand (白酒)", "brand_jiu"),
    ("品牌商 Brand (茶叶)", "brand_tea"),
    ("MCN 机构", "mcn_owner"),
    ("主播 Anchor", "anchor_xiaoman"),
    ("运营 Operator admin", "op_admin"),
    ("审核 Reviewer", "op_reviewer"),
    ("供应链 Supply", "op_supply"),
    ("财务 Finance", "op_finance"),
    ("观察员 Observer", "observer_gov"),
]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BACKEND, env=env, check=True)


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the web server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/health/", timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the web server did not answer at {url} within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--database-name", default=None)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--no-build", action="store_true", help="serve frontend/dist as it is")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # A background job inherits SIGINT as ignored; Ctrl-C (or kill -INT) must always stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    if not args.no_build:
        log("building the SPA (npm run build)")
        subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True)

    children: list[subprocess.Popen[bytes]] = []

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    with environment(database_name=args.database_name, fresh=args.fresh) as env:
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        log("migrating")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        if not args.no_seed:
            log("loading the demo world (seed_demo)")
            manage(env, "seed_demo")
        url = f"http://127.0.0.1:{args.port}"
        web = start_web(env, port=args.port, workers=args.workers)
        children.append(web)
        if env.get("REDIS_URL"):
            children.append(start_worker(env))
        signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
        try:
            wait_ready(url, web)
            if not args.no_seed:
                print_logins()
            print(f"\nREADY {url}", flush=True)
            while all(child.poll() is None for child in children):
                time.sleep(1)
            return 1
        except KeyboardInterrupt:
            log("stopping")
            return 0
        finally:
            stop()


def start_web(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the API and the built SPA on 127.0.0.1:port."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "300",
            "--access-logfile",
            "-",
        ],
        cwd=BACKEND,
        env=env,
        start_new_session=True,
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A Celery worker with the beat beside it (the schedule file under .data/)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--schedule",
            str(REPO / ".data" / "celerybeat-schedule"),
        ],
        cwd=BACKEND,
        env=env,
        start_new_session=True,
    )


def print_logins() -> None:
    """The demo world's logins, one per role."""
    print("\n蜀选 Shuxuan demo logins (password: shuxuan-demo):")
    for label, username in DEMO_LOGINS:
        print(f"  {label:<24} {username}")


if __name__ == "__main__":
    sys.exit(main())
