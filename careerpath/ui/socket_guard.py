"""The websocket's door: other sites' pages, oversized events and floods stay outside.

Reflex's event namespace accepts any Origin when `cors_allowed_origins` is "*" and any event
up to 1 MB. careerpath's events are small (a competency code and a level, a search of at
most 120 characters, the device's answers), so the guard:

- refuses a connection whose `Origin` header is not one of `Settings.allowed_origins` (the
  configured public URL's; rxconfig.py gives the same list to Engine.IO, this is the second
  lock);
- drops an event larger than `MAX_EVENT_BYTES`, one whose arguments hold a string longer than
  `MAX_ARGUMENT_CHARS`, a list or mapping of more than `MAX_ITEMS` entries or a nesting deeper
  than `MAX_DEPTH`;
- drops events beyond `BURST` at once or `RATE` per second and per connection (a person
  tapping fast sends a few per second).

A dropped event is logged once per connection and reason, without its content; the page
keeps working (Reflex's client does not wait for an answer per event). What each argument
means (a known competency, role or level) is checked by the services the handlers call.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import reflex.app as reflex_app

from careerpath.config import load_settings
from careerpath.ui.state_store import tab_closed

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 64 * 1024
MAX_ARGUMENT_CHARS = 4_000
MAX_ITEMS = 2_000
MAX_DEPTH = 8
BURST = 60
RATE = 15.0


@dataclass
class _Bucket:
    """A token bucket: `BURST` events at once, refilled at `RATE` per second."""

    tokens: float = BURST
    stamp: float = field(default_factory=time.monotonic)
    warned: set[str] = field(default_factory=set)

    def take(self, now: float) -> bool:
        self.tokens = min(BURST, self.tokens + (now - self.stamp) * RATE)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def origin_allowed(origin: str | None, allowed: tuple[str, ...]) -> bool:
    """No Origin header (not a browser page) or one of ours."""
    return origin is None or origin.rstrip("/").lower() in allowed


def argument_problem(value: Any, depth: int = 0) -> str | None:
    """Why an event argument is refused (too long, too many items, too deep), or None."""
    if depth > MAX_DEPTH:
        return "too deep"
    if isinstance(value, str):
        return "string too long" if len(value) > MAX_ARGUMENT_CHARS else None
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return "too many items"
        for key, item in value.items():
            problem = argument_problem(key, depth + 1) or argument_problem(item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            return "too many items"
        for item in value:
            problem = argument_problem(item, depth + 1)
            if problem:
                return problem
    return None


def event_problem(data: Any) -> str | None:
    """Why one incoming event is refused before Reflex reads it, or None."""
    try:
        size = len(data) if isinstance(data, str) else len(json.dumps(data))
    except (TypeError, ValueError):
        return "not serialisable"
    if size > MAX_EVENT_BYTES:
        return "event too large"
    if isinstance(data, dict):
        return argument_problem(data.get("payload"))
    return None


class GuardedEventNamespace(reflex_app.EventNamespace):
    """Reflex's event namespace behind the checks above."""

    def __init__(self, namespace: str, app: Any) -> None:
        super().__init__(namespace, app)
        self._allowed_origins = load_settings().allowed_origins
        self._buckets: dict[str, _Bucket] = {}

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        origin = environ.get("HTTP_ORIGIN")
        if not origin_allowed(origin, self._allowed_origins):
            log.warning("websocket refused: foreign origin %.100r", origin)
            raise ConnectionRefusedError("origin not allowed")
        # The boot event in `auth` goes through `on_event` below, checks included.
        await super().on_connect(sid, environ, auth)

    def on_disconnect(self, sid: str) -> Any:
        self._buckets.pop(sid, None)
        token = self.sid_to_token.get(sid)
        if token is not None:  # its state may leave memory once written (state_store.py)
            try:
                sockets = self._token_manager.token_to_socket

                def back() -> bool:  # the tab has a websocket again (not this closing one)
                    record = sockets.get(token)
                    return record is not None and record.sid != sid

                tab_closed(self.app.state_manager, token, back)
            except Exception:  # noqa: BLE001  (the state then stays in memory, as before)
                log.exception("closed tab not noted for release")
        return super().on_disconnect(sid)

    async def on_event(self, sid: str, data: Any) -> None:
        bucket = self._buckets.setdefault(sid, _Bucket())
        problem = None if bucket.take(time.monotonic()) else "rate"
        problem = problem or event_problem(data)
        if problem is not None:
            if problem not in bucket.warned:
                bucket.warned.add(problem)
                log.warning("websocket event dropped (%s) from session %s", problem, sid)
            return
        await super().on_event(sid, data)


def install() -> None:
    """Make Reflex build its event namespace from `GuardedEventNamespace` (before rx.App)."""
    reflex_app.EventNamespace = GuardedEventNamespace  # type: ignore[misc]
