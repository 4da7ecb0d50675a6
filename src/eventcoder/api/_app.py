"""The FastAPI application: JSON API under /v1, the dashboard at /, offline API docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ._errors import install_error_handlers
from ._guard import BodyLimitMiddleware
from ._routes import router
from ._service import Service
from ._settings import ApiSettings

__all__ = ["create_app"]

_DESCRIPTION = """\
Code news articles into political event data and explore the stored events.

* `POST /v1/code` codes an article (and stores it with `store: true`);
* `GET /v1/events` lists events with the filters of `eventcoder query`, as JSON, CSV or Parquet;
* `/v1/timeline`, `/v1/network`, `/v1/actors`, `/v1/places` and `/v1/stats` aggregate them;
* the dashboard at `/` shows them on a map, a timeline, an actor network and an evidence table.

Errors are JSON: `{"error": ..., "detail": ...}`.
"""

_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(db_path: str | Path | None = None, token: str | None = None, host: str = "127.0.0.1",
               coder: Any = None, *, max_body_bytes: int | None = None, store: Any = None) -> FastAPI:
    """The eventcoder web application.

    ``db_path`` is the DuckDB event store (default: ``EVENTCODER_DB`` or the user data directory), opened on
    first use and owned by this application; ``store`` passes an open store instead. ``host`` is the address
    the server will listen on: off loopback, ``POST /v1/code`` needs ``Authorization: Bearer <token>`` (and is
    refused when no token is set); on loopback, only requests naming a loopback host are accepted (a guard
    against DNS rebinding). ``coder`` is an :class:`eventcoder.Coder` to share (default: one is loaded on the
    first coding request). ``max_body_bytes`` (default 2 MB, or ``EVENTCODER_MAX_BODY``) bounds request bodies.
    """
    settings = ApiSettings.create(db_path=db_path, token=token, host=host, max_body_bytes=max_body_bytes)
    service = Service(settings, coder=coder, store=store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="eventcoder", version=__version__, description=_DESCRIPTION, docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.service = service
    install_error_handlers(app)
    app.include_router(router)

    from ..web import mount_dashboard

    mount_dashboard(app)
    if settings.loopback:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=_LOOPBACK_NAMES)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app
