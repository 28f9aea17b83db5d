"""The authorisation table (tests/access/table.py) against the real app: every page in
Chromium and every API route over HTTP, as each of the seven visitors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from careerpath.services.accounts import SESSION_COOKIE
from tests.access.table import ACTORS, API, PAGES, PageRow
from tests.access.table import Page as Expect
from tests.access.world import World, build_world
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp, service_workers

pytestmark = pytest.mark.browser
DECISION_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def world(app: RunningApp) -> World:
    return build_world(app.database_url)


def _context(browser: Browser, app: RunningApp, world: World, actor: str) -> BrowserContext:
    context = browser.new_context(
        base_url=app.url,
        locale="fr-FR",
        service_workers=service_workers("desktop"),
        **VIEWPORTS["desktop"],
    )
    device = world.devices.get(actor)
    if device:
        context.add_init_script(f"localStorage.setItem('careerpath_device', '{device}');")
    token = world.session_token(actor)
    if token:
        context.add_cookies(
            [
                {
                    "name": SESSION_COOKIE,
                    "value": token,
                    "url": app.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
    return context


def _decide(page: Page, expected: Expect) -> str | None:
    """After `goto` (once its response began): what the page decided, before the settling pause of allowed pages.
    None when it behaves as the table says so far, else what happened instead."""
    if expected is Expect.S:
        try:
            page.wait_for_url(re.compile(r"/connexion(\?|$)"), timeout=DECISION_TIMEOUT_MS)
        except Exception:
            return f"expected a redirect to /connexion, stayed on {page.url}"
        return None
    if expected is Expect.D:
        try:
            page.get_by_test_id("access-denied").wait_for(timeout=DECISION_TIMEOUT_MS)
        except Exception:
            return f"expected the denial, got {page.url}"
        return None
    page.wait_for_load_state("load", timeout=DECISION_TIMEOUT_MS)
    page.get_by_test_id("access-pending").wait_for(state="detached", timeout=DECISION_TIMEOUT_MS)
    return None


def _still_allowed(page: Page, path: str) -> str | None:
    """An allowed page, a second after it settled: still there, and no denial shown."""
    final = urlsplit(page.url).path
    if final.startswith("/connexion") and not path.startswith("/connexion"):
        return f"expected the page, was sent to {page.url}"
    if (
        page.get_by_test_id("access-denied").count()
        or page.get_by_test_id("access-sign-in").count()
    ):
        return "expected the page, got a denial"
    return None


def _failure(error: Exception) -> str:  # one page's failure must not hide the others'
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


# Pages opened at once, each in its own tab of the visitor's context (every tab asks for its
# page before the first one is waited on): their loads overlap, and the second an allowed
# page is given for an on_load that would redirect or deny it runs once for the batch.
BATCH = 8


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_as_the_table_says(
    browser: Browser, app: RunningApp, world: World, actor: str
) -> None:
    problems = PageProblems()
    context = _context(browser, app, world, actor)
    failures = []
    rows = list(PAGES)
    try:
        for first in range(0, len(rows), BATCH):
            batch: list[tuple[PageRow, str, Page, str | None]] = []
            for row in rows[first : first + BATCH]:
                path = world.fill(row.route, row.params)
                page = context.new_page()
                page.on("console", problems.on_console)
                page.on("requestfailed", problems.on_request_failed)
                page.on("response", problems.on_response)
                try:
                    page.goto(path, wait_until="commit")
                    batch.append((row, path, page, None))
                except Exception as error:
                    batch.append((row, path, page, _failure(error)))
            opened: list[tuple[Page, str, str]] = []
            for row, path, page, wrong in batch:
                if wrong is None:
                    try:
                        wrong = _decide(page, row.expected(actor))
                    except Exception as error:
                        wrong = _failure(error)
                if wrong:
                    failures.append(f"{row.route} as {actor}: {wrong}")
                elif row.expected(actor) is Expect.A:
                    opened.append((page, path, row.route))
            if opened:
                # an on_load that would redirect or deny has answered by now
                opened[0][0].wait_for_timeout(1000)
            for page, path, route in opened:
                try:
                    wrong = _still_allowed(page, path)
                except Exception as error:
                    wrong = _failure(error)
                if wrong:
                    failures.append(f"{route} as {actor}: {wrong}")
            for page in context.pages:
                page.close()
    finally:
        context.close()
    assert not failures, "\n".join(failures)
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture(scope="module")
def http(app: RunningApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=app.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("actor", ACTORS)
def test_api_as_the_table_says(http: httpx.Client, world: World, actor: str) -> None:
    failures = []
    for row in API:
        token = world.session_token(actor)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Cookie"] = f"{SESSION_COOKIE}={token}"
        body = world.body(row.body, actor)
        http.cookies.clear()  # only the cookie of this visitor, not one a response set
        path = world.fill(row.path, row.params)
        response = http.request(row.method, path, headers=headers, content=body)
        if response.status_code != row.expected(actor):
            failures.append(
                f"{row.method} {row.path} as {actor}: {response.status_code}, "
                f"expected {row.expected(actor)} ({response.text[:200]})"
            )
    assert not failures, "\n".join(failures)
