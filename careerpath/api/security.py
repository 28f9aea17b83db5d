"""Security headers on every HTTP answer of the app (Reflex pages, build files, API).

`SecurityHeaders` wraps the whole ASGI app (it is the last of the app's `api_transformer`s)
and adds to each answer that does not set them itself:

- `Content-Security-Policy` (`content_security_policy`): everything from the app's own
  origin; the websocket to the app's origins only (`ws(s)://` of `Settings.allowed_origins`);
  `frame-ancestors 'none'`; no plugins. Two
  allowances the Reflex production build needs, checked in a browser with no console
  error (tests/browser/test_security_headers.py): `'unsafe-inline'` scripts (the
  prerendered pages carry React Router's inline start-up script, which `PwaPlugin` defers
  by re-inserting it) and `'unsafe-eval'` (Reflex runs `rx.call_script` through `eval`);
  `'unsafe-inline'` styles (Emotion writes `<style>` tags at run time).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin`,
  `X-Frame-Options: DENY` (for browsers without `frame-ancestors`),
  `Cross-Origin-Opener-Policy: same-origin`, a `Permissions-Policy` that turns off what the
  app never uses (camera, microphone, geolocation, payment, USB).
- `Strict-Transport-Security` only when the app's public address is https
  (`CAREERPATH_PUBLIC_URL`, `Settings.public_url`): a browser then never tries plain http.

CORS is Reflex's own middleware, given the configured origins only (`rxconfig.py`,
`Settings.cors_origins`): never `*` with credentials.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(origins: Sequence[str] = ()) -> str:
    """The policy; the websocket may reach the app's own origins (`ws(s)://` of each).

    An IPv6 literal (`[::1]`) cannot be written in a CSP source list (browsers report it as
    invalid): such an origin is left to `'self'`.
    """
    sockets = " ".join(
        "ws" + origin.removeprefix("http")
        for origin in origins
        if origin.startswith("http") and "[" not in origin
    )
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {sockets}".strip(),
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(*, https: bool, origins: Sequence[str] = ()) -> dict[str, str]:
    """The headers every answer carries; HSTS only when the app is served over https."""
    headers = {
        "Content-Security-Policy": content_security_policy(origins),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """ASGI middleware adding `security_headers` to every HTTP answer (not websockets)."""

    def __init__(self, app: ASGIApp, *, https: bool, origins: Sequence[str] = ()) -> None:
        self.app = app
        self.headers = security_headers(https=https, origins=origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
