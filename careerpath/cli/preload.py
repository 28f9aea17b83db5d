"""Workers that start ready: the server process loads the referential and its engine once,
before granian forks its workers, and every worker inherits them.

On ESCO a worker that loads on its own reads the referential (about 1.0 s) and builds its
engine from the cache file of the version (0.6 s) before its first answer; a worker forked
from a process that already holds both finds them in memory (`benchmarks/engine.py`). The
same holds for a worker granian starts again after one died (careerpath/cli/supervision.py):
it is forked from the same server process.

- Only in the production server process that forks workers (granian's `_spawn_workers`,
  once, at start), never in the CLI, the build or the tests that import the app, and not
  under the development server's reloader (its workers must import edited code afresh).
  A graceful reload (SIGHUP) and later respawns fork from that same process: a worker
  whose copy is older than the stored referential loads the new one at its first request.
- Only when workers are forked (granian's default start method on Linux); with `spawn`
  nothing would be inherited, so nothing is preloaded and each worker loads as before.
- After the fork, a worker never reuses the server process's database connections
  (careerpath/data/database.py forgets them in the child); it checks the stored
  referential's version at its first request, as always, so a referential imported since
  the server started is loaded then.
- A database that does not answer within `PROBE_TIMEOUT_S` is not waited for (the
  server would serve nothing meanwhile): the preload is skipped, and so is a failed one,
  with a log line; each worker then loads on its own, and reports the problem itself.

`CAREERPATH_PRELOAD=0` turns it off (each worker loads its own copy, at its start).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from careerpath.cli.supervision import OFF_VALUES

log = logging.getLogger(__name__)
MARK = "careerpath_preloads"


PROBE_TIMEOUT_S = 5.0
"""How long the server process waits for the database before starting without a preload."""


def enable_worker_preload(
    preload: Callable[[], None] | None = None, env: dict[str, str] | None = None
) -> bool:
    """Run `preload` (default: `services.referential.preload_for_workers`) in granian's
    server process once, just before it forks its workers; False when turned off (which
    also undoes an earlier call) or granian is not the server."""
    env = dict(os.environ) if env is None else env
    try:
        from granian.server.common import AbstractServer
    except ImportError:  # uvicorn/gunicorn stack: nothing to do here
        return False
    spawn: Any = AbstractServer._spawn_workers
    original = getattr(spawn, "__wrapped__", spawn) if getattr(spawn, MARK, False) else spawn
    if env.get("CAREERPATH_PRELOAD", "").strip().lower() in OFF_VALUES:
        AbstractServer._spawn_workers = original  # type: ignore[method-assign]
        return False
    chosen = preload or _default_preload

    def _spawn_workers(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(self, "careerpath_preloaded", False):
            self.careerpath_preloaded = True
            if _forks_workers(self):
                try:
                    chosen()
                except Exception:  # noqa: BLE001  (each worker then loads on its own)
                    log.exception("preload before the workers' start failed")
        return original(self, *args, **kwargs)

    setattr(_spawn_workers, MARK, True)
    _spawn_workers.__wrapped__ = original  # type: ignore[attr-defined]
    AbstractServer._spawn_workers = _spawn_workers  # type: ignore[method-assign]
    return True


def _forks_workers(server: Any) -> bool:
    """Whether `server`'s workers will inherit this process's memory: forked, and not the
    development reloader's (whose workers must import edited code afresh)."""
    return not getattr(server, "reload_on_changes", False) and (
        multiprocessing.get_start_method(allow_none=False) == "fork"
    )


def _default_preload() -> None:
    from careerpath.cli.serve import redacted_url
    from careerpath.data.database import answers_within
    from careerpath.services.referential import database_url, preload_for_workers

    url = database_url()
    if not answers_within(url, PROBE_TIMEOUT_S):
        log.warning(
            "database %s did not answer within %g s: each worker loads the referential itself",
            redacted_url(url),
            PROBE_TIMEOUT_S,
        )
        return
    preload_for_workers(url)
