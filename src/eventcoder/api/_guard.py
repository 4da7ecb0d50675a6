"""Request guards: the body size limit (413) and the write token (401/403)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._settings import ApiSettings

__all__ = ["BodyLimitMiddleware", "require_write_access"]


class BodyLimitMiddleware:
    """Answer 413 to a request whose body is larger than ``max_bytes``.

    A declared ``Content-Length`` over the limit is refused without passing anything to the application. A
    body without one (chunked) is counted as it arrives: past the limit the application is told the client went
    away, whatever it answers is dropped, and the client gets the 413 instead. Either way the rest of the body
    is read and dropped (up to 32 times the limit) before answering, so the client sees the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._drain(receive, 0)
            await self._reject(send)
            return
        seen = 0
        too_large = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._drain(receive, seen)
            await self._reject(send)

    async def _drain(self, receive: Receive, seen: int) -> None:
        """Read and drop the rest of the body (up to a bound), so that closing the connection after the 413
        does not reset it under the client before the client has read the answer."""
        bound = 32 * self.max_bytes
        while seen <= bound:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _reject(self, send: Send) -> None:
        body = json.dumps({
            "error": "request body too large",
            "detail": f"the limit is {self.max_bytes} bytes (setting EVENTCODER_MAX_BODY)",
        }).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def require_write_access(request: Request) -> None:
    """Dependency of the write endpoints: checks ``Authorization: Bearer <token>`` when the server needs one."""
    settings: ApiSettings = request.app.state.settings
    access = settings.write_access
    if access == "open":
        return
    if access == "closed":
        raise HTTPException(403, f"writes are disabled: the server listens on {settings.host} without a token "
                                 "(start it with --token)")
    given = _bearer(request.headers.get("authorization"))
    if given is None:
        raise HTTPException(401, "this endpoint needs 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    assert settings.token is not None
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise HTTPException(403, "wrong token")


def _bearer(header: Any) -> str | None:
    if not header:
        return None
    scheme, _, value = str(header).partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
