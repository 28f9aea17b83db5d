"""Personal API tokens: created and revoked by their account, stored hashed, accepted as
`Authorization: Bearer …`, refused (401, the API's error format) once revoked or expired,
and never worth more than their account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.data.database import engine_for, upgrade
from careerpath.services.accounts import Account, Accounts, Actor, ManualClock, Role
from careerpath.services.accounts.api_tokens import MAX_TOKENS, ApiTokens, TokenError

PASSWORD = "une phrase de passe assez longue"
PUBLIC = "https://careerpath.example.org"


@pytest.fixture
def setup(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, dict[str, Actor]]]:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", PUBLIC)
    upgrade(engine_for(sqlite_url))
    accounts = Accounts(sqlite_url)
    actors = {}
    for key, email, role, structure in (
        ("counsellor", "a@cio.fr", Role.COUNSELLOR, "CIO A"),
        ("admin", "admin@careerpath.fr", Role.ADMIN, None),
    ):
        summary, _ = accounts.create(email, role, structure=structure, password=PASSWORD)
        signed = accounts.sign_in(email, PASSWORD)
        actors[key] = accounts.resolve(signed.token)
        assert actors[key].account is not None and summary.id == actors[key].account.id  # type: ignore[union-attr]
    with TestClient(api_app(), base_url=PUBLIC) as client:
        yield client, actors


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_shown_once_stored_hashed_and_acts_as_its_account(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str
) -> None:
    client, actors = setup
    created = ApiTokens(sqlite_url).create(actors["counsellor"], "Tableur du CIO", 30)
    assert created.token.startswith("cpt_") and len(created.token) > 40
    with engine_for(sqlite_url).connect() as connection:
        stored = connection.execute(
            sqlalchemy.text("SELECT token_hash, prefix FROM api_token")
        ).one()
    assert created.token not in stored[0] and len(stored[0]) == 64
    me = client.get("/api/v1/me", headers=_bearer(created.token))
    assert me.status_code == 200 and me.json()["email"] == "a@cio.fr"
    assert client.get("/api/v1/beneficiaries", headers=_bearer(created.token)).status_code == 200
    listed = ApiTokens(sqlite_url).tokens(actors["counsellor"])
    assert [t.name for t in listed] == ["Tableur du CIO"] and listed[0].last_used_at is not None


def test_a_token_never_grants_more_than_its_account(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str
) -> None:
    from careerpath.services.accounts import api_tokens

    client, actors = setup
    # A token an administrator made before tokens were kept for counsellors' integrations.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_tokens, "TOKEN_ROLES", frozenset(Role))
        admin_token = ApiTokens(sqlite_url).create(actors["admin"], "Script", 30).token
    # An administrator belongs to no structure: the workspace refuses them, token or cookie.
    refused = client.get("/api/v1/beneficiaries", headers=_bearer(admin_token))
    assert refused.status_code == 403
    assert set(refused.json()["errors"][0]) == {"field", "message"}
    # A token cannot be used to act on another account's tokens.
    counsellor_token = ApiTokens(sqlite_url).create(actors["counsellor"], "Mien", 30)
    with pytest.raises(TokenError):
        ApiTokens(sqlite_url).revoke(actors["admin"], counsellor_token.info.id)


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown", "disabled"])
def test_a_revoked_expired_or_unknown_token_gets_401_in_the_api_format(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str, how: str
) -> None:
    client, actors = setup
    clock = ManualClock()
    tokens = ApiTokens(sqlite_url, clock=clock)
    created = tokens.create(actors["counsellor"], "Intégration", 30)
    token = created.token
    if how == "revoked":
        tokens.revoke(actors["counsellor"], created.info.id)
    elif how == "expired":
        with engine_for(sqlite_url).begin() as connection:
            connection.execute(
                sqlalchemy.text("UPDATE api_token SET expires_at = :at"),
                {"at": clock() - timedelta(seconds=1)},
            )
    elif how == "unknown":
        token = "cpt_" + "x" * 43
    else:
        Accounts(sqlite_url).disable("a@cio.fr")
    for path in ("/api/v1/me", "/api/v1/beneficiaries"):
        for lang, word in (("fr", "jeton"), ("en", "token")):
            answer = client.get(f"{path}?lang={lang}", headers=_bearer(token))
            assert answer.status_code == 401, (path, answer.text)
            assert answer.headers["www-authenticate"].startswith("Bearer")
            (error,) = answer.json()["errors"]
            assert error["field"] is None and word in error["message"].lower()


def test_tokens_are_bounded_named_and_audited(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str
) -> None:
    _, actors = setup
    tokens = ApiTokens(sqlite_url)
    actor = actors["counsellor"]
    for bad_name, days in (("", 30), ("x" * 81, 30), ("Bon nom", 7)):
        with pytest.raises(TokenError):
            tokens.create(actor, bad_name, days)
    for n in range(MAX_TOKENS):
        tokens.create(actor, f"jeton {n}", 90)
    with pytest.raises(TokenError) as refused:
        tokens.create(actor, "un de trop", 90)
    assert str(MAX_TOKENS) in refused.value.message("fr")
    tokens.revoke(actor, tokens.tokens(actor)[0].id)
    tokens.create(actor, "de nouveau possible", 365)
    admin = actors["admin"]
    actions = [e.action for e in Accounts(sqlite_url).audit_events(admin)]
    assert actions.count("api_token_created") == MAX_TOKENS + 1
    assert actions.count("api_token_revoked") == 1
    with pytest.raises(Exception):  # noqa: B017,PT011  (AccessDenied: nobody signed in)
        tokens.create(Actor(), "anonyme", 30)
    assert Account  # imported for the type of actors


def test_a_token_is_rate_limited_then_counts_again_in_the_next_window(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careerpath.services.accounts import api_tokens

    client, actors = setup
    monkeypatch.setattr(api_tokens, "RATE_LIMIT", 3)
    token = ApiTokens(sqlite_url).create(actors["counsellor"], "Boucle", 30).token
    answers = [client.get("/api/v1/me", headers=_bearer(token)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert answers[-1].json()["errors"][0]["message"].startswith("trop de requêtes")
    with engine_for(sqlite_url).begin() as connection:  # the window has passed
        connection.execute(
            sqlalchemy.text("UPDATE auth_throttle SET window_started_at = :at"),
            {"at": ManualClock()() - timedelta(hours=1)},
        )
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200


def test_an_administrator_cannot_create_a_token(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str
) -> None:
    _, actors = setup
    with pytest.raises(TokenError) as refused:
        ApiTokens(sqlite_url).create(actors["admin"], "Script", 30)
    assert refused.value.code == "role"
    assert "conseillers et aux responsables de structure" in refused.value.message("fr")
    assert "counsellors and structure managers" in refused.value.message("en")
    assert ApiTokens(sqlite_url).tokens(actors["admin"]) == []


def _enable_again(url: str, email: str) -> None:
    """The account is made active again (as an operator would, in the database)."""
    with engine_for(url).begin() as connection:
        connection.execute(
            sqlalchemy.text("UPDATE account SET status = 'active' WHERE email = :e"), {"e": email}
        )


@pytest.mark.parametrize("how", ["disabled", "password_changed", "password_reset"])
def test_disabling_or_a_new_password_revokes_every_token_for_good(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str, how: str
) -> None:
    client, actors = setup
    counsellor = actors["counsellor"]
    tokens = ApiTokens(sqlite_url)
    made = [tokens.create(counsellor, f"Intégration {n}", 30).token for n in range(2)]
    accounts = Accounts(sqlite_url)
    if how == "disabled":
        accounts.disable("a@cio.fr", by=actors["admin"])
        _enable_again(sqlite_url, "a@cio.fr")
    elif how == "password_changed":
        accounts.change_password(counsellor, PASSWORD, "une toute nouvelle phrase de passe")
    else:
        link = accounts.reset_link("a@cio.fr", by=actors["admin"])
        accounts.use_link(link.url.rsplit("/", 1)[-1], "une toute nouvelle phrase de passe")
    for token in made:
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert all(t.revoked_at is not None for t in tokens.tokens(counsellor))
    events = [e for e in accounts.audit_events(actors["admin"]) if e.action == "api_tokens_revoked"]
    assert len(events) == 1 and "a@cio.fr: 2" in events[0].detail
    fresh = tokens.create(counsellor, "Nouvelle intégration", 30).token  # a new one works
    assert client.get("/api/v1/me", headers=_bearer(fresh)).status_code == 200


def test_the_rate_counter_counts_every_concurrent_request(database_url: str) -> None:
    """Requests of several workers at once are each counted (one atomic statement)."""
    import threading

    upgrade(engine_for(database_url))
    accounts = Accounts(database_url)
    accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO B", password=PASSWORD)
    actor = accounts.resolve(accounts.sign_in("b@cio.fr", PASSWORD).token)
    tokens = ApiTokens(database_url)
    created = tokens.create(actor, "Parallèle", 30)
    threads, calls = 6, 10
    start = threading.Barrier(threads)
    failures: list[BaseException] = []

    def hammer() -> None:
        start.wait()
        for _ in range(calls):
            try:
                assert tokens.resolve(created.token) is not None
            except BaseException as error:  # noqa: BLE001 — reported below
                failures.append(error)

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not failures
    with engine_for(database_url).connect() as connection:
        counted = connection.execute(
            sqlalchemy.text("SELECT failures FROM auth_throttle WHERE key = :k"),
            {"k": f"token:{created.info.id}"},
        ).scalar_one()
    assert counted == threads * calls


def test_a_token_writes_from_another_site_but_a_cookie_does_not(
    setup: tuple[TestClient, dict[str, Actor]], sqlite_url: str
) -> None:
    """The Origin check guards the session cookie only: a bearer token is not sent by a
    browser on its own, so an integration's page on another site may write with it."""
    from careerpath.services.accounts import SESSION_COOKIE

    client, actors = setup
    other_site = {"Origin": "https://integration.example"}
    token = ApiTokens(sqlite_url).create(actors["counsellor"], "Front web", 30).token
    by_token = client.post(
        "/api/v1/invitations",
        json={"label": "Par jeton"},
        headers={**_bearer(token), **other_site},
    )
    assert by_token.status_code == 201, by_token.text
    session = Accounts(sqlite_url).sign_in("a@cio.fr", PASSWORD).token
    client.cookies.set(SESSION_COOKIE, session)
    try:
        by_cookie = client.post(
            "/api/v1/invitations", json={"label": "Par cookie"}, headers=other_site
        )
        assert by_cookie.status_code == 403
        assert "autre site" in by_cookie.json()["errors"][0]["message"]
        same_site = client.post(
            "/api/v1/invitations", json={"label": "Par cookie"}, headers={"Origin": PUBLIC}
        )
        assert same_site.status_code == 201
    finally:
        client.cookies.clear()
    listed = client.get("/api/v1/beneficiaries", headers=_bearer(token)).json()
    assert sorted(b["label"] for b in listed["beneficiaries"]) == ["Par cookie", "Par jeton"]
