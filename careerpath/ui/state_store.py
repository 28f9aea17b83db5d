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

Reflex also keeps every tab's state in the worker's memory for the whole token expiration,
closed tabs included: after 300 users (850 tabs), 260,000 objects that every full garbage
collection walked, about 100 ms each, every few seconds under load, holding every request
of the worker meanwhile (`benchmarks/load.py`). `tab_closed` (called when a tab's websocket
closes, careerpath/ui/socket_guard.py) lets that tab's state leave memory as soon as it is
written: the write loop, which runs every two seconds, releases it with Reflex's own
purge, unless it is locked by an event, still waiting to be written, or its tab has a
websocket again (it came back). It stays on disk: a tab that comes back reloads it from its file, as
after a restart.
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


_CLOSED = "_careerpath_closed_tabs"
"""The manager's attribute: {tab token: whether that tab has a websocket again}."""


def tab_closed(manager: Any, token: str, connected: Callable[[], bool]) -> None:
    """The tab `token` closed its websocket: release its state from memory once written,
    unless `connected()` says the tab has come back meanwhile."""
    if isinstance(manager, StateManagerDisk):
        closed: dict[str, Callable[[], bool]] = manager.__dict__.setdefault(_CLOSED, {})
        closed[token] = connected


def release_closed_tabs(manager: Any) -> int:
    """Release from memory the closed tabs' states that are written, free and whose tab has
    not come back (Reflex's `_purge_token`: memory only, the files stay); how many."""
    closed: dict[str, Callable[[], bool]] = manager.__dict__.get(_CLOSED) or {}
    if not closed:
        return 0
    pending = {queued.cache_key for queued in manager._write_queue}  # noqa: SLF001
    released = 0
    for key, connected in list(closed.items()):
        touched = manager._token_last_touched.get(key)  # noqa: SLF001
        if touched is None or connected():  # already gone, or the tab is back in use
            del closed[key]
        elif key not in pending and not manager._is_locked(touched[1]):  # noqa: SLF001
            manager._purge_token(touched[1])  # noqa: SLF001
            del closed[key]
            released += 1
    return released


_wait: Callable[[Any], Any] = StateManagerDisk._process_write_queue_delay  # noqa: SLF001


async def _release_then_wait(manager: Any) -> None:
    release_closed_tabs(manager)
    await _wait(manager)


def install() -> None:
    """Throttle the disk state manager's expiry scan and let closed tabs' states leave
    memory (before the app makes its manager)."""
    StateManagerDisk._purge_expired_states = _scan_now_and_then  # type: ignore[method-assign]  # noqa: SLF001
    StateManagerDisk._process_write_queue_delay = _release_then_wait  # type: ignore[method-assign]  # noqa: SLF001
