"""The HTTP side of careerpath, as Reflex mounts it (`rx.App(api_transformer=...)`).

- `api_app()`: the Starlette app Reflex mounts its own app under; it routes `/api/v1/…`
  (the FastAPI app of `careerpath.api.v1`) and the deprecated `/api/…` paths
  (`careerpath.api.legacy`), each behind the request guard (`careerpath.api.guard`).
  Every answer under `/api` is JSON, errors included; nothing under `/api` ever falls
  through to the Reflex pages.
- `with_security_headers(app)`: the transformer that wraps the whole app, Reflex pages
  included, with the security headers (`careerpath.api.security`).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from careerpath.api.errors import error_response
from careerpath.api.guard import ApiGuard
from careerpath.api.legacy import MOUNT, legacy_app
from careerpath.api.security import SecurityHeaders
from careerpath.api.session import FORM_PATHS
from careerpath.api.v1 import PREFIX, v1_app
from careerpath.config import load_settings


def api_app(**guard_limits: float) -> Starlette:
    """`/api/v1` and the old `/api` paths; `guard_limits` tune `ApiGuard` (tests)."""
    return Starlette(
        # A path under /api that no mount matches (a newline in a path parameter, which a
        # mount's pattern never spans) still gets the API's JSON 404, never a text page.
        exception_handlers={404: _not_matched},
        routes=[
            Route(MOUNT, _nothing_here, methods=None),  # "/api" itself, not a Reflex page
            Mount(
                PREFIX,
                app=ApiGuard(v1_app(), form_paths=FORM_PATHS, **guard_limits),  # type: ignore[arg-type]
            ),
            Mount(MOUNT, app=ApiGuard(legacy_app(), **guard_limits)),  # type: ignore[arg-type]
        ],
    )


async def _not_matched(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith(MOUNT):
        return error_response(request.scope, 404)
    return PlainTextResponse("Not Found", status_code=404)


async def _nothing_here(request: Request) -> Response:
    return error_response(request.scope, 404)


def with_security_headers(app: ASGIApp) -> ASGIApp:
    """The whole app, every HTTP answer carrying the security headers."""
    settings = load_settings()
    return SecurityHeaders(app, https=settings.https, origins=settings.allowed_origins)
