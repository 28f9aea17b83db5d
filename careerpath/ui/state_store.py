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

import asyncio
import logging
import os
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
_FLUSHING = "_careerpath_flushing"
"""The manager's attribute: how many `_flush_write_queue` calls are writing right now."""

log = logging.getLogger(__name__)


def tab_closed(manager: Any, token: str, connected: Callable[[], bool]) -> None:
    """The tab `token` closed its websocket: release its state from memory once written,
    unless `connected()` says the tab has come back meanwhile."""
    if isinstance(manager, StateManagerDisk):
        closed: dict[str, Callable[[], bool]] = manager.__dict__.setdefault(_CLOSED, {})
        closed[token] = connected


def _releasable(manager: Any, key: str, pending: set[str]) -> tuple[float, Any] | None:
    """(when it was last touched, its token) when the tab `key` may leave memory now."""
    touched = manager._token_last_touched.get(key)  # noqa: SLF001
    if touched is None or key in pending or manager._is_locked(touched[1]):  # noqa: SLF001
        return None
    return touched  # type: ignore[no-any-return]


async def release_closed_tabs(manager: Any) -> int:
    """Release from memory the closed tabs' states (Reflex's `_purge_token`: memory only);
    how many.

    A tab's files are made whole first (`_complete_on_disk`): the expiry scan deletes each
    file untouched for the token expiration, so the files alone may no longer hold a
    long-used tab's older substates, or lose them soon after. It is released only when
    that succeeded and nothing used the tab meanwhile (no event, no other
    read, no new websocket): otherwise it stays in memory, as Reflex would keep it. Nothing
    is released while a flush of the write queue is writing (a device's data deleted)."""
    closed: dict[str, Callable[[], bool]] = manager.__dict__.get(_CLOSED) or {}
    released = 0
    for key, connected in list(closed.items()):
        if manager.__dict__.get(_FLUSHING):
            break
        pending = {queued.cache_key for queued in manager._write_queue}  # noqa: SLF001
        if manager._token_last_touched.get(key) is None or connected():  # noqa: SLF001
            closed.pop(key, None)  # already gone, or the tab is back in use
            continue
        before = _releasable(manager, key, pending)
        state = manager.states.get(key)
        if before is None or state is None:
            continue  # busy or waiting for its write: the next turn looks again
        try:
            await _complete_on_disk(manager, before[1], state)
        except Exception:  # noqa: BLE001  (kept in memory, as Reflex keeps it)
            log.exception("a closed tab's state could not be written: kept in memory")
            closed.pop(key, None)
            continue
        pending = {queued.cache_key for queued in manager._write_queue}  # noqa: SLF001
        if (
            _releasable(manager, key, pending) == before
            and manager.states.get(key) is state
            and not connected()
            and not manager.__dict__.get(_FLUSHING)
        ):
            manager._purge_token(before[1])  # noqa: SLF001
            released += 1
        closed.pop(key, None)
    return released


async def _complete_on_disk(manager: Any, token: Any, root: Any) -> None:
    """Make the files of `root`'s tree whole and fresh: each existing file's time is
    renewed (the expiry scan then keeps it for another token expiration), and a substate
    whose file is gone (expired) is written again; the others hold what memory holds, since
    Reflex writes every substate changed. One thread hop per tab, no pickling but for the
    missing files."""
    tree: list[Any] = []
    stack = [root]
    while stack:
        state = stack.pop()
        tree.append(state)
        stack.extend(state.substates.values())
    paths = [manager.token_path(token.with_cls(type(state))) for state in tree]

    def renew() -> list[int]:
        missing = []
        for index, path in enumerate(paths):
            try:
                os.utime(path)
            except FileNotFoundError:
                missing.append(index)
        return missing

    missing = await asyncio.to_thread(renew)
    if missing:
        for index in missing:
            tree[index]._was_touched = True  # noqa: SLF001  (what Reflex writes next)
        await manager.set_state_for_substate(token, root)


_wait: Callable[[Any], Any] = StateManagerDisk._process_write_queue_delay  # noqa: SLF001
_flush: Callable[[Any], Any] = StateManagerDisk._flush_write_queue  # noqa: SLF001


async def _release_then_wait(manager: Any) -> None:
    await release_closed_tabs(manager)
    await _wait(manager)


async def _counted_flush(manager: Any) -> None:
    manager.__dict__[_FLUSHING] = manager.__dict__.get(_FLUSHING, 0) + 1
    try:
        await _flush(manager)
    finally:
        manager.__dict__[_FLUSHING] -= 1


def install() -> None:
    """Throttle the disk state manager's expiry scan and let closed tabs' states leave
    memory (before the app makes its manager)."""
    StateManagerDisk._purge_expired_states = _scan_now_and_then  # type: ignore[method-assign]  # noqa: SLF001
    StateManagerDisk._process_write_queue_delay = _release_then_wait  # type: ignore[method-assign]  # noqa: SLF001
    StateManagerDisk._flush_write_queue = _counted_flush  # type: ignore[method-assign]  # noqa: SLF001
