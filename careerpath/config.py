"""Runtime settings, read from environment variables with embedded defaults.

| variable                  | default                                  | meaning                          |
|---------------------------|------------------------------------------|----------------------------------|
| CAREERPATH_DATA_DIR       | ./data (beside rxconfig.py)              | where the SQLite file lives      |
| CAREERPATH_DATABASE_URL   | sqlite:///<data dir>/careerpath.db       | any SQLAlchemy URL (PostgreSQL…) |
| CAREERPATH_REDIS_URL      | unset: Reflex keeps state in memory/disk | redis://host:6379 to scale out   |
| CAREERPATH_PORT           | 3000                                     | the one port of the prod server  |
| CAREERPATH_HOST           | 0.0.0.0                                  | the address the server binds     |

Reflex's own `REFLEX_DB_URL` / `REFLEX_REDIS_URL` are honoured too and win when set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Resolve settings from `env` (the process environment by default)."""
    env = dict(os.environ) if env is None else env
    data_dir = Path(env.get("CAREERPATH_DATA_DIR") or PROJECT_ROOT / "data").resolve()
    database_url = (
        env.get("REFLEX_DB_URL")
        or env.get("CAREERPATH_DATABASE_URL")
        or f"sqlite:///{data_dir / 'careerpath.db'}"
    )
    redis_url = env.get("REFLEX_REDIS_URL") or env.get("CAREERPATH_REDIS_URL") or None
    port = int(env.get("CAREERPATH_PORT") or DEFAULT_PORT)
    host = env.get("CAREERPATH_HOST") or "0.0.0.0"
    return Settings(data_dir, database_url, redis_url, port, host)


def ensure_data_dir(settings: Settings) -> None:
    """Create the data directory when the database is a SQLite file inside it."""
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
