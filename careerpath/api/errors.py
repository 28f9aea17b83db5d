"""Every error of `/api/…` as `{"errors": [{"field", "message"}]}`, French first.

One format for every status: a bad parameter or body (400), an unknown path (404), a wrong
method (405, with `Allow`), a slow body (408), a body too large (413), a query too long
(414), a body that is not JSON (415) and an unexpected failure (500). The language is the
request's: `?lang=en` or an English `Accept-Language` gives English, anything else French.

`install_error_handlers(app)` puts the handlers on a FastAPI app; `error_response` builds
the same answer outside FastAPI (the ASGI guard of `careerpath.api.guard`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Match
from starlette.types import Scope

from careerpath.api.limits import MAX_BODY_BYTES
from careerpath.i18n import Locale, by_locale
from careerpath.services import recommendation
from careerpath.services.accounts.api_tokens import MESSAGES as TOKEN_MESSAGES

logger = logging.getLogger(__name__)

# Longest excerpt of a refused value quoted back in a message (a 5,000-digit number is not).
MAX_QUOTED = 40


class ErrorItem(BaseModel):
    """One problem: the field it concerns (dotted path, or null for the whole request)."""

    field: str | None = Field(description="champ concerné (chemin pointé), null sinon")
    message: str = Field(description="la raison, en français (ou en anglais avec lang=en)")


class ErrorBody(BaseModel):
    """The body of every error answer of the API."""

    errors: list[ErrorItem]


# Messages by status, for errors that concern the whole request.
STATUS_MESSAGES: dict[int, dict[str, str]] = {
    400: by_locale("requête invalide"),
    401: by_locale("connexion requise"),
    403: by_locale("accès refusé"),
    404: by_locale("aucune ressource à cette adresse"),
    405: by_locale("méthode {method} non permise ici (permises : {allowed})"),
    406: by_locale("seul le JSON est servi ici"),
    408: by_locale("le corps de la requête est arrivé trop lentement (plus de {seconds} s)"),
    413: by_locale("la requête dépasse {limit} Ko"),
    414: by_locale("l'adresse de la requête dépasse {limit} caractères"),
    415: by_locale("le corps de la requête doit être du JSON (Content-Type: application/json)"),
    429: by_locale("trop de requêtes, réessayez plus tard"),
    500: by_locale("erreur interne du serveur ; réessayez plus tard"),
    503: by_locale("service momentanément indisponible"),
}

BODY_MESSAGES: dict[str, dict[str, str]] = {
    "unreadable": by_locale("le corps de la requête n'est pas un JSON lisible"),
    "too_deep": by_locale("le JSON est imbriqué trop profondément"),
    "number_too_long": by_locale("le JSON contient un nombre beaucoup trop long"),
    "missing_body": by_locale("le corps de la requête est vide : un objet JSON est attendu"),
}

# Messages for pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/);
# those of the assessment format reuse the CLI's own (services.recommendation.MESSAGES).
VALIDATION_MESSAGES: dict[str, dict[str, str]] = {
    "missing": recommendation.MESSAGES["missing"],
    "int_type": by_locale("un nombre entier est attendu, pas {input}"),
    "int_parsing": by_locale("un nombre entier est attendu, pas {input}"),
    "int_from_float": by_locale("un nombre entier est attendu, pas {input}"),
    "float_type": by_locale("un nombre est attendu, pas {input}"),
    "float_parsing": by_locale("un nombre est attendu, pas {input}"),
    "greater_than_equal": by_locale("la valeur {input} doit être au moins {ge}"),
    "less_than_equal": by_locale("la valeur {input} doit être au plus {le}"),
    "string_type": by_locale("un texte est attendu, pas {input}"),
    "string_too_long": by_locale("au plus {max_length} caractères"),
    "string_too_short": by_locale("au moins {min_length} caractère(s)"),
    "bool_parsing": by_locale("oui ou non attendu (true, false, 1 ou 0), pas {input}"),
    "bool_type": by_locale("oui ou non attendu (true ou false), pas {input}"),
    "literal_error": by_locale("valeur inconnue {input} (permises : {expected})"),
    "enum": by_locale("valeur inconnue {input} (permises : {expected})"),
    "dict_type": by_locale("un objet JSON {{…}} est attendu"),
    "model_type": by_locale("un objet JSON {{…}} est attendu"),
    "model_attributes_type": by_locale("un objet JSON {{…}} est attendu"),
    "list_type": by_locale("une liste est attendue, pas {input}"),
    "too_long": by_locale("au plus {max_length} éléments"),
    "json_invalid": by_locale("JSON invalide : {error}"),
}
FALLBACK_MESSAGE = by_locale("valeur invalide")


def locale_of(scope: Scope) -> Locale:
    """`?lang=` first, then the browser's preferred language; French by default."""
    asked = QueryParams(scope.get("query_string", b"")).get("lang") or Headers(scope=scope).get(
        "accept-language", ""
    )
    return "en" if asked.strip().lower().startswith("en") else "fr"


def request_locale(request: Request) -> Locale:
    """The language of a request's messages (see `locale_of`)."""
    return locale_of(request.scope)


