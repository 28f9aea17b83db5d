"""The single worker's state store: Reflex's disk state manager, its expiry scan made rare.

Without Redis, one worker keeps each tab's UI state with Reflex's `StateManagerDisk`: in
memory, written to one file per state and tab under `.states/` (README, « Sessions »). Its
write loop, every two seconds, also lists that directory and stats every file to delete
those untouched for the token expiration (an hour by default): with a few thousand files,
8 % of a busy worker's time (py-spy, benchmarks/load.py at 120 users), and a file expiring
after an hour gains nothing from being looked at every two seconds. `install()` lets the
scan run at most once every `SCAN_EVERY_S` (and at the manager's start, as before); the
in-memory expiry and the writes are Reflex's own, unchanged. Deleting a device's data still
removes its tabs' files at once (`careerpath/ui/states/forget.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from reflex.istate.manager.disk import StateManagerDisk

SCAN_EVERY_S = 60.0
"""At most one expiry scan of the states directory this often (seconds)."""

_scan: Callable[[Any], None] = StateManagerDisk._purge_expired_states  # noqa: SLF001
_LAST_SCAN = "_careerpath_last_scan"
"""The manager's attribute holding when its directory was last scanned (monotonic seconds)."""


def _scan_now_and_then(manager: Any) -> None:
    now = time.monotonic()
    last = getattr(manager, _LAST_SCAN, None)
    if last is not None and now - last < min(SCAN_EVERY_S, manager.token_expiration):
        return
    setattr(manager, _LAST_SCAN, now)
    _scan(manager)


def install() -> None:
    """Throttle the disk state manager's expiry scan (before the app makes its manager)."""
    StateManagerDisk._purge_expired_states = _scan_now_and_then  # type: ignore[method-assign]  # noqa: SLF001
