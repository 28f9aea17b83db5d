"""Database engines and schema migrations (Alembic, the same scripts `reflex db` uses)."""

from __future__ import annotations

import os
import weakref
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from careerpath.config import PROJECT_ROOT

ALEMBIC_DIR = PROJECT_ROOT / "alembic"


def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on; write-ahead log with `synchronous=NORMAL`: readers never wait for a
    writer and a commit costs one append instead of two fsyncs (a crash of the machine may
    lose the last commits, never corrupt the file; measured in benchmarks/load.py)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    """In a forked child (a server worker, careerpath/cli/preload.py): drop the parent's
    pooled connections without closing them (they are the parent's); the child opens its
    own on first use."""
    for engine in _engines:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_connections_after_fork)


def answers_within(url: str, seconds: float) -> bool:
    """Whether the database at `url` accepts a connection within `seconds` (a throw-away
    connection; SQLite, a local file, always answers)."""
    if url.startswith("sqlite"):
        return True
    timeout = {"connect_timeout": max(1, round(seconds))}
    probe = sqlalchemy.create_engine(url, poolclass=NullPool, connect_args=timeout)
    try:
        with probe.connect():
            return True
    except SQLAlchemyError:
        return False
    finally:
        probe.dispose()


def close_connections() -> None:
    """Close every pooled connection of this process (the server process, once it has
    preloaded what its workers inherit, needs none of them any more)."""
    for engine in list(_engines):
        engine.dispose()


@cache
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per URL per process; SQLite enforces foreign keys
    and runs in WAL mode."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # A pre-ping (a `SELECT 1` at every checkout) finds a server connection that died; a
    # SQLite connection is a file handle that does not: there, it only cost each answer a
    # round of statements.
    engine = sqlalchemy.create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    _engines.add(engine)
    return engine


def _script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    return ScriptDirectory.from_config(config)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return _script_directory().get_current_head()


def upgrade(engine: Engine, to_revision: str = "head") -> None:
    """Bring the schema to `to_revision`; running it again changes nothing."""
    script = _script_directory()
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))

    def run_upgrade(rev: Any, _context: object) -> object:
        return script._upgrade_revs(to_revision, rev)  # noqa: SLF001  (as reflex db migrate does)

    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a SQLite table by dropping it: with foreign keys on,
            # that drop would cascade to the rows pointing at it (the pragma only takes
            # effect outside a transaction, hence here).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin(), EnvironmentContext(config, script, fn=run_upgrade) as env:
                env.configure(connection=connection, render_as_batch=True)
                env.run_migrations()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
