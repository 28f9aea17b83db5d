"""Runtime settings, read from environment variables with embedded defaults.

| variable                  | default                                  | meaning                          |
|---------------------------|------------------------------------------|----------------------------------|
| CAREERPATH_DATA_DIR       | ./data (beside rxconfig.py)              | where the SQLite file lives      |
| CAREERPATH_DATABASE_URL   | sqlite:///<data dir>/careerpath.db       | any SQLAlchemy URL (PostgreSQL…) |
| CAREERPATH_REDIS_URL      | unset: Reflex keeps state in memory/disk | redis://host:6379 to scale out   |
| CAREERPATH_PORT           | 3000                                     | the one port of the prod server  |
| CAREERPATH_HOST           | 0.0.0.0                                  | the address the server binds     |
| CAREERPATH_PUBLIC_URL     | http://localhost:<port>                  | the address people open: share   |
|                           |                                          | links, allowed websocket origins;|
|                           |                                          | https: Secure cookies, HSTS      |
| CAREERPATH_SMTP_URL       | unset: links are printed, never mailed   | smtp[s]://user:pass@host:port    |
|                           |                                          | ?from=careerpath@example.org     |
| CAREERPATH_ALLOWED_ORIGINS| unset: none beyond the public URL's      | other origins (comma-separated)  |
|                           |                                          | whose pages may call the API     |
|                           |                                          | (CORS); never the websocket      |
| CAREERPATH_ANONYMITY_K    | 5                                        | a group's figures need at least  |
|                           |                                          | this many people (never below 3) |
| CAREERPATH_COLLECTIVE_    | 24                                       | least hours between two published|
| INTERVAL_HOURS            |                                          | states of a group's panel        |
| CAREERPATH_COLLECTIVE_    | 24                                       | hours before a new member counts |
| JOIN_DELAY_HOURS          |                                          | in a group's figures             |
| CAREERPATH_COLLECTIVE_    | a random key kept in <data dir>/         | the key of the marks published   |
| SECRET                    | collective.key (created on first use)    | states keep (never in the        |
|                           |                                          | database); set it when several   |
|                           |                                          | machines serve one database      |

Reflex's own `REFLEX_DB_URL` / `REFLEX_REDIS_URL` are honoured too and win when set.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 3000


@dataclass(frozen=True)
class Settings:
    """The settings of one process, resolved once from the environment."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    port: int
    host: str
    public_url: str = ""
    """The address people open (`CAREERPATH_PUBLIC_URL`), e.g. https://careerpath.example.
    Links the app hands out are built from it, never from a request's Origin or Host header;
    the websocket accepts only pages served from it."""
    smtp_url: str | None = None
    public_url_configured: bool = False
    extra_origins: tuple[str, ...] = ()
    """`CAREERPATH_ALLOWED_ORIGINS`: other sites whose pages may call the API (CORS)."""
    anonymity_k: int = 5
    """`CAREERPATH_ANONYMITY_K`: the fewest people a collective diagnosis's figure may be
    computed from (a group may ask for more; never below 3, see domain/collective.py)."""
    collective_interval_h: float = 24.0
    """`CAREERPATH_COLLECTIVE_INTERVAL_HOURS`: the least time between two published states of
    a group's panel (a new state at most once a day by default)."""
    collective_join_delay_h: float = 24.0
    """`CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS`: a member counts in a group's figures only
    this long after joining."""
    collective_secret: str = ""
    """`CAREERPATH_COLLECTIVE_SECRET`: the key of the marks a group's published states keep
    ("": the per-data-dir key file, `collective_key`). Never stored in the database."""

    @property
    def collective_key(self) -> bytes:
        """The key of the collective diagnosis's marks: the configured secret, or else a
        random one created once in `<data dir>/collective.key` (readable by the owner only).
        Whoever holds a database dump without it cannot tell a mark's level."""
        if self.collective_secret:
            return self.collective_secret.encode("utf-8")
        return _key_file(self.data_dir / COLLECTIVE_KEY_FILE)

    @property
    def secure_cookies(self) -> bool:
        """Cookies get `Secure` when people reach the app over https."""
        return self.https

    @property
    def https(self) -> bool:
        """Whether people reach the app over https (cookies Secure, HSTS)."""
        return self.public_url.lower().startswith("https://")

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """Origins whose pages may open the websocket: the public URL's, and while none is
        configured, the local addresses `careerpath run` prints and the tests use."""
        origins = [origin_of(self.public_url)] if self.public_url else []
        if not self.public_url_configured:
            origins += [f"http://localhost:{self.port}", f"http://127.0.0.1:{self.port}"]
        return tuple(dict.fromkeys(origins))

    @property
    def cors_origins(self) -> tuple[str, ...]:
        """Origins whose pages may call the HTTP API from a browser (CORS, with credentials):
        the app's own, then the configured extras. Never `*`."""
        return tuple(dict.fromkeys([*self.allowed_origins, *self.extra_origins]))


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Resolve settings from `env` (the process environment by default).

    From the process environment, the settings are kept while the variables they read (and,
    for a relative data directory, the working directory) stay the same: every store a
    handler makes reads them, and resolving them anew cost a tenth of a rating event."""
    if env is None:
        key = tuple(os.environ.get(name) for name in _SETTINGS_VARIABLES)
        data_dir = os.environ.get("CAREERPATH_DATA_DIR") or ""
        return _settings_of_environment(key, "" if os.path.isabs(data_dir) else os.getcwd())
    return _resolve_settings(env)


_SETTINGS_VARIABLES = (
    "CAREERPATH_DATA_DIR",
    "REFLEX_DB_URL",
    "CAREERPATH_DATABASE_URL",
    "REFLEX_REDIS_URL",
    "CAREERPATH_REDIS_URL",
    "CAREERPATH_PORT",
    "CAREERPATH_HOST",
    "CAREERPATH_PUBLIC_URL",
    "CAREERPATH_SMTP_URL",
    "CAREERPATH_ALLOWED_ORIGINS",
    "CAREERPATH_ANONYMITY_K",
    "CAREERPATH_COLLECTIVE_INTERVAL_HOURS",
    "CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS",
    "CAREERPATH_COLLECTIVE_SECRET",
)
"""Every variable `_resolve_settings` reads (the key of the settings kept)."""


@functools.lru_cache(maxsize=16)
def _settings_of_environment(values: tuple[str | None, ...], cwd: str) -> Settings:
    del cwd  # part of the key only: a relative data directory resolves against it
    env = {name: value for name, value in zip(_SETTINGS_VARIABLES, values, strict=True) if value}
    return _resolve_settings(env)


def _resolve_settings(env: dict[str, str]) -> Settings:
    data_dir = Path(env.get("CAREERPATH_DATA_DIR") or PROJECT_ROOT / "data").resolve()
    database_url = (
        env.get("REFLEX_DB_URL")
        or env.get("CAREERPATH_DATABASE_URL")
        or f"sqlite:///{data_dir / 'careerpath.db'}"
    )
    redis_url = env.get("REFLEX_REDIS_URL") or env.get("CAREERPATH_REDIS_URL") or None
    port = int(env.get("CAREERPATH_PORT") or DEFAULT_PORT)
    host = env.get("CAREERPATH_HOST") or "0.0.0.0"
    # Links given out of the app (a QR code, a poster, a share link) use this address, never
    # the Host or Origin header of a request, which the client controls.
    configured = (env.get("CAREERPATH_PUBLIC_URL") or "").strip()
    public_url = (configured or f"http://localhost:{port}").rstrip("/")
    smtp_url = env.get("CAREERPATH_SMTP_URL") or None
    return Settings(
        data_dir,
        database_url,
        redis_url,
        port,
        host,
        public_url,
        smtp_url,
        public_url_configured=bool(configured),
        extra_origins=web_origins(env.get("CAREERPATH_ALLOWED_ORIGINS") or ""),
        anonymity_k=_anonymity_k(env.get("CAREERPATH_ANONYMITY_K") or ""),
        collective_interval_h=_hours(
            env.get("CAREERPATH_COLLECTIVE_INTERVAL_HOURS") or "",
            "CAREERPATH_COLLECTIVE_INTERVAL_HOURS",
        ),
        collective_join_delay_h=_hours(
            env.get("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS") or "",
            "CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS",
        ),
        collective_secret=(env.get("CAREERPATH_COLLECTIVE_SECRET") or "").strip(),
    )


COLLECTIVE_KEY_FILE = "collective.key"


@functools.cache
def _key_file(path: Path) -> bytes:
    """The random key kept in `path`, created (owner-only, 256 bits) if there is none yet;
    two processes creating it at once both end up with the first one written."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32) + "\n")
    text = path.read_text(encoding="ascii").strip()
    for _ in range(50):  # another process created it a moment ago and is writing it
        if text:
            break
        time.sleep(0.01)
        text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise RuntimeError(f"{path}: the collective diagnosis's key is damaged (too short).")
    return text.encode("ascii")


