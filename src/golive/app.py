"""create_app(settings) -> FastAPI: routers, the error contract, the web app's pages."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from golive import __version__, flows
from golive.access.complimentary_routes import router as complimentary_router
from golive.access.library_routes import router as library_router
from golive.access.routes import admit
from golive.access.routes import router as viewers_router
from golive.access.schemas import RegistrationRequest
from golive.commerce.local.routes import router as local_checkout_router
from golive.commerce.offer_routes import router as offers_router
from golive.commerce.routes import router as payments_router
from golive.email.routes import router as email_router
from golive.engagement.analytics.routes import router as analytics_router
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.engagement.chat import socket as chat_socket
from golive.engagement.chat.hub import ChatHub
from golive.engagement.chat.interaction_routes import router as chat_interaction_router
from golive.engagement.chat.routes import router as chat_router
from golive.events import service as events_service
from golive.events.embedding import event_page_frame_ancestors, frame_ancestors
from golive.events.routes import router as events_router
from golive.events.sharing import absolute_url, preview_tags, with_preview
from golive.identity.accounts.admin_routes import router as admin_accounts_router
from golive.identity.accounts.profile_routes import router as profiles_router
from golive.identity.accounts.routes import router as account_router
from golive.identity.staff.routes import admins_router
from golive.identity.staff.routes import router as auth_router
from golive.live.routes import hooks_router as ingest_hooks_router
from golive.live.routes import router as live_router
from golive.live.runtime import LiveRuntime
from golive.media import service as media_service
from golive.media.delivery_routes import delivery_router
from golive.media.routes import router as media_router
from golive.media.tus_routes import tus_router
from golive.notify.routes import router as notify_router
from golive.platform.api_docs import install_api_docs
from golive.platform.body_limit import BodySizeLimit
from golive.platform.context import AppContext
from golive.platform.errors import (
    AppError,
    DatabaseTimeout,
    DatabaseUnavailable,
    NotFound,
    TooManyRequests,
    error_body,
)
from golive.platform.fastpath.lane import FastLane
from golive.platform.jobs import configure_jobs
from golive.platform.schemas import ErrorResponse
from golive.platform.security_headers import SecurityHeaders
from golive.platform.settings import Settings, get_settings
from golive.platform.storable_text import RefuseUnstorableText
from golive.site.routes import router as site_router

log = logging.getLogger("golive")

STATIC_DIR = Path(__file__).parent / "static"
WEB_APP_DIR = STATIC_DIR / "app"
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled (statement_timeout)
# each part of shutdown gets this long; what overruns is logged and left behind
SHUTDOWN_STEP_SECONDS = 10.0

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": description}
    for code, description in {
        400: "Malformed request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflicts with the current state",
        422: "Invalid input; details.fields names each bad field",
        429: "Too many attempts; see Retry-After",
    }.items()
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
        return error_response(exc.status_code, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "The request body is not valid JSON")
        fields: dict[str, str] = {}
        for error in errors:
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
            fields.setdefault(_field_path(tuple(error.get("loc", ()))), message)
        return error_response(422, "validation_error", "Some fields are invalid", {"fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:  # SQLAlchemy saw a dropped connection and reset its pool
            log.warning("database connection lost: %s", exc.orig)
            return await app_error(request, DatabaseUnavailable())
        if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:  # statement_timeout
            return await database_timeout(request, exc)
        log.exception("unhandled database error", exc_info=exc)
        return error_response(500, "internal_error", "Something went wrong on our side; it has been logged")

    @app.exception_handler(asyncpg.QueryCanceledError)  # statement_timeout, on asyncpg's own pool
    @app.exception_handler(PoolTimeout)  # every pooled connection busy for GOLIVE_DB_POOL_TIMEOUT_SECONDS
    async def database_timeout(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database deadline passed: %r", exc)
        return await app_error(request, DatabaseTimeout())

    @app.exception_handler(TimeoutError)  # asyncpg's connect and command timeouts; any other service's
    async def service_timeout(_: Request, exc: TimeoutError) -> JSONResponse:
        log.warning("timed out: %r", exc)
        return error_response(503, "service_timeout", "A service this call needs did not answer in time; please retry")

    @app.exception_handler(ConnectionError)
    async def unreachable(_: Request, exc: ConnectionError) -> JSONResponse:
        # The database (or another service the call needs) refused or dropped the connection: an outage, not a bug.
        log.warning("connection failed: %s", exc)
        return error_response(503, "service_unavailable", "A service this call needs is not reachable; please retry")

    @app.exception_handler(Exception)
    async def unexpected_error(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "Something went wrong on our side; it has been logged")


def _mount_web_app(app: FastAPI) -> None:
    """The built React app answers /, /about, /admin, /account, /e/{id} and /embed/{id}; the browser router takes
    over."""

    def index() -> Response:
        index_file = WEB_APP_DIR / "index.html"
        if not index_file.exists():
            return HTMLResponse(
                "<h1>GoLive</h1><p>The web app is not built yet: run <code>make build</code>.</p>",
                status_code=503,
            )
        return FileResponse(index_file, headers={"Cache-Control": "no-cache"})

    @app.get("/", include_in_schema=False, response_model=None)
    @app.get("/about", include_in_schema=False, response_model=None)
    async def site_pages() -> Response:
        """The site's home and About pages (golive.site)."""
        return index()

    @app.get("/admin", include_in_schema=False, response_model=None)
    @app.get("/admin/{rest:path}", include_in_schema=False, response_model=None)
    async def admin_pages(rest: str = "") -> Response:
        return index()

    @app.get("/account", include_in_schema=False, response_model=None)
    @app.get("/account/{rest:path}", include_in_schema=False, response_model=None)
    async def account_pages(rest: str = "") -> Response:
        """Sign-up, sign-in, the emailed links' pages and the account's devices (never framed)."""
        return index()

    async def framed_by(event_id: str, sources: Callable[[list[str] | None], str]) -> Response:
        ctx: AppContext = app.state.ctx
        async with ctx.db.sessionmaker() as session:
            domains = await events_service.embed_allowed_domains(session, event_id)
        response = index()
        response.headers["Content-Security-Policy"] = f"frame-ancestors {sources(domains)}"
        return response

    @app.get("/favicon.ico", include_in_schema=False, response_model=None)
    async def favicon() -> Response:
        """For pages and tools that ask the conventional address; the app's pages link the SVG itself."""
        icon = WEB_APP_DIR / "favicon.svg"
        if not icon.exists():
            raise NotFound("The web app is not built yet", code="web_app_not_built")
        return FileResponse(icon, media_type="image/svg+xml")

    @app.get("/e/{event_id}", include_in_schema=False, response_model=None)
    async def event_page(event_id: str) -> Response:
        """The event's own page, with its link-preview tags for crawlers (which run no JavaScript); framed only
        by us and the event's allowed domains (none listed: only us)."""
        response = await framed_by(event_id, event_page_frame_ancestors)
        index_file = WEB_APP_DIR / "index.html"
        if not index_file.exists():
            return response
        page = await _with_link_preview(app.state.ctx, event_id, index_file.read_text())
        return HTMLResponse(
            page,
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": response.headers["Content-Security-Policy"],
            },
        )

    @app.get("/embed/{event_id}", include_in_schema=False, response_model=None)
    async def embed_page(event_id: str) -> Response:
        """The iframe page; only the event's allowed parent domains may frame it (none listed: anywhere)."""
        return await framed_by(event_id, frame_ancestors)

    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")


