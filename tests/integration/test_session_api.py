"""`/api/v1/session` and `/api/v1/me` over HTTP: the cookie, the refusals, their messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.data.database import engine_for, upgrade
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.accounts.throttle import ACCOUNT_LIMIT

PASSWORD = "une phrase de passe assez longue"
PUBLIC = "https://careerpath.example.org"


@pytest.fixture
def client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", PUBLIC)
    upgrade(engine_for(sqlite_url))
    Accounts(sqlite_url).create(
        "a@cio.fr", Role.COUNSELLOR, structure="CIO A", name="Camille", password=PASSWORD
    )
    with TestClient(api_app(), base_url=PUBLIC) as test_client:
        yield test_client


def _sign_in(client: TestClient, password: str = PASSWORD, **headers: str):  # noqa: ANN202
    return client.post(
        "/api/v1/session", json={"email": "a@cio.fr", "password": password}, headers=headers
    )


def test_sign_in_sets_an_httponly_lax_secure_cookie_then_me_answers(client: TestClient) -> None:
    response = _sign_in(client)
    assert response.status_code == 204
    assert response.headers["x-careerpath-landing"] == "/espace"  # a counsellor's workspace
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=lax", "Path=/", "Secure", "Max-Age=43200"):
        assert attribute.lower() in cookie.lower(), attribute
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": me.json()["id"],
        "email": "a@cio.fr",
        "name": "Camille",
        "role": "counsellor",
        "structure": "CIO A",
    }
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_no_secure_flag_on_plain_http(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", "http://localhost:3000")
    upgrade(engine_for(sqlite_url))
    Accounts(sqlite_url).create("b@cio.fr", Role.ADMIN, password=PASSWORD)
    with TestClient(api_app()) as client:
        response = client.post("/api/v1/session", json={"email": "b@cio.fr", "password": PASSWORD})
    assert response.status_code == 204
    assert "secure" not in response.headers["set-cookie"].lower()


def test_a_wrong_password_gets_401_in_the_persons_language(client: TestClient) -> None:
    french = _sign_in(client, "pas le bon mot de passe")
    assert french.status_code == 401
    assert french.json() == {
        "errors": [{"field": None, "message": "E-mail ou mot de passe incorrect."}]
    }
    english = client.post(
        "/api/v1/session?lang=en", json={"email": "nobody@cio.fr", "password": "x"}
    )
    assert english.json()["errors"][0]["message"] == "Wrong e-mail or password."
    assert "set-cookie" not in french.headers


def test_too_many_failures_get_429_with_retry_after(client: TestClient) -> None:
    for _ in range(ACCOUNT_LIMIT):
        assert _sign_in(client, "pas le bon mot de passe").status_code == 401
    locked = _sign_in(client)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Trop de tentatives" in locked.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'{"email": "a@cio.fr"}', b'{"email": 3, "password": []}']
)
def test_a_malformed_body_gets_400(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/v1/session", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "email" in response.json()["errors"][0]["message"]


def test_a_huge_body_gets_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/session",
        content=b'{"email": "' + b"a" * 20_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_a_request_from_another_site_is_refused(client: TestClient) -> None:
    assert _sign_in(client, Origin="https://evil.example.com").status_code == 403
    assert _sign_in(client, Origin=PUBLIC).status_code == 204
    refused = client.delete("/api/v1/session", headers={"Origin": "https://evil.example.com"})
    assert refused.status_code == 403
    assert client.get("/api/v1/me").status_code == 200  # still signed in


def test_a_forged_or_expired_cookie_is_anonymous(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "forged-token-value")
    assert client.get("/api/v1/me").status_code == 401


def test_signing_in_again_ends_the_browsers_previous_session(client: TestClient) -> None:
    assert _sign_in(client).status_code == 204
    first = client.cookies.get(SESSION_COOKIE)
    assert _sign_in(client).status_code == 204
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    client.cookies.clear()
    assert (
        client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={first}"}).status_code == 401
    )
    assert (
        client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={second}"}).status_code
        == 200
    )


def _form_sign_in(client: TestClient, password: str, referer: str = ""):  # noqa: ANN202
    headers = {"Referer": referer} if referer else {}
    return client.post(
        "/api/v1/session",
        data={"email": "a@cio.fr", "password": password},
        headers=headers,
        follow_redirects=False,
    )


def test_the_plain_html_form_signs_in_and_opens_the_page_asked_for(client: TestClient) -> None:
    """Posted before the page's script runs, the form still signs in (303, same cookie)."""
    response = _form_sign_in(client, PASSWORD, f"{PUBLIC}/connexion?suivant=/compte/equipe")
    assert response.status_code == 303
    assert response.headers["location"] == "/compte/equipe"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert client.get("/api/v1/me").json()["email"] == "a@cio.fr"
    # Without a page to go back to, or one on another site: a counsellor's workspace.
    for referer in (
        "",
        f"{PUBLIC}/connexion?suivant=//evil.example",
        "https://evil.example/?suivant=/x",
    ):
        again = _form_sign_in(client, PASSWORD, referer)
        assert again.headers["location"] == "/espace", referer


def test_a_refused_form_sign_in_goes_back_to_the_form_with_the_reason(client: TestClient) -> None:
    response = _form_sign_in(client, "pas le bon", f"{PUBLIC}/connexion?suivant=/compte")
    assert response.status_code == 303
    assert response.headers["location"] == "/connexion?erreur=invalid_credentials&suivant=%2Fcompte"
    assert "set-cookie" not in response.headers
    empty = client.post(
        "/api/v1/session",
        content=b"email=a%40cio.fr",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert empty.headers["location"] == "/connexion?erreur=bad_body"
    assert client.get("/api/v1/me").status_code == 401


def test_forms_are_refused_everywhere_else_in_the_api(client: TestClient) -> None:
    refused = client.post(
        "/api/v1/recommend",
        content=b"a=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert refused.status_code == 415


def test_no_redirect_to_another_site_through_control_characters(client: TestClient) -> None:
    """Browsers drop tabs and newlines from a URL: `/\\t/evil.example` is `//evil.example`."""
    for hidden in ("/%09/evil.example", "/%0A/evil.example", "/%0d%0a/x", "/%20/x", "/%7f"):
        response = _form_sign_in(client, PASSWORD, f"{PUBLIC}/connexion?suivant={hidden}")
        assert response.headers["location"] == "/espace", hidden


def test_an_administrator_lands_on_the_account_page(client: TestClient, sqlite_url: str) -> None:
    Accounts(sqlite_url).create("root@careerpath.fr", Role.ADMIN, password=PASSWORD)
    answer = client.post(
        "/api/v1/session", json={"email": "root@careerpath.fr", "password": PASSWORD}
    )
    assert answer.status_code == 204 and answer.headers["x-careerpath-landing"] == "/compte"
    form = client.post(
        "/api/v1/session",
        data={"email": "root@careerpath.fr", "password": PASSWORD},
        follow_redirects=False,
    )
    assert form.headers["location"] == "/compte"
