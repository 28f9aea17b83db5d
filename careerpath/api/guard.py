"""The ASGI guard in front of `/api/…`: bounded addresses and bodies, quiet disconnects.

Before any route runs, a request is refused, as a JSON error in its language, when
- its address (path and query) is longer than `limits.MAX_ADDRESS_CHARS` → 414;
- it announces a body over `limits.MAX_BODY_BYTES` (`Content-Length`) → 413 at once, unread;
- it has a body that is not JSON (`Content-Type` other than `application/json` or
  `…+json`) → 415: every body of the API is JSON, except an HTML form's
  (`application/x-www-form-urlencoded`) posted to one of `form_paths` (the sign-in form,
  which works before the page's script has run).
While a route reads the body, the guard counts the bytes as they arrive (→ 413 as soon as
the limit is passed, never buffering more) and gives the whole body `body_timeout` seconds
(→ 408, connection closed): a client sending a few bytes a minute holds nothing for long.

A client that goes away mid-request is not an error of the app: nothing more is sent to it
and nothing is logged beyond one debug line (no stack trace).
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerpath.api.errors import error_response
from careerpath.api.limits import BODY_TIMEOUT_SECONDS, MAX_ADDRESS_CHARS, MAX_BODY_BYTES

logger = logging.getLogger(__name__)

CLOSE = {"Connection": "close"}


class BodyTooSlow(HTTPException):
    """The body did not arrive within the time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(status_code=408, detail=f"{seconds:g}", headers=CLOSE)


class BodyTooLarge(HTTPException):
    """The body passed the size limit while it was read."""

    def __init__(self) -> None:
        super().__init__(status_code=413, headers=CLOSE)


FORM_MEDIA = "application/x-www-form-urlencoded"


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(content_type: str) -> bool:
    kind, _, subtype = media_type(content_type).partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _relative_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class ApiGuard:
    """Wraps the API's ASGI app (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int = MAX_BODY_BYTES,
        body_timeout: float = BODY_TIMEOUT_SECONDS,
        max_address_chars: int = MAX_ADDRESS_CHARS,
        form_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.form_paths = form_paths
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.max_address_chars = max_address_chars

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await _GuardedRequest(self, scope, receive, send).run()

    def _refusal(self, scope: Scope) -> ASGIApp | None:
        address = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string", b"")
        )
        if address > self.max_address_chars:
            return error_response(scope, 414, limit=self.max_address_chars)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        announced = int(length) if length and length.strip().isdigit() else None
        if announced is not None and announced > self.max_body_bytes:
            return error_response(scope, 413, CLOSE, limit=self.max_body_bytes // 1024)
        has_body = (announced or 0) > 0 or "chunked" in headers.get("transfer-encoding", "")
        content_type = headers.get("content-type", "")
        if has_body and not _is_json(content_type) and not self._form_allowed(scope, content_type):
            return error_response(scope, 415, CLOSE)
        return None

    def _form_allowed(self, scope: Scope, content_type: str) -> bool:
        return (
            media_type(content_type) == FORM_MEDIA
            and scope.get("method") == "POST"
            and _relative_path(scope) in self.form_paths
        )


class _GuardedRequest:
    """One request going through the guard: its receive counts, times and notes disconnects."""

    def __init__(self, guard: ApiGuard, scope: Scope, receive: Receive, send: Send) -> None:
        self.guard = guard
        self.scope = scope
        self._receive = receive
        self._send = send
        self.received = 0
        self.deadline: float | None = None
        self.body_done = False
        self.disconnected = False

    async def receive(self) -> Message:
        if self.body_done:  # the whole body is in: no limit on waiting for a disconnect
            message = await self._receive()
            self.disconnected = self.disconnected or message["type"] == "http.disconnect"
            return message
        if self.deadline is None:
            self.deadline = time.monotonic() + self.guard.body_timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise BodyTooSlow(self.guard.body_timeout)
        try:
            message = await asyncio.wait_for(self._receive(), remaining)
        except TimeoutError:
            raise BodyTooSlow(self.guard.body_timeout) from None
        if message["type"] == "http.disconnect":
            self.disconnected = True
        elif message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.guard.max_body_bytes:
                raise BodyTooLarge()
            self.body_done = not message.get("more_body", False)
        return message

    async def send(self, message: Message) -> None:
        if self.disconnected:
            return
        try:
            await self._send(message)
        except OSError:
            self.disconnected = True

    async def run(self) -> None:
        try:
            await self.guard.app(self.scope, self.receive, self.send)
        except ClientDisconnect:
            self.disconnected = True
        except Exception:
            if not self.disconnected:
                raise
        if self.disconnected:
            logger.debug("client left during %s %s", self.scope["method"], self.scope["path"])
