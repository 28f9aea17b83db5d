"""careerpath as a Progressive Web App: head tags, service-worker precache, cache lifetimes.

- `pwa_head_components()`: the tags every page needs (manifest, apple-touch-icon, the
  script that registers the service worker and drives the install button).
- `PwaPlugin` (listed in rxconfig.py's plugins):
  - after each production build, writes the build's version and precache list into the
    built `sw.js` (`write_service_worker`), so a new build installs a new worker which
    drops the previous build's caches;
  - when the server starts, wraps it with `with_static_serving`, which serves the
    prerendered pages at their own URL (no redirect to a trailing slash), gives the hashed
    build files a year-long immutable cache lifetime and makes the browser revalidate the
    pages, the manifest and the service worker. A reverse proxy serving `.web/build/client`
    itself should do the same (`try_files $uri $uri.html $uri/`, headers of `cache_policy`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.plugins import Plugin
from starlette.datastructures import MutableHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MANIFEST_URL = "/manifest.webmanifest"
SERVICE_WORKER_FILE = "sw.js"
SPA_SHELL_FILE = "__spa-fallback.html"
# Files of the build that are not part of the app a visitor runs.
NOT_PRECACHED_FILES = {SERVICE_WORKER_FILE, "404.html", "sitemap.xml", "robots.txt"}
NOT_PRECACHED_SUFFIXES = (".gz", ".br", ".zst", ".map")
VERSION_MARKER = re.compile(r'^const BUILD_VERSION = ".*?";( // @careerpath:build-version)$', re.M)
PRECACHE_MARKER = re.compile(
    r"^const PRECACHE_URLS = \[.*?\];( // @careerpath:precache-urls)$", re.M
)

# The pages that paint the device's last saved view at once (see careerpath.ui.early_paint),
# and the prerendered page whose frame (header, main region) that view is painted in.
EARLY_PAINT_PAGES = ["metiers.html", "metiers/index.html", SPA_SHELL_FILE]
EARLY_FRAME_PAGE = "metiers.html"
# The pages a build must not lose it on (post_build fails otherwise).
EARLY_PAINT_REQUIRED = ("metiers.html", SPA_SHELL_FILE)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ONE_DAY = "public, max-age=86400"
# The server's live endpoints: never given a cache lifetime here.
LIVE_PREFIXES = ("/_event", "/_upload", "/ping", "/_health", "/_all_routes", "/api")


def pwa_head_components() -> list[rx.Component]:
    """Head tags that make every page part of the installable app."""
    return [
        rx.el.link(rel="manifest", href=MANIFEST_URL),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png", sizes="180x180"),
        rx.el.meta(name="apple-mobile-web-app-title", content="careerpath"),
        rx.el.script(src="/pwa.js", async_=True),
    ]


def precache_urls(static_dir: Path) -> list[str]:
    """The URLs of the built app a visitor needs offline: pages, build files, icons.

    A prerendered page `X/index.html` is listed as `/X`, the URL the app links to; Reflex's
    `X.html` copy of it is left out. Sorted, so the same build gives the same list.
    """
    urls = []
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = PurePosixPath(path.relative_to(static_dir).as_posix())
        name = relative.name
        if str(relative) in NOT_PRECACHED_FILES or name.endswith(NOT_PRECACHED_SUFFIXES):
            continue
        if name == "index.html":
            parent = str(relative.parent)
            urls.append("/" if parent == "." else f"/{parent}")
        elif name.endswith(".html") and name != SPA_SHELL_FILE:
            if not (path.parent / path.stem / "index.html").exists():
                urls.append(f"/{relative}")
        else:
            urls.append(f"/{relative}")
    return sorted(urls)


def _file_of(url: str, static_dir: Path) -> Path:
    relative = url.lstrip("/")
    if relative == "":
        return static_dir / "index.html"
    path = static_dir / relative
    return path / "index.html" if path.is_dir() else path


def build_version(static_dir: Path, urls: Iterable[str]) -> str:
    """A short hash of the precached files' contents: it changes whenever any of them does."""
    digest = hashlib.sha256()
    for url in urls:
        digest.update(url.encode())
        digest.update(_file_of(url, static_dir).read_bytes())
    return digest.hexdigest()[:16]


