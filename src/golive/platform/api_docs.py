"""/docs (Swagger UI) and /redoc, from assets the web build copies out of pinned npm packages
(web/scripts/copy-api-docs.mjs), so an install without internet access still has its API docs."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

API_DOCS_ASSETS = "/static/app/api-docs"
FAVICON_URL = "/static/app/favicon.svg"


def install_api_docs(app: FastAPI) -> None:
    """Give the app its docs pages; create the app with docs_url=None and redoc_url=None."""
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url=f"{API_DOCS_ASSETS}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{API_DOCS_ASSETS}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=FAVICON_URL,
            # no badge image from validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            redoc_js_url=f"{API_DOCS_ASSETS}/redoc/redoc.standalone.js",
            redoc_favicon_url=FAVICON_URL,
            with_google_fonts=False,
        )
