"""`/api/v1`: the FastAPI app, its routers and its OpenAPI 3.1 description.

`ROUTERS` lists every router of the version, in the order of the documentation; see
`careerpath/api/__init__.py` for how to add one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from careerpath.api import docs, session
from careerpath.api.access import ACCESS_KEY, Access
from careerpath.api.errors import AUTH_ERROR_RESPONSES, ERROR_RESPONSES, install_error_handlers
from careerpath.api.limits import BODY_TIMEOUT_SECONDS, MAX_ADDRESS_CHARS, MAX_BODY_BYTES
from careerpath.api.v1 import recommend, referential, workspace, workspace_time
from careerpath.services.accounts import SESSION_COOKIE
from careerpath.services.accounts.api_tokens import RATE_LIMIT

PREFIX = "/api/v1"
OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"

ROUTERS: tuple[APIRouter, ...] = (
    referential.router,
    recommend.router,
    session.router,
    workspace.router,
    workspace_time.router,
)

DESCRIPTION = f"""\
L'API de careerpath : le référentiel en service, la recherche de métiers et les
recommandations (mêmes entrées et sorties que `careerpath recommend`).

Les opérations réservées à un compte acceptent la session du navigateur ou un jeton d'API
personnel (`Authorization: Bearer cpt_…`, créé et révoqué sur la page /compte, {RATE_LIMIT} requêtes
par minute au plus) ; un jeton inconnu, expiré ou révoqué reçoit un 401.

Tout est en JSON. Une erreur a toujours la forme
`{{"errors": [{{"field": "ratings.org-prioriser", "message": "…"}}]}}`, en français, ou en
anglais avec `?lang=en` ou un `Accept-Language` anglais. Un corps de requête est du JSON
(`Content-Type: application/json`), {MAX_BODY_BYTES // 1024} Ko au plus, reçu en
{BODY_TIMEOUT_SECONDS:g} s au plus ; une adresse fait {MAX_ADDRESS_CHARS} caractères au plus.
"""


def v1_app() -> FastAPI:
    """The `/api/v1` application (mounted at PREFIX by `careerpath.api.http.api_app`)."""
    app = FastAPI(
        title="careerpath API",
        version="1",
        description=DESCRIPTION,
        openapi_url=OPENAPI_PATH,
        docs_url=None,
        redoc_url=None,
        responses=ERROR_RESPONSES,
    )
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(docs.router)
    install_error_handlers(app)
    _describe_errors_as_400(app)
    return app


SECURITY_SCHEMES = {
    "jeton": {
        "type": "http",
        "scheme": "bearer",
        "description": "un jeton d'API personnel (`cpt_…`), créé sur la page /compte ; il a "
        "exactement les droits de son compte",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "la session du navigateur (POST /api/v1/session)",
    },
}


def _describe_authentication(schema: dict[str, Any]) -> None:
    """The two ways to be someone (a personal token, the session cookie), on every
    operation that needs an account."""
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if operation.get(ACCESS_KEY, Access.PUBLIC.value) != Access.PUBLIC.value:
                operation["security"] = [{"jeton": []}, {"session": []}]
                # A token may be refused (401) or throttled (429, Retry-After) on any of them.
                operation.setdefault("responses", {}).update(AUTH_ERROR_RESPONSES)


def _describe_errors_as_400(app: FastAPI) -> None:
    """Drop FastAPI's 422 answers from the document: every bad input gets a 400 here."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            schemas = schema.get("components", {}).get("schemas", {})
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            _describe_authentication(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
