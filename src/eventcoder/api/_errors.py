"""Error responses: always ``{"error": ..., "detail": ...}`` JSON, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import EventcoderError

__all__ = ["install_error_handlers"]

log = logging.getLogger("eventcoder.api")


def _where(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path")]
    return ".".join(parts) if parts else "request"


def _problems(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            ctx = err.get("ctx") or {}
            reason = ctx.get("error") or "malformed JSON"
            out.append({"field": "body", "message": f"the body is not valid JSON: {reason}"})
            continue
        message = str(err.get("msg", "invalid value"))
        out.append({"field": _where(err.get("loc")), "message": message})
    return out


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = _problems(exc)
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or "invalid request"
    return JSONResponse({"error": "invalid request", "detail": summary, "problems": problems}, status_code=422)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    return JSONResponse({"error": detail, "detail": detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _user_error(request: Request, exc: EventcoderError) -> JSONResponse:
    return JSONResponse({"error": "invalid request", "detail": str(exc)}, status_code=422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse({"error": "internal error", "detail": "the server could not answer; see its log"},
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through a JSON handler, so clients never see a traceback."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(EventcoderError, _user_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
