"""The routes the app really serves: every `@rx.page` and every HTTP route under /api."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount, Route

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def page_routes() -> set[str]:
    """Every `@rx.page` route, written as in the table (`/`, `/metier/[code]`)."""
    from careerpath.ui.app import app

    app._apply_decorated_pages()
    return {"/" if route == "index" else f"/{route}" for route in app._unevaluated_pages}


def _walk(routes: list[Any], prefix: str, found: set[tuple[str, str]]) -> None:
    for route in routes:
        if isinstance(route, Mount):
            inner = route.app
            if isinstance(inner, FastAPI):
                for path, operations in inner.openapi().get("paths", {}).items():
                    for method in operations:
                        found.add((method.upper(), prefix + route.path + path))
            else:
                _walk(list(getattr(inner, "routes", [])), prefix + route.path, found)
        elif isinstance(route, Route):
            for method in (route.methods or {"GET"}) - SKIPPED_METHODS:
                found.add((method, prefix + route.path))


def api_routes() -> set[tuple[str, str]]:
    """Every (method, path) the API serves (FastAPI apps: from their OpenAPI paths)."""
    from careerpath.api.http import api_app

    app = api_app()
    found: set[tuple[str, str]] = set()
    if isinstance(app, FastAPI):
        for path, operations in app.openapi().get("paths", {}).items():
            for method in operations:
                found.add((method.upper(), path))
    _walk(list(app.routes), "", found)
    return {(m, p) for m, p in found if p.startswith("/api")}
