"""One JSON POST endpoint served ahead of FastAPI's router: for the call a whole audience makes at once (app.py
puts POST /api/registrations, the admission, on it).

FastAPI's routing, dependency solving and body validation cost more CPU than the admission itself, so the
lane does only what that machinery would do here. It reads the body, validates it with the same model as
the route, runs the same `answer` as the route, and renders errors with the app's own exception handlers. A
call it would not answer the same way (a body that is not JSON or fails validation) goes on to the FastAPI
route, which also declares the endpoint in the OpenAPI document. The lane knows no domain: app.py hands it
the path, the model and the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from golive.platform.body_limit import replay_body
from golive.platform.context import AppContext
from golive.platform.deps import app_context


class FastLane:
    def __init__(
        self,
        app: ASGIApp,
        *,
        path: str,
        model: type[BaseModel],
        answer: Callable[[AppContext, Any, Request], Awaitable[Response]],  # (context, the parsed body, request)
    ) -> None:
        self.app = app
        self.path = path
        self.model = model
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
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
            parsed = self.model.model_validate_json(body)
        except ValidationError:
            await self.app(scope, replay_body(body, receive), send)
            return
        try:
            response = await self.answer(app_context(request), parsed, request)
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