MODULE_SCRIPT = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)
MODULE_PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]*)"/>')
# Starts the app (React Router's module script, its module preloads first) once the
# prerendered page has been painted, or at once in a tab nobody looks at; a timer makes
# sure it always starts.
DEFERRED_START = (
    "(function(){var started=false;function start(){if(started){return}started=true;"
    "__PRELOADS__.forEach(function(href){var l=document.createElement('link');"
    "l.rel='modulepreload';l.href=href;document.head.appendChild(l)});"
    "var s=document.createElement('script');s.type='module';s.textContent=__CODE__;"
    "document.body.appendChild(s)}"
    "__EXPOSE__if(document.visibilityState==='hidden'){start()}"
    "else{requestAnimationFrame(function(){setTimeout(start,0)});setTimeout(start,5000)}})();"
)


def _js_literal(value: object) -> str:
    return json.dumps(value).replace("<", "\\u003c")


def start_app_after_first_paint(html: str, *, early_start: bool = False) -> str:
    """The page with its JavaScript started after the first paint instead of before.

    A prerendered page is readable as soon as its HTML and CSS have arrived, but React
    Router asks for the app's modules (about 240 KB compressed) at the same moment: on a
    slow mobile link they share the bandwidth with the render-blocking stylesheet, and on a
    fast one the hydration runs before the first paint. Starting them after the first frame
    shows the text sooner; the page becomes interactive about as late as before. A page
    without exactly one module script is returned unchanged.

    `early_start`: the page's later scripts may start the app at once with
    `window.__cpStart()` (the client-rendered shell, whose early paint has nothing to paint
    on most routes: no reason to wait for a first paint there).
    """
    scripts = MODULE_SCRIPT.findall(html)
    if len(scripts) != 1:
        return html
    preloads = MODULE_PRELOAD.findall(html)
    loader = DEFERRED_START.replace("__PRELOADS__", _js_literal(preloads))
    loader = loader.replace("__CODE__", _js_literal(scripts[0]))
    loader = loader.replace("__EXPOSE__", "window.__cpStart=start;" if early_start else "")
    html = MODULE_SCRIPT.sub(lambda _: f"<script>{loader}</script>", html, count=1)
    return MODULE_PRELOAD.sub("", html)


def write_service_worker(static_dir: Path) -> tuple[str, list[str]]:
    """Fill in the built service worker's version and precache list; return both."""
    worker = static_dir / SERVICE_WORKER_FILE
    source = worker.read_text(encoding="utf-8")
    if not (VERSION_MARKER.search(source) and PRECACHE_MARKER.search(source)):
        msg = f"{worker}: the build-version or precache-urls marker line is missing"
        raise RuntimeError(msg)
    urls = precache_urls(static_dir)
    version = build_version(static_dir, urls)
    source = VERSION_MARKER.sub(
        lambda m: f"const BUILD_VERSION = {json.dumps(version)};{m[1]}", source
    )
    listed = json.dumps(urls, ensure_ascii=False)
    source = PRECACHE_MARKER.sub(lambda m: f"const PRECACHE_URLS = {listed};{m[1]}", source)
    worker.write_text(source, encoding="utf-8")
    return version, urls


def cache_policy(path: str) -> str | None:
    """The Cache-Control header the static file at `path` deserves (None: leave it alone)."""
    if path.startswith(LIVE_PREFIXES):
        return None
    if path.startswith("/assets/"):
        return IMMUTABLE  # Vite's output: the file name carries a hash of the content
    if path in ("/sw.js", MANIFEST_URL, "/pwa.js") or path.endswith(("/", ".html")):
        return REVALIDATE
    if "." not in PurePosixPath(path).name:
        return REVALIDATE  # a page route such as /bilan
    return ONE_DAY  # icons and other unhashed static files


