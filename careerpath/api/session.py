"""`/api/v1/session` and `/api/v1/me`: sign in and out over HTTP, and who is signed in.

The session cookie can only be set here, over plain HTTP: Reflex's websocket cannot send
`Set-Cookie`, and `rx.Cookie` cannot be HttpOnly. The sign-in page posts its form here with
`fetch`, then reloads, so that the new websocket carries the cookie the backend resolves on
every event (careerpath/ui/states/access.py).

A FastAPI router (paths relative to `/api/v1`); `api_app()` mounts it. Errors are JSON in
the same shape as the rest of the API: `{"errors": [{"field": …, "message": …}]}`.

The sign-in form also works as a plain HTML form (before the page's script has run, or
without it): posted as `application/x-www-form-urlencoded`, a success answers 303 to the
page asked for (`?suivant=` of the form's page, else the account's landing: /espace for a
counsellor or a structure's manager, /compte otherwise) and a refusal 303 back to
`/connexion?erreur=<code>`, where the page says why in the person's language.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from careerpath.api.access import Access, access
from careerpath.api.errors import BadToken
from careerpath.api.guard import FORM_MEDIA, media_type
from careerpath.domain.access import LANDING_HEADER, landing_for
from careerpath.i18n import Locale, by_locale
from careerpath.services.accounts import SESSION_COOKIE, AccountError, Accounts, Actor, safe_next
from careerpath.services.accounts.api_tokens import ApiTokens, TokenThrottled
from careerpath.services.accounts.service import ABSOLUTE_LIFETIME, session_token

MAX_BODY_BYTES = 8 * 1024
FORM_PATHS = frozenset({"/session"})
"""The paths of this router an HTML form may post to (see `ApiGuard.form_paths`)."""
SIGN_IN_PAGE = "/connexion"
FORM_ERRORS = frozenset({"invalid_credentials", "throttled", "bad_body"})
"""The `?erreur=` codes /connexion explains (careerpath/ui/states/account.py)."""

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    """What `POST /api/v1/session` reads."""

    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class Me(BaseModel):
    """The signed-in account (`GET /api/v1/me`)."""

    id: str
    email: str
    name: str
    role: str
    structure: str


MESSAGES = {
    "bad_body": by_locale('le corps doit être un objet JSON {"email": …, "password": …}'),
    "too_large": by_locale("la requête est trop grande"),
    "origin": by_locale("cette requête vient d'un autre site : refusée"),
}


def locale_of(request: Request) -> Locale:
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "en" if asked.strip().lower().startswith("en") else "fr"


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _errors(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"field": None, "message": message}]}, status_code=status, headers=headers
    )


def _next_of(request: Request) -> str:
    """`?suivant=` of the page the form was posted from (its Referer), when it is ours."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return ""
    return safe_next((parse_qs(referer.query).get("suivant") or [""])[0])


def _form_credentials(body: bytes) -> Credentials:
    """The fields of an HTML form's body (ValidationError when they are not two strings)."""
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=4, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        fields = {}
    return Credentials.model_validate(
        {name: values[0] for name, values in fields.items() if len(values) == 1}
    )


def _back_to_form(request: Request, code: str, retry_after: int = 0) -> Response:
    """A refused form sign-in: back to /connexion, which says why."""
    query = {"erreur": code}
    if retry_after:
        query["attente"] = str(retry_after)
    following = _next_of(request)
    if following:
        query["suivant"] = following
    return Response(
        status_code=303,
        headers={"Location": f"{SIGN_IN_PAGE}?{urlencode(query)}", "Cache-Control": "no-store"},
    )


