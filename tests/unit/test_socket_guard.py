"""The websocket's door: other origins, oversized or flooding events stay outside."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import reflex.app as reflex_app

from careerpath.ui import socket_guard
from careerpath.ui.socket_guard import (
    BURST,
    MAX_ARGUMENT_CHARS,
    GuardedEventNamespace,
    argument_problem,
    event_problem,
    origin_allowed,
)

ALLOWED = ("https://careerpath.example",)

T = TypeVar("T")


def run_alone(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh loop in its own thread: the whole suite's browser tests
    leave Playwright's loop running in the main thread, where asyncio.run() refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_only_our_origin_or_no_origin_is_allowed() -> None:
    assert origin_allowed(None, ALLOWED)
    assert origin_allowed("https://careerpath.example", ALLOWED)
    assert origin_allowed("https://CAREERPATH.example/", ALLOWED)
    for foreign in ("https://evil.example", "https://careerpath.example.evil.example", "null"):
        assert not origin_allowed(foreign, ALLOWED)


def test_oversized_deep_or_long_arguments_are_refused() -> None:
    hide = {"name": "state.results_state.hide", "payload": {"code": "x" * 200_000}}
    assert event_problem(hide) == "event too large"
    assert argument_problem({"code": "x" * (MAX_ARGUMENT_CHARS + 1)}) == "string too long"
    assert argument_problem({"ratings": {str(i): 1 for i in range(3000)}}) == "too many items"
    nested: Any = "leaf"
    for _ in range(20):
        nested = [nested]
    assert argument_problem(nested) == "too deep"
    assert event_problem({"name": "x.rate", "payload": {"code": "org-agenda", "level": 3}}) is None


def test_the_namespace_drops_refused_and_flooding_events(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[Any] = []

    async def fake_on_event(self: Any, sid: str, data: Any) -> None:
        received.append(data)

    # Reflex's own namespace, under the guard (reflex.app.EventNamespace may be the guard
    # already, once careerpath.ui.app was imported).
    monkeypatch.setattr(GuardedEventNamespace.__bases__[0], "on_event", fake_on_event)
    namespace = GuardedEventNamespace.__new__(GuardedEventNamespace)
    namespace._buckets = {}
    small = {"name": "x.rate", "payload": {"code": "a", "level": 1}}
    big = {"name": "x.hide", "payload": {"code": "x" * 100_000}}

    async def run() -> None:
        await namespace.on_event("sid", big)
        for _ in range(BURST + 20):
            await namespace.on_event("sid", small)

    run_alone(run())
    assert big not in received
    # The burst passes (the dropped big event took one token), the flood beyond is dropped.
    assert BURST - 1 <= len(received) <= BURST


def test_a_foreign_origin_is_refused_at_connect() -> None:
    namespace = GuardedEventNamespace.__new__(GuardedEventNamespace)
    namespace._allowed_origins = ALLOWED
    with pytest.raises(ConnectionRefusedError):
        run_alone(namespace.on_connect("sid", {"HTTP_ORIGIN": "https://evil.example"}))


def test_install_makes_reflex_build_the_guarded_namespace() -> None:
    socket_guard.install()
    assert reflex_app.EventNamespace is GuardedEventNamespace