MAX_HOURS = 87_600.0
"""Ten years: the longest interval or delay a setting in hours may give."""


def _hours(text: str, name: str = "", default: float = 24.0) -> float:
    """A number of hours between 0 and `MAX_HOURS`; unset: the default. Anything else (not a
    number, `inf`, `nan`, negative, too large) is refused with a warning naming the variable,
    and the default applies (a view computing `timedelta(hours=inf)` would fail every time)."""
    if not text.strip():
        return default
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if math.isfinite(value) and 0.0 <= value <= MAX_HOURS:
        return value
    _warn_once(
        f"{name or 'A setting in hours'}={text.strip()!r} is not a number of hours between 0 "
        f"and {MAX_HOURS:g}: {default:g} hours apply instead."
    )
    return default


@functools.cache
def _warn_once(message: str) -> None:
    """Settings are read at every request: each bad value is reported once per process."""
    logger.warning(message)


def _anonymity_k(text: str) -> int:
    """The configured threshold (5 when unset or not a number), never below 3."""
    try:
        value = int(text.strip()) if text.strip() else 5
    except ValueError:
        value = 5
    return max(value, 3)


def web_origins(listed: str) -> tuple[str, ...]:
    """The http(s) origins of a comma-separated list; anything else (`*`, junk) is dropped."""
    origins = []
    for item in listed.split(","):
        parts = urlsplit(item.strip())
        if parts.scheme in ("http", "https") and parts.hostname and "*" not in parts.netloc:
            origins.append(origin_of(item.strip()))
    return tuple(dict.fromkeys(origins))


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, as a browser sends it in the Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def ensure_data_dir(settings: Settings) -> None:
    """Create the data directory when the database is a SQLite file inside it."""
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
