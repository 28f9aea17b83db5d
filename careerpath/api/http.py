"""`/api/…`: read the referential and get recommendations over HTTP, in JSON.

The same contract as `careerpath recommend` (services/recommendation.py), so a counsellor's
tool or a school's site can ask careerpath without the web UI. Mounted beside the Reflex app
by `rx.App(api_transformer=...)`; every handler only calls services. Errors are JSON, in
French unless `?lang=en` or an English Accept-Language asks otherwise.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from careerpath.api import session
from careerpath.services import recommendation, search
from careerpath.services.labels import Locale
from careerpath.services.recommendation import AssessmentError, AssessmentInvalid
from careerpath.services.referential import load_referential

MAX_BODY_BYTES = 256 * 1024
MAX_TOP = 500
MESSAGES = {
    "body_too_large": {
        "fr": "la requête dépasse {limit} Ko",
        "en": "the request is larger than {limit} KB",
    },
    "not_json": {
        "fr": "le corps de la requête doit être un objet JSON (Content-Type: application/json)",
        "en": "the request body must be a JSON object (Content-Type: application/json)",
    },
    "bad_parameter": {
        "fr": "le paramètre « {name} » doit être un entier entre 1 et {maximum}",
        "en": "the '{name}' parameter must be a whole number between 1 and {maximum}",
    },
    "no_referential": {
        "fr": "aucun référentiel n'est chargé : lancez « careerpath db init »",
        "en": "no referential is loaded: run 'careerpath db init'",
    },
}


def request_locale(request: Request) -> Locale:
    """`?lang=` first, then the browser's preferred language; French by default."""
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "en" if asked.strip().lower().startswith("en") else "fr"


def _problem(status: int, errors: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status)


def _message(code: str, locale: Locale, **params: object) -> dict[str, Any]:
    return {"field": None, "message": MESSAGES[code][locale].format(**params)}


def _assessment_errors(errors: list[AssessmentError], locale: Locale) -> list[dict[str, Any]]:
    return [{"field": e.field, "message": e.reason(locale)} for e in errors]


async def referential_info(request: Request) -> JSONResponse:
    """GET /api/referential: which referential answers, and its size."""
    referential = load_referential()
    return JSONResponse(
        {
            "version": referential.version,
            "provenance": {
                "source": referential.provenance.source,
                "version": referential.provenance.version,
                "date": referential.provenance.date,
                "licence": referential.provenance.licence,
            },
            "roles": len(referential.roles),
            "competencies": len(referential.competencies),
            "trainings": len(referential.trainings),
        }
    )


async def roles(request: Request) -> JSONResponse:
    """GET /api/roles?q=assistante: roles whose title matches, closest first (10 at most)."""
    query = request.query_params.get("q", "")[:200]
    found = search.search_roles(load_referential(), query, limit=10)
    return JSONResponse(
        {
            "roles": [
                {"code": m.code, "title": m.title, "matched_title": m.matched_title} for m in found
            ]
        }
    )


def _top(request: Request, locale: Locale) -> int | JSONResponse:
    raw = request.query_params.get("top", str(recommendation.DEFAULT_TOP))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TOP:
        return _problem(400, [_message("bad_parameter", locale, name="top", maximum=MAX_TOP)])
    return int(raw)


async def recommend(request: Request) -> JSONResponse:
    """POST /api/recommend: one assessment in (JSON object), its recommendation out.

    Query: `target=CODE` (overrides the body's), `top=N`, `all_scores=1`, `lang=en`.
    """
    locale = request_locale(request)
    top = _top(request, locale)
    if isinstance(top, JSONResponse):
        return top
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _problem(413, [_message("body_too_large", locale, limit=MAX_BODY_BYTES // 1024)])
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _problem(400, [_message("not_json", locale)])
    referential = load_referential()
    target = request.query_params.get("target") or None
    unknown = recommendation.check_target(target, referential)
    if unknown is not None:
        return _problem(400, _assessment_errors([unknown], locale))
    try:
        answer = recommendation.recommend_one(
            data,
            referential,
            target=target,
            top=top,
            all_scores=request.query_params.get("all_scores", "") in ("1", "true"),
            locale=locale,
        )
    except AssessmentInvalid as invalid:
        return _problem(400, _assessment_errors(invalid.errors, locale))
    return JSONResponse(answer)


def v1_app() -> FastAPI:
    """/api/v1: the session routes (more to come with the FastAPI API)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.include_router(session.router)
    return app


def api_app() -> Starlette:
    """The API's routes; Reflex mounts its own app under them."""
    return Starlette(
        routes=[
            Route("/api/referential", referential_info, methods=["GET"]),
            Route("/api/roles", roles, methods=["GET"]),
            Route("/api/recommend", recommend, methods=["POST"]),
            Mount("/api/v1", app=v1_app()),
        ]
    )
