"""Security headers on every HTTP answer; HSTS only over https; CORS origins from settings."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from careerpath.api.security import SecurityHeaders
from careerpath.config import load_settings


def _app(*, https: bool) -> SecurityHeaders:
    async def page(request: object) -> PlainTextResponse:
        return PlainTextResponse("page", headers={"X-Frame-Options": "SAMEORIGIN"})

    return SecurityHeaders(Starlette(routes=[Route("/", page)]), https=https)


@pytest.mark.parametrize("path", ["/", "/nowhere"])
def test_every_answer_carries_the_security_headers(path: str) -> None:
    response = TestClient(_app(https=False)).get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in response.headers, "no HSTS over plain http"


def test_the_websocket_may_reach_the_apps_own_origins_only() -> None:
    settings = load_settings({"CAREERPATH_PUBLIC_URL": "https://careerpath.example.org/"})
    csp = SecurityHeaders(Starlette(), https=True, origins=settings.allowed_origins).headers[
        "Content-Security-Policy"
    ]
    assert "connect-src 'self' wss://careerpath.example.org;" in csp
    assert " ws: " not in csp and " wss: " not in csp
    local = SecurityHeaders(Starlette(), https=False, origins=load_settings({}).allowed_origins)
    assert "[::1]" not in local.headers["Content-Security-Policy"], "not a valid CSP source"


def test_a_header_the_answer_sets_itself_is_kept() -> None:
    assert TestClient(_app(https=False)).get("/").headers["x-frame-options"] == "SAMEORIGIN"
    assert TestClient(_app(https=False)).get("/nowhere").headers["x-frame-options"] == "DENY"


def test_hsts_when_the_public_address_is_https() -> None:
    response = TestClient(_app(https=True)).get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert load_settings({"CAREERPATH_PUBLIC_URL": "https://careerpath.example.org/"}).https
    assert not load_settings({}).https


def test_allowed_origins_are_the_public_url_and_the_configured_ones() -> None:
    local = load_settings({"CAREERPATH_PORT": "3100"})
    assert local.public_url == "http://localhost:3100"
    assert "http://127.0.0.1:3100" in local.cors_origins
    assert "*" not in local.cors_origins
    deployed = load_settings(
        {
            "CAREERPATH_PUBLIC_URL": "https://careerpath.example.org/app/",
            "CAREERPATH_ALLOWED_ORIGINS": "https://ecole.example.fr, *, javascript:alert(1)",
        }
    )
    assert deployed.cors_origins == ("https://careerpath.example.org", "https://ecole.example.fr")
    assert deployed.allowed_origins == ("https://careerpath.example.org",), "not the websocket"


def test_cors_with_those_origins_never_echoes_a_foreign_origin_with_credentials() -> None:
    """Reflex's CORS middleware (credentials allowed) given the configured origins."""
    settings = load_settings({"CAREERPATH_PUBLIC_URL": "https://careerpath.example.org/"})

    async def endpoint(request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/api/v1/referential", endpoint)])
    app.add_middleware(
        CORSMiddleware,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        allow_origins=list(settings.cors_origins),
    )
    client = TestClient(app)
    evil = {"origin": "https://evil.example", "cookie": "session=1"}
    assert (
        "access-control-allow-origin" not in client.get("/api/v1/referential", headers=evil).headers
    )
    preflight = client.options(
        "/api/v1/referential",
        headers={**evil, "access-control-request-method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    own = client.get("/api/v1/referential", headers={"origin": "https://careerpath.example.org"})
    assert own.headers["access-control-allow-origin"] == "https://careerpath.example.org"


def test_rxconfig_gives_reflex_the_configured_origins_only() -> None:
    import rxconfig

    assert tuple(rxconfig.config.cors_allowed_origins) == rxconfig.settings.cors_origins
