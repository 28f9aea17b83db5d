"""Today's `/api/referential`, `/api/roles` and `/api/recommend`: deprecated for one release.

They answer as their `/api/v1` successors do (the same routes, left out of the OpenAPI
document) and every answer says so: `Deprecation: @<date>` (RFC 9745, the date the v1
API replaced them) and `Link: </api/v1/…>; rel="successor-version"`. In the next release
they redirect to their successor (308), then go. Any other `/api/…` address gets a JSON 404.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerpath.api.errors import install_error_handlers
from careerpath.api.v1 import PREFIX, recommend, referential

MOUNT = "/api"
DEPRECATED_SINCE = 1796083200  # 2026-12-01T00:00:00Z, the release that brought /api/v1
SUCCESSORS = {
    f"{MOUNT}/referential": f"{PREFIX}/referential",
    f"{MOUNT}/roles": f"{PREFIX}/roles",
    f"{MOUNT}/recommend": f"{PREFIX}/recommend",
}


class Deprecated:
    """Adds `Deprecation` and the successor's `Link` to the answers of the old paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]  # the full path (Starlette keeps it; root_path is the mount)
        if not path.startswith(MOUNT + "/"):
            path = str(scope.get("root_path", "")) + path
        successor = SUCCESSORS.get(path.rstrip("/")) if scope["type"] == "http" else None
        if successor is None:
            await self.app(scope, receive, send)
            return

        async def send_deprecated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Deprecation"] = f"@{DEPRECATED_SINCE}"
                headers.append("Link", f'<{successor}>; rel="successor-version"')
            await send(message)

        await self.app(scope, receive, send_deprecated)


def legacy_app() -> ASGIApp:
    """The old paths (mounted at MOUNT by `careerpath.api.http.api_app`)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for router in (referential.router, recommend.router):
        app.include_router(router, include_in_schema=False)
    install_error_handlers(app)
    return Deprecated(app)
