"""Keep serving when a backend worker dies: granian replaces it, inside the server.

Reflex 0.10 starts granian itself (`reflex run --env prod` → `run_granian_backend_prod`) and
passes no respawn option, so one worker killed by the kernel or a crash stopped the whole
app (« Unexpected exit from worker-1 », then « Reflex app stopped »). granian 2.x can replace
a failed worker (`respawn_failed_workers`); `enable_worker_respawn` makes it the default of
the server class Reflex instantiates, from rxconfig.py (read by the `reflex run` process).

How a replacement happens (granian 2.8, `granian/server/common.py`): a watcher thread per
worker waits for its process; on an unexpected exit it appends the worker's index to
`interrupt_children` and wakes the main loop, which starts a new worker in that slot at once
(no pause: `respawn_interval` only spaces graceful respawns, e.g. a reload on SIGHUP).

What granian alone gets wrong, and what the server class here changes:

- *its crash-loop rule*: granian stops the app when a worker fails within 5.5 s of the last
  replacement. A second kill soon after a replacement that served well (the kernel's
  OOM killer twice in a row, a kill while the pages reconnect) then stops everything,
  and the app stays down. Here a crash loop is counted instead: one worker slot failing
  more than `CRASH_LIMIT` (10) times within `CRASH_WINDOW_S` (60 s). A worker that fails
  at start (an import error, an unreachable database) reaches that within seconds, and the
  app stops with « worker-N failed 11 times within 60 s »: that is for the outer supervisor,
  systemd or the container runtime (deploy/), which restarts the whole app and watches
  `/_health`. Up to 10 failures a minute per worker, spaced or in a row, are replaced.
- *two races between watcher threads and the main loop* when several workers die at once:
  a failure appended between the loop's copy of `interrupt_children` and its `clear()` was
  forgotten (that slot never replaced), and one appended between that `clear()` and the
  wake-up event's `clear()` waited for the next, unrelated wake-up. `FailedWorkers` keeps
  what was appended after the copy, and a respawn ends by waking the loop again when
  failures are still pending.

Both go through the attributes granian's loop reads (`interrupt_children`,
`respawned_wrks`), so the loop itself is granian's; tests/unit/test_supervision.py runs that
loop with stand-in workers to check it.

`GRANIAN_RESPAWN_FAILED_WORKERS=false` turns respawning off; `CAREERPATH_WORKER_CRASH_LIMIT`
sets how many failures of one worker within a minute are replaced (10);
`GRANIAN_RESPAWN_INTERVAL` (seconds, default 1 here) is the overlap of old and new workers
in a graceful respawn.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

DEFAULT_RESPAWN_INTERVAL = 1.0
CRASH_LIMIT = 10
CRASH_WINDOW_S = 60.0
OFF_VALUES = frozenset({"0", "false", "no", "off"})
"""What turns off a switch given in the environment (respawn here, preload.py's preload)."""


class CrashLoopPolicy:
    """Counts each worker slot's unexpected exits; too many within the window is a loop."""

    def __init__(
        self,
        limit: int = CRASH_LIMIT,
        window: float = CRASH_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = max(0, limit)
        self.window = window
        self.clock = clock
        self._failures: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def record_failure(self, idx: int) -> None:
        with self._lock:
            self._failures.setdefault(idx, deque()).append(self.clock())

    def recent_failures(self, idx: int) -> int:
        """How many times worker slot `idx` failed within the window (forgets older ones)."""
        now = self.clock()
        with self._lock:
            failures = self._failures.get(idx, deque())
            while failures and now - failures[0] > self.window:
                failures.popleft()
            return len(failures)

    def in_crash_loop(self, idx: int) -> bool:
        return self.recent_failures(idx) > self.limit


class FailedWorkers(list[int]):
    """granian's `interrupt_children`: watcher threads append the index of a worker that
    exited unexpectedly; the main loop copies the list, then clears it. `clear()` removes
    only what the last copy handed out, so a failure appended in between is kept."""

    def __init__(self, policy: CrashLoopPolicy) -> None:
        super().__init__()
        self.policy = policy
        self._lock = threading.Lock()
        self._handed_out: int | None = None

    def append(self, idx: int) -> None:
        with self._lock:
            self.policy.record_failure(idx)
            super().append(idx)

    def __iter__(self) -> Iterator[int]:
        with self._lock:
            self._handed_out = len(self)
            return iter(super().copy())

    def clear(self) -> None:
        with self._lock:
            if self._handed_out is None:
                super().clear()
            else:
                del self[: self._handed_out]
            self._handed_out = None


class CrashLoopGate(dict[int, float]):
    """granian's `respawned_wrks`. Its loop declares a crash loop when
    `now - respawned_wrks.get(idx, 0) <= 5.5`: `get` answers « now » for a slot in a crash
    loop by the policy, and minus infinity (never a loop) otherwise."""

    def __init__(self, policy: CrashLoopPolicy, report: Callable[[str], Any]) -> None:
        super().__init__()
        self.policy = policy
        self.report = report

    def get(self, idx: int, default: Any = None) -> float:
        failures = self.policy.recent_failures(idx)
        if failures > self.policy.limit:
            self.report(
                f"worker-{idx + 1} failed {failures} times within "
                f"{format(self.policy.window, 'g')} s: a crash loop, the app stops"
            )
            return time.monotonic() + 1.0
        return -math.inf


def _crash_limit(env: dict[str, str]) -> int:
    try:
        return int(env.get("CAREERPATH_WORKER_CRASH_LIMIT") or CRASH_LIMIT)
    except ValueError:
        return CRASH_LIMIT


def enable_worker_respawn(env: dict[str, str] | None = None) -> bool:
    """Make granian's server respawn failed workers by default; False when turned off."""
    env = dict(os.environ) if env is None else env
    if env.get("GRANIAN_RESPAWN_FAILED_WORKERS", "").strip().lower() in OFF_VALUES:
        return False
    try:
        import granian.server as granian_server
        from granian.log import logger as granian_logger
    except ImportError:  # uvicorn/gunicorn stack: nothing to do here
        return False
    base: Any = granian_server.Server
    if getattr(base, "careerpath_respawns", False):
        base = base.__mro__[1]  # configure again (the environment may have changed)
    interval = float(env.get("GRANIAN_RESPAWN_INTERVAL") or DEFAULT_RESPAWN_INTERVAL)
    limit = _crash_limit(env)

    class RespawningServer(base):  # type: ignore[misc]
        careerpath_respawns = True
        crash_limit = limit

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            kwargs.setdefault("respawn_interval", interval)
            super().__init__(*args, **kwargs)
            self.crash_policy = CrashLoopPolicy(self.crash_limit)
            self.interrupt_children = FailedWorkers(self.crash_policy)
            self.respawned_wrks = CrashLoopGate(self.crash_policy, granian_logger.error)

        def _respawn_workers(self, workers: Any, *args: Any, **kwargs: Any) -> Any:
            result = super()._respawn_workers(workers, *args, **kwargs)
            if self.interrupt_children:  # a failure the loop's wake-up missed: come round
                self.main_loop_interrupt.set()
            return result

    RespawningServer.__name__ = RespawningServer.__qualname__ = base.__name__
    granian_server.Server = RespawningServer
    return True
