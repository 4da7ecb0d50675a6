"""The web dashboard: one static page (``static/index.html``, ``app.js``, ``app.css``) over the /v1 JSON API.

Its JavaScript libraries (Leaflet, Chart.js, Cytoscape, Swagger UI) and the country outlines are copied from
npm packages into ``static/vendor/`` by ``web/build.mjs`` at build time and shipped in the Python package, so
the page and the API docs work offline: nothing is loaded from a CDN or a tile server.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC_DIR", "mount_dashboard"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: The dashboard may load only what the server itself serves.
_DASHBOARD_CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                  "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")


def mount_dashboard(app: FastAPI) -> None:
    """Serve the dashboard at ``/``, its files under ``/static`` and offline API docs at ``/docs``."""
    if not (STATIC_DIR / "vendor").is_dir():  # pragma: no cover - a broken install
        raise RuntimeError(f"the dashboard's vendored libraries are missing from {STATIC_DIR / 'vendor'}; "
                           "rebuild them with `make web`")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": _DASHBOARD_CSP, "Cache-Control": "no-cache",
                                     "X-Content-Type-Options": "nosniff"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui-dist/favicon-32x32.png",
        )