def prerendered_page(path: str, static_root: Path) -> str | None:
    """`/X.html` when the build holds a prerendered copy of page `/X`, else None.

    Starlette answers `/X` with a redirect to `/X/` (a directory with an index.html): one
    more round trip before anything shows, on every page opened from a link or a shortcut.
    Reflex writes the same page as `X.html` for servers that try `$uri.html`; this does.
    """
    if path.endswith("/") or "." in PurePosixPath(path).name or path.startswith(LIVE_PREFIXES):
        return None
    candidate = static_root / (path.lstrip("/") + ".html")
    return path + ".html" if candidate.is_file() else None


def _static_root() -> Path:
    from reflex import constants
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def with_static_serving(app: ASGIApp, static_root: Path | None = None) -> ASGIApp:
    """Wrap an ASGI app: pages served without a redirect, responses with a cache lifetime."""
    root = static_root or _static_root()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        path = scope["path"]
        policy = cache_policy(path)
        if policy is None:
            await app(scope, receive, send)
            return
        page = prerendered_page(path, root)
        if page is not None:
            scope = dict(scope, path=page, raw_path=page.encode())

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                if "cache-control" not in headers:
                    headers["Cache-Control"] = policy
            await send(message)

        await app(scope, receive, send_with_policy)

    return wrapped


def _with_transformer(current: Any, transformer: Any) -> Any:
    if current is None:
        return transformer
    if isinstance(current, Sequence):
        return current if transformer in current else [*current, transformer]
    return current if current is transformer else [current, transformer]


def add_form_guard(html: str) -> str:
    """The page with `FORM_GUARD_SCRIPT` at the end of its body (once): after every node React
    renders, so hydration never meets it, and parsed long before the app's scripts run."""
    from careerpath.ui.components.head import FORM_GUARD_SCRIPT

    script = f"<script>{FORM_GUARD_SCRIPT.strip()}</script>"
    if script in html or "</body>" not in html:
        return html
    head, _, tail = html.rpartition("</body>")
    return head + script + "</body>" + tail


def prerendered_pages(static_dir: Path) -> list[Path]:
    """The build's prerendered pages (not the client-rendered shell nor the 404 page)."""
    return [
        path
        for path in sorted(static_dir.rglob("*.html"))
        if path.name not in (SPA_SHELL_FILE, "404.html")
    ]


@dataclasses.dataclass
class PwaPlugin(Plugin):
    """Service-worker precache after each production build; static serving tweaks at start.

    `start_after_first_paint`: rewrite the prerendered pages so that the app's JavaScript
    starts after their first paint (see `start_app_after_first_paint`).
    `early_paint`: /metiers and the client-rendered shell (which serves /bilan/etape/N)
    paint the device's last saved view before the app starts (`careerpath.ui.early_paint`);
    the shell then starts the app after its first paint too.
    """

    start_after_first_paint: bool = True
    early_paint: bool = True

    def post_build(self, **context: Any) -> None:
        static_dir = Path(context["static_dir"])
        pages = prerendered_pages(static_dir)
        if self.early_paint:
            from careerpath.ui.early_paint import add_early_paint_to_build

            changed = add_early_paint_to_build(
                static_dir, EARLY_FRAME_PAGE, EARLY_PAINT_PAGES, required=EARLY_PAINT_REQUIRED
            )
            pages += [p for p in changed if p not in pages]
        if self.start_after_first_paint:
            for page in pages:
                html = page.read_text(encoding="utf-8")
                # The shell serves every client-rendered route; its early paint starts the
                # app at once when it paints nothing (careerpath/ui/early_paint.py).
                early_start = page.name == SPA_SHELL_FILE
                page.write_text(
                    start_app_after_first_paint(html, early_start=early_start), encoding="utf-8"
                )
        for page in sorted(static_dir.rglob("*.html")):  # the shell and the 404 page too
            html = page.read_text(encoding="utf-8")
            guarded = add_form_guard(html)
            if guarded != html:
                page.write_text(guarded, encoding="utf-8")
        if (static_dir / SERVICE_WORKER_FILE).exists():
            write_service_worker(static_dir)

    def post_compile(self, **context: Any) -> None:
        app = context["app"]
        app.api_transformer = _with_transformer(app.api_transformer, with_static_serving)
