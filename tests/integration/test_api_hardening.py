"""Regression tests for the API findings of issue #18: a JSON error in the request's language
for every status, bodies bounded in size and time while they are read, quiet disconnects,
the old paths deprecated towards /api/v1."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.api.legacy import DEPRECATED_SINCE
from careerpath.services.referential import initialise_database

V1 = "/api/v1"
SECRETARY = {"current_role": "secretaire", "ratings": {"org-prioriser": 3}}
JSON = {"content-type": "application/json"}


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    initialise_database(sqlite_url)
    return sqlite_url


@pytest.fixture
def client(database: str) -> Iterator[TestClient]:
    with TestClient(api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def _only_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    errors = response.json()["errors"]
    assert len(errors) == 1 and set(errors[0]) == {"field", "message"}
    return str(errors[0]["message"])


# -- the probe's findings, each in French and in English -------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_RATING = b'{"ratings": {"org-prioriser": ' + b"7" * 5000 + b"}}"

FINDINGS = [
    # (name, request, status, French words, English words)
    (
        "top=²",
        {"method": "POST", "url": f"{V1}/recommend", "params": {"top": "²"}, "json": SECRETARY},
        400,
        "un nombre entier est attendu",
        "a whole number is expected",
    ),
    (
        "a 5000-digit rating",
        {"method": "POST", "url": f"{V1}/recommend", "content": HUGE_RATING, "headers": JSON},
        400,
        "nombre beaucoup trop long",
        "far too long number",
    ),
    (
        "100,000-deep nesting",
        {"method": "POST", "url": f"{V1}/recommend", "content": DEEP, "headers": JSON},
        400,
        "imbriqué trop profondément",
        "nested too deeply",
    ),
    (
        "a long query",
        {"method": "GET", "url": f"{V1}/roles", "params": {"q": "a" * 20_000}},
        414,
        "dépasse 8192 caractères",
        "longer than 8192 characters",
    ),
    (
        "a wrong method",
        {"method": "DELETE", "url": f"{V1}/referential"},
        405,
        "méthode DELETE non permise ici (permises : GET)",
        "method DELETE is not allowed here (allowed: GET)",
    ),
    (
        "GET on a POST route",
        {"method": "GET", "url": f"{V1}/recommend"},
        405,
        "méthode GET non permise ici (permises : POST)",
        "method GET is not allowed here (allowed: POST)",
    ),
    (
        "a text/plain body",
        {
            "method": "POST",
            "url": f"{V1}/recommend",
            "content": json.dumps(SECRETARY).encode(),
            "headers": {"content-type": "text/plain"},
        },
        415,
        "doit être du JSON",
        "must be JSON",
    ),
    (
        "an unknown address under /api",
        {"method": "GET", "url": "/api/v2/roles"},
        404,
        "aucune ressource à cette adresse",
        "nothing at this address",
    ),
    (
        "an announced 300 MB body",
        {
            "method": "POST",
            "url": f"{V1}/recommend",
            "content": b"{}",
            "headers": {**JSON, "content-length": str(300 * 1024 * 1024)},
        },
        413,
        "la requête dépasse 256 Ko",
        "larger than 256 KB",
    ),
]


@pytest.mark.parametrize(
    ("request_args", "status", "french", "english"),
    [pytest.param(*finding[1:], id=finding[0]) for finding in FINDINGS],
)
def test_every_refusal_is_a_json_error_in_the_request_language(
    client: TestClient, request_args: dict[str, Any], status: int, french: str, english: str
) -> None:
    assert french in _only_error(client.request(**request_args), status)
    headers = {**request_args.get("headers", {}), "accept-language": "en-US,en;q=0.9"}
    assert english in _only_error(client.request(**{**request_args, "headers": headers}), status)


def test_a_405_says_which_methods_are_allowed(client: TestClient) -> None:
    response = client.put(f"{V1}/recommend", json=SECRETARY)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_huge_refused_value_is_not_quoted_back_whole(client: TestClient) -> None:
    body = b'{"ratings": {"org-prioriser": ' + b"9" * 4000 + b"}}"
    message = _only_error(client.post(f"{V1}/recommend", content=body, headers=JSON), 400)
    assert "hors de l'intervalle 0 à 4" in message
    assert len(message) < 120


def test_an_unexpected_failure_is_a_json_500_in_french(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr("careerpath.services.recommendation.recommend_one", broken)
    message = _only_error(client.post(f"{V1}/recommend", json=SECRETARY), 500)
    assert message == "erreur interne du serveur ; réessayez plus tard"
    assert "engine" not in message


# -- bodies: bounded while read, timed, disconnects --------------------------------------


class Client:
    """Drives the ASGI app directly, as a server would, with a scripted body."""

    def __init__(self, chunks: Iterator[bytes | None], headers: dict[str, str]) -> None:
        self.chunks = chunks
        self.headers = headers
        self.sent_chunks = 0
        self.messages: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        chunk = next(self.chunks, b"")
        if chunk is None:  # the client went away
            return {"type": "http.disconnect"}
        if chunk == b"...":  # the client stalls
            await asyncio.sleep(3600)
        self.sent_chunks += 1
        return {"type": "http.request", "body": chunk, "more_body": chunk != b""}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    def run(self, app: Any, path: str = f"{V1}/recommend") -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(k.encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 3000),
        }
        # On a loop of its own, in a thread: the suite's browser tests leave Playwright's loop
        # running in the main thread, where asyncio.run() refuses to start.
        coroutine = asyncio.wait_for(app(scope, self.receive, self.send), 30)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, coroutine).result()

    @property
    def status(self) -> int | None:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return int(starts[0]["status"]) if starts else None

    @property
    def body(self) -> dict[str, Any]:
        return dict(json.loads(b"".join(m.get("body", b"") for m in self.messages if "body" in m)))

    def header(self, name: str) -> str | None:
        for message in self.messages:
            for key, value in message.get("headers", []):
                if key.decode().lower() == name:
                    return str(value.decode())
        return None


def _endless(chunk: bytes) -> Iterator[bytes | None]:
    while True:
        yield chunk


def test_a_300_mb_body_is_refused_after_reading_just_over_256_kb(database: str) -> None:
    """No Content-Length (chunked): the guard counts while reading and stops at the limit."""
    chunk = b" " * (64 * 1024)
    client = Client(_endless(chunk), {"content-type": "application/json"})
    client.run(api_app())
    assert client.status == 413
    assert client.sent_chunks <= 256 // 64 + 1, "never more than the limit is read"
    assert client.body["errors"][0]["message"] == "la requête dépasse 256 Ko"
    assert client.header("connection") == "close"


def test_a_body_that_trickles_in_is_cut_off_at_the_time_limit(database: str) -> None:
    chunks = iter([b'{"ratings": ', b"..."])
    client = Client(chunks, {"content-type": "application/json", "content-length": "500"})
    started = time.monotonic()
    client.run(api_app(body_timeout=0.5))
    assert client.status == 408
    assert "trop lentement" in client.body["errors"][0]["message"]
    assert client.header("connection") == "close"
    assert time.monotonic() - started < 20, "not the hour the client would have held"


def test_a_client_that_leaves_mid_body_is_not_logged_as_a_failure(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    chunks = iter([b'{"ratings": {', None])
    client = Client(chunks, {"content-type": "application/json", "content-length": "500"})
    with caplog.at_level(logging.INFO):
        client.run(api_app())
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert client.status is None, "nothing is sent to a client that left"


# -- the old paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "old", "kwargs"),
    [
        ("GET", "/api/referential", {}),
        ("GET", "/api/roles", {"params": {"q": "compta"}}),
        ("POST", "/api/recommend", {"json": SECRETARY, "params": {"top": 3}}),
        ("POST", "/api/recommend", {"json": {"ratings": {"org-prioriser": 7}}}),
        ("GET", "/api/recommend", {}),
    ],
)
def test_old_paths_answer_as_v1_and_say_they_are_deprecated(
    client: TestClient, method: str, old: str, kwargs: dict[str, Any]
) -> None:
    response = client.request(method, old, **kwargs)
    successor = old.replace("/api/", "/api/v1/")
    expected = client.request(method, successor, **kwargs)
    assert (response.status_code, response.json()) == (expected.status_code, expected.json())
    assert response.headers["deprecation"] == f"@{DEPRECATED_SINCE}"
    assert response.headers["link"] == f'<{successor}>; rel="successor-version"'
    assert "deprecation" not in expected.headers


# -- the documentation --------------------------------------------------------------------


def test_the_docs_page_uses_only_the_apps_own_files(client: TestClient) -> None:
    page = client.get(f"{V1}/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text, "no CDN"
    assert "<script>" not in page.text, "no inline script (Content-Security-Policy)"
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "start.js"):
        response = client.get(f"{V1}/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.content) > 100
    assert client.get(f"{V1}/docs/assets/..%2F..%2Fconfig.py").status_code == 404
    document = client.get(f"{V1}/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {
        "/referential",
        "/roles",
        "/recommend",
        "/session",
        "/me",
        "/beneficiaries",
        "/beneficiaries.csv",
        "/beneficiaries/{beneficiary}",
        "/beneficiaries/{beneficiary}/actions",
        "/beneficiaries/{beneficiary}/actions/{action}",
        "/beneficiaries/{beneficiary}/actions/{action}/comments",
        "/beneficiaries/{beneficiary}/objectives",
        "/beneficiaries/{beneficiary}/objectives/{objective}",
        "/beneficiaries/{beneficiary}/counsellors",
        "/beneficiaries/{beneficiary}/counsellor",
        "/beneficiaries/{beneficiary}/comparison",
        "/beneficiaries/{beneficiary}/update-request",
        "/beneficiaries/{beneficiary}/actions.csv",
        "/beneficiaries/{beneficiary}/bilan.pdf",
        "/invitations",
    } == set(document["paths"])
    assert document["servers"] == [{"url": V1}]


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1", "/api/v1/"])
def test_the_api_roots_are_json_404s_not_pages(client: TestClient, path: str) -> None:
    assert "aucune ressource" in _only_error(client.get(path), 404)


def test_a_405_names_every_method_of_the_path_even_across_routes(client: TestClient) -> None:
    """/session serves POST (sign in) and DELETE (sign out) from two routes (schemathesis)."""
    response = client.put(f"{V1}/session")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, POST"
    assert "(permises : DELETE, POST)" in response.json()["errors"][0]["message"]
