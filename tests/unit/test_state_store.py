"""The single worker's state store (careerpath/ui/state_store.py) on Reflex's real disk state
manager: a closed tab's state leaves the worker's memory once it is written, never before,
never while an event holds it, never when the tab came back, and a tab that comes back
finds its state again, from disk."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State
from reflex.utils import prerequisites

from careerpath.ui import state_store
from careerpath.ui.states.device import DeviceState


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StateManagerDisk:
    monkeypatch.setattr(prerequisites, "get_states_dir", lambda: tmp_path)
    monkeypatch.setattr(StateManagerDisk, "_purge_expired_states", state_store._scan_now_and_then)
    monkeypatch.setattr(
        StateManagerDisk, "_process_write_queue_delay", state_store._release_then_wait
    )
    monkeypatch.setattr(StateManagerDisk, "_flush_write_queue", state_store._counted_flush)
    return StateManagerDisk()


async def _note(manager: StateManagerDisk, token: BaseStateToken, tab: str) -> None:
    async with manager.modify_state(token) as root:
        device = await root.get_state(DeviceState)
        device._tab_noted = tab


async def _noted(manager: StateManagerDisk, token: BaseStateToken) -> str:
    root = await manager.get_state(token)
    device = await root.get_state(DeviceState)
    return device._tab_noted


def test_a_closed_tab_leaves_memory_once_written_and_comes_back_from_disk(
    manager: StateManagerDisk,
) -> None:
    async def scenario() -> None:
        token = BaseStateToken(ident="tab-closed", cls=State)
        kept = BaseStateToken(ident="tab-open", cls=State)
        await _note(manager, token, "étape 3")
        await _note(manager, kept, "étape 1")
        state_store.tab_closed(manager, "tab-closed", lambda: False)
        # Not written yet (the write waits for the 2 s debounce): it stays in memory.
        assert await state_store.release_closed_tabs(manager) == 0
        assert "tab-closed" in manager.states
        # The write loop writes it, then releases it; the open tab stays.
        for _ in range(100):
            if "tab-closed" not in manager.states:
                break
            await asyncio.sleep(0.1)
        assert "tab-closed" not in manager.states
        assert "tab-open" in manager.states
        assert any(manager.states_directory.iterdir()), "its files stay on disk"
        # The tab comes back: its state is read from disk, with what it held.
        assert await _noted(manager, token) == "étape 3"
        assert "tab-closed" in manager.states
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_that_came_back_or_is_busy_stays_in_memory(manager: StateManagerDisk) -> None:
    async def scenario() -> None:
        back = BaseStateToken(ident="tab-back", cls=State)
        busy = BaseStateToken(ident="tab-busy", cls=State)
        await _note(manager, back, "a")
        await _note(manager, busy, "b")
        await manager._flush_write_queue()  # both written: nothing pending
        connected = {"tab-back": False}
        state_store.tab_closed(manager, "tab-back", lambda: connected["tab-back"])
        state_store.tab_closed(manager, "tab-busy", lambda: False)
        connected["tab-back"] = True  # the tab opened a websocket again
        async with manager.modify_state(busy):  # an event holds it
            assert await state_store.release_closed_tabs(manager) == 0
        assert {"tab-back", "tab-busy"} <= set(manager.states)
        # Once free (the event's change written), the busy one goes; the one that came
        # back is no longer awaited.
        await manager._flush_write_queue()
        assert await state_store.release_closed_tabs(manager) == 1
        assert "tab-busy" not in manager.states and "tab-back" in manager.states
        assert await state_store.release_closed_tabs(manager) == 0
        await manager.close()

    asyncio.run(scenario())


def test_the_expiry_scan_runs_once_a_minute_at_most(
    manager: StateManagerDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: list[float] = []
    monkeypatch.setattr(state_store, "_scan", lambda m: scans.append(time.monotonic()))
    setattr(manager, state_store._LAST_SCAN, None)
    for _ in range(5):
        state_store._scan_now_and_then(manager)
    assert len(scans) == 1
    setattr(manager, state_store._LAST_SCAN, time.monotonic() - state_store.SCAN_EVERY_S - 1)
    state_store._scan_now_and_then(manager)
    assert len(scans) == 2


def test_a_long_used_tab_is_written_whole_before_it_leaves_memory(
    manager: StateManagerDisk,
) -> None:
    """The expiry scan deletes each file untouched for an hour: a tab used longer may have
    substates only in memory. Its release writes them all first."""

    async def scenario() -> None:
        token = BaseStateToken(ident="tab-long", cls=State)
        await _note(manager, token, "étape 2")
        await manager._flush_write_queue()
        for file in manager.states_directory.iterdir():  # as the expiry scan would, in time
            file.unlink()
        state_store.tab_closed(manager, "tab-long", lambda: False)
        assert await state_store.release_closed_tabs(manager) == 1
        assert "tab-long" not in manager.states
        assert await _noted(manager, token) == "étape 2"
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_whose_write_fails_or_that_a_flush_is_writing_stays_in_memory(
    manager: StateManagerDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        token = BaseStateToken(ident="tab-disk-full", cls=State)
        await _note(manager, token, "étape 4")
        await manager._flush_write_queue()
        state_store.tab_closed(manager, "tab-disk-full", lambda: False)
        manager.__dict__[state_store._FLUSHING] = 1  # a device's data being deleted
        assert await state_store.release_closed_tabs(manager) == 0
        manager.__dict__[state_store._FLUSHING] = 0

        async def disk_full(*_args: object) -> None:
            raise OSError("No space left on device")

        monkeypatch.setattr(manager, "set_state_for_substate", disk_full)
        assert await state_store.release_closed_tabs(manager) == 0
        assert "tab-disk-full" in manager.states  # the only complete copy is kept
        assert await _noted(manager, token) == "étape 4"
        await manager.close()

    asyncio.run(scenario())


def test_a_released_tabs_files_are_renewed_so_the_expiry_keeps_them(
    manager: StateManagerDisk,
) -> None:
    """Files last written 59 minutes ago would expire a minute after the release, and the
    tab coming back then would lose them: the release renews their time."""

    async def scenario() -> None:
        token = BaseStateToken(ident="tab-old-files", cls=State)
        await _note(manager, token, "étape 5")
        await manager._flush_write_queue()
        old = time.time() - 59 * 60
        files = list(manager.states_directory.iterdir())
        for file in files:
            os.utime(file, (old, old))
        state_store.tab_closed(manager, "tab-old-files", lambda: False)
        assert await state_store.release_closed_tabs(manager) == 1
        assert all(file.stat().st_mtime > time.time() - 60 for file in files)
        await manager.close()

    asyncio.run(scenario())
