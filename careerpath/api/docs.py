"""`/api/v1/docs`: the interactive documentation, served from the app's own files (no CDN).

Swagger UI comes from the `fastapi-offline` package (a Python dependency that ships
swagger-ui-dist's bundle and stylesheet, installed with the rest of the app); the page and
its start-up script are ours, so the page runs under the app's Content-Security-Policy
without any inline script.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from careerpath.api.access import Access, access

ASSETS = Path(str(files("fastapi_offline") / "static"))
ASSET_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
ONE_DAY = "public, max-age=86400"

START_SCRIPT = """\
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
"""

PAGE = """\
<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>careerpath — API v1</title>
<link rel="icon" href="{base}/docs/assets/favicon.png">
<link rel="stylesheet" href="{base}/docs/assets/swagger-ui.css">
</head>
<body data-openapi="{base}/openapi.json">
<div id="swagger-ui"><p>careerpath API v1 : <a href="{base}/openapi.json">openapi.json</a></p></div>
<script src="{base}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{base}/docs/assets/start.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs", openapi_extra=access(Access.PUBLIC))
def docs_page(request: Request) -> HTMLResponse:
    """The documentation page, its links relative to where the v1 app is mounted."""
    base = str(request.scope.get("root_path", "")).rstrip("/")
    return HTMLResponse(PAGE.format(base=base))


@router.get("/docs/assets/{name}", openapi_extra=access(Access.PUBLIC))
def docs_asset(name: str) -> Response:
    """Swagger UI's files and our start-up script."""
    if name == "start.js":
        return Response(
            START_SCRIPT, media_type="text/javascript", headers={"Cache-Control": ONE_DAY}
        )
    if name not in ASSET_FILES:
        raise HTTPException(404)
    return FileResponse(
        ASSETS / name, media_type=ASSET_FILES[name], headers={"Cache-Control": ONE_DAY}
    )