def _same_origin(request: Request, accounts: Accounts) -> bool:
    """A browser's cross-site request carries another Origin: refuse it (CSRF)."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin in (own, accounts.settings.public_url)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, if the request has one."""
    scheme, _, value = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def actor_of(request: Request, accounts: Accounts | None = None) -> Actor:
    """The actor behind a request's personal API token (`Authorization: Bearer …`) or
    session cookie (anonymous without either).

    A bearer token that is unknown, expired or revoked is refused outright (`BadToken`, a
    401 in the API's error format), never taken for an anonymous visit. For other API
    routes: `actor = await asyncio.to_thread(actor_of, request)`, then
    `accounts.authorise(actor, Need…, Target…)` (AccessDenied → 401/403).
    """
    accounts = accounts or Accounts()
    token = bearer_token(request)
    if token is not None:
        try:
            actor = ApiTokens(settings=accounts.settings).resolve(token)
        except TokenThrottled as throttled:
            raise HTTPException(429, headers={"Retry-After": str(throttled.retry_after)}) from None
        if actor is None:
            raise BadToken()
        return actor
    return accounts.resolve(session_token(request.headers.get("cookie")))


def _credentials_schema() -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            # The HTML form's body (application/x-www-form-urlencoded, answered with 303) is
            # the sign-in page's fallback, not part of the API: it is left out of here.
            "content": {"application/json": {"schema": Credentials.model_json_schema()}},
        }
    }


@router.post(
    "/session",
    status_code=204,
    openapi_extra={**_credentials_schema(), **access(Access.PUBLIC)},
    responses={303: {}, 400: {}, 401: {}, 403: {}, 413: {}, 429: {}},
    summary="Sign in: the session cookie (HttpOnly) on success",
)
async def sign_in(request: Request) -> Response:
    locale = locale_of(request)
    accounts = Accounts()
    if not _same_origin(request, accounts):
        return _errors(403, MESSAGES["origin"][locale])
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _errors(413, MESSAGES["too_large"][locale])
    as_form = media_type(request.headers.get("content-type", "")) == FORM_MEDIA
    try:
        credentials = _form_credentials(body) if as_form else Credentials.model_validate_json(body)
    except ValidationError:
        if as_form:
            return _back_to_form(request, "bad_body")
        return _errors(400, MESSAGES["bad_body"][locale])
    try:
        signed_in = await asyncio.to_thread(
            accounts.sign_in,
            credentials.email,
            credentials.password,
            client_address(request),
            request.headers.get("user-agent", ""),
        )
    except AccountError as refused:
        if as_form:
            return _back_to_form(request, refused.code, refused.retry_after)
        if refused.code == "throttled":
            return _errors(
                429, refused.message(locale), {"Retry-After": str(max(1, refused.retry_after))}
            )
        return _errors(401, refused.message(locale))
    previous = session_token(request.headers.get("cookie"))
    if previous:  # the session this browser had before ends: one browser, one session
        await asyncio.to_thread(accounts.sign_out, previous, client_address(request))
    landing = landing_for(signed_in.account.role)
    if as_form:
        response = Response(status_code=303, headers={"Location": _next_of(request) or landing})
    else:
        response = Response(status_code=204, headers={LANDING_HEADER: landing})
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        max_age=int(ABSOLUTE_LIFETIME.total_seconds()),
        path="/",
        secure=accounts.settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.delete(
    "/session",
    status_code=204,
    summary="Sign out: ends this session",
    openapi_extra=access(Access.PUBLIC),
)
async def sign_out(request: Request) -> Response:
    accounts = Accounts()
    if not _same_origin(request, accounts):
        return _errors(403, MESSAGES["origin"][locale_of(request)])
    token = session_token(request.headers.get("cookie"))
    await asyncio.to_thread(accounts.sign_out, token, client_address(request))
    response = Response(status_code=204)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=accounts.settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(
    "/me",
    response_model=Me,
    responses={401: {}},
    summary="The signed-in account",
    openapi_extra=access(Access.SIGNED_IN),
)
async def me(request: Request) -> Response:
    actor = await asyncio.to_thread(actor_of, request)
    account = actor.account
    if account is None:
        return _errors(401, AccountError("sign_in").message(locale_of(request)))
    return JSONResponse(
        Me(
            id=account.id,
            email=account.email,
            name=account.display_name,
            role=account.role.value,
            structure=account.structure_name,
        ).model_dump(),
        headers={"Cache-Control": "no-store"},
    )
