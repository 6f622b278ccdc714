"""POST /api/registrations served ahead of FastAPI's router: the call a whole audience makes at the start time.

FastAPI's routing, dependency solving and body validation cost more CPU than the admission itself, so the
lane does only what that machinery would do here. It reads the body, validates it with the same
RegistrationRequest, runs the same `admit` as the route, and renders errors with the app's own exception
handlers. A call it would not answer the same way (a body that is not JSON or fails validation) goes on to
the FastAPI route, which also declares the endpoint in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from golive.access.routes import admit
from golive.access.schemas import RegistrationRequest
from golive.platform.body_limit import replay_body
from golive.platform.deps import app_context

PATH = "/api/registrations"


class AdmissionLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if not _is_json(request.headers.get("content-type", "")):
            await self.app(scope, receive, send)
            return
        try:
            body = await request.body()
        except ClientDisconnect:  # gone before the body arrived: nobody to answer
            return
        try:
            registration = RegistrationRequest.model_validate_json(body)
        except ValidationError:
            await self.app(scope, replay_body(body, receive), send)
            return
        try:
            response = await admit(app_context(request), registration, request)
        except Exception as exc:
            handler = _handler_for(request, exc)
            if handler is None:  # unexpected: the server's catch-all logs it and answers 500, as for any route
                raise
            response = await handler(request, exc)
        await response(scope, receive, send)


def _is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def _handler_for(request: Request, exc: Exception) -> Any:
    """The app's handler for this error (AppError, a lost database connection), as the router would pick it;
    None for errors only the catch-all handles."""
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None
