"""Browser tests: the real app (production build, free port, throw-away SQLite) in Chromium.

Every test gets a Playwright page at phone size (390×844, touch) and at desktop size
(1280×800); a console error or a failed request on the page fails the test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest
import redis
import sqlalchemy
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

from careerpath.cli.serve import reflex_environment, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# `CAREERPATH_TEST_STACK=scale` runs the same browser tests against the scale-out stack:
# a fresh PostgreSQL database, Reflex's Redis state manager and several backend workers.
STACK = os.environ.get("CAREERPATH_TEST_STACK", "embedded")
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Each checkout running the scale pass at once on one machine takes its own Redis db index.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{os.environ.get('CAREERPATH_TEST_REDIS_DB', '7')}"


@dataclass
class RunningApp:
    url: str
    data_dir: Path
    database_url: str
    log: Path
    redis_url: str | None = None
    pid: int = 0
    """The `careerpath run` process (its descendants are Reflex, granian and the workers)."""


@contextmanager
def _database(data_dir: Path) -> Iterator[str]:
    """The app's database: a SQLite file, or a brand-new PostgreSQL database (scale stack)."""
    if STACK != "scale":
        yield f"sqlite:///{data_dir / 'careerpath.db'}"
        return
    name = f"careerpath_browser_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """careerpath served by `careerpath run` (prod build) on a free port with its own database."""
    data_dir = tmp_path_factory.mktemp("app-data")
    with _database(data_dir) as database_url:
        yield from _serve(data_dir, database_url)


def _serve(data_dir: Path, database_url: str) -> Iterator[RunningApp]:
    port = _free_port()
    env = reflex_environment(port, database_url)
    env["CAREERPATH_DATA_DIR"] = str(data_dir)
    # the test app only: states published and joins counted at once (24 h each in service)
    env["CAREERPATH_COLLECTIVE_INTERVAL_HOURS"] = "0"
    env["CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS"] = "0"
    for name in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "CAREERPATH_REDIS_URL"):
        env.pop(name, None)
    redis_url = None
    if STACK == "scale":
        redis_url = env["CAREERPATH_REDIS_URL"] = REDIS_TEST_URL
        redis.Redis.from_url(redis_url).flushdb()
    log = data_dir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "careerpath.cli.main", "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_up(url + "/", process, timeout=900):
            tail = log.read_text(errors="replace")[-4000:]
            pytest.fail(f"the app did not start on {url}; server log:\n{tail}")
        yield RunningApp(url, data_dir, database_url, log, redis_url, process.pid)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def persistent_context(
    browser: Browser, app: RunningApp, profile_dir: Path, viewport_name: str
) -> tuple[BrowserContext, Page]:
    """A regular (non-incognito) Chromium profile: the kind that installs apps and keeps a
    service worker. The caller closes the context."""
    context = browser.browser_type.launch_persistent_context(
        profile_dir,
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        headless=True,
        base_url=app.url,
        locale="fr-FR",
        **VIEWPORTS[viewport_name],
    )
    page = context.pages[0] if context.pages else context.new_page()
    return context, page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


CANCELLED_BY_BROWSER = "net::ERR_ABORTED"


@dataclass
class PageProblems:
    """What went wrong on a page while a test drove it."""

    items: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.items.append(f"console error: {message.text}")

    def on_request_failed(self, request: Request) -> None:
        # net::ERR_ABORTED is the browser cancelling a request itself (the page navigated
        # away while an icon was still loading): not a fault of the app. Server faults show
        # as other network errors or as HTTP statuses (on_response).
        if request.failure == CANCELLED_BY_BROWSER:
            return
        self.items.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.items.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


def service_workers(
    viewport_name: str, request: pytest.FixtureRequest | None = None
) -> Literal["allow", "block"]:
    """The phone runs the app as the PWA it is installed as: its service worker registers,
    precaches the build and answers every fetch. A desktop context blocks it unless the test
    is marked `service_worker`: the worker's interception and precache cost Chromium about
    a quarter of its CPU per page (measured on the build: 12 pages 4.6 s of CPU blocked
    against 6.6 s), which the CI's 30 minutes cannot pay twice per test."""
    if viewport_name == "phone":
        return "allow"
    if request is not None and request.node.get_closest_marker("service_worker"):
        return "allow"
    return "block"


@pytest.fixture
def page(
    browser: Browser,
    app: RunningApp,
    viewport_name: str,
    page_problems: PageProblems,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A fresh French-speaking browser context at the requested size, pointed at the app."""
    context = browser.new_context(
        base_url=app.url,
        locale="fr-FR",
        accept_downloads=True,
        service_workers=service_workers(viewport_name, request),
        **VIEWPORTS[viewport_name],
    )
    page = context.new_page()
    page.on("console", page_problems.on_console)
    page.on("requestfailed", page_problems.on_request_failed)
    page.on("response", page_problems.on_response)
    yield page
    context.close()
    assert not page_problems.items, "problems on the page:\n" + "\n".join(page_problems.items)


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where browser tests write screenshots for a person to look at (printed at the end)."""
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    shots = ARTIFACTS / "screenshots"
    if shots.is_dir() and any(shots.iterdir()):
        terminalreporter.write_line(f"Screenshots of the browser tests: {shots}")
