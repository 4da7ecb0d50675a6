"""The HTTP API and the web dashboard.

>>> from eventcoder.api import create_app
>>> app = create_app(db_path="events.duckdb")          # doctest: +SKIP
>>> import uvicorn; uvicorn.run(app, host="127.0.0.1", port=8000)   # doctest: +SKIP

or ``eventcoder serve --db events.duckdb``. See ``docs/api.md`` for the endpoints.
"""

from __future__ import annotations

from ._app import create_app
from ._cli import register_cli
from ._settings import DEFAULT_MAX_BODY, ApiSettings, is_loopback

__all__ = ["DEFAULT_MAX_BODY", "ApiSettings", "create_app", "is_loopback", "register_cli"]