def problem(
    status: int,
    errors: Sequence[ErrorItem],
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The JSON error answer."""
    body = ErrorBody(errors=list(errors)).model_dump()
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def status_error(status: int, locale: Locale, **params: object) -> ErrorItem:
    """The whole-request error of a status, in `locale`."""
    texts = STATUS_MESSAGES.get(status) or STATUS_MESSAGES[500 if status >= 500 else 400]
    try:
        message = texts[locale].format(**params)
    except KeyError:  # a status raised without its parameters: the status's general words
        message = texts[locale].split(" (")[0]
    return ErrorItem(field=None, message=message)


def error_response(
    scope: Scope, status: int, headers: Mapping[str, str] | None = None, **params: object
) -> JSONResponse:
    """The JSON answer for `status`, in the language of the request of `scope`."""
    return problem(status, [status_error(status, locale_of(scope), **params)], headers)


def quoted(value: object) -> str:
    """A refused value as the message shows it: JSON, cut after MAX_QUOTED characters."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = type(value).__name__
    if isinstance(value, str):
        text = json.dumps(text[: MAX_QUOTED + 1], ensure_ascii=False)
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "…"


def field_path(loc: Sequence[str | int]) -> str | None:
    """Pydantic's location as the API names fields: `ratings.org-prioriser`, `top`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or None


def validation_items(errors: Sequence[Mapping[str, Any]], locale: Locale) -> list[ErrorItem]:
    """Pydantic's errors in the API's format and language."""
    items = []
    for error in errors:
        kind = str(error.get("type", ""))
        ctx = {key: quoted(value) for key, value in (error.get("ctx") or {}).items()}
        if kind in recommendation.MESSAGES:
            # A custom error of the assessment format: its parameters are the CLI's.
            texts = recommendation.MESSAGES[kind]
            ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
        else:
            texts = VALIDATION_MESSAGES.get(kind, FALLBACK_MESSAGE)
        ctx.setdefault("input", quoted(error.get("input")))
        if kind == "json_invalid":
            ctx["error"] = str((error.get("ctx") or {}).get("error", ""))
        try:
            message = texts[locale].format(**ctx)
        except (KeyError, IndexError, ValueError):
            message = FALLBACK_MESSAGE[locale]
        loc = tuple(error.get("loc", ()))
        if kind == "missing" and loc == ("body",):
            message = BODY_MESSAGES["missing_body"][locale]
        if kind == "json_invalid":
            loc = loc[:1]
        items.append(ErrorItem(field=field_path(loc), message=message))
    return items


def _body_problem(exc: BaseException | None) -> str:
    while exc is not None:
        if isinstance(exc, RecursionError):
            return "too_deep"
        if isinstance(exc, ValueError) and "digits" in str(exc):
            return "number_too_long"
        exc = exc.__cause__ or exc.__context__
    return "unreadable"


def _allowed_methods(request: Request) -> str:
    """Every method some route of the app serves at this path (Starlette names only the
    first route's: `/session` has POST and DELETE in two routes)."""
    app = request.scope.get("app")
    methods: set[str] = set()
    for route in iter_route_contexts(getattr(app, "routes", [])):
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(route.methods or ())
    methods.discard("HEAD")
    return ", ".join(sorted(methods))


class BadToken(HTTPException):
    """A bearer token that is unknown, expired or revoked: 401, whatever the route."""

    def __init__(self) -> None:
        super().__init__(401, "bad_token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    locale = request_locale(request)
    headers = dict(exc.headers or {})
    status = exc.status_code
    if isinstance(exc, BadToken):
        item = ErrorItem(field=None, message=TOKEN_MESSAGES["bad_token"][locale])
    elif status == 405:
        allowed = _allowed_methods(request) or headers.get("Allow") or headers.get("allow") or ""
        headers = {k: v for k, v in headers.items() if k.lower() != "allow"} | {"Allow": allowed}
        item = status_error(405, locale, method=request.method, allowed=allowed)
    elif status == 408:
        item = status_error(408, locale, seconds=exc.detail)
    elif status == 413:
        item = status_error(413, locale, limit=MAX_BODY_BYTES // 1024)
    elif status == 400 and exc.detail == "There was an error parsing the body":
        code = _body_problem(exc.__cause__)
        item = ErrorItem(field=None, message=BODY_MESSAGES[code][locale])
    elif isinstance(exc.detail, list):
        return problem(status, validation_items(exc.detail, locale), headers)
    else:
        item = status_error(status, locale)
    return problem(status, [item], headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem(400, validation_items(exc.errors(), request_locale(request)))


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("API request %s %s failed", request.method, request.url.path)
    return problem(500, [status_error(500, request_locale(request))])


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of `app` a JSON answer in the request's language."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)


ERROR_DESCRIPTIONS = {
    400: "paramètre ou corps invalide (le champ est nommé)",
    404: "aucune ressource à cette adresse",
    405: "méthode non permise (voir l'en-tête Allow)",
    408: "corps de requête reçu trop lentement",
    413: "corps de requête trop grand",
    414: "adresse trop longue",
    415: "corps de requête qui n'est pas du JSON",
    500: "erreur interne du serveur",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in ERROR_DESCRIPTIONS.items()
}
"""The error answers every operation of `/api/v1` may give, for its OpenAPI description."""

_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
AUTH_ERROR_RESPONSES: dict[str, dict[str, Any]] = {
    "401": {
        "description": "pas de session, ou jeton d'API inconnu, expiré ou révoqué (en-tête "
        'WWW-Authenticate: Bearer error="invalid_token" pour un jeton)',
        "headers": {
            "WWW-Authenticate": {
                "description": "présent quand un jeton d'API a été refusé",
                "schema": {"type": "string"},
            }
        },
        "content": _ERROR_CONTENT,
    },
    "429": {
        "description": "le jeton d'API a dépassé son nombre de requêtes par minute",
        "headers": {
            "Retry-After": {
                "description": "secondes à attendre avant la prochaine requête",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
        "content": _ERROR_CONTENT,
    },
}
"""What every operation that accepts a token or a session may answer besides its own: the
401 of a refused token or a missing session, the 429 of a token past its rate limit."""
