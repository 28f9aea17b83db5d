"""The real server (prod build): security headers on every answer, the app and the API docs
running under the Content-Security-Policy with no console error, CORS closed to foreign
origins, and the API's limits as a client on the network meets them."""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import RunningApp
from tests.browser.test_journey import start_assessment, visit

SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)


def _request(
    app: RunningApp, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(app.url + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (local)
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_the_app_runs_under_its_content_security_policy(page: Page, app: RunningApp) -> None:
    """Pages, service worker, websocket events and `rx.call_script`: no CSP violation (the
    `page` fixture fails the test on any console error)."""
    response = page.goto("/")
    assert response is not None
    for name in SECURITY_HEADERS:
        assert name in response.headers, f"{name} missing on /"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == (
        app.url + "/sw.js"
    )
    start_assessment(page)  # websocket events, role search, call_script (device storage)
    visit(page, "/ecoles")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("viewport_name", ["phone", "desktop"], indirect=True)
def test_the_api_documentation_works_from_the_apps_own_files(
    page: Page, app: RunningApp, viewport_name: str, screenshots_dir: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _, _, raw = _request(app, "GET", "/api/v1/openapi.json")
    documented = sum(len(operations) for operations in json.loads(raw)["paths"].values())
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock")).to_have_count(documented)
    expect(page.get_by_text("/recommend", exact=True)).to_be_visible()
    page.locator(".opblock-summary", has_text="/referential").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table tbody")
    expect(live.locator(".response-col_status").first).to_contain_text("200")
    expect(live.locator(".microlight").first).to_contain_text('"competencies"')
    page.screenshot(path=screenshots_dir / f"api-docs-{viewport_name}.png")
    foreign = [url for url in requested if not url.startswith(app.url)]
    assert not foreign, f"the docs page fetched from elsewhere: {foreign}"


@pytest.mark.parametrize(
    "path",
    ["/", "/bilan", "/sw.js", "/manifest.webmanifest", "/api/v1/referential", "/page-inconnue"],
)
def test_every_answer_of_the_server_carries_the_security_headers(
    app: RunningApp, path: str
) -> None:
    _, headers, _ = _request(app, "GET", path)
    for name in SECURITY_HEADERS:
        assert name in headers, f"{name} missing on {path}"
    assert "strict-transport-security" not in headers, "plain http: no HSTS"


def test_cors_never_opens_the_api_to_a_foreign_origin(app: RunningApp) -> None:
    evil = {"Origin": "https://evil.example", "Cookie": "session=stolen"}
    _, headers, _ = _request(app, "GET", "/api/v1/referential", evil)
    assert "access-control-allow-origin" not in headers, "the foreign origin is not echoed"
    _, preflight, _ = _request(
        app, "OPTIONS", "/api/v1/recommend", {**evil, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight


def test_the_old_paths_answer_with_their_successor(app: RunningApp) -> None:
    status, headers, body = _request(app, "GET", "/api/roles?q=compta")
    assert status == 200 and json.loads(body)["roles"]
    assert headers["deprecation"].startswith("@")
    assert headers["link"] == '</api/v1/roles>; rel="successor-version"'


def test_api_errors_are_json_on_the_real_server(app: RunningApp) -> None:
    """What the probe met on the live server: HTML 404, empty 414, English 405. (An address
    beyond the server's own 408 KB request buffer still gets granian's empty 414.)"""
    status, headers, body = _request(app, "GET", "/api/v1/recommend")
    assert status == 405 and "non permise" in json.loads(body)["errors"][0]["message"]
    status, headers, body = _request(app, "GET", "/api/recommend")
    assert status == 405 and headers["content-type"] == "application/json"
    status, _, body = _request(app, "GET", "/api/v1/roles?q=" + "a" * 20_000)
    assert status == 414 and "8192 caractères" in json.loads(body)["errors"][0]["message"]
    status, _, body = _request(app, "GET", "/api/inconnu", {"Accept-Language": "en"})
    assert status == 404 and json.loads(body)["errors"][0]["message"] == "nothing at this address"


def _connect(app: RunningApp) -> socket.socket:
    address = urlsplit(app.url)
    return socket.create_connection((address.hostname, address.port), timeout=30)


def _head(length: str = "", chunked: bool = False) -> bytes:
    lines = [
        "POST /api/v1/recommend HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {length}" if length else "Transfer-Encoding: chunked",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _read_answer(sock: socket.socket) -> tuple[int, bytes]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, response.read()


def test_a_slow_body_is_cut_off_and_its_connection_closed(app: RunningApp) -> None:
    with _connect(app) as sock:
        started = time.monotonic()
        sock.sendall(_head(length="1000") + b'{"ratings": ')
        status, body = _read_answer(sock)
        waited = time.monotonic() - started
        assert status == 408
        assert "trop lentement" in json.loads(body)["errors"][0]["message"]
        assert waited < 30, f"the slow client held the request {waited:.0f} s"
        sock.settimeout(5)
        assert sock.recv(1) == b"", "the server closed the connection"


def test_a_huge_streamed_body_is_refused_while_it_is_sent(app: RunningApp) -> None:
    chunk = b" " * (256 * 1024)
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    with _connect(app) as sock:
        sock.sendall(_head(chunked=True) + b"1\r\n{\r\n")
        try:
            while sent < 300 * 1024 * 1024:
                sock.sendall(frame)
                sent += len(chunk)
        except OSError:
            pass  # the server stopped reading and closed: what we want
        status, body = _read_answer(sock)
    assert status == 413 and "256 Ko" in json.loads(body)["errors"][0]["message"]
    assert sent < 64 * 1024 * 1024, f"the server read {sent // 2**20} MB before refusing"


def test_a_client_leaving_mid_body_leaves_no_stack_trace(app: RunningApp) -> None:
    before = app.log.read_text(errors="replace")
    for _ in range(3):
        with _connect(app) as sock:
            sock.sendall(_head(length="5000") + b'{"ratings": {')
    time.sleep(1)
    status, _, _ = _request(app, "GET", "/api/v1/referential")
    assert status == 200
    new = app.log.read_text(errors="replace")[len(before) :]
    assert "Traceback" not in new and not re.search(r"ClientDisconnect|Exception in ASGI", new)
