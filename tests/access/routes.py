"""The routes the app really serves: every `@rx.page` and every HTTP route under /api."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, Route

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def page_routes() -> set[str]:
    """Every `@rx.page` route, written as in the table (`/`, `/metier/[code]`)."""
    from careerpath.ui.app import app

    app._apply_decorated_pages()
    return {"/" if route == "index" else f"/{route}" for route in app._unevaluated_pages}


def _unwrap(app: Any) -> Any:
    """The routed app under middleware wrappers (a guard, security headers…)."""
    for _ in range(10):
        if isinstance(app, FastAPI) or hasattr(app, "routes"):
            return app
        app = getattr(app, "app", None)
    return app


def _fastapi_routes(app: FastAPI, prefix: str, found: set[tuple[str, str]]) -> None:
    """Every operation of a FastAPI app, in the schema or not (effective included paths)."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in set(context.methods or ()) - SKIPPED_METHODS:
                found.add((method, prefix + str(context.path)))


def _walk(routes: list[Any], prefix: str, found: set[tuple[str, str]]) -> None:
    for route in routes:
        if isinstance(route, Mount):
            inner = _unwrap(route.app)
            if isinstance(inner, FastAPI):
                _fastapi_routes(inner, prefix + route.path, found)
            elif inner is not None:
                _walk(list(getattr(inner, "routes", [])), prefix + route.path, found)
        elif isinstance(route, Route) and route.methods is not None:
            for method in route.methods - SKIPPED_METHODS:
                found.add((method, prefix + route.path))


def api_routes() -> set[tuple[str, str]]:
    """Every (method, path) the API serves."""
    from careerpath.api.http import api_app

    app = _unwrap(api_app())
    found: set[tuple[str, str]] = set()
    if isinstance(app, FastAPI):
        _fastapi_routes(app, "", found)
    else:
        _walk(list(app.routes), "", found)
    return {(m, p) for m, p in found if p.startswith("/api")}
