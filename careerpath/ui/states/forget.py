"""« Supprimer mes données » in Reflex's per-tab state: every tab of the device forgets.

The rows are erased by the assessment service; what a tab showed (answers, strengths, share
link) also sits in Reflex's state store, one entry per state class and tab: `.states/*.pkl`
with the disk state manager, `<token>_<state>` keys with Redis. For every tab the device used
(the service records their client tokens), `forget_tabs`:

1. resets careerpath's states of that tab; an open tab receives the reset at once and is
   sent to /bilan (a step page no longer offers to save an answer);
2. removes that tab's entries from the store (disk files or Redis keys).

The tab that asked is reset in place: its handler's own write then stores empty states.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import reflex as rx
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.redis import StateManagerRedis
from reflex.state import BaseState, State, StateUpdate
from reflex_base.event import Event

from careerpath.ui.states.device import DeviceState

log = logging.getLogger(__name__)

AFTER_DELETE = "/bilan"
"""Where every tab of the device lands once its data is deleted."""


def _state_classes(root: type[BaseState] = State) -> Iterator[type[BaseState]]:
    yield root
    for substate in root.get_substates():
        yield from _state_classes(substate)


def _ours() -> list[type[BaseState]]:
    return [cls for cls in _state_classes() if cls.__module__.startswith("careerpath.")]


async def reset_tab(state: BaseState) -> None:
    """Reset every careerpath state of the tab `state` belongs to (the language stays)."""
    device = await state.get_state(DeviceState)
    lang = device.lang
    for cls in _ours():
        substate = await state.get_state(cls)
        substate.reset()  # type: ignore[no-untyped-call]
    device.lang = lang


def _app() -> Any:
    from careerpath.ui import app as app_module  # the running app (imported at start)

    return app_module.app


async def forget_tabs(state: rx.State, tokens: Iterable[str]) -> None:
    """Reset the asking tab, then reset and remove every other tab in `tokens`."""
    await reset_tab(state)
    current = state.router.session.client_token
    others = sorted(set(tokens) - {current})
    if not others:
        return
    app = _app()
    leave = Event.from_event_type(rx.redirect(AFTER_DELETE))
    for token in others:
        try:
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=State)) as root:
                await reset_tab(root)
            # An open tab leaves the screen of the deleted review for the start page (a
            # closed one simply has nothing left).
            await app.event_namespace.emit_update(StateUpdate(events=leave), token)
        except Exception:
            log.exception("resetting a tab of a deleted device failed")
        await remove_stored(app.state_manager, token)


async def remove_stored(manager: Any, token: str) -> None:
    """Take one tab's states out of the store (what `reflex` would otherwise keep for hours)."""
    keys = [rx.BaseStateToken(ident=token, cls=cls) for cls in _state_classes()]
    if isinstance(manager, StateManagerRedis):
        await manager.redis.delete(*(str(key) for key in keys))
    elif isinstance(manager, StateManagerDisk):
        await manager._flush_write_queue()  # type: ignore[no-untyped-call]
        manager._purge_token(keys[0])
        for key in keys:
            manager.token_path(key).unlink(missing_ok=True)
    elif isinstance(manager, StateManagerMemory):
        manager.states.pop(token, None)
