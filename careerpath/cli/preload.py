"""Workers that start ready: the server process loads the referential and its engine once,
before granian forks its workers, and every worker inherits them.

On ESCO a worker that loads on its own reads the referential (about 1.0 s) and builds its
engine from the cache file of the version (0.6 s) before its first answer; a worker forked
from a process that already holds both finds them in memory (`benchmarks/engine.py`). The
same holds for a worker granian starts again after one died (careerpath/cli/supervision.py):
it is forked from the same server process.

- Only in the server process that forks workers (granian's `_spawn_workers`, at start and
  on a reload), never in the CLI, the build or the tests that import the app.
- Workers are forked (granian's default start method on Linux); with the `spawn` method
  nothing is inherited and each worker loads as before, which stays correct.
- After the fork, a worker never reuses the server process's database connections
  (careerpath/data/database.py forgets them in the child); it checks the stored
  referential's version at its first request, as always, so a referential imported since
  the server started is loaded then.
- A failed preload (an unreachable database) is logged and costs only that: each worker
  loads on its own, and reports the problem itself.

`CAREERPATH_PRELOAD=0` turns it off (each worker loads its own copy, at its start).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from careerpath.cli.supervision import OFF_VALUES

log = logging.getLogger(__name__)
MARK = "careerpath_preloads"


def enable_worker_preload(
    preload: Callable[[], None] | None = None, env: dict[str, str] | None = None
) -> bool:
    """Run `preload` (default: `services.referential.preload_for_workers`) in granian's
    server process once, just before it forks its workers; False when turned off or
    granian is not the server."""
    env = dict(os.environ) if env is None else env
    if env.get("CAREERPATH_PRELOAD", "").strip().lower() in OFF_VALUES:
        return False
    try:
        from granian.server.common import AbstractServer
    except ImportError:  # uvicorn/gunicorn stack: nothing to do here
        return False
    spawn: Any = AbstractServer._spawn_workers
    original = getattr(spawn, "__wrapped__", spawn) if getattr(spawn, MARK, False) else spawn
    chosen = preload or _default_preload

    def _spawn_workers(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(self, "careerpath_preloaded", False):
            self.careerpath_preloaded = True
            try:
                chosen()
            except Exception:  # noqa: BLE001  (each worker then loads on its own)
                log.exception("preload before the workers' start failed")
        return original(self, *args, **kwargs)

    setattr(_spawn_workers, MARK, True)
    _spawn_workers.__wrapped__ = original  # type: ignore[attr-defined]
    AbstractServer._spawn_workers = _spawn_workers  # type: ignore[method-assign]
    return True


def _default_preload() -> None:
    from careerpath.services.referential import preload_for_workers

    preload_for_workers()
