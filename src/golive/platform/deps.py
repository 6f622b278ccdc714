"""FastAPI dependencies shared by every domain's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.platform.context import AppContext


def app_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


async def get_ctx(request: Request) -> AppContext:
    """Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a cost on every request."""
    return app_context(request)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session per request; services commit their own writes, anything left over is rolled back."""
    ctx = app_context(request)
    async with ctx.db.sessionmaker() as session:
        yield session


async def get_read_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    """For routes that only read, each with one statement: autocommitted (see Database.read_engine)."""
    async with app_context(request).db.read_engine.connect() as connection:
        yield connection


def client_ip_of(request: Request) -> str:
    """The caller's address; behind trusted proxies the app's ProxyHeadersMiddleware has already put the
    X-Forwarded-For hop they vouch for here."""
    return request.client.host[:45] if request.client else "unknown"


async def client_ip(request: Request) -> str:
    return client_ip_of(request)


Ctx = Annotated[AppContext, Depends(get_ctx)]
Session = Annotated[AsyncSession, Depends(get_session)]
ReadConnection = Annotated[AsyncConnection, Depends(get_read_connection)]
ClientIp = Annotated[str, Depends(client_ip)]

# The seed-004 path parameter, shared by every domain's routes under /api/events/{eventId}.
EventId = Annotated[str, Path(alias="eventId", min_length=1, max_length=64)]
