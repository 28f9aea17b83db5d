"""The app runs on the stack it was configured for: embedded SQLite, or PostgreSQL + Redis."""

from __future__ import annotations

import json
import urllib.request

import redis
import sqlalchemy
from playwright.sync_api import Page, expect

from tests.browser.conftest import REDIS_TEST_URL, RunningApp


def test_the_referential_is_served_from_the_configured_database(app: RunningApp) -> None:
    engine = sqlalchemy.create_engine(app.database_url)
    try:
        with engine.connect() as connection:
            roles = connection.execute(sqlalchemy.text("SELECT count(*) FROM role")).scalar_one()
    finally:
        engine.dispose()
    assert roles >= 30, "the curated referential was loaded at first start"


def test_user_state_lives_where_the_stack_keeps_it(app: RunningApp, page: Page) -> None:
    """Embedded: in the one server process (nothing in Redis). Scaled out: in Redis, so any
    worker can answer the next event of this browser."""
    page.goto("/bilan")  # a page with state: the browser opens its event socket there
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function("() => !!window.sessionStorage.getItem('token')", timeout=15000)
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    # The page's first event has been answered: its state exists on the server.
    expect(page.get_by_role("button", name="Commencer mon bilan")).to_be_visible()
    client = redis.Redis.from_url(app.redis_url or REDIS_TEST_URL)

    def keys() -> list[str]:
        return [k.decode() for k in client.scan_iter(match=f"*{token}*")]

    if app.redis_url is None:
        assert keys() == []
    else:
        # Reflex writes the state back to Redis once the event is processed, which may come
        # just after the browser saw the answer: look again for a short while.
        for _ in range(100):
            if keys():
                break
            page.wait_for_timeout(100)
        assert keys(), "the browser's state is stored in Redis under its token"


def test_the_http_api_answers_on_the_app_port(app: RunningApp) -> None:
    with urllib.request.urlopen(app.url + "/api/referential", timeout=30) as response:  # noqa: S310
        assert response.status == 200
        described = json.load(response)
    assert described["roles"] >= 30
    request = urllib.request.Request(  # noqa: S310 (the app under test)
        app.url + "/api/recommend?target=office-manager",
        data=json.dumps({"current_role": "secretaire", "ratings": {"org-prioriser": 3}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        answer = json.load(response)
    assert answer["target"] == "office-manager"
    assert answer["next_roles"]