async def _with_link_preview(ctx: AppContext, event_id: str, shell: str) -> str:
    """The shell with a published event's OpenGraph and Twitter tags (its poster, if any); else unchanged."""
    base = ctx.settings.base_url
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_published_event(session, event_id)
        except NotFound:
            return shell
        if event.thumbnail_url:
            image: str | None = absolute_url(base, event.thumbnail_url)
        elif await media_service.has_poster(session, event_id):
            image = f"{base}/api/events/{event_id}/poster"
        else:
            image = None
        return with_preview(shell, event, preview_tags(event, f"{base}/e/{event_id}", image))


def create_app(settings: Settings | None = None, *, serving_process: bool = False) -> FastAPI:
    settings = settings or get_settings()
    ctx = AppContext.from_settings(settings)
    flows.install()  # the calls across domains (golive.platform.hooks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        embedded = None
        configure_jobs(settings)  # what the app enqueues goes to the queue of these settings
        if settings.embedded_worker:
            from golive import tasks  # noqa: F401  (registers every task before the consumer starts)
            from golive.platform.jobs import start_embedded_consumer

            embedded = start_embedded_consumer(settings)
        app.state.analytics = AnalyticsRuntime.start(ctx)
        # what committed units of work tell caches (revoked grants) reaches the other instances on the broker
        ctx.db.notices.relay(app.state.analytics.realtime.broker)
        # RTMP ingest (GOLIVE_RTMP_PORT), live supervisor; hooks other instances got arrive on the broker
        app.state.live = await LiveRuntime.start(ctx, app.state.analytics.realtime.broker)
        app.state.chat = ChatHub(ctx.db, app.state.analytics.realtime.broker)
        app.state.chat.start(partial(chat_socket.recheck, ctx))
        if serving_process:
            # What start-up built (modules, routes, the runtimes) lives as long as the process: moved out of
            # the collector's generations, a crowd's requests no longer pay for scanning it in every full
            # collection (those pauses were the slowest answers). Not in a process that builds many apps
            # (the tests): what the last one left would be frozen with it.
            gc.freeze()
        try:
            yield
        finally:
            # encoders disconnected, transcoders finish their last segment
            await _shutdown_step("live ingest", app.state.live.stop(), SHUTDOWN_STEP_SECONDS)
            await _shutdown_step("chat", app.state.chat.stop(), SHUTDOWN_STEP_SECONDS)
            await _shutdown_step("notices", ctx.db.notices.close(), SHUTDOWN_STEP_SECONDS)
            # writes the telemetry still buffered, closes the broker
            await _shutdown_step("analytics", app.state.analytics.stop(), SHUTDOWN_STEP_SECONDS)
            if embedded is not None:  # a graceful stop joins the worker threads: off the event loop
                consumer, checks = embedded
                checks.set()
                await _shutdown_step(
                    "job worker", asyncio.to_thread(consumer.stop, graceful=True), SHUTDOWN_STEP_SECONDS
                )
            await _shutdown_step("database", ctx.close(), SHUTDOWN_STEP_SECONDS)

    app = FastAPI(
        title="GoLive",
        version=__version__,
        description="Live and on-demand video events: admin API, viewer admission, playback.",
        lifespan=lifespan,
        responses={},
        docs_url=None,  # served by install_api_docs, from local assets
        redoc_url=None,
        # FastAPI's built-in OpenTelemetry hook asks for a tracer provider on every request; we export none.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.ctx = ctx
    # POST /api/registrations ahead of the router (the last middleware added is the outermost)
    app.add_middleware(FastLane, path="/api/registrations", model=RegistrationRequest, answer=admit)
    app.add_middleware(RefuseUnstorableText)  # ahead of the lane and every route
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(SecurityHeaders)  # every answer carries them, refusals at the edge too
    if settings.trust_proxy_headers:  # outermost: every limit below sees the address the proxies vouch for
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    install_error_handlers(app)

    @app.get("/livez", tags=["health"])
    async def livez() -> dict[str, str]:
        """Liveness: the process answers (no database call); /healthz is readiness."""
        return {"status": "alive"}

    async def select_one() -> None:
        async with ctx.db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    @app.get("/healthz", tags=["health"])
    async def healthz() -> JSONResponse:
        """Readiness: the database answered a SELECT 1 within GOLIVE_HEALTHZ_TIMEOUT_SECONDS."""
        try:
            await asyncio.wait_for(select_one(), settings.healthz_timeout_seconds)
        except Exception as exc:  # any driver error or the deadline means "not ready", never a 500
            log.warning("health check failed: %r", exc)
            return error_response(503, "database_unavailable", "The database is not reachable")
        return JSONResponse({"status": "ok", "version": __version__})

    for router in (
        auth_router,
        account_router,
        library_router,
        profiles_router,
        admin_accounts_router,
        admins_router,
        events_router,
        viewers_router,
        complimentary_router,
        media_router,
        tus_router,
        delivery_router,
        analytics_router,
        chat_router,
        chat_interaction_router,
        live_router,
        ingest_hooks_router,
        payments_router,
        offers_router,
        local_checkout_router,
        email_router,
        site_router,
        notify_router,
    ):
        app.include_router(router, responses=ERROR_RESPONSES)
    install_api_docs(app)
    _mount_web_app(app)
    return app


async def _shutdown_step(name: str, step: Awaitable[None], seconds: float) -> None:
    """One part of shutdown, bounded: a stuck close must not keep the process (or the others) from stopping."""
    started = time.monotonic()
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        log.warning("shutdown: %s did not finish within %.0f s; going on without it", name, seconds)
    except Exception:
        log.exception("shutdown: %s failed", name)
    else:
        elapsed = time.monotonic() - started
        if elapsed > 1:
            log.info("shutdown: %s took %.1f s", name, elapsed)


def create_app_from_env() -> FastAPI:
    """Uvicorn's factory entry point: the one app of a `golive serve` process."""
    return create_app(get_settings(), serving_process=True)
