"""Reflex configuration: careerpath's settings come from careerpath.config (environment)."""

import os

import reflex as rx

from careerpath.cli.preload import enable_worker_preload
from careerpath.cli.supervision import enable_worker_respawn
from careerpath.config import ensure_data_dir, load_settings
from careerpath.ui.lean_theme import LeanRadixThemesPlugin
from careerpath.ui.pwa import PwaPlugin

settings = load_settings()
ensure_data_dir(settings)
enable_worker_respawn()  # a backend worker that dies is replaced (careerpath/cli/supervision.py)
enable_worker_preload()  # workers inherit the referential and its engine (careerpath/cli/preload.py)


config = rx.Config(
    app_name="careerpath",
    app_module_import="careerpath.ui.app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # A backend-only run (REFLEX_BACKEND_ONLY=1, as benchmarks/load.py starts workers) must
    # not name a frontend port: Reflex refuses it.
    **({} if os.environ.get("REFLEX_BACKEND_ONLY") else {"frontend_port": settings.port}),
    backend_port=settings.port,
    # CORS: the app's own origins and CAREERPATH_ALLOWED_ORIGINS, never "*" (Reflex's CORS
    # middleware allows credentials). The websocket (/_event) is stricter: socket_guard
    # refuses any page not served from the app's own origins (Settings.allowed_origins).
    cors_allowed_origins=list(settings.cors_origins),
    plugins=[
        LeanRadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="large"),
            colors=("teal", "slate", "gray", "red", "amber"),
        ),
        PwaPlugin(),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
