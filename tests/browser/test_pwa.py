"""careerpath as an installed app: the browser offers to install it, its service worker keeps
the app on the device, and the icons a phone shows are there at the right sizes.

Chromium reports every incognito context as not installable (`in-incognito`), so these tests
use a persistent profile in a temporary directory; the DevTools protocol then tells what the
browser thinks of the manifest and of the installability of the page.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from tests.browser.conftest import RunningApp, persistent_context

# Desktop contexts keep the app's service worker here (tests/browser/conftest.py).
pytestmark = pytest.mark.service_worker

INSTALL_LABEL = "Installer l'application"


@pytest.fixture
def profile_page(
    browser: Browser, app: RunningApp, tmp_path: Path, viewport_name: str
) -> Iterator[tuple[BrowserContext, Page]]:
    """A page in a regular (non-incognito) Chromium profile, the kind that can install apps."""
    context, page = persistent_context(browser, app, tmp_path / "profile", viewport_name)
    yield context, page
    context.close()


def wait_for_service_worker(page: Page) -> str:
    """Wait until a service worker is active for the page; return its script URL."""
    return str(page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)"))


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a plain HTTP GET."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local test server)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return response.status, headers, response.read()


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_the_browser_can_install_the_app(
    profile_page: tuple[BrowserContext, Page], app: RunningApp
) -> None:
    _, page = profile_page
    page.goto("/")
    assert wait_for_service_worker(page) == app.url + "/sw.js"

    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    answer = cdp.send("Page.getAppManifest")
    cdp.detach()
    assert answer["url"] == app.url + "/manifest.webmanifest"
    assert answer["errors"] == []

    # The manifest as Chromium understood it (URLs resolved against the page).
    understood = answer["manifest"]
    assert understood["display"] == "kStandalone"
    assert understood["startUrl"] == app.url + "/"
    assert understood["scope"] == app.url + "/"
    assert understood["themeColor"] == "rgba(13,115,119,1)"
    shortcuts = {s["name"]: s["url"] for s in understood["shortcuts"]}
    assert shortcuts == {
        "Faire le point": app.url + "/bilan",
        "Mes résultats": app.url + "/metiers",
    }
    # And as written: French, with the icons phones ask for.
    written = json.loads(answer["data"])
    assert written["lang"] == "fr"
    assert written["short_name"] == "careerpath"
    assert {(i["sizes"], i.get("purpose", "any")) for i in written["icons"]} >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }


# Counts the calls to the browser's installation dialog (headless Chromium shows none).
COUNT_INSTALL_PROMPTS = """
const showDialog = BeforeInstallPromptEvent.prototype.prompt;
window.installPrompts = 0;
BeforeInstallPromptEvent.prototype.prompt = function () {
  window.installPrompts += 1;
  return showDialog.call(this).catch(() => ({ outcome: "dismissed" }));
};
"""


def test_the_install_button_appears_when_the_browser_offers_installation(
    profile_page: tuple[BrowserContext, Page], viewport_name: str, screenshots_dir: Path
) -> None:
    _, page = profile_page
    page.add_init_script(COUNT_INSTALL_PROMPTS)
    page.goto("/")
    button = page.get_by_role("button", name=INSTALL_LABEL)
    expect(button).to_be_visible(timeout=30_000)
    # The header still fits the screen with the extra button.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=screenshots_dir / f"install-button-{viewport_name}.png")

    button.click()
    page.wait_for_function("window.installPrompts === 1")


def test_no_install_button_where_the_browser_does_not_offer_installation(page: Page) -> None:
    # A private window cannot install apps: the button is in the page but not shown.
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("[data-pwa-install]")).to_have_count(1)
    expect(page.locator("[data-pwa-install]")).to_be_hidden()
    expect(page.get_by_role("button", name=INSTALL_LABEL)).to_have_count(0)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_the_service_worker_serves_the_app_from_the_device(
    profile_page: tuple[BrowserContext, Page],
) -> None:
    _, page = profile_page
    page.goto("/")
    wait_for_service_worker(page)
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    build_files = [r for r in responses if "/assets/" in r.url]
    assert build_files, "the page loaded no build file"
    assert all(r.from_service_worker for r in build_files)

    # The server's live endpoints go to the network, never to a cached copy.
    with page.expect_response(lambda r: r.url.endswith("/ping")) as ping:
        page.evaluate("fetch('/ping', {cache: 'no-store'}).then(r => r.status)")
    assert not ping.value.from_service_worker


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_visited_page_opens_again_without_network(
    profile_page: tuple[BrowserContext, Page],
) -> None:
    context, page = profile_page
    page.goto("/")
    wait_for_service_worker(page)
    page.reload()
    heading = page.get_by_role("heading", level=1).inner_text()

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    context.set_offline(False)


def test_the_manifest_icons_load_at_their_declared_sizes(app: RunningApp) -> None:
    status, _, body = fetch(app.url + "/manifest.webmanifest")
    assert status == 200
    manifest = json.loads(body)
    icons = [i for i in manifest["icons"] if i["type"] == "image/png"]
    apple = {"src": "/icons/apple-touch-icon.png", "sizes": "180x180", "type": "image/png"}
    for icon in [*icons, apple]:
        status, headers, body = fetch(app.url + icon["src"])
        assert status == 200, icon["src"]
        assert headers["content-type"] == "image/png"
        width, height = (int(v) for v in icon["sizes"].split("x"))
        with Image.open(io.BytesIO(body)) as image:
            assert image.size == (width, height), icon["src"]
            if icon.get("purpose") == "maskable" or icon is apple:
                # Masked or rounded by the system: no transparent corner may show through.
                assert image.convert("RGBA").getpixel((0, 0))[3] == 255, icon["src"]


def test_build_files_are_cached_for_a_year_and_pages_revalidated(app: RunningApp) -> None:
    _, headers, body = fetch(app.url + "/")
    assert headers["cache-control"] == "no-cache"
    html = body.decode()
    found = re.search(r'/assets/[^"\\]+\.js', html)
    assert found, "the page names none of the build's JavaScript files"
    script = found[0]
    _, headers, _ = fetch(app.url + script)
    assert "immutable" in headers["cache-control"]
    assert "max-age=31536000" in headers["cache-control"]
    _, headers, _ = fetch(app.url + "/sw.js")
    assert headers["cache-control"] == "no-cache"
