"""``eventcoder serve``: run the API and the dashboard with uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import EventcoderError
from ._settings import is_loopback

__all__ = ["cmd_serve", "register_cli"]


def register_cli(sub: Any) -> None:
    """Add ``serve`` to the ``eventcoder`` sub-command parser ``sub``."""
    p = sub.add_parser("serve", help="serve the HTTP API and the dashboard",
                       description="Serve the JSON API (/v1), the dashboard (/) and the API docs (/docs). "
                                   "The server owns the event store: ingest through POST /v1/code with store=true.")
    p.add_argument("--db", help="the DuckDB event store (default: $EVENTCODER_DB)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other address needs --token for writes)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="bearer token required by write endpoints (default: $EVENTCODER_TOKEN)")
    p.add_argument("--no-preload", action="store_true", help="load the coder on the first request, not at start")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from ._app import create_app

    token = args.token or os.environ.get("EVENTCODER_TOKEN") or None
    if not 0 < args.port < 65536:
        raise EventcoderError(f"--port {args.port} is not a port number")
    coder = None
    if not args.no_preload:
        print("eventcoder: loading the coder...", file=sys.stderr)
        from ..pipeline import Coder

        coder = Coder(model=getattr(args, "model", None))
    app = create_app(db_path=args.db, token=token, host=args.host, coder=coder)
    try:
        store = app.state.service.open_store()
    except Exception as exc:  # a locked or unreadable DuckDB file
        raise EventcoderError(f"cannot open the event store: {exc}") from None
    if not is_loopback(args.host) and not token:
        print(f"eventcoder: warning: listening on {args.host} without --token: POST /v1/code is disabled",
              file=sys.stderr)
    print(f"eventcoder: store {store.path}; dashboard at http://{_url_host(args.host)}:{args.port}/",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
