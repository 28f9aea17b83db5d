"""A worker computes at most `ENGINE_THREADS` recommendations at once, however many
requests wait, and its event loop stays free for everyone else meanwhile."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from careerpath.api.http import api_app
from careerpath.api.v1.recommend import ENGINE_THREADS
from careerpath.services import recommendation
from careerpath.services.referential import initialise_database


def test_a_worker_computes_at_most_engine_threads_recommendations_at_once(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixteen requests at once: every one answered, never more than ENGINE_THREADS inside
    the engine together, and the event loop free meanwhile (a plain request is answered
    while they wait)."""
    initialise_database(sqlite_url)
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    inside = 0
    most = 0
    lock = threading.Lock()
    real = recommendation.recommend_one

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.05)  # long enough for the others to pile up
            return real(*args, **kwargs)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(recommendation, "recommend_one", counted)
    body = {"current_role": "secretaire", "ratings": {"org-prioriser": 3}}

    async def run() -> tuple[list[int], float, float]:
        transport = httpx.ASGITransport(app=api_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            started = time.perf_counter()
            calls = [
                asyncio.create_task(
                    http.post(
                        "/api/v1/recommend", params={"target": "gestionnaire-paie"}, json=body
                    )
                )
                for _ in range(16)
            ]
            await asyncio.sleep(0.02)
            plain = await http.get("/api/v1/referential")
            plain_at = time.perf_counter() - started
            answers = await asyncio.gather(*calls)
            all_at = time.perf_counter() - started
            assert plain.status_code == 200
            return [a.status_code for a in answers], plain_at, all_at

    statuses, plain_at, all_at = asyncio.run(run())
    assert statuses == [200] * 16
    assert most == ENGINE_THREADS
    assert plain_at < all_at, "the plain request did not wait for the engine's queue"
