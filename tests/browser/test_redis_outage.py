"""A Redis outage under a running assessment: the page says so, then recovers by itself.

The app gets its own Redis (a private `redis-server` on a free port, never the shared one)
so that the test can stop it; the rest of the scale-out stack is as in production.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, expect

from careerpath.cli.serve import reflex_environment, wait_until_up
from tests.browser.conftest import ROOT, VIEWPORTS, _free_port
from tests.browser.test_journey import answer_step, settle, start_assessment

# Desktop contexts keep the app's service worker here (tests/browser/conftest.py).
pytestmark = pytest.mark.service_worker

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--notify-keyspace-events",
                "KEA",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server is needed for the outage test (Debian package redis-server)")
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def outage_app(
    tmp_path_factory: pytest.TempPathFactory, private_redis: PrivateRedis
) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("outage-app")
    port = _free_port()
    env = reflex_environment(port, f"sqlite:///{data_dir / 'careerpath.db'}")
    for name in ("REFLEX_DB_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)
    env.update(
        CAREERPATH_DATA_DIR=str(data_dir),
        CAREERPATH_REDIS_URL=private_redis.url,
        GRANIAN_WORKERS="2",
    )
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
            pytest.fail(f"the app did not start; log:\n{log.read_text()[-3000:]}")
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_a_redis_outage_shows_a_french_banner_and_the_page_recovers(
    browser: Browser, outage_app: str, private_redis: PrivateRedis
) -> None:
    context = browser.new_context(base_url=outage_app, locale="fr-FR", **VIEWPORTS["phone"])
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        start_assessment(page)
        given = answer_step(page, 1)
        settle(page)

        private_redis.stop()
        page.get_by_role("button", name="Suivant", exact=True).click()
        banner = page.locator("#careerpath-trouble")
        expect(banner).to_be_visible(timeout=20_000)
        expect(banner).to_contain_text("Le serveur ne peut pas enregistrer pour l'instant")
        expect(banner).to_contain_text("Vos réponses restent gardées sur cet appareil")
        assert "An error occurred" not in page.content()

        private_redis.start()
        expect(banner).to_contain_text("Le serveur répond de nouveau", timeout=30_000)
        # The store came back empty: the page reloads and rebuilds its state from what is
        # stored, the step's answers included.
        expect(banner).to_have_count(0, timeout=10_000)
        expect(page.get_by_text(re.compile(r"^Étape 1 sur \d+$"))).to_be_visible(timeout=30_000)
        for name, level in given.items():
            expect(page.locator(f'input[type=radio][name="{name}"]').nth(level)).to_be_checked()
        page.get_by_role("button", name="Suivant", exact=True).click()
        expect(page.get_by_text(re.compile(r"^Étape 2 sur \d+$"))).to_be_visible(timeout=20_000)
        settle(page)
    except BaseException:
        page.screenshot(path="/tmp/outage_fail.png", full_page=True)
        pathlib.Path("/tmp/outage_fail.html").write_text(page.content())
        raise
    finally:
        context.close()
    unexpected = [e for e in errors if "/_event/" not in e and "/_health" not in e]
    assert not unexpected, unexpected
